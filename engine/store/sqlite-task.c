/* sqlite-task.c: the operation_tasks table of the SQLite backend: what the
 * executor has done in an execution, keyed by the caller's task key, so
 * that a resumed execution skips what already succeeded. */
#include "store/sqlite-int.h"

#define COLUMNS "execution, key, instance_id, target_id, operation, state, " \
		"attempt, message, outputs, created_at, updated_at"

static void *row_task(sqlite3_stmt *st, struct bp_error **err)
{
	g_autoptr(store_task) t = g_new0(struct store_task, 1);
	const char *state = (const char *)sqlite3_column_text(st, 5);

	t->execution = store__sq_col_text(st, 0);
	t->key = store__sq_col_text(st, 1);
	t->instance_id = store__sq_col_text(st, 2);
	t->target_id = store__sq_col_text(st, 3);
	t->operation = store__sq_col_text(st, 4);
	if (!store_task_state_parse(state, &t->state)) {
		bp_error_set(err, BP_ERR_IO, NULL, NULL,
			     "task '%s' has unknown state '%s'", t->key,
			     state ? state : "");
		return NULL;
	}
	t->attempt = sqlite3_column_int64(st, 6);
	t->message = store__sq_col_text(st, 7);
	if (!store__sq_col_json(st, 8, &t->outputs, err))
		return NULL;
	t->created_at = sqlite3_column_int64(st, 9);
	t->updated_at = sqlite3_column_int64(st, 10);
	return g_steal_pointer(&t);
}

/* Binds the columns of `t` as ?1..?10 (?10: the time). */
static void bind_task(struct store_sq *c, sqlite3_stmt *st,
		      const struct store_task *t, int64_t now)
{
	store__sq_bind_text(c, st, 1, t->execution);
	store__sq_bind_text(c, st, 2, t->key);
	store__sq_bind_text(c, st, 3, t->instance_id);
	store__sq_bind_text(c, st, 4, t->target_id);
	store__sq_bind_text(c, st, 5, t->operation);
	store__sq_bind_text(c, st, 6, store_task_state_name(t->state));
	store__sq_bind_int(c, st, 7, t->attempt);
	store__sq_bind_text(c, st, 8, t->message);
	store__sq_bind_json(c, st, 9, t->outputs, NULL);
	store__sq_bind_int(c, st, 10, now);
}

/* Inserts the row of `t`, or updates it when there is one: most tasks
 * are put once, when they end. Two plain statements: an upsert (INSERT
 * ... ON CONFLICT DO UPDATE) builds an ephemeral table on every call. */
static bool put_row(struct store_sq *c, const struct store_task *t,
		    int64_t now, const char *what, struct bp_error **err)
{
	g_autoptr(store_lease) in = store__sq_stmt(c,
		"INSERT INTO operation_tasks (" COLUMNS ")"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)"
		" ON CONFLICT (execution, key) DO NOTHING", what, err);
	g_autoptr(store_lease) up = NULL;

	if (!in)
		return false;
	bind_task(c, in, t, now);
	if (!store__sq_run(c, in, what, err))
		return false;
	if (store__sq_changes(c) > 0)
		return true;
	up = store__sq_stmt(c, "UPDATE operation_tasks SET"
		" instance_id = ?3, target_id = ?4, operation = ?5, state = ?6,"
		" attempt = ?7, message = ?8, outputs = ?9, updated_at = ?10"
		" WHERE execution = ?1 AND key = ?2", what, err);
	if (!up)
		return false;
	bind_task(c, up, t, now);
	return store__sq_run(c, up, what, err);
}

/* No transaction of its own: each of put_row()'s statements is atomic and
 * only one of them changes anything, and the executor puts a task per
 * operation inside its turn's transaction, where a savepoint per task
 * cost two more statements each. */
static bool task_put(struct store_backend *be, const struct store_task *t,
		     int64_t now, struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->state;

	if (put_row(c, t, now, "record a task", err))
		return true;
	return bp_error_prefix(err, "task '%s'", t->key);
}

static bool task_get(struct store_backend *be, const char *execution,
		     const char *key, struct store_task **out,
		     struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->state;
	g_autoptr(store_lease) st = store__sq_stmt(c,
		"SELECT " COLUMNS " FROM operation_tasks"
		" WHERE execution = ?1 AND key = ?2", "read a task", err);
	void *rec;

	if (!st)
		return false;
	store__sq_bind_text(c, st, 1, execution);
	store__sq_bind_text(c, st, 2, key);
	rec = store__sq_one(c, st, row_task, "task", key, NULL, err);
	if (!rec)
		return false;
	*out = rec;
	return true;
}

static bool task_list(struct store_backend *be, const char *execution,
		      GPtrArray **out, struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->state;
	g_autoptr(store_lease) st = store__sq_stmt(c,
		"SELECT " COLUMNS " FROM operation_tasks WHERE execution = ?1"
		" ORDER BY seq", "list tasks", err);

	if (!st)
		return false;
	store__sq_bind_text(c, st, 1, execution);
	return store__sq_collect(c, st, row_task, (GDestroyNotify)store_task_free,
				 "list tasks", out, err);
}

static bool task_outputs(struct store_backend *be, const char *deployment,
			 const char *instance_id, const char *operation,
			 json_t **out, struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->state;
	const char *what = "read operation outputs";
	g_autoptr(store_lease) st = store__sq_stmt(c,
		"SELECT t.outputs FROM operation_tasks t"
		" JOIN executions e ON e.id = t.execution"
		" WHERE t.instance_id = ?2 AND t.operation = ?3"
		" AND t.state = 'succeeded' AND t.outputs IS NOT NULL"
		" AND e.deployment = ?1"
		" ORDER BY t.updated_at DESC, t.seq DESC LIMIT 1", what, err);
	json_t *outputs;
	int rc;

	if (!st)
		return false;
	store__sq_bind_text(c, st, 1, deployment);
	store__sq_bind_text(c, st, 2, instance_id);
	store__sq_bind_text(c, st, 3, operation);
	rc = store__sq_step(c, st, what, err);
	if (!rc)
		return false;
	if (rc == SQLITE_ROW) {
		if (!store__sq_col_json(st, 0, &outputs, err))
			return false;
		*out = outputs;
		return true;
	}
	bp_error_set(err, BP_ERR_NOT_FOUND, NULL, NULL,
		     "operation '%s' has no outputs on node instance '%s' (it "
		     "never succeeded there, or returned none)", operation,
		     instance_id);
	return false;
}

void store__sq_task_ops(struct store_backend *be)
{
	be->task_put = task_put;
	be->task_get = task_get;
	be->task_list = task_list;
	be->task_outputs = task_outputs;
}
