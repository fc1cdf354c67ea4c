/* store.h: durable deployment state — the one interface the workflow,
 * executor and CLI layers use to read and commit it.
 *
 * A struct store is an open state directory. It holds deployments, their
 * node and relationship instances, executions with their operation tasks,
 * events, scaling modifications and secrets. Records are the plain structs
 * of store/records.h; JSON goes in and out as jansson json_t.
 *
 * Durability: when a write function (or store_commit) returns true, the
 * change is committed and survives the process being killed at any moment
 * (SIGKILL, a crash); a change whose function returned false was not made
 * at all. So a caller that commits a state change before it starts the
 * tasks that depend on it can always resume after a crash, and never runs
 * a finished operation again. After a power loss or kernel crash the
 * database is still consistent but may lack its last commits (see
 * store/sqlite.c for why: operations are idempotent by design). Secrets
 * are synced to disk before their call returns.
 *
 * Threads: one struct store may be used from any number of threads. Calls
 * are serialised inside the store (one database connection behind one
 * recursive mutex); store_begin() keeps that mutex for the calling thread
 * until its store_commit()/store_rollback(), so other threads' calls wait
 * and never see or join an open transaction. Several processes may open the
 * same state directory: readers never wait, writers queue (up to a busy
 * timeout of 10 s, then BP_ERR_IO "database is locked"). Mutating
 * workflows are kept apart per deployment by the execution lock below.
 *
 * Errors (struct bp_error, util/error.h) carry these codes:
 *   BP_ERR_NOT_FOUND  an id that does not exist, or an insert that names a
 *                     deployment/instance/execution that does not exist;
 *   BP_ERR_CONFLICT   a duplicate id, a stale version, a lock held by
 *                     another process, a second active modification;
 *   BP_ERR_INVALID    a bad argument (a deployment id unusable as a file
 *                     name, a record missing a required field);
 *   BP_ERR_IO         the database or file system failed; the message
 *                     names the operation and the SQLite error.
 * On any failure nothing was changed (a multi-row write is one
 * transaction). Secret values never appear in error messages.
 *
 * Argument shape (fixed by the project brief): the store first, then
 * inputs, then out-params, then `err`. Pointer arguments must not be NULL
 * unless the comment says "or NULL". Out-params are set only on success:
 * a failed call leaves them as they were.
 */
#ifndef BP_STORE_STORE_H
#define BP_STORE_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include <jansson.h>

#include "store/records.h"
#include "util/error.h"

struct store;
struct store_lock;
struct bp_mask;

/* ---- The handle ------------------------------------------------------ */

/* Opens the state directory `state_dir`, creating it (mode 0700, with any
 * missing parents) when absent, and the database files in it when absent
 * (mode 0600), and brings the schema up to date (migrations run in one
 * transaction; a failed migration leaves the old schema). The caller picks
 * the directory (the CLI: --state-dir, $BLUEPRINT_STATE, ./.blueprint).
 * Returns true and sets *out (transfer full, free with store_free()); on
 * failure returns false, sets *err (BP_ERR_IO; BP_ERR_INVALID for a
 * database written by a newer blueprint) and leaves *out alone. */
bool store_open(const char *state_dir, struct store **out,
		struct bp_error **err);

/* Closes the store and frees it; accepts NULL. No transaction may be open
 * and no other thread may be using it. Execution locks taken through it
 * stay valid (they are separate files) and must be freed on their own. */
void store_free(struct store *s);

/* (transfer none) the state directory, as given to store_open(); valid
 * until store_free(). Can't fail. */
const char *store_state_dir(const struct store *s);

/* Checks the database's integrity (SQLite integrity_check and
 * foreign_key_check). Returns true when sound; false with BP_ERR_IO and
 * the first problem found otherwise. For `blueprint doctor` and tests. */
bool store_check(struct store *s, struct bp_error **err);

/* ---- Transactions ---------------------------------------------------- */

/* Starts a transaction on the calling thread: every store call this thread
 * makes until store_commit() or store_rollback() is part of it, and other
 * threads' calls wait until then. Transactions nest (inner ones are
 * savepoints; only the outermost commit makes the change durable). Keep
 * them short: no plugin call or network wait inside. Secrets (below) are
 * not part of transactions. Returns false with BP_ERR_IO when the
 * database cannot be locked for writing; then no transaction is open. */
