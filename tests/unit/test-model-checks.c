/* test-model-checks.c: value and constraint checks seen through
 * model_build() on small blueprints of both dialects, with the shipped
 * types/: errors rendered as `file:line:col: error: message [at path]`. */
#include "dsl/service.h"
#include "model/model.h"
#include "testlib.h"

#include <string.h>

struct fx {
	char *dir;
	char *types;
	const char *dirs[2];
	struct dsl_load_options opts;
};

static void setup(struct fx *fx, gconstpointer data)
{
	fx->dir = test_tmpdir();
	fx->types = test_src_path("types");
	fx->dirs[0] = fx->types;
	fx->dirs[1] = NULL;
	fx->opts.types_dirs = fx->dirs;
}

static void teardown(struct fx *fx, gconstpointer data)
{
	test_rmtree(fx->dir);
	g_free(fx->dir);
	g_free(fx->types);
}

/* Builds the blueprint `text`; returns its errors, one per line, with
 * the directory left out of file names ("" when it builds). */
static char *build(struct fx *fx, const char *text)
{
	g_autofree char *path = g_build_filename(fx->dir, "bp.yaml", NULL);
	g_autofree char *prefix = g_strconcat(fx->dir, "/", NULL);
	GString *out = g_string_new(NULL);
	struct bp_diags d;
	struct dsl_service *svc;
	struct model *m;

	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	bp_diags_init(&d, 0);
	svc = dsl_load(path, &fx->opts, &d);
	m = svc ? model_build(svc, &d) : NULL;
	g_assert_true((m != NULL) == (bp_diags_count(&d) == 0));
	bp_diags_sort(&d);
	for (guint i = 0; i < d.errors->len; i++) {
		g_autofree char *s = bp_error_format(d.errors->pdata[i]);
		g_autofree char *rel = NULL;
		const char *p = strstr(s, prefix);
		if (p)
			rel = g_strconcat(p + strlen(prefix), NULL);
		g_string_append_printf(out, "%s%s", out->len ? "\n" : "",
				       rel ? rel : s);
	}
	model_free(m);
	bp_diags_release(&d);
	return g_string_free(out, FALSE);
}

static const char tosca_types[] =
	"tosca_definitions_version: tosca_simple_yaml_1_3\n"
	"data_types:\n"
	"  Contact:\n"
	"    properties:\n"
	"      name: {type: string, constraints: [{min_length: 2}]}\n"
	"      phone: {type: string, required: false}\n"
	"  People:\n"
	"    properties:\n"
	"      contacts: {type: list, entry_schema: Contact}\n"
	"  HighPort:\n"
	"    derived_from: tosca.datatypes.network.PortDef\n"
	"    constraints: [{greater_than: 1023}]\n"
	"node_types:\n"
	"  App:\n"
	"    derived_from: tosca.nodes.Root\n"
	"    properties:\n"
	"      people: {type: People, required: false}\n"
	"      port: {type: HighPort, required: false}\n"
	"      mem: {type: scalar-unit.size, required: false,\n"
	"            constraints: [{greater_or_equal: 1024 MB}]}\n"
	"      spec: {type: tosca.datatypes.network.PortSpec, "
	"required: false}\n";

