/* plantest.c: helpers for the plan and workflow tests (plantest.h). */
#include "plantest.h"

#include <stdarg.h>
#include <string.h>

#include "dsl/service.h"
#include "testlib.h"

struct model *plantest_model(const char *text)
{
	g_autofree char *dir = test_tmpdir();
	g_autofree char *path = g_build_filename(dir, "bp.yaml", NULL);
	g_autofree char *types = test_src_path("types");
	const char *dirs[] = { types, NULL };
	struct dsl_load_options opts = { dirs };
	struct bp_diags diags;
	struct dsl_service *svc;
	struct model *m;

	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	bp_diags_init(&diags, 20);
	svc = dsl_load(path, &opts, &diags);
	m = svc ? model_build(svc, &diags) : NULL;
	for (guint i = 0; i < diags.errors->len; i++) {
		g_autofree char *s = bp_error_format(diags.errors->pdata[i]);
		g_printerr("%s\n", s);
	}
	g_assert_nonnull(m);
	bp_diags_release(&diags);
	test_rmtree(dir);
	return m;
}

struct plan_instance *plantest_inst(const struct plan *p, const char *node,
				    guint k)
{
	const GPtrArray *a = plan_node_instances(p, node);

	g_assert_cmpuint(k, <, a->len);
	return a->pdata[k];
}

struct plan_rel *plantest_rel(const struct plan_instance *s,
			      const struct plan_instance *t)
{
	for (guint k = 0; k < s->rels->len; k++) {
		struct plan_rel *r = s->rels->pdata[k];
		if (r->target == t)
			return r;
	}
	g_error("no relationship instance %s -> %s", s->id, t->id);
	return NULL;
}

static gboolean has(const GPtrArray *a, gconstpointer x)
{
	return g_ptr_array_find((GPtrArray *)a, x, NULL);
}

void plantest_check_plan(const struct plan *p)
{
	guint members = 0, grouped = 0;

	g_assert_cmpuint(g_hash_table_size(p->by_id), ==, p->instances->len);
	for (guint i = 0; i < p->instances->len; i++) {
		const struct plan_instance *x = p->instances->pdata[i];
		g_assert_cmpuint(x->pos, ==, i);
		g_assert_true(plan_instance_find(p, x->id) == x);
		g_assert_true(has(plan_node_instances(p, x->node->name), x));
		g_assert_true((x->host != NULL) == (x->node->host != NULL));
		if (x->host) {
			g_assert_true(x->host->node == x->node->host);
			g_assert_true(has(x->host->contained, x));
			g_assert_cmpuint(x->host->seq, <, x->seq);
		}
		for (guint k = 0; k < x->contained->len; k++)
			g_assert_true(((struct plan_instance *)
				       x->contained->pdata[k])->host == x);
		for (guint k = 0; k < x->rels->len; k++) {
			const struct plan_rel *r = x->rels->pdata[k];
			g_assert_true(r->source == x);
			g_assert_true(plan_instance_find(p, r->target->id) ==
				      r->target);
			g_assert_true(has(r->target->incoming, r));
			if (k)
				g_assert_cmpuint(((struct plan_rel *)
					x->rels->pdata[k - 1])->rel->index, <=,
					r->rel->index);
		}
		for (guint k = 0; k < x->incoming->len; k++) {
			const struct plan_rel *r = x->incoming->pdata[k];
			g_assert_true(r->target == x);
			g_assert_true(has(r->source->rels, r));
		}
		for (unsigned g = 0; g < p->ngroups; g++) {
			if (x->groups[g] < 0)
				continue;
			grouped++;
			g_assert_true(has(g_hash_table_lookup(
				p->groups[g].members,
				GINT_TO_POINTER(x->groups[g])), x));
		}
	}
	for (unsigned g = 0; g < p->ngroups; g++) {
		GHashTableIter it;
		gpointer v;
		g_hash_table_iter_init(&it, p->groups[g].members);
		while (g_hash_table_iter_next(&it, NULL, &v))
			members += ((GPtrArray *)v)->len;
	}
	g_assert_cmpuint(members, ==, grouped);
}

static struct wf_step *findv(const struct wf_graph *g, const char *fmt,
			     va_list ap)
{
	g_autofree char *key = g_strdup_vprintf(fmt, ap);

	return wf_graph_find(g, key);
}

struct wf_step *wftest_find(const struct wf_graph *g, const char *fmt, ...)
{
	va_list ap;
	struct wf_step *s;

	va_start(ap, fmt);
	s = findv(g, fmt, ap);
	va_end(ap);
	return s;
}

