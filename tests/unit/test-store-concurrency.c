/* test-store-concurrency.c: several threads writing at once — through one
 * handle (serialised by its mutex, transactions kept to their thread) and
 * through two handles on one directory (two SQLite connections that queue
 * on the database's write lock). Nothing may be lost or interleaved. */
#include "store/store.h"
#include "testerr.h"
#include "testlib.h"
#include "teststore.h"

#define THREADS 4
#define ROUNDS 200
#define TXN_EVERY 10

struct writer {
	struct store *s;
	const char *execution;
	unsigned k;               /* thread number */
	char *instance;           /* owned */
};

/* One round in a transaction: state change, event and task together. */
static void transaction_round(struct writer *w, unsigned i)
{
	struct bp_error *err = NULL;
	g_autofree char *key = g_strdup_printf("%s/%u", w->instance, i);
	struct store_event ev = { .deployment = "d", .type = "task_succeeded",
				  .instance_id = w->instance,
				  .message = "state changed" };
	struct store_task t = { .execution = w->execution, .key = key,
				.instance_id = w->instance,
				.operation = "configure",
				.state = STORE_TASK_SUCCEEDED };

	TEST_OK(store_begin(w->s, &err), &err);
	TEST_OK(store_instance_set_state(w->s, "d", w->instance,
					 STORE_INSTANCE_CONFIGURED,
					 STORE_ANY_VERSION, NULL, &err), &err);
	TEST_OK(store_event_append(w->s, &ev, NULL, &err), &err);
	TEST_OK(store_task_put(w->s, &t, &err), &err);
	TEST_OK(store_commit(w->s, &err), &err);
}

static gpointer write_rounds(gpointer data)
{
	struct writer *w = data;
	struct bp_error *err = NULL;
	int64_t version = 1;

	for (unsigned i = 0; i < ROUNDS; i++) {
		json_t *props = json_pack("{s:i,s:i}", "n", i, "thread", w->k);
		g_autofree char *msg = g_strdup_printf("%u:%u", w->k, i);
		struct store_event ev = { .deployment = "d", .type = "log",
					  .instance_id = w->instance,
					  .message = msg };
		int64_t expect = version;

		/* Only this thread writes this instance, so the version it
		 * read is always current. */
		TEST_OK(store_instance_set_props(w->s, "d", w->instance, props,
						 expect, &version, &err), &err);
		g_assert_cmpint(version, ==, expect + 1);
		TEST_OK(store_event_append(w->s, &ev, NULL, &err), &err);
		json_decref(props);
		if (i % TXN_EVERY == 0) {
			transaction_round(w, i);
			version++;
		}
	}
	return NULL;
}

static void test_one_handle(struct store_fixture *fx, gconstpointer data)
{
	struct store *s = fx->s;
	struct bp_error *err = NULL;
	struct writer w[THREADS];
	GThread *threads[THREADS];
	g_autofree char *exec_id = NULL;
	g_autoptr(GPtrArray) tasks = NULL;
	struct store_execution e = { .deployment = "d", .workflow = "install" };
	const unsigned txns = (ROUNDS + TXN_EVERY - 1) / TXN_EVERY;

	test_store_add_deployment(s, "d");
	TEST_OK(store_execution_create(s, &e, &exec_id, &err), &err);
	for (unsigned k = 0; k < THREADS; k++) {
		w[k] = (struct writer){ .s = s, .execution = exec_id, .k = k,
					.instance = g_strdup_printf("w_%u", k) };
		test_store_add_instance(s, w[k].instance, "d", "n", NULL);
	}
	for (unsigned k = 0; k < THREADS; k++)
		threads[k] = g_thread_new("writer", write_rounds, &w[k]);
	for (unsigned k = 0; k < THREADS; k++)
		g_thread_join(threads[k]);

	for (unsigned k = 0; k < THREADS; k++) {
		g_autoptr(store_instance) i = NULL;
		struct store_event_filter f = { .instance_id = w[k].instance };
		uint64_t n = 0;

		TEST_OK(store_instance_get(s, "d", w[k].instance, &i, &err), &err);
		g_assert_cmpint(i->version, ==, 1 + ROUNDS + txns);
		g_assert_cmpint(i->state, ==, STORE_INSTANCE_CONFIGURED);
		g_assert_cmpint(json_integer_value(json_object_get(
				i->runtime_props, "n")), ==, ROUNDS - 1);
		g_assert_cmpint(json_integer_value(json_object_get(
				i->runtime_props, "thread")), ==, k);
		TEST_OK(store_event_count(s, &f, &n, &err), &err);
		g_assert_cmpuint(n, ==, ROUNDS + txns);
		g_free(w[k].instance);
	}
	TEST_OK(store_task_list(s, exec_id, &tasks, &err), &err);
	g_assert_cmpuint(tasks->len, ==, THREADS * txns);
	TEST_OK(store_check(s, &err), &err);
}

