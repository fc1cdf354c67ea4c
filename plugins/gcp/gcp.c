/*
 * gcp.c: the Google Cloud plugin's operation table, its load state (one
 * HTTP client and the credentials every operation shares), the
 * relationship operation that tells a source about its target, and the
 * instances' start and stop.
 *
 * Operations are named RESOURCE.create / RESOURCE.delete (types/gcp.yaml
 * spells them gcp.RESOURCE.OPERATION), plus instance.start, instance.stop,
 * group.resize and relationship.link / relationship.unlink.
 */
#include "gcp.h"

#include <string.h>

static bool gcp_load(const struct bp_api *api, void **state, char **errmsg)
{
	struct gcp_state *st = g_new0(struct gcp_state, 1);
	g_autofree char *err = NULL;

	st->client = http_client_new("blueprint-gcp/0.1", NULL, &err);
	if (!st->client) {
		*errmsg = api->strdupf("gcp: %s", err);
		g_free(st);
		return false;
	}
	st->pool = gauth_pool_new();
	*state = st;
	return true;
}

static void gcp_unload(void *state)
{
	struct gcp_state *st = state;

	if (!st)
		return;
	gauth_pool_free(st->pool);
	http_client_free(st->client);
	g_free(st);
}

/* relationship.link (source preconfigure): the source learns its target's
 * selfLink as runtime links.KIND (the target's gcp_kind), and, from an
 * instance template, its sizes, from Filestore its NFS export (which
 * instances get as metadata nfs-export). */
int gcp_link_op(bp_ctx *ctx)
{
	bp_ctx *src = bp_source(ctx), *tgt = bp_target(ctx);
	const char *kind = tgt ? bp_get_string(tgt, BP_SCOPE_RUNTIME, "gcp_kind") :
		NULL;
	const char *link = kind ? bp_get_string(tgt, BP_SCOPE_RUNTIME,
						"selfLink") : NULL;
	const char *ip = kind ? bp_get_string(tgt, BP_SCOPE_RUNTIME, "address") :
		NULL;
	const char *sizes = kind ? bp_get_json(tgt, BP_SCOPE_RUNTIME, "sizes") :
		NULL;
	const char *nfs = kind ? bp_get_string(tgt, BP_SCOPE_RUNTIME,
					       "nfs_export") : NULL;
	g_autofree char *key = NULL;

	if (!src || !link)
		return BP_OK;	/* not a gcp target: nothing to learn */
	key = g_strdup_printf("links.%s", kind);
	/* an address is used by its IP, everything else by its link */
	bp_runtime_set_string(src, key, strcmp(kind, "address") == 0 && ip ?
			      ip : link);
	if (nfs)
		bp_runtime_set_string(src, "links.nfs_export", nfs);
	if (sizes) {
		bp_runtime_set(src, "links.sizes", sizes);
		bp_runtime_set_string(src, "links.default_size",
				      bp_get_string(tgt, BP_SCOPE_RUNTIME,
						    "default_size") ?: "");
	}
	return BP_OK;
}

/* relationship.unlink: forgets what link taught. */
int gcp_unlink_op(bp_ctx *ctx)
{
	bp_ctx *src = bp_source(ctx), *tgt = bp_target(ctx);
	const char *kind = tgt ? bp_get_string(tgt, BP_SCOPE_RUNTIME, "gcp_kind") :
		NULL;
	g_autofree char *key = kind ? g_strdup_printf("links.%s", kind) : NULL;

	if (src && key)
		bp_runtime_delete(src, key);
	return BP_OK;
}

