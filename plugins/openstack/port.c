/* port.c: Neutron ports, and attaching them to servers. A port needs its
 * network (resource_config.network_id, id or name); the node's fixed_ip
 * property asks for that address; security groups may be given by name.
 * The relationship operations plug a port into a server (Nova's
 * os-interface) and unplug it. */
#include <string.h>
#include <glib.h>

#include "os.h"

static int prepare_port(bp_ctx *ctx, struct os_conn *c,
			const struct os_kind *k, json_t *body)
{
	const char *net = os_json_str(body, "network_id");
	const char *fixed = bp_get_string(ctx, BP_SCOPE_PROPERTIES, "fixed_ip");
	json_t *sgs = json_object_get(body, "security_groups");
	g_autofree char *id = NULL;
	json_t *sg;
	size_t i;
	int rc = BP_OK;

	(void)k;
	if (!net)
		net = os_related_id(ctx, "network");
	if (!net)
		return bp_fail_fatal(ctx, "port: resource_config.network_id "
				     "(the network's id or name) is required");
	if (!(id = os_res_resolve(c, ctx, &os_kind_network, net, &rc)))
		return rc;
	json_object_set_new(body, "network_id", json_string(id));
	if (fixed && *fixed) {
		json_t *ips = json_object_get(body, "fixed_ips");
		if (!json_is_array(ips)) {
			ips = json_array();
			json_object_set_new(body, "fixed_ips", ips);
		}
		json_array_append_new(ips, json_pack("{ss}", "ip_address",
						     fixed));
	}
	json_array_foreach(sgs, i, sg) {
		g_autofree char *sid = NULL;
		if (!json_is_string(sg))
			continue;
		sid = os_res_resolve(c, ctx, &os_kind_security_group,
				     json_string_value(sg), &rc);
		if (!sid)
			return rc;
		json_array_set_new(sgs, i, json_string(sid));
	}
	return BP_OK;
}

static void publish_port(bp_ctx *ctx, struct os_conn *c, const json_t *res)
{
	json_t *ips = json_object_get(res, "fixed_ips");
	const char *ip = os_json_str(json_array_get(ips, 0), "ip_address");

	(void)c;
	bp_runtime_set_string(ctx, "network_id", os_json_str(res, "network_id"));
	bp_runtime_set_string(ctx, "mac_address",
			      os_json_str(res, "mac_address"));
	if (ip) {
		bp_runtime_set_string(ctx, "fixed_ip_address", ip);
		bp_runtime_set_string(ctx, "ipv4_address", ip);
	}
	os_ctx_set(ctx, "fixed_ips", ips);
}

const struct os_kind os_kind_port = {
	.name = "port", .svc = OS_NETWORK, .path = "/ports",
	.key = "port", .plural = "ports", .label = "port", .v2_key = "port",
	.tags = true, .named = true,
	.prepare = prepare_port, .publish = publish_port,
};

/* The server of a relationship (source for server_connected_to_port,
 * target for port_connected_to_server) and the port's id. */
static int attach(bp_ctx *ctx, bp_ctx *server, const char *port)
{
	const char *sid = bp_get_string(server, BP_SCOPE_RUNTIME, "id");
	g_autofree char *path = NULL;
	struct os_reply r = { 0 };
	json_t *body, *res;
	int rc = BP_OK;
	struct os_conn *c;

	if (!sid || !port || !*port)
		return bp_fail_fatal(ctx, "attaching a port needs the server's "
				     "and the port's ids");
	if (!(c = os_ctx_conn(server, &rc)))
		return rc;
	res = os_res_find(c, ctx, &os_kind_port, port, &r);
	os_reply_clear(&r);
	if (res && !g_strcmp0(os_json_str(res, "device_id"), sid)) {
		json_decref(res);
		return BP_OK;  /* booted on it, or attached before */
	}
	json_decref(res);
	path = g_strdup_printf("/servers/%s/os-interface", sid);
	body = json_pack("{s{ss}}", "interfaceAttachment", "port_id", port);
	if (!os_call(c, ctx, OS_COMPUTE, "POST", path, body, &r))
		rc = os_reply_fail(ctx, &r, "attaching the port");
	json_decref(body);
	os_reply_clear(&r);
	return rc;
}

static int detach(bp_ctx *ctx, bp_ctx *server, const char *port)
{
	const char *sid = bp_get_string(server, BP_SCOPE_RUNTIME, "id");
	g_autofree char *path = NULL;
	struct os_reply r = { 0 };
	int rc = BP_OK;
	struct os_conn *c;

	if (!sid || !port || !*port)
		return BP_OK;
	if (!(c = os_ctx_conn(server, &rc)))
		return rc;
	path = g_strdup_printf("/servers/%s/os-interface/%s", sid, port);
	if (!os_call(c, ctx, OS_COMPUTE, "DELETE", path, NULL, &r) &&
	    r.status != 404)
		rc = os_reply_fail(ctx, &r, "detaching the port");
	os_reply_clear(&r);
	return rc;
}

/* server_connected_to_port: establish (source = server). */
int os_port_attach(bp_ctx *ctx);
int os_port_attach(bp_ctx *ctx)
{
	const char *port = bp_get_string(ctx, BP_SCOPE_INPUTS, "port_id");

	if (!port)
		port = bp_get_string(bp_target(ctx), BP_SCOPE_RUNTIME, "id");
	return attach(ctx, bp_source(ctx), port);
}

/* port_connected_to_server: establish (source = port). */
int os_port_attach_to_server(bp_ctx *ctx);
int os_port_attach_to_server(bp_ctx *ctx)
{
	return attach(ctx, bp_target(ctx),
		      bp_get_string(bp_source(ctx), BP_SCOPE_RUNTIME, "id"));
}

/* unlink of both: the server is whichever end is not a port. */
int os_port_detach(bp_ctx *ctx);
int os_port_detach(bp_ctx *ctx)
{
	const char *st = bp_get_string(bp_source(ctx), BP_SCOPE_RUNTIME, "type");
	bool src_is_port = !g_strcmp0(st, "port");
	const char *port = bp_get_string(ctx, BP_SCOPE_INPUTS, "port_id");
	bp_ctx *server = src_is_port ? bp_target(ctx) : bp_source(ctx);

	if (!port)
		port = bp_get_string(src_is_port ? bp_source(ctx) :
				     bp_target(ctx), BP_SCOPE_RUNTIME, "id");
	return detach(ctx, server, port);
}
