/* router.c: Neutron routers: the external gateway (the node's
 * external_network property, or resource_config.external_gateway_info),
 * extra routes on start, and interfaces on subnets or ports, added and
 * removed by the relationship operations (the router is their target). */
#include <string.h>
#include <glib.h>

#include "os.h"

static int prepare_router(bp_ctx *ctx, struct os_conn *c,
			  const struct os_kind *k, json_t *body)
{
	const char *ext = bp_get_string(ctx, BP_SCOPE_PROPERTIES,
					"external_network");
	json_t *gw = json_object_get(body, "external_gateway_info");
	g_autofree char *id = NULL;
	int rc = BP_OK;

	(void)k;
	if ((!ext || !*ext) && !gw)
		ext = os_related_id(ctx, "network");
	if (gw && os_json_str(gw, "network_id")) {
		id = os_res_resolve(c, ctx, &os_kind_network,
				    os_json_str(gw, "network_id"), &rc);
		if (!id)
			return rc;
		json_object_set_new(gw, "network_id", json_string(id));
	} else if (ext && *ext) {
		if (!(id = os_external_network(c, ctx, ext, &rc)))
			return rc;
		json_object_set_new(body, "external_gateway_info",
				    json_pack("{ss}", "network_id", id));
	}
	return BP_OK;
}

static void publish_router(bp_ctx *ctx, struct os_conn *c, const json_t *res)
{
	json_t *gw = json_object_get(res, "external_gateway_info");
	json_t *ips = json_object_get(gw, "external_fixed_ips");

	(void)c;
	os_ctx_set(ctx, "external_gateway_info", gw);
	if (json_array_size(ips))
		bp_runtime_set_string(ctx, "external_ip", os_json_str(
			json_array_get(ips, 0), "ip_address"));
}

const struct os_kind os_kind_router = {
	.name = "router", .svc = OS_NETWORK, .path = "/routers",
	.key = "router", .plural = "routers", .label = "router",
	.v2_key = "router", .tags = true, .named = true,
	.prepare = prepare_router, .publish = publish_router,
};

static int set_routes(bp_ctx *ctx, json_t *routes)
{
	const char *id = bp_get_string(ctx, BP_SCOPE_RUNTIME, "id");
	g_autofree char *path = NULL;
	struct os_reply r = { 0 };
	json_t *body;
	int rc = BP_OK;
	struct os_conn *c;

	if (!id || !(c = os_ctx_conn(ctx, &rc)))
		return rc;
	path = g_strdup_printf("/routers/%s", id);
	body = json_pack("{s{sO}}", "router", "routes", routes);
	if (!os_call(c, ctx, OS_NETWORK, "PUT", path, body, &r))
		rc = os_reply_fail(ctx, &r, "setting the router's routes");
	json_decref(body);
	os_reply_clear(&r);
	return rc;
}

int os_router_start(bp_ctx *ctx);
int os_router_start(bp_ctx *ctx)
{
	json_t *routes = os_ctx_value(ctx, "routes");
	int rc = BP_OK;

	if (json_array_size(routes))
		rc = set_routes(ctx, routes);
	json_decref(routes);
	return rc;
}

int os_router_stop(bp_ctx *ctx);
int os_router_stop(bp_ctx *ctx)
{
	json_t *routes = os_ctx_value(ctx, "routes");
	int rc = BP_OK;
	bool external = false;

	bp_get_bool(ctx, BP_SCOPE_RUNTIME, "external_resource", &external);
	if (json_array_size(routes) && !external) {
		json_t *none = json_array();
		rc = set_routes(ctx, none);
		json_decref(none);
	}
	json_decref(routes);
	return rc;
}

/* add_router_interface / remove_router_interface with the subnet_id or
 * port_id input (or the source's id, by its type). */
static int interface(bp_ctx *ctx, const char *verb)
{
	bp_ctx *router = bp_target(ctx);
	const char *rid = bp_get_string(router, BP_SCOPE_RUNTIME, "id");
	const char *subnet = bp_get_string(ctx, BP_SCOPE_INPUTS, "subnet_id");
	const char *port = bp_get_string(ctx, BP_SCOPE_INPUTS, "port_id");
	g_autofree char *path = NULL;
	struct os_reply r = { 0 };
	json_t *body;
	int rc = BP_OK;
	struct os_conn *c;

	if (!rid)
		return bp_fail_fatal(ctx, "the router has no id");
	if (!(c = os_ctx_conn(router, &rc)))
		return rc;
	path = g_strdup_printf("/routers/%s/%s_router_interface", rid, verb);
	body = subnet && *subnet ? json_pack("{ss}", "subnet_id", subnet) :
		json_pack("{ss}", "port_id", port ? port : "");
	if (!os_call(c, ctx, OS_NETWORK, "PUT", path, body, &r)) {
		/* adding twice: 400 "already has a port on subnet"; removing
		 * what is gone: 404 */
		bool done = (!strcmp(verb, "add") && r.status == 400 &&
			     r.error && strstr(r.error, "already has")) ||
			    (!strcmp(verb, "remove") && r.status == 404);
		if (!done)
			rc = os_reply_fail(ctx, &r, !strcmp(verb, "add") ?
					   "adding a router interface" :
					   "removing a router interface");
	}
	json_decref(body);
	os_reply_clear(&r);
	return rc;
}

int os_router_add_interface(bp_ctx *ctx);
int os_router_add_interface(bp_ctx *ctx)
{
	return interface(ctx, "add");
}

int os_router_remove_interface(bp_ctx *ctx);
int os_router_remove_interface(bp_ctx *ctx)
{
	return interface(ctx, "remove");
}
