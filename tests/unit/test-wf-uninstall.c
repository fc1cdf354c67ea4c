/* test-wf-uninstall.c: the graphs that take instances down or restart
 * them: uninstall in reverse order with unlink on both sides and its
 * states, steps skipped by saved states, and start, stop and restart. */
#include "plantest.h"
#include "testlib.h"

static const char chain[] = PLANTEST_CLOUDIFY PLANTEST_TYPES
	"node_templates:\n"
	"  a: {type: full}\n"
	"  b:\n"
	"    type: full\n"
	"    relationships: [{type: linked, target: a}]\n"
	"  c:\n"
	"    type: bare\n"
	"    relationships: [{type: link_src, target: b}]\n";

struct fx {
	struct model *m;
	struct plan *p;
	struct wf_graph *g;
	struct plan_instance *a, *b, *c;
};

static void setup(struct fx *fx, gconstpointer data)
{
	fx->m = plantest_model(chain);
	fx->p = plan_build(fx->m, 13);
	fx->a = plantest_inst(fx->p, "a", 0);
	fx->b = plantest_inst(fx->p, "b", 0);
	fx->c = plantest_inst(fx->p, "c", 0);
}

static void teardown(struct fx *fx, gconstpointer data)
{
	wf_graph_free(fx->g);
	plan_free(fx->p);
	model_free(fx->m);
}

static const char *saved(const struct plan_instance *i, void *data)
{
	return g_hash_table_lookup(data, i->node->name);
}

static void uninstall(struct fx *fx, const struct wf_state_lookup *states)
{
	g_autoptr(bp_error) err = NULL;

	wf_graph_free(fx->g);
	g_assert_true(wf_uninstall(fx->p, NULL, states, &fx->g, &err));
	g_assert_cmpstr(fx->g->name, ==, "uninstall");
	wftest_check(fx->g);
}

static void test_reverse(struct fx *fx, gconstpointer data)
{
	struct wf_graph *g;
	struct wf_step *un_s, *un_t, *c_un;

	uninstall(fx, NULL);
	g = fx->g;
	/* a, b: 4 ops; b->a: unlink x2; c (bare): 2 states, c->b: 1 */
	g_assert_cmpuint(g->steps->len, ==, 4 + 4 + 2 + 2 + 1);
	g_assert_cmpstr(wftest_op(g, fx->a, "prestop")->state_start, ==,
			"stopping");
	g_assert_cmpstr(wftest_op(g, fx->a, "stop")->state_done, ==, "stopped");
	g_assert_cmpstr(wftest_op(g, fx->a, "delete")->state_start, ==,
			"deleting");
	g_assert_cmpstr(wftest_op(g, fx->a, "postdelete")->state_done, ==,
			"deleted");
	/* the source goes first: c before b before a */
	g_assert_true(wftest_before(g, wftest_state(g, fx->c, "deleted"),
				    wftest_op(g, fx->b, "prestop")));
	g_assert_true(wftest_before(g, wftest_op(g, fx->b, "postdelete"),
				    wftest_op(g, fx->a, "prestop")));
	/* unlink: both sides at once, between b's stop and delete */
	un_s = wftest_relop(g, fx->b, fx->a, "source", "unlink");
	un_t = wftest_relop(g, fx->b, fx->a, "target", "unlink");
	g_assert_true(un_t->instance == fx->a);
	g_assert_true(wftest_concurrent(g, un_s, un_t));
	g_assert_true(wftest_before(g, wftest_op(g, fx->b, "stop"), un_t));
	g_assert_true(wftest_before(g, un_s, wftest_op(g, fx->b, "delete")));
	g_assert_true(wftest_before(g, un_t, wftest_op(g, fx->a, "prestop")));
	/* c has no operation: stopped is recorded on c before the unlink,
	 * which has a source side only */
	c_un = wftest_relop(g, fx->c, fx->b, "source", "unlink");
	g_assert_null(wftest_find(g, "%s->%s#0/target/cloudify.interfaces."
				  "relationship_lifecycle.unlink", fx->c->id,
				  fx->b->id));
	g_assert_true(wftest_before(g, wftest_state(g, fx->c, "stopped"),
				    c_un));
	g_assert_cmpstr(wftest_state(g, fx->c, "deleted")->state_start, ==,
			"deleting");
}