static int power(struct gcp *g, bool on)
{
	const char *name = bp_get_string(g->ctx, BP_SCOPE_RUNTIME, "name");
	const char *want = on ? "RUNNING" : "TERMINATED";
	g_autofree char *path = NULL;
	g_autofree char *verb = NULL;
	g_autofree char *msg = NULL;
	g_autofree char *code = NULL;
	const char *status;
	struct gcp_reply r;
	int rc = BP_OK, st;

	if (!name)
		return BP_OK;
	st = gcp_lro_poll(g, "_power_op", &msg, &code, &rc);
	if (st < 0)
		return rc;
	if (st == GCP_LRO_PENDING)
		return bp_retry(g->ctx, 1, "instance '%s' is going %s", name,
				on ? "up" : "down");
	if (st == GCP_LRO_FAILED)
		return gcp_lro_fail(g, on ? "starting" : "stopping", msg, code);
	path = gcp_path(g, &gcp_instance, name);
	if (!gcp_call(g, GCP_COMPUTE, "GET", path, NULL, &r, &rc))
		return rc;
	status = json_string_value(json_object_get(r.body, "status"));
	if (r.status == 404 || g_strcmp0(status, want) == 0) {
		gcp_reply_clear(&r);
		return BP_OK;
	}
	gcp_reply_clear(&r);
	verb = g_strdup_printf("%s/%s", path, on ? "start" : "stop");
	if (!gcp_call(g, GCP_COMPUTE, "POST", verb, NULL, &r, &rc))
		return rc;
	if (r.status != 200)
		rc = gcp_fail_reply(g, on ? "starting" : "stopping", &r);
	else if (gcp_lro_save(g, GCP_COMPUTE, "_power_op", r.body, &rc))
		rc = bp_retry(g->ctx, 1, "instance '%s' is going %s", name,
			      on ? "up" : "down");
	gcp_reply_clear(&r);
	return rc;
}

int gcp_instance_power(bp_ctx *ctx, bool on)
{
	struct gcp g;
	int rc;

	if (!gcp_open(&g, ctx, &rc))
		return rc;
	rc = power(&g, on);
	gcp_close(&g);
	return rc;
}

#define KIND_OPS(res, kind)                                                 \
	static int op_##res##_create(bp_ctx *c) { return gcp_create(c, &kind); } \
	static int op_##res##_delete(bp_ctx *c) { return gcp_delete(c, &kind); }

KIND_OPS(network, gcp_network)
KIND_OPS(subnetwork, gcp_subnetwork)
KIND_OPS(firewall, gcp_firewall)
KIND_OPS(address, gcp_address)
KIND_OPS(global_address, gcp_global_address)
KIND_OPS(disk, gcp_disk)
KIND_OPS(template, gcp_template)
KIND_OPS(instance, gcp_instance)
KIND_OPS(group, gcp_group)
KIND_OPS(filestore, gcp_filestore)
KIND_OPS(cluster, gcp_cluster)

static int op_instance_start(bp_ctx *c) { return gcp_instance_power(c, true); }
static int op_instance_stop(bp_ctx *c) { return gcp_instance_power(c, false); }

static const struct bp_op gcp_ops[] = {
	{ "network.create", op_network_create },
	{ "network.delete", op_network_delete },
	{ "subnetwork.create", op_subnetwork_create },
	{ "subnetwork.delete", op_subnetwork_delete },
	{ "firewall.create", op_firewall_create },
	{ "firewall.delete", op_firewall_delete },
	{ "address.create", op_address_create },
	{ "address.delete", op_address_delete },
	{ "global_address.create", op_global_address_create },
	{ "global_address.delete", op_global_address_delete },
	{ "disk.create", op_disk_create },
	{ "disk.delete", op_disk_delete },
	{ "image.create", gcp_image_create },
	{ "image.delete", gcp_image_delete },
	{ "template.create", op_template_create },
	{ "template.delete", op_template_delete },
	{ "instance.create", op_instance_create },
	{ "instance.start", op_instance_start },
	{ "instance.stop", op_instance_stop },
	{ "instance.delete", op_instance_delete },
	{ "group.create", op_group_create },
	{ "group.delete", op_group_delete },
	{ "group.resize", gcp_group_resize },
	{ "filestore.create", op_filestore_create },
	{ "filestore.delete", op_filestore_delete },
	{ "cluster.create", op_cluster_create },
	{ "cluster.delete", op_cluster_delete },
	{ "relationship.link", gcp_link_op },
	{ "relationship.unlink", gcp_unlink_op },
	{ NULL, NULL },
};

/* Compute Engine limits API requests per project and region: at most 10
 * operations at once (--plugin-parallelism gcp=N changes it). */
BP_PLUGIN_DEFINE_FULL("gcp", "0.1.0", gcp_ops, gcp_load, gcp_unload, NULL,
		      10);
