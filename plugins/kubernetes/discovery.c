/* discovery.c: apiVersion + kind -> the resource's plural name and scope,
 * from the API server's discovery documents (/api/v1, /apis/GROUP/VERSION:
 * the APIResourceList of one group version), as kubectl's RESTMapper
 * does. Each document is fetched when first needed and kept per server
 * for the life of the plugin (all threads share it, under a lock); a kind
 * missing from a kept document makes one fresh fetch, so a custom
 * resource works as soon as its CustomResourceDefinition is established. */
#include "kube.h"

#include <string.h>

static GMutex cache_lock;
static GHashTable *cache; /* "server\ngroupVersion" -> json_t resources */

void kube_kind_clear(struct kube_kind *k)
{
	g_free(k->group_version);
	g_free(k->plural);
	memset(k, 0, sizeof(*k));
}

void kube_discovery_reset(void)
{
	g_mutex_lock(&cache_lock);
	g_clear_pointer(&cache, g_hash_table_unref);
	g_mutex_unlock(&cache_lock);
}

/* Finds `kind` in the cached list of `key`: true with *out filled. */
static bool lookup(const char *key, const char *gv, const char *kind,
		   struct kube_kind *out)
{
	json_t *list, *r;
	size_t i;
	bool found = false;

	g_mutex_lock(&cache_lock);
	list = cache ? g_hash_table_lookup(cache, key) : NULL;
	json_array_foreach(list, i, r) {
		const char *name = json_string_value(json_object_get(r, "name"));

		if (!name || strchr(name, '/') ||
		    g_strcmp0(json_string_value(json_object_get(r, "kind")), kind))
			continue;
		out->group_version = g_strdup(gv);
		out->plural = g_strdup(name);
		out->namespaced = json_is_true(json_object_get(r, "namespaced"));
		found = true;
		break;
	}
	g_mutex_unlock(&cache_lock);
	return found;
}

/* Fetches the discovery document of `gv` into the cache. Returns BP_OK
 * (also when the server does not serve that group version: the cache then
 * holds an empty list) or the failure. */
static int fetch(struct kube_conn *c, const char *key, const char *gv)
{
	g_autofree char *url = strchr(gv, '/')
		? g_strdup_printf("%s/apis/%s", c->auth.server, gv)
		: g_strdup_printf("%s/api/%s", c->auth.server, gv);
	g_autofree char *what = g_strdup_printf("discovery of API group version '%s'", gv);
	struct http_request req = { .method = "GET", .url = url, .bearer = c->auth.token,
				    .idempotent = true, .ctx = c->ctx };
	struct http_response resp;
	json_t *list;

	http_send(c->http, &req, &resp);
	if (resp.status == 404) {
		list = json_array();
	} else if (resp.status == 200) {
		g_autoptr(json_t) doc = http_response_json(&resp);
		list = json_incref(json_object_get(doc, "resources"));
		if (!json_is_array(list)) {
			json_decref(list);
			list = json_array();
		}
	} else {
		int rc = kube_api_fail(c, what, &resp);
		http_response_clear(&resp);
		return rc;
	}
	http_response_clear(&resp);
	g_mutex_lock(&cache_lock);
	if (!cache)
		cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					      (GDestroyNotify)json_decref);
	g_hash_table_replace(cache, g_strdup(key), list);
	g_mutex_unlock(&cache_lock);
	return BP_OK;
}

int kube_discover(struct kube_conn *c, const char *api_version,
		  const char *kind, struct kube_kind *out)
{
	g_autofree char *key = g_strdup_printf("%s\n%s", c->auth.server, api_version);
	bool cached;
	int rc;

	memset(out, 0, sizeof(*out));
	if (lookup(key, api_version, kind, out))
		return BP_OK;
	g_mutex_lock(&cache_lock);
	cached = cache && g_hash_table_contains(cache, key);
	g_mutex_unlock(&cache_lock);
	bp_log(c->ctx, BP_LOG_DEBUG, "discovering '%s' on %s%s", api_version,
	       c->auth.server, cached ? " again (kind not found)" : "");
	rc = fetch(c, key, api_version);
	if (rc != BP_OK)
		return rc;
	if (lookup(key, api_version, kind, out))
		return BP_OK;
	return bp_fail(c->ctx, "the API server %s has no kind '%s' in '%s' (a custom "
		       "resource needs its CustomResourceDefinition first)",
		       c->auth.server, kind, api_version);
}
