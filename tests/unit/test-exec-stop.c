/* test-exec-stop.c: how runs end: dependents of a failed task are skipped
 * while independent branches finish, fail_fast, ignore_failure, the commit
 * hook (before dependents, never concurrent, its failure stops the run),
 * cancellation from a thread or a signal, the grace period, abandoned
 * calls and the deferred free of the graph. */
#include "exectest.h"
#include "testlib.h"

#include <signal.h>
#include <unistd.h>

static void assert_state(struct exec_task *t, enum exec_task_state s)
{
	g_assert_cmpstr(exec_task_state_name(exec_task_state(t)), ==,
			exec_task_state_name(s));
}

/* a -> {b, c} -> d -> g, and e -> f apart. b fails: d and g are skipped,
 * c, e and f finish. */
static void test_skip_dependents(void)
{
	struct xt *x = xt_new();
	struct exec_task *a = xt_add(x, "a", "O", NULL);
	struct exec_task *b = xt_add(x, "b", "X", NULL);
	struct exec_task *c = xt_add(x, "c", "O", NULL);
	struct exec_task *d = xt_add(x, "d", "O", NULL);
	struct exec_task *g = xt_add(x, "g", "O", NULL);
	struct exec_task *e = xt_add(x, "e", "O", NULL);
	struct exec_task *f = xt_add(x, "f", "O", NULL);
	g_autofree char *msg = NULL;
	struct exec_counters cnt;

	xt_of(c)->body_us = xt_of(e)->body_us = 10000;
	xt_edge(x, a, b);
	xt_edge(x, a, c);
	xt_edge(x, b, d);
	xt_edge(x, c, d);
	xt_edge(x, d, g);
	xt_edge(x, e, f);
	msg = xt_run_fails(x, NULL, BP_ERR_PLUGIN);
	g_assert_cmpstr(msg, ==, "task 'b' failed: fatal 1");
	assert_state(a, EXEC_TASK_SUCCEEDED);
	assert_state(b, EXEC_TASK_FAILED);
	assert_state(c, EXEC_TASK_SUCCEEDED);
	assert_state(d, EXEC_TASK_SKIPPED);
	assert_state(g, EXEC_TASK_SKIPPED);
	assert_state(e, EXEC_TASK_SUCCEEDED);
	assert_state(f, EXEC_TASK_SUCCEEDED);
	g_assert_cmpstr(exec_task_message(g), ==,
			"skipped: dependency 'b' failed");
	g_assert_cmpuint(xt_of(d)->calls + xt_of(g)->calls, ==, 0);
	g_assert_cmpuint(exec_graph_failed(x->g)->len, ==, 1);
	g_assert_true(exec_graph_failed(x->g)->pdata[0] == b);
	exec_graph_counters(x->g, &cnt);
	g_assert_cmpuint(cnt.skipped, ==, 2);
	g_assert_cmpuint(cnt.done, ==, 7);
	xt_check_order(x, true);
	xt_free(x);
}

/* One worker: the first task fails, nothing else starts. */
static void test_fail_fast(void)
{
	struct exec_options o = EXEC_OPTIONS_INIT;
	struct xt *x = xt_new();
	struct exec_task *a = xt_add(x, "a", "X", NULL);
	struct exec_task *b = xt_add(x, "b", "O", NULL);
	struct exec_task *c = xt_add(x, "c", "O", NULL);
	struct exec_task *d = xt_add(x, "d", "O", NULL);
	g_autofree char *msg = NULL;

	xt_edge(x, a, d);
	o.parallelism = 1;
	o.fail_fast = true;
	msg = xt_run_fails(x, &o, BP_ERR_PLUGIN);
	g_assert_cmpstr(msg, ==, "task 'a' failed: fatal 1");
	assert_state(d, EXEC_TASK_SKIPPED);
	assert_state(b, EXEC_TASK_NOT_RUN);
	assert_state(c, EXEC_TASK_NOT_RUN);
	g_assert_cmpstr(exec_task_message(b), ==,
			"not started: a task failed and fail_fast is set");
	g_assert_cmpuint(xt_of(b)->calls + xt_of(c)->calls, ==, 0);
	xt_free(x);
}

