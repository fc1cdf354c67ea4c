/* scale.c: the graphs of a scale workflow after plan_scale()
 * (workflow.h). Out: install of what was added, then establish of the new
 * relationship instances of existing sources. In: unlink of the removed
 * relationship instances of staying sources, then uninstall of what was
 * removed (whose own unlinks reach the peers that stay). */
#include "workflow/wf-int.h"

static GHashTable *set_of(const GPtrArray *a)
{
	GHashTable *set = g_hash_table_new(NULL, NULL);

	for (guint i = 0; i < a->len; i++)
		g_hash_table_add(set, a->pdata[i]);
	return set;
}

bool wf_scale_out(const struct plan *p, const struct plan_modification *mod,
		  const struct wf_state_lookup *states, struct wf_graph **out,
		  struct bp_error **err)
{
	g_autoptr(GHashTable) added = set_of(mod->added);
	g_autoptr(GPtrArray) steps = g_ptr_array_new();
	struct wf_part part;

	*out = wf_graph_new("scale");
	wf__part_init(&part, *out, p->model);
	wf__part_build(&part, mod->added, &wf__install_recipe, states);
	wf__part_order(&part, false);
	for (guint i = 0; i < mod->added_rels->len; i++) {
		struct plan_rel *r = mod->added_rels->pdata[i];
		const struct wf_chain *t = wf__part_chain(&part, r->target);
		if (g_hash_table_contains(added, r->source))
			continue;
		g_ptr_array_set_size(steps, 0);
		wf__rel_steps(*out, p->model, r, WF_ESTABLISH, steps);
		for (guint k = 0; t && k < steps->len; k++)
			wf__edge(*out, t->last, steps->pdata[k]);
	}
	wf__part_release(&part);
	return true;
}

bool wf_scale_in(const struct plan *p, const struct plan_modification *mod,
		 const struct wf_state_lookup *states, struct wf_graph **out,
		 struct bp_error **err)
{
	g_autoptr(GHashTable) removed = set_of(mod->removed);
	g_autoptr(GPtrArray) steps = g_ptr_array_new();
	struct wf_part part;

	*out = wf_graph_new("scale");
	wf__part_init(&part, *out, p->model);
	wf__part_build(&part, mod->removed, &wf__uninstall_recipe, states);
	wf__part_order(&part, true);
	for (guint i = 0; i < mod->removed_rels->len; i++) {
		struct plan_rel *r = mod->removed_rels->pdata[i];
		const struct wf_chain *t = wf__part_chain(&part, r->target);
		/* no chain: the target was never created, or is gone */
		if (g_hash_table_contains(removed, r->source) || !t)
			continue;
		g_ptr_array_set_size(steps, 0);
		wf__rel_steps(*out, p->model, r, WF_UNLINK, steps);
		for (guint k = 0; k < steps->len; k++)
			wf__edge_heads(*out, steps->pdata[k], t);
	}
	wf__part_release(&part);
	return true;
}
