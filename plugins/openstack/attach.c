/* attach.c: what relationships do to a server: a floating IP bound to its
 * port (server_connected_to_floating_ip), a security group added to it
 * (server_connected_to_security_group), a Cinder volume attached to it and
 * waited for until in-use (volume_attached_to_server; detached and waited
 * for until available on unlink). */
#include <string.h>
#include <glib.h>

#include "os.h"

/* The server's port holding `fixed` (or its first port): (transfer full). */
static char *server_port(struct os_conn *c, bp_ctx *ctx, const char *sid,
			 const char *fixed, int *rc)
{
	g_autofree char *path = g_strdup_printf("/ports?device_id=%s", sid);
	struct os_reply r = { 0 };
	json_t *p, *ip;
	size_t i, j;
	char *out = NULL;

	if (!os_call(c, ctx, OS_NETWORK, "GET", path, NULL, &r)) {
		*rc = os_reply_fail(ctx, &r, "listing the server's ports");
		os_reply_clear(&r);
		return NULL;
	}
	json_array_foreach(json_object_get(r.body, "ports"), i, p) {
		if (!fixed || !*fixed) {
			out = g_strdup(os_json_str(p, "id"));
			break;
		}
		json_array_foreach(json_object_get(p, "fixed_ips"), j, ip)
			if (!g_strcmp0(os_json_str(ip, "ip_address"), fixed))
				out = g_strdup(os_json_str(p, "id"));
		if (out)
			break;
	}
	if (!out)
		*rc = bp_fail(ctx, "server '%s' has no port%s%s yet", sid,
			      fixed && *fixed ? " with address " : "",
			      fixed ? fixed : "");
	os_reply_clear(&r);
	return out;
}

static int bind_fip(bp_ctx *ctx, bool on)
{
	bp_ctx *server = bp_source(ctx), *fip = bp_target(ctx);
	const char *sid = bp_get_string(server, BP_SCOPE_RUNTIME, "id");
	const char *fid = bp_get_string(fip, BP_SCOPE_RUNTIME, "id");
	const char *addr = bp_get_string(fip, BP_SCOPE_RUNTIME,
					 "floating_ip_address");
	const char *fixed = bp_get_string(ctx, BP_SCOPE_INPUTS, "fixed_ip");
	g_autofree char *port = NULL, *path = NULL;
	struct os_reply r = { 0 };
	json_t *body;
	int rc = BP_OK;
	struct os_conn *c;

	if (!sid || !fid)
		return on ? bp_fail_fatal(ctx, "the server or the floating IP "
					  "has no id") : BP_OK;
	if (!(c = os_ctx_conn(server, &rc)))
		return rc;
	if (on && !(port = server_port(c, ctx, sid, fixed, &rc)))
		return rc;
	path = g_strdup_printf("/floatingips/%s", fid);
	body = json_pack("{s{so}}", "floatingip", "port_id",
			 port ? json_string(port) : json_null());
	if (!os_call(c, ctx, OS_NETWORK, "PUT", path, body, &r) &&
	    !(!on && r.status == 404))
		rc = os_reply_fail(ctx, &r, on ? "binding the floating IP" :
				   "unbinding the floating IP");
	json_decref(body);
	os_reply_clear(&r);
	if (rc == BP_OK && on && addr) {
		bool public_ip = false;

		bp_runtime_set_string(server, "public_ip", addr);
		/* use_public_ip: `ip` (where SSH and agents connect) is it */
		if (bp_get_bool(server, BP_SCOPE_PROPERTIES, "use_public_ip",
				&public_ip) && public_ip)
			bp_runtime_set_string(server, "ip", addr);
	}
	if (rc == BP_OK && !on)
		bp_runtime_delete(server, "public_ip");
	return rc;
}

int os_server_connect_floating_ip(bp_ctx *ctx);
int os_server_connect_floating_ip(bp_ctx *ctx)
{
	return bind_fip(ctx, true);
}

int os_server_disconnect_floating_ip(bp_ctx *ctx);
int os_server_disconnect_floating_ip(bp_ctx *ctx)
{
	return bind_fip(ctx, false);
}

static int secgroup(bp_ctx *ctx, const char *act)
{
	bp_ctx *server = bp_source(ctx);
	const char *sid = bp_get_string(server, BP_SCOPE_RUNTIME, "id");
	const char *sg = bp_get_string(ctx, BP_SCOPE_INPUTS,
				       "security_group_id");
	g_autofree char *path = NULL;
	struct os_reply r = { 0 };
	json_t *body;
	int rc = BP_OK;
	struct os_conn *c;

	if (!sg)
		sg = bp_get_string(bp_target(ctx), BP_SCOPE_RUNTIME, "id");
	if (!sid || !sg)
		return BP_OK;
	if (!(c = os_ctx_conn(server, &rc)))
		return rc;
	path = g_strdup_printf("/servers/%s/action", sid);
	body = json_pack("{s{ss}}", act, "name", sg);
	if (!os_call(c, ctx, OS_COMPUTE, "POST", path, body, &r) &&
	    !(r.error && (strstr(r.error, "already") ||
			  strstr(r.error, "Duplicate") ||
			  strstr(r.error, "not associated") ||
			  r.status == 404)))
		rc = os_reply_fail(ctx, &r, act);
	json_decref(body);
	os_reply_clear(&r);
	return rc;
}

