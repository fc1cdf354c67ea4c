/* sqlite-modification.c: the modifications table of the SQLite backend.
 * At most one modification per deployment is started at a time; the
 * schema enforces it with a partial unique index as well. */
#include "store/sqlite-int.h"

#define COLUMNS "id, deployment, kind, status, added, removed, created_at, " \
		"ended_at"

static void *row_modification(sqlite3_stmt *st, struct bp_error **err)
{
	g_autoptr(store_modification) m = g_new0(struct store_modification, 1);
	const char *status = (const char *)sqlite3_column_text(st, 3);

	m->id = store__sq_col_text(st, 0);
	m->deployment = store__sq_col_text(st, 1);
	m->kind = store__sq_col_text(st, 2);
	if (!store_mod_status_parse(status, &m->status)) {
		bp_error_set(err, BP_ERR_IO, NULL, NULL,
			     "modification '%s' has unknown status '%s'", m->id,
			     status ? status : "");
		return NULL;
	}
	if (!store__sq_col_json(st, 4, &m->added, err) ||
	    !store__sq_col_json(st, 5, &m->removed, err))
		return NULL;
	m->created_at = sqlite3_column_int64(st, 6);
	m->ended_at = sqlite3_column_int64(st, 7);
	return g_steal_pointer(&m);
}

/* Fails with BP_ERR_CONFLICT when `deployment` has a started
 * modification. */
static bool check_none_started(struct store_sq *c, const char *deployment,
			       struct bp_error **err)
{
	const char *what = "look for a modification in progress";
	g_autoptr(store_lease) st = store__sq_stmt(c,
		"SELECT id FROM modifications"
		" WHERE deployment = ?1 AND status = 'started'", what, err);
	int rc;

	if (!st)
		return false;
	store__sq_bind_text(c, st, 1, deployment);
	rc = store__sq_step(c, st, what, err);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE;
	bp_error_set(err, BP_ERR_CONFLICT, NULL, NULL,
		     "deployment '%s' is being modified already (modification "
		     "'%s' is started)", deployment,
		     (const char *)sqlite3_column_text(st, 0));
	return false;
}

static bool modification_create(struct store_backend *be,
				const struct store_modification *m,
				struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->state;
	g_autofree char *what = g_strdup_printf("start a modification of "
						"deployment '%s'",
						m->deployment);
	g_autoptr(store_lease) st = NULL;

	if (!check_none_started(c, m->deployment, err))
		return false;
	st = store__sq_stmt(c,
		"INSERT INTO modifications (" COLUMNS ")"
		" VALUES (?1, ?2, ?3, 'started', ?4, ?5, ?6, 0)", what, err);
	if (!st)
		return false;
	store__sq_bind_text(c, st, 1, m->id);
	store__sq_bind_text(c, st, 2, m->deployment);
	store__sq_bind_text(c, st, 3, m->kind);
	store__sq_bind_json(c, st, 4, m->added, "[]");
	store__sq_bind_json(c, st, 5, m->removed, "[]");
	store__sq_bind_int(c, st, 6, m->created_at);
	return store__sq_run(c, st, what, err);
}

static bool modification_get(struct store_backend *be, const char *id,
			     struct store_modification **out,
			     struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->state;
	g_autoptr(store_lease) st = store__sq_stmt(c,
		"SELECT " COLUMNS " FROM modifications WHERE id = ?1",
		"read a modification", err);
	void *rec;

	if (!st)
		return false;
	store__sq_bind_text(c, st, 1, id);
	rec = store__sq_one(c, st, row_modification, "modification", id, NULL,
			    err);
	if (!rec)
		return false;
	*out = rec;
	return true;
}

static bool modification_list(struct store_backend *be, const char *deployment,
			      GPtrArray **out, struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->state;
	g_autoptr(store_lease) st = store__sq_stmt(c,
		"SELECT " COLUMNS " FROM modifications WHERE deployment = ?1"
		" ORDER BY created_at, rowid", "list modifications", err);

	if (!st)
		return false;
	store__sq_bind_text(c, st, 1, deployment);
	return store__sq_collect(c, st, row_modification,
				 (GDestroyNotify)store_modification_free,
				 "list modifications", out, err);
}

static bool modification_end(struct store_backend *be, const char *id,
			     enum store_mod_status status, int64_t now,
			     struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->state;
	g_autofree char *what = g_strdup_printf("end modification '%s'", id);
	g_autoptr(store_lease) st = store__sq_stmt(c,
		"UPDATE modifications SET status = ?2, ended_at = ?3"
		" WHERE id = ?1 AND status = 'started'", what, err);
	g_autoptr(store_modification) m = NULL;

	if (!st)
		return false;
	store__sq_bind_text(c, st, 1, id);
	store__sq_bind_text(c, st, 2, store_mod_status_name(status));
	store__sq_bind_int(c, st, 3, now);
	if (!store__sq_run(c, st, what, err))
		return false;
	if (store__sq_changes(c) == 1)
		return true;
	if (!modification_get(be, id, &m, err))
		return false;
	bp_error_set(err, BP_ERR_CONFLICT, NULL, NULL,
		     "modification '%s' has ended already (%s)", id,
		     store_mod_status_name(m->status));
	return false;
}

void store__sq_modification_ops(struct store_backend *be)
{
	be->modification_create = modification_create;
	be->modification_get = modification_get;
	be->modification_list = modification_list;
	be->modification_end = modification_end;
}
