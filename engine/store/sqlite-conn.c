/* sqlite-conn.c: one SQLite connection — opening it with our settings,
 * the prepared-statement cache, stepping with errors as values, nested
 * transactions, and binding/reading columns. See sqlite-int.h.
 *
 * Every failure becomes a bp_error "cannot WHAT: SQLITE MESSAGE"; the code
 * is BP_ERR_CONFLICT for a unique-key violation, BP_ERR_NOT_FOUND for a
 * foreign-key one (the row refers to something absent), BP_ERR_IO else.
 */
#include "store/sqlite-int.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BUSY_TIMEOUT_MS 10000

static void sq_fail(struct store_sq *c, int rc, const char *what,
		    struct bp_error **err)
{
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
		bp_error_set(err, BP_ERR_NOT_FOUND, NULL, NULL,
			     "cannot %s: it refers to a deployment, node "
			     "instance or execution that does not exist", what);
		return;
	}
	bp_error_set(err,
		     rc == SQLITE_CONSTRAINT_PRIMARYKEY ||
		     rc == SQLITE_CONSTRAINT_UNIQUE ? BP_ERR_CONFLICT : BP_ERR_IO,
		     NULL, NULL, "cannot %s: %s", what, sqlite3_errmsg(c->db));
}

static void sq_fail_injected(const char *what, struct bp_error **err)
{
	bp_error_set(err, BP_ERR_IO, NULL, NULL,
		     "cannot %s: %s (injected fault)", what,
		     sqlite3_errstr(SQLITE_IOERR));
}

/* SQLite may roll a transaction back by itself after an error (disk full,
 * I/O error). Notes that, so that later calls fail instead of running
 * outside any transaction. */
static void sq_note_abort(struct store_sq *c)
{
	if (c->depth > 0 && sqlite3_get_autocommit(c->db))
		c->aborted = true;
}

static bool sq_fail_aborted(const char *what, struct bp_error **err)
{
	bp_error_set(err, BP_ERR_IO, NULL, NULL,
		     "cannot %s: the transaction was rolled back after an "
		     "earlier error", what);
	return false;
}

/* Creates `path` with mode 0600 if absent and takes group/other access
 * away from an existing one: the databases hold runtime properties and
 * secrets. */
static bool make_private_file(const char *path, struct bp_error **err)
{
	struct stat st;
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0 || fstat(fd, &st) < 0 ||
	    ((st.st_mode & 077) && fchmod(fd, st.st_mode & 0700) < 0)) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		bp_error_set(err, BP_ERR_IO, NULL, NULL, "cannot open '%s': %s",
			     path, g_strerror(e));
		return false;
	}
	close(fd);
	return true;
}

static void finalize_stmt(gpointer st)
{
	sqlite3_finalize(st);
}

/* Sets the journal mode and checks that SQLite took it (WAL needs shared
 * memory, which network file systems lack). */
static bool set_journal_mode(struct store_sq *c, const char *journal,
			     struct bp_error **err)
{
	g_autofree char *sql = g_strdup_printf("PRAGMA journal_mode=%s", journal);
	g_autoptr(store_lease) st = store__sq_stmt(c, sql, "set the journal mode",
						   err);
	g_autofree char *got = NULL;
	int rc;

	if (!st)
		return false;
	rc = store__sq_step(c, st, "set the journal mode", err);
	if (!rc)
		return false;
	if (rc == SQLITE_ROW)
		got = store__sq_col_text(st, 0);
	if (g_ascii_strcasecmp(got ? got : "", journal) != 0) {
		bp_error_set(err, BP_ERR_IO, NULL, NULL,
			     "cannot use journal mode '%s' for '%s' (SQLite "
			     "kept '%s'); is the state directory on a network "
			     "file system?", journal, c->path, got ? got : "");
		return false;
	}
	return true;
}

