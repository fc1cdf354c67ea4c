/* test-store-crash.c: crash consistency. A child process commits in a
 * loop and reports each commit on a pipe; the parent kills it with SIGKILL
 * at an arbitrary point, reopens the state directory and checks that the
 * database is sound, that every reported commit is there, and that no
 * transaction is there in part. Three rounds, each resuming the last. */
#include "store/store.h"
#include "testerr.h"
#include "testlib.h"
#include "teststore.h"

#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 3
#define COMMITS_BEFORE_KILL 150

/* How many rows of node "c" there are: where the child resumes. */
static unsigned committed_rows(struct store *s)
{
	struct bp_error *err = NULL;
	g_autoptr(GPtrArray) rows = NULL;

	TEST_OK(store_instance_list(s, "d", "c", &rows, &err), &err);
	return rows->len;
}

/* One transaction: a new instance, an event naming it, and the counter
 * instance's properties, all or nothing. */
static bool commit_one(struct store *s, unsigned i, struct bp_error **err)
{
	g_autofree char *id = g_strdup_printf("c_%06u", i);
	g_autoptr(GPtrArray) one = g_ptr_array_new_with_free_func(
		(GDestroyNotify)store_instance_free);
	json_t *props = json_pack("{s:i}", "n", i);
	struct store_event ev = { .deployment = "d", .type = "log",
				  .instance_id = id, .message = "row" };
	bool ok;

	g_ptr_array_add(one, test_instance_new(id, "d", "c", NULL));
	ok = store_begin(s, err);
	if (ok) {
		ok = store_instance_insert(s, one, err) &&
		     store_event_append(s, &ev, NULL, err) &&
		     store_instance_set_props(s, "d", "counter", props,
					      STORE_ANY_VERSION, NULL, err);
		if (ok)
			ok = store_commit(s, err);
		else
			store_rollback(s);
	}
	json_decref(props);
	return ok;
}

/* Child: commits forever from where the last round stopped, writing each
 * committed number to `report` once its commit has returned. */
static G_GNUC_NORETURN void commit_until_killed(const char *dir, int report)
{
	struct bp_error *err = NULL;
	struct store *s = NULL;
	uint32_t i;

	if (!store_open(dir, &s, &err))
		_exit(1);
	for (i = committed_rows(s);; i++) {
		if (!commit_one(s, i, &err))
			_exit(1);
		if (write(report, &i, sizeof(i)) != sizeof(i))
			_exit(1);
	}
}

/* Runs one child and returns the highest number it reported. */
static int64_t run_and_kill(const char *dir)
{
	int fds[2], status = 0;
	uint32_t got;
	int64_t last = -1;
	unsigned reports = 0;
	pid_t child;

	g_assert_cmpint(pipe(fds), ==, 0);
	child = fork();
	g_assert_cmpint(child, >=, 0);
	if (child == 0) {
		close(fds[0]);
		commit_until_killed(dir, fds[1]);
	}
	close(fds[1]);
	while (reports < COMMITS_BEFORE_KILL &&
	       read(fds[0], &got, sizeof(got)) == sizeof(got)) {
		last = got;
		reports++;
	}
	g_assert_cmpuint(reports, ==, COMMITS_BEFORE_KILL);
	g_assert_cmpint(kill(child, SIGKILL), ==, 0);
	g_assert_cmpint(waitpid(child, &status, 0), ==, child);
	g_assert_true(WIFSIGNALED(status));
	/* Commits reported between our last read and the kill count too. */
	while (read(fds[0], &got, sizeof(got)) == sizeof(got))
		last = got;
	close(fds[0]);
	return last;
}

/* Reopens the directory and checks it after a kill. */
static void check_after_kill(const char *dir, int64_t last_reported)
{
	struct bp_error *err = NULL;
	g_autoptr(store) s = test_store_open(dir);
	g_autoptr(store_instance) counter = NULL;
	g_autoptr(GPtrArray) rows = NULL;
	struct store_event_filter f = { .deployment = "d" };
	uint64_t events = 0;
	unsigned n;

	TEST_OK(store_check(s, &err), &err);
	TEST_OK(store_instance_list(s, "d", "c", &rows, &err), &err);
	n = rows->len;
	/* Every reported commit is present; at most one more committed
	 * whose report the kill cut off. */
	g_assert_cmpint(n, >=, last_reported + 1);
	g_assert_cmpint(n, <=, last_reported + 2);
	for (unsigned k = 0; k < n; k++) {
		g_autofree char *id = g_strdup_printf("c_%06u", k);
		g_assert_cmpstr(((struct store_instance *)rows->pdata[k])->id,
				==, id);
	}
	/* No transaction in part: one event and one counter update each. */
	TEST_OK(store_event_count(s, &f, &events, &err), &err);
	g_assert_cmpuint(events, ==, n);
	TEST_OK(store_instance_get(s, "d", "counter", &counter, &err), &err);
	g_assert_cmpint(json_integer_value(json_object_get(
			counter->runtime_props, "n")), ==, n - 1);
	g_assert_cmpint(counter->version, ==, 1 + n);
}

static void test_sigkill_loses_nothing(struct store_fixture *fx,
				       gconstpointer data)
{
	test_store_add_deployment(fx->s, "d");
	test_store_add_instance(fx->s, "counter", "d", "counter", NULL);
	/* No open connection may cross fork(). */
	g_clear_pointer(&fx->s, store_free);
	for (unsigned round = 0; round < ROUNDS; round++)
		check_after_kill(fx->dir, run_and_kill(fx->dir));
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
	STORE_TEST("/store/crash/sigkill-loses-nothing",
		   test_sigkill_loses_nothing);
	return g_test_run();
}
