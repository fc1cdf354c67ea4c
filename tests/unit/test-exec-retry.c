/* test-exec-retry.c: what the executor does with results: RETRY waits on
 * the timer queue without holding a worker, recoverable failures back off
 * exponentially up to max_retries, fatal ones are not retried, attempts and
 * tasks time out, and every step is reported as an event. */
#include "exectest.h"
#include "testlib.h"

#define EPS 1e-9

/* With one worker, B runs between A's first attempt (RETRY) and its second:
 * the wait for the retry holds no worker. */
static void test_retry_frees_worker(void)
{
	struct exec_options o = EXEC_OPTIONS_INIT;
	struct xt *x = xt_new();
	struct exec_task *a = xt_add(x, "a", "RO", NULL);
	struct exec_task *b = xt_add(x, "b", "O", NULL);

	xt_of(a)->retry_after = 0.01;
	o.parallelism = 1;
	xt_run_ok(x, &o);
	g_assert_cmpuint(xt_of(a)->calls, ==, 2);
	g_assert_cmpuint(xt_of(b)->start_seq, >, xt_of(a)->start_seq);
	g_assert_cmpuint(xt_of(b)->end_seq, <, xt_of(a)->end_seq);
	xt_free(x);
}

/* 50 tasks that RETRY three times, two workers: never more than two calls
 * or two threads, and all of them finish. */
static void test_retry_many(void)
{
	struct exec_options o = EXEC_OPTIONS_INIT;
	struct xt *x = xt_new();
	struct exec_counters c;

	for (int i = 0; i < 50; i++) {
		g_autofree char *name = g_strdup_printf("t%d", i);

		xt_of(xt_add(x, name, "RRRO", NULL))->retry_after = 0.05;
	}
	o.parallelism = 2;
	xt_run_ok(x, &o);
	g_assert_cmpint(x->max_running, <=, 2);
	g_assert_cmpuint(g_hash_table_size(x->threads), <=, 2);
	exec_graph_counters(x->g, &c);
	g_assert_cmpuint(c.succeeded, ==, 50);
	g_assert_cmpuint(c.retries, ==, 150);
	g_assert_cmpuint(c.failures, ==, 0);
	g_assert_cmpuint(xt_count(x, NULL, EXEC_TASK_WAITING), ==, 150);
	for (guint i = 0; i < x->events->len; i++) {
		const struct xt_event *e = x->events->pdata[i];

		if (e->to != EXEC_TASK_WAITING)
			continue;
		g_assert_cmpint(e->result, ==, EXEC_RETRY);
		g_assert_cmpfloat_with_epsilon(e->delay, 0.05, EPS);
		g_assert_true(g_str_has_prefix(e->message, "not ready "));
	}
	xt_free(x);
}

/* Collects the delays of the retries the executor scheduled for `task`. */
static GArray *delays_of(struct xt *x, const char *task)
{
	GArray *d = g_array_new(FALSE, FALSE, sizeof(double));
	const struct xt_event *e;

	for (unsigned n = 0; (e = xt_find(x, task, EXEC_TASK_WAITING, n)); n++)
		g_array_append_val(d, e->delay);
	return d;
}

static void test_backoff(void)
{
	static const double want[] = { 0.01, 0.02, 0.04, 0.04, 0.04 };
	struct exec_options o = EXEC_OPTIONS_INIT;
	struct xt *x = xt_new();
	struct exec_task *a = xt_add(x, "a", "FFFFFO", NULL);
	g_autoptr(GArray) d = NULL;

	o.backoff_base = 0.01;
	o.backoff_cap = 0.04;
	xt_run_ok(x, &o);
	g_assert_cmpint(exec_task_state(a), ==, EXEC_TASK_SUCCEEDED);
	g_assert_cmpuint(exec_task_attempts(a), ==, 6);
	d = delays_of(x, "a");
	g_assert_cmpuint(d->len, ==, G_N_ELEMENTS(want));
	for (guint i = 0; i < d->len; i++) {
		const struct xt_event *e = xt_find(x, "a", EXEC_TASK_WAITING, i);

		g_assert_cmpfloat_with_epsilon(g_array_index(d, double, i),
					       want[i], EPS);
		g_assert_cmpint(e->result, ==, EXEC_FAIL);
		g_assert_cmpuint(e->attempt, ==, i + 1);
	}
	xt_free(x);
}

