/* server.c: Nova servers. The create request is made from
 * resource_config (and the node's image and flavor properties): image and
 * flavor by name or id, key_name, networks as ports or networks (names
 * resolved; none when there are none), security groups, user_data (base64
 * unless encode_user_data is false), metadata, availability zone, a server
 * group or scheduler hints, and block_device_mapping_v2 to boot from a
 * volume. Runtime properties: id, name, networks (addresses by network),
 * ip and ipv4_address (the first fixed IPv4), public_ip (a floating one),
 * ipv4_addresses, ipv6_addresses. */
#include <string.h>
#include <glib.h>

#include "os.h"

static int resolve(bp_ctx *ctx, struct os_conn *c, json_t *body,
		   const char *key, const char *alt, const char *prop,
		   const struct os_kind *k, const char *to)
{
	const char *v = os_json_str(body, key);
	g_autofree char *id = NULL;
	int rc = BP_OK;

	if (!v && alt)
		v = os_json_str(body, alt);
	if (!v && prop)
		v = bp_get_string(ctx, BP_SCOPE_PROPERTIES, prop);
	if (!v || !*v)
		return BP_OK;
	if (!(id = os_res_resolve(c, ctx, k, v, &rc)))
		return rc;
	json_object_del(body, key);
	if (alt)
		json_object_del(body, alt);
	json_object_set_new(body, to, json_string(id));
	return BP_OK;
}

/* What a server's relationships name when its resource_config does not
 * (Cloudify's way): a NIC on each network it is connected_to, the key
 * pair it is connected to; read from the related instances' runtime
 * properties (type, id, name) that this plugin wrote. */
static void from_relationships(bp_ctx *ctx, json_t *body)
{
	json_t *nets = json_array();
	bp_ctx *r;

	for (uint32_t i = 0; (r = bp_related(ctx, NULL, i)); i++) {
		const char *type = bp_get_string(r, BP_SCOPE_RUNTIME, "type");
		const char *id = bp_get_string(r, BP_SCOPE_RUNTIME, "id");
		const char *name = bp_get_string(r, BP_SCOPE_RUNTIME, "name");

		if (!type || !id)
			continue;
		if (!strcmp(type, "network"))
			json_array_append_new(nets, json_pack("{ss}", "uuid", id));
		else if (!strcmp(type, "keypair") &&
			 !os_json_str(body, "key_name"))
			json_object_set_new(body, "key_name",
					    json_string(name ? name : id));
	}
	if (json_array_size(nets) && !json_object_get(body, "networks"))
		json_object_set(body, "networks", nets);
	json_decref(nets);
}

/* resource_config.networks ([{port_id|port}, {network_id|uuid|net-id,
 * fixed_ip}]) as Nova wants it. */
static int networks(bp_ctx *ctx, struct os_conn *c, json_t *body)
{
	json_t *in;
	json_t *out, *n;
	size_t i;
	int rc = BP_OK;

	from_relationships(ctx, body);
	in = json_object_get(body, "networks");
	if (json_is_string(in))
		return BP_OK;  /* "auto" or "none" */
	out = json_array();
	json_array_foreach(in, i, n) {
		const char *port = os_json_str(n, "port_id");
		const char *net = os_json_str(n, "network_id");
		g_autofree char *id = NULL;
		json_t *e;

		if (!port)
			port = os_json_str(n, "port");
		if (!net)
			net = os_json_str(n, "uuid");
		if (!net)
			net = os_json_str(n, "net-id");
		if (!net)
			net = os_json_str(n, "name");
		if (port) {
			id = os_res_resolve(c, ctx, &os_kind_port, port, &rc);
			e = id ? json_pack("{ss}", "port", id) : NULL;
		} else if (net) {
			id = os_res_resolve(c, ctx, &os_kind_network, net, &rc);
			e = id ? json_pack("{ss}", "uuid", id) : NULL;
			if (e && os_json_str(n, "fixed_ip"))
				json_object_set(e, "fixed_ip",
						json_object_get(n, "fixed_ip"));
		} else {
			rc = bp_fail_fatal(ctx, "networks[%zu] names neither "
					   "a port nor a network", i);
			e = NULL;
		}
		if (!e) {
			json_decref(out);
			return rc;
		}
		json_array_append_new(out, e);
	}
	if (!json_array_size(out)) {
		json_decref(out);
		json_object_set_new(body, "networks", json_string("none"));
	} else {
		json_object_set_new(body, "networks", out);
	}
	return BP_OK;
}

