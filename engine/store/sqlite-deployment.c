/* sqlite-deployment.c: the deployments table of the SQLite backend.
 * Deleting a deployment deletes everything below it through the schema's
 * ON DELETE CASCADE foreign keys, in the one DELETE statement. */
#include "store/sqlite-int.h"

#define COLUMNS "id, blueprint_path, blueprint_hash, inputs, outputs, " \
		"created_at, updated_at"

static void *row_deployment(sqlite3_stmt *st, struct bp_error **err)
{
	g_autoptr(store_deployment) d = g_new0(struct store_deployment, 1);

	d->id = store__sq_col_text(st, 0);
	d->blueprint_path = store__sq_col_text(st, 1);
	d->blueprint_hash = store__sq_col_text(st, 2);
	if (!store__sq_col_json(st, 3, &d->inputs, err) ||
	    !store__sq_col_json(st, 4, &d->outputs, err))
		return NULL;
	d->created_at = sqlite3_column_int64(st, 5);
	d->updated_at = sqlite3_column_int64(st, 6);
	return g_steal_pointer(&d);
}

static bool deployment_create(struct store_backend *be,
			      const struct store_deployment *d,
			      struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->state;
	g_autofree char *what = g_strdup_printf("create deployment '%s'", d->id);
	g_autoptr(store_lease) st = store__sq_stmt(c,
		"INSERT INTO deployments (" COLUMNS ")"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
		" ON CONFLICT (id) DO NOTHING", what, err);

	if (!st)
		return false;
	store__sq_bind_text(c, st, 1, d->id);
	store__sq_bind_text(c, st, 2, d->blueprint_path);
	store__sq_bind_text(c, st, 3, d->blueprint_hash);
	store__sq_bind_json(c, st, 4, d->inputs, "{}");
	store__sq_bind_json(c, st, 5, d->outputs, NULL);
	store__sq_bind_int(c, st, 6, d->created_at);
	store__sq_bind_int(c, st, 7, d->updated_at);
	if (!store__sq_run(c, st, what, err))
		return false;
	if (store__sq_changes(c) == 1)
		return true;
	bp_error_set(err, BP_ERR_CONFLICT, NULL, NULL,
		     "deployment '%s' already exists", d->id);
	return false;
}

static bool deployment_get(struct store_backend *be, const char *id,
			   struct store_deployment **out, struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->state;
	g_autoptr(store_lease) st = store__sq_stmt(c,
		"SELECT " COLUMNS " FROM deployments WHERE id = ?1",
		"read a deployment", err);
	void *rec;

	if (!st)
		return false;
	store__sq_bind_text(c, st, 1, id);
	rec = store__sq_one(c, st, row_deployment, "deployment", id, NULL, err);
	if (!rec)
		return false;
	*out = rec;
	return true;
}

static bool deployment_list(struct store_backend *be, GPtrArray **out,
			    struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->state;
	g_autoptr(store_lease) st = store__sq_stmt(c,
		"SELECT " COLUMNS " FROM deployments ORDER BY id",
		"list deployments", err);

	return st && store__sq_collect(c, st, row_deployment,
				       (GDestroyNotify)store_deployment_free,
				       "list deployments", out, err);
}

static bool deployment_set_outputs(struct store_backend *be, const char *id,
				   json_t *outputs, int64_t now,
				   struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->state;
	g_autofree char *what = g_strdup_printf("set outputs of deployment '%s'",
						id);
	g_autoptr(store_lease) st = store__sq_stmt(c,
		"UPDATE deployments SET outputs = ?2, updated_at = ?3"
		" WHERE id = ?1", what, err);

	if (!st)
		return false;
	store__sq_bind_text(c, st, 1, id);
	store__sq_bind_json(c, st, 2, outputs, NULL);
	store__sq_bind_int(c, st, 3, now);
	return store__sq_run_one(c, st, "deployment", id, NULL, what,
				 err);
}

static bool deployment_delete(struct store_backend *be, const char *id,
			      struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->state;
	g_autofree char *what = g_strdup_printf("delete deployment '%s'", id);
	g_autoptr(store_lease) st = store__sq_stmt(c,
		"DELETE FROM deployments WHERE id = ?1", what, err);

	if (!st)
		return false;
	store__sq_bind_text(c, st, 1, id);
	return store__sq_run_one(c, st, "deployment", id, NULL, what,
				 err);
}

void store__sq_deployment_ops(struct store_backend *be)
{
	be->deployment_create = deployment_create;
	be->deployment_get = deployment_get;
	be->deployment_list = deployment_list;
	be->deployment_set_outputs = deployment_set_outputs;
	be->deployment_delete = deployment_delete;
}
