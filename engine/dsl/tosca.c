/* tosca.c: the TOSCA Simple Profile in YAML (1.0-1.3) front end: checks a
 * file's top-level and topology_template keys, follows its imports (string,
 * `name: uri`, or {file, repository, namespace_prefix, namespace_uri}), and
 * adds its definitions to the service in the normalised vocabulary. The
 * main file's topology_template is the blueprint's; an imported file's is
 * kept in its struct dsl_file (it may implement a node type). */
#include "dsl/loader.h"

#include <string.h>

static const char *const top_keys[] = {
	"tosca_definitions_version", "namespace", "metadata", "description",
	"dsl_definitions", "repositories", "imports", "artifact_types",
	"data_types", "capability_types", "interface_types",
	"relationship_types", "node_types", "group_types", "policy_types",
	"topology_template", "template_name", "template_author",
	"template_version", NULL
};

static const char *const topology_keys[] = {
	"description", "inputs", "node_templates", "relationship_templates",
	"groups", "policies", "outputs", "substitution_mappings", "workflows",
	NULL
};

/* substitution_mappings keys by version: 1.2 added interfaces (and
 * properties, which tosca-parser accepts in 1.0 already), 1.3 attributes
 * and the substitution filter. */
static const char *const subst_keys[][8] = {
	{ "node_type", "capabilities", "requirements", "properties", NULL },
	{ "node_type", "capabilities", "requirements", "properties",
	  "interfaces", NULL },
	{ "node_type", "capabilities", "requirements", "properties",
	  "interfaces", "attributes", "substitution_filter", NULL },
};

static const char *const import_keys[] = {
	"file", "repository", "namespace_uri", "namespace_prefix", NULL
};

/* The URL a repository import points at: the repository's url + file. */
static char *repository_url(struct dsl_loader *ld, const struct dsl_file *f,
			    const struct dsl_node *repo,
			    const char *file)
{
	const struct dsl_node *def = dsl_map_get(
		dsl_map_get(f->doc->root, "repositories"), dsl_str(repo));
	const char *url = dsl_is_map(def) ? dsl_str(dsl_map_get(def, "url")) :
			  dsl_str(def);

	if (!url) {
		dsl__error(ld, repo, "imports", "unknown repository '%s'",
			   dsl_scalar(repo) ? dsl_scalar(repo) : "");
		return NULL;
	}
	return g_strconcat(url, g_str_has_suffix(url, "/") ? "" : "/", file,
			   NULL);
}

/* {file, repository, namespace_prefix, namespace_uri} */
static void import_long_form(struct dsl_loader *ld, struct dsl_file *f,
			     const struct dsl_node *def)
{
	const struct dsl_node *file = dsl_map_get(def, "file");
	const struct dsl_node *repo = dsl_map_get(def, "repository");
	const char *prefix = dsl_str(dsl_map_get(def, "namespace_prefix"));
	g_autofree char *ns = prefix ? g_strconcat(prefix, ":", NULL) : NULL;
	g_autofree char *url = NULL;

	if (!dsl__check_keys(ld, def, "imports", import_keys))
		return;
	if (!dsl_str(file)) {
		dsl__error(ld, def, "imports", "expected a 'file' string in "
			   "an import definition");
		return;
	}
	if (repo) {
		url = repository_url(ld, f, repo, dsl_str(file));
		if (url)
			dsl__load_import(ld, f, url, file, ns);
		return;
	}
	dsl__load_import(ld, f, dsl_str(file), file, ns);
}

static void follow_imports(struct dsl_loader *ld, struct dsl_file *f,
			   const struct dsl_node *imports)
{
	if (!imports || dsl_is_null(imports))
		return;
	if (!dsl_is_seq(imports)) {
		dsl__error(ld, imports, "imports", "expected a list for "
			   "'imports', found %s", dsl_type_name_a(imports));
		return;
	}
	for (uint32_t i = 0; i < imports->u.seq.n; i++) {
		const struct dsl_node *im = imports->u.seq.items[i];
		const struct dsl_node *v;

		if (dsl_str(im)) {
			dsl__load_import(ld, f, dsl_str(im), im, NULL);
			continue;
		}
		if (!dsl_is_map(im)) {
			dsl__error(ld, im, "imports", "expected an import (a "
				   "string or a map), found %s",
				   dsl_type_name_a(im));
			continue;
		}
		/* 1.2+: {file: ...}; 1.0: {name: uri} or {name: {file...}} */
		if (dsl_map_get(im, "file")) {
			import_long_form(ld, f, im);
			continue;
		}
		if (im->u.map.n != 1) {
			dsl__error(ld, im, "imports", "expected an import "
				   "definition with 'file' or one named "
				   "import");
			continue;
		}
		v = im->u.map.items[0].value;
		if (dsl_str(v))
			dsl__load_import(ld, f, dsl_str(v), v, NULL);
		else if (dsl_is_map(v))
			import_long_form(ld, f, v);
		else
			dsl__error(ld, v, "imports", "expected a file name or "
				   "an import definition, found %s",
				   dsl_type_name_a(v));
	}
}

