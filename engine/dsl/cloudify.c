/* cloudify.c: the Cloudify DSL (cloudify_dsl_1_0 .. 1_5) front end: checks
 * a file's top-level keys and the plugin declarations, follows its imports
 * (`ns--path` gives a namespace), and adds its definitions in the
 * normalised vocabulary: node templates' `relationships` become
 * requirements, `instances.deploy` becomes the scalable capability. */
#include "dsl/loader.h"

#include <string.h>

static const char *const top_keys[] = {
	"tosca_definitions_version", "description", "imports",
	"dsl_definitions", "inputs", "node_templates", "node_types",
	"relationships", "plugins", "workflows", "outputs", "policy_types",
	"policy_triggers", "groups", "policies", "data_types", "capabilities",
	"metadata", "blueprint_labels", "labels", "resource_tags",
	"upload_resources", NULL
};

static const char *const relationship_keys[] = {
	"type", "target", "properties", "source_interfaces",
	"target_interfaces", NULL
};

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
		const char *uri = dsl_str(im);
		const char *sep;
		g_autofree char *ns = NULL;

		if (!uri) {
			dsl__error(ld, im, "imports", "expected a string in "
				   "'imports', found %s", dsl_type_name_a(im));
			continue;
		}
		/* "ns--path": definitions of path get the prefix "ns--". */
		sep = strstr(uri, "--");
		if (sep && !strstr(uri, "://") && sep > uri &&
		    !memchr(uri, '/', (size_t)(sep - uri))) {
			ns = g_strndup(uri, (size_t)(sep - uri) + 2);
			uri = sep + 2;
		}
		dsl__load_import(ld, f, uri, im, ns);
	}
}

/* A plugin that is installed needs somewhere to install it from. */
static void check_plugins(struct dsl_loader *ld, const struct dsl_node *plugins)
{
	for (uint32_t i = 0; i < dsl_len(plugins); i++) {
		const struct dsl_pair *p = &plugins->u.map.items[i];
		g_autofree char *path = g_strconcat("plugins.", dsl_key(p), NULL);
		bool install = true;

		if (!dsl__expect_map(ld, p->value, path, false))
			continue;
		if (!dsl_map_get(p->value, "executor"))
			dsl__error(ld, p->key, path, "missing required key "
				   "'executor' in plugin '%s'", dsl_key(p));
		dsl_as_bool(dsl_map_get(p->value, "install"), &install);
		if (install && !dsl_map_get(p->value, "source") &&
		    !dsl_map_get(p->value, "package_name"))
			dsl__error(ld, p->key, path, "plugin '%s' is to be "
				   "installed but declares neither 'source' "
				   "nor 'package_name'", dsl_key(p));
	}
}

/* A Cloudify relationship to a REQUIREMENT (service.h). */
static struct dsl_node *relationship_to_requirement(struct dsl_loader *ld,
						    const struct dsl_node *r,
						    const char *path)
{
	static const char *const iface_keys[] = {
		"source_interfaces", "target_interfaces", NULL
	};
	struct dsl_doc *doc = ld->svc->synth;
	const struct dsl_node *type = dsl_map_get(r, "type");
	const struct dsl_node *target = dsl_map_get(r, "target");
	struct dsl_node *req, *rel;
	const struct dsl_pair *props;

	if (!dsl__expect_map(ld, r, path, false) ||
	    !dsl__check_keys(ld, r, path, relationship_keys))
		return NULL;
	if (!dsl_str(type) || !dsl_str(target)) {
		dsl__error(ld, r, path, "missing required key '%s' in a "
			   "relationship (a string)",
			   dsl_str(type) ? "target" : "type");
		return NULL;
	}
	rel = dsl_new_map(doc, &r->mark, 4);
	dsl_map_put(doc, rel, dsl_map_pair(r, "type")->key, (struct dsl_node *)type);
	props = dsl_map_pair(r, "properties");
	if (props)
		dsl_map_put(doc, rel, props->key, props->value);
	for (size_t k = 0; iface_keys[k]; k++) {
		const struct dsl_pair *p = dsl_map_pair(r, iface_keys[k]);
		struct dsl_node *n;
		if (!p)
			continue;
		n = dsl__norm_interfaces(ld, p->value, DSL_DIALECT_CLOUDIFY,
					 path);
		if (!n)
			return NULL;
		dsl_map_put(doc, rel, p->key, n);
	}
	req = dsl_new_map(doc, &r->mark, 3);
	dsl_map_put(doc, req, dsl_new_str(doc, &type->mark, "name"),
		    (struct dsl_node *)type);
	dsl_map_put(doc, req, dsl_new_str(doc, &target->mark, "node"),
		    (struct dsl_node *)target);
	dsl_map_put(doc, req, dsl_new_str(doc, &r->mark, "relationship"), rel);
	return req;
}

