/* rbac.c: Neutron RBAC policies, which share a network (or a QoS policy)
 * with a project: access_as_shared, or access_as_external. The object is
 * resource_config.object_id/object_type, else the target of the
 * cloudify.relationships.openstack.rbac_policy_applied_to relationship;
 * the project is resource_config.target_tenant (an id, a name, or '*'),
 * else a project the policy has a relationship to. A policy has no name:
 * a re-run that lost its id finds it by those four values (Neutron keeps
 * one policy per set of them). find_and_delete removes every policy that
 * matches its resource_config and args (an object or a project at least:
 * e.g. the '*' share a network got from shared: true);
 * the relationship's unlink can disable DHCP on the network's subnets and
 * delete the target project's ports on it first, which Neutron requires
 * before it takes a share back. */
#include <string.h>
#include <glib.h>

#include "os.h"

#define APPLIED_TO "cloudify.relationships.openstack.rbac_policy_applied_to"

int os_rbac_find_and_delete(bp_ctx *ctx);
int os_rbac_unlink_target(bp_ctx *ctx);

/* Does `s` look like a Keystone id (32 hex digits)? */
static bool keystone_id(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (!g_ascii_isxdigit(s[n]))
			return false;
	return n == 32;
}

/* Fills the policy's object from the relationship and its project from
 * a related project, and turns names into ids. */
static int fill(bp_ctx *ctx, struct os_conn *c, json_t *body)
{
	bp_ctx *obj = bp_related(ctx, APPLIED_TO, 0);
	const char *tenant = os_json_str(body, "target_tenant");
	int rc = BP_OK;

	if (!os_json_str(body, "object_id") && obj) {
		json_object_set_new(body, "object_id", json_string(
			bp_get_string(obj, BP_SCOPE_RUNTIME, "id")));
		if (!os_json_str(body, "object_type"))
			json_object_set_new(body, "object_type", json_string(
				bp_get_string(obj, BP_SCOPE_RUNTIME, "type")));
	} else if (!g_strcmp0(os_json_str(body, "object_type"), "network")) {
		rc = os_res_resolve_field(ctx, c, body, "object_id", NULL,
					  &os_kind_network);
	}
	if (!tenant && os_related_id(ctx, "project"))
		json_object_set_new(body, "target_tenant", json_string(
			os_related_id(ctx, "project")));
	else if (rc == BP_OK && tenant && strcmp(tenant, "*") &&
		 !keystone_id(tenant))
		rc = os_res_resolve_field(ctx, c, body, "target_tenant", NULL,
					  &os_kind_project);
	return rc;
}

static int prepare_rbac(bp_ctx *ctx, struct os_conn *c,
			const struct os_kind *k, json_t *body)
{
	int rc = fill(ctx, c, body);

	(void)k;
	if (rc != BP_OK)
		return rc;
	if (!os_json_str(body, "object_id") ||
	    !os_json_str(body, "object_type") ||
	    !os_json_str(body, "target_tenant") ||
	    !os_json_str(body, "action"))
		return bp_fail_fatal(ctx, "RBAC policy: expected object_id and "
				     "object_type (or an %s relationship), "
				     "target_tenant and action", APPLIED_TO);
	return BP_OK;
}

/* The policies matching the string values of `match`. (transfer full) the
 * array, or NULL with *r filled. */
static json_t *matching(bp_ctx *ctx, struct os_conn *c, const json_t *match,
			struct os_reply *r)
{
	static const char *const keys[] = { "object_id", "object_type",
					    "target_tenant", "action" };
	GString *path = g_string_new("/rbac-policies");
	char sep = '?';
	json_t *out = NULL;

	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
		const char *v = os_json_str(match, keys[i]);
		g_autofree char *e = v ? http_escape(v) : NULL;
		if (!v)
			continue;
		g_string_append_printf(path, "%c%s=%s", sep, keys[i], e);
		sep = '&';
	}
	if (os_call(c, ctx, OS_NETWORK, "GET", path->str, NULL, r))
		out = json_incref(json_object_get(r->body, "rbac_policies"));
	g_string_free(path, TRUE);
	return out;
}

/* The policy a run that crashed before saving its id made: one with the
 * same four values (policies have no name or marker). */
static json_t *own_rbac(bp_ctx *ctx, struct os_conn *c, const json_t *body,
			int *rc)
{
	struct os_reply r = { 0 };
	json_t *found = matching(ctx, c, body, &r);
	json_t *res = json_array_size(found) ?
		json_incref(json_array_get(found, 0)) : NULL;

	*rc = found || r.status == 404 ? BP_OK :
		os_reply_fail(ctx, &r, "looking for the RBAC policy");
	os_reply_clear(&r);
	json_decref(found);
	return res;
}

static void publish_rbac(bp_ctx *ctx, struct os_conn *c, const json_t *res)
{
	static const char *const keys[] = { "object_id", "object_type",
					    "target_tenant", "action",
					    "project_id" };

	(void)c;
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
		os_ctx_set(ctx, keys[i], json_object_get(res, keys[i]));
}

