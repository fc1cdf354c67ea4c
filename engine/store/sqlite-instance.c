/* sqlite-instance.c: the node_instances table of the SQLite backend.
 *
 * Updates are optimistic: each one bumps `version`, and a caller that
 * passes the version it read gets BP_ERR_CONFLICT when someone else wrote
 * in between. Deleting an instance deletes its relationship instances
 * through the schema's ON DELETE CASCADE.
 */
#include "store/sqlite-int.h"

#define COLUMNS "id, deployment, node, host_id, state, runtime_props, " \
		"scaling_groups, idx, version"

static void *row_instance(sqlite3_stmt *st, struct bp_error **err)
{
	g_autoptr(store_instance) i = g_new0(struct store_instance, 1);
	const char *state = (const char *)sqlite3_column_text(st, 4);

	i->id = store__sq_col_text(st, 0);
	i->deployment = store__sq_col_text(st, 1);
	i->node = store__sq_col_text(st, 2);
	i->host_id = store__sq_col_text(st, 3);
	if (!store_instance_state_parse(state, &i->state)) {
		bp_error_set(err, BP_ERR_IO, NULL, NULL,
			     "node instance '%s' has unknown state '%s'", i->id,
			     state ? state : "");
		return NULL;
	}
	if (!store__sq_col_json(st, 5, &i->runtime_props, err) ||
	    !store__sq_col_json(st, 6, &i->scaling_groups, err))
		return NULL;
	i->index = sqlite3_column_int64(st, 7);
	i->version = sqlite3_column_int64(st, 8);
	return g_steal_pointer(&i);
}

/* Inserts one instance with the leased statement `st`. */
static bool insert_one(struct store_sq *c, sqlite3_stmt *st,
		       const struct store_instance *i, const char *what,
		       struct bp_error **err)
{
	store__sq_bind_text(c, st, 1, i->id);
	store__sq_bind_text(c, st, 2, i->deployment);
	store__sq_bind_text(c, st, 3, i->node);
	store__sq_bind_text(c, st, 4, i->host_id);
	store__sq_bind_text(c, st, 5, store_instance_state_name(i->state));
	store__sq_bind_json(c, st, 6, i->runtime_props, "{}");
	store__sq_bind_json(c, st, 7, i->scaling_groups, "[]");
	store__sq_bind_int(c, st, 8, i->index);
	if (!store__sq_run(c, st, what, err))
		return false;
	sqlite3_reset(st);
	if (store__sq_changes(c) == 1)
		return true;
	bp_error_set(err, BP_ERR_CONFLICT, NULL, NULL,
		     "node instance '%s' already exists in deployment '%s'",
		     i->id, i->deployment);
	return false;
}

static bool insert_all(struct store_sq *c, GPtrArray *instances,
		       struct bp_error **err)
{
	g_autoptr(store_lease) st = store__sq_stmt(c,
		"INSERT INTO node_instances (" COLUMNS ")"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1)"
		" ON CONFLICT (deployment, id) DO NOTHING",
		"insert node instances", err);

	if (!st)
		return false;
	for (guint k = 0; k < instances->len; k++)
		if (!insert_one(c, st, instances->pdata[k],
				"insert node instances", err))
			return false;
	return true;
}

static bool instance_insert(struct store_backend *be, GPtrArray *instances,
			    struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->state;

	if (!store__sq_begin(c, err))
		return false;
	if (!insert_all(c, instances, err)) {
		store__sq_rollback(c);
		return false;
	}
	return store__sq_commit(c, err);
}

static bool instance_get(struct store_backend *be, const char *deployment,
			 const char *id, struct store_instance **out,
			 struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->state;
	g_autoptr(store_lease) st = store__sq_stmt(c,
		"SELECT " COLUMNS " FROM node_instances"
		" WHERE deployment = ?1 AND id = ?2",
		"read a node instance", err);
	void *rec;

	if (!st)
		return false;
	store__sq_bind_text(c, st, 1, deployment);
	store__sq_bind_text(c, st, 2, id);
	rec = store__sq_one(c, st, row_instance, "node instance", id,
			    deployment, err);
	if (!rec)
		return false;
	*out = rec;
	return true;
}

static bool instance_list(struct store_backend *be, const char *deployment,
			  const char *node, GPtrArray **out,
			  struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->state;
	g_autoptr(store_lease) st = store__sq_stmt(c,
		"SELECT " COLUMNS " FROM node_instances"
		" WHERE deployment = ?1 AND (?2 IS NULL OR node = ?2)"
		" ORDER BY node, idx, id", "list node instances", err);

	if (!st)
		return false;
	store__sq_bind_text(c, st, 1, deployment);
	store__sq_bind_text(c, st, 2, node);
	return store__sq_collect(c, st, row_instance,
				 (GDestroyNotify)store_instance_free,
				 "list node instances", out, err);
}

/* Which instance a versioned update is for, and the version expected. */
struct target {
	const char *deployment;
	const char *id;
	int64_t expect;
};

/* After an update that matched no row: NOT_FOUND or a version CONFLICT. */
static bool explain_miss(struct store_sq *c, const struct target *t,
			 struct bp_error **err)
{
	const char *what = "read a node instance version";
	g_autoptr(store_lease) st = store__sq_stmt(c,
		"SELECT version FROM node_instances"
		" WHERE deployment = ?1 AND id = ?2", what, err);
	int rc;

