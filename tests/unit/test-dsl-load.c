/* test-dsl-load.c: loading blueprints with imports and normalising both
 * dialects into one vocabulary (dsl/service.h). Every case writes its files
 * into a fresh directory. */
#include "dsl/service.h"
#include "testlib.h"

#include <string.h>

struct fixture {
	char *dir;
	char *types;
	const char *dirs[2];
	struct dsl_load_options opts;
	struct bp_diags diags;
};

static void put(struct fixture *fx, const char *name, const char *text)
{
	g_autofree char *p = g_build_filename(fx->dir, name, NULL);
	g_autofree char *d = g_path_get_dirname(p);

	g_mkdir_with_parents(d, 0700);
	g_assert_true(g_file_set_contents(p, text, -1, NULL));
}

static void setup(struct fixture *fx, gconstpointer data)
{
	fx->dir = test_tmpdir();
	fx->types = g_build_filename(fx->dir, "types", NULL);
	fx->dirs[0] = fx->types;
	fx->dirs[1] = NULL;
	fx->opts.types_dirs = fx->dirs;
	bp_diags_init(&fx->diags, 50);
	put(fx, "types/tosca-simple-1.3.yaml",
	    "tosca_definitions_version: tosca_simple_yaml_1_3\n"
	    "node_types:\n  tosca.nodes.Root: {}\n"
	    "  tosca.nodes.Compute: {derived_from: tosca.nodes.Root}\n");
	put(fx, "types/cfy.yaml",
	    "tosca_definitions_version: cloudify_dsl_1_3\n"
	    "node_types:\n  cloudify.nodes.Root: {}\n");
	put(fx, "types/import-map.yaml",
	    "map:\n"
	    "  - pattern: 'http://example.org/spec/*/types.yaml'\n"
	    "    file: cfy.yaml\n"
	    "  - pattern: 'plugin:missing*'\n"
	    "    file: nothere.yaml\n");
}

static void teardown(struct fixture *fx, gconstpointer data)
{
	bp_diags_release(&fx->diags);
	test_rmtree(fx->dir);
	g_free(fx->dir);
	g_free(fx->types);
}

static struct dsl_service *load(struct fixture *fx, const char *name)
{
	g_autofree char *p = g_build_filename(fx->dir, name, NULL);
	struct dsl_service *svc = dsl_load(p, &fx->opts, &fx->diags);

	for (guint i = 0; i < fx->diags.errors->len; i++) {
		g_autofree char *s = bp_error_format(fx->diags.errors->pdata[i]);
		g_test_message("%s", s);
	}
	return svc;
}

/* Loads a file that must fail; asserts some error contains `want` and
 * names `file:line:col` (suffix match on the file). */
static void load_fails(struct fixture *fx, const char *name, const char *want,
		       const char *where)
{
	struct dsl_service *svc = load(fx, name);
	GString *all = g_string_new(NULL);
	bool found = false;

	g_assert_null(svc);
	for (guint i = 0; i < fx->diags.errors->len; i++) {
		g_autofree char *s = bp_error_format(fx->diags.errors->pdata[i]);
		g_string_append_printf(all, "%s\n", s);
		if (strstr(s, want) && (!where || strstr(s, where)))
			found = true;
	}
	if (!found)
		g_error("want '%s' at '%s', got:\n%s", want, where ? where : "",
			all->str);
	g_string_free(all, TRUE);
}

static const struct dsl_node *def_of(struct dsl_service *svc,
				     enum dsl_section sec, const char *name)
{
	const struct dsl_entry *e = dsl_service_get(svc, sec, name);

	if (!e)
		g_error("no '%s' in %s", name, dsl_section_name(sec));
	return e->def;
}

