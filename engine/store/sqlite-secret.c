/* sqlite-secret.c: the secrets table of the SQLite backend, in its own
 * file (secrets.db, mode 0600) and connection. Values are bound and read,
 * never formatted into a message. */
#include "store/sqlite-int.h"

static bool secret_set(struct store_backend *be, const char *key,
		       const char *value, int64_t now, struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->secrets;
	g_autofree char *what = g_strdup_printf("set secret '%s'", key);
	g_autoptr(store_lease) st = store__sq_stmt(c,
		"INSERT INTO secrets (key, value, created_at, updated_at)"
		" VALUES (?1, ?2, ?3, ?3)"
		" ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
		"  updated_at = excluded.updated_at", what, err);

	if (!st)
		return false;
	store__sq_bind_text(c, st, 1, key);
	store__sq_bind_text(c, st, 2, value);
	store__sq_bind_int(c, st, 3, now);
	return store__sq_run(c, st, what, err);
}

static void *row_value(sqlite3_stmt *st, struct bp_error **err)
{
	return store__sq_col_text(st, 0);
}

static bool secret_get(struct store_backend *be, const char *key,
		       char **value_out, struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->secrets;
	g_autoptr(store_lease) st = store__sq_stmt(c,
		"SELECT value FROM secrets WHERE key = ?1", "read a secret",
		err);
	void *rec;

	if (!st)
		return false;
	store__sq_bind_text(c, st, 1, key);
	rec = store__sq_one(c, st, row_value, "secret", key, NULL, err);
	if (!rec)
		return false;
	*value_out = rec;
	return true;
}

static bool secret_list(struct store_backend *be, GPtrArray **out,
			struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->secrets;
	g_autoptr(store_lease) st = store__sq_stmt(c,
		"SELECT key FROM secrets ORDER BY key", "list secrets", err);

	return st && store__sq_collect(c, st, row_value, g_free,
				       "list secrets", out, err);
}

static bool secret_delete(struct store_backend *be, const char *key,
			  struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->secrets;
	g_autofree char *what = g_strdup_printf("delete secret '%s'", key);
	g_autoptr(store_lease) st = store__sq_stmt(c,
		"DELETE FROM secrets WHERE key = ?1", what, err);

	if (!st)
		return false;
	store__sq_bind_text(c, st, 1, key);
	return store__sq_run_one(c, st, "secret", key, NULL, what,
				 err);
}

void store__sq_secret_ops(struct store_backend *be)
{
	be->secret_set = secret_set;
	be->secret_get = secret_get;
	be->secret_list = secret_list;
	be->secret_delete = secret_delete;
}