	if (!st)
		return false;
	store__sq_bind_text(c, st, 1, t->deployment);
	store__sq_bind_text(c, st, 2, t->id);
	rc = store__sq_step(c, st, what, err);
	if (rc == SQLITE_DONE)
		bp_error_set(err, BP_ERR_NOT_FOUND, NULL, NULL,
			     "node instance '%s' not found in deployment '%s'",
			     t->id, t->deployment);
	else if (rc == SQLITE_ROW)
		bp_error_set(err, BP_ERR_CONFLICT, NULL, NULL,
			     "node instance '%s' was changed meanwhile: it is "
			     "at version %" G_GINT64_FORMAT ", expected %"
			     G_GINT64_FORMAT, t->id,
			     (gint64)sqlite3_column_int64(st, 0),
			     (gint64)t->expect);
	return false;
}

/* Sets *out to the version of the instance `t` names. */
static bool read_version(struct store_sq *c, const struct target *t,
			 int64_t *out, struct bp_error **err)
{
	const char *what = "read a node instance version";
	g_autoptr(store_lease) st = store__sq_stmt(c,
		"SELECT version FROM node_instances"
		" WHERE deployment = ?1 AND id = ?2", what, err);

	if (!st)
		return false;
	store__sq_bind_text(c, st, 1, t->deployment);
	store__sq_bind_text(c, st, 2, t->id);
	return store__sq_int(c, st, what, out, err);
}

/* Runs the versioned UPDATE `sql`, whose ?1 and ?2 are the deployment
 * and id, ?3 the new value (the text `text`, or else `json`), ?4 the
 * expected version. */
static bool update_row(struct store_sq *c, const char *sql,
		       const struct target *t, const char *text,
		       const json_t *json, const char *what,
		       struct bp_error **err)
{
	g_autoptr(store_lease) st = store__sq_stmt(c, sql, what, err);

	if (!st)
		return false;
	store__sq_bind_text(c, st, 1, t->deployment);
	store__sq_bind_text(c, st, 2, t->id);
	if (text)
		store__sq_bind_text(c, st, 3, text);
	else
		store__sq_bind_json(c, st, 3, json, NULL);
	store__sq_bind_int(c, st, 4, t->expect);
	if (!store__sq_run(c, st, what, err))
		return false;
	return store__sq_changes(c) > 0 || explain_miss(c, t, err);
}

/* update_row(), and the new version read back when asked for, in the same
 * transaction. No RETURNING: its ephemeral table costs more than the
 * update itself on the executor's path, which does not ask. */
static bool update_versioned(struct store_sq *c, const char *sql,
			     const struct target *t, const char *text,
			     const json_t *json, int64_t *version_out,
			     const char *what, struct bp_error **err)
{
	int64_t version;

	if (!version_out)
		return update_row(c, sql, t, text, json, what, err);
	if (!store__sq_begin(c, err))
		return false;
	if (!update_row(c, sql, t, text, json, what, err) ||
	    !read_version(c, t, &version, err)) {
		store__sq_rollback(c);
		return false;
	}
	if (!store__sq_commit(c, err))
		return false;
	*version_out = version;
	return true;
}

static bool instance_set_state(struct store_backend *be,
			       const char *deployment, const char *id,
			       enum store_instance_state state,
			       int64_t expect_version, int64_t *version_out,
			       struct bp_error **err)
{
	struct target t = { deployment, id, expect_version };
	g_autofree char *what = g_strdup_printf("set state of node instance "
						"'%s'", id);

	return update_versioned(&store__sqlite(be)->state,
		"UPDATE node_instances SET state = ?3, version = version + 1"
		" WHERE deployment = ?1 AND id = ?2"
		" AND (?4 < 0 OR version = ?4)",
		&t, store_instance_state_name(state), NULL, version_out, what,
		err);
}

static bool instance_set_props(struct store_backend *be,
			       const char *deployment, const char *id,
			       json_t *props, int64_t expect_version,
			       int64_t *version_out, struct bp_error **err)
{
	struct target t = { deployment, id, expect_version };
	g_autofree char *what = g_strdup_printf("set runtime properties of "
						"node instance '%s'", id);

	return update_versioned(&store__sqlite(be)->state,
		"UPDATE node_instances SET runtime_props = ?3,"
		" version = version + 1 WHERE deployment = ?1 AND id = ?2"
		" AND (?4 < 0 OR version = ?4)",
		&t, NULL, props, version_out, what, err);
}

static bool instance_delete(struct store_backend *be, const char *deployment,
			    const char *id, struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->state;
	g_autofree char *what = g_strdup_printf("delete node instance '%s'", id);
	g_autoptr(store_lease) st = store__sq_stmt(c,
		"DELETE FROM node_instances WHERE deployment = ?1 AND id = ?2",
		what, err);

	if (!st)
		return false;
	store__sq_bind_text(c, st, 1, deployment);
	store__sq_bind_text(c, st, 2, id);
	return store__sq_run_one(c, st, "node instance", id, deployment, what,
				 err);
}

void store__sq_instance_ops(struct store_backend *be)
{
	be->instance_insert = instance_insert;
	be->instance_get = instance_get;
	be->instance_list = instance_list;
	be->instance_set_state = instance_set_state;
	be->instance_set_props = instance_set_props;
	be->instance_delete = instance_delete;
}