static void test_imports(struct fixture *fx, gconstpointer data)
{
	g_autoptr(dsl_service) svc = NULL;

	put(fx, "main.yaml",
	    "tosca_definitions_version: tosca_simple_yaml_1_0\n"
	    "imports:\n  - lib/a.yaml\n  - lib/b.yaml\n"
	    "node_types:\n  my.Main: {derived_from: my.A}\n");
	put(fx, "lib/a.yaml",
	    "tosca_definitions_version: tosca_simple_yaml_1_0\n"
	    "imports: [b.yaml]\nnode_types:\n  my.A: {derived_from: my.B}\n");
	/* b imports a back: a loop that must end */
	put(fx, "lib/b.yaml",
	    "imports:\n  - a.yaml\nnode_types:\n  my.B: {}\n");
	svc = load(fx, "main.yaml");
	g_assert_nonnull(svc);
	/* main, a, b, and the implicit normative types: each once */
	g_assert_cmpuint(svc->files->len, ==, 4);
	def_of(svc, DSL_SEC_NODE_TYPES, "my.B");
	def_of(svc, DSL_SEC_NODE_TYPES, "tosca.nodes.Compute");
	g_assert_cmpstr(((struct dsl_file *)svc->files->pdata[2])->version, ==,
			"tosca_simple_yaml_1_0");   /* b inherits a's */
}

static void test_import_errors(struct fixture *fx, gconstpointer data)
{
	put(fx, "m1.yaml", "tosca_definitions_version: cloudify_dsl_1_3\n"
	    "imports:\n  - http://nowhere.example/x.yaml\n");
	load_fails(fx, "m1.yaml", "cannot resolve import "
		   "'http://nowhere.example/x.yaml' offline", "m1.yaml:3:5");
	bp_diags_release(&fx->diags);
	bp_diags_init(&fx->diags, 50);
	put(fx, "m2.yaml", "tosca_definitions_version: cloudify_dsl_1_3\n"
	    "imports:\n  - missing.yaml\n");
	load_fails(fx, "m2.yaml", "cannot find import 'missing.yaml'",
		   "m2.yaml:3:5");
	bp_diags_release(&fx->diags);
	bp_diags_init(&fx->diags, 50);
	put(fx, "m3.yaml", "tosca_definitions_version: cloudify_dsl_1_3\n"
	    "imports:\n  - plugin:missing-plugin\n");
	load_fails(fx, "m3.yaml", "maps to a missing file", "m3.yaml:3:5");
}

static void test_import_map(struct fixture *fx, gconstpointer data)
{
	g_autoptr(dsl_service) svc = NULL;

	put(fx, "main.yaml", "tosca_definitions_version: cloudify_dsl_1_3\n"
	    "imports:\n  - http://example.org/spec/6.4/types.yaml\n"
	    "node_templates:\n  n: {type: cloudify.nodes.Root}\n");
	svc = load(fx, "main.yaml");
	g_assert_nonnull(svc);
	def_of(svc, DSL_SEC_NODE_TYPES, "cloudify.nodes.Root");
	/* no implicit TOSCA types for a Cloudify blueprint */
	g_assert_null(dsl_service_get(svc, DSL_SEC_NODE_TYPES,
				      "tosca.nodes.Root"));
}

static void test_redefinition(struct fixture *fx, gconstpointer data)
{
	g_autoptr(dsl_service) svc = NULL;

	put(fx, "same.yaml", "tosca_definitions_version: cloudify_dsl_1_3\n"
	    "node_types:\n  t: {properties: {a: {default: 1}}}\n");
	put(fx, "same2.yaml", "tosca_definitions_version: cloudify_dsl_1_3\n"
	    "node_types:\n  t:\n    properties: {a: {default: 1}}\n");
	put(fx, "ok.yaml", "tosca_definitions_version: cloudify_dsl_1_3\n"
	    "imports: [same.yaml, same2.yaml]\n");
	svc = load(fx, "ok.yaml");
	g_assert_nonnull(svc);
	put(fx, "diff.yaml", "tosca_definitions_version: cloudify_dsl_1_3\n"
	    "node_types:\n  t: {properties: {a: {default: 2}}}\n");
	put(fx, "bad.yaml", "tosca_definitions_version: cloudify_dsl_1_3\n"
	    "imports: [same.yaml, diff.yaml]\n");
	load_fails(fx, "bad.yaml", "conflicting definitions of 't' in "
		   "node_types: here and at ", "diff.yaml:3:3");
}

