/* share.c: Manila shares and share networks (shared file systems v2, with
 * the microversion OS_MANILA_MICROVERSION). A share (size, share_proto,
 * share_type or the deprecated volume_type, share_network by id or name or
 * the share network the node has a relationship to) is created, waited
 * for until available ("error" fails), marked by the blueprint_instance
 * metadata key, deleted and waited for until Manila answers 404; its export
 * locations become the runtime properties export_locations (every path) and
 * export_location (the preferred one). A share network takes its Neutron
 * network and subnet from resource_config or from its relationships; it
 * has no status to wait for. */
#include <string.h>
#include <glib.h>

#include "os.h"

/* Replaces cfg[key] (an id or a name of kind k, else the related
 * instance's id of kind k) by its id. */
static int resolve(bp_ctx *ctx, struct os_conn *c, json_t *cfg,
		   const char *key, const char *from, const struct os_kind *k)
{
	const char *v = os_json_str(cfg, from);
	g_autofree char *id = NULL;
	int rc = BP_OK;

	if (!v || !*v)
		v = os_related_id(ctx, k->name);
	if (!v || !*v)
		return BP_OK;
	if (!(id = os_res_resolve(c, ctx, k, v, &rc)))
		return rc;
	json_object_del(cfg, from);
	json_object_set_new(cfg, key, json_string(id));
	return BP_OK;
}

static int prepare_share(bp_ctx *ctx, struct os_conn *c,
			 const struct os_kind *k, json_t *body)
{
	(void)k;
	if (!json_object_get(body, "size") || !os_json_str(body, "share_proto"))
		return bp_fail_fatal(ctx, "share: resource_config.size and "
				     "share_proto are required");
	if (os_json_str(body, "volume_type") && !os_json_str(body, "share_type"))
		json_object_set(body, "share_type",
				json_object_get(body, "volume_type"));
	json_object_del(body, "volume_type");
	if (!os_json_str(body, "share_network"))
		json_object_del(body, "share_network");
	return resolve(ctx, c, body, "share_network_id", "share_network",
		       &os_kind_share_network);
}

static void publish_share(bp_ctx *ctx, struct os_conn *c, const json_t *res)
{
	g_autofree char *path = g_strdup_printf(
		"/shares/%s/export_locations", os_json_str(res, "id"));
	struct os_reply r = { 0 };
	json_t *paths = json_array(), *loc;
	const char *preferred = NULL;
	size_t i;

	os_ctx_set(ctx, "size", json_object_get(res, "size"));
	bp_runtime_set_string(ctx, "share_proto",
			      os_json_str(res, "share_proto"));
	bp_runtime_set_string(ctx, "status", os_json_str(res, "status"));
	if (os_call(c, ctx, OS_SHARE, "GET", path, NULL, &r)) {
		json_array_foreach(json_object_get(r.body, "export_locations"),
				   i, loc) {
			json_array_append(paths, json_object_get(loc, "path"));
			if (!preferred || json_is_true(json_object_get(
						loc, "preferred")))
				preferred = os_json_str(loc, "path");
		}
		bp_runtime_set_string(ctx, "export_location", preferred);
	} else {
		bp_log(ctx, BP_LOG_WARNING, "cannot read the export locations "
		       "of share '%s': %s", os_json_str(res, "id"), r.error);
	}
	os_ctx_set(ctx, "export_locations", paths);
	json_decref(paths);
	os_reply_clear(&r);
}

const struct os_kind os_kind_share = {
	.name = "share", .svc = OS_SHARE, .path = "/shares",
	.list_path = "/shares/detail", .key = "share", .plural = "shares",
	.label = "share", .status = "status", .ready = "available",
	.failed = "error", .wait_delete = true, .marker = "metadata",
	.named = true, .prepare = prepare_share, .publish = publish_share,
};

static int prepare_share_network(bp_ctx *ctx, struct os_conn *c,
				 const struct os_kind *k, json_t *body)
{
	int rc;

	(void)k;
	rc = resolve(ctx, c, body, "neutron_net_id", "neutron_net_id",
		     &os_kind_network);
	if (rc != BP_OK)
		return rc;
	return resolve(ctx, c, body, "neutron_subnet_id", "neutron_subnet_id",
		       &os_kind_subnet);
}

static void publish_share_network(bp_ctx *ctx, struct os_conn *c,
				  const json_t *res)
{
	/* from 2.51 in its first (default) subnet */
	const json_t *sub = json_array_get(json_object_get(res,
					"share_network_subnets"), 0);

	(void)c;
	if (!sub)
		sub = res;
	os_ctx_set(ctx, "neutron_net_id", json_object_get(sub,
							  "neutron_net_id"));
	os_ctx_set(ctx, "neutron_subnet_id",
		   json_object_get(sub, "neutron_subnet_id"));
}

const struct os_kind os_kind_share_network = {
	.name = "share_network", .svc = OS_SHARE, .path = "/share-networks",
	.list_path = "/share-networks/detail", .key = "share_network",
	.plural = "share_networks", .label = "share network", .named = true,
	.prepare = prepare_share_network, .publish = publish_share_network,
};
