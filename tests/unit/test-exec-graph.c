/* test-exec-graph.c: the executor runs a task graph, not levels: order on
 * chains, diamonds and fan-outs, parallelism reached and never exceeded,
 * group caps, tasks restored as done, cycles, bad options, a large graph. */
#include "exectest.h"
#include "testlib.h"

static void assert_all_succeeded(struct xt *x, unsigned total)
{
	struct exec_counters c;

	exec_graph_counters(x->g, &c);
	g_assert_cmpuint(c.total, ==, total);
	g_assert_cmpuint(c.done, ==, total);
	g_assert_cmpuint(c.succeeded, ==, total);
	g_assert_cmpuint(c.running + c.ready + c.pending + c.waiting, ==, 0);
}

static void test_chain(void)
{
	struct xt *x = xt_new();
	struct exec_task *prev = NULL;

	for (int i = 0; i < 10; i++) {
		g_autofree char *name = g_strdup_printf("t%d", i);
		struct exec_task *t = xt_add(x, name, "O", NULL);

		if (prev)
			xt_edge(x, prev, t);
		prev = t;
	}
	xt_run_ok(x, NULL);
	xt_check_order(x, true);
	g_assert_cmpint(x->max_running, ==, 1);
	assert_all_succeeded(x, 10);
	xt_free(x);
}

/* No level barrier: in  a -> b -> c  and  d -> e,  c may start before d
 * has finished. d waits (bounded) until c has succeeded, so the run can
 * only succeed if c does not wait for the "level" of d. */
static enum exec_result wait_for_c(struct xt_task *t, struct exec_ctx *ctx)
{
	xt_wait_event(t->xt, "c", EXEC_TASK_SUCCEEDED);
	return EXEC_OK;
}

static void test_no_levels(void)
{
	struct xt *x = xt_new();
	struct exec_task *a = xt_add(x, "a", "O", NULL);
	struct exec_task *b = xt_add(x, "b", "O", NULL);
	struct exec_task *c = xt_add(x, "c", "O", NULL);
	struct exec_task *d = xt_add(x, "d", "O", NULL);
	struct exec_task *e = xt_add(x, "e", "O", NULL);

	xt_of(d)->body = wait_for_c;
	xt_edge(x, a, b);
	xt_edge(x, b, c);
	xt_edge(x, d, e);
	xt_run_ok(x, NULL);
	xt_check_order(x, true);
	g_assert_cmpuint(xt_of(e)->start_seq, >, xt_of(c)->end_seq);
	xt_free(x);
}

static void test_diamond(void)
{
	struct xt *x = xt_new();
	struct exec_task *a = xt_add(x, "a", "O", NULL);
	struct exec_task *b = xt_add(x, "b", "O", NULL);
	struct exec_task *c = xt_add(x, "c", "O", NULL);
	struct exec_task *d = xt_add(x, "d", "O", NULL);

	xt_of(b)->gated = xt_of(c)->gated = true;
	x->gate = 2;   /* b and c must overlap */
	xt_edge(x, a, b);
	xt_edge(x, a, c);
	xt_edge(x, b, d);
	xt_edge(x, c, d);
	xt_edge(x, a, d);   /* a redundant edge is harmless */
	xt_edge(x, a, d);   /* and so is a repeated one */
	xt_run_ok(x, NULL);
	xt_check_order(x, true);
	g_assert_cmpint(x->max_running, ==, 2);
	assert_all_succeeded(x, 4);
	xt_free(x);
}

/* A fan-out of `width` tasks between a root and a sink, at `parallelism`:
 * the most calls at once is exactly min(parallelism, width). */
static void check_fanout(unsigned width, unsigned parallelism)
{
	struct exec_options o = EXEC_OPTIONS_INIT;
	struct xt *x = xt_new();
	struct exec_task *root = xt_add(x, "root", "O", NULL);
	struct exec_task *sink = xt_add(x, "sink", "O", NULL);

	for (unsigned i = 0; i < width; i++) {
		g_autofree char *name = g_strdup_printf("leaf%u", i);
		struct exec_task *t = xt_add(x, name, "O", NULL);

		xt_of(t)->gated = true;
		xt_of(t)->body_us = 1000;
		xt_edge(x, root, t);
		xt_edge(x, t, sink);
	}
	o.parallelism = parallelism;
	x->gate = MIN(parallelism, width);
	xt_run_ok(x, &o);
	xt_check_order(x, true);
	g_assert_cmpint(x->max_running, ==, MIN(parallelism, width));
	g_assert_cmpuint(g_hash_table_size(x->threads), <=, parallelism);
	assert_all_succeeded(x, width + 2);
	xt_free(x);
}