static void test_versions(struct fixture *fx, gconstpointer data)
{
	put(fx, "v1.yaml", "tosca_definitions_version: tosca_simple_yaml_1_10\n");
	load_fails(fx, "v1.yaml", "unknown tosca_definitions_version "
		   "'tosca_simple_yaml_1_10'; expected one of "
		   "'tosca_simple_yaml_1_0'", "v1.yaml:1:28");
	put(fx, "v2.yaml", "node_types: {}\n");
	load_fails(fx, "v2.yaml", "missing required 'tosca_definitions_version'",
		   "v2.yaml:1:1");
	/* a misspelt version key is named (tosca-parser's
	 * test_invalid_section_names) */
	put(fx, "v5.yaml", "\ntosca_definition_version: tosca_simple_yaml_1_0\n");
	load_fails(fx, "v5.yaml", "unknown key 'tosca_definition_version' in "
		   "the top level (a misspelling?)", "v5.yaml:2:1");
	/* an imported file with a bad version is read on in its importer's
	 * dialect (tosca_imports_validation.yaml) */
	put(fx, "v6.yaml", "tosca_definitions_version: tosca_simple_yaml_1_0\n"
	    "imports: [v7.yaml]\n");
	put(fx, "v7.yaml", "tosca_definitions_version: tosca_simple_yaml_1_10\n"
	    "descriptions: x\n");
	load_fails(fx, "v6.yaml", "unknown tosca_definitions_version "
		   "'tosca_simple_yaml_1_10'", "v7.yaml:1:28");
	load_fails(fx, "v6.yaml", "unknown key 'descriptions' in the top level",
		   "v7.yaml:2:1");
	put(fx, "v4.yaml", "tosca_definitions_version: cloudify_dsl_1_0\n"
	    "node_types:\n  t:\n    properties:\n      k: \"M\xc3\xb6tley\"\n");
	load_fails(fx, "v4.yaml", "non-ASCII character", "v4.yaml:5:10");
}

static void test_top_level_keys(struct fixture *fx, gconstpointer data)
{
	put(fx, "k.yaml", "tosca_definitions_version: tosca_simple_yaml_1_0\n"
	    "node_template: {}\n");
	load_fails(fx, "k.yaml", "unknown key 'node_template' in the top level",
		   "k.yaml:2:1");
	put(fx, "k2.yaml", "tosca_definitions_version: tosca_simple_yaml_1_0\n"
	    "topology_template:\n  node_templatez: {}\n");
	load_fails(fx, "k2.yaml", "unknown key 'node_templatez' in "
		   "topology_template", "k2.yaml:3:3");
}

