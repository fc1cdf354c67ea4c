/* lifecycle.c: the install, uninstall, start, stop and restart workflows
 * (workflow.h): one recipe's chains over the chosen instances, ordered
 * along relationships (targets first to bring up, sources first to take
 * down). */
#include "workflow/wf-int.h"

/* The chosen instances: `instances` (each must be in the plan) or all. */
static bool chosen(const struct plan *p, const GPtrArray *instances,
		   const GPtrArray **out, struct bp_error **err)
{
	*out = instances ? instances : p->instances;
	for (guint i = 0; instances && i < instances->len; i++) {
		const struct plan_instance *x = instances->pdata[i];
		if (plan_instance_find(p, x->id) != x) {
			bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "node "
				     "instance '%s' is not in the deployment",
				     x->id);
			return false;
		}
	}
	return true;
}

/* One recipe over the chosen instances, in one graph. */
static bool one_recipe(const struct plan *p, const GPtrArray *instances,
		       const struct wf_recipe *recipe, bool reverse,
		       const struct wf_state_lookup *states, const char *name,
		       struct wf_graph **out, struct bp_error **err)
{
	const GPtrArray *set;
	struct wf_part part;

	*out = NULL;
	if (!chosen(p, instances, &set, err))
		return false;
	*out = wf_graph_new(name);
	wf__part_init(&part, *out, p->model);
	wf__part_build(&part, set, recipe, states);
	wf__part_order(&part, reverse);
	wf__part_release(&part);
	return true;
}

bool wf_install(const struct plan *p, const GPtrArray *instances,
		const struct wf_state_lookup *states, struct wf_graph **out,
		struct bp_error **err)
{
	return one_recipe(p, instances, &wf__install_recipe, false, states,
			  "install", out, err);
}

bool wf_uninstall(const struct plan *p, const GPtrArray *instances,
		  const struct wf_state_lookup *states, struct wf_graph **out,
		  struct bp_error **err)
{
	return one_recipe(p, instances, &wf__uninstall_recipe, true, states,
			  "uninstall", out, err);
}

bool wf_start(const struct plan *p, const GPtrArray *instances,
	      struct wf_graph **out, struct bp_error **err)
{
	return one_recipe(p, instances, &wf__start_recipe, false, NULL,
			  "start", out, err);
}

bool wf_stop(const struct plan *p, const GPtrArray *instances,
	     struct wf_graph **out, struct bp_error **err)
{
	return one_recipe(p, instances, &wf__stop_recipe, true, NULL, "stop",
			  out, err);
}

bool wf_restart(const struct plan *p, const GPtrArray *instances,
		struct wf_graph **out, struct bp_error **err)
{
	const GPtrArray *set;
	struct wf_part stop, start;

	*out = NULL;
	if (!chosen(p, instances, &set, err))
		return false;
	*out = wf_graph_new("restart");
	wf__part_init(&stop, *out, p->model);
	wf__part_init(&start, *out, p->model);
	wf__part_build(&stop, set, &wf__stop_recipe, NULL);
	wf__part_order(&stop, true);
	wf__part_build(&start, set, &wf__start_recipe, NULL);
	wf__part_order(&start, false);
	for (guint i = 0; i < stop.order->len; i++) {
		const struct wf_chain *c = stop.order->pdata[i];
		wf__edge_heads(*out, c->last, wf__part_chain(&start, c->inst));
	}
	wf__part_release(&stop);
	wf__part_release(&start);
	return true;
}
