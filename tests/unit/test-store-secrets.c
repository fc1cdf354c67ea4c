/* test-store-secrets.c: secrets — set/get/list/delete, the separate file
 * and its mode, and that values stay out of messages and transactions. */
#include "store/store.h"
#include "testerr.h"
#include "testlib.h"
#include "teststore.h"

#include <string.h>
#include <sys/stat.h>

static unsigned file_mode(const char *path)
{
	struct stat st;

	g_assert_cmpint(stat(path, &st), ==, 0);
	return st.st_mode & 07777;
}

static void test_crud(struct store_fixture *fx, gconstpointer data)
{
	struct store *s = fx->s;
	struct bp_error *err = NULL;
	g_autofree char *v = NULL;
	g_autoptr(GPtrArray) keys = NULL;

	TEST_OK(store_secret_set(s, "os_password", "hunter2", &err), &err);
	TEST_OK(store_secret_set(s, "api_key", "k-1", &err), &err);
	TEST_OK(store_secret_set(s, "api_key", "k-2", &err), &err);
	TEST_OK(store_secret_get(s, "api_key", &v, &err), &err);
	g_assert_cmpstr(v, ==, "k-2");
	TEST_OK(store_secret_list(s, &keys, &err), &err);
	g_assert_cmpuint(keys->len, ==, 2);
	g_assert_cmpstr(keys->pdata[0], ==, "api_key");
	g_assert_cmpstr(keys->pdata[1], ==, "os_password");

	TEST_OK(store_secret_delete(s, "api_key", &err), &err);
	g_clear_pointer(&v, g_free);
	TEST_FAILS(store_secret_get(s, "api_key", &v, &err), &err,
		   BP_ERR_NOT_FOUND, "secret 'api_key' not found");
	TEST_FAILS(store_secret_delete(s, "api_key", &err), &err,
		   BP_ERR_NOT_FOUND, "secret 'api_key' not found");
	TEST_FAILS(store_secret_set(s, "", "x", &err), &err, BP_ERR_INVALID,
		   "non-empty key");

	/* Secrets live outside transactions: a rollback keeps them. */
	TEST_OK(store_begin(s, &err), &err);
	TEST_OK(store_secret_set(s, "kept", "yes", &err), &err);
	store_rollback(s);
	TEST_OK(store_secret_get(s, "kept", &v, &err), &err);
	g_assert_cmpstr(v, ==, "yes");
}

static void test_file_mode(struct store_fixture *fx, gconstpointer data)
{
	g_autofree char *sec = g_build_filename(fx->dir, "secrets.db", NULL);
	g_autofree char *state = g_build_filename(fx->dir, "state.db", NULL);
	g_autofree char *contents = NULL;
	struct bp_error *err = NULL;
	gsize len = 0;

	TEST_OK(store_secret_set(fx->s, "token", "s3cr3t-value", &err), &err);
	g_assert_cmpuint(file_mode(sec), ==, 0600);
	g_assert_cmpuint(file_mode(state), ==, 0600);
	g_assert_cmpuint(file_mode(fx->dir), ==, 0700);

	/* The value is in secrets.db and nowhere in state.db. */
	g_assert_true(g_file_get_contents(sec, &contents, &len, NULL));
	g_assert_nonnull(memmem(contents, len, "s3cr3t-value", 12));
	g_clear_pointer(&contents, g_free);
	g_assert_true(g_file_get_contents(state, &contents, &len, NULL));
	g_assert_null(memmem(contents, len, "s3cr3t-value", 12));

	/* A file someone loosened is tightened again on open. */
	store_free(fx->s);
	g_assert_cmpint(chmod(sec, 0644), ==, 0);
	fx->s = test_store_open(fx->dir);
	g_assert_cmpuint(file_mode(sec), ==, 0600);
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
	STORE_TEST("/store/secret/crud", test_crud);
	STORE_TEST("/store/secret/file-mode", test_file_mode);
	return g_test_run();
}