bool store_begin(struct store *s, struct bp_error **err);

/* Ends the innermost transaction of this thread, keeping its changes.
 * Returns true on success. On failure (BP_ERR_IO) the innermost
 * transaction has been rolled back and is closed all the same; the caller
 * must still end any outer one. Calling it without store_begin() on this
 * thread is a bug: BP_ERR_GENERIC, nothing happens (after waiting for
 * another thread's transaction, if one is open). */
bool store_commit(struct store *s, struct bp_error **err);

/* Ends the innermost transaction of this thread, undoing its changes.
 * Can't fail; does nothing (but log a critical) without store_begin(). */
void store_rollback(struct store *s);

/* Callback run by store_transact(): returns true to commit, or false with
 * *err set to roll back. */
typedef bool (*store_txn_fn)(struct store *s, void *data,
			     struct bp_error **err);

/* Runs fn(s, data, err) inside store_begin()/store_commit(), rolling back
 * when fn fails. Returns true when fn succeeded and the commit did; on
 * failure *err is fn's error or the begin/commit error. */
bool store_transact(struct store *s, store_txn_fn fn, void *data,
		    struct bp_error **err);

/* ---- Deployments ----------------------------------------------------- */

/* True when `id` can name a deployment: 1 to 200 letters, digits, '.',
 * '-' and '_', not starting with '.' or '-' (it is also a file name). */
bool store_deployment_id_valid(const char *id);

/* Creates deployment d->id with its blueprint path and hash, inputs
 * (object, or NULL for {}) and outputs (or NULL). created_at and
 * updated_at are ignored and stamped now. Fails with BP_ERR_CONFLICT when
 * the id exists, BP_ERR_INVALID for a bad id. */
bool store_deployment_create(struct store *s,
			     const struct store_deployment *d,
			     struct bp_error **err);

/* Sets *out (transfer full) to deployment `id`; BP_ERR_NOT_FOUND if
 * there is none. */
bool store_deployment_get(struct store *s, const char *id,
			  struct store_deployment **out, struct bp_error **err);

/* Sets *out (transfer full) to every deployment, by id. */
bool store_deployment_list(struct store *s, GPtrArray **out,
			   struct bp_error **err);

/* Replaces the cached outputs of deployment `id` (`outputs` (transfer
 * none) may be NULL to drop the cache) and stamps updated_at. */
bool store_deployment_set_outputs(struct store *s, const char *id,
				  json_t *outputs, struct bp_error **err);

/* Deletes deployment `id` and everything that belongs to it: instances,
 * relationship instances, executions, their tasks, events and
 * modifications (one transaction). The execution lock file is left.
 * BP_ERR_NOT_FOUND if there is none. */
bool store_deployment_delete(struct store *s, const char *id,
			     struct bp_error **err);

/* ---- Node instances -------------------------------------------------- */

/* Pass as `expect_version` to update whatever the current version is. */
#define STORE_ANY_VERSION ((int64_t)-1)

/* Node instances are named by (deployment, id): ids are unique within a
 * deployment, as the plan makes them. */

/* Inserts `instances` (a GPtrArray of struct store_instance *, (transfer
 * none)) in one transaction: all or none. Each needs id, deployment, node;
 * runtime_props and scaling_groups may be NULL ({} and []). `version` is
 * ignored: a new instance is at version 1. BP_ERR_CONFLICT when an id
 * exists in its deployment, BP_ERR_NOT_FOUND when a deployment does not.
 * Fast for bulk loads: 10,000 instances take about a tenth of a second
 * (bench/store-insert.c). */
bool store_instance_insert(struct store *s, GPtrArray *instances,
			   struct bp_error **err);

/* Sets *out (transfer full) to node instance `id` of `deployment`;
 * BP_ERR_NOT_FOUND if there is none. */
bool store_instance_get(struct store *s, const char *deployment,
			const char *id, struct store_instance **out,
			struct bp_error **err);

