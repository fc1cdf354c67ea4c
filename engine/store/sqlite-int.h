/* sqlite-int.h: what the files of the SQLite backend share.
 *
 * struct store_sq is one SQLite connection with its prepared-statement
 * cache and transaction depth; struct store_sqlite is the backend (the
 * vtable plus the state and secrets connections). The helpers turn every
 * SQLite failure into a struct bp_error naming the operation, count calls
 * for fault injection, and bind/read the column types the schema uses
 * (text, integers, JSON as text). Nothing here is visible above store/.
 *
 * Statements are "leased": store__sq_stmt() returns the cached statement,
 * and the g_autoptr(store_lease) cleanup resets it on every path, so a
 * cached statement is never left mid-step. One lease of a given SQL at a
 * time (the front end's mutex makes that true across threads).
 */
#ifndef BP_STORE_SQLITE_INT_H
#define BP_STORE_SQLITE_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <sqlite3.h>
#include <glib.h>
#include <jansson.h>

#include "store/backend.h"
#include "util/error.h"

struct store_sq {
	sqlite3 *db;
	char *path;               /* for messages */
	GHashTable *cache;        /* SQL text (owned) -> sqlite3_stmt * */
	GHashTable *by_ptr;       /* the caller's SQL pointer -> statement:
				   * most SQL is a literal, and hashing it
				   * cost more than running a short UPDATE;
				   * a hit is confirmed by comparing texts */
	unsigned depth;           /* open transaction levels, 0 = autocommit */
	int bind_rc;              /* first failed bind of the current lease */
	bool aborted;             /* SQLite rolled the open transaction back
				   * by itself after an error: every call
				   * fails until the outermost rollback */
};

struct store_sqlite {
	struct store_backend base;  /* first: the vtable */
	struct store_sq state;      /* STATE/state.db */
	struct store_sq secrets;    /* STATE/secrets.db */
};

static inline struct store_sqlite *store__sqlite(struct store_backend *be)
{
	return (struct store_sqlite *)be;
}

/* A leased statement: g_autoptr(store_lease) resets it when it goes. */
typedef sqlite3_stmt store_lease;
void store__sq_unlease(sqlite3_stmt *st);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(store_lease, store__sq_unlease)

/* Opens `path` (created 0600 when absent, tightened to 0600 when looser)
 * with journal mode `journal` ("wal" or "delete"; synchronous=NORMAL for
 * WAL, FULL otherwise) and the settings every connection gets: foreign
 * keys, a 10 s busy timeout, extended result codes. On failure nothing is
 * left open. */
bool store__sq_open(struct store_sq *c, const char *path, const char *journal,
		    struct bp_error **err);
/* Finalizes the cached statements and closes; accepts a closed one. */
void store__sq_close(struct store_sq *c);

/* (transfer none) the cached statement for `sql`, prepared on first use;
 * NULL with *err set (BP_ERR_IO "cannot WHAT: ...") on failure. Counts as
 * one call for fault injection when it has to prepare. */
store_lease *store__sq_stmt(struct store_sq *c, const char *sql,
			    const char *what, struct bp_error **err);

/* Steps `st`: returns SQLITE_ROW or SQLITE_DONE, or 0 with *err set. A
 * failed bind of this lease fails here. Counts for fault injection. */
int store__sq_step(struct store_sq *c, sqlite3_stmt *st, const char *what,
		   struct bp_error **err);
/* Steps `st` once and sets *out to column 0 of its row as an integer (0
 * when there is no row): for count(*) and pragmas. */
bool store__sq_int(struct store_sq *c, sqlite3_stmt *st, const char *what,
		   int64_t *out, struct bp_error **err);
/* Steps `st` to its end (no rows expected). */
bool store__sq_run(struct store_sq *c, sqlite3_stmt *st, const char *what,
		   struct bp_error **err);
/* Prepares (cached) and runs `sql`, which takes no parameters; rows it
 * returns are ignored. */
bool store__sq_exec(struct store_sq *c, const char *sql, const char *what,
		    struct bp_error **err);
/* Runs every statement of `script` once, uncached (schema migrations). */
bool store__sq_script(struct store_sq *c, const char *script,
		      const char *what, struct bp_error **err);

/* Nested transactions: BEGIN IMMEDIATE at depth 0, savepoints inside. */
bool store__sq_begin(struct store_sq *c, struct bp_error **err);
bool store__sq_commit(struct store_sq *c, struct bp_error **err);
void store__sq_rollback(struct store_sq *c);

/* Binds (index 1-based). NULL text binds SQL NULL; NULL JSON binds the
 * text `if_null` (SQL NULL when that is NULL too). JSON is stored as
 * compact text. A failure is remembered and reported by the next step. */
void store__sq_bind_text(struct store_sq *c, sqlite3_stmt *st, int i,
			 const char *v);
void store__sq_bind_int(struct store_sq *c, sqlite3_stmt *st, int i,
			int64_t v);
void store__sq_bind_json(struct store_sq *c, sqlite3_stmt *st, int i,
			 const json_t *v, const char *if_null);

/* (transfer full) column i as a string, NULL for SQL NULL. */
char *store__sq_col_text(sqlite3_stmt *st, int i);
/* Sets *out (transfer full) to column i parsed as JSON (NULL for SQL
 * NULL); BP_ERR_IO when the stored text is not JSON. */
bool store__sq_col_json(sqlite3_stmt *st, int i, json_t **out,
			struct bp_error **err);

/* Reads one row of `st` into a new record. */
typedef void *(*store_row_fn)(sqlite3_stmt *st, struct bp_error **err);

/* Steps `st` to its end, turning each row into a record with `row` and
 * collecting them into *out (transfer full; elements freed with `free`). */
bool store__sq_collect(struct store_sq *c, sqlite3_stmt *st, store_row_fn row,
		       GDestroyNotify free, const char *what, GPtrArray **out,
		       struct bp_error **err);

/* Steps `st` expecting at most one row: returns its record (transfer
 * full), or NULL with BP_ERR_NOT_FOUND "KIND 'ID' not found" (with "in
 * deployment 'DEPLOYMENT'" for records a deployment scopes, else pass
 * NULL) when there is none, or NULL with another error. */
void *store__sq_one(struct store_sq *c, sqlite3_stmt *st, store_row_fn row,
		    const char *kind, const char *id, const char *deployment,
		    struct bp_error **err);

/* Runs `st` (an UPDATE or DELETE of one row, bound by the caller) and
 * fails with BP_ERR_NOT_FOUND as store__sq_one() when it changed no row. */
bool store__sq_run_one(struct store_sq *c, sqlite3_stmt *st, const char *kind,
		       const char *id, const char *deployment, const char *what,
		       struct bp_error **err);

/* Number of rows the last INSERT/UPDATE/DELETE changed. */
static inline int store__sq_changes(struct store_sq *c)
{
	return sqlite3_changes(c->db);
}

/* Applies the schema migrations of the state or secrets database. */
bool store__sq_migrate_state(struct store_sq *c, struct bp_error **err);
bool store__sq_migrate_secrets(struct store_sq *c, struct bp_error **err);

/* Fills the entity slots of the vtable; one per file. */
void store__sq_deployment_ops(struct store_backend *be);
void store__sq_instance_ops(struct store_backend *be);
void store__sq_relationship_ops(struct store_backend *be);
void store__sq_execution_ops(struct store_backend *be);
void store__sq_task_ops(struct store_backend *be);
void store__sq_event_ops(struct store_backend *be);
void store__sq_modification_ops(struct store_backend *be);
void store__sq_secret_ops(struct store_backend *be);

#endif
