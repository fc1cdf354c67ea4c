/* exec-overhead.c: what the executor costs per task, and that waiting for
 * a retry holds no thread. Prints timings; asserts nothing about speed.
 *
 *   1. N no-op tasks (default 10,000), no edges: wall time and time per task.
 *   2. The same as layers of 100 tasks, each after two of the layer before.
 *   3. M tasks (default 5,000) that RETRY five times 0.2 s apart: wall time
 *      (ideal: 1 s plus overhead) and the worker threads used.
 *
 * Usage: exec-overhead [N [M [PARALLELISM]]]
 */
#include "exec/exec.h"

#include <stdio.h>
#include <stdlib.h>

struct stats {
	GMutex lock;
	GHashTable *threads;   /* threads that made a call */
};

static struct stats stats;

static enum exec_result noop(void *payload, struct exec_ctx *ctx)
{
	return EXEC_OK;
}

static enum exec_result retry5(void *payload, struct exec_ctx *ctx)
{
	unsigned a = exec_ctx_attempt(ctx);

	g_mutex_lock(&stats.lock);
	g_hash_table_add(stats.threads, g_thread_self());
	g_mutex_unlock(&stats.lock);
	if (a <= 5)
		return exec_ctx_retry(ctx, 0.2, "attempt %u: not ready", a);
	return EXEC_OK;
}

static const struct exec_task_ops noop_ops = { noop, NULL };
static const struct exec_task_ops retry_ops = { retry5, NULL };

/* Runs `g` and returns the wall time in seconds; exits on failure. */
static double timed_run(struct exec_graph *g, unsigned parallelism)
{
	struct exec_options o = EXEC_OPTIONS_INIT;
	struct bp_error *err = NULL;
	gint64 t0 = g_get_monotonic_time();

	o.parallelism = parallelism;
	if (!exec_run(g, &o, &err)) {
		fprintf(stderr, "exec-overhead: %s\n", err->message);
		exit(1);
	}
	return (g_get_monotonic_time() - t0) / 1e6;
}

static struct exec_graph *graph_new(void)
{
	struct bp_error *err = NULL;
	struct exec_graph *g = exec_graph_new(&err);

	if (!g) {
		fprintf(stderr, "exec-overhead: %s\n", err->message);
		exit(1);
	}
	return g;
}

static void bench_noop(unsigned n, unsigned parallelism, bool layered)
{
	struct exec_graph *g = graph_new();
	struct exec_task **t = g_new(struct exec_task *, n);
	double secs;

	for (unsigned i = 0; i < n; i++) {
		char name[32];

		g_snprintf(name, sizeof name, "t%u", i);
		t[i] = exec_graph_add(g, name, &noop_ops, NULL, NULL);
		if (layered && i >= 100) {
			unsigned base = (i / 100 - 1) * 100;

			exec_graph_add_edge(g, t[base + (i * 7) % 100], t[i]);
			exec_graph_add_edge(g, t[base + (i * 13 + 5) % 100], t[i]);
		}
	}
	secs = timed_run(g, parallelism);
	printf("%-34s %6u tasks  %8.3f s  %7.2f us/task\n",
	       layered ? "no-op, layers of 100, 2 edges:" : "no-op, independent:",
	       n, secs, secs * 1e6 / n);
	exec_graph_free(g);
	g_free(t);
}

static void bench_retry(unsigned m, unsigned parallelism)
{
	struct exec_graph *g = graph_new();
	struct exec_counters c;
	double secs;

	for (unsigned i = 0; i < m; i++) {
		char name[32];

		g_snprintf(name, sizeof name, "r%u", i);
		exec_graph_add(g, name, &retry_ops, NULL, NULL);
	}
	secs = timed_run(g, parallelism);
	exec_graph_counters(g, &c);
	printf("%-34s %6u tasks  %8.3f s  retries %u, threads used %u\n",
	       "RETRY x5, 0.2 s apart:", m, secs, c.retries,
	       g_hash_table_size(stats.threads));
	exec_graph_free(g);
}

int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)g_ascii_strtoull(argv[1], NULL, 10) : 10000;
	unsigned m = argc > 2 ? (unsigned)g_ascii_strtoull(argv[2], NULL, 10) : 5000;
	unsigned p = argc > 3 ? (unsigned)g_ascii_strtoull(argv[3], NULL, 10)
			      : EXEC_DEFAULT_PARALLELISM;

	g_mutex_init(&stats.lock);
	stats.threads = g_hash_table_new(NULL, NULL);
	printf("parallelism %u\n", p);
	bench_noop(n, p, false);
	bench_noop(n, p, true);
	bench_retry(m, p);
	g_hash_table_unref(stats.threads);
	return 0;
}
