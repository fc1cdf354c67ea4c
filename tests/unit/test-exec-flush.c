/* test-exec-flush.c: the executor's flush callback (group commit): every
 * change the hook gathered is flushed before an attempt that depends on it
 * (its own start, its predecessors' success) is handed to a worker; a
 * failed flush stops the run and the attempts waiting for it never run. */
#include "exec/exec.h"
#include "testlib.h"

#include <string.h>

/* A change the hook saw, and the flush that made it durable (0: none). */
struct seen {
	char *task;
	enum exec_task_state to;
	unsigned flushed;       /* sequence number of its flush */
};

struct fx {
	GMutex lock;
	unsigned seq;           /* one counter for flushes and call starts */
	GPtrArray *changes;     /* struct seen *, in hook order */
	guint pending_from;     /* first change not flushed yet */
	unsigned flushes;
	unsigned fail_at;       /* the flush to fail (1-based), 0: none */
	GHashTable *started;    /* task name -> sequence number of its call */
};

static void seen_free(gpointer p)
{
	struct seen *s = p;

	g_free(s->task);
	g_free(s);
}

static enum exec_result run_task(void *payload, struct exec_ctx *ctx)
{
	struct fx *fx = payload;

	g_mutex_lock(&fx->lock);
	g_hash_table_insert(fx->started, g_strdup(exec_ctx_task_name(ctx)),
			    GUINT_TO_POINTER(++fx->seq));
	g_mutex_unlock(&fx->lock);
	return EXEC_OK;
}

static const struct exec_task_ops ops = { run_task, NULL };

static bool hook(const struct exec_change *c, void *data,
		 struct bp_error **err)
{
	struct fx *fx = data;
	struct seen *s = g_new0(struct seen, 1);

	s->task = g_strdup(exec_task_name(c->task));
	s->to = c->new_state;
	g_ptr_array_add(fx->changes, s);
	return true;
}

static bool flush(void *data, struct bp_error **err)
{
	struct fx *fx = data;
	unsigned n;

	g_mutex_lock(&fx->lock);
	n = ++fx->seq;
	g_mutex_unlock(&fx->lock);
	if (++fx->flushes == fx->fail_at) {
		bp_error_set(err, BP_ERR_IO, NULL, NULL, "disk full");
		return false;
	}
	for (; fx->pending_from < fx->changes->len; fx->pending_from++)
		((struct seen *)fx->changes->pdata[fx->pending_from])
			->flushed = n;
	return true;
}

static void fx_init(struct fx *fx)
{
	memset(fx, 0, sizeof(*fx));
	g_mutex_init(&fx->lock);
	fx->changes = g_ptr_array_new_with_free_func(seen_free);
	fx->started = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					    NULL);
}

static void fx_release(struct fx *fx)
{
	g_ptr_array_unref(fx->changes);
	g_hash_table_unref(fx->started);
	g_mutex_clear(&fx->lock);
}

static unsigned flushed(struct fx *fx, const char *task,
			enum exec_task_state to)
{
	for (guint i = 0; i < fx->changes->len; i++) {
		struct seen *s = fx->changes->pdata[i];
		if (!strcmp(s->task, task) && s->to == to)
			return s->flushed;
	}
	g_assert_not_reached();
	return 0;
}

static unsigned started(struct fx *fx, const char *task)
{
	return GPOINTER_TO_UINT(g_hash_table_lookup(fx->started, task));
}

/* a -> b -> c, and d alone: each call starts after the flush of its own
 * start and of its predecessor's success. */
static void test_order(void)
{
	g_autoptr(bp_error) err = NULL;
	struct exec_options o = EXEC_OPTIONS_INIT;
	struct exec_graph *g = exec_graph_new(NULL);
	struct exec_task *t[4];
	const char *names[] = { "a", "b", "c", "d" };
	struct fx fx;

	fx_init(&fx);
	for (int i = 0; i < 4; i++)
		t[i] = exec_graph_add(g, names[i], &ops, &fx, NULL);
	exec_graph_add_edge(g, t[0], t[1]);
	exec_graph_add_edge(g, t[1], t[2]);
	o.parallelism = 2;
	o.on_task_state = hook;
	o.on_flush = flush;
	o.hook_data = &fx;
	g_assert_true(exec_run(g, &o, &err));
	for (int i = 0; i < 4; i++) {
		unsigned s = started(&fx, names[i]);
		g_assert_cmpuint(s, >, 0);
		g_assert_cmpuint(flushed(&fx, names[i], EXEC_TASK_RUNNING), >,
				 0);
		g_assert_cmpuint(flushed(&fx, names[i], EXEC_TASK_RUNNING), <,
				 s);
		/* the last flush covered the last successes too */
		g_assert_cmpuint(flushed(&fx, names[i], EXEC_TASK_SUCCEEDED),
				 >, 0);
	}
	g_assert_cmpuint(flushed(&fx, "a", EXEC_TASK_SUCCEEDED), <,
			 started(&fx, "b"));
	g_assert_cmpuint(flushed(&fx, "b", EXEC_TASK_SUCCEEDED), <,
			 started(&fx, "c"));
	/* group commit: fewer flushes than changes */
	g_assert_cmpuint(fx.flushes, <, fx.changes->len);
	exec_graph_free(g);
	fx_release(&fx);
}

/* The second flush (the start of b) fails: b never runs, the run fails
 * with the flush's error, c is not run (the run stopped). */
static void test_failure(void)
{
	g_autoptr(bp_error) err = NULL;
	struct exec_options o = EXEC_OPTIONS_INIT;
	struct exec_graph *g = exec_graph_new(NULL);
	struct exec_task *a, *b, *c;
	struct fx fx;

	fx_init(&fx);
	a = exec_graph_add(g, "a", &ops, &fx, NULL);
	b = exec_graph_add(g, "b", &ops, &fx, NULL);
	c = exec_graph_add(g, "c", &ops, &fx, NULL);
	exec_graph_add_edge(g, a, b);
	exec_graph_add_edge(g, b, c);
	o.on_task_state = hook;
	o.on_flush = flush;
	o.hook_data = &fx;
	fx.fail_at = 2;
	g_assert_false(exec_run(g, &o, &err));
	g_assert_cmpint(err->code, ==, BP_ERR_IO);
	g_assert_cmpstr(err->message, ==, "committing task states: disk full");
	g_assert_cmpuint(started(&fx, "a"), >, 0);
	g_assert_cmpuint(started(&fx, "b"), ==, 0);
	g_assert_cmpuint(started(&fx, "c"), ==, 0);
	g_assert_cmpint(exec_task_state(b), ==, EXEC_TASK_FAILED);
	g_assert_cmpint(exec_task_state(c), ==, EXEC_TASK_NOT_RUN);
	exec_graph_free(g);
	fx_release(&fx);
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
	g_test_add_func("/exec/flush/order", test_order);
	g_test_add_func("/exec/flush/failure", test_failure);
	return g_test_run();
}
