/* check.c: does every operation a blueprint's templates implement resolve
 * to a plugin that loads and exports it? Run by `blueprint validate` (as
 * warnings: plugins may be installed later) and before a workflow runs
 * (as errors: nothing starts when an operation has nowhere to go). */
#include "plugin/check.h"

static void check_ops(struct plugin_registry *reg, GHashTable *ifaces,
		      const struct plugin_ref_env *env, const char *owner,
		      struct bp_diags *d, GHashTable *seen)
{
	GHashTableIter it;
	gpointer v;

	if (!ifaces)
		return;
	g_hash_table_iter_init(&it, ifaces);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		const struct model_interface *i = v;
		for (guint k = 0; k < i->op_order->len; k++) {
			const struct model_operation *op = i->op_order->pdata[k];
			struct plugin_ref ref = { 0 };
			struct plugin_op out;
			struct bp_error *err = NULL;

			if (!op->implementation ||
			    g_hash_table_contains(seen, op))
				continue;
			g_hash_table_add(seen, (gpointer)op);
			if (plugin_ref_parse_op(&ref, op, env, &err))
				plugin_registry_resolve(&out, reg, &ref, &err);
			plugin_ref_release(&ref);
			if (!err)
				continue;
			if (op->impl_node)
				err->mark = op->impl_node->mark;
			bp_error_prefix(&err, "operation '%s.%s' of %s", i->name,
					op->name, owner);
			bp_diags_take(d, err);
		}
	}
}

unsigned plugin_check_model(struct plugin_registry *reg, const struct model *m,
			    const char *blueprint_dir, struct bp_diags *d)
{
	struct plugin_ref_env env = { blueprint_dir, NULL, m, NULL };
	g_autoptr(GHashTable) seen = g_hash_table_new(NULL, NULL);
	unsigned before = bp_diags_count(d);

	for (guint i = 0; i < m->node_order->len; i++) {
		const struct model_node *n = m->node_order->pdata[i];
		g_autofree char *owner = g_strdup_printf("node '%s'", n->name);
		env.node = n;  /* whose artifacts its operations may name */
		check_ops(reg, n->ifaces, &env, owner, d, seen);
		env.node = NULL;
		for (guint k = 0; k < n->rels->len; k++) {
			const struct model_rel *r = n->rels->pdata[k];
			g_autofree char *rown = g_strdup_printf(
				"relationship '%s' of node '%s'", r->type->name,
				n->name);
			check_ops(reg, r->ifaces, &env, rown, d, seen);
			check_ops(reg, r->source_ifaces, &env, rown, d, seen);
			check_ops(reg, r->target_ifaces, &env, rown, d, seen);
		}
	}
	return bp_diags_count(d) - before;
}
