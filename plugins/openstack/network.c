/* network.c: Neutron networks, subnets and floating IPs. A subnet needs
 * its network (resource_config.network_id, an id or a name); a floating IP
 * comes from floating_network_id or floating_network_name, else the one
 * external network there is, and may be bound to a port at once
 * (resource_config.port_id) or later (floating_ip.update with args). */
#include <string.h>
#include <glib.h>

#include "os.h"

static void publish_network(bp_ctx *ctx, struct os_conn *c, const json_t *res)
{
	(void)c;
	os_ctx_set(ctx, "subnets", json_object_get(res, "subnets"));
}

const struct os_kind os_kind_network = {
	.name = "network", .svc = OS_NETWORK, .path = "/networks",
	.key = "network", .plural = "networks", .label = "network",
	.v2_key = "network", .tags = true, .named = true,
	.publish = publish_network,
};

static int prepare_subnet(bp_ctx *ctx, struct os_conn *c,
			  const struct os_kind *k, json_t *body)
{
	(void)k;
	if (!os_json_str(body, "network_id") && os_related_id(ctx, "network"))
		json_object_set_new(body, "network_id",
				    json_string(os_related_id(ctx, "network")));
	if (!os_json_str(body, "network_id"))
		return bp_fail_fatal(ctx, "subnet: resource_config.network_id "
				     "(the network's id or name) is required");
	if (!json_object_get(body, "ip_version"))
		json_object_set_new(body, "ip_version", json_integer(4));
	return os_res_resolve_field(ctx, c, body, "network_id", NULL,
			     &os_kind_network);
}

static void publish_subnet(bp_ctx *ctx, struct os_conn *c, const json_t *res)
{
	(void)c;
	bp_runtime_set_string(ctx, "network_id", os_json_str(res, "network_id"));
	bp_runtime_set_string(ctx, "cidr", os_json_str(res, "cidr"));
}

const struct os_kind os_kind_subnet = {
	.name = "subnet", .svc = OS_NETWORK, .path = "/subnets",
	.key = "subnet", .plural = "subnets", .label = "subnet",
	.v2_key = "subnet", .tags = true, .named = true,
	.prepare = prepare_subnet, .publish = publish_subnet,
};

static int prepare_fip(bp_ctx *ctx, struct os_conn *c,
		       const struct os_kind *k, json_t *body)
{
	g_autofree char *net = NULL;
	const char *hint = os_json_str(body, "floating_network_id");
	int rc = BP_OK;

	(void)k;
	if (!hint)
		hint = os_json_str(body, "floating_network_name");
	if (!hint)
		hint = os_related_id(ctx, "network");
	net = os_external_network(c, ctx, hint, &rc);
	if (!net)
		return rc;
	json_object_del(body, "floating_network_name");
	json_object_set_new(body, "floating_network_id", json_string(net));
	return os_res_resolve_field(ctx, c, body, "port_id", NULL,
				    &os_kind_port);
}

static void publish_fip(bp_ctx *ctx, struct os_conn *c, const json_t *res)
{
	(void)c;
	bp_runtime_set_string(ctx, "floating_ip_address",
			      os_json_str(res, "floating_ip_address"));
	bp_runtime_set_string(ctx, "name",
			      os_json_str(res, "floating_ip_address"));
	os_ctx_set(ctx, "port_id", json_object_get(res, "port_id"));
	os_ctx_set(ctx, "floating_network_id",
		   json_object_get(res, "floating_network_id"));
}

const struct os_kind os_kind_floating_ip = {
	.name = "floatingip", .svc = OS_NETWORK, .path = "/floatingips",
	.key = "floatingip", .plural = "floatingips", .label = "floating IP",
	.v2_key = "floatingip", .name_field = "floating_ip_address",
	.tags = true, .describe = true,
	.prepare = prepare_fip, .publish = publish_fip,
};
