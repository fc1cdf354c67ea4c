/* store-secret.c: the front end of secrets: checks, the handle, and the
 * backend's secret slots. Values are passed through, never logged or put
 * in a message. Contracts are in store.h.
 *
 * Also the handle's mask (store-int.h): every secret value, read once at
 * the first write that masks, then kept current with what this handle sets
 * and reads. A secret another process sets later is added when this
 * handle reads it (a plugin can only log what it was given, and it is
 * given secrets through this handle); a deleted one stays masked. */
#include "store/store-int.h"

bool store_secret_set(struct store *s, const char *key, const char *value,
		      struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = NULL;

	if (!key || !*key || !value) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL,
			     "a secret needs a non-empty key and a value");
		return false;
	}
	hold = store__hold(s);
	if (!s->be->secret_set(s->be, key, value, g_get_real_time(), err))
		return false;
	if (s->mask)
		bp_mask_add(s->mask, value);
	return true;
}

bool store_secret_get(struct store *s, const char *key, char **value_out,
		      struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = store__hold(s);

	if (!s->be->secret_get(s->be, key, value_out, err))
		return false;
	if (s->mask)
		bp_mask_add(s->mask, *value_out);
	return true;
}

bool store_secret_list(struct store *s, GPtrArray **out,
		       struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = store__hold(s);

	return s->be->secret_list(s->be, out, err);
}

bool store_secret_delete(struct store *s, const char *key,
			 struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = store__hold(s);

	return s->be->secret_delete(s->be, key, err);
}

/* Sets *out (transfer full) to a mask of every stored value. A secret
 * deleted between the listing and its reading is skipped. Call with the
 * handle held. */
static bool read_mask(struct store *s, struct bp_mask **out,
		      struct bp_error **err)
{
	g_autoptr(GPtrArray) keys = NULL;
	g_autoptr(bp_mask) m = bp_mask_new();

	if (!s->be->secret_list(s->be, &keys, err))
		return false;
	for (guint i = 0; i < keys->len; i++) {
		g_autofree char *v = NULL;
		g_autoptr(bp_error) e = NULL;
		if (s->be->secret_get(s->be, keys->pdata[i], &v, &e)) {
			bp_mask_add(m, v);
		} else if (e->code != BP_ERR_NOT_FOUND) {
			bp_error_propagate(err, g_steal_pointer(&e));
			return false;
		}
	}
	*out = g_steal_pointer(&m);
	return true;
}

bool store_secret_mask(struct store *s, struct bp_mask **out,
		       struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = store__hold(s);

	return read_mask(s, out, err);
}

/* The handle's mask, read at the first call. */
static bool have_mask(struct store *s, struct bp_error **err)
{
	return s->mask || read_mask(s, &s->mask, err);
}

bool store__mask_text(struct store *s, const char *text, char **out,
		      struct bp_error **err)
{
	if (text && !have_mask(s, err))
		return bp_error_prefix(err, "cannot mask secrets");
	*out = bp_mask_text(s->mask, text);
	return true;
}

bool store__mask_json(struct store *s, json_t *v, json_t **out,
		      struct bp_error **err)
{
	if (v && !have_mask(s, err))
		return bp_error_prefix(err, "cannot mask secrets");
	*out = bp_mask_json(s->mask, v);
	return true;
}
