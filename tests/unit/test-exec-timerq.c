/* test-exec-timerq.c: the executor's timer queue: entries come out by due
 * time, equal dues in the order they were added, removal from anywhere. */
#include "exec/timerq.h"
#include "testlib.h"

#define N 500

static gint64 pop_all(struct exec_timerq *q, struct exec_timerq_entry *base,
		      int *order)
{
	struct exec_timerq_entry *e;
	gint64 last = G_MININT64;
	int n = 0;

	while ((e = exec_timerq_pop_due(q, G_MAXINT64))) {
		g_assert_cmpint(e->due, >=, last);
		g_assert_false(exec_timerq_queued(e));
		last = e->due;
		order[n++] = (int)(e - base);
	}
	return n;
}

static void test_order(void)
{
	struct exec_timerq q;
	struct exec_timerq_entry e[N] = { 0 };
	int order[N];
	GRand *rand = g_rand_new_with_seed(7);

	exec_timerq_init(&q);
	for (int i = 0; i < N; i++)
		exec_timerq_add(&q, &e[i], g_rand_int_range(rand, 0, 50));
	g_assert_cmpint(pop_all(&q, e, order), ==, N);
	/* Ties keep the order of adding. */
	for (int i = 1; i < N; i++)
		if (e[order[i]].due == e[order[i - 1]].due)
			g_assert_cmpint(order[i], >, order[i - 1]);
	g_assert_cmpint(exec_timerq_next_due(&q), ==, G_MAXINT64);
	exec_timerq_release(&q);
	g_rand_free(rand);
}

static void test_due(void)
{
	struct exec_timerq q;
	struct exec_timerq_entry a = { 0 }, b = { 0 };

	exec_timerq_init(&q);
	exec_timerq_add(&q, &a, 100);
	exec_timerq_add(&q, &b, 50);
	g_assert_cmpint(exec_timerq_next_due(&q), ==, 50);
	g_assert_null(exec_timerq_pop_due(&q, 49));
	g_assert_true(exec_timerq_pop_due(&q, 50) == &b);
	g_assert_null(exec_timerq_pop_due(&q, 99));
	g_assert_true(exec_timerq_pop_due(&q, 1000) == &a);
	g_assert_null(exec_timerq_pop_due(&q, 1000));
	exec_timerq_release(&q);
}

static void test_remove(void)
{
	struct exec_timerq q;
	struct exec_timerq_entry e[N] = { 0 };
	int order[N];
	GRand *rand = g_rand_new_with_seed(11);
	int n;

	exec_timerq_init(&q);
	for (int i = 0; i < N; i++)
		exec_timerq_add(&q, &e[i], g_rand_int_range(rand, 0, 1000));
	for (int i = 0; i < N; i += 3)
		exec_timerq_remove(&q, &e[i]);
	exec_timerq_remove(&q, &e[0]);   /* not queued: no-op */
	n = pop_all(&q, e, order);
	g_assert_cmpint(n, ==, N - (N + 2) / 3);
	for (int i = 0; i < n; i++)
		g_assert_cmpint(order[i] % 3, !=, 0);
	/* Entries are reusable after removal. */
	exec_timerq_add(&q, &e[0], 5);
	g_assert_true(exec_timerq_queued(&e[0]));
	exec_timerq_release(&q);
	g_assert_false(exec_timerq_queued(&e[0]));
	g_rand_free(rand);
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
	g_test_add_func("/exec/timerq/order", test_order);
	g_test_add_func("/exec/timerq/due", test_due);
	g_test_add_func("/exec/timerq/remove", test_remove);
	return g_test_run();
}
