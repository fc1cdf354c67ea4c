/* test-store-runs.c: the "what happened" records — executions, operation
 * tasks, events (filters, cursor, count), scaling modifications — and
 * transactions (commit, rollback, nesting, the callback form). */
#include "store/store.h"
#include "testerr.h"
#include "testlib.h"
#include "teststore.h"

#include <string.h>

/* (transfer full) the id of a new execution of `workflow` on `dep`. */
static char *new_execution(struct store *s, const char *dep,
			   const char *workflow, enum store_exec_status status)
{
	struct bp_error *err = NULL;
	char *id = NULL;
	struct store_execution e = { .deployment = dep, .workflow = workflow,
				     .status = status, .pid = 42,
				     .command = "blueprint install bp.yaml" };

	TEST_OK(store_execution_create(s, &e, &id, &err), &err);
	return id;
}

static void test_execution_lifecycle(struct store_fixture *fx,
				     gconstpointer data)
{
	struct store *s = fx->s;
	struct bp_error *err = NULL;
	g_autofree char *id = NULL;
	g_autofree char *id2 = NULL;
	g_autoptr(store_execution) e = NULL;
	g_autoptr(GPtrArray) all = NULL;
	json_t *params = json_pack("{s:i}", "delta", 2);
	struct store_execution with_params = {
		.deployment = "d", .workflow = "scale", .parameters = params,
	};
	struct store_execution orphan = { .deployment = "nope",
					  .workflow = "install" };
	char *none = NULL;

	test_store_add_deployment(s, "d");
	id = new_execution(s, "d", "install", STORE_EXEC_PENDING);
	g_assert_cmpuint(strlen(id), ==, 36);
	TEST_OK(store_execution_get(s, id, &e, &err), &err);
	g_assert_cmpstr(e->id, ==, id);
	g_assert_cmpstr(e->workflow, ==, "install");
	g_assert_cmpint(e->status, ==, STORE_EXEC_PENDING);
	g_assert_cmpint(e->pid, ==, 42);
	g_assert_cmpstr(e->command, ==, "blueprint install bp.yaml");
	g_assert_true(json_is_object(e->parameters));
	g_assert_cmpint(e->created_at, >, 0);
	g_assert_cmpint(e->started_at, ==, 0);
	g_assert_cmpint(e->ended_at, ==, 0);

	TEST_OK(store_execution_set_status(s, id, STORE_EXEC_STARTED, NULL,
					   &err), &err);
	TEST_OK(store_execution_set_status(s, id, STORE_EXEC_FAILED,
					   "node 'vm' failed", &err), &err);
	g_clear_pointer(&e, store_execution_free);
	TEST_OK(store_execution_get(s, id, &e, &err), &err);
	g_assert_cmpint(e->status, ==, STORE_EXEC_FAILED);
	g_assert_cmpstr(e->error, ==, "node 'vm' failed");
	g_assert_cmpint(e->started_at, >=, e->created_at);
	g_assert_cmpint(e->ended_at, >=, e->started_at);

	/* Nothing to resume; then a new one is. */
	g_clear_pointer(&e, store_execution_free);
	TEST_OK(store_execution_find_unfinished(s, "d", &e, &err), &err);
	g_assert_null(e);
	id2 = new_execution(s, "d", "install", STORE_EXEC_STARTED);
	TEST_OK(store_execution_find_unfinished(s, "d", &e, &err), &err);
	g_assert_cmpstr(e->id, ==, id2);
	g_assert_cmpint(e->started_at, ==, e->created_at);
	g_clear_pointer(&e, store_execution_free);

	/* Resuming the older, failed one: leaving a terminal status clears
	 * ended_at, and the newest unfinished one (by creation) still wins. */
	TEST_OK(store_execution_set_status(s, id, STORE_EXEC_STARTED, NULL,
					   &err), &err);
	TEST_OK(store_execution_set_owner(s, id, 777, "blueprint resume",
					  &err), &err);
	TEST_OK(store_execution_get(s, id, &e, &err), &err);
	g_assert_cmpint(e->ended_at, ==, 0);
	g_assert_null(e->error);
	g_assert_cmpint(e->pid, ==, 777);
	g_assert_cmpstr(e->command, ==, "blueprint resume");
	g_clear_pointer(&e, store_execution_free);
	TEST_OK(store_execution_find_unfinished(s, "d", &e, &err), &err);
	g_assert_cmpstr(e->id, ==, id2);

	g_free(new_execution(s, "d", "uninstall", STORE_EXEC_SUCCEEDED));
	TEST_OK(store_execution_create(s, &with_params, &none, &err), &err);
	g_clear_pointer(&none, g_free);
	TEST_OK(store_execution_list(s, "d", &all, &err), &err);
	g_assert_cmpuint(all->len, ==, 4);
	g_assert_cmpstr(((struct store_execution *)all->pdata[0])->id, ==, id);
	g_assert_true(json_equal(
		((struct store_execution *)all->pdata[3])->parameters, params));
	g_assert_cmpint(((struct store_execution *)all->pdata[2])->ended_at,
			>, 0);

	TEST_FAILS(store_execution_get(s, "x", &e, &err), &err,
		   BP_ERR_NOT_FOUND, "execution 'x' not found");
	TEST_FAILS(store_execution_set_status(s, "x", STORE_EXEC_FAILED, NULL,
					      &err), &err, BP_ERR_NOT_FOUND,
		   "execution 'x' not found");
	TEST_FAILS(store_execution_create(s, &orphan, &none, &err), &err,
		   BP_ERR_NOT_FOUND, "does not exist");
	g_assert_null(none);
	json_decref(params);
}