/* TOSCA policies are a list of one-key maps; the service keeps a map. */
static void add_policies(struct dsl_loader *ld, struct dsl_file *f,
			 const struct dsl_node *pol)
{
	if (dsl_is_null(pol))
		return;
	if (dsl_is_map(pol)) {
		dsl__add_all(ld, DSL_SEC_POLICIES, pol, f, "policies");
		return;
	}
	if (!dsl_is_seq(pol)) {
		dsl__error(ld, pol, "policies", "expected a list for "
			   "'policies', found %s", dsl_type_name_a(pol));
		return;
	}
	for (uint32_t i = 0; i < pol->u.seq.n; i++) {
		const struct dsl_node *p = pol->u.seq.items[i];
		if (!dsl_is_map(p) || p->u.map.n != 1) {
			dsl__error(ld, p, "policies", "expected a policy as a "
				   "map with one key (its name)");
			continue;
		}
		dsl__add_entry(ld, DSL_SEC_POLICIES, dsl_key(&p->u.map.items[0]),
			       p->u.map.items[0].key, p->u.map.items[0].value, f);
	}
}

/* A topology's substitution_mappings: its keys for the file's version;
 * NULL after reporting (or when there are none). */
static struct dsl_node *norm_substitution(struct dsl_loader *ld,
					  const struct dsl_node *sm,
					  const struct dsl_version *v)
{
	const struct dsl_pair *fp;
	const struct dsl_node *nf;
	struct dsl_node *out;

	if (dsl_is_null(sm))
		return NULL;
	if (!dsl__expect_map(ld, sm, "substitution_mappings", false) ||
	    !dsl__check_keys(ld, sm, "substitution_mappings",
			     subst_keys[v->minor >= 3 ? 2 : v->minor == 2]))
		return NULL;
	fp = dsl_map_pair(sm, "substitution_filter");
	nf = fp ? dsl_map_get(fp->value, "node_filter") : NULL;
	if (!nf || dsl_len(fp->value) != 1)
		return (struct dsl_node *)sm;
	out = dsl__copy_map(ld, sm);
	dsl_map_put(ld->svc->synth, out, fp->key, (struct dsl_node *)nf);
	return out;
}

static void collect_topology(struct dsl_loader *ld, struct dsl_file *f,
			     struct dsl_node *tt, bool is_main,
			     const struct dsl_version *v)
{
	if (!dsl__expect_map(ld, tt, "topology_template", true) ||
	    !dsl__check_keys(ld, tt, "topology_template", topology_keys))
		return;
	f->substitution_mappings = norm_substitution(
		ld, dsl_map_get(tt, "substitution_mappings"), v);
	if (!is_main) {
		f->topology = tt;
		return;
	}
	dsl__add_all(ld, DSL_SEC_INPUTS, dsl_map_get(tt, "inputs"), f,
		     "topology_template.inputs");
	dsl__add_definitions(ld, DSL_SEC_NODE_TEMPLATES,
			     dsl_map_get(tt, "node_templates"), f,
			     DSL_DIALECT_TOSCA, true);
	dsl__add_definitions(ld, DSL_SEC_RELATIONSHIP_TEMPLATES,
			     dsl_map_get(tt, "relationship_templates"), f,
			     DSL_DIALECT_TOSCA, true);
	dsl__add_all(ld, DSL_SEC_GROUPS, dsl_map_get(tt, "groups"), f,
		     "topology_template.groups");
	add_policies(ld, f, dsl_map_get(tt, "policies"));
	dsl__add_all(ld, DSL_SEC_OUTPUTS, dsl_map_get(tt, "outputs"), f,
		     "topology_template.outputs");
	dsl__add_all(ld, DSL_SEC_WORKFLOWS, dsl_map_get(tt, "workflows"), f,
		     "topology_template.workflows");
	ld->svc->substitution_mappings = f->substitution_mappings;
	if (!ld->svc->description)
		ld->svc->description = dsl_map_get(tt, "description");
}

void dsl__tosca_collect(struct dsl_loader *ld, struct dsl_file *f,
			const struct dsl_version *v)
{
	static const struct {
		const char *key;
		enum dsl_section sec;
	} types[] = {
		{ "data_types", DSL_SEC_DATA_TYPES },
		{ "artifact_types", DSL_SEC_ARTIFACT_TYPES },
		{ "capability_types", DSL_SEC_CAPABILITY_TYPES },
		{ "interface_types", DSL_SEC_INTERFACE_TYPES },
		{ "relationship_types", DSL_SEC_RELATIONSHIP_TYPES },
		{ "node_types", DSL_SEC_NODE_TYPES },
		{ "group_types", DSL_SEC_GROUP_TYPES },
		{ "policy_types", DSL_SEC_POLICY_TYPES },
	};
	const struct dsl_node *root = f->doc->root;
	bool is_main = ld->svc->files->len == 1;
	struct dsl_node *tt;

	if (!dsl__check_keys(ld, root, "the top level", top_keys))
		return;
	follow_imports(ld, f, dsl_map_get(root, "imports"));
	dsl__add_all(ld, DSL_SEC_REPOSITORIES, dsl_map_get(root, "repositories"),
		     f, "repositories");
	for (size_t i = 0; i < G_N_ELEMENTS(types); i++)
		dsl__add_definitions(ld, types[i].sec,
				     dsl_map_get(root, types[i].key), f,
				     DSL_DIALECT_TOSCA, false);
	tt = dsl_map_get(root, "topology_template");
	if (tt)
		collect_topology(ld, f, tt, is_main, v);
	if (is_main) {
		if (dsl_map_get(root, "description"))
			ld->svc->description = dsl_map_get(root, "description");
		ld->svc->metadata = dsl_map_get(root, "metadata");
	}
}