static void test_fanout(void)
{
	check_fanout(12, 4);
	check_fanout(3, 8);
	check_fanout(30, EXEC_DEFAULT_PARALLELISM);
}

/* Group caps: never more calls of a group than its cap, and a task held
 * back by its cap holds no worker: with the capped tasks first in the
 * queue, the other group still fills the remaining workers. */
static void test_group_caps(void)
{
	struct exec_options o = EXEC_OPTIONS_INIT;
	struct xt *x = xt_new();

	for (int i = 0; i < 12; i++) {
		g_autofree char *name = g_strdup_printf("k%d", i);

		xt_of(xt_add_group(x, name, "kubernetes", "O"))->gated = true;
	}
	for (int i = 0; i < 6; i++) {
		g_autofree char *name = g_strdup_printf("o%d", i);

		xt_of(xt_add_group(x, name, "openstack", "O"))->gated = true;
	}
	exec_graph_set_group_cap(x->g, "kubernetes", 2);
	exec_graph_set_group_cap(x->g, "openstack", 3);
	o.parallelism = 4;
	x->gate = 4;
	xt_run_ok(x, &o);
	g_assert_cmpint(xt_group_max(x, "kubernetes"), ==, 2);
	g_assert_cmpint(xt_group_max(x, "openstack"), <=, 3);
	g_assert_cmpint(x->max_running, ==, 4);
	assert_all_succeeded(x, 18);
	xt_free(x);
}

/* Tasks restored as done are not run, release their dependents at once and
 * are not reported to the hook or the listener. */
static void test_done_tasks(void)
{
	struct exec_task_options done = EXEC_TASK_OPTIONS_INIT;
	struct xt *x = xt_new();
	struct exec_task *a, *b, *c, *d;
	struct exec_counters cnt;

	done.done = true;
	a = xt_add(x, "a", "X", &done);
	b = xt_add(x, "b", "O", NULL);
	c = xt_add(x, "c", "O", NULL);
	d = xt_add(x, "d", "X", &done);
	xt_edge(x, a, b);
	xt_edge(x, b, c);
	xt_edge(x, d, c);
	exec_graph_counters(x->g, &cnt);
	g_assert_cmpuint(cnt.done, ==, 2);
	g_assert_cmpuint(cnt.pending, ==, 2);
	xt_run_ok(x, NULL);
	g_assert_cmpuint(xt_of(a)->calls + xt_of(d)->calls, ==, 0);
	g_assert_cmpuint(xt_of(b)->calls, ==, 1);
	g_assert_cmpuint(xt_count(x, "a", EXEC_TASK_SUCCEEDED) +
			 xt_count(x, "d", EXEC_TASK_SUCCEEDED), ==, 0);
	g_assert_cmpuint(xt_count(x, NULL, EXEC_TASK_SUCCEEDED), ==, 2);
	g_assert_cmpint(exec_task_state(a), ==, EXEC_TASK_SUCCEEDED);
	g_assert_cmpuint(exec_task_attempts(a), ==, 0);
	assert_all_succeeded(x, 4);
	xt_free(x);
}

static void test_all_done(void)
{
	struct exec_task_options done = EXEC_TASK_OPTIONS_INIT;
	struct xt *x = xt_new();

	done.done = true;
	xt_add(x, "a", "X", &done);
	xt_run_ok(x, NULL);
	g_assert_cmpuint(x->events->len, ==, 0);
	xt_free(x);
}

static char *cycle_error(struct xt *x)
{
	char *msg = xt_run_fails(x, NULL, BP_ERR_INVALID);
	struct exec_counters c;

	exec_graph_counters(x->g, &c);
	g_assert_cmpuint(c.done, ==, 0);
	g_assert_cmpuint(x->events->len, ==, 0);
	return msg;
}

static void test_cycle(void)
{
	struct xt *x = xt_new();
	struct exec_task *a = xt_add(x, "a", "O", NULL);
	struct exec_task *b = xt_add(x, "b", "O", NULL);
	struct exec_task *c = xt_add(x, "c", "O", NULL);
	struct exec_task *d = xt_add(x, "d", "O", NULL);
	g_autofree char *msg = NULL;

	xt_edge(x, d, a);
	xt_edge(x, a, b);
	xt_edge(x, b, c);
	xt_edge(x, c, a);
	msg = cycle_error(x);
	g_assert_cmpstr(msg, ==,
			"cycle in the task graph: 'a' -> 'b' -> 'c' -> 'a'");
	g_assert_cmpuint(xt_of(d)->calls, ==, 0);
	xt_free(x);
}