/* Jitter shortens each delay by up to `jitter` of it, the same way for the
 * same seed. */
static GArray *jittered_delays(guint32 seed)
{
	struct exec_options o = EXEC_OPTIONS_INIT;
	struct xt *x = xt_new();
	GArray *d;

	xt_add(x, "a", "FFFFFO", NULL);
	o.backoff_base = 0.002;
	o.jitter = 0.5;
	o.jitter_seed = seed;
	xt_run_ok(x, &o);
	d = delays_of(x, "a");
	xt_free(x);
	return d;
}

static void test_jitter(void)
{
	g_autoptr(GArray) d1 = jittered_delays(1234);
	g_autoptr(GArray) d2 = jittered_delays(1234);

	g_assert_cmpuint(d1->len, ==, 5);
	g_assert_cmpuint(d2->len, ==, 5);
	for (guint i = 0; i < d1->len; i++) {
		double full = 0.002 * (1 << i);
		double v = g_array_index(d1, double, i);

		g_assert_cmpfloat(v, <=, full);
		g_assert_cmpfloat(v, >, full / 2 - EPS);
		g_assert_cmpfloat_with_epsilon(v, g_array_index(d2, double, i),
					       EPS);
	}
}

static void test_max_retries(void)
{
	struct exec_options o = EXEC_OPTIONS_INIT;
	struct exec_task_options to = EXEC_TASK_OPTIONS_INIT;
	struct xt *x = xt_new();
	struct exec_task *a, *b, *first;
	struct exec_counters c;
	g_autofree char *msg = NULL, *want = NULL;

	to.max_retries = 2;
	a = xt_add(x, "a", "F", &to);
	b = xt_add(x, "b", "F", NULL);   /* the run's max_retries: 0 */
	o.backoff_base = 0.001;
	o.max_retries = 0;
	msg = xt_run_fails(x, &o, BP_ERR_PLUGIN);
	g_assert_cmpint(exec_task_state(a), ==, EXEC_TASK_FAILED);
	g_assert_cmpuint(exec_task_attempts(a), ==, 3);
	g_assert_cmpstr(exec_task_message(a), ==, "failure 3");
	g_assert_cmpuint(exec_task_attempts(b), ==, 1);
	g_assert_cmpint(exec_task_state(b), ==, EXEC_TASK_FAILED);
	/* Both failed; the error names the first to fail. */
	g_assert_cmpuint(exec_graph_failed(x->g)->len, ==, 2);
	first = exec_graph_failed(x->g)->pdata[0];
	want = g_strdup_printf("task '%s' failed: %s (and 1 more failed tasks)",
			       exec_task_name(first), exec_task_message(first));
	g_assert_cmpstr(msg, ==, want);
	exec_graph_counters(x->g, &c);
	g_assert_cmpuint(c.failures, ==, 4);
	g_assert_cmpuint(c.retries, ==, 2);
	g_assert_cmpuint(c.failed, ==, 2);
	xt_free(x);
}

/* RETRY does not use up the failure budget. */
static void test_retry_not_failure(void)
{
	struct exec_options o = EXEC_OPTIONS_INIT;
	struct xt *x = xt_new();
	struct exec_task *a = xt_add(x, "a", "RRRRFO", NULL);

	o.max_retries = 1;
	o.backoff_base = 0.001;
	xt_run_ok(x, &o);
	g_assert_cmpint(exec_task_state(a), ==, EXEC_TASK_SUCCEEDED);
	g_assert_cmpuint(exec_task_attempts(a), ==, 6);
	xt_free(x);
}

static void test_fatal(void)
{
	struct xt *x = xt_new();
	struct exec_task *a = xt_add(x, "a", "XO", NULL);
	struct exec_task *z = xt_add(x, "z", "ZO", NULL);
	g_autofree char *msg = xt_run_fails(x, NULL, BP_ERR_PLUGIN);

	g_assert_cmpuint(exec_task_attempts(a), ==, 1);
	g_assert_cmpint(exec_task_state(a), ==, EXEC_TASK_FAILED);
	g_assert_cmpstr(exec_task_message(a), ==, "fatal 1");
	g_assert_cmpuint(exec_task_attempts(z), ==, 1);
	g_assert_cmpstr(exec_task_message(z), ==,
			"invalid result 42 from task 'z'");
	g_assert_cmpuint(xt_count(x, NULL, EXEC_TASK_WAITING), ==, 0);
	g_assert_cmpint(xt_find(x, "a", EXEC_TASK_FAILED, 0)->result, ==,
			EXEC_FAIL_FATAL);
	xt_free(x);
}