/* Sets *out (transfer full) to the instances of `deployment` — only those
 * of node template `node` unless `node` is NULL — ordered by node, index,
 * id. An unknown deployment gives an empty array. */
bool store_instance_list(struct store *s, const char *deployment,
			 const char *node, GPtrArray **out,
			 struct bp_error **err);

/* Sets the state of instance `id` of `deployment` (optimistic update): when
 * `expect_version` is STORE_ANY_VERSION or equals the stored version, the
 * state is written, the version bumped and, if `version_out` is not NULL,
 * the new version stored there. Otherwise BP_ERR_CONFLICT (someone else
 * changed it) or BP_ERR_NOT_FOUND. */
bool store_instance_set_state(struct store *s, const char *deployment,
			      const char *id, enum store_instance_state state,
			      int64_t expect_version, int64_t *version_out,
			      struct bp_error **err);

/* Replaces the runtime properties of instance `id` of `deployment` with
 * `props` (an object, (transfer none)); the caller has merged old and new.
 * Versioning as store_instance_set_state(). */
bool store_instance_set_props(struct store *s, const char *deployment,
			      const char *id, json_t *props,
			      int64_t expect_version, int64_t *version_out,
			      struct bp_error **err);

/* Deletes instance `id` of `deployment` and the relationship instances
 * that touch it. Instances hosted on it keep their host_id (the caller
 * removes them too, as scaling does). BP_ERR_NOT_FOUND if there is none. */
bool store_instance_delete(struct store *s, const char *deployment,
			   const char *id, struct bp_error **err);

/* ---- Relationship instances ------------------------------------------ */

/* Inserts `rels` (a GPtrArray of struct store_relationship *, (transfer
 * none)) in one transaction. Each needs deployment, source_id, target_id
 * and type; (source_id, index, target_id) is unique in a deployment
 * (BP_ERR_CONFLICT). Both ends must exist as node instances of that
 * deployment (else BP_ERR_NOT_FOUND). */
bool store_relationship_insert(struct store *s, GPtrArray *rels,
			       struct bp_error **err);

/* Sets *out (transfer full) to the relationship instances of
 * `deployment`, only those from `source_id` unless it is NULL, and only
 * those to `target_id` unless it is NULL. Ordered by source, index,
 * target. Each lookup uses an index. */
bool store_relationship_list(struct store *s, const char *deployment,
			     const char *source_id, const char *target_id,
			     GPtrArray **out, struct bp_error **err);

/* Deletes every relationship instance of `deployment` whose source or
 * target is `instance_id`; none is not an error. If `count_out` is not
 * NULL, stores how many were deleted. */
bool store_relationship_delete_touching(struct store *s,
					const char *deployment,
					const char *instance_id,
					unsigned *count_out,
					struct bp_error **err);

/* ---- Executions ------------------------------------------------------ */

/* Creates an execution of e->workflow on e->deployment with e->parameters
 * (object or NULL), e->status (normally PENDING), e->pid and e->command
 * (or NULL for ""). e->id and the times are ignored: the store makes a
 * new uuid and stamps created_at (and started_at if the status is
 * STARTED). Sets *id_out (transfer full, g_free) to the id. */
bool store_execution_create(struct store *s, const struct store_execution *e,
			    char **id_out, struct bp_error **err);

/* Sets *out (transfer full) to execution `id`; BP_ERR_NOT_FOUND if none. */
bool store_execution_get(struct store *s, const char *id,
			 struct store_execution **out, struct bp_error **err);

/* Sets *out (transfer full) to the executions of `deployment` (or of all
 * deployments when NULL), oldest first. */
bool store_execution_list(struct store *s, const char *deployment,
			  GPtrArray **out, struct bp_error **err);

/* Sets the status of execution `id` and its error message (`error`, or
 * NULL to clear it). Stamps started_at the first time it becomes STARTED
 * and ended_at when it becomes terminal (clearing ended_at when it leaves
 * a terminal status, as a resumed execution does). No transition rules
 * are enforced: the workflow layer owns them. The error is stored with
 * secret values masked. BP_ERR_NOT_FOUND if none. */
