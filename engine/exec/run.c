/* run.c: exec_run(), the coordinator's loop.
 *
 * One thread (the caller) owns every scheduling decision; workers only make
 * `run` calls and hand the ctx back through a locked queue plus one byte on
 * a pipe. Each turn of the loop: take the calls that came back, fire the
 * timers that are due, notice a cancel, hand READY tasks to free workers
 * (within their group caps), then sleep in poll(2) until a worker, a cancel
 * or the next timer wakes it. Like redis's ae loop, nothing here blocks
 * except that poll, and a retry is just a timer.
 */
#include "exec/exec-int.h"
#include "exec/pool.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <unistd.h>

/* Bound on parallelism, so a typo does not start a million threads. */
#define PARALLELISM_MAX 1024

static bool options_check(const struct exec_options *o, struct bp_error **err)
{
	const char *bad = NULL;

	if (o->parallelism < 1 || o->parallelism > PARALLELISM_MAX) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL,
			     "invalid parallelism %u, expected 1 to %d",
			     o->parallelism, PARALLELISM_MAX);
		return false;
	}
	if (o->max_retries < 0)
		bad = "max_retries";
	else if (!(o->backoff_base >= 0) || !isfinite(o->backoff_base))
		bad = "backoff_base";
	else if (!(o->backoff_cap >= 0))
		bad = "backoff_cap";
	else if (!(o->jitter >= 0 && o->jitter <= 1))
		bad = "jitter";
	else if (!(o->cancel_grace >= 0))
		bad = "cancel_grace";
	if (bad) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL,
			     "invalid executor option '%s', expected a number "
			     ">= 0 (jitter: 0 to 1)", bad);
		return false;
	}
	return true;
}

/* Frees a call's worker slot (and group slot) for the next task. */
static void release_slot(struct exec_run *r, struct exec_task *t)
{
	struct exec_group *grp = t->group;

	r->busy--;
	if (!grp)
		return;
	grp->busy--;
	if (!g_queue_is_empty(&grp->parked))
		g_queue_push_head(&r->ready, g_queue_pop_head(&grp->parked));
}

/* Settles the calls that came back, after noticing a cancel. */
static void take_completions(struct exec_run *r)
{
	struct exec_graph *g = r->g;
	GQueue done = G_QUEUE_INIT;
	struct exec_ctx *ctx;

	g_mutex_lock(&g->lock);
	done = g->completed;
	g_queue_init(&g->completed);
	g_mutex_unlock(&g->lock);
	/* Checked after taking the calls, before settling them: a call that
	 * returned because it saw the cancel is then settled as stopped. */
	if (!r->cancelled && atomic_load(&g->cancel))
		exec__stop(r, EXEC__STOP_CANCEL);
	while ((ctx = g_queue_pop_head(&done))) {
		release_slot(r, ctx->task);
		if (atomic_load(&ctx->abandoned))
			exec__late_call_returned(r, ctx->task);
		else
			exec__settle_attempt(r, ctx);
		exec__ctx_free(ctx);
	}
}

static void fire_timers(struct exec_run *r)
{
	gint64 now = g_get_monotonic_time();
	struct exec_timerq_entry *e;

	while ((e = exec_timerq_pop_due(&r->timers, now)))
		exec__timer_fired(r, exec__task_of_timer(e), now);
}

/* Hands one attempt of the READY task `t` to a worker. */
static void start_attempt(struct exec_run *r, struct exec_task *t)
{
	gint64 now = g_get_monotonic_time();
	gint64 deadline;
	struct exec_ctx *ctx;

	if (now >= t->deadline) {
		exec__expired_before_start(r, t);
		return;
	}
	if (t->attempts == 0 && t->timeout > 0)
		t->deadline = exec__deadline_after(now, t->timeout);
	deadline = t->deadline;
	if (t->attempt_timeout > 0)
		deadline = MIN(deadline,
			       exec__deadline_after(now, t->attempt_timeout));
	t->timed_out = false;
	ctx = exec__ctx_new(t, ++t->attempts, deadline);
	t->ctx = ctx;
	if (deadline != G_MAXINT64)
		exec_timerq_add(&r->timers, &t->timer, deadline);
	r->busy++;
	if (t->group)
		t->group->busy++;
	exec__started(r, t);
	g_ptr_array_add(r->starting, ctx);
}

/* Hands the attempts started this turn to workers, once the flush made
 * their starts (and the changes before them) durable; when it failed, they
 * come back at once as fatal failures instead. */
static void launch(struct exec_run *r)
{
	bool flushed = exec__flush(r);
	struct exec_graph *g = r->g;

	for (guint i = 0; i < r->starting->len; i++) {
		struct exec_ctx *ctx = r->starting->pdata[i];

		if (flushed)
			continue;
		ctx->result = EXEC_FAIL_FATAL;
		ctx->message = g_strdup("not run: committing its start failed");
		g_mutex_lock(&g->lock);
		g_queue_push_tail(&g->completed, ctx);
		g_mutex_unlock(&g->lock);
	}
	if (flushed)
		exec_pool_push(r->pool, r->starting->pdata, r->starting->len);
	g_ptr_array_set_size(r->starting, 0);
}

static void dispatch(struct exec_run *r)
{
	struct exec_task *t;

	while (r->busy < r->slots &&
	       (t = g_queue_pop_head(&r->ready))) {
		struct exec_group *grp = t->group;

		if (t->call_abandoned)
			exec__hold(r, t);
		else if (grp && grp->cap && grp->busy >= grp->cap)
			g_queue_push_tail(&grp->parked, t);
		else
			start_attempt(r, t);
	}
	launch(r);
}

/* Sleeps until a worker or exec_cancel() writes to the pipe, or the next
 * timer (or the end of the cancel grace period) is due; drains the pipe.
 * Workers write only while `sleeping` is set, so a busy coordinator costs
 * them no system call. */