/* Writes ROUNDS transactions through its own handle. */
static gpointer write_own_handle(gpointer data)
{
	struct store *s = test_store_open(data);
	struct bp_error *err = NULL;

	for (unsigned i = 0; i < ROUNDS; i++) {
		json_t *props = json_pack("{s:i}", "n", i);
		struct store_event ev = { .deployment = "d", .type = "log",
					  .message = "x" };

		TEST_OK(store_begin(s, &err), &err);
		TEST_OK(store_instance_set_props(s, "d", "shared", props,
						 STORE_ANY_VERSION, NULL, &err),
			&err);
		TEST_OK(store_event_append(s, &ev, NULL, &err), &err);
		TEST_OK(store_commit(s, &err), &err);
		json_decref(props);
	}
	store_free(s);
	return NULL;
}

static void test_two_handles(struct store_fixture *fx, gconstpointer data)
{
	struct bp_error *err = NULL;
	g_autoptr(store_instance) i = NULL;
	struct store_event_filter f = { .deployment = "d" };
	GThread *a, *b;
	uint64_t n = 0;

	test_store_add_deployment(fx->s, "d");
	test_store_add_instance(fx->s, "shared", "d", "n", NULL);
	a = g_thread_new("a", write_own_handle, fx->dir);
	b = g_thread_new("b", write_own_handle, fx->dir);
	g_thread_join(a);
	g_thread_join(b);
	TEST_OK(store_instance_get(fx->s, "d", "shared", &i, &err), &err);
	g_assert_cmpint(i->version, ==, 1 + 2 * ROUNDS);
	TEST_OK(store_event_count(fx->s, &f, &n, &err), &err);
	g_assert_cmpuint(n, ==, 2 * ROUNDS);
	TEST_OK(store_check(fx->s, &err), &err);
}

struct reader {
	struct store *s;
	GMutex lock;
	GCond cond;
	bool started;
	bool found;
};

static gpointer read_phantom(gpointer data)
{
	struct reader *r = data;
	struct bp_error *err = NULL;
	g_autoptr(store_deployment) d = NULL;

	g_mutex_lock(&r->lock);
	r->started = true;
	g_cond_signal(&r->cond);
	g_mutex_unlock(&r->lock);
	/* Waits for the other thread's transaction to end. */
	r->found = store_deployment_get(r->s, "phantom", &d, &err);
	if (!r->found) {
		g_assert_cmpint(err->code, ==, BP_ERR_NOT_FOUND);
		bp_error_free(err);
	}
	return NULL;
}

static void test_transaction_isolated(struct store_fixture *fx,
				      gconstpointer data)
{
	struct bp_error *err = NULL;
	struct reader r = { .s = fx->s };
	GThread *t;

	g_mutex_init(&r.lock);
	g_cond_init(&r.cond);
	TEST_OK(store_begin(fx->s, &err), &err);
	test_store_add_deployment(fx->s, "phantom");
	t = g_thread_new("reader", read_phantom, &r);
	g_mutex_lock(&r.lock);
	while (!r.started)
		g_cond_wait(&r.cond, &r.lock);
	g_mutex_unlock(&r.lock);
	store_rollback(fx->s);
	g_thread_join(t);
	/* Never saw the row another thread had not committed. */
	g_assert_false(r.found);
	g_mutex_clear(&r.lock);
	g_cond_clear(&r.cond);
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
	STORE_TEST("/store/concurrency/one-handle", test_one_handle);
	STORE_TEST("/store/concurrency/two-handles", test_two_handles);
	STORE_TEST("/store/concurrency/transaction-isolated",
		   test_transaction_isolated);
	return g_test_run();
}
