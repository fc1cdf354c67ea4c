/* model.c: model_build() and the model's lifetime and lookups. The build
 * runs in steps (types, templates, topology, substitution mappings, graph,
 * functions) and stops
 * after the first step that found problems, since later steps would only
 * repeat them. */
#include "model/internal.h"

#include <string.h>

static const char *const kind_names[MODEL_KIND_LAST] = {
	[MODEL_NODE_TYPE] = "node type",
	[MODEL_RELATIONSHIP_TYPE] = "relationship type",
	[MODEL_DATA_TYPE] = "data type",
	[MODEL_CAPABILITY_TYPE] = "capability type",
	[MODEL_INTERFACE_TYPE] = "interface type",
	[MODEL_ARTIFACT_TYPE] = "artifact type",
	[MODEL_GROUP_TYPE] = "group type",
	[MODEL_POLICY_TYPE] = "policy type",
};

const char *model_kind_name(enum model_kind kind)
{
	return kind < MODEL_KIND_LAST ? kind_names[kind] : "type";
}

GHashTable *model__table(struct model *m)
{
	GHashTable *h = g_hash_table_new(g_str_hash, g_str_equal);

	g_ptr_array_add(m->tables, h);
	return h;
}

GHashTable *model__empty(struct model_builder *b)
{
	if (!b->empty)
		b->empty = model__table(b->m);
	return b->empty;
}

GPtrArray *model__array(struct model *m)
{
	GPtrArray *a = g_ptr_array_new();

	g_ptr_array_add(m->arrays, a);
	return a;
}

const char *model__strdup(struct model *m, const char *s)
{
	return s ? bp_arena_strdup(&m->arena, s) : NULL;
}

static bool report(struct model_builder *b, const struct bp_mark *mark,
		   const char *path, const char *fmt, va_list ap)
{
	struct bp_error *e = NULL;

	bp_error_setv(&e, BP_ERR_INVALID, mark, path, fmt, ap);
	bp_diags_take(b->diags, e);
	return false;
}

bool model__error(struct model_builder *b, const struct dsl_node *at,
		  const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(b, at ? &at->mark : NULL, path, fmt, ap);
	va_end(ap);
	return false;
}

bool model__error_at(struct model_builder *b, const struct bp_mark *mark,
		     const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(b, mark, path, fmt, ap);
	va_end(ap);
	return false;
}

static struct model *model_new(struct dsl_service *svc)
{
	struct model *m = g_new0(struct model, 1);

	m->svc = svc;
	bp_arena_init(&m->arena);
	m->tables = g_ptr_array_new_with_free_func(
		(GDestroyNotify)g_hash_table_unref);
	m->arrays = g_ptr_array_new_with_free_func(
		(GDestroyNotify)g_ptr_array_unref);
	for (int k = 0; k < MODEL_KIND_LAST; k++)
		m->types[k] = model__table(m);
	m->nodes = model__table(m);
	m->node_order = model__array(m);
	m->inputs = model__table(m);
	m->input_order = model__array(m);
	m->outputs = model__array(m);
	m->groups = model__array(m);
	m->policies = model__array(m);
	m->workflows = model__array(m);
	m->plugins = model__table(m);
	m->synth = g_new0(struct dsl_doc, 1);
	m->synth->name = g_intern_string("<model>");
	bp_arena_init(&m->synth->arena);
	return m;
}

void model_free(struct model *m)
{
	if (!m)
		return;
	g_ptr_array_unref(m->tables);
	g_ptr_array_unref(m->arrays);
	bp_arena_release(&m->arena);
	dsl_doc_free(m->synth);
	dsl_service_free(m->svc);
	g_free(m);
}

struct model *model_build(struct dsl_service *svc, struct bp_diags *diags)
{
	struct model_builder b = { model_new(svc), diags, NULL, NULL, NULL };
	unsigned before = bp_diags_count(diags);

	model__register_primitives(b.m);
	if (model__build_types(&b) && model__build_templates(&b) &&
	    model__build_topology(&b) && model__check_substitutions(&b) &&
	    model__check_graph(&b))
		model__check_functions(&b);
	if (b.ops_ok)
		g_hash_table_unref(b.ops_ok);
	if (bp_diags_count(diags) > before) {
		model_free(b.m);
		return NULL;
	}
	return b.m;
}

/* Normative TOSCA types may be named short: `Compute`, `tosca:Compute`. */
static const char *const short_prefixes[MODEL_KIND_LAST] = {
	[MODEL_NODE_TYPE] = "tosca.nodes.",
	[MODEL_RELATIONSHIP_TYPE] = "tosca.relationships.",
	[MODEL_DATA_TYPE] = "tosca.datatypes.",
	[MODEL_CAPABILITY_TYPE] = "tosca.capabilities.",
	[MODEL_INTERFACE_TYPE] = "tosca.interfaces.",
	[MODEL_ARTIFACT_TYPE] = "tosca.artifacts.",
	[MODEL_GROUP_TYPE] = "tosca.groups.",
	[MODEL_POLICY_TYPE] = "tosca.policies.",
};

/* A normative type named by the last part of its name (`PortDef` for
 * tosca.datatypes.network.PortDef), when exactly one matches. */
static struct model_type *find_by_last_segment(const struct model *m,
					       enum model_kind kind,
					       const char *name)
{
	struct model_type *found = NULL;
	GHashTableIter it;
	gpointer k, v;

	g_hash_table_iter_init(&it, m->types[kind]);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const char *dot = strrchr(k, '.');
		if (!g_str_has_prefix(k, "tosca.") || !dot ||
		    strcmp(dot + 1, name))
			continue;
		if (found)
			return NULL;
		found = v;
	}
	return found;
}

struct model_type *model_type_find(const struct model *m, enum model_kind kind,
				   const char *name)
{
	struct model_type *t;
	g_autofree char *full = NULL;
	const char *dot;

	if (!name)
		return NULL;
	t = g_hash_table_lookup(m->types[kind], name);
	if (t)
		return t;
	/* a namespace prefix written tosca-parser's way: `ns.Name` for
	 * `ns:Name` */
	dot = strchr(name, '.');
	if (dot && !strchr(name, ':')) {
		g_autofree char *q = g_strdup(name);
		q[dot - name] = ':';
		t = g_hash_table_lookup(m->types[kind], q);
		if (t)
			return t;
	}
	if (g_str_has_prefix(name, "tosca:"))
		name += strlen("tosca:");
	full = g_strconcat(short_prefixes[kind], name, NULL);
	t = g_hash_table_lookup(m->types[kind], full);
	if (t || strchr(name, '.'))
		return t;
	return find_by_last_segment(m, kind, name);
}

bool model_type_is(const struct model_type *t, const struct model_type *ancestor)
{
	for (; t; t = t->parent)
		if (t == ancestor)
			return true;
	return false;
}

bool model_type_is_named(const struct model_type *t, const char *name)
{
	for (; t; t = t->parent)
		if (strcmp(t->name, name) == 0)
			return true;
	return false;
}

struct model_operation *model_node_operation(const struct model_node *n,
					     const char *iface, const char *op)
{
	GHashTableIter it;
	gpointer v;

	if (iface) {
		struct model_interface *i = g_hash_table_lookup(n->ifaces, iface);
		return i ? g_hash_table_lookup(i->ops, op) : NULL;
	}
	g_hash_table_iter_init(&it, n->ifaces);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct model_operation *o = g_hash_table_lookup(
			((struct model_interface *)v)->ops, op);
		if (o)
			return o;
	}
	return NULL;
}