static void wait_wakeup(struct exec_run *r)
{
	struct exec_graph *g = r->g;
	struct pollfd pfd = { .fd = g->wake[0], .events = POLLIN };
	gint64 due = MIN(exec_timerq_next_due(&r->timers), r->grace_end);
	int timeout = -1;
	char buf[256];
	bool idle;

	g_mutex_lock(&g->lock);
	idle = g_queue_is_empty(&g->completed);
	g->sleeping = idle;
	g_mutex_unlock(&g->lock);
	if (!idle)
		return;
	if (due != G_MAXINT64) {
		gint64 ms = (due - g_get_monotonic_time() + 999) / 1000;

		timeout = (int)CLAMP(ms, 0, G_MAXINT);
	}
	poll(&pfd, 1, timeout);   /* EINTR is fine: the loop looks again */
	g_mutex_lock(&g->lock);
	g->sleeping = false;
	g_mutex_unlock(&g->lock);
	while (read(g->wake[0], buf, sizeof buf) > 0)
		;
}

static void run_loop(struct exec_run *r)
{
	while (r->unsettled > 0) {
		take_completions(r);
		fire_timers(r);
		if (r->cancelled && g_get_monotonic_time() >= r->grace_end)
			exec__abandon_running(r);
		dispatch(r);
		if (r->unsettled > 0)
			wait_wakeup(r);
	}
	exec__flush(r);
}

/* Counts the tasks to settle, each task's predecessors still to succeed,
 * and queues the tasks that can start now. */
static void run_prepare(struct exec_run *r)
{
	GPtrArray *tasks = r->g->tasks;

	for (guint i = 0; i < tasks->len; i++) {
		struct exec_task *t = tasks->pdata[i];

		if (t->state == EXEC_TASK_SUCCEEDED || !t->succ)
			continue;
		for (guint j = 0; j < t->succ->len; j++)
			((struct exec_task *)t->succ->pdata[j])->waiting_preds++;
	}
	for (guint i = 0; i < tasks->len; i++) {
		struct exec_task *t = tasks->pdata[i];

		if (t->state == EXEC_TASK_SUCCEEDED)
			continue;
		r->unsettled++;
		if (t->waiting_preds == 0)
			exec__make_ready(r, t);
	}
}

/* Makes the worker pool (pool.h): exactly these threads make the calls;
 * no more of them than tasks to run. */
static bool run_start_pool(struct exec_run *r, struct bp_error **err)
{
	unsigned to_run = 0;

	for (guint i = 0; i < r->g->tasks->len; i++)
		if (((struct exec_task *)r->g->tasks->pdata[i])->state !=
		    EXEC_TASK_SUCCEEDED)
			to_run++;
	r->slots = MAX(1u, MIN(r->opts.parallelism, to_run));
	r->pool = exec_pool_new(r->slots, err);
	return r->pool != NULL;
}

/* Ends the run for the workers: ctxs still out are theirs to free. */
static void run_finish(struct exec_run *r)
{
	struct exec_graph *g = r->g;
	GQueue late;
	unsigned abandoned;

	g_mutex_lock(&g->lock);
	g->run_active = false;
	late = g->completed;
	g_queue_init(&g->completed);
	abandoned = g->abandoned;
	g_mutex_unlock(&g->lock);
	g_queue_clear_full(&late, (GDestroyNotify)exec__ctx_free);
	/* Do not wait for abandoned calls: their threads free the pool. */
	exec_pool_free(r->pool, abandoned == 0);
	exec_timerq_release(&r->timers);
	g_ptr_array_unref(r->starting);
	g_rand_free(r->rand);
}

/* The error exec_run() reports, by precedence (see exec.h). */
static bool run_outcome(struct exec_run *r, struct bp_error **err)
{
	const GPtrArray *failed = r->g->failed;
	struct exec_task *first;

	if (r->hook_error) {
		bp_error_propagate(err, g_steal_pointer(&r->hook_error));
		return false;
	}
	if (r->cancelled) {
		bp_error_set(err, BP_ERR_CANCELLED, NULL, NULL,
			     "the run was cancelled");
		return false;
	}
	if (r->opts.ignore_failure || failed->len == 0)
		return true;
	first = failed->pdata[0];
	if (failed->len == 1)
		bp_error_set(err, BP_ERR_PLUGIN, NULL, NULL,
			     "task '%s' failed: %s", first->name,
			     first->message ? first->message : "");
	else
		bp_error_set(err, BP_ERR_PLUGIN, NULL, NULL,
			     "task '%s' failed: %s (and %u more failed tasks)",
			     first->name, first->message ? first->message : "",
			     failed->len - 1);
	return false;
}

bool exec_run(struct exec_graph *g, const struct exec_options *opts,
	      struct bp_error **err)
{
	struct exec_run r = { .g = g, .grace_end = G_MAXINT64 };

	g_return_val_if_fail(g && !g->ran, false);
	g->ran = true;
	if (opts)
		r.opts = *opts;
	else
		exec_options_init(&r.opts);
	if (!options_check(&r.opts, err) ||
	    !exec__graph_check_cycles(g, err) || !run_start_pool(&r, err))
		return false;

	g_queue_init(&r.ready);
	r.starting = g_ptr_array_new();
	exec_timerq_init(&r.timers);
	r.rand = r.opts.jitter_seed ? g_rand_new_with_seed(r.opts.jitter_seed)
				    : g_rand_new();
	g_mutex_lock(&g->lock);
	g->run_active = true;
	g_mutex_unlock(&g->lock);

	run_prepare(&r);
	run_loop(&r);
	run_finish(&r);
	return run_outcome(&r, err);
}
