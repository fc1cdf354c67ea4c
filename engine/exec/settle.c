/* settle.c: what results, timers and stops do to tasks: the state machine
 * of exec.h (retry, backoff, timeouts, skipping dependents, fail_fast,
 * ignore_failure, stopping) and the report of every change to the commit
 * hook and the listener. Runs on the coordinator thread only; run.c decides
 * when, this file decides what.
 */
#include "exec/exec-int.h"

#include <math.h>

static const char *stop_reason(enum exec__stop why)
{
	switch (why) {
	case EXEC__STOP_FAILURE:
		return "a task failed and fail_fast is set";
	case EXEC__STOP_CANCEL:
		return "the run was cancelled";
	case EXEC__STOP_HOOK:
		return "recording a task state failed";
	case EXEC__STOP_NONE:
		break;
	}
	return "the run stopped";
}

/* Moves `t` to state `s` and keeps the counters in step; no report. */
static void set_state(struct exec_run *r, struct exec_task *t,
		      enum exec_task_state s)
{
	struct exec_graph *g = r->g;

	g_mutex_lock(&g->lock);
	g->by_state[t->state]--;
	g->by_state[s]++;
	g_mutex_unlock(&g->lock);
	if (exec_task_state_final(s) && !exec_task_state_final(t->state))
		r->unsettled--;
	t->state = s;
}

/* Keeps the first hook error (prefixed with the task and state), frees the
 * others, and stops the run. */
static void hook_failed(struct exec_run *r, struct exec_task *t,
			enum exec_task_state s, struct bp_error *e)
{
	if (r->hook_error) {
		bp_error_free(e);
		return;
	}
	if (!e)
		bp_error_set(&e, BP_ERR_GENERIC, NULL, NULL,
			     "the state hook failed without saying why");
	r->hook_error = e;
	bp_error_prefix(&r->hook_error, "recording task '%s' as %s", t->name,
			exec_task_state_name(s));
	exec__stop(r, EXEC__STOP_HOOK);
}

bool exec__flush(struct exec_run *r)
{
	struct bp_error *e = NULL;

	if (!r->opts.on_flush || r->opts.on_flush(r->opts.hook_data, &e))
		return true;
	if (r->hook_error) {
		bp_error_free(e);
	} else {
		if (!e)
			bp_error_set(&e, BP_ERR_GENERIC, NULL, NULL, "the flush "
				     "failed without saying why");
		r->hook_error = e;
		bp_error_prefix(&r->hook_error, "committing task states");
	}
	exec__stop(r, EXEC__STOP_HOOK);
	return false;
}

/* Moves `t` to `s`, replacing its message with `msg` (consumed; NULL keeps
 * it), and reports the change to the hook, then the listener. Returns false
 * when the hook failed (the run is then stopping). */
static bool report(struct exec_run *r, struct exec_task *t,
		   enum exec_task_state s, enum exec_result res, double delay,
		   char *msg)
{
	struct exec_change ch = {
		.task = t, .old_state = t->state, .new_state = s,
		.result = res, .attempt = t->attempts, .delay = delay,
		.timed_out = t->timed_out, .time = g_get_real_time(),
	};
	struct bp_error *e = NULL;
	bool ok = true;

	if (msg) {
		g_free(t->message);
		t->message = msg;
	}
	set_state(r, t, s);
	ch.message = s == EXEC_TASK_RUNNING ? NULL : t->message;
	if (r->opts.on_task_state)
		ok = r->opts.on_task_state(&ch, r->opts.hook_data, &e);
	if (r->opts.on_event)
		r->opts.on_event(&ch, r->opts.event_data);
	if (!ok)
		hook_failed(r, t, s, e);
	else
		bp_error_free(e);
	return ok;
}

void exec__make_ready(struct exec_run *r, struct exec_task *t)
{
	set_state(r, t, EXEC_TASK_READY);
	g_queue_push_tail(&r->ready, t);
}

void exec__started(struct exec_run *r, struct exec_task *t)
{
	report(r, t, EXEC_TASK_RUNNING, EXEC_NO_RESULT, 0, NULL);
}

/* Counts one of the run's counters under the lock. */
static void count(struct exec_run *r, unsigned *counter)
{
	g_mutex_lock(&r->g->lock);
	(*counter)++;
	g_mutex_unlock(&r->g->lock);
}

static void release_dependents(struct exec_run *r, struct exec_task *t)
{
	if (!t->succ || r->stop != EXEC__STOP_NONE)
		return;
	for (guint i = 0; i < t->succ->len; i++) {
		struct exec_task *s = t->succ->pdata[i];

		if (--s->waiting_preds == 0 && s->state == EXEC_TASK_PENDING)
			exec__make_ready(r, s);
	}
}

/* Marks every task downstream of the failed task `t` SKIPPED. They are all
 * PENDING (or final already): each waits for `t` through some path. */