struct wf_step *wftest_step(const struct wf_graph *g, const char *fmt, ...)
{
	va_list ap;
	g_autofree char *key = NULL;
	struct wf_step *s;

	va_start(ap, fmt);
	key = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	s = wf_graph_find(g, key);
	if (!s) {
		for (guint i = 0; i < g->steps->len; i++)
			g_printerr("  have %s\n", ((struct wf_step *)
						   g->steps->pdata[i])->key);
		g_error("no step '%s' in graph '%s'", key, g->name);
	}
	return s;
}

struct wf_step *wftest_op(const struct wf_graph *g,
			  const struct plan_instance *i, const char *op)
{
	return wftest_step(g, "%s/cloudify.interfaces.lifecycle.%s", i->id, op);
}

struct wf_step *wftest_relop(const struct wf_graph *g,
			     const struct plan_instance *s,
			     const struct plan_instance *t, const char *side,
			     const char *op)
{
	return wftest_step(g, "%s->%s#%u/%s/cloudify.interfaces."
			   "relationship_lifecycle.%s", s->id, t->id,
			   plantest_rel(s, t)->rel->index, side, op);
}

struct wf_step *wftest_state(const struct wf_graph *g,
			     const struct plan_instance *i, const char *state)
{
	return wftest_step(g, "%s/state:%s", i->id, state);
}

gboolean wftest_before(const struct wf_graph *g, const struct wf_step *before,
		       const struct wf_step *after)
{
	guint n = g->steps->len;
	g_autofree gboolean *seen = g_new0(gboolean, n);
	g_autoptr(GArray) stack = g_array_new(FALSE, FALSE, sizeof(guint));

	g_array_append_val(stack, before->index);
	while (stack->len) {
		guint at = g_array_index(stack, guint, stack->len - 1);
		g_array_set_size(stack, stack->len - 1);
		for (guint e = 0; e < g->edges->len; e++) {
			const struct wf_edge *ed = &g_array_index(
				g->edges, struct wf_edge, e);
			if (ed->before != at || seen[ed->after])
				continue;
			if (ed->after == after->index)
				return TRUE;
			seen[ed->after] = TRUE;
			g_array_append_val(stack, ed->after);
		}
	}
	return FALSE;
}

gboolean wftest_concurrent(const struct wf_graph *g, const struct wf_step *a,
			   const struct wf_step *b)
{
	return !wftest_before(g, a, b) && !wftest_before(g, b, a);
}

guint wftest_count(const struct wf_graph *g, const char *operation)
{
	guint c = 0;

	for (guint i = 0; i < g->steps->len; i++) {
		const struct wf_step *s = g->steps->pdata[i];
		if (operation ? s->operation && !strcmp(s->operation, operation)
			      : s->kind == WF_STATE)
			c++;
	}
	return c;
}

void wftest_check(const struct wf_graph *g)
{
	guint n = g->steps->len;
	g_autofree guint *pending = g_new0(guint, n);
	g_autoptr(GArray) ready = g_array_new(FALSE, FALSE, sizeof(guint));
	guint done = 0;

	g_assert_cmpuint(g_hash_table_size(g->by_key), ==, n);
	for (guint i = 0; i < n; i++) {
		const struct wf_step *s = g->steps->pdata[i];
		g_assert_cmpuint(s->index, ==, i);
		g_assert_true(wf_graph_find(g, s->key) == s);
		g_assert_nonnull(s->instance);
		if (s->kind != WF_STATE) {
			g_assert_nonnull(s->op);
			g_assert_nonnull(s->op->implementation);
		}
		if (s->kind == WF_REL_OPERATION)
			g_assert_true(s->instance == (s->side == WF_SOURCE ?
				      s->rel->source : s->rel->target));
	}
	for (guint e = 0; e < g->edges->len; e++) {
		const struct wf_edge *ed = &g_array_index(g->edges,
							  struct wf_edge, e);
		g_assert_cmpuint(ed->before, <, n);
		g_assert_cmpuint(ed->after, <, n);
		pending[ed->after]++;
	}
	for (guint i = 0; i < n; i++)
		if (!pending[i])
			g_array_append_val(ready, i);
	while (ready->len) {
		guint at = g_array_index(ready, guint, ready->len - 1);
		g_array_set_size(ready, ready->len - 1);
		done++;
		for (guint e = 0; e < g->edges->len; e++) {
			const struct wf_edge *ed = &g_array_index(
				g->edges, struct wf_edge, e);
			if (ed->before == at && --pending[ed->after] == 0)
				g_array_append_val(ready, ed->after);
		}
	}
	g_assert_cmpuint(done, ==, n);  /* no cycle */
}