bool store_execution_set_status(struct store *s, const char *id,
				enum store_exec_status status,
				const char *error, struct bp_error **err);

/* Records that process `pid` running `command` now drives execution `id`
 * (a resumed execution changes hands). BP_ERR_NOT_FOUND if none. */
bool store_execution_set_owner(struct store *s, const char *id, int64_t pid,
			       const char *command, struct bp_error **err);

/* Finds the newest execution of `deployment` that is not finished
 * (pending, started or cancelling): what `blueprint resume` continues.
 * Returns true and sets *out (transfer full) to it, or to NULL when there
 * is none (not an error). */
bool store_execution_find_unfinished(struct store *s, const char *deployment,
				     struct store_execution **out,
				     struct bp_error **err);

/* ---- Operation tasks ------------------------------------------------- */

/* Writes task t (t->execution, t->key, t->operation and the rest): inserts
 * it, or replaces instance_id, target_id, operation, state, attempt,
 * message and outputs of the task with the same (execution, key). Stamps
 * created_at on insert, updated_at always. The message is stored with
 * secret values masked (the outputs are not). BP_ERR_NOT_FOUND when the
 * execution does not exist. The executor puts a task SUCCEEDED in the same
 * transaction as the state change the operation made. */
bool store_task_put(struct store *s, const struct store_task *t,
		    struct bp_error **err);

/* Sets *out (transfer full) to task `key` of `execution`;
 * BP_ERR_NOT_FOUND if none. */
bool store_task_get(struct store *s, const char *execution, const char *key,
		    struct store_task **out, struct bp_error **err);

/* Sets *done_out to true when task `key` of `execution` has SUCCEEDED, to
 * false when it is absent or in any other state. For resume: a done task
 * is never run again. */
bool store_task_done(struct store *s, const char *execution, const char *key,
		     bool *done_out, struct bp_error **err);

/* Sets *out (transfer full) to the tasks of `execution`, in the order
 * they were first put. */
bool store_task_list(struct store *s, const char *execution, GPtrArray **out,
		     struct bp_error **err);

/* Sets *out (transfer full, json_decref) to the outputs of the newest
 * SUCCEEDED task running `operation` on instance `instance_id`, in any
 * execution of `deployment` (what get_operation_output reads).
 * BP_ERR_NOT_FOUND when no such task succeeded or it had no outputs. */
bool store_task_outputs(struct store *s, const char *deployment,
			const char *instance_id, const char *operation,
			json_t **out, struct bp_error **err);

/* ---- Events ---------------------------------------------------------- */

/* Appends event e (e->deployment, e->type, e->message needed; e->id is
 * ignored; e->time 0 means now), with secret values masked in its message
 * and data. If `id_out` is not NULL stores the new
 * id there: ids increase with every append and are never reused, so they
 * serve as a cursor. BP_ERR_NOT_FOUND when the deployment does not exist. */
bool store_event_append(struct store *s, const struct store_event *e,
			int64_t *id_out, struct bp_error **err);

/* Sets *out (transfer full) to the events matching `f` (see struct
 * store_event_filter), oldest first. `blueprint events --follow` calls it
 * again with after_id set to the last id it saw; it misses nothing,
 * because writers are serialised and so an event is never committed after
 * one with a higher id. */
bool store_event_list(struct store *s, const struct store_event_filter *f,
		      GPtrArray **out, struct bp_error **err);

/* Sets *count_out to the number of events matching `f` (limit ignored). */
bool store_event_count(struct store *s, const struct store_event_filter *f,
		       uint64_t *count_out, struct bp_error **err);

/* ---- Scaling modifications ------------------------------------------- */

/* Starts a modification of m->deployment: m->kind, m->added and m->removed
 * (arrays of instance ids, or NULL for []) are stored with status STARTED;
 * the id (uuid) and created_at are made by the store. Sets *id_out
 * (transfer full, g_free). BP_ERR_CONFLICT when the deployment already has
 * a started modification. */
bool store_modification_create(struct store *s,
			       const struct store_modification *m,
			       char **id_out, struct bp_error **err);

/* Sets *out (transfer full) to modification `id`; BP_ERR_NOT_FOUND if
 * none. */
