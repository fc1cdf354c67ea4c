/* sqlite-event.c: the events table of the SQLite backend: append, and
 * list or count with filters and an id cursor (`events --follow`). */
#include "store/sqlite-int.h"

#define COLUMNS "id, time, deployment, execution, instance_id, operation, " \
		"level, type, message, data"

static void *row_event(sqlite3_stmt *st, struct bp_error **err)
{
	g_autoptr(store_event) e = g_new0(struct store_event, 1);

	e->id = sqlite3_column_int64(st, 0);
	e->time = sqlite3_column_int64(st, 1);
	e->deployment = store__sq_col_text(st, 2);
	e->execution = store__sq_col_text(st, 3);
	e->instance_id = store__sq_col_text(st, 4);
	e->operation = store__sq_col_text(st, 5);
	e->level = (enum store_event_level)sqlite3_column_int(st, 6);
	e->type = store__sq_col_text(st, 7);
	e->message = store__sq_col_text(st, 8);
	if (!store__sq_col_json(st, 9, &e->data, err))
		return NULL;
	return g_steal_pointer(&e);
}

static bool event_append(struct store_backend *be, const struct store_event *e,
			 int64_t *id_out, struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->state;
	const char *what = "append an event";
	g_autoptr(store_lease) st = store__sq_stmt(c,
		"INSERT INTO events (time, deployment, execution, instance_id,"
		" operation, level, type, message, data)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", what, err);

	if (!st)
		return false;
	store__sq_bind_int(c, st, 1, e->time);
	store__sq_bind_text(c, st, 2, e->deployment);
	store__sq_bind_text(c, st, 3, e->execution);
	store__sq_bind_text(c, st, 4, e->instance_id);
	store__sq_bind_text(c, st, 5, e->operation);
	store__sq_bind_int(c, st, 6, e->level);
	store__sq_bind_text(c, st, 7, e->type);
	store__sq_bind_text(c, st, 8, e->message);
	store__sq_bind_json(c, st, 9, e->data, NULL);
	if (!store__sq_run(c, st, what, err))
		return false;
	if (id_out)
		*id_out = sqlite3_last_insert_rowid(c->db);
	return true;
}

/* Leases the statement `select` + the WHERE clause of `f` + `tail`, with
 * the filter bound. Only the filters set go into the SQL, so the indexes
 * serve them (one cached statement per combination). */
static store_lease *filtered(struct store_sq *c, const char *select,
			     const struct store_event_filter *f,
			     const char *tail, const char *what,
			     struct bp_error **err)
{
	g_autoptr(GString) sql = g_string_new(select);
	store_lease *st;

	g_string_append(sql, " WHERE id > ?1");
	if (f->deployment)
		g_string_append(sql, " AND deployment = ?2");
	if (f->execution)
		g_string_append(sql, " AND execution = ?3");
	if (f->instance_id)
		g_string_append(sql, " AND instance_id = ?4");
	if (f->min_level > STORE_LEVEL_DEBUG)
		g_string_append(sql, " AND level >= ?5");
	g_string_append(sql, tail);
	st = store__sq_stmt(c, sql->str, what, err);
	if (!st)
		return NULL;
	store__sq_bind_int(c, st, 1, f->after_id);
	if (f->deployment)
		store__sq_bind_text(c, st, 2, f->deployment);
	if (f->execution)
		store__sq_bind_text(c, st, 3, f->execution);
	if (f->instance_id)
		store__sq_bind_text(c, st, 4, f->instance_id);
	if (f->min_level > STORE_LEVEL_DEBUG)
		store__sq_bind_int(c, st, 5, f->min_level);
	return st;
}

static bool event_list(struct store_backend *be,
		       const struct store_event_filter *f, GPtrArray **out,
		       struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->state;
	const char *what = "list events";
	g_autoptr(store_lease) st = filtered(c, "SELECT " COLUMNS " FROM events",
					     f, " ORDER BY id LIMIT ?6", what,
					     err);

	if (!st)
		return false;
	store__sq_bind_int(c, st, 6, f->limit ? (int64_t)f->limit : -1);
	return store__sq_collect(c, st, row_event,
				 (GDestroyNotify)store_event_free, what, out,
				 err);
}

static bool event_count(struct store_backend *be,
			const struct store_event_filter *f, uint64_t *count_out,
			struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->state;
	const char *what = "count events";
	g_autoptr(store_lease) st = filtered(c, "SELECT count(*) FROM events",
					     f, "", what, err);
	int64_t n;

	if (!st || !store__sq_int(c, st, what, &n, err))
		return false;
	*count_out = (uint64_t)n;
	return true;
}

void store__sq_event_ops(struct store_backend *be)
{
	be->event_append = event_append;
	be->event_list = event_list;
	be->event_count = event_count;
}
