/* sqlite-relationship.c: the relationship_instances table of the SQLite
 * backend. Both ends are foreign keys to node_instances of the same
 * deployment, so an edge never outlives either of its instances. */
#include "store/sqlite-int.h"

#define COLUMNS "deployment, source_id, target_id, type, idx, name"

static void *row_relationship(sqlite3_stmt *st, struct bp_error **err)
{
	struct store_relationship *r = g_new0(struct store_relationship, 1);

	r->deployment = store__sq_col_text(st, 0);
	r->source_id = store__sq_col_text(st, 1);
	r->target_id = store__sq_col_text(st, 2);
	r->type = store__sq_col_text(st, 3);
	r->index = sqlite3_column_int64(st, 4);
	r->name = store__sq_col_text(st, 5);
	return r;
}

static bool insert_all(struct store_sq *c, GPtrArray *rels,
		       struct bp_error **err)
{
	const char *what = "insert relationship instances";
	g_autoptr(store_lease) st = store__sq_stmt(c,
		"INSERT INTO relationship_instances (" COLUMNS ")"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6)", what, err);

	if (!st)
		return false;
	for (guint k = 0; k < rels->len; k++) {
		const struct store_relationship *r = rels->pdata[k];

		store__sq_bind_text(c, st, 1, r->deployment);
		store__sq_bind_text(c, st, 2, r->source_id);
		store__sq_bind_text(c, st, 3, r->target_id);
		store__sq_bind_text(c, st, 4, r->type);
		store__sq_bind_int(c, st, 5, r->index);
		store__sq_bind_text(c, st, 6, r->name);
		if (!store__sq_run(c, st, what, err))
			return bp_error_prefix(err, "relationship '%s' -> '%s'",
					       r->source_id, r->target_id);
		sqlite3_reset(st);
	}
	return true;
}

static bool relationship_insert(struct store_backend *be, GPtrArray *rels,
				struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->state;

	if (!store__sq_begin(c, err))
		return false;
	if (!insert_all(c, rels, err)) {
		store__sq_rollback(c);
		return false;
	}
	return store__sq_commit(c, err);
}

static bool relationship_list(struct store_backend *be, const char *deployment,
			      const char *source_id, const char *target_id,
			      GPtrArray **out, struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->state;
	const char *what = "list relationship instances";
	g_autoptr(GString) sql = g_string_new(
		"SELECT " COLUMNS " FROM relationship_instances"
		" WHERE deployment = ?1");
	g_autoptr(store_lease) st = NULL;

	/* Only the filters given go into the SQL, so each lookup uses its
	 * index (one cached statement per combination). */
	if (source_id)
		g_string_append(sql, " AND source_id = ?2");
	if (target_id)
		g_string_append(sql, " AND target_id = ?3");
	g_string_append(sql, " ORDER BY source_id, idx, target_id");
	st = store__sq_stmt(c, sql->str, what, err);
	if (!st)
		return false;
	store__sq_bind_text(c, st, 1, deployment);
	if (source_id)
		store__sq_bind_text(c, st, 2, source_id);
	if (target_id)
		store__sq_bind_text(c, st, 3, target_id);
	return store__sq_collect(c, st, row_relationship,
				 (GDestroyNotify)store_relationship_free,
				 what, out, err);
}

static bool relationship_delete_touching(struct store_backend *be,
					 const char *deployment,
					 const char *instance_id,
					 unsigned *count_out,
					 struct bp_error **err)
{
	struct store_sq *c = &store__sqlite(be)->state;
	const char *what = "delete relationship instances";
	g_autoptr(store_lease) st = store__sq_stmt(c,
		"DELETE FROM relationship_instances WHERE deployment = ?1"
		" AND (source_id = ?2 OR target_id = ?2)", what, err);

	if (!st)
		return false;
	store__sq_bind_text(c, st, 1, deployment);
	store__sq_bind_text(c, st, 2, instance_id);
	if (!store__sq_run(c, st, what, err))
		return false;
	if (count_out)
		*count_out = (unsigned)store__sq_changes(c);
	return true;
}

void store__sq_relationship_ops(struct store_backend *be)
{
	be->relationship_insert = relationship_insert;
	be->relationship_list = relationship_list;
	be->relationship_delete_touching = relationship_delete_touching;
}
