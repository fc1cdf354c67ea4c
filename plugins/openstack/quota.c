/* quota.c: a project's quotas, by service as Cloudify's Project gives
 * them ({compute: {instances: 4}, network: {port: 20}, volume: {...}}):
 * Nova's and Cinder's os-quota-sets, Neutron's quotas. The project's start
 * sets the `quota` property (and the quota_dict input); update_quota sets
 * its `quota` input; get_quota reads all three into the `quota` runtime
 * property, which the other two refresh too. */
#include <string.h>
#include <glib.h>

#include "os.h"

int os_project_update_quota(bp_ctx *ctx);
int os_project_get_quota(bp_ctx *ctx);

static const struct quota_service {
	const char *name;   /* the key in the blueprint's quota map */
	enum os_service svc;
	const char *path;   /* followed by the project's id */
	const char *key;    /* the body's object */
} services[] = {
	{ "compute", OS_COMPUTE, "/os-quota-sets/", "quota_set" },
	{ "network", OS_NETWORK, "/quotas/", "quota" },
	{ "volume", OS_VOLUME, "/os-quota-sets/", "quota_set" },
};

static const struct quota_service *service_named(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(services); i++)
		if (!strcmp(services[i].name, name))
			return &services[i];
	return NULL;
}

/* Reads every service's quotas of project `id` into the `quota` runtime
 * property. A service the catalog lacks is left out. */
static int read_quota(bp_ctx *ctx, struct os_conn *c, const char *id)
{
	json_t *all = json_object();
	int rc = BP_OK;

	for (size_t i = 0; i < G_N_ELEMENTS(services) && rc == BP_OK; i++) {
		const struct quota_service *s = &services[i];
		g_autofree char *path = g_strconcat(s->path, id, NULL);
		g_autofree char *url = NULL, *err = NULL;
		struct os_reply r = { 0 };
		bool fatal;

		if (!(url = os_conn_endpoint(c, ctx, s->svc, &err, &fatal)))
			continue;
		if (os_call(c, ctx, s->svc, "GET", path, NULL, &r))
			json_object_set(all, s->name,
					json_object_get(r.body, s->key));
		else
			rc = os_reply_fail(ctx, &r, "reading quotas");
		os_reply_clear(&r);
	}
	if (rc == BP_OK)
		os_ctx_set(ctx, "quota", all);
	json_decref(all);
	return rc;
}

int os_project_apply_quota(bp_ctx *ctx, struct os_conn *c, const char *id,
			   const json_t *quota)
{
	const char *name;
	json_t *values;

	json_object_foreach((json_t *)quota, name, values) {
		const struct quota_service *s = service_named(name);
		g_autofree char *path = NULL;
		struct os_reply r = { 0 };
		json_t *body;
		int rc = BP_OK;

		if (!s || !json_is_object(values))
			return bp_fail_fatal(ctx, "quota: expected compute, "
					     "network or volume, each a map of "
					     "limits, not '%s'", name);
		if (!json_object_size(values))
			continue;
		path = g_strconcat(s->path, id, NULL);
		body = json_pack("{sO}", s->key, values);
		if (!os_call(c, ctx, s->svc, "PUT", path, body, &r)) {
			g_autofree char *what = g_strdup_printf(
				"setting the %s quota of project '%s'", name,
				id);
			rc = os_reply_fail(ctx, &r, what);
		}
		json_decref(body);
		os_reply_clear(&r);
		if (rc != BP_OK)
			return rc;
	}
	return read_quota(ctx, c, id);
}

int os_project_update_quota(bp_ctx *ctx)
{
	const char *id;
	json_t *quota;
	int rc = BP_OK;
	struct os_conn *c = os_ctx_made(ctx, "project", &id, &rc);

	if (!c)
		return rc;
	quota = os_ctx_value(ctx, "quota");
	rc = os_project_apply_quota(ctx, c, id, json_is_object(quota) ?
				    quota : NULL);
	json_decref(quota);
	return rc;
}

int os_project_get_quota(bp_ctx *ctx)
{
	const char *id;
	int rc = BP_OK;
	struct os_conn *c = os_ctx_made(ctx, "project", &id, &rc);

	return c ? read_quota(ctx, c, id) : rc;
}