/* fail_fast lets running calls finish: y waits until x has failed, then
 * succeeds; w does the same but asks for a retry, which is refused; z,
 * queued, never starts. */
static enum exec_result after_x_failed(struct xt_task *t, struct exec_ctx *ctx)
{
	xt_wait_event(t->xt, "x", EXEC_TASK_FAILED);
	if (t->script[0] == 'R')
		return exec_ctx_retry(ctx, 0, "later");
	return EXEC_OK;
}

static void test_fail_fast_running_finish(void)
{
	struct exec_options o = EXEC_OPTIONS_INIT;
	struct xt *x = xt_new();
	struct exec_task *y = xt_add(x, "y", "O", NULL);
	struct exec_task *w = xt_add(x, "w", "R", NULL);
	struct exec_task *xx = xt_add(x, "x", "X", NULL);
	struct exec_task *z = xt_add(x, "z", "O", NULL);
	g_autofree char *msg = NULL;

	xt_of(y)->body = xt_of(w)->body = after_x_failed;
	o.parallelism = 3;
	o.fail_fast = true;
	msg = xt_run_fails(x, &o, BP_ERR_PLUGIN);
	g_assert_cmpstr(msg, ==, "task 'x' failed: fatal 1");
	assert_state(xx, EXEC_TASK_FAILED);
	assert_state(y, EXEC_TASK_SUCCEEDED);
	assert_state(w, EXEC_TASK_CANCELLED);
	g_assert_cmpstr(exec_task_message(w), ==, "later; not retried: a task "
			"failed and fail_fast is set");
	assert_state(z, EXEC_TASK_NOT_RUN);
	xt_free(x);
}

/* ignore_failure: a failed task releases its dependents; the run succeeds
 * and the failure is still listed. */
static void test_ignore_failure(void)
{
	struct exec_options o = EXEC_OPTIONS_INIT;
	struct bp_error *err = NULL;
	struct xt *x = xt_new();
	struct exec_task *a = xt_add(x, "a", "X", NULL);
	struct exec_task *b = xt_add(x, "b", "O", NULL);
	struct exec_task *c = xt_add(x, "c", "O", NULL);

	xt_edge(x, a, b);
	xt_edge(x, b, c);
	o.ignore_failure = true;
	o.fail_fast = true;   /* applies to failures that are not ignored */
	g_assert_true(xt_run(x, &o, &err));
	g_assert_null(err);
	assert_state(a, EXEC_TASK_FAILED);
	assert_state(b, EXEC_TASK_SUCCEEDED);
	assert_state(c, EXEC_TASK_SUCCEEDED);
	g_assert_cmpuint(exec_graph_failed(x->g)->len, ==, 1);
	xt_check_order(x, false);
	xt_free(x);
}

/* The hook runs on the coordinator, one call at a time, and a dependent
 * starts only after its predecessor's SUCCEEDED is committed. */
static void test_hook_order(void)
{
	struct exec_options o = EXEC_OPTIONS_INIT;
	struct xt *x = xt_new();
	struct exec_task *t[60];

	for (int i = 0; i < 60; i++) {
		g_autofree char *name = g_strdup_printf("t%d", i);

		t[i] = xt_add(x, name, i % 7 ? "O" : "RO", NULL);
		xt_of(t[i])->body_us = 500;
		if (i >= 6)
			xt_edge(x, t[i - 6 + i % 3], t[i]);
		if (i >= 10)
			xt_edge(x, t[i / 2], t[i]);
	}
	o.parallelism = 4;
	g_assert_true(xt_run(x, &o, NULL));
	g_assert_cmpuint(x->hook_overlaps, ==, 0);
	xt_check_order(x, true);
	g_assert_cmpuint(xt_count(x, NULL, EXEC_TASK_SUCCEEDED), ==, 60);
	g_assert_cmpuint(xt_count(x, NULL, EXEC_TASK_RUNNING), ==, 60 + 9);
	xt_free(x);
}

/* A hook failure stops the run like a fatal failure, and the dependents of
 * the task whose state could not be recorded do not start. */