/* instances: {deploy: N} -> capabilities: {scalable: {properties:
 * {default_instances: N}}} */
static struct dsl_node *instances_to_capability(struct dsl_loader *ld,
						const struct dsl_pair *inst,
						const struct dsl_node *caps,
						const char *name)
{
	struct dsl_doc *doc = ld->svc->synth;
	const struct dsl_node *deploy = dsl_map_get(inst->value, "deploy");
	struct dsl_node *props, *scalable, *out;
	const struct bp_mark *m = &inst->key->mark;
	g_autofree char *path = g_strconcat("node_templates.", name, NULL);

	/* a Cloudify node's capabilities hold only `scalable`: having both
	 * keys is a conflict even when `capabilities` is empty, as
	 * dsl_parser has it */
	if (caps) {
		dsl__error(ld, inst->key, path, "node '%s' defines both "
			   "'instances' and 'capabilities'; 'instances.deploy' "
			   "is deprecated: use only "
			   "'capabilities.scalable'", name);
		return NULL;
	}
	if (!deploy) {
		dsl__error(ld, inst->value, path, "expected 'deploy' in "
			   "'instances' of node '%s'", name);
		return NULL;
	}
	props = dsl_new_map(doc, m, 1);
	dsl_map_put(doc, props, dsl_new_str(doc, m, "default_instances"),
		    (struct dsl_node *)deploy);
	scalable = dsl_new_map(doc, m, 1);
	dsl_map_put(doc, scalable, dsl_new_str(doc, m, "properties"), props);
	out = dsl_new_map(doc, m, 1);
	dsl_map_put(doc, out, dsl_new_str(doc, m, "scalable"), scalable);
	return out;
}

static struct dsl_node *norm_node_template(struct dsl_loader *ld,
					   const struct dsl_pair *p)
{
	struct dsl_doc *doc = ld->svc->synth;
	g_autofree char *path = g_strconcat("node_templates.", dsl_key(p), NULL);
	struct dsl_node *def, *out, *reqs;
	const struct dsl_node *rels;
	const struct dsl_pair *inst;
	uint32_t n;

	def = dsl__norm_definition(ld, p->value, DSL_DIALECT_CLOUDIFY, true,
				   path);
	if (!def)
		return NULL;
	out = dsl_new_map(doc, &def->mark, dsl_len(def) + 2);
	for (uint32_t i = 0; i < def->u.map.n; i++) {
		const char *k = dsl_key(&def->u.map.items[i]);
		if (strcmp(k, "relationships") && strcmp(k, "instances"))
			dsl_map_put(doc, out, def->u.map.items[i].key,
				    def->u.map.items[i].value);
	}
	rels = dsl_map_get(def, "relationships");
	if (rels && !dsl_is_null(rels)) {
		g_autofree char *rpath = g_strconcat(path, ".relationships",
						     NULL);
		if (!dsl_is_seq(rels)) {
			dsl__error(ld, rels, rpath, "expected a list for "
				   "'relationships', found %s",
				   dsl_type_name_a(rels));
			return NULL;
		}
		reqs = dsl_new_seq(doc, &rels->mark, rels->u.seq.n);
		for (n = 0; n < rels->u.seq.n; n++) {
			reqs->u.seq.items[n] = relationship_to_requirement(
				ld, rels->u.seq.items[n], rpath);
			if (!reqs->u.seq.items[n])
				return NULL;
		}
		/* The vocabulary's name for them is "requirements". */
		dsl_map_put(doc, out, dsl_new_str(doc,
				&dsl_map_pair(def, "relationships")->key->mark,
				"requirements"), reqs);
	}
	inst = dsl_map_pair(def, "instances");
	if (inst) {
		const struct dsl_pair *cp = dsl_map_pair(def, "capabilities");
		struct dsl_node *caps = instances_to_capability(
			ld, inst, cp ? cp->value : NULL, dsl_key(p));
		if (!caps)
			return NULL;
		dsl_map_put(doc, out, dsl_new_str(doc, &inst->key->mark,
						  "capabilities"), caps);
	}
	return out;
}

