/* func_walk.c: every value of a model that may hold a function call, with
 * where it is written (its scope: node, relationship and which end,
 * outputs...), its YAML path and its definition. The checker and the
 * input-dependent check both go through here, so both see the same
 * values the same way. Only values that hold a call are handed on (the
 * callers look at nothing else). Order: node templates in blueprint order
 * (their properties, attributes, capabilities, operations, relationships),
 * then outputs, capabilities, groups, policies, inputs; names in a hash
 * table are visited sorted, so reports come out the same every time. */
#include "model/func_internal.h"

#include <stdio.h>
#include <string.h>

struct walk {
	const struct model *m;
	unsigned what;
	bool (*fn)(void *data, const struct func_site *site);
	void *data;
	bool ok;
	GString *path;          /* the YAML path of what is being walked:
				   each level appends its part and cuts it
				   off again, so nothing is allocated for
				   the many values without a call */
};

/* Appends `sep` and `name` to the walk's path; returns the length to cut
 * it back to. */
static gsize push(struct walk *w, const char *sep, const char *name)
{
	gsize len = w->path->len;

	g_string_append(w->path, sep);
	g_string_append(w->path, name);
	return len;
}

static void pop(struct walk *w, gsize len)
{
	g_string_truncate(w->path, len);
}

/* Hands a value holding a call, at the walk's path + `.name`, to fn. */
static void visit(struct walk *w, const struct model_scope *at,
		  const struct dsl_node *v, const struct model_prop *def,
		  const char *name)
{
	struct func_site site = { .scope = *at, .value = v, .def = def };
	gsize len;

	if (!v || !func__has_call(w->m, v))
		return;
	len = push(w, ".", name);
	site.scope.path = w->path->str;
	w->ok &= w->fn(w->data, &site);
	pop(w, len);
}

static gint cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(a, b);
}

/* (transfer container) the keys of a table, sorted. */
static GList *sorted_keys(GHashTable *h)
{
	return h && g_hash_table_size(h) ?
	       g_list_sort(g_hash_table_get_keys(h), cmp_str) : NULL;
}

static void each_op_input(struct walk *w, const struct model_scope *at,
			  const struct model_operation *op)
{
	GList *names, *defs;
	gsize len;

	if (!g_hash_table_size(op->inputs) && !g_hash_table_size(op->input_defs))
		return;
	names = sorted_keys(op->inputs);
	defs = sorted_keys(op->input_defs);
	len = push(w, ".", op->name);
	g_string_append(w->path, ".inputs");

	for (GList *l = names; l; l = l->next)
		visit(w, at, g_hash_table_lookup(op->inputs, l->data),
		      g_hash_table_lookup(op->input_defs, l->data), l->data);
	for (GList *l = defs; l; l = l->next) {
		const struct model_prop *d = g_hash_table_lookup(op->input_defs,
								 l->data);
		if (!g_hash_table_contains(op->inputs, l->data))
			visit(w, at, d->default_value, d, l->data);
	}
	pop(w, len);
	g_list_free(names);
	g_list_free(defs);
}

static void each_operation(struct walk *w, const struct model_scope *at,
			   GHashTable *ifaces, const char *part)
{
	GHashTableIter it;
	gpointer v;
	GList *names;
	gsize len;
	bool any = false;

	/* most interfaces have no inputs at all: skip them unsorted */
	g_hash_table_iter_init(&it, ifaces);
	while (!any && g_hash_table_iter_next(&it, NULL, &v))
		any = ((const struct model_interface *)v)->has_inputs;
	if (!any)
		return;
	names = sorted_keys(ifaces);
	len = push(w, ".", part);
	for (GList *l = names; l; l = l->next) {
		const struct model_interface *i = g_hash_table_lookup(ifaces,
								      l->data);
		gsize ilen;

		if (!i->has_inputs)
			continue;
		ilen = push(w, ".", i->name);
		for (guint k = 0; k < i->op_order->len; k++)
			each_op_input(w, at, i->op_order->pdata[k]);
		pop(w, ilen);
	}
	pop(w, len);
	g_list_free(names);
}

/* Values assigned over the definitions in `order` (properties or
 * attributes), in definition order, under the path part `part`. */
static void each_assigned(struct walk *w, const struct model_scope *at,
			  GPtrArray *order, GHashTable *vals, bool defaults,
			  const char *part)
{
	gsize len = push(w, "", part);

	for (guint i = 0; order && i < order->len; i++) {
		const struct model_prop *d = order->pdata[i];
		const struct dsl_node *v = g_hash_table_lookup(vals, d->name);
		if (!v && defaults)
			v = d->default_value;
		visit(w, at, v, d, d->name);
	}
	pop(w, len);
}