bool store__sq_open(struct store_sq *c, const char *path, const char *journal,
		    struct bp_error **err)
{
	/* synchronous: NORMAL with WAL, FULL with a rollback journal (where
	 * NORMAL could corrupt on power loss); see the note in sqlite.c.
	 * A workflow commits thousands of small transactions that touch the
	 * same pages again and again: a 32 MB page cache keeps a 10,000-
	 * instance deployment's pages in memory, and checkpointing every
	 * 8,000 WAL pages (32 MB) instead of SQLite's 1,000 copies each hot
	 * page back (and syncs) eight times less often. */
	const bool wal = strcmp(journal, "wal") == 0;
	const char *const settings[] = {
		"PRAGMA foreign_keys=ON",
		wal ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL",
		"PRAGMA cache_size=-32768",
		wal ? "PRAGMA wal_autocheckpoint=8000" : NULL,
	};
	int rc;

	memset(c, 0, sizeof(*c));
	if (!make_private_file(path, err))
		return false;
	c->path = g_strdup(path);
	c->by_ptr = g_hash_table_new(NULL, NULL);
	c->cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					 finalize_stmt);
	rc = sqlite3_open_v2(path, &c->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		bp_error_set(err, BP_ERR_IO, NULL, NULL,
			     "cannot open database '%s': %s", path,
			     c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
		store__sq_close(c);
		return false;
	}
	sqlite3_extended_result_codes(c->db, 1);
	sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
	if (!set_journal_mode(c, journal, err)) {
		store__sq_close(c);
		return false;
	}
	for (size_t i = 0; i < G_N_ELEMENTS(settings) && settings[i]; i++) {
		if (!store__sq_exec(c, settings[i], "configure the database",
				    err)) {
			bp_error_prefix(err, "'%s'", path);
			store__sq_close(c);
			return false;
		}
	}
	return true;
}

void store__sq_close(struct store_sq *c)
{
	g_clear_pointer(&c->by_ptr, g_hash_table_destroy);
	if (c->cache)
		g_hash_table_destroy(c->cache);
	c->cache = NULL;
	sqlite3_close(c->db);   /* accepts NULL; every statement is finalized */
	c->db = NULL;
	g_clear_pointer(&c->path, g_free);
}

/* The cached statement of `sql`, or NULL. */
static sqlite3_stmt *cached(struct store_sq *c, const char *sql)
{
	sqlite3_stmt *st = g_hash_table_lookup(c->by_ptr, sql);

	if (st && strcmp(sqlite3_sql(st), sql) == 0)
		return st;
	st = g_hash_table_lookup(c->cache, sql);
	if (st)
		g_hash_table_insert(c->by_ptr, (gpointer)sql, st);
	return st;
}

store_lease *store__sq_stmt(struct store_sq *c, const char *sql,
			    const char *what, struct bp_error **err)
{
	sqlite3_stmt *st = cached(c, sql);
	int rc;

	c->bind_rc = SQLITE_OK;
	if (st)
		return st;
	if (store__fault_hit()) {
		sq_fail_injected(what, err);
		return NULL;
	}
	rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
				NULL);
	if (rc != SQLITE_OK) {
		sq_fail(c, rc, what, err);
		return NULL;
	}
	g_hash_table_insert(c->cache, g_strdup(sql), st);
	g_hash_table_insert(c->by_ptr, (gpointer)sql, st);
	return st;
}

