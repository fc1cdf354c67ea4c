/* store.c: the store handle — opening a state directory on a backend,
 * transactions that own the handle for one thread, the integrity check,
 * and the argument checks the forwarding files share.
 *
 * Concurrency model: one backend connection per handle, behind one
 * recursive mutex. SQLite allows one writer at a time anyway, so several
 * connections would only trade our mutex for SQLITE_BUSY retries and
 * separate statement caches; one mutex keeps every transaction on one
 * thread and makes "commit, then start the dependent task" a plain
 * sequence for the executor's workers.
 */
#include "store/store-int.h"

#include <errno.h>
#include <string.h>
#include <uuid/uuid.h>

static const char *json_type_name(json_type t)
{
	switch (t) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a real number";
	case JSON_TRUE: case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "unknown";
}

bool store__require(const void *value, const char *record, const char *field,
		    struct bp_error **err)
{
	if (value)
		return true;
	bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "%s is missing in %s",
		     field, record);
	return false;
}

bool store__require_json(const json_t *v, json_type type, const char *record,
			 const char *field, struct bp_error **err)
{
	if (!v || json_typeof(v) == type)
		return true;
	bp_error_set(err, BP_ERR_INVALID, NULL, NULL,
		     "%s of %s is %s, expected %s", field, record,
		     json_type_name(json_typeof(v)), json_type_name(type));
	return false;
}

#define DEPLOYMENT_ID_MAX 200

bool store_deployment_id_valid(const char *id)
{
	size_t n = id ? strlen(id) : 0;

	if (n == 0 || n > DEPLOYMENT_ID_MAX || id[0] == '.' || id[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!g_ascii_isalnum(id[i]) && !strchr("._-", id[i]))
			return false;
	return true;
}

bool store__check_deployment_id(const char *id, struct bp_error **err)
{
	if (store_deployment_id_valid(id))
		return true;
	bp_error_set(err, BP_ERR_INVALID, NULL, NULL,
		     "invalid deployment id '%s': expected 1 to %d letters, "
		     "digits, '.', '-' or '_', not starting with '.' or '-'",
		     id ? id : "", DEPLOYMENT_ID_MAX);
	return false;
}

char *store__uuid_new(void)
{
	uuid_t u;
	char text[37];

	uuid_generate_random(u);
	uuid_unparse_lower(u, text);
	return g_strdup(text);
}

/* ---- The handle ------------------------------------------------------- */

/* Takes ownership of `be`; refuses a backend built for another table. */
static bool adopt_backend(struct store_backend *be, const char *state_dir,
			  struct store **out, struct bp_error **err)
{
	struct store *s;

	if (be->version != STORE_BACKEND_VERSION) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL,
			     "store backend '%s' implements table version %u; "
			     "this blueprint needs %u", be->name, be->version,
			     STORE_BACKEND_VERSION);
		be->free(be);
		return false;
	}
	s = g_new0(struct store, 1);
	s->be = be;
	s->state_dir = g_strdup(state_dir);
	g_rec_mutex_init(&s->mutex);
	*out = s;
	return true;
}

bool store_open(const char *state_dir, struct store **out,
		struct bp_error **err)
{
	struct store_backend *be = NULL;

	if (g_mkdir_with_parents(state_dir, 0700) < 0) {
		bp_error_set(err, BP_ERR_IO, NULL, NULL,
			     "cannot create state directory '%s': %s",
			     state_dir, g_strerror(errno));
		return false;
	}
	if (!store_sqlite_open(state_dir, &be, err))
		return bp_error_prefix(err, "cannot open state directory '%s'",
				       state_dir);
	return adopt_backend(be, state_dir, out, err);
}

void store_free(struct store *s)
{
	if (!s)
		return;
	if (s->tx_depth)
		g_critical("store_free with a transaction open");
	s->be->free(s->be);
	bp_mask_free(s->mask);
	g_rec_mutex_clear(&s->mutex);
	g_free(s->state_dir);
	g_free(s);
}

const char *store_state_dir(const struct store *s)
{
	return s->state_dir;
}

bool store_check(struct store *s, struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = store__hold(s);

	return s->be->check(s->be, err);
}

/* ---- Transactions ----------------------------------------------------- */

bool store_begin(struct store *s, struct bp_error **err)
{
	g_rec_mutex_lock(&s->mutex);      /* kept until the transaction ends */
	if (!s->be->begin(s->be, err)) {
		g_rec_mutex_unlock(&s->mutex);
		return false;
	}
	s->tx_owner = g_thread_self();
	s->tx_depth++;
	return true;
}

/* With the mutex held once more by the caller: true when this thread has
 * a transaction open. */
static bool tx_mine(struct store *s)
{
	return s->tx_depth > 0 && s->tx_owner == g_thread_self();
}

/* Closes one transaction level: drops the caller's extra hold and the
 * one store_begin() took. */
static void tx_end_level(struct store *s)
{
	if (--s->tx_depth == 0)
		s->tx_owner = NULL;
	g_rec_mutex_unlock(&s->mutex);
	g_rec_mutex_unlock(&s->mutex);
}

bool store_commit(struct store *s, struct bp_error **err)
{
	bool ok;

	g_rec_mutex_lock(&s->mutex);
	if (!tx_mine(s)) {
		g_rec_mutex_unlock(&s->mutex);
		bp_error_set(err, BP_ERR_GENERIC, NULL, NULL,
			     "cannot commit: this thread has no transaction "
			     "open");
		return false;
	}
	ok = s->be->commit(s->be, err);
	tx_end_level(s);
	return ok;
}

void store_rollback(struct store *s)
{
	g_rec_mutex_lock(&s->mutex);
	if (!tx_mine(s)) {
		g_rec_mutex_unlock(&s->mutex);
		g_critical("store_rollback: this thread has no transaction open");
		return;
	}
	s->be->rollback(s->be);
	tx_end_level(s);
}

bool store_transact(struct store *s, store_txn_fn fn, void *data,
		    struct bp_error **err)
{
	if (!store_begin(s, err))
		return false;
	if (!fn(s, data, err)) {
		store_rollback(s);
		return false;
	}
	return store_commit(s, err);
}
