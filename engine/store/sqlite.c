/* sqlite.c: the embedded SQLite backend — opening it, transactions and the
 * integrity check. The entity tables live in sqlite-<entity>.c, the
 * connection helpers in sqlite-conn.c, the schema in sqlite-schema.c.
 *
 * Two database files in the state directory: state.db (everything but
 * secrets) and secrets.db (mode 0600, so runtime state can be shared or
 * backed up without the secrets).
 *
 * Journal: state.db runs in WAL mode, so `blueprint events --follow` and
 * `status` read while an execution writes, and a commit is one append to
 * the log. secrets.db uses a rollback journal: it changes rarely and then
 * leaves no -wal/-shm files beside it.
 *
 * Durability: state.db runs WAL with synchronous=NORMAL, the choice between
 * surviving a process kill and surviving a power loss:
 * - Process kill (SIGKILL, a crash, OOM killer): nothing committed is
 *   lost. In WAL mode COMMIT returns once the log is written to the OS
 *   page cache, which the kernel keeps whatever happens to the process.
 *   This is what `blueprint resume` relies on (tests/unit/test-store-crash).
 * - Power loss or kernel crash: the database stays consistent (the log is
 *   checksummed; a torn tail is discarded), but commits since the last
 *   sync (a checkpoint) may be lost. Their operations then run again,
 *   which the design already requires plugins to tolerate: operations are
 *   idempotent because a crash between an operation and its commit must
 *   be survivable anyway.
 * - FULL would also fsync the log on every commit. Measured on the build
 *   machine: 0.3 to 4.3 ms per commit under FULL (shared disk, varying with
 *   load) against 0.03 to 0.07 ms under NORMAL. The executor commits a few
 *   times per operation and once per plugin log event, all through one
 *   connection, so FULL would cap the whole engine at a few hundred commits
 *   a second on a busy disk, for a guarantee the plugins do not need.
 * secrets.db keeps a rollback journal with synchronous=FULL: secrets
 * change rarely and are typed by a person, who expects them kept; and
 * NORMAL with a rollback journal could corrupt the file on power loss.
 */
#include "store/sqlite-int.h"

/* STRICT tables need 3.37; RETURNING needs 3.35. */
#define MIN_SQLITE_VERSION 3037000

static void sqlite_free(struct store_backend *be)
{
	struct store_sqlite *b = store__sqlite(be);

	if (!b)
		return;
	store__sq_close(&b->state);
	store__sq_close(&b->secrets);
	g_free(b);
}

static bool sqlite_begin(struct store_backend *be, struct bp_error **err)
{
	return store__sq_begin(&store__sqlite(be)->state, err);
}

static bool sqlite_commit(struct store_backend *be, struct bp_error **err)
{
	return store__sq_commit(&store__sqlite(be)->state, err);
}

static void sqlite_rollback(struct store_backend *be)
{
	store__sq_rollback(&store__sqlite(be)->state);
}

/* PRAGMA integrity_check answers "ok" or lists problems. */
static bool check_integrity(struct store_sq *c, struct bp_error **err)
{
	g_autoptr(store_lease) st = store__sq_stmt(c, "PRAGMA integrity_check",
						   "check integrity", err);
	g_autofree char *answer = NULL;
	int rc;

	if (!st)
		return false;
	rc = store__sq_step(c, st, "check integrity", err);
	if (!rc)
		return false;
	answer = rc == SQLITE_ROW ? store__sq_col_text(st, 0) : NULL;
	if (g_strcmp0(answer, "ok") == 0)
		return true;
	bp_error_set(err, BP_ERR_IO, NULL, NULL, "'%s' is corrupt: %s",
		     c->path, answer ? answer : "no answer to integrity_check");
	return false;
}

/* PRAGMA foreign_key_check lists rows whose parent is missing. */
static bool check_foreign_keys(struct store_sq *c, struct bp_error **err)
{
	g_autoptr(store_lease) st = store__sq_stmt(c, "PRAGMA foreign_key_check",
						   "check foreign keys", err);
	int rc;

	if (!st)
		return false;
	rc = store__sq_step(c, st, "check foreign keys", err);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE;
	bp_error_set(err, BP_ERR_IO, NULL, NULL,
		     "'%s' is inconsistent: row %" G_GINT64_FORMAT " of '%s' "
		     "refers to a missing row of '%s'", c->path,
		     (gint64)sqlite3_column_int64(st, 1),
		     (const char *)sqlite3_column_text(st, 0),
		     (const char *)sqlite3_column_text(st, 2));
	return false;
}

static bool sqlite_check(struct store_backend *be, struct bp_error **err)
{
	struct store_sqlite *b = store__sqlite(be);

	return check_integrity(&b->state, err) &&
	       check_foreign_keys(&b->state, err) &&
	       check_integrity(&b->secrets, err);
}

static bool open_files(struct store_sqlite *b, const char *state_dir,
		       struct bp_error **err)
{
	g_autofree char *state = g_build_filename(state_dir, "state.db", NULL);
	g_autofree char *secrets = g_build_filename(state_dir, "secrets.db",
						    NULL);

	return store__sq_open(&b->state, state, "wal", err) &&
	       store__sq_migrate_state(&b->state, err) &&
	       store__sq_open(&b->secrets, secrets, "delete", err) &&
	       store__sq_migrate_secrets(&b->secrets, err);
}

bool store_sqlite_open(const char *state_dir, struct store_backend **out,
		       struct bp_error **err)
{
	struct store_sqlite *b;

	if (sqlite3_libversion_number() < MIN_SQLITE_VERSION) {
		bp_error_set(err, BP_ERR_IO, NULL, NULL,
			     "SQLite %s is too old: the store needs 3.37 or "
			     "later", sqlite3_libversion());
		return false;
	}
	b = g_new0(struct store_sqlite, 1);
	b->base.version = STORE_BACKEND_VERSION;
	b->base.name = "sqlite";
	b->base.free = sqlite_free;
	b->base.check = sqlite_check;
	b->base.begin = sqlite_begin;
	b->base.commit = sqlite_commit;
	b->base.rollback = sqlite_rollback;
	store__sq_deployment_ops(&b->base);
	store__sq_instance_ops(&b->base);
	store__sq_relationship_ops(&b->base);
	store__sq_execution_ops(&b->base);
	store__sq_task_ops(&b->base);
	store__sq_event_ops(&b->base);
	store__sq_modification_ops(&b->base);
	store__sq_secret_ops(&b->base);
	if (!open_files(b, state_dir, err)) {
		sqlite_free(&b->base);
		return false;
	}
	*out = &b->base;
	return true;
}
