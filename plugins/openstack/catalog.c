/* catalog.c: where each service lives. The token's catalog gives the
 * endpoint of a service type (and its aliases: block-storage, volumev3,
 * volume; dns; sharev2) for the configured region_name and interface (public unless
 * `interface` says internal or admin); openstacksdk's per-service
 * `SERVICE_endpoint_override` (compute_endpoint_override, ...) replaces it,
 * which is also how the tests put a fault proxy in front of one service.
 * The plugin's paths are relative to each service's versioned root, made
 * here. Nova's microversion is negotiated once per connection from its
 * version document. */
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "os.h"
#include "conn.h"

static const char *const identity_types[] = { "identity", NULL };
static const char *const compute_types[] = { "compute", NULL };
static const char *const network_types[] = { "network", NULL };
static const char *const image_types[] = { "image", NULL };
static const char *const volume_types[] = { "block-storage", "volumev3",
					    "volume", NULL };
static const char *const dns_types[] = { "dns", NULL };
static const char *const share_types[] = { "sharev2",
					   "shared-file-system", NULL };
static const char *const *const service_types[OS_SERVICE_LAST] = {
	identity_types, compute_types, network_types, image_types,
	volume_types, dns_types, share_types,
};

char *os_catalog_find(const json_t *catalog, const char *const *types,
		      const char *region, const char *interface)
{
	size_t i, j;
	json_t *svc, *ep;

	if (!interface)
		interface = "public";
	if (g_str_has_suffix(interface, "URL"))  /* publicURL, internalURL */
		interface = g_str_has_prefix(interface, "internal") ?
			"internal" : g_str_has_prefix(interface, "admin") ?
			"admin" : "public";
	for (const char *const *t = types; *t; t++) {
		json_array_foreach((json_t *)catalog, i, svc) {
			if (g_strcmp0(os_json_str(svc, "type"), *t))
				continue;
			json_array_foreach(json_object_get(svc, "endpoints"),
					   j, ep) {
				const char *r = os_json_str(ep, "region_id");
				if (!r)
					r = os_json_str(ep, "region");
				if (g_strcmp0(os_json_str(ep, "interface"),
					      interface) ||
				    (region && g_strcmp0(r, region)))
					continue;
				return g_strdup(os_json_str(ep, "url"));
			}
		}
	}
	return NULL;
}

char *os_catalog_versioned(enum os_service svc, const char *url,
			   const char *project_id)
{
	g_autofree char *u = g_strdup(url);
	size_t n = strlen(u);
	char *p;

	while (n && u[n - 1] == '/')
		u[--n] = '\0';
	p = strstr(u, "%(project_id)s");
	if (!p)
		p = strstr(u, "$(project_id)s");
	if (p) {
		*p = '\0';
		return g_strdup_printf("%s%s%s", u, project_id ? project_id : "",
				       p + strlen("%(project_id)s"));
	}
	switch (svc) {
	case OS_NETWORK:
		return g_str_has_suffix(u, "/v2.0") ? g_steal_pointer(&u) :
			g_strdup_printf("%s/v2.0", u);
	case OS_IMAGE:
		return g_str_has_suffix(u, "/v2") ? g_steal_pointer(&u) :
			g_strdup_printf("%s/v2", u);
	case OS_COMPUTE:
		return g_str_has_suffix(u, "/v2.1") ||
		       g_str_has_suffix(u, "/v2") ? g_steal_pointer(&u) :
			g_strdup_printf("%s/v2.1", u);
	case OS_VOLUME:
		return strstr(u, "/v3") ? g_steal_pointer(&u) :
			g_strdup_printf("%s/v3/%s", u,
					project_id ? project_id : "");
	case OS_DNS:
		return g_str_has_suffix(u, "/v2") ? g_steal_pointer(&u) :
			g_strdup_printf("%s/v2", u);
	case OS_SHARE:  /* ".../v2" or ".../v2/PROJECT" (older catalogs) */
		return strstr(u, "/v2") ? g_steal_pointer(&u) :
			g_strdup_printf("%s/v2", u);
	case OS_IDENTITY:
		return g_str_has_suffix(u, "/v3") ? g_steal_pointer(&u) :
			g_strdup_printf("%s/v3", u);
	default:
		return g_steal_pointer(&u);
	}
}

