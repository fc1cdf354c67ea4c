/* template.c: node templates: typed, property values assigned over the
 * type's defaults (unknown and missing required properties are errors),
 * operations merged with the type's, capabilities and instance counts,
 * operation implementations checked against the declared plugins and the
 * scripts beside the blueprint, host-agent operations on hosted nodes only.
 * Requirements are rel.c's. */
#include "model/internal.h"
#include "model/value.h"

#include <limits.h>
#include <string.h>

static const char *const node_keys[] = {
	"type", "description", "properties", "attributes", "interfaces",
	"requirements", "capabilities", "artifacts", "node_filter",
	"directives", "copy", "metadata", NULL
};

static bool check_keys(struct model_builder *b, const struct dsl_node *def,
		       const char *name, const char *path)
{
	bool ok = true;

	for (uint32_t i = 0; i < dsl_len(def); i++) {
		const struct dsl_pair *p = &def->u.map.items[i];
		size_t k;
		for (k = 0; node_keys[k]; k++)
			if (!strcmp(node_keys[k], dsl_key(p)))
				break;
		if (!node_keys[k]) {
			g_autofree char *list = g_strjoinv("', '",
							   (char **)node_keys);
			ok = model__error(b, p->key, path, "unknown key '%s' in "
					  "node template '%s'; expected one of "
					  "'%s'", dsl_key(p), name, list);
		}
	}
	return ok;
}

/* Assigns `values` over the definitions in `defs`: unknown names and
 * missing required values are errors; defaults fill the rest. `what` is
 * "property" or "attribute"; `owner` names the node for messages. */
bool model__assign(struct model_builder *b, GHashTable *out,
		   GHashTable *defs, GPtrArray *order,
		   const struct dsl_node *values,
		   const struct dsl_node *owner_at, bool fill_required,
		   const char *what, const char *owner, const char *path)
{
	bool ok = true;

	if (!dsl_is_null(values) && !dsl_is_map(values))
		return model__error(b, values, path, "expected a map of %s "
				    "values, found %s", what,
				    dsl_type_name_a(values));
	for (uint32_t i = 0; i < dsl_len(values); i++) {
		const struct dsl_pair *p = &values->u.map.items[i];
		g_autofree char *vpath = g_strconcat(path, ".", dsl_key(p), NULL);
		struct model_prop *d = defs ? g_hash_table_lookup(defs, dsl_key(p))
					    : NULL;
		if (!d) {
			ok = model__error(b, p->key, vpath, "unknown %s '%s' of "
					  "%s", what, dsl_key(p), owner);
			continue;
		}
		ok &= model_check_value(b->m, d, p->value, vpath, b->diags);
		g_hash_table_insert(out, (gpointer)d->name, p->value);
	}
	for (guint i = 0; order && i < order->len; i++) {
		struct model_prop *d = order->pdata[i];
		if (g_hash_table_contains(out, d->name))
			continue;
		if (d->default_value) {
			g_hash_table_insert(out, (gpointer)d->name,
					    (gpointer)d->default_value);
		} else if (fill_required && d->required) {
			ok = model__error(b, dsl_is_map(values) ? values :
					  owner_at, path, "missing required "
					  "%s '%s' of %s",
					  what, d->name, owner);
		}
	}
	return ok;
}