static void test_tosca(struct fx *fx, gconstpointer data)
{
	g_autofree char *ok = NULL, *bad = NULL, *text = NULL;

	text = g_strconcat(tosca_types,
		"topology_template:\n"
		"  node_templates:\n"
		"    app:\n"
		"      type: App\n"
		"      properties:\n"
		"        people: {contacts: [{name: Tom, phone: '123'}]}\n"
		"        port: 8080\n"
		"        mem: 4 GB\n"
		"        spec: {source: 80, source_range: [1, 1024]}\n", NULL);
	ok = build(fx, text);
	g_assert_cmpstr(ok, ==, "");
	g_free(text);

	text = g_strconcat(tosca_types,
		"topology_template:\n"
		"  node_templates:\n"
		"    app:\n"
		"      type: App\n"
		"      properties:\n"
		"        people:\n"
		"          contacts:\n"
		"            - {name: T, phone: 123456789}\n"
		"        port: 80\n"
		"        mem: 1000 MB\n"
		"        spec: {source: 2000, source_range: [1, 1024]}\n", NULL);
	bad = build(fx, text);
	g_assert_cmpstr(bad, ==,
		"bp.yaml:29:22: error: value 'T' of "
		"'people.contacts[0].name' is too short: length 1, expected at "
		"least 2 [at node_templates.app.properties.people.contacts[0]."
		"name]\n"
		"bp.yaml:29:32: error: expected a string for "
		"'people.contacts[0].phone', found an integer (123456789) [at "
		"node_templates.app.properties.people.contacts[0].phone]\n"
		"bp.yaml:30:15: error: value 80 of 'port' is not greater than "
		"1023 [at node_templates.app.properties.port]\n"
		"bp.yaml:31:14: error: value '1000 MB' of 'mem' is not greater "
		"than or equal to '1024 MB' [at node_templates.app.properties."
		"mem]\n"
		"bp.yaml:32:24: error: value 2000 of 'spec.source' is out of "
		"range [1, 1024] [at node_templates.app.properties.spec."
		"source]");
}

static void test_tosca_definitions(struct fx *fx, gconstpointer data)
{
	g_autofree char *errs = build(fx,
		"tosca_definitions_version: tosca_simple_yaml_1_3\n"
		"topology_template:\n"
		"  inputs:\n"
		"    size:\n"
		"      type: scalar-unit.size\n"
		"      default: 10\n"
		"      constraints:\n"
		"        - in_range: [1 GB, 2 XB]\n"
		"        - pattern: '[0-9]+'\n");

	g_assert_cmpstr(errs, ==,
		"bp.yaml:6:16: error: missing unit in '10' for 'size': expected "
		"a scalar-unit.size with a unit, one of B, kB, KiB, MB, MiB, "
		"GB, GiB, TB, TiB [at inputs.size]\n"
		"bp.yaml:8:28: error: unknown unit 'XB' in '2 XB' for "
		"constraint 'in_range' of 'size': expected one of B, kB, KiB, "
		"MB, MiB, GB, GiB, TB, TiB [at inputs.size.constraints[0]]\n"
		"bp.yaml:9:11: error: constraint 'pattern' does not apply to "
		"'size' of type 'scalar-unit.size' [at inputs.size."
		"constraints[1]]");
}

static const char cfy_head[] =
	"tosca_definitions_version: cloudify_dsl_1_5\n"
	"imports: [cloudify/types/types.yaml]\n";

/* (model_build stops after a phase with errors: templates come before
 * inputs, so each blueprint here has problems in one phase.) */
static void test_cloudify_inputs(struct fx *fx, gconstpointer data)
{
	g_autofree char *text = g_strconcat(cfy_head,
		"inputs:\n"
		"  x:\n"
		"    default: lorem ipsum\n"
		"    constraints:\n"
		"      - pattern: '(hi)|(ab)'\n"
		"        error_message: The value should be either `hi` or `ab`\n"
		"  y:\n"
		"    constraints: [{max_length: some_string}]\n"
		/* Cloudify's string takes any value */
		"  z:\n"
		"    type: string\n"
		"    default: [5]\n"
		"  w:\n"
		"    type: integer\n"
		"    default: 5\n"
		"    constraints: [{valid_values: [1, 2]}]\n", NULL);
	g_autofree char *errs = build(fx, text);

	g_assert_cmpstr(errs, ==,
		"bp.yaml:5:14: error: value 'lorem ipsum' of 'x' is invalid: "
		"The value should be either `hi` or `ab` [at inputs.x]\n"
		"bp.yaml:10:32: error: invalid argument 'some_string' for "
		"constraint 'max_length' of 'y': expected a non-negative "
		"integer [at inputs.y.constraints[0]]\n"
		"bp.yaml:16:14: error: value 5 of 'w' is not one of [1, 2] [at "
		"inputs.w]");
}