static void test_hook_error(void)
{
	struct exec_options o = EXEC_OPTIONS_INIT;
	struct xt *x = xt_new();
	struct exec_task *a = xt_add(x, "a", "O", NULL);
	struct exec_task *b = xt_add(x, "b", "O", NULL);
	struct exec_task *c = xt_add(x, "c", "O", NULL);
	struct exec_task *d = xt_add(x, "d", "O", NULL);
	struct exec_task *e = xt_add(x, "e", "X", NULL);
	g_autofree char *msg = NULL;

	xt_edge(x, a, b);
	xt_edge(x, b, c);
	xt_edge(x, c, e);
	x->fail_task = "b";
	o.parallelism = 1;
	msg = xt_run_fails(x, &o, BP_ERR_IO);
	g_assert_cmpstr(msg, ==, "recording task 'b' as succeeded: disk full");
	assert_state(a, EXEC_TASK_SUCCEEDED);
	assert_state(d, EXEC_TASK_SUCCEEDED);
	assert_state(b, EXEC_TASK_SUCCEEDED);
	assert_state(c, EXEC_TASK_NOT_RUN);
	g_assert_cmpuint(xt_of(c)->calls, ==, 0);
	/* The hook and listener still hear about the tasks that follow. */
	g_assert_cmpstr(xt_find(x, "c", EXEC_TASK_NOT_RUN, 0)->message, ==,
			"not started: recording a task state failed");
	g_assert_cmpuint(xt_count(x, "e", EXEC_TASK_NOT_RUN), ==, 1);
	xt_free(x);
}

struct canceller {
	struct xt *x;
	int running;   /* cancel once this many calls run */
	bool by_signal;
};

static struct exec_graph *signal_graph;

static void on_sigusr1(int sig)
{
	if (signal_graph)
		exec_cancel(signal_graph);
}

static gpointer cancel_later(gpointer data)
{
	struct canceller *c = data;

	xt_wait_running(c->x, c->running);
	if (c->by_signal)
		kill(getpid(), SIGUSR1);
	else
		exec_cancel(c->x->g);
	return NULL;
}

/* Two 'H' calls run, then another thread cancels: they see the flag and
 * their deadline moved to the end of the grace period, return, and are
 * CANCELLED; the rest is NOT_RUN. */
static void run_cancelled(bool by_signal)
{
	struct exec_options o = EXEC_OPTIONS_INIT;
	struct xt *x = xt_new();
	struct exec_task *h1 = xt_add(x, "h1", "H", NULL);
	struct exec_task *h2 = xt_add(x, "h2", "H", NULL);
	struct exec_task *h3 = xt_add(x, "h3", "H", NULL);
	struct exec_task *c = xt_add(x, "c", "O", NULL);
	struct canceller cn = { x, 2, by_signal };
	g_autofree char *msg = NULL;
	struct exec_counters cnt;
	GThread *th;

	xt_edge(x, h1, c);
	o.parallelism = 2;
	signal_graph = x->g;
	th = g_thread_new("cancel", cancel_later, &cn);
	msg = xt_run_fails(x, &o, BP_ERR_CANCELLED);
	g_thread_join(th);
	g_assert_cmpstr(msg, ==, "the run was cancelled");
	assert_state(h1, EXEC_TASK_CANCELLED);
	assert_state(h2, EXEC_TASK_CANCELLED);
	g_assert_cmpstr(exec_task_message(h1), ==,
			"failure 1; not retried: the run was cancelled");
	g_assert_true(xt_of(h1)->saw_cancel && xt_of(h2)->saw_cancel);
	g_assert_cmpint(xt_of(h1)->saw_deadline, !=, G_MAXINT64);
	assert_state(h3, EXEC_TASK_NOT_RUN);
	assert_state(c, EXEC_TASK_NOT_RUN);
	g_assert_cmpuint(xt_of(h3)->calls + xt_of(c)->calls, ==, 0);
	exec_graph_counters(x->g, &cnt);
	g_assert_cmpuint(cnt.cancelled, ==, 2);
	g_assert_cmpuint(cnt.not_run, ==, 2);
	g_assert_cmpuint(cnt.done, ==, 4);
	signal_graph = NULL;
	xt_free(x);
}

static void test_cancel_thread(void)
{
	run_cancelled(false);
}

static void test_cancel_signal(void)
{
	struct sigaction sa = { 0 }, old;

	sa.sa_handler = on_sigusr1;
	sigemptyset(&sa.sa_mask);
	g_assert_cmpint(sigaction(SIGUSR1, &sa, &old), ==, 0);
	run_cancelled(true);
	g_assert_cmpint(sigaction(SIGUSR1, &old, NULL), ==, 0);
}