static bool instances(struct model_builder *b, struct model_node *n,
		      const struct dsl_node *scalable, const char *path)
{
	const struct dsl_node *props = dsl_map_get(scalable, "properties");
	static const char *const names[] = {
		"default_instances", "min_instances", "max_instances",
		"planned_instances", "current_instances", NULL
	};
	unsigned *fields[] = { &n->default_instances, &n->min_instances,
			       &n->max_instances };
	bool ok = true;

	n->default_instances = 1;
	n->min_instances = 0;
	n->max_instances = UINT_MAX;
	n->scalable = props;
	for (uint32_t i = 0; i < dsl_len(props); i++) {
		const struct dsl_pair *p = &props->u.map.items[i];
		int64_t v;
		size_t k;
		for (k = 0; names[k]; k++)
			if (!strcmp(names[k], dsl_key(p)))
				break;
		if (!names[k]) {
			ok = model__error(b, p->key, path, "unknown property "
					  "'%s' of the scalable capability",
					  dsl_key(p));
			continue;
		}
		if (k >= 3 || model_is_function_call(p->value))
			continue;
		if (dsl_as_int(p->value, &v) && v == -1 && k == 2)
			continue;       /* Cloudify's "unbounded" */
		if (dsl_str(p->value) && !strcmp(dsl_str(p->value), "UNBOUNDED"))
			continue;
		if (!dsl_as_int(p->value, &v) || v < 0 || v > INT32_MAX) {
			ok = model__error(b, p->value, path, "expected a "
					  "non-negative integer for '%s', "
					  "found %s", dsl_key(p),
					  dsl_type_name(p->value));
			continue;
		}
		*fields[k] = (unsigned)v;
	}
	if (n->default_instances > n->max_instances)
		ok = model__error(b, scalable, path, "default_instances (%u) "
				  "cannot be greater than max_instances (%u) "
				  "of node '%s'", n->default_instances,
				  n->max_instances, n->name);
	if (n->default_instances < n->min_instances)
		ok = model__error(b, scalable, path, "default_instances (%u) "
				  "cannot be less than min_instances (%u) of "
				  "node '%s'", n->default_instances,
				  n->min_instances, n->name);
	return ok;
}

static bool capabilities(struct model_builder *b, struct model_node *n,
			 const struct dsl_node *caps, const char *path)
{
	bool ok = true;

	n->caps = model__table(b->m);
	n->default_instances = 1;
	n->max_instances = UINT_MAX;
	if (!dsl_is_null(caps) && !dsl_is_map(caps))
		return model__error(b, caps, path, "expected a map for "
				    "'capabilities', found %s",
				    dsl_type_name_a(caps));
	for (uint32_t i = 0; i < dsl_len(caps); i++) {
		const struct dsl_pair *p = &caps->u.map.items[i];
		g_autofree char *cpath = g_strconcat(path, ".", dsl_key(p), NULL);
		struct model_capdef *d = g_hash_table_lookup(n->type->caps,
							     dsl_key(p));
		GHashTable *vals = model__table(b->m);
		g_autofree char *owner = g_strdup_printf(
			"capability '%s' of node '%s'", dsl_key(p), n->name);

		if (!strcmp(dsl_key(p), "scalable")) {
			ok &= instances(b, n, p->value, cpath);
			if (!d)
				continue;
		}
		if (!d) {
			ok = model__error(b, p->key, cpath, "unknown capability "
					  "'%s' of node '%s' (type '%s')",
					  dsl_key(p), n->name, n->type->name);
			continue;
		}
		ok &= model__assign(b, vals, d->type->props, NULL,
				    dsl_map_get(p->value, "properties"), NULL,
				    false,
				    "property", owner, cpath);
		g_hash_table_insert(n->caps, (gpointer)d->name, vals);
	}
	return ok;
}

/* The declared plugin a Cloudify operation maps to (`plugin.op`), or
 * NULL. */
static const struct dsl_node *op_plugin(const struct model *m,
					const char *impl)
{
	const char *dot = impl ? strchr(impl, '.') : NULL;
	g_autofree char *plugin = NULL;

	if (!dot || strchr(impl, '/'))
		return NULL;
	plugin = g_strndup(impl, (size_t)(dot - impl));
	return g_hash_table_lookup(m->plugins, plugin);
}

/* A Cloudify operation names a declared plugin (`plugin.op`) or a script
 * beside the blueprint (each script is looked for once). */
static bool check_implementation(struct model_builder *b,
				 const struct model_node *n,
				 const struct model_operation *op,
				 const char *path)
{
	const char *impl = op->implementation;
	gpointer seen;

	if (!impl || !(n->entry->file->features & DSL_FEAT_CFY_OPS) ||
	    op_plugin(b->m, impl))
		return true;
	if (!b->scripts)
		b->scripts = model__table(b->m);
	seen = g_hash_table_lookup(b->scripts, impl);
	if (!seen) {
		g_autofree char *dir = g_path_get_dirname(
			dsl_service_main(b->m->svc)->path);
		g_autofree char *file = g_build_filename(dir, impl, NULL);
		seen = GINT_TO_POINTER(g_file_test(file,
						   G_FILE_TEST_IS_REGULAR) ?
				       1 : 2);
		g_hash_table_insert(b->scripts, (gpointer)impl, seen);
	}
	if (GPOINTER_TO_INT(seen) == 1)
		return true;
	return model__error(b, op->impl_node, path, "operation '%s' of node "
			    "'%s': '%s' is neither a declared plugin's "
			    "operation nor a script found beside the "
			    "blueprint", op->name, n->name, impl);
}

