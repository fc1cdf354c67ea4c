/* store-secret.c: the front end of secrets: checks, the handle, and the
 * backend's secret slots. Values are passed through, never logged or put
 * in a message. Contracts are in store.h. */
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
	return s->be->secret_set(s->be, key, value, g_get_real_time(), err);
}

bool store_secret_get(struct store *s, const char *key, char **value_out,
		      struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = store__hold(s);

	return s->be->secret_get(s->be, key, value_out, err);
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