static void test_skip_states(struct fx *fx, gconstpointer data)
{
	g_autoptr(GHashTable) states = g_hash_table_new(g_str_hash,
							g_str_equal);
	struct wf_state_lookup lookup = { saved, states };

	g_hash_table_insert(states, (gpointer)"c", (gpointer)"deleted");
	g_hash_table_insert(states, (gpointer)"b", (gpointer)"stopped");
	g_hash_table_insert(states, (gpointer)"a", (gpointer)"started");
	uninstall(fx, &lookup);
	/* c: nothing; b: unlink and the delete phase; a: all */
	g_assert_null(wftest_find(fx->g, "%s/state:deleted", fx->c->id));
	g_assert_null(wftest_find(fx->g, "%s/cloudify.interfaces.lifecycle."
				  "stop", fx->b->id));
	g_assert_cmpuint(fx->g->steps->len, ==, (2 + 2) + 4);
	g_hash_table_insert(states, (gpointer)"b", (gpointer)"deleting");
	g_hash_table_insert(states, (gpointer)"a", (gpointer)"initial");
	uninstall(fx, &lookup);
	/* b: its delete phase only; a was never created */
	g_assert_cmpuint(fx->g->steps->len, ==, 2);
	wftest_op(fx->g, fx->b, "delete");
}

static void test_start_stop(struct fx *fx, gconstpointer data)
{
	g_autoptr(bp_error) err = NULL;
	struct wf_graph *g;

	g_assert_true(wf_start(fx->p, NULL, &fx->g, &err));
	g = fx->g;
	wftest_check(g);
	g_assert_cmpstr(g->name, ==, "start");
	/* start and poststart of a and b, a state step for c */
	g_assert_cmpuint(g->steps->len, ==, 5);
	g_assert_cmpuint(wftest_count(g, "create"), ==, 0);
	g_assert_cmpstr(wftest_op(g, fx->a, "start")->state_start, ==,
			"starting");
	g_assert_true(wftest_before(g, wftest_op(g, fx->a, "poststart"),
				    wftest_op(g, fx->b, "start")));
	g_assert_true(wftest_before(g, wftest_op(g, fx->b, "poststart"),
				    wftest_state(g, fx->c, "started")));
	wf_graph_free(g);
	g_assert_true(wf_stop(fx->p, NULL, &fx->g, &err));
	g = fx->g;
	wftest_check(g);
	g_assert_cmpuint(g->steps->len, ==, 5);
	g_assert_true(wftest_before(g, wftest_state(g, fx->c, "stopped"),
				    wftest_op(g, fx->b, "prestop")));
	g_assert_true(wftest_before(g, wftest_op(g, fx->b, "stop"),
				    wftest_op(g, fx->a, "prestop")));
}

static void test_restart(struct fx *fx, gconstpointer data)
{
	g_autoptr(bp_error) err = NULL;
	struct wf_graph *g;

	g_assert_true(wf_restart(fx->p, NULL, &fx->g, &err));
	g = fx->g;
	wftest_check(g);
	g_assert_cmpstr(g->name, ==, "restart");
	g_assert_cmpuint(g->steps->len, ==, 10);
	/* everything stops (sources first), then starts (targets first) */
	g_assert_true(wftest_before(g, wftest_state(g, fx->c, "stopped"),
				    wftest_op(g, fx->a, "prestop")));
	g_assert_true(wftest_before(g, wftest_op(g, fx->a, "stop"),
				    wftest_op(g, fx->a, "start")));
	g_assert_true(wftest_before(g, wftest_op(g, fx->b, "poststart"),
				    wftest_state(g, fx->c, "started")));
	g_assert_true(wftest_before(g, wftest_state(g, fx->c, "stopped"),
				    wftest_state(g, fx->c, "started")));
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
#define ADD(path, fn) \
	g_test_add("/wf/uninstall/" path, struct fx, NULL, setup, fn, teardown)
	ADD("reverse", test_reverse);
	ADD("skip-states", test_skip_states);
	ADD("start-stop", test_start_stop);
	ADD("restart", test_restart);
	return g_test_run();
}