/* Typed operation inputs without a default need a value (Cloudify). */
static bool check_op_inputs(struct model_builder *b,
			    const struct model_node *n,
			    const struct model_operation *op,
			    const char *path)
{
	GHashTableIter it;
	gpointer v;
	bool ok = true;

	g_hash_table_iter_init(&it, op->input_defs);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct model_prop *d = v;
		const struct dsl_node *val = g_hash_table_lookup(op->inputs,
								 d->name);
		if (val) {
			ok &= model_check_value(b->m, d, val, path, b->diags);
			continue;
		}
		if (d->default_value || !d->required ||
		    !(n->entry->file->features & DSL_FEAT_REQUIRED_OP_INPUTS))
			continue;
		ok = model__error_at(b, &op->mark, path, "input '%s' of "
				     "operation '%s' of node '%s' is missing a "
				     "value", d->name, op->name, n->name);
	}
	return ok;
}

/* Checks every operation of a node. An operation object found fine once
 * is fine for every node that shares it (a type's operations that
 * templates do not override), in files of the same features. */
static bool check_operations(struct model_builder *b, struct model_node *n,
			     const char *path)
{
	gpointer tag = GUINT_TO_POINTER(n->entry->file->features + 1);
	GHashTableIter it;
	gpointer v;
	bool ok = true;

	if (!b->ops_ok)
		b->ops_ok = g_hash_table_new(NULL, NULL);
	g_hash_table_iter_init(&it, n->ifaces);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct model_interface *i = v;
		for (guint k = 0; k < i->op_order->len; k++) {
			struct model_operation *op = i->op_order->pdata[k];
			g_autofree char *opath = NULL;
			bool op_ok;

			if (g_hash_table_lookup(b->ops_ok, op) == tag)
				continue;
			opath = g_strconcat(path, ".interfaces.", i->name, ".",
					    op->name, NULL);
			op_ok = check_implementation(b, n, op, opath);
			op_ok &= check_op_inputs(b, n, op, opath);
			if (op_ok)
				g_hash_table_insert(b->ops_ok, op, tag);
			ok &= op_ok;
		}
	}
	return ok;
}

static struct model_node *node_new(struct model_builder *b,
				   const struct dsl_entry *e)
{
	struct model *m = b->m;
	struct model_node *n;
	const struct dsl_node *type = dsl_map_get(e->def, "type");
	g_autofree char *path = g_strconcat("node_templates.", e->name, NULL);

	if (!check_keys(b, e->def, e->name, path))
		return NULL;
	if (!dsl_str(type)) {
		model__error_at(b, type ? &type->mark : &e->mark, path,
				"missing required 'type' (a string) of node "
				"template '%s'", e->name);
		return NULL;
	}
	n = model__new(m, struct model_node);
	n->name = e->name;
	n->entry = e;
	n->type = model_type_find(m, MODEL_NODE_TYPE, dsl_str(type));
	if (!n->type && e->file->ns_prefix) {
		g_autofree char *full = g_strconcat(e->file->ns_prefix,
						    dsl_str(type), NULL);
		n->type = model_type_find(m, MODEL_NODE_TYPE, full);
	}
	if (!n->type) {
		model__error(b, type, path, "unknown node type '%s' of node "
			     "template '%s'", dsl_str(type), e->name);
		return NULL;
	}
	n->props = model__table(m);
	n->attrs = model__table(m);
	n->rels = model__array(m);
	n->artifacts = dsl_map_get(e->def, "artifacts");
	return n;
}