int os_server_connect_security_group(bp_ctx *ctx);
int os_server_connect_security_group(bp_ctx *ctx)
{
	return secgroup(ctx, "addSecurityGroup");
}

int os_server_disconnect_security_group(bp_ctx *ctx);
int os_server_disconnect_security_group(bp_ctx *ctx)
{
	return secgroup(ctx, "removeSecurityGroup");
}

/* The volume (source) as Cinder shows it now. */
static json_t *volume_now(struct os_conn *c, bp_ctx *ctx, const char *vid,
			  int *rc)
{
	struct os_reply r = { 0 };
	json_t *v = os_res_find(c, ctx, &os_kind_volume, vid, &r);

	if (!v)
		*rc = os_reply_fail(ctx, &r, "reading the volume");
	os_reply_clear(&r);
	return v;
}

static bool attached_to(const json_t *vol, const char *sid)
{
	json_t *a;
	size_t i;

	json_array_foreach(json_object_get(vol, "attachments"), i, a)
		if (!g_strcmp0(os_json_str(a, "server_id"), sid))
			return true;
	return false;
}

static int volume(bp_ctx *ctx, bool on)
{
	bp_ctx *vctx = bp_source(ctx), *server = bp_target(ctx);
	const char *vid = bp_get_string(vctx, BP_SCOPE_RUNTIME, "id");
	const char *sid = bp_get_string(server, BP_SCOPE_RUNTIME, "id");
	const char *dev = bp_get_string(vctx, BP_SCOPE_PROPERTIES,
					"device_name");
	g_autofree char *path = NULL;
	struct os_reply r = { 0 };
	const char *st;
	json_t *vol;
	int rc = BP_OK;
	struct os_conn *c;

	if (!vid || !sid)
		return on ? bp_fail_fatal(ctx, "the volume or the server has "
					  "no id") : BP_OK;
	if (!(c = os_ctx_conn(vctx, &rc)) || !(vol = volume_now(c, ctx, vid,
								  &rc)))
		return rc;
	st = os_json_str(vol, "status");
	if (on && attached_to(vol, sid) && !g_strcmp0(st, "in-use")) {
		bp_runtime_set_string(vctx, "attached_to", sid);
		rc = BP_OK;
	} else if (!on && !attached_to(vol, sid) &&
		   g_strcmp0(st, "detaching")) {
		bp_runtime_delete(vctx, "attached_to");
		rc = BP_OK;
	} else if (!g_strcmp0(st, "error") || !g_strcmp0(st, "error_attaching")) {
		rc = bp_fail_fatal(ctx, "volume '%s' is %s", vid, st);
	} else if ((on && !attached_to(vol, sid) && !g_strcmp0(st, "available")) ||
		   (!on && attached_to(vol, sid) && !g_strcmp0(st, "in-use"))) {
		json_t *body = NULL;
		if (on) {
			path = g_strdup_printf("/servers/%s/os-volume_attachments",
					       sid);
			body = json_pack("{s{ss}}", "volumeAttachment",
					 "volumeId", vid);
			if (dev && *dev && strcmp(dev, "auto"))
				json_object_set_new(json_object_get(body,
					"volumeAttachment"), "device",
					json_string(dev));
		} else {
			path = g_strdup_printf(
				"/servers/%s/os-volume_attachments/%s", sid, vid);
		}
		if (!os_call(c, ctx, OS_COMPUTE, on ? "POST" : "DELETE", path,
			     body, &r) && !(!on && r.status == 404))
			rc = os_reply_fail(ctx, &r, on ? "attaching the volume" :
					   "detaching the volume");
		else
			rc = bp_retry(ctx, 2, "volume '%s': %s", vid,
				      on ? "attaching" : "detaching");
		json_decref(body);
		os_reply_clear(&r);
	} else {
		rc = bp_retry(ctx, 2, "volume '%s' is %s", vid, st);
	}
	json_decref(vol);
	return rc;
}

int os_server_attach_volume(bp_ctx *ctx);
int os_server_attach_volume(bp_ctx *ctx)
{
	return volume(ctx, true);
}

int os_server_detach_volume(bp_ctx *ctx);
int os_server_detach_volume(bp_ctx *ctx)
{
	return volume(ctx, false);
}
