/* test-wf-scale.c: the graphs of a scale: out installs only the new
 * instances and establishes the new relationship instances of existing
 * sources after their targets; in unlinks the staying peers (both sides)
 * before the removed instances are uninstalled. */
#include "plantest.h"
#include "testlib.h"

static const char topology[] = PLANTEST_CLOUDIFY PLANTEST_TYPES
	"node_templates:\n"
	"  vm: {type: full, instances: {deploy: 2}}\n"
	"  db: {type: full, instances: {deploy: 2}}\n"
	"  app:\n"
	"    type: full\n"
	"    relationships:\n"
	"      - {type: cloudify.relationships.contained_in, target: vm}\n"
	"      - {type: linked, target: db}\n"
	"  lb:\n"
	"    type: full\n"
	"    relationships: [{type: linked, target: app}]\n";

struct fx {
	struct model *m;
	struct plan *p;
	struct plan_modification mod;
	struct wf_graph *g;
};

static void setup(struct fx *fx, gconstpointer data)
{
	fx->m = plantest_model(topology);
	fx->p = plan_build(fx->m, 17);
	plan_modification_init(&fx->mod);
}

static void teardown(struct fx *fx, gconstpointer data)
{
	wf_graph_free(fx->g);
	plan_modification_release(&fx->mod);
	plan_free(fx->p);
	model_free(fx->m);
}

static void scale(struct fx *fx, const char *what, int delta)
{
	g_autoptr(bp_error) err = NULL;

	plan_modification_release(&fx->mod);
	g_assert_true(plan_scale(fx->p, what, delta, NULL, &fx->mod, &err));
}

static const char *saved(const struct plan_instance *i, void *data)
{
	return g_hash_table_lookup(data, i);
}

static void test_out(struct fx *fx, gconstpointer data)
{
	g_autoptr(bp_error) err = NULL;
	struct plan_instance *vm, *app, *lb = plantest_inst(fx->p, "lb", 0);
	struct plan_instance *db = plantest_inst(fx->p, "db", 0);
	struct wf_step *est_s, *est_t;
	struct wf_graph *g;

	scale(fx, "vm", 1);
	g_assert_true(wf_scale_out(fx->p, &fx->mod, NULL, &fx->g, &err));
	g = fx->g;
	wftest_check(g);
	g_assert_cmpstr(g->name, ==, "scale");
	vm = fx->mod.added->pdata[0];
	app = fx->mod.added->pdata[1];
	/* vm: 5; app: 5 + 2 relationships x 3 points x 2 sides + started;
	 * lb -> new app: establish on both sides */
	g_assert_cmpuint(g->steps->len, ==, 5 + 5 + 12 + 1 + 2);
	g_assert_cmpuint(wftest_count(g, "create"), ==, 2);
	g_assert_true(wftest_before(g, wftest_op(g, vm, "poststart"),
				    wftest_op(g, app, "precreate")));
	/* existing targets get their side of the new app's relationships */
	g_assert_true(wftest_relop(g, app, db, "target", "preconfigure")
		      ->instance == db);
	est_s = wftest_relop(g, lb, app, "source", "establish");
	est_t = wftest_relop(g, lb, app, "target", "establish");
	g_assert_true(est_s->instance == lb);
	g_assert_true(est_t->instance == app);
	g_assert_true(wftest_before(g, wftest_state(g, app, "started"), est_s));
	g_assert_true(wftest_before(g, wftest_state(g, app, "started"), est_t));
	g_assert_null(wftest_find(g, "%s->%s#0/source/cloudify.interfaces."
				  "relationship_lifecycle.preconfigure", lb->id,
				  app->id));
}