static void test_tasks(struct store_fixture *fx, gconstpointer data)
{
	struct store *s = fx->s;
	struct bp_error *err = NULL;
	g_autofree char *ex1 = NULL;
	g_autofree char *ex2 = NULL;
	g_autoptr(store_task) t = NULL;
	g_autoptr(GPtrArray) all = NULL;
	json_t *out1 = json_pack("{s:s}", "id", "srv-1");
	json_t *out2 = json_pack("{s:s}", "id", "srv-2");
	json_t *got = NULL;
	bool done = true;
	struct store_task create = {
		.key = "vm_1/create", .instance_id = "vm_1",
		.operation = "cloudify.interfaces.lifecycle.create",
		.state = STORE_TASK_SENT, .attempt = 1,
	};
	struct store_task rel = {
		.key = "app_1/db_1/establish", .instance_id = "app_1",
		.target_id = "db_1", .operation = "establish",
		.state = STORE_TASK_PENDING,
	};
	int64_t created;

	test_store_add_deployment(s, "d");
	ex1 = new_execution(s, "d", "install", STORE_EXEC_STARTED);
	ex2 = new_execution(s, "d", "install", STORE_EXEC_STARTED);
	create.execution = ex1;
	rel.execution = ex1;
	TEST_OK(store_task_put(s, &create, &err), &err);
	TEST_OK(store_task_put(s, &rel, &err), &err);
	TEST_OK(store_task_done(s, ex1, "vm_1/create", &done, &err), &err);
	g_assert_false(done);
	TEST_OK(store_task_get(s, ex1, "vm_1/create", &t, &err), &err);
	created = t->created_at;
	g_assert_cmpint(t->state, ==, STORE_TASK_SENT);
	g_assert_null(t->outputs);
	g_assert_null(t->target_id);
	g_clear_pointer(&t, store_task_free);

	create.state = STORE_TASK_SUCCEEDED;
	create.attempt = 2;
	create.message = "created";
	create.outputs = out1;
	TEST_OK(store_task_put(s, &create, &err), &err);
	TEST_OK(store_task_done(s, ex1, "vm_1/create", &done, &err), &err);
	g_assert_true(done);
	TEST_OK(store_task_done(s, ex1, "never/put", &done, &err), &err);
	g_assert_false(done);
	TEST_OK(store_task_get(s, ex1, "vm_1/create", &t, &err), &err);
	g_assert_cmpint(t->attempt, ==, 2);
	g_assert_cmpstr(t->message, ==, "created");
	g_assert_true(json_equal(t->outputs, out1));
	g_assert_cmpint(t->created_at, ==, created);
	g_assert_cmpint(t->updated_at, >=, created);

	/* The list keeps the order of first puts. */
	TEST_OK(store_task_list(s, ex1, &all, &err), &err);
	g_assert_cmpuint(all->len, ==, 2);
	g_assert_cmpstr(((struct store_task *)all->pdata[0])->key, ==,
			"vm_1/create");
	g_assert_cmpstr(((struct store_task *)all->pdata[1])->target_id, ==,
			"db_1");

	/* get_operation_output reads the newest success, any execution. */
	TEST_OK(store_task_outputs(s, "d", "vm_1", create.operation, &got, &err),
		&err);
	g_assert_true(json_equal(got, out1));
	json_decref(got);
	create.execution = ex2;
	create.outputs = out2;
	TEST_OK(store_task_put(s, &create, &err), &err);
	TEST_OK(store_task_outputs(s, "d", "vm_1", create.operation, &got, &err),
		&err);
	g_assert_true(json_equal(got, out2));
	json_decref(got);
	TEST_FAILS(store_task_outputs(s, "d", "app_1", "establish", &got, &err),
		   &err, BP_ERR_NOT_FOUND, "has no outputs");

	create.execution = "no-such-execution";
	TEST_FAILS(store_task_put(s, &create, &err), &err, BP_ERR_NOT_FOUND,
		   "does not exist");
	TEST_FAILS(store_task_get(s, ex2, "nope", &t, &err), &err,
		   BP_ERR_NOT_FOUND, "task 'nope' not found");
	json_decref(out1);
	json_decref(out2);
}