static void each_capability(struct walk *w, const struct model_scope *at,
			    const struct model_node *n)
{
	GList *names = sorted_keys(n->caps);

	for (GList *l = names; l; l = l->next) {
		const struct model_capdef *cd =
			g_hash_table_lookup(n->type->caps, l->data);
		gsize len = push(w, ".capabilities.", l->data);
		if (cd)
			each_assigned(w, at, cd->type->prop_order,
				      g_hash_table_lookup(n->caps, l->data),
				      false, ".properties");
		pop(w, len);
	}
	g_list_free(names);
}

static void each_rel(struct walk *w, const struct model_node *n,
		     const struct model_rel *r)
{
	struct model_scope at = { .ctx = MODEL_CTX_RELATIONSHIP, .node = n,
				  .rel = r };
	char part[64];
	gsize len;

	snprintf(part, sizeof(part), ".requirements[%u].relationship",
		 r->index);
	len = push(w, "", part);

	each_assigned(w, &at, r->type->prop_order, r->props, false,
		      ".properties");
	if (w->what & ~FUNC_SITE_PROPERTIES) {
		each_operation(w, &at, r->ifaces, "interfaces");
		at.side = MODEL_SIDE_SOURCE;
		each_operation(w, &at, r->source_ifaces, "source_interfaces");
		at.side = MODEL_SIDE_TARGET;
		each_operation(w, &at, r->target_ifaces, "target_interfaces");
	}
	pop(w, len);
}

static void each_node(struct walk *w, const struct model_node *n)
{
	struct model_scope at = { .ctx = MODEL_CTX_NODE, .node = n };
	bool all = w->what & ~FUNC_SITE_PROPERTIES;

	g_string_truncate(w->path, 0);
	push(w, "node_templates.", n->name);
	each_assigned(w, &at, n->type->prop_order, n->props, false,
		      ".properties");
	if (all)
		each_assigned(w, &at, n->type->attr_order, n->attrs, true,
			      ".attributes");
	each_capability(w, &at, n);
	if (all)
		each_operation(w, &at, n->ifaces, "interfaces");
	for (guint i = 0; i < n->rels->len; i++)
		each_rel(w, n, n->rels->pdata[i]);
}

/* A section whose entries hold `key` (value) or a map under `key`
 * (properties). */
static void each_entry(struct walk *w, enum model_ctx ctx,
		       const GPtrArray *entries, const char *section,
		       const char *key, bool is_map)
{
	struct model_scope at = { .ctx = ctx };

	for (guint i = 0; i < entries->len; i++) {
		const struct dsl_entry *e = entries->pdata[i];
		const struct dsl_node *v = dsl_map_get(e->def, key);

		g_string_printf(w->path, "%s.%s", section, e->name);
		if (!is_map) {
			visit(w, &at, v, NULL, key);
			continue;
		}
		push(w, ".", key);
		for (uint32_t k = 0; dsl_is_map(v) && k < v->u.map.n; k++)
			visit(w, &at, v->u.map.items[k].value, NULL,
			      dsl_key(&v->u.map.items[k]));
	}
}

bool func__each_value(const struct model *m, unsigned what,
		      bool (*fn)(void *data, const struct func_site *site),
		      void *data)
{
	g_autoptr(GString) path = g_string_new(NULL);
	struct walk w = { m, what, fn, data, true, path };
	struct model_scope inputs = { .ctx = MODEL_CTX_INPUTS };
	const struct dsl_service *svc = m->svc;

	for (guint i = 0; i < m->node_order->len; i++)
		each_node(&w, m->node_order->pdata[i]);
	if (!(what & ~FUNC_SITE_PROPERTIES))
		return w.ok;
	each_entry(&w, MODEL_CTX_OUTPUTS, svc->sec[DSL_SEC_OUTPUTS].entries,
		   "outputs", "value", false);
	each_entry(&w, MODEL_CTX_OUTPUTS,
		   svc->sec[DSL_SEC_CAPABILITIES].entries, "capabilities",
		   "value", false);
	each_entry(&w, MODEL_CTX_POLICY, svc->sec[DSL_SEC_GROUPS].entries,
		   "groups", "properties", true);
	each_entry(&w, MODEL_CTX_POLICY, svc->sec[DSL_SEC_POLICIES].entries,
		   "policies", "properties", true);
	for (guint i = 0; i < m->input_order->len; i++) {
		const struct model_prop *p = m->input_order->pdata[i];
		g_string_printf(w.path, "inputs.%s", p->name);
		visit(&w, &inputs, p->default_value, p, "default");
	}
	return w.ok;
}
