/* func_walk.c: every value of a model that may hold a function call, with
 * where it is written (its scope: node, relationship and which end,
 * outputs...), its YAML path and its definition. The checker and the
 * input-dependent check both go through here, so both see the same
 * values the same way. Order: node templates in blueprint order (their
 * properties, attributes, capabilities, operations, relationships), then
 * outputs, capabilities, groups, policies, inputs; names in a hash table
 * are visited sorted, so reports come out the same every time. */
#include "model/func_internal.h"

#include <string.h>

struct walk {
	unsigned what;
	bool (*fn)(void *data, const struct func_site *site);
	void *data;
	bool ok;
};

static void visit(struct walk *w, const struct model_scope *at,
		  const struct dsl_node *v, const struct model_prop *def,
		  char *path)
{
	struct func_site site = { .scope = *at, .value = v, .def = def };

	site.scope.path = path;
	if (v)
		w->ok &= w->fn(w->data, &site);
	g_free(path);
}

static gint cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(a, b);
}

/* (transfer container) the keys of a table, sorted. */
static GList *sorted_keys(GHashTable *h)
{
	return h ? g_list_sort(g_hash_table_get_keys(h), cmp_str) : NULL;
}

static void each_op_input(struct walk *w, const struct model_scope *at,
			  const struct model_operation *op, const char *base)
{
	GList *names = sorted_keys(op->inputs);
	GList *defs = sorted_keys(op->input_defs);

	for (GList *l = names; l; l = l->next)
		visit(w, at, g_hash_table_lookup(op->inputs, l->data),
		      g_hash_table_lookup(op->input_defs, l->data),
		      g_strdup_printf("%s.%s.inputs.%s", base, op->name,
				      (char *)l->data));
	for (GList *l = defs; l; l = l->next) {
		const struct model_prop *d = g_hash_table_lookup(op->input_defs,
								 l->data);
		if (!g_hash_table_contains(op->inputs, l->data))
			visit(w, at, d->default_value, d,
			      g_strdup_printf("%s.%s.inputs.%s", base, op->name,
					      (char *)l->data));
	}
	g_list_free(names);
	g_list_free(defs);
}

static void each_operation(struct walk *w, const struct model_scope *at,
			   GHashTable *ifaces, const char *base)
{
	GList *names = sorted_keys(ifaces);

	for (GList *l = names; l; l = l->next) {
		const struct model_interface *i = g_hash_table_lookup(ifaces,
								      l->data);
		g_autofree char *ibase = g_strconcat(base, ".", i->name, NULL);
		for (guint k = 0; k < i->op_order->len; k++)
			each_op_input(w, at, i->op_order->pdata[k], ibase);
	}
	g_list_free(names);
}

/* Values assigned over the definitions of `t` (properties or attributes,
 * by `order`), in definition order. */
static void each_assigned(struct walk *w, const struct model_scope *at,
			  GPtrArray *order, GHashTable *vals, bool defaults,
			  const char *base)
{
	for (guint i = 0; order && i < order->len; i++) {
		const struct model_prop *d = order->pdata[i];
		const struct dsl_node *v = g_hash_table_lookup(vals, d->name);
		if (!v && defaults)
			v = d->default_value;
		visit(w, at, v, d, g_strconcat(base, ".", d->name, NULL));
	}
}

static void each_capability(struct walk *w, const struct model_scope *at,
			    const struct model_node *n, const char *base)
{
	GList *names = sorted_keys(n->caps);

	for (GList *l = names; l; l = l->next) {
		const struct model_capdef *cd =
			g_hash_table_lookup(n->type->caps, l->data);
		g_autofree char *cbase = g_strdup_printf("%s.capabilities.%s."
							 "properties", base,
							 (char *)l->data);
		if (cd)
			each_assigned(w, at, cd->type->prop_order,
				      g_hash_table_lookup(n->caps, l->data),
				      false, cbase);
	}
	g_list_free(names);
}

static void each_rel(struct walk *w, const struct model_node *n,
		     const struct model_rel *r, const char *base)
{
	struct model_scope at = { .ctx = MODEL_CTX_RELATIONSHIP, .node = n,
				  .rel = r };
	g_autofree char *rbase = g_strdup_printf("%s.requirements[%u]."
						 "relationship", base, r->index);
	g_autofree char *props = g_strconcat(rbase, ".properties", NULL);
	g_autofree char *ifaces = g_strconcat(rbase, ".interfaces", NULL);
	g_autofree char *src = g_strconcat(rbase, ".source_interfaces", NULL);
	g_autofree char *tgt = g_strconcat(rbase, ".target_interfaces", NULL);

	each_assigned(w, &at, r->type->prop_order, r->props, false, props);
	if (!(w->what & ~FUNC_SITE_PROPERTIES))
		return;
	each_operation(w, &at, r->ifaces, ifaces);
	at.side = MODEL_SIDE_SOURCE;
	each_operation(w, &at, r->source_ifaces, src);
	at.side = MODEL_SIDE_TARGET;
	each_operation(w, &at, r->target_ifaces, tgt);
}

static void each_node(struct walk *w, const struct model_node *n)
{
	struct model_scope at = { .ctx = MODEL_CTX_NODE, .node = n };
	g_autofree char *base = g_strconcat("node_templates.", n->name, NULL);
	g_autofree char *props = g_strconcat(base, ".properties", NULL);
	g_autofree char *attrs = g_strconcat(base, ".attributes", NULL);
	g_autofree char *ifaces = g_strconcat(base, ".interfaces", NULL);
	bool all = w->what & ~FUNC_SITE_PROPERTIES;

	each_assigned(w, &at, n->type->prop_order, n->props, false, props);
	if (all)
		each_assigned(w, &at, n->type->attr_order, n->attrs, true,
			      attrs);
	each_capability(w, &at, n, base);
	if (all)
		each_operation(w, &at, n->ifaces, ifaces);
	for (guint i = 0; i < n->rels->len; i++)
		each_rel(w, n, n->rels->pdata[i], base);
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
		if (!is_map) {
			visit(w, &at, v, NULL, g_strdup_printf("%s.%s.%s",
				section, e->name, key));
			continue;
		}
		for (uint32_t k = 0; dsl_is_map(v) && k < v->u.map.n; k++)
			visit(w, &at, v->u.map.items[k].value, NULL,
			      g_strdup_printf("%s.%s.%s.%s", section, e->name,
					      key, dsl_key(&v->u.map.items[k])));
	}
}

bool func__each_value(const struct model *m, unsigned what,
		      bool (*fn)(void *data, const struct func_site *site),
		      void *data)
{
	struct walk w = { what, fn, data, true };
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
		visit(&w, &inputs, p->default_value, p,
		      g_strconcat("inputs.", p->name, ".default", NULL));
	}
	return w.ok;
}