static void append(struct store *s, const char *dep, const char *exec,
		   const char *inst, enum store_event_level level,
		   const char *message, int64_t *id_out)
{
	struct bp_error *err = NULL;
	struct store_event e = {
		.deployment = dep, .execution = exec, .instance_id = inst,
		.level = level, .type = "log", .message = message,
	};

	TEST_OK(store_event_append(s, &e, id_out, &err), &err);
}

/* Lists with `f` and checks the messages, in order, against `expect`
 * (a NULL-terminated list). */
static void expect_events(struct store *s, const struct store_event_filter *f,
			  const char *const *expect)
{
	struct bp_error *err = NULL;
	g_autoptr(GPtrArray) got = NULL;
	uint64_t count = 0;
	guint n = g_strv_length((char **)expect);

	TEST_OK(store_event_list(s, f, &got, &err), &err);
	g_assert_cmpuint(got->len, ==, n);
	for (guint k = 0; k < n; k++)
		g_assert_cmpstr(((struct store_event *)got->pdata[k])->message,
				==, expect[k]);
	if (f->limit)
		return;
	TEST_OK(store_event_count(s, f, &count, &err), &err);
	g_assert_cmpuint(count, ==, n);
}

static void test_events(struct store_fixture *fx, gconstpointer data)
{
	struct store *s = fx->s;
	struct bp_error *err = NULL;
	g_autoptr(GPtrArray) got = NULL;
	json_t *extra = json_pack("{s:[i]}", "codes", 7);
	int64_t id1 = 0, id3 = 0, id_last = 0, id_new = 0;
	struct store_event with_data = {
		.deployment = "a", .type = "task_failed", .message = "m5",
		.operation = "create", .level = STORE_LEVEL_ERROR,
		.time = 1234567, .data = extra,
	};
	struct store_event_filter f = { .deployment = "a" };
	struct store_event *e;

	test_store_add_deployment(s, "a");
	test_store_add_deployment(s, "b");
	append(s, "a", "x1", "vm_1", STORE_LEVEL_DEBUG, "m1", &id1);
	append(s, "a", "x1", "vm_2", STORE_LEVEL_INFO, "m2", NULL);
	append(s, "b", "x2", NULL, STORE_LEVEL_WARNING, "m3", &id3);
	append(s, "a", "x1", "vm_1", STORE_LEVEL_WARNING, "m4", NULL);
	TEST_OK(store_event_append(s, &with_data, &id_last, &err), &err);
	g_assert_cmpint(id3, >, id1);
	g_assert_cmpint(id_last, >, id3);

	expect_events(s, &f, (const char *const[]){ "m1", "m2", "m4", "m5",
						     NULL });
	f = (struct store_event_filter){ .execution = "x1" };
	expect_events(s, &f, (const char *const[]){ "m1", "m2", "m4", NULL });
	f = (struct store_event_filter){ .instance_id = "vm_1" };
	expect_events(s, &f, (const char *const[]){ "m1", "m4", NULL });
	f = (struct store_event_filter){ .min_level = STORE_LEVEL_WARNING };
	expect_events(s, &f, (const char *const[]){ "m3", "m4", "m5", NULL });
	f = (struct store_event_filter){ .deployment = "a",
					 .min_level = STORE_LEVEL_INFO,
					 .instance_id = "vm_2" };
	expect_events(s, &f, (const char *const[]){ "m2", NULL });

	/* Paging with the cursor, as `events --follow` does. */
	f = (struct store_event_filter){ .after_id = id1, .limit = 2 };
	expect_events(s, &f, (const char *const[]){ "m2", "m3", NULL });
	f.after_id = id3;
	expect_events(s, &f, (const char *const[]){ "m4", "m5", NULL });
	f.after_id = id_last;
	expect_events(s, &f, (const char *const[]){ NULL });

	f = (struct store_event_filter){ .after_id = id3 };
	TEST_OK(store_event_list(s, &f, &got, &err), &err);
	e = got->pdata[1];
	g_assert_cmpint(e->id, ==, id_last);
	g_assert_cmpint(e->time, ==, 1234567);
	g_assert_cmpint(e->level, ==, STORE_LEVEL_ERROR);
	g_assert_cmpstr(e->type, ==, "task_failed");
	g_assert_cmpstr(e->operation, ==, "create");
	g_assert_null(e->execution);
	g_assert_true(json_equal(e->data, extra));
	g_assert_cmpint(((struct store_event *)got->pdata[0])->time, >,
			1234567);

	/* Ids are never handed out again, even after the newest go. */
	TEST_OK(store_deployment_delete(s, "a", &err), &err);
	append(s, "b", NULL, NULL, STORE_LEVEL_INFO, "m6", &id_new);
	g_assert_cmpint(id_new, >, id_last);
	with_data.deployment = "gone";
	TEST_FAILS(store_event_append(s, &with_data, NULL, &err), &err,
		   BP_ERR_NOT_FOUND, "does not exist");
	json_decref(extra);
}