static void test_tosca_normalised(struct fixture *fx, gconstpointer data)
{
	g_autoptr(dsl_service) svc = NULL;
	const struct dsl_node *n, *reqs, *ops, *r;

	put(fx, "t.yaml",
	    "tosca_definitions_version: tosca_simple_yaml_1_3\n"
	    "node_types:\n"
	    "  my.T:\n"
	    "    derived_from: tosca.nodes.Root\n"
	    "    requirements:\n"
	    "      - host: tosca.capabilities.Compute\n"
	    "    interfaces:\n"
	    "      Standard:\n"
	    "        type: tosca.interfaces.node.lifecycle.Standard\n"
	    "        create: c.sh\n"
	    "        operations:\n"
	    "          start:\n"
	    "            implementation: {primary: s.sh, timeout: 30}\n"
	    "topology_template:\n"
	    "  node_templates:\n"
	    "    a:\n"
	    "      type: my.T\n"
	    "      requirements:\n"
	    "        - host: b\n"
	    "        - dependency: {node: b, relationship: tosca.relationships.DependsOn}\n"
	    "    b: {type: tosca.nodes.Compute}\n"
	    "  policies:\n"
	    "    - p1: {type: tosca.policies.Scaling, targets: [a]}\n");
	svc = load(fx, "t.yaml");
	g_assert_nonnull(svc);
	n = def_of(svc, DSL_SEC_NODE_TYPES, "my.T");
	reqs = dsl_map_get(n, "requirements");
	g_assert_cmpstr(dsl_str(dsl_map_get(reqs->u.seq.items[0], "name")), ==,
			"host");
	g_assert_cmpstr(dsl_str(dsl_map_get(reqs->u.seq.items[0], "capability")),
			==, "tosca.capabilities.Compute");
	ops = dsl_map_get(dsl_map_get(dsl_map_get(n, "interfaces"), "Standard"),
			  "operations");
	g_assert_cmpstr(dsl_str(dsl_map_get(dsl_map_get(ops, "create"),
					    "implementation")), ==, "c.sh");
	g_assert_cmpstr(dsl_str(dsl_map_get(dsl_map_get(ops, "start"),
					    "implementation")), ==, "s.sh");
	g_assert_nonnull(dsl_map_get(dsl_map_get(ops, "start"), "timeout"));
	g_assert_null(dsl_map_get(ops, "type"));
	n = def_of(svc, DSL_SEC_NODE_TEMPLATES, "a");
	reqs = dsl_map_get(n, "requirements");
	g_assert_cmpstr(dsl_str(dsl_map_get(reqs->u.seq.items[0], "node")), ==,
			"b");
	r = dsl_map_get(reqs->u.seq.items[1], "relationship");
	g_assert_cmpstr(dsl_str(dsl_map_get(r, "type")), ==,
			"tosca.relationships.DependsOn");
	def_of(svc, DSL_SEC_POLICIES, "p1");
}

static void test_cloudify_normalised(struct fixture *fx, gconstpointer data)
{
	g_autoptr(dsl_service) svc = NULL;
	const struct dsl_node *n, *reqs, *rel, *caps;

	put(fx, "c.yaml",
	    "tosca_definitions_version: cloudify_dsl_1_3\n"
	    "node_types:\n"
	    "  t:\n"
	    "    interfaces:\n"
	    "      cloudify.interfaces.lifecycle:\n"
	    "        create: scripts/create.sh\n"
	    "        start: {implementation: p.start, max_retries: 3}\n"
	    "node_templates:\n"
	    "  vm: {type: t, instances: {deploy: 3}}\n"
	    "  app:\n"
	    "    type: t\n"
	    "    relationships:\n"
	    "      - type: cloudify.relationships.contained_in\n"
	    "        target: vm\n"
	    "        source_interfaces:\n"
	    "          cloudify.interfaces.relationship_lifecycle:\n"
	    "            establish: e.sh\n"
	    "workflows:\n  wf: p.run\n");
	svc = load(fx, "c.yaml");
	g_assert_nonnull(svc);
	n = def_of(svc, DSL_SEC_NODE_TYPES, "t");
	g_assert_cmpstr(dsl_str(dsl_map_get(dsl_map_get(dsl_map_get(dsl_map_get(
		dsl_map_get(n, "interfaces"), "cloudify.interfaces.lifecycle"),
		"operations"), "create"), "implementation")), ==,
		"scripts/create.sh");
	n = def_of(svc, DSL_SEC_NODE_TEMPLATES, "app");
	g_assert_null(dsl_map_get(n, "relationships"));
	reqs = dsl_map_get(n, "requirements");
	g_assert_cmpuint(dsl_len(reqs), ==, 1);
	g_assert_cmpstr(dsl_str(dsl_map_get(reqs->u.seq.items[0], "node")), ==,
			"vm");
	rel = dsl_map_get(reqs->u.seq.items[0], "relationship");
	g_assert_cmpstr(dsl_str(dsl_map_get(rel, "type")), ==,
			"cloudify.relationships.contained_in");
	g_assert_nonnull(dsl_map_get(dsl_map_get(dsl_map_get(dsl_map_get(
		dsl_map_get(rel, "source_interfaces"),
		"cloudify.interfaces.relationship_lifecycle"), "operations"),
		"establish"), "implementation"));
	n = def_of(svc, DSL_SEC_NODE_TEMPLATES, "vm");
	caps = dsl_map_get(n, "capabilities");
	g_assert_nonnull(dsl_map_get(dsl_map_get(dsl_map_get(caps, "scalable"),
				     "properties"), "default_instances"));
	g_assert_cmpstr(dsl_str(dsl_map_get(def_of(svc, DSL_SEC_WORKFLOWS, "wf"),
					    "mapping")), ==, "p.run");
}

