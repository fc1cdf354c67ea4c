/* heal.c: the heal workflow (workflow.h): the instance's own `heal`
 * operation when its node implements one, and the fallback that
 * reinstalls the subtree of the instance's host, re-linking the
 * relationship instances that reach it from outside. */
#include "workflow/wf-int.h"

/* `top` and everything it contains, hosts first. */
static GPtrArray *subtree(struct plan_instance *top)
{
	GPtrArray *all = g_ptr_array_new();

	g_ptr_array_add(all, top);
	for (guint i = 0; i < all->len; i++)
		g_ptr_array_extend(all, ((struct plan_instance *)all->pdata[i])
				   ->contained, NULL, NULL);
	return all;
}

static struct wf_graph *heal_op(const struct plan_instance *inst)
{
	struct wf_opref ref;
	struct wf_graph *g;

	if (!wf__find_op(inst->node, NULL, "heal", &ref, NULL))
		return NULL;
	g = wf_graph_new("heal");
	wf__op_step(g, (struct plan_instance *)inst, &ref);
	return g;
}

/* Unlink before the uninstall and establish after the install of each
 * relationship instance from outside the subtree to inside it. */
static void relink_outside(struct wf_graph *g, const struct model *m,
			   struct wf_part *down, struct wf_part *up,
			   GPtrArray *tree)
{
	g_autoptr(GPtrArray) steps = g_ptr_array_new();

	for (guint i = 0; i < tree->len; i++) {
		struct plan_instance *x = tree->pdata[i];
		for (guint k = 0; k < x->incoming->len; k++) {
			struct plan_rel *r = x->incoming->pdata[k];
			if (wf__part_chain(down, r->source))
				continue;
			g_ptr_array_set_size(steps, 0);
			wf__rel_steps(g, m, r, WF_UNLINK, steps);
			for (guint s = 0; s < steps->len; s++)
				wf__edge_heads(g, steps->pdata[s],
					       wf__part_chain(down, x));
			g_ptr_array_set_size(steps, 0);
			wf__rel_steps(g, m, r, WF_ESTABLISH, steps);
			for (guint s = 0; s < steps->len; s++)
				wf__edge(g, wf__part_chain(up, x)->last,
					 steps->pdata[s]);
		}
	}
}

bool wf_heal(const struct plan *p, struct plan_instance *inst,
	     struct wf_graph **heal_out, struct wf_graph **reinstall_out,
	     struct bp_error **err)
{
	g_autoptr(GPtrArray) tree = NULL;
	struct wf_part down, up;
	struct wf_graph *g;

	*heal_out = *reinstall_out = NULL;
	if (!inst || plan_instance_find(p, inst->id) != inst) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "node instance "
			     "'%s' is not in the deployment",
			     inst ? inst->id : "");
		return false;
	}
	tree = subtree(plan_instance_compute_host(inst));
	g = wf_graph_new("heal");
	wf__part_init(&down, g, p->model);
	wf__part_init(&up, g, p->model);
	wf__part_build(&down, tree, &wf__uninstall_recipe, NULL);
	wf__part_order(&down, true);
	wf__part_build(&up, tree, &wf__install_recipe, NULL);
	wf__part_order(&up, false);
	for (guint i = 0; i < tree->len; i++)
		wf__edge_heads(g, wf__part_chain(&down, tree->pdata[i])->last,
			       wf__part_chain(&up, tree->pdata[i]));
	relink_outside(g, p->model, &down, &up, tree);
	wf__part_release(&down);
	wf__part_release(&up);
	*heal_out = heal_op(inst);
	*reinstall_out = g;
	return true;
}