static void test_modifications(struct store_fixture *fx, gconstpointer data)
{
	struct store *s = fx->s;
	struct bp_error *err = NULL;
	g_autofree char *id = NULL;
	g_autofree char *id2 = NULL;
	g_autoptr(store_modification) m = NULL;
	g_autoptr(GPtrArray) all = NULL;
	json_t *added = json_pack("[s,s]", "vm_2", "app_2");
	struct store_modification scale = { .deployment = "d", .kind = "scale",
					    .added = added };

	test_store_add_deployment(s, "d");
	TEST_OK(store_modification_create(s, &scale, &id, &err), &err);
	TEST_FAILS(store_modification_create(s, &scale, &id2, &err), &err,
		   BP_ERR_CONFLICT, "deployment 'd' is being modified already");
	TEST_OK(store_modification_get(s, id, &m, &err), &err);
	g_assert_cmpint(m->status, ==, STORE_MOD_STARTED);
	g_assert_cmpstr(m->kind, ==, "scale");
	g_assert_true(json_equal(m->added, added));
	g_assert_cmpuint(json_array_size(m->removed), ==, 0);
	g_assert_cmpint(m->ended_at, ==, 0);

	TEST_FAILS(store_modification_end(s, id, STORE_MOD_STARTED, &err),
		   &err, BP_ERR_INVALID, "not 'started'");
	TEST_OK(store_modification_end(s, id, STORE_MOD_ROLLED_BACK, &err),
		&err);
	TEST_FAILS(store_modification_end(s, id, STORE_MOD_FINISHED, &err),
		   &err, BP_ERR_CONFLICT, "has ended already (rolled_back)");
	TEST_FAILS(store_modification_end(s, "nope", STORE_MOD_FINISHED, &err),
		   &err, BP_ERR_NOT_FOUND, "modification 'nope' not found");

	TEST_OK(store_modification_create(s, &scale, &id2, &err), &err);
	TEST_OK(store_modification_end(s, id2, STORE_MOD_FINISHED, &err), &err);
	TEST_OK(store_modification_list(s, "d", &all, &err), &err);
	g_assert_cmpuint(all->len, ==, 2);
	g_assert_cmpint(((struct store_modification *)all->pdata[0])->status,
			==, STORE_MOD_ROLLED_BACK);
	g_assert_cmpint(((struct store_modification *)all->pdata[1])->ended_at,
			>, 0);
	json_decref(added);
}

