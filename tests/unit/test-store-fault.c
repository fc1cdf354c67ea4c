/* test-store-fault.c: I/O fault injection (SQLite FAULTSIM, curl torture
 * style). The nth database call is failed for n = 1, 2, ... until a run
 * needs fewer calls than n. Every failure must come back as a clean
 * BP_ERR_IO naming the injected fault, leave the database sound with the
 * failed transaction rolled back, and leak nothing (ASan in SAN=1). */
#include "store/store.h"
#include "testerr.h"
#include "testlib.h"
#include "teststore.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

/* Far more calls than any run below makes: a loop that reaches it means a
 * fault is being swallowed somewhere. */
#define MAX_CALLS 2000

/* Checks the error of a run that failed under fault injection. */
static void expect_injected(bool ok, struct bp_error **err)
{
	g_assert_true(store_fault_fired());
	g_assert_false(ok);
	g_assert_nonnull(*err);
	g_assert_cmpint((*err)->code, ==, BP_ERR_IO);
	g_assert_nonnull(strstr((*err)->message, "(injected fault)"));
	bp_error_clear(err);
}

/* One case: `run` is called for n = 1, 2, ... with the nth database call
 * failing, each time in a fresh directory, until it needs fewer calls than
 * n; `check` then looks at the aftermath (unarmed) of each run. */
struct fault_case {
	bool open_first;          /* open a store before arming the fault */
	void (*prepare)(struct store *s);          /* unarmed, or NULL */
	bool (*run)(const char *dir, struct store **s, struct bp_error **err);
	void (*check)(const char *dir, struct store *s, bool failed);
};

/* Runs the case; returns how many calls a complete run makes. */
static unsigned fault_loop(const struct fault_case *fc)
{
	unsigned n;

	for (n = 1; n < MAX_CALLS; n++) {
		g_autofree char *dir = test_tmpdir();
		struct store *s = fc->open_first ? test_store_open(dir) : NULL;
		struct bp_error *err = NULL;
		bool ok;

		if (fc->prepare)
			fc->prepare(s);
		store_fault_arm(n);
		ok = fc->run(dir, &s, &err);
		store_fault_arm(0);
		if (ok)
			g_assert_false(store_fault_fired());
		else
			expect_injected(ok, &err);
		fc->check(dir, s, !ok);
		store_free(s);
		test_rmtree(dir);
		if (ok)
			break;
	}
	g_assert_cmpuint(n, <, MAX_CALLS);
	return n - 1;
}

/* ---- Opening: schema creation fails at every step --------------------- */

static bool run_open(const char *dir, struct store **s, struct bp_error **err)
{
	return store_open(dir, s, err);
}

static void check_open(const char *dir, struct store *s, bool failed)
{
	struct bp_error *err = NULL;

	if (!failed)
		return;
	g_assert_null(s);
	/* The half-made directory opens cleanly now. */
	s = test_store_open(dir);
	TEST_OK(store_check(s, &err), &err);
	test_store_add_deployment(s, "d");
	store_free(s);
}

static void test_open(void)
{
	static const struct fault_case fc = { .run = run_open,
					      .check = check_open };

	g_assert_cmpuint(fault_loop(&fc), >, 5);
}

/* ---- One big transaction: all or nothing ------------------------------ */

#define BATCH 20

static bool big_transaction(struct store *s, struct bp_error **err)
{
	g_autoptr(GPtrArray) inst = test_instances_new("d", "vm", "vm", BATCH);
	g_autoptr(GPtrArray) rels = g_ptr_array_new_with_free_func(
		(GDestroyNotify)store_relationship_free);
	struct store_event ev = { .deployment = "d", .type = "t",
				  .message = "m" };
	bool ok;

	for (unsigned k = 1; k < BATCH; k++) {
		struct store_relationship *r = g_new0(struct store_relationship,
						      1);
		r->deployment = g_strdup("d");
		r->source_id = g_strdup_printf("vm_%06u", k);
		r->target_id = g_strdup("vm_000000");
		r->type = g_strdup("depends_on");
		g_ptr_array_add(rels, r);
	}
	if (!store_begin(s, err))
		return false;
	ok = store_instance_insert(s, inst, err) &&
	     store_relationship_insert(s, rels, err) &&
	     store_event_append(s, &ev, NULL, err) &&
	     store_event_append(s, &ev, NULL, err);
	if (!ok) {
		store_rollback(s);
		return false;
	}
	return store_commit(s, err);
}