static void skip_dependents(struct exec_run *r, struct exec_task *t)
{
	g_autoptr(GPtrArray) stack = g_ptr_array_new();

	if (t->succ)
		g_ptr_array_extend(stack, t->succ, NULL, NULL);
	while (stack->len) {
		struct exec_task *s = g_ptr_array_steal_index_fast(stack,
							stack->len - 1);

		if (s->state != EXEC_TASK_PENDING)
			continue;
		report(r, s, EXEC_TASK_SKIPPED, EXEC_NO_RESULT, 0,
		       g_strdup_printf("skipped: dependency '%s' failed",
				       t->name));
		if (s->succ)
			g_ptr_array_extend(stack, s->succ, NULL, NULL);
	}
}

/* `t` failed for good with `res` and `msg` (consumed). */
static void fail_task(struct exec_run *r, struct exec_task *t,
		      enum exec_result res, char *msg)
{
	bool ok = report(r, t, EXEC_TASK_FAILED, res, 0, msg);

	g_ptr_array_add(r->g->failed, t);
	if (r->opts.ignore_failure) {
		if (ok)
			release_dependents(r, t);
		return;
	}
	skip_dependents(r, t);
	if (r->opts.fail_fast)
		exec__stop(r, EXEC__STOP_FAILURE);
}

/* Puts `t` on the timer queue for its next attempt in `delay` seconds (or
 * its task deadline, if earlier). `msg` is consumed. */
static void schedule_retry(struct exec_run *r, struct exec_task *t,
			   enum exec_result res, double delay, char *msg)
{
	gint64 due = exec__deadline_after(g_get_monotonic_time(), delay);

	count(r, &r->g->retries);
	exec_timerq_add(&r->timers, &t->timer, MIN(due, t->deadline));
	report(r, t, EXEC_TASK_WAITING, res, delay, msg);
}

/* A result that asks for another attempt while the run is stopping: the
 * task is CANCELLED, its message says why. `msg` is consumed. */
static void cancel_retry(struct exec_run *r, struct exec_task *t,
			 enum exec_result res, char *msg)
{
	char *why = g_strdup_printf("%s; not retried: %s", msg ? msg : "",
				    stop_reason(r->stop));

	g_free(msg);
	report(r, t, EXEC_TASK_CANCELLED, res, 0, why);
}

/* The delay before the retry after the n-th failure (n >= 1). */
static double backoff(struct exec_run *r, unsigned n)
{
	double d = r->opts.backoff_base * ldexp(1.0, (int)MIN(n - 1, 1000u));

	d = MIN(d, r->opts.backoff_cap);
	if (r->opts.jitter > 0)
		d *= 1.0 - r->opts.jitter * g_rand_double(r->rand);
	return d;
}

/* An attempt of `t` failed (EXEC_FAIL is recoverable, anything else fatal);
 * `msg` is consumed. */
static void attempt_failed(struct exec_run *r, struct exec_task *t,
			   enum exec_result res, char *msg)
{
	int max = t->max_retries >= 0 ? t->max_retries : r->opts.max_retries;

	count(r, &r->g->failures);
	t->failures++;
	if (res != EXEC_FAIL || t->failures > (unsigned)max ||
	    g_get_monotonic_time() >= t->deadline)
		fail_task(r, t, res, msg);
	else if (r->stop != EXEC__STOP_NONE)
		cancel_retry(r, t, res, msg);
	else
		schedule_retry(r, t, res, backoff(r, t->failures), msg);
}

void exec__settle_attempt(struct exec_run *r, struct exec_ctx *ctx)
{
	struct exec_task *t = ctx->task;
	char *msg = g_steal_pointer(&ctx->message);

	t->ctx = NULL;
	exec_timerq_remove(&r->timers, &t->timer);
	switch (ctx->result) {
	case EXEC_OK:
		if (report(r, t, EXEC_TASK_SUCCEEDED, EXEC_OK, 0, msg))
			release_dependents(r, t);
		return;
	case EXEC_RETRY:
		if (r->stop != EXEC__STOP_NONE)
			cancel_retry(r, t, EXEC_RETRY, msg);
		else
			schedule_retry(r, t, EXEC_RETRY, ctx->retry_after,
				       msg);
		return;
	case EXEC_FAIL:
	case EXEC_FAIL_FATAL:
		attempt_failed(r, t, ctx->result, msg);
		return;
	default:
		g_free(msg);
		attempt_failed(r, t, EXEC_FAIL_FATAL,
			       g_strdup_printf("invalid result %d from task '%s'",
					       (int)ctx->result, t->name));
		return;
	}
}

/* Gives up waiting for the running call of `t`: it keeps its slot until it
 * returns, its result will be ignored. */
static void abandon(struct exec_run *r, struct exec_task *t)
{
	struct exec_ctx *ctx = g_steal_pointer(&t->ctx);

	g_mutex_lock(&r->g->lock);
	atomic_store(&ctx->abandoned, true);
	/* a call already back (its ctx waits in the completion queue) is
	 * not out there any more */
	if (!ctx->returned)
		r->g->abandoned++;
	g_mutex_unlock(&r->g->lock);
	t->call_abandoned = true;
	exec_timerq_remove(&r->timers, &t->timer);
}