static bool has_deployment(struct store *s, const char *id)
{
	struct bp_error *err = NULL;
	g_autoptr(store_deployment) d = NULL;

	if (store_deployment_get(s, id, &d, &err))
		return true;
	g_assert_cmpint(err->code, ==, BP_ERR_NOT_FOUND);
	bp_error_free(err);
	return false;
}

static void test_transactions(struct store_fixture *fx, gconstpointer data)
{
	struct store *s = fx->s;
	struct bp_error *err = NULL;

	TEST_OK(store_begin(s, &err), &err);
	test_store_add_deployment(s, "gone");
	g_assert_true(has_deployment(s, "gone"));
	store_rollback(s);
	g_assert_false(has_deployment(s, "gone"));

	/* Nested: the inner rollback undoes only the inner part. */
	TEST_OK(store_begin(s, &err), &err);
	test_store_add_deployment(s, "outer");
	TEST_OK(store_begin(s, &err), &err);
	test_store_add_deployment(s, "inner");
	store_rollback(s);
	TEST_OK(store_begin(s, &err), &err);
	test_store_add_deployment(s, "inner2");
	TEST_OK(store_commit(s, &err), &err);
	TEST_OK(store_commit(s, &err), &err);
	g_assert_true(has_deployment(s, "outer"));
	g_assert_false(has_deployment(s, "inner"));
	g_assert_true(has_deployment(s, "inner2"));

	TEST_FAILS(store_commit(s, &err), &err, BP_ERR_GENERIC,
		   "no transaction open");
}

struct txn_args {
	const char *id;
	bool fail;
};

static bool txn_body(struct store *s, void *data, struct bp_error **err)
{
	struct txn_args *a = data;

	test_store_add_deployment(s, a->id);
	if (!a->fail)
		return true;
	bp_error_set(err, BP_ERR_PLUGIN, NULL, NULL, "operation failed");
	return false;
}

static void test_transact(struct store_fixture *fx, gconstpointer data)
{
	struct store *s = fx->s;
	struct bp_error *err = NULL;
	struct txn_args ok = { "kept", false };
	struct txn_args bad = { "undone", true };

	TEST_OK(store_transact(s, txn_body, &ok, &err), &err);
	TEST_FAILS(store_transact(s, txn_body, &bad, &err), &err,
		   BP_ERR_PLUGIN, "operation failed");
	g_assert_true(has_deployment(s, "kept"));
	g_assert_false(has_deployment(s, "undone"));
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
	STORE_TEST("/store/execution/lifecycle", test_execution_lifecycle);
	STORE_TEST("/store/task/crud", test_tasks);
	STORE_TEST("/store/event/filters", test_events);
	STORE_TEST("/store/modification/crud", test_modifications);
	STORE_TEST("/store/txn/nesting", test_transactions);
	STORE_TEST("/store/txn/transact", test_transact);
	return g_test_run();
}
