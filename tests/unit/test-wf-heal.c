/* test-wf-heal.c: heal: the instance's own heal operation when its node
 * implements one, and the fallback that reinstalls the subtree of the
 * instance's Compute host, unlinking and re-establishing the
 * relationship instances that reach the subtree from outside. */
#include "plantest.h"
#include "testlib.h"

static const char topology[] = PLANTEST_CLOUDIFY PLANTEST_TYPES
	"node_templates:\n"
	"  vm: {type: cloudify.nodes.Compute}\n"
	"  db: {type: full}\n"
	"  app:\n"
	"    type: full\n"
	"    interfaces:\n"
	"      cloudify.interfaces.lifecycle: {heal: script.op}\n"
	"    relationships:\n"
	"      - {type: cloudify.relationships.contained_in, target: vm}\n"
	"      - {type: linked, target: db}\n"
	"  mid:\n"
	"    type: full\n"
	"    relationships:\n"
	"      - {type: cloudify.relationships.contained_in, target: app}\n"
	"  lb:\n"
	"    type: full\n"
	"    relationships: [{type: linked, target: app}]\n";

struct fx {
	struct model *m;
	struct plan *p;
	struct wf_graph *heal, *reinstall;
	struct plan_instance *vm, *db, *app, *mid, *lb;
};

static void setup(struct fx *fx, gconstpointer data)
{
	fx->m = plantest_model(topology);
	fx->p = plan_build(fx->m, 19);
	fx->vm = plantest_inst(fx->p, "vm", 0);
	fx->db = plantest_inst(fx->p, "db", 0);
	fx->app = plantest_inst(fx->p, "app", 0);
	fx->mid = plantest_inst(fx->p, "mid", 0);
	fx->lb = plantest_inst(fx->p, "lb", 0);
}

static void teardown(struct fx *fx, gconstpointer data)
{
	wf_graph_free(fx->heal);
	wf_graph_free(fx->reinstall);
	plan_free(fx->p);
	model_free(fx->m);
}

static void heal(struct fx *fx, struct plan_instance *i)
{
	g_autoptr(bp_error) err = NULL;

	wf_graph_free(fx->heal);
	wf_graph_free(fx->reinstall);
	g_assert_true(wf_heal(fx->p, i, &fx->heal, &fx->reinstall, &err));
	g_assert_nonnull(fx->reinstall);
	g_assert_cmpstr(fx->reinstall->name, ==, "heal");
	wftest_check(fx->reinstall);
}

static void test_reinstall(struct fx *fx, gconstpointer data)
{
	struct plan_instance *tree[] = { fx->vm, fx->app, fx->mid };
	struct wf_graph *g;
	struct wf_step *un_s, *un_t, *est_s, *est_t;

	heal(fx, fx->mid);
	g = fx->reinstall;
	/* mid implements no heal operation */
	g_assert_null(fx->heal);
	/* only app and mid have operations to create; db and lb only their
	 * sides of the relationships */
	g_assert_cmpuint(wftest_count(g, "create"), ==, 2);
	g_assert_cmpuint(wftest_count(g, "delete"), ==, 2);
	g_assert_null(wftest_find(g, "%s/cloudify.interfaces.lifecycle.stop",
				  fx->db->id));
	for (size_t k = 0; k < G_N_ELEMENTS(tree); k++) {
		struct wf_step *deleted = k ? wftest_op(g, tree[k], "postdelete")
			: wftest_state(g, tree[k], "deleted");
		struct wf_step *creating = k ? wftest_op(g, tree[k], "precreate")
			: wftest_state(g, tree[k], "created");
		g_assert_true(wftest_before(g, deleted, creating));
	}
	/* down from the inside out, up from the host */
	g_assert_true(wftest_before(g, wftest_op(g, fx->mid, "postdelete"),
				    wftest_op(g, fx->app, "prestop")));
	g_assert_true(wftest_before(g, wftest_op(g, fx->app, "postdelete"),
				    wftest_state(g, fx->vm, "stopped")));
	g_assert_true(wftest_before(g, wftest_state(g, fx->vm, "started"),
				    wftest_op(g, fx->app, "precreate")));
	g_assert_true(wftest_before(g, wftest_state(g, fx->app, "started"),
				    wftest_op(g, fx->mid, "precreate")));
	/* app's own relationship to db: unlinked, then set up again */
	g_assert_true(wftest_before(g, wftest_relop(g, fx->app, fx->db,
				    "target", "unlink"),
				    wftest_relop(g, fx->app, fx->db, "target",
						 "preconfigure")));
	/* lb -> app from outside: unlink before app goes, establish after
	 * it is back */
	un_s = wftest_relop(g, fx->lb, fx->app, "source", "unlink");
	un_t = wftest_relop(g, fx->lb, fx->app, "target", "unlink");
	est_s = wftest_relop(g, fx->lb, fx->app, "source", "establish");
	est_t = wftest_relop(g, fx->lb, fx->app, "target", "establish");
	g_assert_true(un_s->instance == fx->lb);
	g_assert_true(wftest_before(g, un_s, wftest_op(g, fx->app, "prestop")));
	g_assert_true(wftest_before(g, un_t, wftest_op(g, fx->app, "prestop")));
	g_assert_true(wftest_before(g, wftest_state(g, fx->app, "started"),
				    est_s));
	g_assert_true(wftest_before(g, wftest_state(g, fx->app, "started"),
				    est_t));
	g_assert_null(wftest_find(g, "%s->%s#0/source/cloudify.interfaces."
				  "relationship_lifecycle.preconfigure",
				  fx->lb->id, fx->app->id));
}

static void test_heal_operation(struct fx *fx, gconstpointer data)
{
	struct wf_step *s;

	heal(fx, fx->app);
	g_assert_nonnull(fx->heal);
	g_assert_cmpstr(fx->heal->name, ==, "heal");
	wftest_check(fx->heal);
	g_assert_cmpuint(fx->heal->steps->len, ==, 1);
	s = fx->heal->steps->pdata[0];
	g_assert_true(s == wftest_op(fx->heal, fx->app, "heal"));
	g_assert_true(s->instance == fx->app);
	g_assert_null(s->state_start);
	/* the fallback is the same subtree as for mid */
	g_assert_cmpuint(wftest_count(fx->reinstall, "create"), ==, 2);
}

static void test_no_host(struct fx *fx, gconstpointer data)
{
	g_autoptr(bp_error) err = NULL;
	struct plan_instance stranger = { .id = (char *)"db_zzzzzz" };

	heal(fx, fx->db);
	/* db alone, and app's side of its relationship to db */
	g_assert_cmpuint(wftest_count(fx->reinstall, "create"), ==, 1);
	wftest_relop(fx->reinstall, fx->app, fx->db, "source", "unlink");
	wftest_relop(fx->reinstall, fx->app, fx->db, "source", "establish");
	wf_graph_free(fx->reinstall);
	fx->reinstall = NULL;
	g_assert_false(wf_heal(fx->p, &stranger, &fx->heal, &fx->reinstall,
			       &err));
	g_assert_null(fx->reinstall);
	g_assert_cmpint(err->code, ==, BP_ERR_INVALID);
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
#define ADD(path, fn) \
	g_test_add("/wf/heal/" path, struct fx, NULL, setup, fn, teardown)
	ADD("reinstall", test_reinstall);
	ADD("heal-operation", test_heal_operation);
	ADD("no-host", test_no_host);
	return g_test_run();
}
