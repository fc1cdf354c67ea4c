/* test-store-records.c: opening a state directory (creation, modes, schema
 * version, migrations), and the "what exists" records: deployments, node
 * instances, relationship instances, JSON round trips, cascade delete. */
#include "store/store.h"
#include "testerr.h"
#include "testlib.h"
#include "teststore.h"

#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

static unsigned file_mode(const char *path)
{
	struct stat st;

	g_assert_cmpint(stat(path, &st), ==, 0);
	return st.st_mode & 07777;
}

/* Runs one SQL statement on `db_path` directly and returns the first
 * column of its first row as text (transfer full), or NULL. */
static char *raw_sql(const char *db_path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char *out = NULL;

	g_assert_cmpint(sqlite3_open(db_path, &db), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_prepare_v2(db, sql, -1, &st, NULL), ==,
			SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		out = g_strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return out;
}

static void test_open_empty_dir(void)
{
	g_autofree char *tmp = test_tmpdir();
	g_autofree char *dir = g_build_filename(tmp, "a", "state", NULL);
	g_autofree char *db = g_build_filename(dir, "state.db", NULL);
	g_autofree char *sec = g_build_filename(dir, "secrets.db", NULL);
	g_autofree char *version = NULL;
	g_autofree char *journal = NULL;
	struct bp_error *err = NULL;
	g_autoptr(GPtrArray) all = NULL;
	struct store *s = test_store_open(dir);

	g_assert_cmpstr(store_state_dir(s), ==, dir);
	g_assert_cmpuint(file_mode(dir), ==, 0700);
	g_assert_cmpuint(file_mode(db), ==, 0600);
	g_assert_cmpuint(file_mode(sec), ==, 0600);
	TEST_OK(store_check(s, &err), &err);
	TEST_OK(store_deployment_list(s, &all, &err), &err);
	g_assert_cmpuint(all->len, ==, 0);
	store_free(s);

	version = raw_sql(db, "PRAGMA user_version");
	journal = raw_sql(db, "PRAGMA journal_mode");
	g_assert_cmpstr(version, ==, "2");
	g_assert_cmpstr(journal, ==, "wal");
	g_free(raw_sql(db, "SELECT count(*) FROM node_instances"));

	/* Reopening an up-to-date directory changes nothing. */
	s = test_store_open(dir);
	test_store_add_deployment(s, "d");
	store_free(s);
	g_clear_pointer(&version, g_free);
	version = raw_sql(db, "PRAGMA user_version");
	g_assert_cmpstr(version, ==, "2");
	test_rmtree(tmp);
}

static void test_open_refuses_newer_schema(void)
{
	g_autofree char *dir = test_tmpdir();
	g_autofree char *db = g_build_filename(dir, "state.db", NULL);
	struct bp_error *err = NULL;
	struct store *s = test_store_open(dir);

	store_free(s);
	s = NULL;
	g_free(raw_sql(db, "PRAGMA user_version = 99"));
	TEST_FAILS(store_open(dir, &s, &err), &err, BP_ERR_INVALID,
		   "has schema version 99, newer than this blueprint");
	g_assert_null(s);
	test_rmtree(dir);
}

/* A version 1 database (every task indexed by instance, events by
 * execution too) is migrated to version 2 (only the tasks with outputs
 * are, events by deployment only) when it is opened. */
static void test_open_migrates_1_to_2(void)
{
	g_autofree char *dir = test_tmpdir();
	g_autofree char *db = g_build_filename(dir, "state.db", NULL);
	const char *count_index = "SELECT count(*) FROM sqlite_schema WHERE "
				  "type = 'index' AND name = ";
	g_autofree char *q_old = g_strconcat(count_index,
					     "'operation_tasks_by_instance'",
					     NULL);
	g_autofree char *q_new = g_strconcat(count_index,
					     "'operation_tasks_outputs'", NULL);
	g_autofree char *q_ev = g_strconcat(count_index,
					    "'events_by_execution'", NULL);
	g_autofree char *has_ev = NULL;
	g_autofree char *version = NULL;
	g_autofree char *has_old = NULL;
	g_autofree char *has_new = NULL;
	struct store *s = test_store_open(dir);

	store_free(s);
	g_free(raw_sql(db, "DROP INDEX operation_tasks_outputs"));
	g_free(raw_sql(db, "CREATE INDEX operation_tasks_by_instance ON "
		       "operation_tasks(instance_id, operation, state)"));
	g_free(raw_sql(db, "CREATE INDEX events_by_execution ON "
		       "events(execution, id)"));
	g_free(raw_sql(db, "PRAGMA user_version = 1"));
	has_old = raw_sql(db, q_old);
	g_assert_cmpstr(has_old, ==, "1");
	g_clear_pointer(&has_old, g_free);

	s = test_store_open(dir);
	test_store_add_deployment(s, "d");
	store_free(s);
	version = raw_sql(db, "PRAGMA user_version");
	has_old = raw_sql(db, q_old);
	has_new = raw_sql(db, q_new);
	has_ev = raw_sql(db, q_ev);
	g_assert_cmpstr(version, ==, "2");
	g_assert_cmpstr(has_ev, ==, "0");
	g_assert_cmpstr(has_old, ==, "0");
	g_assert_cmpstr(has_new, ==, "1");
	test_rmtree(dir);
}

static void test_open_not_a_directory(void)
{
	g_autofree char *dir = test_tmpdir();
	g_autofree char *file = g_build_filename(dir, "file", NULL);
	struct bp_error *err = NULL;
	struct store *s = NULL;

	g_assert_true(g_file_set_contents(file, "x", 1, NULL));
	TEST_FAILS(store_open(file, &s, &err), &err, BP_ERR_IO,
		   "cannot create state directory");
	test_rmtree(dir);
}

static void test_deployment_crud(struct store_fixture *fx, gconstpointer data)
{
	struct store *s = fx->s;
	struct bp_error *err = NULL;
	g_autoptr(store_deployment) d = NULL;
	g_autoptr(GPtrArray) all = NULL;
	json_t *outputs = json_pack("{s:s}", "ip", "10.0.0.1");
	struct store_deployment bad = { .id = "../etc", .blueprint_path = "b",
					.blueprint_hash = "h" };
	struct store_deployment nopath = { .id = "x", .blueprint_hash = "h" };

	test_store_add_deployment(s, "web");
	test_store_add_deployment(s, "db");
	TEST_OK(store_deployment_get(s, "web", &d, &err), &err);
	g_assert_cmpstr(d->id, ==, "web");
	g_assert_cmpstr(d->blueprint_path, ==, "bp.yaml");
	g_assert_cmpstr(d->blueprint_hash, ==, "0123abcd");
	g_assert_cmpint(json_integer_value(json_object_get(d->inputs, "n")),
			==, 1);
	g_assert_null(d->outputs);
	g_assert_cmpint(d->created_at, >, 0);
	g_assert_cmpint(d->updated_at, ==, d->created_at);

	TEST_FAILS(store_deployment_create(s, d, &err), &err, BP_ERR_CONFLICT,
		   "deployment 'web' already exists");
	TEST_FAILS(store_deployment_create(s, &bad, &err), &err,
		   BP_ERR_INVALID, "invalid deployment id '../etc'");
	TEST_FAILS(store_deployment_create(s, &nopath, &err), &err,
		   BP_ERR_INVALID, "blueprint_path is missing");

	TEST_OK(store_deployment_list(s, &all, &err), &err);
	g_assert_cmpuint(all->len, ==, 2);
	g_assert_cmpstr(((struct store_deployment *)all->pdata[0])->id, ==, "db");

	TEST_OK(store_deployment_set_outputs(s, "web", outputs, &err), &err);
	g_clear_pointer(&d, store_deployment_free);
	TEST_OK(store_deployment_get(s, "web", &d, &err), &err);
	g_assert_true(json_equal(d->outputs, outputs));
	g_assert_cmpint(d->updated_at, >=, d->created_at);
	TEST_FAILS(store_deployment_set_outputs(s, "nope", outputs, &err), &err,
		   BP_ERR_NOT_FOUND, "deployment 'nope' not found");

	TEST_OK(store_deployment_delete(s, "web", &err), &err);
	g_clear_pointer(&d, store_deployment_free);
	TEST_FAILS(store_deployment_get(s, "web", &d, &err), &err,
		   BP_ERR_NOT_FOUND, "deployment 'web' not found");
	TEST_FAILS(store_deployment_delete(s, "web", &err), &err,
		   BP_ERR_NOT_FOUND, "deployment 'web' not found");
	json_decref(outputs);
}

static void test_instance_crud(struct store_fixture *fx, gconstpointer data)
{
	struct store *s = fx->s;
	struct bp_error *err = NULL;
	g_autoptr(store_instance) i = NULL;
	g_autoptr(GPtrArray) list = NULL;
	g_autoptr(GPtrArray) batch = NULL;
	json_t *props = json_pack("{s:s,s:[i,i]}", "ip", "10.1.1.1", "ports",
				  80, 443);
	int64_t version = 0;

	test_store_add_deployment(s, "d");
	test_store_add_instance(s, "vm_b2", "d", "vm", NULL);
	test_store_add_instance(s, "vm_a1", "d", "vm", NULL);
	test_store_add_instance(s, "app_c3", "d", "app", "vm_a1");

	TEST_OK(store_instance_get(s, "d", "app_c3", &i, &err), &err);
	g_assert_cmpstr(i->deployment, ==, "d");
	g_assert_cmpstr(i->node, ==, "app");
	g_assert_cmpstr(i->host_id, ==, "vm_a1");
	g_assert_cmpint(i->state, ==, STORE_INSTANCE_INITIAL);
	g_assert_cmpint(i->version, ==, 1);
	g_assert_cmpuint(json_object_size(i->runtime_props), ==, 0);
	g_assert_true(json_is_array(i->scaling_groups));

	TEST_OK(store_instance_list(s, "d", NULL, &list, &err), &err);
	g_assert_cmpuint(list->len, ==, 3);
	g_assert_cmpstr(((struct store_instance *)list->pdata[0])->id, ==,
			"app_c3");
	g_assert_cmpstr(((struct store_instance *)list->pdata[1])->id, ==,
			"vm_a1");
	g_clear_pointer(&list, g_ptr_array_unref);
	TEST_OK(store_instance_list(s, "d", "vm", &list, &err), &err);
	g_assert_cmpuint(list->len, ==, 2);
	g_clear_pointer(&list, g_ptr_array_unref);
	TEST_OK(store_instance_list(s, "other", NULL, &list, &err), &err);
	g_assert_cmpuint(list->len, ==, 0);

	/* Optimistic versions. */
	TEST_OK(store_instance_set_state(s, "d", "vm_a1", STORE_INSTANCE_CREATING, 1,
					 &version, &err), &err);
	g_assert_cmpint(version, ==, 2);
	TEST_FAILS(store_instance_set_state(s, "d", "vm_a1", STORE_INSTANCE_CREATED,
					    1, NULL, &err), &err,
		   BP_ERR_CONFLICT, "at version 2, expected 1");
	TEST_OK(store_instance_set_props(s, "d", "vm_a1", props, STORE_ANY_VERSION,
					 &version, &err), &err);
	g_assert_cmpint(version, ==, 3);
	TEST_FAILS(store_instance_set_state(s, "d", "none", STORE_INSTANCE_CREATED,
					    STORE_ANY_VERSION, NULL, &err),
		   &err, BP_ERR_NOT_FOUND, "node instance 'none' not found in deployment 'd'");
	TEST_FAILS(store_instance_set_props(s, "d", "vm_a1", NULL, 3, NULL, &err),
		   &err, BP_ERR_INVALID, "runtime_props is missing");
	g_clear_pointer(&i, store_instance_free);
	TEST_OK(store_instance_get(s, "d", "vm_a1", &i, &err), &err);
	g_assert_cmpint(i->state, ==, STORE_INSTANCE_CREATING);
	g_assert_true(json_equal(i->runtime_props, props));

	/* A batch with a duplicate inserts nothing. */
	batch = test_instances_new("d", "db", "db", 3);
	g_ptr_array_add(batch, test_instance_new("vm_b2", "d", "vm", NULL));
	TEST_FAILS(store_instance_insert(s, batch, &err), &err, BP_ERR_CONFLICT,
		   "node instance 'vm_b2' already exists in deployment 'd'");
	g_clear_pointer(&list, g_ptr_array_unref);
	TEST_OK(store_instance_list(s, "d", "db", &list, &err), &err);
	g_assert_cmpuint(list->len, ==, 0);
	g_clear_pointer(&batch, g_ptr_array_unref);
	batch = test_instances_new("missing", "db", "x", 1);
	TEST_FAILS(store_instance_insert(s, batch, &err), &err,
		   BP_ERR_NOT_FOUND, "does not exist");

	TEST_OK(store_instance_delete(s, "d", "vm_b2", &err), &err);
	TEST_FAILS(store_instance_delete(s, "d", "vm_b2", &err), &err,
		   BP_ERR_NOT_FOUND, "node instance 'vm_b2' not found in deployment 'd'");
	json_decref(props);
}

/* Instance ids are the plan's, unique only within a deployment: two
 * deployments of one blueprint may draw the same id. */
static void test_instance_ids_per_deployment(struct store_fixture *fx,
					     gconstpointer data)
{
	struct store *s = fx->s;
	struct bp_error *err = NULL;
	g_autoptr(store_instance) i = NULL;
	g_autoptr(GPtrArray) rels = NULL;
	g_autoptr(GPtrArray) one = g_ptr_array_new_with_free_func(
		(GDestroyNotify)store_relationship_free);
	struct store_relationship *r = g_new0(struct store_relationship, 1);

	test_store_add_deployment(s, "one");
	test_store_add_deployment(s, "two");
	test_store_add_instance(s, "vm_abc123", "one", "vm", NULL);
	test_store_add_instance(s, "vm_abc123", "two", "vm", NULL);
	test_store_add_instance(s, "app_xyz789", "two", "app", "vm_abc123");
	r->deployment = g_strdup("two");
	r->source_id = g_strdup("app_xyz789");
	r->target_id = g_strdup("vm_abc123");
	r->type = g_strdup("contained_in");
	g_ptr_array_add(one, r);
	TEST_OK(store_relationship_insert(s, one, &err), &err);

	TEST_OK(store_instance_set_state(s, "two", "vm_abc123",
					 STORE_INSTANCE_STARTED,
					 STORE_ANY_VERSION, NULL, &err), &err);
	TEST_OK(store_instance_get(s, "one", "vm_abc123", &i, &err), &err);
	g_assert_cmpint(i->state, ==, STORE_INSTANCE_INITIAL);
	TEST_OK(store_instance_delete(s, "one", "vm_abc123", &err), &err);
	TEST_OK(store_relationship_list(s, "two", NULL, "vm_abc123", &rels,
					&err), &err);
	g_assert_cmpuint(rels->len, ==, 1);
	TEST_FAILS(store_instance_get(s, "one", "app_xyz789", &i, &err), &err,
		   BP_ERR_NOT_FOUND,
		   "node instance 'app_xyz789' not found in deployment 'one'");
}

static void test_json_round_trip(struct store_fixture *fx, gconstpointer data)
{
	struct store *s = fx->s;
	struct bp_error *err = NULL;
	g_autoptr(store_instance) got = NULL;
	g_autoptr(GPtrArray) one = g_ptr_array_new_with_free_func(
		(GDestroyNotify)store_instance_free);
	struct store_instance *i = test_instance_new("n1", "d", "vm", NULL);
	json_t *props = json_pack(
		"{s:s, s:I, s:I, s:f, s:f, s:b, s:n, s:s, s:{s:[i,{s:[]}]}, s:o}",
		"unicode", "h\xc3\xa9llo \xe2\x98\x83 \xf0\x9f\x9a\x80",
		"max", (json_int_t)INT64_MAX, "min", (json_int_t)INT64_MIN,
		"tenth", 0.1, "huge", 1e300, "yes", 1, "nothing",
		"empty", "", "deep", "a", 1, "b", "nul",
		json_stringn("a\0b", 3));
	json_t *groups = json_pack("[{s:s,s:s}]", "name", "g", "id", "g_1");

	json_decref(i->runtime_props);
	i->runtime_props = json_deep_copy(props);
	i->scaling_groups = json_incref(groups);
	g_ptr_array_add(one, i);
	test_store_add_deployment(s, "d");
	TEST_OK(store_instance_insert(s, one, &err), &err);
	TEST_OK(store_instance_get(s, "d", "n1", &got, &err), &err);
	g_assert_true(json_equal(got->runtime_props, props));
	g_assert_true(json_equal(got->scaling_groups, groups));
	g_assert_cmpfloat(json_real_value(json_object_get(got->runtime_props,
							  "tenth")), ==, 0.1);
	g_assert_cmpuint(json_string_length(json_object_get(got->runtime_props,
							    "nul")), ==, 3);
	json_decref(props);
	json_decref(groups);
}

static struct store_relationship *rel(const char *dep, const char *src,
				      const char *tgt, int64_t index,
				      const char *type)
{
	struct store_relationship *r = g_new0(struct store_relationship, 1);

	r->deployment = g_strdup(dep);
	r->source_id = g_strdup(src);
	r->target_id = g_strdup(tgt);
	r->type = g_strdup(type);
	r->index = index;
	return r;
}

static GPtrArray *rel_list(void)
{
	return g_ptr_array_new_with_free_func(
		(GDestroyNotify)store_relationship_free);
}

static void test_relationship_crud(struct store_fixture *fx, gconstpointer data)
{
	struct store *s = fx->s;
	struct bp_error *err = NULL;
	g_autoptr(GPtrArray) rels = rel_list();
	g_autoptr(GPtrArray) bad = rel_list();
	g_autoptr(GPtrArray) got = NULL;
	struct store_relationship *first;
	unsigned n = 0;

	test_store_add_deployment(s, "d");
	test_store_add_instance(s, "vm_1", "d", "vm", NULL);
	test_store_add_instance(s, "app_1", "d", "app", "vm_1");
	test_store_add_instance(s, "db_1", "d", "db", NULL);
	test_store_add_instance(s, "db_2", "d", "db", NULL);
	g_ptr_array_add(rels, rel("d", "app_1", "vm_1", 0, "contained_in"));
	g_ptr_array_add(rels, rel("d", "app_1", "db_2", 1, "connected_to"));
	g_ptr_array_add(rels, rel("d", "app_1", "db_1", 1, "connected_to"));
	first = rels->pdata[1];
	first->name = g_strdup("database");
	TEST_OK(store_relationship_insert(s, rels, &err), &err);

	TEST_OK(store_relationship_list(s, "d", "app_1", NULL, &got, &err),
		&err);
	g_assert_cmpuint(got->len, ==, 3);
	first = got->pdata[0];
	g_assert_cmpstr(first->target_id, ==, "vm_1");
	g_assert_cmpstr(first->type, ==, "contained_in");
	g_assert_null(first->name);
	g_assert_cmpstr(((struct store_relationship *)got->pdata[1])->target_id,
			==, "db_1");
	g_assert_cmpstr(((struct store_relationship *)got->pdata[2])->name,
			==, "database");
	g_clear_pointer(&got, g_ptr_array_unref);
	TEST_OK(store_relationship_list(s, "d", NULL, "db_2", &got, &err),
		&err);
	g_assert_cmpuint(got->len, ==, 1);
	g_assert_cmpint(((struct store_relationship *)got->pdata[0])->index,
			==, 1);
	g_clear_pointer(&got, g_ptr_array_unref);
	TEST_OK(store_relationship_list(s, "d", NULL, NULL, &got, &err), &err);
	g_assert_cmpuint(got->len, ==, 3);

	g_ptr_array_add(bad, rel("d", "app_1", "vm_1", 0, "contained_in"));
	TEST_FAILS(store_relationship_insert(s, bad, &err), &err,
		   BP_ERR_CONFLICT, "UNIQUE");
	g_ptr_array_set_size(bad, 0);
	g_ptr_array_add(bad, rel("d", "db_1", "ghost", 0, "depends_on"));
	TEST_FAILS(store_relationship_insert(s, bad, &err), &err,
		   BP_ERR_NOT_FOUND, "relationship 'db_1' -> 'ghost'");

	/* Deleting an instance takes its relationships along. */
	TEST_OK(store_instance_delete(s, "d", "db_2", &err), &err);
	g_clear_pointer(&got, g_ptr_array_unref);
	TEST_OK(store_relationship_list(s, "d", NULL, NULL, &got, &err), &err);
	g_assert_cmpuint(got->len, ==, 2);
	TEST_OK(store_relationship_delete_touching(s, "d", "vm_1", &n, &err), &err);
	g_assert_cmpuint(n, ==, 1);
	TEST_OK(store_relationship_delete_touching(s, "d", "app_1", &n, &err), &err);
	g_assert_cmpuint(n, ==, 1);
	g_clear_pointer(&got, g_ptr_array_unref);
	TEST_OK(store_relationship_list(s, "d", NULL, NULL, &got, &err), &err);
	g_assert_cmpuint(got->len, ==, 0);
}

/* Fills deployment `dep` with one of everything. */
static void populate(struct store *s, const char *dep)
{
	struct bp_error *err = NULL;
	g_autofree char *a = g_strconcat(dep, "_a", NULL);
	g_autofree char *b = g_strconcat(dep, "_b", NULL);
	g_autofree char *exec_id = NULL;
	g_autofree char *mod_id = NULL;
	g_autoptr(GPtrArray) rels = rel_list();
	struct store_execution e = { .deployment = dep,
				     .workflow = "install" };
	struct store_event ev = { .deployment = dep, .type = "log",
				  .message = "hello" };
	struct store_modification m = { .deployment = dep,
					.kind = "scale" };
	struct store_task t = { .key = "k", .operation = "op",
				.state = STORE_TASK_SUCCEEDED };

	test_store_add_deployment(s, dep);
	test_store_add_instance(s, a, dep, "n", NULL);
	test_store_add_instance(s, b, dep, "n", NULL);
	g_ptr_array_add(rels, rel(dep, a, b, 0, "depends_on"));
	TEST_OK(store_relationship_insert(s, rels, &err), &err);
	TEST_OK(store_execution_create(s, &e, &exec_id, &err), &err);
	t.execution = exec_id;
	TEST_OK(store_task_put(s, &t, &err), &err);
	ev.execution = exec_id;
	TEST_OK(store_event_append(s, &ev, NULL, &err), &err);
	TEST_OK(store_modification_create(s, &m, &mod_id, &err), &err);
}

/* Counts what deployment `dep` still has, across every table. */
static unsigned count_all(struct store *s, const char *dep)
{
	struct bp_error *err = NULL;
	struct store_event_filter f = { .deployment = dep };
	g_autoptr(GPtrArray) inst = NULL;
	g_autoptr(GPtrArray) rels = NULL;
	g_autoptr(GPtrArray) execs = NULL;
	g_autoptr(GPtrArray) mods = NULL;
	uint64_t events = 0;

	TEST_OK(store_instance_list(s, dep, NULL, &inst, &err), &err);
	TEST_OK(store_relationship_list(s, dep, NULL, NULL, &rels, &err), &err);
	TEST_OK(store_execution_list(s, dep, &execs, &err), &err);
	TEST_OK(store_modification_list(s, dep, &mods, &err), &err);
	TEST_OK(store_event_count(s, &f, &events, &err), &err);
	return inst->len + rels->len + execs->len + mods->len + (unsigned)events;
}

static void test_cascade_delete(struct store_fixture *fx, gconstpointer data)
{
	struct store *s = fx->s;
	struct bp_error *err = NULL;
	g_autoptr(GPtrArray) execs = NULL;
	g_autoptr(GPtrArray) tasks = NULL;
	g_autofree char *exec_id = NULL;

	populate(s, "one");
	populate(s, "two");
	TEST_OK(store_execution_list(s, "one", &execs, &err), &err);
	exec_id = g_strdup(((struct store_execution *)execs->pdata[0])->id);
	g_assert_cmpuint(count_all(s, "one"), ==, 2 + 1 + 1 + 1 + 1);

	TEST_OK(store_deployment_delete(s, "one", &err), &err);
	g_assert_cmpuint(count_all(s, "one"), ==, 0);
	TEST_OK(store_task_list(s, exec_id, &tasks, &err), &err);
	g_assert_cmpuint(tasks->len, ==, 0);
	g_assert_cmpuint(count_all(s, "two"), ==, 6);
	TEST_OK(store_check(s, &err), &err);
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
	g_test_add_func("/store/open/empty-dir", test_open_empty_dir);
	g_test_add_func("/store/open/newer-schema",
			test_open_refuses_newer_schema);
	g_test_add_func("/store/open/migrates-1-to-2",
			test_open_migrates_1_to_2);
	g_test_add_func("/store/open/not-a-directory",
			test_open_not_a_directory);
	STORE_TEST("/store/deployment/crud", test_deployment_crud);
	STORE_TEST("/store/instance/crud", test_instance_crud);
	STORE_TEST("/store/instance/ids-per-deployment",
		   test_instance_ids_per_deployment);
	STORE_TEST("/store/instance/json-round-trip", test_json_round_trip);
	STORE_TEST("/store/relationship/crud", test_relationship_crud);
	STORE_TEST("/store/deployment/cascade-delete", test_cascade_delete);
	return g_test_run();
}