static void test_out_resumed(struct fx *fx, gconstpointer data)
{
	g_autoptr(bp_error) err = NULL;
	g_autoptr(GHashTable) states = g_hash_table_new(NULL, NULL);
	struct wf_state_lookup lookup = { saved, states };
	struct plan_instance *app;

	scale(fx, "vm", 1);
	app = fx->mod.added->pdata[1];
	g_hash_table_insert(states, fx->mod.added->pdata[0],
			    (gpointer)"started");
	g_hash_table_insert(states, app, (gpointer)"started");
	g_assert_true(wf_scale_out(fx->p, &fx->mod, &lookup, &fx->g, &err));
	wftest_check(fx->g);
	/* only the establish steps on lb are left, waiting for nothing */
	g_assert_cmpuint(fx->g->steps->len, ==, 2);
	g_assert_cmpuint(fx->g->edges->len, ==, 0);
}

static void test_in(struct fx *fx, gconstpointer data)
{
	g_autoptr(bp_error) err = NULL;
	struct plan_instance *vm, *app, *lb = plantest_inst(fx->p, "lb", 0);
	struct plan_instance *db = plantest_inst(fx->p, "db", 1);
	struct wf_step *un_s, *un_t;
	struct wf_graph *g;

	scale(fx, "vm", -1);
	vm = fx->mod.removed->pdata[0];
	app = fx->mod.removed->pdata[1];
	g_assert_true(wf_scale_in(fx->p, &fx->mod, NULL, &fx->g, &err));
	g = fx->g;
	wftest_check(g);
	/* vm: 4; app: 4 + unlink of 2 relationships x 2 sides; lb: 2 */
	g_assert_cmpuint(g->steps->len, ==, 4 + 4 + 4 + 2);
	g_assert_cmpuint(wftest_count(g, "delete"), ==, 2);
	/* the staying lb unlinks first, both sides (the relationship
	 * instance left lb's list: the key is written out) */
	un_s = wftest_step(g, "%s->%s#0/source/cloudify.interfaces."
			   "relationship_lifecycle.unlink", lb->id, app->id);
	un_t = wftest_step(g, "%s->%s#0/target/cloudify.interfaces."
			   "relationship_lifecycle.unlink", lb->id, app->id);
	g_assert_cmpuint(lb->rels->len, ==, 1);
	g_assert_true(un_s->instance == lb);
	g_assert_true(wftest_concurrent(g, un_s, un_t));
	g_assert_true(wftest_before(g, un_s, wftest_op(g, app, "prestop")));
	g_assert_true(wftest_before(g, un_t, wftest_op(g, app, "prestop")));
	/* the staying db gets its side of the app's unlink */
	g_assert_true(wftest_relop(g, app, db, "target", "unlink")->instance ==
		      db);
	/* the app goes before its vm */
	g_assert_true(wftest_before(g, wftest_op(g, app, "postdelete"),
				    wftest_op(g, vm, "prestop")));
	g_assert_cmpstr(wftest_op(g, vm, "postdelete")->state_done, ==,
			"deleted");
}

static void test_in_never_created(struct fx *fx, gconstpointer data)
{
	g_autoptr(bp_error) err = NULL;
	g_autoptr(GHashTable) states = g_hash_table_new(NULL, NULL);
	struct wf_state_lookup lookup = { saved, states };

	/* a scale out whose install never ran, undone */
	scale(fx, "vm", 1);
	scale(fx, "vm", -1);
	for (guint i = 0; i < fx->mod.removed->len; i++)
		g_hash_table_insert(states, fx->mod.removed->pdata[i],
				    (gpointer)"initial");
	g_assert_true(wf_scale_in(fx->p, &fx->mod, &lookup, &fx->g, &err));
	g_assert_cmpuint(fx->g->steps->len, ==, 0);
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
#define ADD(path, fn) \
	g_test_add("/wf/scale/" path, struct fx, NULL, setup, fn, teardown)
	ADD("out", test_out);
	ADD("out-resumed", test_out_resumed);
	ADD("in", test_in);
	ADD("in-never-created", test_in_never_created);
	return g_test_run();
}