void store__sq_unlease(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

int store__sq_step(struct store_sq *c, sqlite3_stmt *st, const char *what,
		   struct bp_error **err)
{
	int rc;

	if (c->aborted)
		return sq_fail_aborted(what, err);
	if (c->bind_rc != SQLITE_OK) {
		bp_error_set(err, BP_ERR_IO, NULL, NULL, "cannot %s: %s", what,
			     sqlite3_errstr(c->bind_rc));
		c->bind_rc = SQLITE_OK;
		return 0;
	}
	if (store__fault_hit()) {
		sq_fail_injected(what, err);
		return 0;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return rc;
	sq_fail(c, rc, what, err);
	sq_note_abort(c);
	return 0;
}

bool store__sq_run(struct store_sq *c, sqlite3_stmt *st, const char *what,
		   struct bp_error **err)
{
	int rc;

	while ((rc = store__sq_step(c, st, what, err)) == SQLITE_ROW)
		;
	return rc == SQLITE_DONE;
}

bool store__sq_int(struct store_sq *c, sqlite3_stmt *st, const char *what,
		   int64_t *out, struct bp_error **err)
{
	int rc = store__sq_step(c, st, what, err);

	if (!rc)
		return false;
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	return true;
}

bool store__sq_exec(struct store_sq *c, const char *sql, const char *what,
		    struct bp_error **err)
{
	g_autoptr(store_lease) st = store__sq_stmt(c, sql, what, err);

	return st && store__sq_run(c, st, what, err);
}

bool store__sq_script(struct store_sq *c, const char *script,
		      const char *what, struct bp_error **err)
{
	const char *p = script;

	while (*p) {
		sqlite3_stmt *st = NULL;
		bool ok;
		int rc;

		if (store__fault_hit()) {
			sq_fail_injected(what, err);
			return false;
		}
		rc = sqlite3_prepare_v2(c->db, p, -1, &st, &p);
		if (rc != SQLITE_OK) {
			sq_fail(c, rc, what, err);
			return false;
		}
		if (!st)        /* only blanks or comments were left */
			break;
		c->bind_rc = SQLITE_OK;
		ok = store__sq_run(c, st, what, err);
		sqlite3_finalize(st);
		if (!ok)
			return false;
	}
	return true;
}

/* ---- Transactions ----------------------------------------------------- */

/* Runs a statement that must not be failed by fault injection (undoing
 * work); errors are ignored: SQLite has then already undone it. */
static void exec_unfailing(struct store_sq *c, const char *sql)
{
	sqlite3_stmt *st = cached(c, sql);

	if (!st) {
		if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
				       &st, NULL) != SQLITE_OK)
			return;
		g_hash_table_insert(c->cache, g_strdup(sql), st);
	}
	while (sqlite3_step(st) == SQLITE_ROW)
		;
	sqlite3_reset(st);
}

bool store__sq_begin(struct store_sq *c, struct bp_error **err)
{
	bool outer = c->depth == 0;

	if (c->aborted)
		return sq_fail_aborted("begin a transaction", err);
	/* IMMEDIATE takes the write lock now: a deferred transaction that
	 * reads first and writes later can fail with SQLITE_BUSY without
	 * waiting, when another process wrote in between. */
	if (!store__sq_exec(c, outer ? "BEGIN IMMEDIATE" : "SAVEPOINT nest",
			    "begin a transaction", err))
		return false;
	c->depth++;
	return true;
}

bool store__sq_commit(struct store_sq *c, struct bp_error **err)
{
	bool outer = c->depth == 1;

	if (c->depth == 0) {
		bp_error_set(err, BP_ERR_GENERIC, NULL, NULL,
			     "cannot commit: no transaction is open");
		return false;
	}
	if (c->aborted) {
		store__sq_rollback(c);
		return sq_fail_aborted("commit", err);
	}
	if (store__sq_exec(c, outer ? "COMMIT" : "RELEASE nest",
			   "commit a transaction", err)) {
		c->depth--;
		return true;
	}
	store__sq_rollback(c);
	return bp_error_prefix(err, "rolled back");
}

void store__sq_rollback(struct store_sq *c)
{
	if (c->depth == 0)
		return;
	if (c->depth == 1) {
		exec_unfailing(c, "ROLLBACK");
		c->aborted = false;
	} else if (!c->aborted) {
		exec_unfailing(c, "ROLLBACK TO nest");
		exec_unfailing(c, "RELEASE nest");
	}
	c->depth--;
}

/* ---- Binding and reading ---------------------------------------------- */

static void note_bind(struct store_sq *c, int rc)
{
	if (rc != SQLITE_OK && c->bind_rc == SQLITE_OK)
		c->bind_rc = rc;
}

void store__sq_bind_text(struct store_sq *c, sqlite3_stmt *st, int i,
			 const char *v)
{
	note_bind(c, v ? sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT)
		       : sqlite3_bind_null(st, i));
}