/* Counts instances, relationships and events of deployment "d". */
static unsigned count_rows(struct store *s)
{
	struct bp_error *err = NULL;
	g_autoptr(GPtrArray) inst = NULL;
	g_autoptr(GPtrArray) rels = NULL;
	struct store_event_filter f = { .deployment = "d" };
	uint64_t events = 0;

	TEST_OK(store_instance_list(s, "d", NULL, &inst, &err), &err);
	TEST_OK(store_relationship_list(s, "d", NULL, NULL, &rels, &err), &err);
	TEST_OK(store_event_count(s, &f, &events, &err), &err);
	return inst->len + rels->len + (unsigned)events;
}

static void add_deployment_d(struct store *s)
{
	test_store_add_deployment(s, "d");
}

static bool run_transaction(const char *dir, struct store **s,
			    struct bp_error **err)
{
	return big_transaction(*s, err);
}

static void check_transaction(const char *dir, struct store *s, bool failed)
{
	struct bp_error *err = NULL;

	TEST_OK(store_check(s, &err), &err);
	g_assert_cmpuint(count_rows(s), ==,
			 failed ? 0 : BATCH + (BATCH - 1) + 2);
}

static void test_transaction(void)
{
	static const struct fault_case fc = {
		.open_first = true, .prepare = add_deployment_d,
		.run = run_transaction, .check = check_transaction,
	};

	g_assert_cmpuint(fault_loop(&fc), >, BATCH);
}

/* ---- Every entry point once ------------------------------------------- */

/* Deployment, instances, relationships and lookups. */
static bool script_topology(struct store *s, struct bp_error **err)
{
	g_autoptr(GPtrArray) inst = test_instances_new("d", "vm", "vm", 2);
	g_autoptr(GPtrArray) rels = g_ptr_array_new_with_free_func(
		(GDestroyNotify)store_relationship_free);
	g_autoptr(GPtrArray) list = NULL;
	g_autoptr(GPtrArray) list2 = NULL;
	g_autoptr(GPtrArray) list3 = NULL;
	g_autoptr(store_deployment) d = NULL;
	g_autoptr(store_instance) i = NULL;
	struct store_relationship *r = g_new0(struct store_relationship, 1);
	struct store_deployment dep = { .id = "d", .blueprint_path = "b",
					.blueprint_hash = "h" };
	json_t *obj = json_pack("{s:s}", "k", "v");
	bool ok;

	r->deployment = g_strdup("d");
	r->source_id = g_strdup("vm_000001");
	r->target_id = g_strdup("vm_000000");
	r->type = g_strdup("depends_on");
	g_ptr_array_add(rels, r);
	ok = store_deployment_create(s, &dep, err) &&
	     store_deployment_get(s, "d", &d, err) &&
	     store_deployment_list(s, &list, err) &&
	     store_deployment_set_outputs(s, "d", obj, err) &&
	     store_instance_insert(s, inst, err) &&
	     store_instance_get(s, "d", "vm_000000", &i, err) &&
	     store_instance_list(s, "d", "vm", &list2, err) &&
	     store_instance_set_state(s, "d", "vm_000000",
				      STORE_INSTANCE_STARTED,
				      1, NULL, err) &&
	     store_instance_set_props(s, "d", "vm_000000", obj,
				      STORE_ANY_VERSION,
				      NULL, err) &&
	     store_relationship_insert(s, rels, err) &&
	     store_relationship_list(s, "d", NULL, "vm_000000", &list3,
				     err);
	json_decref(obj);
	return ok;
}