static void add_node_templates(struct dsl_loader *ld, struct dsl_file *f,
			       const struct dsl_node *nts)
{
	if (!nts || !dsl__expect_map(ld, nts, "node_templates", true))
		return;
	for (uint32_t i = 0; i < dsl_len(nts); i++) {
		const struct dsl_pair *p = &nts->u.map.items[i];
		struct dsl_node *def = norm_node_template(ld, p);
		if (def)
			dsl__add_entry(ld, DSL_SEC_NODE_TEMPLATES, dsl_key(p),
				       p->key, def, f);
	}
}

/* workflows: `name: plugin.op` -> {mapping: plugin.op} */
static void add_workflows(struct dsl_loader *ld, struct dsl_file *f,
			  const struct dsl_node *wfs)
{
	struct dsl_doc *doc = ld->svc->synth;

	if (!wfs || !dsl__expect_map(ld, wfs, "workflows", true))
		return;
	for (uint32_t i = 0; i < dsl_len(wfs); i++) {
		const struct dsl_pair *p = &wfs->u.map.items[i];
		struct dsl_node *def = p->value;
		if (dsl_is_scalar(def)) {
			def = dsl_new_map(doc, &p->value->mark, 1);
			dsl_map_put(doc, def, dsl_new_str(doc, &p->value->mark,
							  "mapping"), p->value);
		}
		dsl__add_entry(ld, DSL_SEC_WORKFLOWS, dsl_key(p), p->key, def, f);
	}
}

void dsl__cloudify_collect(struct dsl_loader *ld, struct dsl_file *f,
			   const struct dsl_version *v)
{
	const struct dsl_node *root = f->doc->root;
	bool is_main = ld->svc->files->len == 1;
	const struct dsl_pair *dt;

	if (!dsl__check_keys(ld, root, "the top level", top_keys))
		return;
	follow_imports(ld, f, dsl_map_get(root, "imports"));
	/* before cloudify_dsl_1_2 data_types are an error the model reports
	 * (DSL_FEAT_DATA_TYPES) beside what is wrong in them */
	dt = dsl_map_pair(root, "data_types");
	if (dt)
		dsl__add_definitions(ld, DSL_SEC_DATA_TYPES, dt->value, f,
				     DSL_DIALECT_CLOUDIFY, false);
	dsl__add_definitions(ld, DSL_SEC_NODE_TYPES,
			     dsl_map_get(root, "node_types"), f,
			     DSL_DIALECT_CLOUDIFY, false);
	dsl__add_definitions(ld, DSL_SEC_RELATIONSHIP_TYPES,
			     dsl_map_get(root, "relationships"), f,
			     DSL_DIALECT_CLOUDIFY, false);
	dsl__add_all(ld, DSL_SEC_POLICY_TYPES, dsl_map_get(root, "policy_types"),
		     f, "policy_types");
	dsl__add_all(ld, DSL_SEC_POLICY_TRIGGERS,
		     dsl_map_get(root, "policy_triggers"), f, "policy_triggers");
	if (dsl__expect_map(ld, dsl_map_get(root, "plugins"), "plugins", true))
		check_plugins(ld, dsl_map_get(root, "plugins"));
	dsl__add_all(ld, DSL_SEC_PLUGINS, dsl_map_get(root, "plugins"), f,
		     "plugins");
	add_workflows(ld, f, dsl_map_get(root, "workflows"));
	dsl__add_all(ld, DSL_SEC_INPUTS, dsl_map_get(root, "inputs"), f,
		     "inputs");
	add_node_templates(ld, f, dsl_map_get(root, "node_templates"));
	dsl__add_all(ld, DSL_SEC_GROUPS, dsl_map_get(root, "groups"), f,
		     "groups");
	dsl__add_all(ld, DSL_SEC_POLICIES, dsl_map_get(root, "policies"), f,
		     "policies");
	dsl__add_all(ld, DSL_SEC_OUTPUTS, dsl_map_get(root, "outputs"), f,
		     "outputs");
	dsl__add_all(ld, DSL_SEC_CAPABILITIES, dsl_map_get(root, "capabilities"),
		     f, "capabilities");
	if (is_main) {
		ld->svc->description = dsl_map_get(root, "description");
		ld->svc->metadata = dsl_map_get(root, "metadata");
	}
}