bool store_modification_get(struct store *s, const char *id,
			    struct store_modification **out,
			    struct bp_error **err);

/* Sets *out (transfer full) to the modifications of `deployment`, oldest
 * first. */
bool store_modification_list(struct store *s, const char *deployment,
			     GPtrArray **out, struct bp_error **err);

/* Ends started modification `id` with `status` (FINISHED or ROLLED_BACK)
 * and stamps ended_at. BP_ERR_NOT_FOUND if none; BP_ERR_CONFLICT if it is
 * not started; BP_ERR_INVALID for status STARTED. */
bool store_modification_end(struct store *s, const char *id,
			    enum store_mod_status status,
			    struct bp_error **err);

/* ---- Secrets --------------------------------------------------------- */
/* Kept in their own database file (STATE/secrets.db, mode 0600), outside
 * transactions. Values are never logged nor put in error messages.
 *
 * Masking: the store hides every secret value (util/mask.h) in what it
 * writes for people to read: event messages and data, task messages,
 * execution errors. A value is known to a handle if it was in the store
 * when the handle first masked, or was set or read through the handle
 * since (which covers every value a plugin was given). Runtime properties,
 * task outputs, inputs and outputs are stored as given: the engine reads
 * them back; whoever shows them masks them (store_secret_mask()). */

/* Sets secret `key` to `value` (creating or replacing it). */
bool store_secret_set(struct store *s, const char *key, const char *value,
		      struct bp_error **err);

/* Sets *value_out (transfer full, g_free) to secret `key`;
 * BP_ERR_NOT_FOUND if none. */
bool store_secret_get(struct store *s, const char *key, char **value_out,
		      struct bp_error **err);

/* Sets *out (transfer full) to the secret keys (char *), sorted. */
bool store_secret_list(struct store *s, GPtrArray **out,
		       struct bp_error **err);

/* Deletes secret `key`; BP_ERR_NOT_FOUND if none. */
bool store_secret_delete(struct store *s, const char *key,
			 struct bp_error **err);

/* Sets *out (transfer full, bp_mask_free) to a mask of every secret value
 * in the store now, for showing what the store keeps unmasked. */
bool store_secret_mask(struct store *s, struct bp_mask **out,
		       struct bp_error **err);

/* ---- Execution lock -------------------------------------------------- */

/* Takes the execution lock of `deployment`: one mutating execution per
 * deployment at a time, across processes. It is an flock() on
 * STATE/locks/DEPLOYMENT.lock, into which the holder's pid, start time
 * and `command` (its command line) are written. The kernel drops it when
 * the holder exits or is killed, so a lock is never stale. The file is
 * opened close-on-exec: a child started with exec does not inherit it,
 * but one that only forks does and keeps the lock alive while it runs.
 * Returns true and sets *out (transfer full, store_lock_free()); when
 * another process (or another store_lock_acquire() of this one) holds it,
 * fails with BP_ERR_CONFLICT: "deployment 'x' is locked by pid 123
 * ('blueprint install x.yaml') since 2026-08-23T10:00:00Z". Does not wait.
 * BP_ERR_INVALID for a bad deployment id; BP_ERR_IO otherwise. */
bool store_lock_acquire(struct store *s, const char *deployment,
			const char *command, struct store_lock **out,
			struct bp_error **err);

/* Releases the lock (clearing the holder details) and frees it; accepts
 * NULL. Can't fail. */
void store_lock_free(struct store_lock *l);

typedef struct store store;
typedef struct store_lock store_lock;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(store, store_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(store_lock, store_lock_free)

/* ---- Fault injection (tests only) ------------------------------------ */

/* Arms a process-wide fault: the `nth` database call from now (a statement
 * prepare or step, in any store) fails as an I/O error ("injected fault");
 * 0 disarms. Rollbacks are never failed, so every failure shows the path a
 * real I/O error takes. Thread-safe. SQLite's FAULTSIM and curl's torture
 * tests are the model. */
void store_fault_arm(unsigned nth);

/* True when the fault armed by the last store_fault_arm(n > 0) has fired
 * (disarming with 0 keeps the answer). */
bool store_fault_fired(void);

#endif
