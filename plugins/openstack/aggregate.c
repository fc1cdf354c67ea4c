/* aggregate.c: Nova host aggregates (admin): created with a name and an
 * availability zone, then given the node's `metadata` (Nova takes no
 * metadata in the create request, so the blueprint_instance marker goes in
 * with it right after); configure puts the `hosts` property's compute hosts
 * in it, add_hosts and remove_hosts their `hosts` input; delete takes every
 * host out first, as Nova refuses to delete an aggregate that has any.
 * Runtime properties: hosts, metadata, availability_zone. */
#include <string.h>
#include <glib.h>

#include "os.h"

int os_aggregate_configure(bp_ctx *ctx);
int os_aggregate_add_hosts(bp_ctx *ctx);
int os_aggregate_remove_hosts(bp_ctx *ctx);
int os_aggregate_delete(bp_ctx *ctx);

static void publish_hosts(bp_ctx *ctx, const json_t *res)
{
	os_ctx_set(ctx, "hosts", json_object_get(res, "hosts"));
	os_ctx_set(ctx, "metadata", json_object_get(res, "metadata"));
	os_ctx_set(ctx, "availability_zone",
		   json_object_get(res, "availability_zone"));
}

/* POST /os-aggregates/ID/action {action: args}; the aggregate it answers
 * updates the runtime properties. */
static int act(bp_ctx *ctx, struct os_conn *c, const char *id,
	       const char *action, json_t *args)
{
	g_autofree char *path = g_strdup_printf("/os-aggregates/%s/action", id);
	json_t *body = json_pack("{so}", action, args);
	struct os_reply r = { 0 };
	int rc = BP_OK;

	if (os_call(c, ctx, OS_COMPUTE, "POST", path, body, &r)) {
		publish_hosts(ctx, json_object_get(r.body, "aggregate"));
	} else {
		g_autofree char *what = g_strdup_printf(
			"host aggregate '%s': %s", id, action);
		rc = os_reply_fail(ctx, &r, what);
	}
	json_decref(body);
	os_reply_clear(&r);
	return rc;
}

static void publish_aggregate(bp_ctx *ctx, struct os_conn *c,
			      const json_t *res)
{
	g_autofree char *marker = os_res_marker(ctx);
	g_autofree char *id = os_res_id(&os_kind_host_aggregate, res);
	json_t *want = os_ctx_value(ctx, "metadata");
	json_t *have = json_object_get(res, "metadata");
	bool external = false;
	const char *k;
	json_t *v;

	publish_hosts(ctx, res);
	bp_get_bool(ctx, BP_SCOPE_RUNTIME, "external_resource", &external);
	if (external) {
		json_decref(want);
		return;
	}
	if (!json_is_object(want)) {
		json_decref(want);
		want = json_object();
	}
	json_object_set_new(want, "blueprint_instance", json_string(marker));
	json_object_foreach(want, k, v)
		if (!json_equal(v, json_object_get(have, k)))
			break;
	if (k && act(ctx, c, id, "set_metadata",
		     json_pack("{sO}", "metadata", want)) != BP_OK)
		bp_log(ctx, BP_LOG_WARNING, "host aggregate '%s': metadata "
		       "not set", id);
	json_decref(want);
}

const struct os_kind os_kind_host_aggregate = {
	.name = "host_aggregate", .svc = OS_COMPUTE, .path = "/os-aggregates",
	.key = "aggregate", .plural = "aggregates", .label = "host aggregate",
	.v2_key = "aggregate", .marker = "metadata", .mark_later = true,
	.named = true, .publish = publish_aggregate,
};

/* Adds (or removes) each of `hosts` the aggregate does not have (has);
 * removes every host it has when `hosts` is NULL (then an aggregate
 * already gone is fine). */
static int change_hosts(bp_ctx *ctx, const json_t *hosts, bool add)
{
	const char *id;
	struct os_reply r = { 0 };
	json_t *res, *have, *h;
	size_t i;
	int rc = BP_OK;
	struct os_conn *c = os_ctx_made(ctx, "host aggregate", &id, &rc);

	if (!c)
		return rc;
	if (!(res = os_res_find(c, ctx, &os_kind_host_aggregate, id, &r))) {
		if (!hosts && r.status == 404)
			rc = BP_OK;
		else
			rc = os_reply_fail(ctx, &r, "reading the host "
					   "aggregate");
		os_reply_clear(&r);
		return rc;
	}
	os_reply_clear(&r);
	have = json_object_get(res, "hosts");
	if (!hosts)
		hosts = have;
	json_array_foreach(hosts, i, h) {
		bool there = false;
		json_t *x;
		size_t j;

		if (!json_is_string(h)) {
			rc = bp_fail_fatal(ctx, "host aggregate: hosts must be "
					   "host names");
			break;
		}
		json_array_foreach(have, j, x)
			there = there || json_equal(x, h);
		if (there == add)
			continue;
		rc = act(ctx, c, id, add ? "add_host" : "remove_host",
			 json_pack("{sO}", "host", h));
		if (rc != BP_OK)
			break;
	}
	json_decref(res);
	return rc;
}

static int hosts_op(bp_ctx *ctx, bool add)
{
	json_t *hosts = os_ctx_value(ctx, "hosts");
	json_t *none = json_array();
	int rc = change_hosts(ctx, json_is_array(hosts) ? hosts : none, add);

	json_decref(none);

	json_decref(hosts);
	return rc;
}

int os_aggregate_configure(bp_ctx *ctx)
{
	bool external = false;

	bp_get_bool(ctx, BP_SCOPE_RUNTIME, "external_resource", &external);
	return external ? BP_OK : hosts_op(ctx, true);
}

int os_aggregate_add_hosts(bp_ctx *ctx)
{
	return hosts_op(ctx, true);
}

int os_aggregate_remove_hosts(bp_ctx *ctx)
{
	return hosts_op(ctx, false);
}

int os_aggregate_delete(bp_ctx *ctx)
{
	const char *id = bp_get_string(ctx, BP_SCOPE_RUNTIME, "id");
	bool external = false;
	int rc;

	bp_get_bool(ctx, BP_SCOPE_RUNTIME, "external_resource", &external);
	if (id && !external &&
	    (rc = change_hosts(ctx, NULL, false)) != BP_OK)
		return rc;
	return os_res_delete(ctx, &os_kind_host_aggregate);
}
