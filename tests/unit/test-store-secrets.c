/* test-store-secrets.c: secrets — set/get/list/delete, the separate file
 * and its mode, that values stay out of messages and transactions, and
 * that events, task messages and execution errors are stored masked. */
#include "store/store.h"
#include "util/mask.h"
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

/* (transfer full) the one event of deployment "d" after id `after`. */
static struct store_event *event_after(struct store *s, int64_t after)
{
	struct store_event_filter f = { .deployment = "d", .after_id = after };
	struct bp_error *err = NULL;
	g_autoptr(GPtrArray) list = NULL;

	TEST_OK(store_event_list(s, &f, &list, &err), &err);
	g_assert_cmpuint(list->len, ==, 1);
	return g_ptr_array_steal_index(list, 0);
}

/* What the store writes for people to read never holds a secret value,
 * wherever the value came from. */
static void test_masked_writes(struct store_fixture *fx, gconstpointer data)
{
	struct store *s = fx->s;
	struct bp_error *err = NULL;
	json_t *evdata = json_pack("{s:s,s:[s]}", "cmd", "login -p hunter2",
				   "argv", "hunter2");
	struct store_event ev = { .deployment = "d", .type = "log",
				  .level = STORE_LEVEL_INFO, .data = evdata,
				  .message = "connecting with hunter2" };
	struct store_execution ex = { .deployment = "d", .workflow = "install",
				      .status = STORE_EXEC_STARTED };
	g_autoptr(store_event) got = NULL;
	g_autoptr(store_execution) exec = NULL;
	g_autoptr(store_task) task = NULL;
	g_autofree char *id = NULL;
	g_autofree char *text = NULL;
	g_autofree char *db = g_build_filename(fx->dir, "state.db", NULL);
	gsize len;

	test_store_add_deployment(s, "d");
	TEST_OK(store_secret_set(s, "pw", "hunter2", &err), &err);
	TEST_OK(store_event_append(s, &ev, NULL, &err), &err);
	got = event_after(s, 0);
	g_assert_cmpstr(got->message, ==, "connecting with ******");
	text = json_dumps(got->data, JSON_COMPACT);
	g_assert_cmpstr(text, ==, "{\"cmd\":\"login -p ******\","
			"\"argv\":[\"******\"]}");
	/* The caller's data is left as it was. */
	g_assert_cmpstr(json_string_value(json_object_get(evdata, "cmd")), ==,
			"login -p hunter2");

	TEST_OK(store_execution_create(s, &ex, &id, &err), &err);
	TEST_OK(store_execution_set_status(s, id, STORE_EXEC_FAILED,
					   "401 for password hunter2", &err),
		&err);
	TEST_OK(store_execution_get(s, id, &exec, &err), &err);
	g_assert_cmpstr(exec->error, ==, "401 for password ******");
	TEST_OK(store_task_put(s, &(struct store_task){ .execution = id,
		.key = "k", .operation = "op", .state = STORE_TASK_FAILED,
		.attempt = 1, .message = "bad hunter2" }, &err), &err);
	TEST_OK(store_task_get(s, id, "k", &task, &err), &err);
	g_assert_cmpstr(task->message, ==, "bad ******");

	/* Nowhere in the state database. */
	store_free(fx->s);
	fx->s = NULL;
	g_clear_pointer(&text, g_free);
	g_assert_true(g_file_get_contents(db, &text, &len, NULL));
	g_assert_null(memmem(text, len, "hunter2", 7));
	json_decref(evdata);
}

/* A secret set by another process after this handle first masked is
 * masked once this handle reads it (as the executor does before handing
 * it to a plugin); store_secret_mask() sees every stored value. */
static void test_mask_other_process(struct store_fixture *fx,
				    gconstpointer data)
{
	struct store *s = fx->s;
	g_autoptr(store) other = test_store_open(fx->dir);
	struct bp_error *err = NULL;
	struct store_event ev = { .deployment = "d", .type = "log",
				  .level = STORE_LEVEL_INFO };
	g_autoptr(store_event) got = NULL;
	g_autoptr(bp_mask) m = NULL;
	g_autofree char *v = NULL;
	g_autofree char *shown = NULL;

	test_store_add_deployment(s, "d");
	ev.message = "first";
	TEST_OK(store_event_append(s, &ev, NULL, &err), &err);
	TEST_OK(store_secret_set(other, "token", "tok-123", &err), &err);
	TEST_OK(store_secret_mask(s, &m, &err), &err);
	shown = bp_mask_text(m, "token tok-123");
	g_assert_cmpstr(shown, ==, "token ******");

	TEST_OK(store_secret_get(s, "token", &v, &err), &err);
	ev.message = "using tok-123";
	TEST_OK(store_event_append(s, &ev, NULL, &err), &err);
	got = event_after(s, 1);
	g_assert_cmpstr(got->message, ==, "using ******");
	g_clear_pointer(&got, store_event_free);

	/* A deleted secret stays masked for the handle. */
	TEST_OK(store_secret_delete(s, "token", &err), &err);
	ev.message = "still tok-123";
	TEST_OK(store_event_append(s, &ev, NULL, &err), &err);
	got = event_after(s, 2);
	g_assert_cmpstr(got->message, ==, "still ******");
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
	STORE_TEST("/store/secret/crud", test_crud);
	STORE_TEST("/store/secret/file-mode", test_file_mode);
	STORE_TEST("/store/secret/masked-writes", test_masked_writes);
	STORE_TEST("/store/secret/mask-other-process", test_mask_other_process);
	return g_test_run();
}
