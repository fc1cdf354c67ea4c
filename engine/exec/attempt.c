/* attempt.c: one attempt of a task, the part that runs on a worker thread:
 * the `run` call, the exec_ctx_*() functions it may use, and the hand-back
 * of the ctx to the coordinator (or its freeing, when the run is over and
 * nobody waits for it any more).
 */
#include "exec/exec-int.h"

struct exec_ctx *exec__ctx_new(struct exec_task *t, unsigned attempt,
			       gint64 deadline)
{
	struct exec_ctx *ctx = g_new0(struct exec_ctx, 1);

	exec__graph_ref(t->graph);
	ctx->graph = t->graph;
	ctx->task = t;
	ctx->attempt = attempt;
	atomic_init(&ctx->abandoned, false);
	atomic_init(&ctx->deadline, deadline);
	ctx->result = EXEC_NO_RESULT;
	return ctx;
}

void exec__ctx_free(struct exec_ctx *ctx)
{
	if (!ctx)
		return;
	g_free(ctx->message);
	exec_graph_free(ctx->graph);
	g_free(ctx);
}

void exec__attempt_work(gpointer data, gpointer unused)
{
	struct exec_ctx *ctx = data;
	struct exec_graph *g = ctx->graph;
	bool orphan, last = false;

	ctx->result = ctx->task->ops->run(ctx->task->payload, ctx);

	g_mutex_lock(&g->lock);
	ctx->returned = true;
	if (atomic_load(&ctx->abandoned)) {
		g->abandoned--;
		g_cond_broadcast(&g->returned);
	}
	orphan = !g->run_active;
	if (orphan) {
		/* The run is over: drop the ctx's reference together with
		 * the count, so an owner who saw no abandoned call left and
		 * frees the graph frees it at once. */
		last = g_atomic_int_dec_and_test(&g->refs);
	} else {
		g_queue_push_tail(&g->completed, ctx);
		/* Under the lock: once the coordinator can see the ctx, the
		 * run may end and the graph go away. One byte wakes it. */
		if (g->sleeping) {
			g->sleeping = false;
			exec__graph_wake(g);
		}
	}
	g_mutex_unlock(&g->lock);
	if (!orphan)
		return;
	g_free(ctx->message);
	g_free(ctx);
	if (last)
		exec__graph_destroy(g);
}

unsigned exec_ctx_attempt(const struct exec_ctx *ctx)
{
	return ctx->attempt;
}

const char *exec_ctx_task_name(const struct exec_ctx *ctx)
{
	return ctx->task->name;
}

bool exec_ctx_cancelled(const struct exec_ctx *ctx)
{
	return atomic_load(&ctx->abandoned) || atomic_load(&ctx->graph->cancel);
}

gint64 exec_ctx_deadline(const struct exec_ctx *ctx)
{
	return atomic_load(&ctx->deadline);
}

static enum exec_result ctx_result(struct exec_ctx *ctx, enum exec_result r,
				   const char *fmt, va_list ap)
	G_GNUC_PRINTF(3, 0);

static enum exec_result ctx_result(struct exec_ctx *ctx, enum exec_result r,
				   const char *fmt, va_list ap)
{
	g_free(ctx->message);
	ctx->message = g_strdup_vprintf(fmt, ap);
	return r;
}

enum exec_result exec_ctx_retry(struct exec_ctx *ctx, double seconds,
				const char *fmt, ...)
{
	va_list ap;
	enum exec_result r;

	ctx->retry_after = seconds > 0 ? seconds : 0;
	va_start(ap, fmt);
	r = ctx_result(ctx, EXEC_RETRY, fmt, ap);
	va_end(ap);
	return r;
}

enum exec_result exec_ctx_fail(struct exec_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	enum exec_result r;

	va_start(ap, fmt);
	r = ctx_result(ctx, EXEC_FAIL, fmt, ap);
	va_end(ap);
	return r;
}

enum exec_result exec_ctx_fail_fatal(struct exec_ctx *ctx, const char *fmt,
				     ...)
{
	va_list ap;
	enum exec_result r;

	va_start(ap, fmt);
	r = ctx_result(ctx, EXEC_FAIL_FATAL, fmt, ap);
	va_end(ap);
	return r;
}