/* `compute_endpoint_override`, `block_storage_endpoint_override`, ... for
 * any alias of the service. */
static const char *override(const json_t *cfg, enum os_service svc)
{
	for (const char *const *t = service_types[svc]; *t; t++) {
		g_autofree char *k = g_strdup_printf("%s_endpoint_override",
						     *t);
		g_strdelimit(k, "-", '_');
		if (os_config_str(cfg, k))
			return os_config_str(cfg, k);
	}
	return NULL;
}

char *os_catalog_endpoint(const json_t *cfg, const json_t *catalog,
			  enum os_service svc, const char *project_id,
			  char **errmsg)
{
	g_autofree char *url = NULL;
	const char *region = os_config_str(cfg, "region_name");
	const char *interface = os_config_str(cfg, "interface");

	*errmsg = NULL;
	url = g_strdup(override(cfg, svc));
	if (!url)
		url = os_catalog_find(catalog, service_types[svc], region,
				      interface);
	if (url)
		return os_catalog_versioned(svc, url, project_id);
	*errmsg = g_strdup_printf("the service catalog has no '%s' endpoint "
				  "(region '%s', interface '%s')",
				  service_types[svc][0],
				  region ? region : "any",
				  interface ? interface : "public");
	return NULL;
}

char *os_conn_endpoint(struct os_conn *c, bp_ctx *ctx, enum os_service svc,
		       char **errmsg, bool *fatal)
{
	bool authenticated;
	char *out;

	/* the catalog comes with the first token; renewing it is the
	 * request's business (os_call), not the lookup's */
	*errmsg = NULL;
	*fatal = false;
	g_mutex_lock(&c->lock);
	authenticated = c->token != NULL;
	g_mutex_unlock(&c->lock);
	if (!authenticated) {
		g_autofree char *token = os_conn_token(c, ctx, NULL, errmsg,
						       fatal);
		if (!token)
			return NULL;
	}
	g_mutex_lock(&c->lock);
	out = os_catalog_endpoint(c->cfg, c->catalog, svc, c->project_id,
				  errmsg);
	g_mutex_unlock(&c->lock);
	if (!out)
		*fatal = true;
	return out;
}

/* "2.93" > "2.79"? */
static int mv_cmp(const char *a, const char *b)
{
	unsigned am = 0, an = 0, bm = 0, bn = 0;

	sscanf(a, "%u.%u", &am, &an);
	sscanf(b, "%u.%u", &bm, &bn);
	return am != bm ? (am > bm) - (am < bm) : (an > bn) - (an < bn);
}

char *os_nova_version_pick(const json_t *doc)
{
	const json_t *v = json_object_get(doc, "version");
	const char *max = os_json_str(v, "version");
	const char *min = os_json_str(v, "min_version");

	if (!max || !*max)  /* no microversions: 2.1 is the base API */
		return g_strdup("2.1");
	if (mv_cmp(max, OS_NOVA_MICROVERSION) > 0)
		max = OS_NOVA_MICROVERSION;
	if (min && *min && mv_cmp(max, min) < 0)
		max = min;
	return g_strdup(max);
}

const char *os_conn_nova_version(struct os_conn *c, bp_ctx *ctx)
{
	struct os_reply r = { 0 };
	const char *out;

	g_mutex_lock(&c->lock);
	out = c->nova_version;
	g_mutex_unlock(&c->lock);
	if (out)
		return out;
	/* GET the root of the versioned endpoint: {"version": {...}} */
	if (os_call(c, ctx, OS_COMPUTE, "GET", "/", NULL, &r)) {
		g_autofree char *pick = os_nova_version_pick(r.body);
		g_mutex_lock(&c->lock);
		if (!c->nova_version)
			c->nova_version = g_steal_pointer(&pick);
		out = c->nova_version;
		g_mutex_unlock(&c->lock);
		if (ctx)
			bp_log(ctx, BP_LOG_DEBUG, "nova: microversion %s", out);
	}
	os_reply_clear(&r);
	return out ? out : "2.1";
}
