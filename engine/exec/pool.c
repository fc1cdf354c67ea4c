/* pool.c: the executor's worker threads (see pool.h): one queue under one
 * lock, threads that wait on a condition only when it is empty, and
 * wake-ups passed on from thread to thread.
 */
#include "exec/pool.h"
#include "exec/exec-int.h"

struct exec_pool {
	GMutex lock;
	GCond work;          /* [lock] signalled when attempts are queued or
			      * the pool stops */
	GQueue queue;        /* [lock] struct exec_ctx *, FIFO */
	unsigned idle;       /* [lock] threads waiting on `work` */
	bool stopping;       /* [lock] end once the queue is empty */
	gint refs;           /* [atomic] the owner and each running thread */
	GThread **threads;   /* the owner's handles */
	unsigned n;          /* threads started */
};

static void pool_destroy(struct exec_pool *p)
{
	g_mutex_clear(&p->lock);
	g_cond_clear(&p->work);
	g_queue_clear(&p->queue);
	g_free(p->threads);
	g_free(p);
}

static void pool_unref(struct exec_pool *p)
{
	if (g_atomic_int_dec_and_test(&p->refs))
		pool_destroy(p);
}

/* Takes the next attempt, waiting for one; NULL once the pool stops and
 * nothing is queued. With the lock held. */
static struct exec_ctx *take(struct exec_pool *p)
{
	struct exec_ctx *ctx;

	while (g_queue_is_empty(&p->queue) && !p->stopping) {
		p->idle++;
		g_cond_wait(&p->work, &p->lock);
		p->idle--;
	}
	ctx = g_queue_pop_head(&p->queue);
	/* more than this thread can take now: pass the wake-up on */
	if (ctx && !g_queue_is_empty(&p->queue) && p->idle)
		g_cond_signal(&p->work);
	return ctx;
}

static gpointer worker(gpointer data)
{
	struct exec_pool *p = data;
	struct exec_ctx *ctx;

	g_mutex_lock(&p->lock);
	while ((ctx = take(p))) {
		g_mutex_unlock(&p->lock);
		exec__attempt_work(ctx, NULL);
		g_mutex_lock(&p->lock);
	}
	g_mutex_unlock(&p->lock);
	pool_unref(p);
	return NULL;
}

/* Tells the threads to end once the queue is empty. */
static void stop(struct exec_pool *p)
{
	g_mutex_lock(&p->lock);
	p->stopping = true;
	g_cond_broadcast(&p->work);
	g_mutex_unlock(&p->lock);
}

struct exec_pool *exec_pool_new(unsigned threads, struct bp_error **err)
{
	struct exec_pool *p = g_new0(struct exec_pool, 1);

	g_mutex_init(&p->lock);
	g_cond_init(&p->work);
	g_queue_init(&p->queue);
	p->threads = g_new0(GThread *, MAX(threads, 1u));
	p->refs = 1;
	for (p->n = 0; p->n < MAX(threads, 1u); p->n++) {
		g_autoptr(GError) gerr = NULL;

		g_atomic_int_inc(&p->refs);
		p->threads[p->n] = g_thread_try_new("exec-worker", worker, p,
						    &gerr);
		if (p->threads[p->n])
			continue;
		g_atomic_int_dec_and_test(&p->refs);
		bp_error_set(err, BP_ERR_GENERIC, NULL, NULL,
			     "cannot start the executor's worker threads: %s",
			     gerr->message);
		exec_pool_free(p, true);
		return NULL;
	}
	return p;
}

void exec_pool_push(struct exec_pool *p, void *const *ctxs, unsigned n)
{
	if (n == 0)
		return;
	g_mutex_lock(&p->lock);
	for (unsigned i = 0; i < n; i++)
		g_queue_push_tail(&p->queue, ctxs[i]);
	if (p->idle)
		g_cond_signal(&p->work);
	g_mutex_unlock(&p->lock);
}

void exec_pool_free(struct exec_pool *p, bool wait)
{
	if (!p)
		return;
	stop(p);
	for (unsigned i = 0; i < p->n; i++) {
		if (wait)
			g_thread_join(p->threads[i]);
		else
			g_thread_unref(p->threads[i]);
	}
	pool_unref(p);
}