void store__sq_bind_int(struct store_sq *c, sqlite3_stmt *st, int i,
			int64_t v)
{
	note_bind(c, sqlite3_bind_int64(st, i, v));
}

static int append_to_gstring(const char *buf, size_t size, void *data)
{
	g_string_append_len(data, buf, (gssize)size);
	return 0;
}

void store__sq_bind_json(struct store_sq *c, sqlite3_stmt *st, int i,
			 const json_t *v, const char *if_null)
{
	GString *s;

	if (!v) {
		store__sq_bind_text(c, st, i, if_null);
		return;
	}
	s = g_string_new(NULL);
	if (json_dump_callback(v, append_to_gstring, s,
			       JSON_COMPACT | JSON_ENCODE_ANY) != 0) {
		g_string_free(s, TRUE);
		note_bind(c, SQLITE_MISUSE);
		return;
	}
	note_bind(c, sqlite3_bind_text(st, i, g_string_free(s, FALSE), -1,
				       g_free));
}

char *store__sq_col_text(sqlite3_stmt *st, int i)
{
	return g_strdup((const char *)sqlite3_column_text(st, i));
}

bool store__sq_col_json(sqlite3_stmt *st, int i, json_t **out,
			struct bp_error **err)
{
	const char *text = (const char *)sqlite3_column_text(st, i);
	json_error_t jerr;

	*out = NULL;
	if (!text)
		return true;
	*out = json_loadb(text, (size_t)sqlite3_column_bytes(st, i),
			  JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	if (*out)
		return true;
	bp_error_set(err, BP_ERR_IO, NULL, NULL,
		     "stored JSON in column '%s' is corrupt: %s",
		     sqlite3_column_name(st, i), jerr.text);
	return false;
}

/* ---- Rows to records -------------------------------------------------- */

bool store__sq_collect(struct store_sq *c, sqlite3_stmt *st, store_row_fn row,
		       GDestroyNotify free, const char *what, GPtrArray **out,
		       struct bp_error **err)
{
	g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func(free);
	int rc;

	while ((rc = store__sq_step(c, st, what, err)) == SQLITE_ROW) {
		void *rec = row(st, err);

		if (!rec)
			return bp_error_prefix(err, "cannot %s", what);
		g_ptr_array_add(all, rec);
	}
	if (rc != SQLITE_DONE)
		return false;
	*out = g_steal_pointer(&all);
	return true;
}

/* BP_ERR_NOT_FOUND "KIND 'ID' not found [in deployment 'DEPLOYMENT']". */
static void not_found(const char *kind, const char *id, const char *deployment,
		      struct bp_error **err)
{
	if (deployment)
		bp_error_set(err, BP_ERR_NOT_FOUND, NULL, NULL,
			     "%s '%s' not found in deployment '%s'", kind, id,
			     deployment);
	else
		bp_error_set(err, BP_ERR_NOT_FOUND, NULL, NULL,
			     "%s '%s' not found", kind, id);
}

void *store__sq_one(struct store_sq *c, sqlite3_stmt *st, store_row_fn row,
		    const char *kind, const char *id, const char *deployment,
		    struct bp_error **err)
{
	g_autofree char *what = g_strdup_printf("read %s '%s'", kind, id);
	void *rec;

	switch (store__sq_step(c, st, what, err)) {
	case SQLITE_ROW:
		break;
	case SQLITE_DONE:
		not_found(kind, id, deployment, err);
		return NULL;
	default:
		return NULL;
	}
	rec = row(st, err);
	if (!rec)
		bp_error_prefix(err, "cannot %s", what);
	return rec;
}

bool store__sq_run_one(struct store_sq *c, sqlite3_stmt *st, const char *kind,
		       const char *id, const char *deployment, const char *what,
		       struct bp_error **err)
{
	if (!store__sq_run(c, st, what, err))
		return false;
	if (sqlite3_changes(c->db) > 0)
		return true;
	not_found(kind, id, deployment, err);
	return false;
}