static void test_cancel_before_run(void)
{
	struct xt *x = xt_new();
	struct exec_task *a = xt_add(x, "a", "O", NULL);
	g_autofree char *msg = NULL;

	exec_cancel(x->g);
	exec_cancel(x->g);
	msg = xt_run_fails(x, NULL, BP_ERR_CANCELLED);
	assert_state(a, EXEC_TASK_NOT_RUN);
	g_assert_cmpuint(xt_of(a)->calls, ==, 0);
	xt_free(x);
}

/* A cancel during a long retry wait ends the run at once. */
static gpointer cancel_when_waiting(gpointer data)
{
	struct xt *x = data;

	xt_wait_event(x, "a", EXEC_TASK_WAITING);
	exec_cancel(x->g);
	return NULL;
}

static void test_cancel_waiting(void)
{
	struct xt *x = xt_new();
	struct exec_task *a = xt_add(x, "a", "RO", NULL);
	g_autofree char *msg = NULL;
	GThread *th;

	xt_of(a)->retry_after = 3600;
	th = g_thread_new("cancel", cancel_when_waiting, x);
	msg = xt_run_fails(x, NULL, BP_ERR_CANCELLED);
	g_thread_join(th);
	assert_state(a, EXEC_TASK_CANCELLED);
	g_assert_cmpstr(exec_task_message(a), ==,
			"stopped before attempt 2: the run was cancelled");
	g_assert_cmpuint(xt_of(a)->calls, ==, 1);
	xt_free(x);
}

/* A call that ignores the cancel is abandoned after the grace period: the
 * run returns while it still runs, and the graph's payloads are freed only
 * when it has returned, though exec_graph_free() was called before. */
static void test_grace_abandon(void)
{
	struct exec_options o = EXEC_OPTIONS_INIT;
	struct xt *x = xt_new();
	struct exec_task *b = xt_add(x, "b", "B", NULL);
	struct exec_task *c = xt_add(x, "c", "O", NULL);
	struct canceller cn = { x, 1, false };
	g_autofree char *msg = NULL;
	struct exec_counters cnt;
	GThread *th;

	xt_edge(x, b, c);
	o.cancel_grace = 0.05;
	th = g_thread_new("cancel", cancel_later, &cn);
	msg = xt_run_fails(x, &o, BP_ERR_CANCELLED);
	g_thread_join(th);
	assert_state(b, EXEC_TASK_CANCELLED);
	g_assert_cmpstr(exec_task_message(b), ==, "attempt 1 abandoned: still "
			"running 0.05 s after the run was cancelled");
	assert_state(c, EXEC_TASK_NOT_RUN);
	exec_graph_counters(x->g, &cnt);
	g_assert_cmpuint(cnt.abandoned, ==, 1);
	g_assert_cmpuint(cnt.running, ==, 0);

	exec_graph_free(g_steal_pointer(&x->g));
	g_mutex_lock(&x->lock);
	g_assert_cmpuint(x->freed, ==, 0);
	g_mutex_unlock(&x->lock);
	xt_release(x);
	xt_wait_freed(x, 2);
	xt_free(x);
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
	g_test_add_func("/exec/stop/skip-dependents", test_skip_dependents);
	g_test_add_func("/exec/stop/fail-fast", test_fail_fast);
	g_test_add_func("/exec/stop/fail-fast-running-finish",
			test_fail_fast_running_finish);
	g_test_add_func("/exec/stop/ignore-failure", test_ignore_failure);
	g_test_add_func("/exec/stop/hook-order", test_hook_order);
	g_test_add_func("/exec/stop/hook-error", test_hook_error);
	g_test_add_func("/exec/stop/cancel-thread", test_cancel_thread);
	g_test_add_func("/exec/stop/cancel-signal", test_cancel_signal);
	g_test_add_func("/exec/stop/cancel-before-run", test_cancel_before_run);
	g_test_add_func("/exec/stop/cancel-waiting", test_cancel_waiting);
	g_test_add_func("/exec/stop/grace-abandon", test_grace_abandon);
	return g_test_run();
}