static void test_cloudify_errors(struct fixture *fx, gconstpointer data)
{
	put(fx, "e1.yaml", "tosca_definitions_version: cloudify_dsl_1_3\n"
	    "node_templates:\n  a:\n    type: t\n    relationships:\n"
	    "      - type: cloudify.relationships.depends_on\n");
	load_fails(fx, "e1.yaml", "missing required key 'target' in a "
		   "relationship", "e1.yaml:6:9");
	put(fx, "e2.yaml", "tosca_definitions_version: cloudify_dsl_1_3\n"
	    "node_templates:\n  a:\n    type: t\n    instances: {deploy: 2}\n"
	    "    capabilities: {scalable: {properties: {default_instances: 2}}}\n");
	load_fails(fx, "e2.yaml", "defines both 'instances' and "
		   "'capabilities'", "e2.yaml:5:5");
	/* even empty capabilities conflict (dsl_parser's err_code 209) */
	put(fx, "e4.yaml", "tosca_definitions_version: cloudify_dsl_1_3\n"
	    "node_templates:\n  a:\n    type: t\n    instances: {deploy: 2}\n"
	    "    capabilities: {}\n");
	load_fails(fx, "e4.yaml", "defines both 'instances' and "
		   "'capabilities'", "e4.yaml:5:5");
	put(fx, "e3.yaml", "tosca_definitions_version: cloudify_dsl_1_0\n"
	    "plugins:\n  p: {install: false}\n  q: {executor: x}\n");
	load_fails(fx, "e3.yaml", "missing required key 'executor' in plugin "
		   "'p'", "e3.yaml:3:3");
	load_fails(fx, "e3.yaml", "plugin 'q' is to be installed but declares "
		   "neither", "e3.yaml:4:3");
}

static void test_namespaces(struct fixture *fx, gconstpointer data)
{
	g_autoptr(dsl_service) svc = NULL;

	put(fx, "lib.yaml", "tosca_definitions_version: cloudify_dsl_1_3\n"
	    "node_types:\n  t: {}\n");
	put(fx, "ns.yaml", "tosca_definitions_version: cloudify_dsl_1_3\n"
	    "imports: [other--lib.yaml]\nnode_types:\n  t: {properties: {}}\n");
	svc = load(fx, "ns.yaml");
	g_assert_nonnull(svc);
	def_of(svc, DSL_SEC_NODE_TYPES, "other--t");
	def_of(svc, DSL_SEC_NODE_TYPES, "t");
}

/* tosca-parser's nested imports (test_instance_nested_imports.yaml): a
 * TOSCA namespace_prefix covers the imported file's own definitions, not
 * what that file imports; `dir/x.yaml` imported from inside dir/ is x.yaml
 * there; an imported topology_template stays in its file. */