/* An attempt that outlives its timeout: the task fails (fatal) at once,
 * the call sees the cancel flag, its dependent is skipped. */
static void test_attempt_timeout(void)
{
	struct exec_task_options to = EXEC_TASK_OPTIONS_INIT;
	struct xt *x = xt_new();
	struct exec_task *a, *b;
	const struct xt_event *e;
	g_autofree char *msg = NULL;

	to.attempt_timeout = 0.05;
	a = xt_add(x, "a", "HO", &to);
	b = xt_add(x, "b", "O", NULL);
	xt_edge(x, a, b);
	msg = xt_run_fails(x, NULL, BP_ERR_PLUGIN);
	g_assert_cmpstr(msg, ==,
			"task 'a' failed: attempt 1 timed out after 0.05 s");
	g_assert_true(exec_task_timed_out(a));
	g_assert_cmpint(exec_task_state(b), ==, EXEC_TASK_SKIPPED);
	e = xt_find(x, "a", EXEC_TASK_FAILED, 0);
	g_assert_true(e->timed_out);
	g_assert_cmpint(e->result, ==, EXEC_FAIL_FATAL);
	xt_wait_abandoned_returned(x);
	g_assert_true(xt_of(a)->saw_cancel);
	g_assert_cmpint(xt_of(a)->saw_deadline, !=, G_MAXINT64);
	g_assert_cmpuint(xt_of(a)->calls, ==, 1);
	xt_free(x);
}

static void test_timeout_recoverable(void)
{
	struct exec_options o = EXEC_OPTIONS_INIT;
	struct exec_task_options to = EXEC_TASK_OPTIONS_INIT;
	struct xt *x = xt_new();
	struct exec_task *a;
	const struct xt_event *e;

	to.attempt_timeout = 0.05;
	to.timeout_recoverable = true;
	a = xt_add(x, "a", "HO", &to);
	o.backoff_base = 0.001;
	xt_run_ok(x, &o);
	g_assert_cmpint(exec_task_state(a), ==, EXEC_TASK_SUCCEEDED);
	g_assert_cmpuint(exec_task_attempts(a), ==, 2);
	g_assert_false(exec_task_timed_out(a));
	e = xt_find(x, "a", EXEC_TASK_WAITING, 0);
	g_assert_true(e->timed_out);
	g_assert_cmpint(e->result, ==, EXEC_FAIL);
	xt_wait_abandoned_returned(x);
	xt_free(x);
}

/* After a recoverable timeout the next attempt waits for the abandoned
 * call to return: one call per task at a time. A second task makes a free
 * worker available; the helper sees the task READY with that worker free
 * while the old call still blocks, and only then lets the old call go. */
struct held_check {
	struct xt *x;
	struct exec_task *a;
	unsigned calls_while_held;
};

static gpointer release_when_held(gpointer data)
{
	struct held_check *h = data;
	gint64 end = g_get_monotonic_time() + XT_WAIT_US;
	struct exec_counters c;

	for (;;) {
		exec_graph_counters(h->x->g, &c);
		if (c.ready == 1 && c.abandoned == 1 && c.running == 0)
			break;
		g_assert_cmpint(g_get_monotonic_time(), <, end);
		g_usleep(1000);
	}
	g_mutex_lock(&h->x->lock);
	h->calls_while_held = xt_of(h->a)->calls;
	g_mutex_unlock(&h->x->lock);
	xt_release(h->x);
	return NULL;
}

static void test_timeout_waits_for_old_call(void)
{
	struct exec_options o = EXEC_OPTIONS_INIT;
	struct exec_task_options to = EXEC_TASK_OPTIONS_INIT;
	struct xt *x = xt_new();
	struct held_check h = { x, NULL, 0 };
	GThread *th;

	to.attempt_timeout = 0.05;
	to.timeout_recoverable = true;
	h.a = xt_add(x, "a", "BO", &to);
	xt_add(x, "c", "O", NULL);
	o.backoff_base = 0.001;
	o.parallelism = 2;
	th = g_thread_new("release", release_when_held, &h);
	xt_run_ok(x, &o);
	g_thread_join(th);
	g_assert_cmpuint(h.calls_while_held, ==, 1);
	g_assert_cmpuint(exec_task_attempts(h.a), ==, 2);
	g_assert_cmpint(exec_task_state(h.a), ==, EXEC_TASK_SUCCEEDED);
	xt_free(x);
}