static int prepare_server(bp_ctx *ctx, struct os_conn *c,
			  const struct os_kind *k, json_t *body)
{
	json_t *sgs = json_object_get(body, "security_groups");
	json_t *md = json_object_get(body, "metadata");
	json_t *hints = json_object_get(body, "scheduler_hints");
	const char *ud = os_json_str(body, "user_data");
	bool encode = true;
	int rc;

	(void)k;
	if (!json_object_get(body, "block_device_mapping_v2") &&
	    (rc = resolve(ctx, c, body, "image_id", "imageRef", "image",
			  &os_kind_image, "imageRef")) != BP_OK)
		return rc;
	if ((rc = resolve(ctx, c, body, "flavor_id", "flavorRef", "flavor",
			  &os_kind_flavor, "flavorRef")) != BP_OK)
		return rc;
	if (!os_json_str(body, "flavorRef"))
		return bp_fail_fatal(ctx, "server: a flavor is required "
				     "(resource_config.flavor_id or flavor)");
	if (!os_json_str(body, "imageRef") &&
	    !json_object_get(body, "block_device_mapping_v2"))
		return bp_fail_fatal(ctx, "server: an image is required "
				     "(resource_config.image_id or image), or "
				     "block_device_mapping_v2");
	if ((rc = networks(ctx, c, body)) != BP_OK)
		return rc;
	if (json_is_array(sgs)) {
		json_t *out = json_array(), *sg;
		size_t i;
		json_array_foreach(sgs, i, sg)
			json_array_append_new(out, json_is_string(sg) ?
				json_pack("{sO}", "name", sg) : json_incref(sg));
		json_object_set_new(body, "security_groups", out);
	}
	bp_get_bool(ctx, BP_SCOPE_PROPERTIES, "encode_user_data", &encode);
	if (ud && encode) {
		g_autofree char *b = g_base64_encode((const guchar *)ud,
						     strlen(ud));
		json_object_set_new(body, "user_data", json_string(b));
	}
	if (json_is_object(md)) {  /* Nova takes strings only */
		const char *key;
		json_t *v;
		json_object_foreach(md, key, v) {
			if (!json_is_string(v)) {
				g_autofree char *t = json_dumps(v,
							JSON_ENCODE_ANY);
				json_object_set_new(md, key, json_string(t));
			}
		}
	}
	if (os_json_str(body, "server_group")) {
		g_autofree char *g = NULL;
		rc = BP_OK;
		if (!(g = os_res_resolve(c, ctx, &os_kind_server_group,
					 os_json_str(body, "server_group"),
					 &rc)))
			return rc;
		if (!json_is_object(hints)) {
			hints = json_object();
			json_object_set_new(body, "scheduler_hints", hints);
		}
		json_object_set_new(hints, "group", json_string(g));
		json_object_del(body, "server_group");
	}
	if (json_is_object(hints)) {
		json_object_set(body, "os:scheduler_hints", hints);
		json_object_del(body, "scheduler_hints");
	}
	return BP_OK;
}

static void publish_server(bp_ctx *ctx, struct os_conn *c, const json_t *res)
{
	json_t *addrs = json_object_get(res, "addresses");
	json_t *nets = json_object(), *v4 = json_array(), *v6 = json_array();
	const char *ip = NULL, *pub = NULL, *ip6 = NULL;
	const char *net;
	json_t *list, *a;
	size_t i;

	(void)c;
	json_object_foreach(addrs, net, list) {
		json_t *mine = json_array();
		json_array_foreach(list, i, a) {
			const char *addr = os_json_str(a, "addr");
			const char *type = os_json_str(a, "OS-EXT-IPS:type");
			json_int_t ver = json_integer_value(
				json_object_get(a, "version"));
			if (!addr)
				continue;
			json_array_append_new(mine, json_string(addr));
			if (!g_strcmp0(type, "floating")) {
				if (!pub)
					pub = addr;
				continue;
			}
			json_array_append_new(ver == 6 ? v6 : v4,
					      json_string(addr));
			if (ver == 6 && !ip6)
				ip6 = addr;
			else if (ver != 6 && !ip)
				ip = addr;
		}
		json_object_set_new(nets, net, mine);
	}
	os_ctx_set(ctx, "networks", nets);
	os_ctx_set(ctx, "ipv4_addresses", v4);
	os_ctx_set(ctx, "ipv6_addresses", v6);
	if (ip) {
		bool public_ip = false;

		bp_get_bool(ctx, BP_SCOPE_PROPERTIES, "use_public_ip",
			    &public_ip);
		bp_runtime_set_string(ctx, "ip", public_ip && pub ? pub : ip);
		bp_runtime_set_string(ctx, "ipv4_address", ip);
	}
	if (ip6)
		bp_runtime_set_string(ctx, "ipv6_address", ip6);
	if (pub)
		bp_runtime_set_string(ctx, "public_ip", pub);
	bp_runtime_set_string(ctx, "status", os_json_str(res, "status"));
	json_decref(nets);
	json_decref(v4);
	json_decref(v6);
}