static void test_self_loop(void)
{
	struct xt *x = xt_new();
	struct exec_task *a = xt_add(x, "a", "O", NULL);
	g_autofree char *msg = NULL;

	xt_edge(x, a, a);
	msg = cycle_error(x);
	g_assert_cmpstr(msg, ==, "cycle in the task graph: 'a' -> 'a'");
	xt_free(x);
}

static void test_long_cycle(void)
{
	struct xt *x = xt_new();
	struct exec_task *first = NULL, *prev = NULL;
	g_autofree char *msg = NULL;

	for (int i = 0; i < 20; i++) {
		g_autofree char *name = g_strdup_printf("t%d", i);
		struct exec_task *t = xt_add(x, name, "O", NULL);

		if (prev)
			xt_edge(x, prev, t);
		else
			first = t;
		prev = t;
	}
	xt_edge(x, prev, first);
	msg = cycle_error(x);
	g_assert_cmpstr(msg, ==, "cycle in the task graph: 't0' -> 't1' -> "
			"'t2' -> 't3' -> 't4' -> 't5' -> 't6' -> 't7' -> ... "
			"-> 't0'");
	xt_free(x);
}

static void test_bad_options(void)
{
	struct exec_options o = EXEC_OPTIONS_INIT;
	struct xt *x = xt_new();
	g_autofree char *msg = NULL, *msg2 = NULL;

	xt_add(x, "a", "O", NULL);
	o.parallelism = 0;
	msg = xt_run_fails(x, &o, BP_ERR_INVALID);
	g_assert_cmpstr(msg, ==, "invalid parallelism 0, expected 1 to 1024");
	g_assert_cmpuint(x->events->len, ==, 0);
	xt_free(x);

	x = xt_new();
	exec_options_init(&o);
	o.jitter = 1.5;
	msg2 = xt_run_fails(x, &o, BP_ERR_INVALID);
	g_assert_cmpstr(msg2, ==, "invalid executor option 'jitter', "
			"expected a number >= 0 (jitter: 0 to 1)");
	xt_free(x);
}

/* 10,000 tasks: layers of 100, each task after two tasks of the layer
 * before (a pseudo-random pick), so the graph is wide and deep. */
static void test_large(void)
{
	enum { LAYERS = 100, WIDTH = 100 };
	struct exec_options o = EXEC_OPTIONS_INIT;
	struct xt *x = xt_new();
	struct exec_task **t = g_new(struct exec_task *, LAYERS * WIDTH);

	for (int i = 0; i < LAYERS * WIDTH; i++) {
		char name[32];

		g_snprintf(name, sizeof name, "t%d", i);
		t[i] = xt_add(x, name, "O", NULL);
		if (i >= WIDTH) {
			int base = (i / WIDTH - 1) * WIDTH;

			xt_edge(x, t[base + (i * 7) % WIDTH], t[i]);
			xt_edge(x, t[base + (i * 13 + 5) % WIDTH], t[i]);
		}
	}
	o.parallelism = 8;
	xt_run_ok(x, &o);
	xt_check_order(x, true);
	g_assert_cmpint(x->max_running, <=, 8);
	g_assert_cmpuint(g_hash_table_size(x->threads), <=, 8);
	assert_all_succeeded(x, LAYERS * WIDTH);
	g_assert_cmpuint(x->hook_overlaps, ==, 0);
	g_free(t);
	xt_free(x);
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
	g_test_add_func("/exec/graph/chain", test_chain);
	g_test_add_func("/exec/graph/no-levels", test_no_levels);
	g_test_add_func("/exec/graph/diamond", test_diamond);
	g_test_add_func("/exec/graph/fanout", test_fanout);
	g_test_add_func("/exec/graph/group-caps", test_group_caps);
	g_test_add_func("/exec/graph/done-tasks", test_done_tasks);
	g_test_add_func("/exec/graph/all-done", test_all_done);
	g_test_add_func("/exec/graph/cycle", test_cycle);
	g_test_add_func("/exec/graph/self-loop", test_self_loop);
	g_test_add_func("/exec/graph/long-cycle", test_long_cycle);
	g_test_add_func("/exec/graph/bad-options", test_bad_options);
	g_test_add_func("/exec/graph/large", test_large);
	return g_test_run();
}
