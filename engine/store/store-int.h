/* store-int.h: the front end's handle, shared by store.c and the files
 * that forward each entity's calls to the backend (store-*.c, lock.c).
 *
 * Every public call takes the handle's recursive mutex for its duration
 * (store__hold()), so a backend is used by one thread at a time; a
 * transaction keeps the mutex from store_begin() to its end.
 */
#ifndef BP_STORE_STORE_INT_H
#define BP_STORE_STORE_INT_H

#include "store/backend.h"
#include "store/store.h"
#include "util/mask.h"

struct store {
	struct store_backend *be;  /* owned */
	char *state_dir;           /* owned */
	GRecMutex mutex;           /* serialises calls; held through a
				    * transaction by its thread */
	GThread *tx_owner;         /* thread with an open transaction, or NULL */
	unsigned tx_depth;         /* its nesting depth */
	struct bp_mask *mask;      /* owned: every secret value this handle
				    * has seen, loaded at the first write
				    * that masks (NULL until then); values
				    * set or read through it are added, and
				    * none is removed (store-secret.c) */
};

/* Takes the handle's mutex until the returned locker is freed; use as
 * `g_autoptr(GRecMutexLocker) hold = store__hold(s);`. */
static inline GRecMutexLocker *store__hold(struct store *s)
{
	return g_rec_mutex_locker_new(&s->mutex);
}

/* Sets BP_ERR_INVALID "FIELD is missing in RECORD" and returns false when
 * `value` is NULL; returns true otherwise. */
bool store__require(const void *value, const char *record, const char *field,
		    struct bp_error **err);

/* Fails with BP_ERR_INVALID unless `v` is NULL or of JSON type `type`. */
bool store__require_json(const json_t *v, json_type type, const char *record,
			 const char *field, struct bp_error **err);

/* Fails with BP_ERR_INVALID unless store_deployment_id_valid(id). */
bool store__check_deployment_id(const char *id, struct bp_error **err);

/* Masks `text` with every secret value (mask.h): sets *out (transfer
 * full, g_free) to the masked copy, NULL for NULL. Fails (BP_ERR_IO) only
 * when the secrets cannot be read, so nothing is written unmasked. Call
 * with the handle held. */
bool store__mask_text(struct store *s, const char *text, char **out,
		      struct bp_error **err);

/* Likewise for a JSON value: *out (transfer full, json_decref) is a masked
 * deep copy of `v`, NULL for NULL. */
bool store__mask_json(struct store *s, json_t *v, json_t **out,
		      struct bp_error **err);

/* (transfer full) a new random uuid, lowercase text. */
char *store__uuid_new(void);

#endif