static void test_cloudify_data_types(struct fx *fx, gconstpointer data)
{
	g_autofree char *text = g_strconcat(cfy_head,
		"data_types:\n"
		"  a: {properties: {b: {type: b}}}\n"
		"  b: {properties: {c: {type: integer}, d: {type: regex, "
		"required: false}}}\n"
		"node_types:\n"
		"  t:\n"
		"    derived_from: cloudify.nodes.Root\n"
		"    properties:\n"
		"      a: {type: a}\n"
		"node_templates:\n"
		"  n:\n"
		"    type: t\n"
		"    properties:\n"
		"      a: {b: {c: should_be_int, d: '(', e: 1}}\n", NULL);
	g_autofree char *errs = build(fx, text);
	g_auto(GStrv) lines = g_strsplit(errs, "\n", -1);

	g_assert_cmpuint(g_strv_length(lines), ==, 3);
	g_assert_cmpstr(lines[0], ==,
		"bp.yaml:15:18: error: expected an integer for 'a.b.c', found "
		"a string ('should_be_int') [at node_templates.n.properties.a."
		"b.c]");
	/* the rest of the message is GLib's */
	g_assert_true(g_str_has_prefix(lines[1],
		"bp.yaml:15:36: error: invalid regular expression '(' for "
		"'a.b.d': "));
	g_assert_cmpstr(lines[2], ==,
		"bp.yaml:15:41: error: unknown property 'a.b.e' of data type "
		"'b': expected one of 'c', 'd' [at node_templates.n.properties."
		"a.b.e]");
}

/* retry_interval and timeout take fractions of a second; anything but a
 * number of seconds is an error. */
static void test_cloudify_op_seconds(struct fx *fx, gconstpointer data)
{
	g_autofree char *path = g_build_filename(fx->dir, "bp.yaml", NULL);
	g_autofree char *text = g_strconcat(cfy_head,
		"plugins: {p: {executor: central_deployment_agent, install: false}}\n"
		"node_templates:\n"
		"  n:\n"
		"    type: cloudify.nodes.Root\n"
		"    interfaces:\n"
		"      cloudify.interfaces.lifecycle:\n"
		"        create: {implementation: p.c, retry_interval: 0.2,"
		" timeout: 3}\n", NULL);
	g_autofree char *bad = g_strconcat(cfy_head,
		"plugins: {p: {executor: central_deployment_agent, install: false}}\n"
		"node_templates:\n"
		"  n:\n"
		"    type: cloudify.nodes.Root\n"
		"    interfaces:\n"
		"      cloudify.interfaces.lifecycle:\n"
		"        create: {implementation: p.c, retry_interval: soon,"
		" timeout: -2}\n", NULL);
	g_autofree char *errs = NULL;
	struct bp_diags d;
	struct dsl_service *svc;
	struct model *m;
	const struct model_interface *i;
	const struct model_operation *op;

	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	bp_diags_init(&d, 0);
	svc = dsl_load(path, &fx->opts, &d);
	g_assert_nonnull(svc);
	m = model_build(svc, &d);
	g_assert_nonnull(m);
	i = g_hash_table_lookup(model_node_find(m, "n")->ifaces,
				"cloudify.interfaces.lifecycle");
	op = g_hash_table_lookup(i->ops, "create");
	g_assert_cmpfloat(op->retry_interval, ==, 0.2);
	g_assert_cmpfloat(op->timeout, ==, 3.0);
	g_assert_cmpfloat(((const struct model_operation *)
			   g_hash_table_lookup(i->ops, "start"))->timeout,
			  ==, -1.0);
	model_free(m);
	bp_diags_release(&d);
	errs = build(fx, bad);
	g_assert_nonnull(strstr(errs, "expected a number of seconds for "
				"'retry_interval', found a string"));
	g_assert_nonnull(strstr(errs, "expected a number of seconds for "
				"'timeout', found -2"));
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
#define ADD(name, fn) g_test_add("/model/checks/" name, struct fx, NULL, \
				 setup, fn, teardown)
	ADD("tosca", test_tosca);
	ADD("tosca-definitions", test_tosca_definitions);
	ADD("cloudify-inputs", test_cloudify_inputs);
	ADD("cloudify-data-types", test_cloudify_data_types);
	ADD("cloudify-op-seconds", test_cloudify_op_seconds);
	return g_test_run();
}