const struct os_kind os_kind_rbac_policy = {
	.name = "rbac_policy", .svc = OS_NETWORK, .path = "/rbac-policies",
	.key = "rbac_policy", .plural = "rbac_policies",
	.label = "RBAC policy", .v2_key = "rbac_policy",
	.prepare = prepare_rbac, .publish = publish_rbac,
	.own = own_rbac,
};

int os_rbac_find_and_delete(bp_ctx *ctx)
{
	json_t *args = os_res_config(ctx, &os_kind_rbac_policy);
	struct os_reply r = { 0 };
	json_t *found, *p;
	size_t i;
	int rc = BP_OK;
	struct os_conn *c = os_ctx_conn(ctx, &rc);

	if (c && (rc = fill(ctx, c, args)) == BP_OK &&
	    !os_json_str(args, "object_id") &&
	    !os_json_str(args, "target_tenant"))
		rc = bp_fail_fatal(ctx, "RBAC policy find_and_delete: expected "
				   "an object_id or a target_tenant, not every "
				   "policy of the cloud");
	if (c && rc == BP_OK) {
		if (!(found = matching(ctx, c, args, &r)))
			rc = os_reply_fail(ctx, &r, "listing RBAC policies");
		os_reply_clear(&r);
		json_array_foreach(found, i, p) {
			g_autofree char *path = g_strdup_printf(
				"/rbac-policies/%s", os_json_str(p, "id"));
			if (!os_call(c, ctx, OS_NETWORK, "DELETE", path, NULL,
				     &r) && r.status != 404)
				rc = os_reply_fail(ctx, &r,
						   "deleting an RBAC policy");
			else
				bp_log(ctx, BP_LOG_INFO, "deleted RBAC policy "
				       "'%s'", os_json_str(p, "id"));
			os_reply_clear(&r);
			if (rc != BP_OK)
				break;
		}
		json_decref(found);
	}
	json_decref(args);
	return rc;
}

/* Calls METHOD with `body` on every item of GET `list` (Neutron's `plural`
 * array) that project `owner` owns (NULL: every item). */
static int for_each(bp_ctx *ctx, struct os_conn *c, const char *list,
		    const char *plural, const char *method, const json_t *body,
		    const char *owner)
{
	struct os_reply r = { 0 };
	json_t *item;
	size_t i;
	int rc = BP_OK;

	if (!os_call(c, ctx, OS_NETWORK, "GET", list, NULL, &r)) {
		rc = os_reply_fail(ctx, &r, "listing the network's resources");
		os_reply_clear(&r);
		return rc;
	}
	json_array_foreach(json_object_get(r.body, plural), i, item) {
		g_autofree char *path = g_strdup_printf(
			"/%s/%s", plural, os_json_str(item, "id"));
		struct os_reply u = { 0 };

		if (owner && g_strcmp0(os_json_str(item, "project_id"), owner))
			continue;
		if (!os_call(c, ctx, OS_NETWORK, method, path, body, &u) &&
		    u.status != 404)
			rc = os_reply_fail(ctx, &u, path);
		os_reply_clear(&u);
		if (rc != BP_OK)
			break;
	}
	os_reply_clear(&r);
	return rc;
}

int os_rbac_unlink_target(bp_ctx *ctx)
{
	bp_ctx *src = bp_source(ctx) ? bp_source(ctx) : ctx;
	const char *tenant = bp_get_string(src, BP_SCOPE_RUNTIME,
					   "target_tenant");
	json_t *net = os_ctx_value(ctx, "resource_network_id");
	bool dhcp_off = false, clean = false;
	int rc = BP_OK;
	struct os_conn *c;
	g_autofree char *e = NULL, *subnets = NULL, *ports = NULL;

	bp_get_bool(ctx, BP_SCOPE_INPUTS, "disable_dhcp", &dhcp_off);
	bp_get_bool(ctx, BP_SCOPE_INPUTS, "clean_ports", &clean);
	if ((!dhcp_off && !clean) || !json_string_value(net)) {
		json_decref(net);
		return BP_OK;
	}
	e = http_escape(json_string_value(net));
	json_decref(net);
	if (!(c = os_ctx_conn(src, &rc)))
		return rc;
	subnets = g_strdup_printf("/subnets?network_id=%s", e);
	ports = g_strdup_printf("/ports?network_id=%s", e);
	if (dhcp_off) {
		json_t *body = json_pack("{s{sb}}", "subnet", "enable_dhcp", 0);
		rc = for_each(ctx, c, subnets, "subnets", "PUT", body, NULL);
		json_decref(body);
	}
	/* only what the share let the target project make */
	if (rc == BP_OK && clean && tenant && strcmp(tenant, "*"))
		rc = for_each(ctx, c, ports, "ports", "DELETE", NULL, tenant);
	return rc;
}
