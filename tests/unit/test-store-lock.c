/* test-store-lock.c: the execution lock — refusal naming the holder,
 * release, and death with a holder killed by SIGKILL. */
#include "store/store.h"
#include "testerr.h"
#include "testlib.h"
#include "teststore.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void test_refuse_and_release(struct store_fixture *fx,
				    gconstpointer data)
{
	struct store *s = fx->s;
	struct bp_error *err = NULL;
	struct store_lock *a = NULL;
	struct store_lock *b = NULL;
	struct store_lock *other = NULL;
	g_autofree char *holder = g_strdup_printf("locked by pid %ld "
						  "('blueprint install x.yaml') "
						  "since 20", (long)getpid());
	g_autofree char *path = g_build_filename(fx->dir, "locks", "d.lock",
						 NULL);
	g_autofree char *content = NULL;

	TEST_OK(store_lock_acquire(s, "d", "blueprint install x.yaml", &a, &err),
		&err);
	g_assert_true(g_file_get_contents(path, &content, NULL, NULL));
	g_assert_true(g_str_has_suffix(content, "\nblueprint install x.yaml\n"));

	/* A second open file description conflicts, even in this process. */
	TEST_FAILS(store_lock_acquire(s, "d", "blueprint uninstall", &b, &err),
		   &err, BP_ERR_CONFLICT, holder);
	g_assert_null(b);
	TEST_OK(store_lock_acquire(s, "other", "x", &other, &err), &err);

	store_lock_free(a);
	g_clear_pointer(&content, g_free);
	g_assert_true(g_file_get_contents(path, &content, NULL, NULL));
	g_assert_cmpstr(content, ==, "");
	TEST_OK(store_lock_acquire(s, "d", "blueprint uninstall", &b, &err),
		&err);
	store_lock_free(b);
	store_lock_free(other);
	store_lock_free(NULL);

	TEST_FAILS(store_lock_acquire(s, "../d", "x", &b, &err), &err,
		   BP_ERR_INVALID, "invalid deployment id '../d'");
}

/* Child: takes the lock, says so on `ready`, then waits to be killed. */
static G_GNUC_NORETURN void hold_lock_until_killed(struct store *s, int ready,
						   int wait_fd)
{
	struct bp_error *err = NULL;
	struct store_lock *l = NULL;
	char c = 'L';

	if (!store_lock_acquire(s, "d", "blueprint install child", &l, &err))
		c = 'E';
	if (write(ready, &c, 1) != 1)
		_exit(2);
	while (read(wait_fd, &c, 1) != 0)
		;
	_exit(0);
}

static void test_dies_with_holder(struct store_fixture *fx, gconstpointer data)
{
	struct bp_error *err = NULL;
	struct store_lock *l = NULL;
	int ready[2], hold[2], status = 0;
	g_autofree char *holder = NULL;
	pid_t child;
	char c = 0;

	g_assert_cmpint(pipe(ready), ==, 0);
	g_assert_cmpint(pipe(hold), ==, 0);
	child = fork();
	g_assert_cmpint(child, >=, 0);
	if (child == 0) {
		close(ready[0]);
		close(hold[1]);
		hold_lock_until_killed(fx->s, ready[1], hold[0]);
	}
	close(ready[1]);
	close(hold[0]);
	g_assert_cmpint(read(ready[0], &c, 1), ==, 1);
	g_assert_cmpint(c, ==, 'L');

	holder = g_strdup_printf("deployment 'd' is locked by pid %ld "
				 "('blueprint install child') since ",
				 (long)child);
	TEST_FAILS(store_lock_acquire(fx->s, "d", "parent", &l, &err), &err,
		   BP_ERR_CONFLICT, holder);

	g_assert_cmpint(kill(child, SIGKILL), ==, 0);
	g_assert_cmpint(waitpid(child, &status, 0), ==, child);
	g_assert_true(WIFSIGNALED(status));
	g_assert_cmpint(WTERMSIG(status), ==, SIGKILL);

	/* The kernel dropped the lock with the process; the stale details
	 * left in the file do not matter. */
	TEST_OK(store_lock_acquire(fx->s, "d", "parent", &l, &err), &err);
	store_lock_free(l);
	close(ready[0]);
	close(hold[1]);
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
	STORE_TEST("/store/lock/refuse-and-release", test_refuse_and_release);
	STORE_TEST("/store/lock/dies-with-holder", test_dies_with_holder);
	return g_test_run();
}