const struct os_kind os_kind_server = {
	.name = "server", .svc = OS_COMPUTE, .path = "/servers",
	.list_path = "/servers/detail", .key = "server", .plural = "servers",
	.label = "server", .v2_key = "server", .status = "status",
	.ready = "ACTIVE|SHUTOFF", .failed = "ERROR", .wait_delete = true,
	.marker = "metadata", .named = true,
	.prepare = prepare_server, .publish = publish_server,
};

/* POST /servers/ID/action {action: arg}, then wait for `want`. */
static int action(bp_ctx *ctx, const char *action, json_t *arg,
		  const char *skip_if, const char *want)
{
	const char *id = bp_get_string(ctx, BP_SCOPE_RUNTIME, "id");
	const char *done = bp_get_string(ctx, BP_SCOPE_RUNTIME, "action");
	g_autofree char *path = NULL;
	struct os_reply r = { 0 };
	json_t *res, *body;
	bool external = false;
	int rc = BP_OK;
	struct os_conn *c;

	bp_get_bool(ctx, BP_SCOPE_RUNTIME, "external_resource", &external);
	if (!id || external) {
		json_decref(arg);
		return BP_OK;
	}
	if (!(c = os_ctx_conn(ctx, &rc))) {
		json_decref(arg);
		return rc;
	}
	res = os_res_find(c, ctx, &os_kind_server, id, &r);
	os_reply_clear(&r);
	if (!res) {
		json_decref(arg);
		return bp_fail(ctx, "server '%s' cannot be read", id);
	}
	if (!strcmp(action, "os-stop") && !done &&
	    g_strcmp0(os_json_str(res, "status"), "ACTIVE")) {
		json_decref(arg);  /* ERROR, BUILD...: nothing to stop */
		json_decref(res);
		return BP_OK;
	}
	if (g_strcmp0(done, action) &&
	    g_strcmp0(os_json_str(res, "status"), skip_if)) {
		path = g_strdup_printf("/servers/%s/action", id);
		body = json_pack("{sO}", action, arg);
		if (!os_call(c, ctx, OS_COMPUTE, "POST", path, body, &r))
			rc = os_reply_fail(ctx, &r, action);
		json_decref(body);
		os_reply_clear(&r);
		if (rc != BP_OK) {
			json_decref(arg);
			json_decref(res);
			return rc;
		}
		bp_runtime_set_string(ctx, "action", action);
		json_decref(arg);
		json_decref(res);
		return bp_retry(ctx, 1, "server '%s': %s sent", id, action);
	}
	json_decref(arg);
	if (g_strcmp0(os_json_str(res, "status"), want) ||
	    os_json_str(res, "OS-EXT-STS:task_state")) {
		rc = bp_retry(ctx, 2, "server '%s' is %s, waiting for %s", id,
			      os_json_str(res, "status"), want);
	} else {
		bp_runtime_delete(ctx, "action");
		publish_server(ctx, c, res);
	}
	json_decref(res);
	return rc;
}

int os_server_stop(bp_ctx *ctx);
int os_server_stop(bp_ctx *ctx)
{
	return action(ctx, "os-stop", json_null(), "SHUTOFF", "SHUTOFF");
}

int os_server_start(bp_ctx *ctx);
int os_server_start(bp_ctx *ctx)
{
	return action(ctx, "os-start", json_null(), "ACTIVE", "ACTIVE");
}

int os_server_reboot(bp_ctx *ctx);
int os_server_reboot(bp_ctx *ctx)
{
	const char *t = bp_get_string(ctx, BP_SCOPE_INPUTS, "reboot_type");

	return action(ctx, "reboot", json_pack("{ss}", "type",
		      t && !g_ascii_strcasecmp(t, "hard") ? "HARD" : "SOFT"),
		      NULL, "ACTIVE");
}

int os_server_suspend(bp_ctx *ctx);
int os_server_suspend(bp_ctx *ctx)
{
	return action(ctx, "suspend", json_null(), "SUSPENDED", "SUSPENDED");
}

int os_server_resume(bp_ctx *ctx);
int os_server_resume(bp_ctx *ctx)
{
	return action(ctx, "resume", json_null(), "ACTIVE", "ACTIVE");
}

/* configure: the addresses again (ports attached since create). */
int os_server_configure(bp_ctx *ctx);
int os_server_configure(bp_ctx *ctx)
{
	return os_server_start(ctx);
}