static void test_tosca_nested_imports(struct fixture *fx, gconstpointer data)
{
	g_autoptr(dsl_service) svc = NULL;
	const struct dsl_file *f;

	put(fx, "main.yaml",
	    "tosca_definitions_version: tosca_simple_yaml_1_0\n"
	    "imports:\n"
	    "  - x: {file: a/defs/outer.yaml, namespace_prefix: ns}\n"
	    "topology_template:\n"
	    "  node_templates:\n    n: {type: ns:Outer}\n");
	put(fx, "a/defs/outer.yaml",
	    "tosca_definitions_version: tosca_simple_yaml_1_0\n"
	    "imports: [defs/inner.yaml]\n"
	    "node_types:\n  Outer: {derived_from: Inner}\n"
	    "topology_template:\n"
	    "  node_templates:\n    hidden: {type: Outer}\n");
	put(fx, "a/defs/inner.yaml",
	    "tosca_definitions_version: tosca_simple_yaml_1_0\n"
	    "node_types:\n  Inner: {}\n");
	svc = load(fx, "main.yaml");
	g_assert_nonnull(svc);
	def_of(svc, DSL_SEC_NODE_TYPES, "ns:Outer");
	def_of(svc, DSL_SEC_NODE_TYPES, "Inner");
	g_assert_null(dsl_service_get(svc, DSL_SEC_NODE_TYPES, "ns:Inner"));
	def_of(svc, DSL_SEC_NODE_TEMPLATES, "n");
	g_assert_null(dsl_service_get(svc, DSL_SEC_NODE_TEMPLATES, "hidden"));
	f = svc->files->pdata[1];
	g_assert_true(g_str_has_suffix(f->path, "outer.yaml"));
	g_assert_nonnull(dsl_map_get(dsl_map_get(f->topology, "node_templates"),
				     "hidden"));
	/* a Cloudify file has no such reading */
	put(fx, "c.yaml", "tosca_definitions_version: cloudify_dsl_1_3\n"
	    "imports: [defs/lib/x.yaml]\n");
	put(fx, "defs/lib/x.yaml", "node_types: {}\n");
	put(fx, "defs/c2.yaml", "tosca_definitions_version: cloudify_dsl_1_3\n"
	    "imports: [defs/lib/x.yaml]\n");
	g_clear_pointer(&svc, dsl_service_free);
	svc = load(fx, "c.yaml");
	g_assert_nonnull(svc);
	load_fails(fx, "defs/c2.yaml", "cannot find import "
		   "'defs/lib/x.yaml'", "c2.yaml:2:11");
}

static void test_syntax_error_keeps_others(struct fixture *fx,
					   gconstpointer data)
{
	put(fx, "s.yaml", "tosca_definitions_version: cloudify_dsl_1_3\n"
	    "imports: [broken.yaml, bad2.yaml]\n");
	put(fx, "broken.yaml", "node_types:\n  t: [1, 2\n");
	put(fx, "bad2.yaml", "node_typos: {}\n");
	load_fails(fx, "s.yaml", "did not find expected", "broken.yaml:3:1");
	/* the second import is still checked: every error is reported */
	load_fails(fx, "s.yaml", "unknown key 'node_typos'", "bad2.yaml:1:1");
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
#define ADD(name, fn) g_test_add("/dsl/load/" name, struct fixture, NULL, \
				 setup, fn, teardown)
	ADD("imports", test_imports);
	ADD("import-errors", test_import_errors);
	ADD("import-map", test_import_map);
	ADD("redefinition", test_redefinition);
	ADD("versions", test_versions);
	ADD("top-level-keys", test_top_level_keys);
	ADD("tosca-normalised", test_tosca_normalised);
	ADD("cloudify-normalised", test_cloudify_normalised);
	ADD("cloudify-errors", test_cloudify_errors);
	ADD("namespaces", test_namespaces);
	ADD("tosca-nested-imports", test_tosca_nested_imports);
	ADD("syntax-error-keeps-others", test_syntax_error_keeps_others);
	return g_test_run();
}