/* The task timeout covers the waits between attempts too. */
static void test_task_timeout(void)
{
	struct exec_task_options to = EXEC_TASK_OPTIONS_INIT;
	struct xt *x = xt_new();
	struct exec_task *a;
	g_autofree char *msg = NULL;

	to.timeout = 0.2;
	a = xt_add(x, "a", "R", &to);
	xt_of(a)->retry_after = 0.02;
	msg = xt_run_fails(x, NULL, BP_ERR_PLUGIN);
	g_assert_true(g_str_has_prefix(msg, "task 'a' failed: timed out "
				       "after 0.2 s"));
	g_assert_true(exec_task_timed_out(a));
	g_assert_cmpint(exec_task_state(a), ==, EXEC_TASK_FAILED);
	xt_wait_abandoned_returned(x);
	xt_free(x);
}

/* The events of a task that retries, fails once, then succeeds. */
static void test_events(void)
{
	static const struct {
		enum exec_task_state from, to;
		enum exec_result result;
		unsigned attempt;
	} want[] = {
		{ EXEC_TASK_READY, EXEC_TASK_RUNNING, EXEC_NO_RESULT, 1 },
		{ EXEC_TASK_RUNNING, EXEC_TASK_WAITING, EXEC_RETRY, 1 },
		{ EXEC_TASK_READY, EXEC_TASK_RUNNING, EXEC_NO_RESULT, 2 },
		{ EXEC_TASK_RUNNING, EXEC_TASK_WAITING, EXEC_FAIL, 2 },
		{ EXEC_TASK_READY, EXEC_TASK_RUNNING, EXEC_NO_RESULT, 3 },
		{ EXEC_TASK_RUNNING, EXEC_TASK_SUCCEEDED, EXEC_OK, 3 },
	};
	struct exec_options o = EXEC_OPTIONS_INIT;
	struct xt *x = xt_new();
	struct exec_task *a = xt_add(x, "a", "RFO", NULL);

	xt_of(a)->retry_after = 0.01;
	o.backoff_base = 0.02;
	xt_run_ok(x, &o);
	g_assert_cmpuint(x->events->len, ==, G_N_ELEMENTS(want));
	for (guint i = 0; i < x->events->len; i++) {
		const struct xt_event *e = x->events->pdata[i];

		g_assert_cmpint(e->from, ==, want[i].from);
		g_assert_cmpint(e->to, ==, want[i].to);
		g_assert_cmpint(e->result, ==, want[i].result);
		g_assert_cmpuint(e->attempt, ==, want[i].attempt);
		g_assert_cmpint(e->time, >, 0);
	}
	g_assert_cmpfloat_with_epsilon(xt_find(x, "a", EXEC_TASK_WAITING, 0)->delay,
				       0.01, EPS);
	g_assert_cmpfloat_with_epsilon(xt_find(x, "a", EXEC_TASK_WAITING, 1)->delay,
				       0.02, EPS);
	g_assert_cmpstr(xt_find(x, "a", EXEC_TASK_WAITING, 1)->message, ==,
			"failure 2");
	g_assert_null(xt_find(x, "a", EXEC_TASK_RUNNING, 1)->message);
	xt_free(x);
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
	g_test_add_func("/exec/retry/frees-worker", test_retry_frees_worker);
	g_test_add_func("/exec/retry/many", test_retry_many);
	g_test_add_func("/exec/retry/backoff", test_backoff);
	g_test_add_func("/exec/retry/jitter", test_jitter);
	g_test_add_func("/exec/retry/max-retries", test_max_retries);
	g_test_add_func("/exec/retry/retry-not-failure", test_retry_not_failure);
	g_test_add_func("/exec/retry/fatal", test_fatal);
	g_test_add_func("/exec/retry/attempt-timeout", test_attempt_timeout);
	g_test_add_func("/exec/retry/timeout-recoverable",
			test_timeout_recoverable);
	g_test_add_func("/exec/retry/timeout-waits-for-old-call",
			test_timeout_waits_for_old_call);
	g_test_add_func("/exec/retry/task-timeout", test_task_timeout);
	g_test_add_func("/exec/retry/events", test_events);
	return g_test_run();
}