static bool fill_node(struct model_builder *b, struct model_node *n)
{
	const struct dsl_node *def = n->entry->def;
	g_autofree char *path = g_strconcat("node_templates.", n->name, NULL);
	g_autofree char *ppath = g_strconcat(path, ".properties", NULL);
	g_autofree char *apath = g_strconcat(path, ".attributes", NULL);
	g_autofree char *ipath = g_strconcat(path, ".interfaces", NULL);
	g_autofree char *cpath = g_strconcat(path, ".capabilities", NULL);
	g_autofree char *owner = g_strdup_printf("node '%s' (type '%s')",
						 n->name, n->type->name);
	bool ok = true;

	ok &= model__assign(b, n->props, n->type->props, n->type->prop_order,
			    dsl_map_get(def, "properties"), def, true,
			    "property", owner, ppath);
	ok &= model__assign(b, n->attrs, n->type->attrs, NULL,
			    dsl_map_get(def, "attributes"), NULL, false,
			    "attribute", owner, apath);
	n->ifaces = model__ifaces_merge(b, n->type->ifaces,
					dsl_map_get(def, "interfaces"), true,
					ipath);
	if (!n->ifaces)
		return false;
	ok &= capabilities(b, n, dsl_map_get(def, "capabilities"), cpath);
	ok &= check_operations(b, n, path);
	if (dsl_map_get(def, "node_filter")) {
		g_autofree char *fpath = g_strconcat(path, ".node_filter", NULL);
		g_autofree char *what = g_strdup_printf(
			"the node filter of node template '%s'", n->name);
		ok &= model__check_node_filter(b, dsl_map_get(def, "node_filter"),
					       what, fpath);
	}
	return ok;
}

/* An operation run by the host agent needs a host: the node is a
 * cloudify.nodes.Compute or is contained in one. The executor is the
 * operation's own, else its plugin's. */
static bool check_agent_ops(struct model_builder *b, const struct model_node *n)
{
	GHashTableIter it;
	gpointer v;
	bool ok = true;

	if (!(n->entry->file->features & DSL_FEAT_CFY_OPS) || n->host ||
	    model_type_is_named(n->type, "cloudify.nodes.Compute"))
		return true;
	g_hash_table_iter_init(&it, n->ifaces);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct model_interface *i = v;
		for (guint k = 0; k < i->op_order->len; k++) {
			const struct model_operation *op = i->op_order->pdata[k];
			const struct dsl_node *plugin = op_plugin(
				b->m, op->implementation);
			const char *ex = op->executor ? op->executor :
				dsl_str(dsl_map_get(plugin, "executor"));
			g_autofree char *path = NULL;
			g_autofree char *pname = NULL;

			if (!plugin || g_strcmp0(ex, "host_agent"))
				continue;
			path = g_strconcat("node_templates.", n->name,
					   ".interfaces.", i->name, ".",
					   op->name, NULL);
			pname = g_strndup(op->implementation,
					  strcspn(op->implementation, "."));
			ok = model__error(b, op->impl_node, path, "operation "
					  "'%s' of node '%s' runs on the host "
					  "agent (plugin '%s', executor "
					  "'host_agent'), but node '%s' is not "
					  "contained in a host",
					  op->name, n->name, pname, n->name);
		}
	}
	return ok;
}

bool model__build_templates(struct model_builder *b)
{
	const GPtrArray *es = dsl_service_entries(b->m->svc,
						  DSL_SEC_NODE_TEMPLATES);
	bool ok = true;

	/* plugins first: operations are checked against them */
	{
		const GPtrArray *ps = dsl_service_entries(b->m->svc,
							  DSL_SEC_PLUGINS);
		for (guint i = 0; i < ps->len; i++) {
			const struct dsl_entry *e = ps->pdata[i];
			g_hash_table_insert(b->m->plugins, (gpointer)e->name,
					    e->def);
		}
	}
	for (guint i = 0; i < es->len; i++) {
		struct model_node *n = node_new(b, es->pdata[i]);
		if (!n) {
			ok = false;
			continue;
		}
		n->index = b->m->node_order->len;
		g_ptr_array_add(b->m->node_order, n);
		g_hash_table_insert(b->m->nodes, (gpointer)n->name, n);
	}
	for (guint i = 0; i < b->m->node_order->len; i++)
		ok &= fill_node(b, b->m->node_order->pdata[i]);
	if (!ok)
		return false;
	for (guint i = 0; i < b->m->node_order->len; i++)
		ok &= model__build_rels(b, b->m->node_order->pdata[i]);
	for (guint i = 0; ok && i < b->m->node_order->len; i++)
		ok &= check_agent_ops(b, b->m->node_order->pdata[i]);
	return ok;
}
