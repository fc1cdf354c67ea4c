/* sqlite-execution.c: the executions table of the SQLite backend. */
#include "store/sqlite-int.h"

#define COLUMNS "id, deployment, workflow, parameters, status, pid, " \
		"command, error, created_at, started_at, ended_at"

static void *row_execution(sqlite3_stmt *st, struct bp_error **err)
{
	g_autoptr(store_execution) e = g_new0(struct store_execution, 1);
	const char *status = (const char *)sqlite3_column_text(st, 4);

	e->id = store__sq_col_text(st, 0);
	e->deployment = store__sq_col_text(st, 1);
	e->workflow = store__sq_col_text(st, 2);
	if (!store__sq_col_json(st, 3, &e->parameters, err))
		return NULL;
	if (!store_exec_status_parse(status, &e->status)) {
		bp_error_set(err, BP_ERR_IO, NULL, NULL,
			     "execution '%s' has unknown status '%s'", e->id,
			     status ? status : "");
		return NULL;
	}
	e->pid = sqlite3_column_int64(st, 5);
	e->command = store__sq_col_text(st, 6);
	e->error = store__sq_col_text(st, 7);
	e->created_at = sqlite3_column_int64(st, 8);
	e->started_at = sqlite3_column_int64(st, 9);
	e->ended_at = sqlite3_column_int64(st, 10);
	return g_steal_pointer(&e);
}

static bool execution_create(struct store_backend *be,
			     const struct store_execution *e,
			     struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->state;
	g_autofree char *what = g_strdup_printf("create an execution of '%s'",
						e->workflow);
	g_autoptr(store_lease) st = store__sq_stmt(c,
		"INSERT INTO executions (" COLUMNS ")"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
		what, err);

	if (!st)
		return false;
	store__sq_bind_text(c, st, 1, e->id);
	store__sq_bind_text(c, st, 2, e->deployment);
	store__sq_bind_text(c, st, 3, e->workflow);
	store__sq_bind_json(c, st, 4, e->parameters, "{}");
	store__sq_bind_text(c, st, 5, store_exec_status_name(e->status));
	store__sq_bind_int(c, st, 6, e->pid);
	store__sq_bind_text(c, st, 7, e->command ? e->command : "");
	store__sq_bind_text(c, st, 8, e->error);
	store__sq_bind_int(c, st, 9, e->created_at);
	store__sq_bind_int(c, st, 10, e->started_at);
	store__sq_bind_int(c, st, 11, e->ended_at);
	return store__sq_run(c, st, what, err);
}

static bool execution_get(struct store_backend *be, const char *id,
			  struct store_execution **out, struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->state;
	g_autoptr(store_lease) st = store__sq_stmt(c,
		"SELECT " COLUMNS " FROM executions WHERE id = ?1",
		"read an execution", err);
	void *rec;

	if (!st)
		return false;
	store__sq_bind_text(c, st, 1, id);
	rec = store__sq_one(c, st, row_execution, "execution", id, NULL, err);
	if (!rec)
		return false;
	*out = rec;
	return true;
}

static bool execution_list(struct store_backend *be, const char *deployment,
			   GPtrArray **out, struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->state;
	g_autoptr(store_lease) st = store__sq_stmt(c,
		"SELECT " COLUMNS " FROM executions"
		" WHERE ?1 IS NULL OR deployment = ?1"
		" ORDER BY created_at, rowid", "list executions", err);

	if (!st)
		return false;
	store__sq_bind_text(c, st, 1, deployment);
	return store__sq_collect(c, st, row_execution,
				 (GDestroyNotify)store_execution_free,
				 "list executions", out, err);
}

static bool execution_set_status(struct store_backend *be, const char *id,
				 enum store_exec_status status,
				 const char *error, int64_t now,
				 struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->state;
	g_autofree char *what = g_strdup_printf("set status of execution '%s'",
						id);
	/* ?4: the new status is STARTED; ?5: it is terminal. */
	g_autoptr(store_lease) st = store__sq_stmt(c,
		"UPDATE executions SET status = ?2, error = ?3,"
		" started_at = CASE WHEN ?4 AND started_at = 0 THEN ?6"
		"   ELSE started_at END,"
		" ended_at = CASE WHEN ?5 THEN ?6 ELSE 0 END"
		" WHERE id = ?1", what, err);

	if (!st)
		return false;
	store__sq_bind_text(c, st, 1, id);
	store__sq_bind_text(c, st, 2, store_exec_status_name(status));
	store__sq_bind_text(c, st, 3, error);
	store__sq_bind_int(c, st, 4, status == STORE_EXEC_STARTED);
	store__sq_bind_int(c, st, 5, store_exec_status_finished(status));
	store__sq_bind_int(c, st, 6, now);
	return store__sq_run_one(c, st, "execution", id, NULL, what,
				 err);
}

static bool execution_set_owner(struct store_backend *be, const char *id,
				int64_t pid, const char *command,
				struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->state;
	g_autofree char *what = g_strdup_printf("set owner of execution '%s'",
						id);
	g_autoptr(store_lease) st = store__sq_stmt(c,
		"UPDATE executions SET pid = ?2, command = ?3 WHERE id = ?1",
		what, err);

	if (!st)
		return false;
	store__sq_bind_text(c, st, 1, id);
	store__sq_bind_int(c, st, 2, pid);
	store__sq_bind_text(c, st, 3, command ? command : "");
	return store__sq_run_one(c, st, "execution", id, NULL, what,
				 err);
}

static bool execution_find_unfinished(struct store_backend *be,
				      const char *deployment,
				      struct store_execution **out,
				      struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->state;
	const char *what = "find an unfinished execution";
	g_autoptr(store_lease) st = store__sq_stmt(c,
		"SELECT " COLUMNS " FROM executions WHERE deployment = ?1"
		" AND status IN ('pending', 'started', 'cancelling')"
		" ORDER BY created_at DESC, rowid DESC LIMIT 1", what, err);
	struct store_execution *rec;
	int rc;

	if (!st)
		return false;
	store__sq_bind_text(c, st, 1, deployment);
	rc = store__sq_step(c, st, what, err);
	if (!rc)
		return false;
	if (rc == SQLITE_DONE) {
		*out = NULL;
		return true;
	}
	rec = row_execution(st, err);
	if (!rec)
		return false;
	*out = rec;
	return true;
}

void store__sq_execution_ops(struct store_backend *be)
{
	be->execution_create = execution_create;
	be->execution_get = execution_get;
	be->execution_list = execution_list;
	be->execution_set_status = execution_set_status;
	be->execution_set_owner = execution_set_owner;
	be->execution_find_unfinished = execution_find_unfinished;
}