/* Executions, tasks, events, modifications and secrets. */
static bool script_runs(struct store *s, struct bp_error **err)
{
	struct store_execution e = { .deployment = "d", .workflow = "w" };
	struct store_modification m = { .deployment = "d", .kind = "scale" };
	struct store_event ev = { .deployment = "d", .type = "t",
				  .message = "m" };
	struct store_event_filter f = { .deployment = "d" };
	g_autofree char *exec_id = NULL;
	g_autofree char *mod_id = NULL;
	g_autofree char *secret = NULL;
	g_autoptr(store_execution) got = NULL;
	g_autoptr(store_execution) unfinished = NULL;
	g_autoptr(store_task) task = NULL;
	g_autoptr(store_modification) mod = NULL;
	g_autoptr(GPtrArray) l1 = NULL;
	g_autoptr(GPtrArray) l2 = NULL;
	g_autoptr(GPtrArray) l3 = NULL;
	g_autoptr(GPtrArray) l4 = NULL;
	g_autoptr(GPtrArray) l5 = NULL;
	json_t *outputs = NULL;
	uint64_t count;
	bool done, ok;
	struct store_task t = { .key = "k", .instance_id = "vm_000000",
				.operation = "op",
				.state = STORE_TASK_SUCCEEDED };

	t.outputs = json_pack("{s:i}", "x", 1);
	ok = store_execution_create(s, &e, &exec_id, err) &&
	     store_execution_get(s, exec_id, &got, err) &&
	     store_execution_set_status(s, exec_id, STORE_EXEC_STARTED, NULL,
					err) &&
	     store_execution_set_owner(s, exec_id, 1, "c", err) &&
	     store_execution_find_unfinished(s, "d", &unfinished, err) &&
	     store_execution_list(s, NULL, &l1, err) &&
	     (t.execution = exec_id) &&
	     store_task_put(s, &t, err) &&
	     store_task_get(s, exec_id, "k", &task, err) &&
	     store_task_done(s, exec_id, "k", &done, err) &&
	     store_task_list(s, exec_id, &l2, err) &&
	     store_task_outputs(s, "d", "vm_000000", "op", &outputs, err) &&
	     store_event_append(s, &ev, NULL, err) &&
	     store_event_list(s, &f, &l3, err) &&
	     store_event_count(s, &f, &count, err) &&
	     store_modification_create(s, &m, &mod_id, err) &&
	     store_modification_get(s, mod_id, &mod, err) &&
	     store_modification_list(s, "d", &l4, err) &&
	     store_modification_end(s, mod_id, STORE_MOD_FINISHED, err) &&
	     store_secret_set(s, "k", "v", err) &&
	     store_secret_get(s, "k", &secret, err) &&
	     store_secret_list(s, &l5, err) &&
	     store_secret_delete(s, "k", err);
	json_decref(t.outputs);
	json_decref(outputs);
	return ok;
}

/* Deleting, in a transaction and not. */
static bool script_delete(struct store *s, struct bp_error **err)
{
	unsigned n;

	return store_relationship_delete_touching(s, "d", "vm_000000", &n,
						  err) &&
	       store_begin(s, err) &&
	       (store_instance_delete(s, "d", "vm_000001", err) ||
		(store_rollback(s), false)) &&
	       store_commit(s, err) &&
	       store_check(s, err) &&
	       store_deployment_delete(s, "d", err);
}

static bool run_every_call(const char *dir, struct store **s,
			   struct bp_error **err)
{
	return script_topology(*s, err) && script_runs(*s, err) &&
	       script_delete(*s, err);
}

static void check_every_call(const char *dir, struct store *s, bool failed)
{
	struct bp_error *err = NULL;

	/* Sound, and still usable after the failure. */
	TEST_OK(store_check(s, &err), &err);
	TEST_OK(store_secret_set(s, "after", "x", &err), &err);
}

static void test_every_call(void)
{
	static const struct fault_case fc = {
		.open_first = true, .run = run_every_call,
		.check = check_every_call,
	};
	unsigned calls = fault_loop(&fc);

	g_test_message("a complete run makes %u calls", calls);
	g_assert_cmpuint(calls, >, 40);
}

int main(int argc, char **argv)
{
	/* The loops open a few hundred databases, and each commit syncs the
	 * disk. They test error paths, not durability, so they run on a
	 * memory file system when there is one (before GLib reads TMPDIR). */
	if (g_access("/dev/shm", W_OK) == 0)
		g_setenv("TMPDIR", "/dev/shm", TRUE);
	test_init(&argc, &argv);
	g_test_add_func("/store/fault/open", test_open);
	g_test_add_func("/store/fault/transaction", test_transaction);
	g_test_add_func("/store/fault/every-call", test_every_call);
	return g_test_run();
}