void exec__hold(struct exec_run *r, struct exec_task *t)
{
	t->held = true;
	if (t->deadline != G_MAXINT64)
		exec_timerq_add(&r->timers, &t->timer, t->deadline);
}

void exec__late_call_returned(struct exec_run *r, struct exec_task *t)
{
	t->call_abandoned = false;
	if (!t->held)
		return;
	t->held = false;
	exec_timerq_remove(&r->timers, &t->timer);
	g_queue_push_head(&r->ready, t);
}

/* The running attempt of `t` passed its deadline. */
static void attempt_timed_out(struct exec_run *r, struct exec_task *t,
			      gint64 now)
{
	bool task_expired = now >= t->deadline;
	enum exec_result res = EXEC_FAIL_FATAL;
	char *msg;

	abandon(r, t);
	t->timed_out = true;
	if (task_expired)
		msg = g_strdup_printf("timed out after %g s", t->timeout);
	else
		msg = g_strdup_printf("attempt %u timed out after %g s",
				      t->attempts, t->attempt_timeout);
	if (t->timeout_recoverable && !task_expired)
		res = EXEC_FAIL;
	attempt_failed(r, t, res, msg);
}

void exec__timer_fired(struct exec_run *r, struct exec_task *t, gint64 now)
{
	if (t->state == EXEC_TASK_RUNNING) {
		attempt_timed_out(r, t, now);
		return;
	}
	t->timed_out = now >= t->deadline;
	if (t->held) {
		t->held = false;
		fail_task(r, t, EXEC_FAIL_FATAL,
			  g_strdup_printf("timed out after %g s: attempt %u "
					  "has not returned", t->timeout,
					  t->attempts));
	} else if (!t->timed_out)
		exec__make_ready(r, t);
	else
		fail_task(r, t, EXEC_FAIL_FATAL,
			  g_strdup_printf("timed out after %g s waiting to "
					  "retry: %s", t->timeout,
					  t->message ? t->message : ""));
}

void exec__expired_before_start(struct exec_run *r, struct exec_task *t)
{
	t->timed_out = true;
	fail_task(r, t, EXEC_FAIL_FATAL,
		  g_strdup_printf("timed out after %g s before attempt %u "
				  "could start", t->timeout, t->attempts + 1));
}

/* Moves up the deadline of every running call to the end of the grace
 * period, so tasks that watch it (process runners) stop in time. */
static void start_grace(struct exec_run *r)
{
	gint64 now = g_get_monotonic_time();

	r->cancelled = true;
	r->grace_end = exec__deadline_after(now, r->opts.cancel_grace);
	for (guint i = 0; i < r->g->tasks->len; i++) {
		struct exec_task *t = r->g->tasks->pdata[i];

		if (t->ctx && atomic_load(&t->ctx->deadline) > r->grace_end)
			atomic_store(&t->ctx->deadline, r->grace_end);
	}
}

static void drop_queued(struct exec_run *r)
{
	GHashTableIter it;
	gpointer grp;

	g_queue_clear(&r->ready);
	g_hash_table_iter_init(&it, r->g->groups);
	while (g_hash_table_iter_next(&it, NULL, &grp))
		g_queue_clear(&((struct exec_group *)grp)->parked);
}

void exec__stop(struct exec_run *r, enum exec__stop why)
{
	if (why == EXEC__STOP_CANCEL && !r->cancelled)
		start_grace(r);
	if (r->stop != EXEC__STOP_NONE)
		return;
	r->stop = why;
	drop_queued(r);
	for (guint i = 0; i < r->g->tasks->len; i++) {
		struct exec_task *t = r->g->tasks->pdata[i];

		if (t->state == EXEC_TASK_PENDING ||
		    t->state == EXEC_TASK_READY) {
			t->held = false;
			exec_timerq_remove(&r->timers, &t->timer);
			report(r, t, EXEC_TASK_NOT_RUN, EXEC_NO_RESULT, 0,
			       g_strdup_printf("not started: %s",
					       stop_reason(why)));
		} else if (t->state == EXEC_TASK_WAITING) {
			exec_timerq_remove(&r->timers, &t->timer);
			report(r, t, EXEC_TASK_CANCELLED, EXEC_NO_RESULT, 0,
			       g_strdup_printf("stopped before attempt %u: %s",
					       t->attempts + 1,
					       stop_reason(why)));
		}
	}
}

void exec__abandon_running(struct exec_run *r)
{
	for (guint i = 0; i < r->g->tasks->len; i++) {
		struct exec_task *t = r->g->tasks->pdata[i];

		if (t->state != EXEC_TASK_RUNNING)
			continue;
		abandon(r, t);
		report(r, t, EXEC_TASK_CANCELLED, EXEC_NO_RESULT, 0,
		       g_strdup_printf("attempt %u abandoned: still running "
				       "%g s after the run was cancelled",
				       t->attempts, r->opts.cancel_grace));
	}
}
