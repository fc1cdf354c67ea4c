/*
 * services.c: Filestore instances (file.googleapis.com v1) and GKE
 * clusters (container.googleapis.com v1), in the zone of gcp_config or the
 * node's `zone`.
 *
 * Filestore {name, tier (BASIC_HDD), capacity_gb (1024), share_name
 * (share), network, labels}: runtime properties ip_address, share,
 * nfs_export ("IP:/share"), tier, capacity_gb.
 *
 * KubernetesCluster {name, initial_node_count, machine_type, labels,
 * network/subnetwork, additional_settings}: runtime properties endpoint
 * (the API server's address, as GKE gives it), api_server
 * ("https://ENDPOINT"), ca_cert (PEM) and ca_cert_base64 (as GKE gives it;
 * also as masterAuth.clusterCaCertificate, where Cloudify's plugin has it),
 * api_options ({host, ssl_ca_cert}: Cloudify's kubernetes
 * client_config.configuration.api_options), location,
 * current_master_version, gcp_kind "cluster". Kubernetes resources related
 * to the cluster node reach it with those and a Google access token for
 * the node's credentials (plugins/kubernetes/google.c).
 */
#include "gcp.h"

#include <string.h>

static const char *base_name(const char *s)
{
	return strrchr(s, '/') ? strrchr(s, '/') + 1 : s;
}

static json_t *filestore_body(struct gcp *g, const char *name, int *rc)
{
	const char *tier = gcp_str(g, "tier");
	const char *share = gcp_str(g, "share_name");
	const char *net = gcp_link(g, "network");
	json_t *labels = gcp_prop(g, "labels");
	int64_t cap = 1024;

	(void)name;
	(void)rc;
	gcp_int(g, "capacity_gb", &cap);
	if (!net)
		net = gcp_str(g, "network");
	return json_pack("{s:s, s:[{s:s, s:I}], s:[{s:s, s:[s]}], s:o}",
			 "tier", tier ? tier : "BASIC_HDD",
			 "fileShares", "name", share ? share : "share",
			 "capacityGb", (json_int_t)cap,
			 "networks", "network", base_name(net ? net : g->network),
			 "modes", "MODE_IPV4",
			 "labels", json_is_object(labels) ? labels : json_object());
}

static char *filestore_insert_path(struct gcp *g, const char *coll,
				   const char *name)
{
	(void)g;
	return g_strdup_printf("%s?instanceId=%s", coll, name);
}

static void filestore_publish(struct gcp *g, json_t *res)
{
	json_t *share = json_array_get(json_object_get(res, "fileShares"), 0);
	json_t *net = json_array_get(json_object_get(res, "networks"), 0);
	const char *ip = json_string_value(json_array_get(
		json_object_get(net, "ipAddresses"), 0));
	const char *sname = json_string_value(json_object_get(share, "name"));
	const char *cap = json_string_value(json_object_get(share, "capacityGb"));

	if (ip)
		bp_runtime_set_string(g->ctx, "ip_address", ip);
	if (sname)
		bp_runtime_set_string(g->ctx, "share", sname);
	if (ip && sname) {
		g_autofree char *exp = g_strdup_printf("%s:/%s", ip, sname);

		bp_runtime_set_string(g->ctx, "nfs_export", exp);
	}
	if (cap)
		bp_runtime_set_string(g->ctx, "capacity_gb", cap);
	bp_runtime_set_string(g->ctx, "tier",
			      json_string_value(json_object_get(res, "tier")));
}

const struct gcp_kind gcp_filestore = {
	.name = "filestore", .api = GCP_FILE, .scope = GCP_LOCATION,
	.collection = "instances", .owner_field = "labels",
	.status_field = "state", .ready = "READY",
	.body = filestore_body, .insert_path = filestore_insert_path,
	.publish = filestore_publish,
};

static json_t *cluster_body(struct gcp *g, const char *name, int *rc)
{
	const char *mt = gcp_str(g, "machine_type");
	const char *net = gcp_link(g, "network");
	const char *sub = gcp_link(g, "subnetwork");
	json_t *labels = gcp_prop(g, "labels");
	json_t *body;
	int64_t count = 1;

	(void)rc;
	gcp_int(g, "initial_node_count", &count);
	body = json_pack("{s:s, s:I, s:{s:s, s:[s]}, s:o}", "name", name,
			 "initialNodeCount", (json_int_t)count,
			 "nodeConfig", "machineType", mt ? mt : "e2-medium",
			 "oauthScopes", GAUTH_SCOPE_CLOUD,
			 "resourceLabels", json_is_object(labels) ? labels :
			 json_object());
	if (net)
		json_object_set_new(body, "network", json_string(base_name(net)));
	if (sub)
		json_object_set_new(body, "subnetwork", json_string(base_name(sub)));
	return gcp_with_settings(g, body);
}

static void cluster_publish(struct gcp *g, json_t *res)
{
	const char *ep = json_string_value(json_object_get(res, "endpoint"));
	const char *ca = json_string_value(json_object_get(
		json_object_get(res, "masterAuth"), "clusterCaCertificate"));
	const char *ver = json_string_value(json_object_get(res,
						"currentMasterVersion"));

	if (ep) {
		g_autofree char *url = g_strdup_printf("https://%s", ep);

		bp_runtime_set_string(g->ctx, "endpoint", ep);
		bp_runtime_set_string(g->ctx, "api_server", url);
	}
	if (ca) {
		gsize n = 0;
		g_autofree guchar *pem = g_base64_decode(ca, &n);
		g_autofree char *text = g_strndup((const char *)pem, n);

		bp_runtime_set_string(g->ctx, "ca_cert_base64", ca);
		bp_runtime_set_string(g->ctx, "ca_cert", text);
		/* Cloudify's plugin keeps the cluster resource's fields */
		bp_runtime_set_string(g->ctx, "masterAuth.clusterCaCertificate",
				      ca);
	}
	if (ep && ca) {
		/* Cloudify's kubernetes client_config.configuration.api_options */
		gsize n = 0;
		g_autofree guchar *pem = g_base64_decode(ca, &n);
		g_autofree char *host = g_strdup_printf("https://%s", ep);
		g_autofree char *text = g_strndup((const char *)pem, n);
		json_t *opts = json_pack("{s:s, s:s}", "host", host,
					 "ssl_ca_cert", text);
		char *js = json_dumps(opts, JSON_COMPACT);

		bp_runtime_set(g->ctx, "api_options", js);
		free(js);
		json_decref(opts);
	}
	if (ver)
		bp_runtime_set_string(g->ctx, "current_master_version", ver);
	bp_runtime_set_string(g->ctx, "location", g->zone);
}

const struct gcp_kind gcp_cluster = {
	.name = "cluster", .api = GCP_CONTAINER, .scope = GCP_LOCATION,
	.collection = "clusters", .owner_field = "resourceLabels",
	.status_field = "status", .ready = "RUNNING", .wrap = "cluster",
	.body = cluster_body, .publish = cluster_publish,
};
