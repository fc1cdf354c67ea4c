/* graph.c: a workflow's step graph (workflow.h): making and freeing it,
 * adding steps under their stable keys and edges between them. */
#include "workflow/wf-int.h"

static void step_free(struct wf_step *s)
{
	g_free(s->key);
	if (s->params)
		g_hash_table_unref(s->params);
	g_free(s);
}

struct wf_graph *wf_graph_new(const char *name)
{
	struct wf_graph *g = g_new0(struct wf_graph, 1);

	g->name = name;
	g->steps = g_ptr_array_new_with_free_func((GDestroyNotify)step_free);
	g->edges = g_array_new(FALSE, FALSE, sizeof(struct wf_edge));
	g->by_key = g_hash_table_new(g_str_hash, g_str_equal);
	return g;
}

void wf_graph_free(struct wf_graph *g)
{
	if (!g)
		return;
	g_hash_table_unref(g->by_key);
	g_array_unref(g->edges);
	g_ptr_array_unref(g->steps);
	if (g->owned)
		g_ptr_array_unref(g->owned);
	g_free(g);
}

struct wf_step *wf_graph_find(const struct wf_graph *g, const char *key)
{
	return key ? g_hash_table_lookup(g->by_key, key) : NULL;
}

/* Adds a step under `key` (consumed). The builders make every key once;
 * a second one is a bug, reported, and the first step is returned. */
static struct wf_step *step_add(struct wf_graph *g, enum wf_step_kind kind,
				char *key, struct plan_instance *inst)
{
	struct wf_step *s = g_hash_table_lookup(g->by_key, key);

	if (s) {
		g_critical("workflow '%s' has two steps '%s'", g->name, key);
		g_free(key);
		return s;
	}
	s = g_new0(struct wf_step, 1);
	s->kind = kind;
	s->key = key;
	s->instance = inst;
	s->index = g->steps->len;
	g_ptr_array_add(g->steps, s);
	g_hash_table_insert(g->by_key, s->key, s);
	return s;
}

struct wf_step *wf__op_step(struct wf_graph *g, struct plan_instance *inst,
			    const struct wf_opref *ref)
{
	struct wf_step *s = step_add(g, WF_OPERATION, g_strdup_printf(
		"%s/%s.%s", inst->id, ref->iface, ref->op), inst);

	s->interface = ref->iface;
	s->operation = ref->op;
	s->op = ref->mop;
	return s;
}

struct wf_step *wf__rel_step(struct wf_graph *g, struct plan_rel *r,
			     enum wf_side side, const struct wf_opref *ref)
{
	struct plan_instance *inst = side == WF_SOURCE ? r->source : r->target;
	struct wf_step *s = step_add(g, WF_REL_OPERATION, g_strdup_printf(
		"%s->%s#%u/%s/%s.%s", r->source->id, r->target->id,
		r->rel->index, side == WF_SOURCE ? "source" : "target",
		ref->iface, ref->op), inst);

	s->rel = r;
	s->side = side;
	s->interface = ref->iface;
	s->operation = ref->op;
	s->op = ref->mop;
	return s;
}

struct wf_step *wf__state_step(struct wf_graph *g, struct plan_instance *inst,
			       const char *state_start,
			       const char *state_done)
{
	struct wf_step *s = step_add(g, WF_STATE, g_strdup_printf(
		"%s/state:%s", inst->id, state_done), inst);

	s->state_start = state_start;
	s->state_done = state_done;
	return s;
}

struct wf_step *wf__workflow_step(struct wf_graph *g,
				  const struct model_operation *op)
{
	struct wf_step *s = step_add(g, WF_WORKFLOW, g_strdup_printf(
		"deployment/workflow.%s", op->name), NULL);

	s->interface = "workflow";
	s->operation = op->name;
	s->op = op;
	return s;
}

void wf__edge(struct wf_graph *g, const struct wf_step *before,
	      const struct wf_step *after)
{
	struct wf_edge e = { before->index, after->index };

	g_array_append_val(g->edges, e);
}
