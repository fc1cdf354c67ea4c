/* plan-scale.c: what scaling costs on a large deployment. Prints timings;
 * asserts nothing about speed. The cost of plan_scale() and of the scale
 * graph should follow the change (a few instances), not the deployment.
 *
 * The blueprint: N/2 vms (default 5,000), an app on each connected to
 * every db (3), a load balancer connected to every app, a monitor
 * (all_to_one) on the dbs: about N instances, 2.5N relationship
 * instances. Timed: plan_build, plan_restore of the saved plan, then
 * plan_scale and the scale graph for +DELTA, -DELTA (twice; default 10),
 * +1 and -1.
 *
 * Usage: plan-scale [N [DELTA]]
 */
#include "plantest.h"

#include <stdio.h>
#include <stdlib.h>

static double since(gint64 t0)
{
	return (double)(g_get_monotonic_time() - t0) / 1000.0;
}

static void scale(struct plan *p, int delta)
{
	struct plan_modification mod;
	struct bp_error *err = NULL;
	struct wf_graph *g = NULL;
	gint64 t0 = g_get_monotonic_time();
	double t_plan, t_graph;

	if (!plan_scale(p, "vm", delta, NULL, &mod, &err)) {
		fprintf(stderr, "plan_scale: %s\n", err->message);
		exit(1);
	}
	t_plan = since(t0);
	t0 = g_get_monotonic_time();
	if (delta > 0 ? !wf_scale_out(p, &mod, NULL, &g, &err) :
	    !wf_scale_in(p, &mod, NULL, &g, &err)) {
		fprintf(stderr, "scale graph: %s\n", err->message);
		exit(1);
	}
	t_graph = since(t0);
	printf("scale vm %+4d: plan_scale %7.3f ms (%u added, %u removed, "
	       "%u+%u relationship instances), graph %7.3f ms (%u steps, "
	       "%u edges)\n", delta, t_plan, mod.added->len,
	       mod.removed->len, mod.added_rels->len, mod.removed_rels->len,
	       t_graph, g->steps->len, g->edges->len);
	wf_graph_free(g);
	plan_modification_release(&mod);
}

static struct plan *restored(const struct plan *p)
{
	GArray *inst = g_array_new(FALSE, TRUE, sizeof(struct plan_record));
	GArray *rels = g_array_new(FALSE, TRUE, sizeof(struct plan_rel_record));
	struct bp_error *err = NULL;
	struct plan *q;
	gint64 t0;

	for (guint i = 0; i < p->instances->len; i++) {
		const struct plan_instance *x = p->instances->pdata[i];
		struct plan_record r;
		plan_record_of(p, x, &r);
		g_array_append_val(inst, r);
		for (guint k = 0; k < x->rels->len; k++) {
			struct plan_rel_record rr;
			plan_rel_record_of(x->rels->pdata[k], &rr);
			g_array_append_val(rels, rr);
		}
	}
	t0 = g_get_monotonic_time();
	q = plan_restore(p->model, (struct plan_record *)(void *)inst->data,
			 inst->len, (struct plan_rel_record *)(void *)rels->data,
			 rels->len, 2, &err);
	if (!q) {
		fprintf(stderr, "plan_restore: %s\n", err->message);
		exit(1);
	}
	printf("plan_restore: %.3f ms (%u instances, %u relationship "
	       "instances)\n", since(t0), inst->len, rels->len);
	g_array_unref(inst);
	g_array_unref(rels);
	return q;
}

int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 10000;
	int delta = argc > 2 ? atoi(argv[2]) : 10;
	g_autofree char *text = g_strdup_printf(PLANTEST_CLOUDIFY PLANTEST_TYPES
		"node_templates:\n"
		"  vm: {type: full, instances: {deploy: %u}}\n"
		"  db: {type: full, instances: {deploy: 3}}\n"
		"  app:\n"
		"    type: full\n"
		"    relationships:\n"
		"      - {type: cloudify.relationships.contained_in, "
		"target: vm}\n"
		"      - {type: linked, target: db}\n"
		"  lb:\n"
		"    type: full\n"
		"    relationships: [{type: linked, target: app}]\n"
		"  mon:\n"
		"    type: full\n"
		"    relationships:\n"
		"      - type: linked\n"
		"        target: db\n"
		"        properties: {connection_type: all_to_one}\n", n / 2);
	struct model *m = plantest_model(text);
	gint64 t0 = g_get_monotonic_time();
	struct plan *p = plan_build(m, 1), *q;

	printf("plan_build: %.3f ms (%u instances)\n", since(t0),
	       p->instances->len);
	q = restored(p);
	plan_free(p);
	/* twice: the first may pay for growing the plan's tables */
	for (int k = 0; k < 2; k++) {
		scale(q, delta);
		scale(q, -delta);
	}
	scale(q, 1);
	scale(q, -1);
	plan_free(q);
	model_free(m);
	return 0;
}
