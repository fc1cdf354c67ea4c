/* secgroup.c: Neutron security groups and their rules. A group's rules
 * come from the configure operation's security_group_rules input (the
 * node's property of that name); disable_default_egress_rules removes the
 * two egress rules Neutron adds to every new group. A rule node needs
 * resource_config.security_group_id (id or name). Adding a rule that
 * exists already is done (Neutron's 409). */
#include <string.h>
#include <glib.h>

#include "os.h"

static void publish_group(bp_ctx *ctx, struct os_conn *c, const json_t *res)
{
	(void)c;
	os_ctx_set(ctx, "security_group_rules",
		   json_object_get(res, "security_group_rules"));
}

const struct os_kind os_kind_security_group = {
	.name = "security_group", .svc = OS_NETWORK,
	.path = "/security-groups", .key = "security_group",
	.plural = "security_groups", .label = "security group",
	.v2_key = "security_group", .tags = true, .named = true,
	.publish = publish_group,
};

static int prepare_rule(bp_ctx *ctx, struct os_conn *c,
			const struct os_kind *k, json_t *body)
{
	const char *sg = os_json_str(body, "security_group_id");
	g_autofree char *id = NULL;
	int rc = BP_OK;

	(void)k;
	if (!sg)
		return bp_fail_fatal(ctx, "security group rule: resource_config."
				     "security_group_id is required");
	if (!(id = os_res_resolve(c, ctx, &os_kind_security_group, sg, &rc)))
		return rc;
	json_object_set_new(body, "security_group_id", json_string(id));
	if (!json_object_get(body, "direction"))
		json_object_set_new(body, "direction", json_string("ingress"));
	return BP_OK;
}

const struct os_kind os_kind_security_group_rule = {
	.name = "security_group_rule", .svc = OS_NETWORK,
	.path = "/security-group-rules", .key = "security_group_rule",
	.plural = "security_group_rules", .label = "security group rule",
	.prepare = prepare_rule,
};

/* Adds one rule to group `sg`; an identical rule already there is fine. */
static int add_rule(bp_ctx *ctx, struct os_conn *c, const char *sg,
		    const json_t *rule)
{
	json_t *r0 = json_deep_copy(rule);
	json_t *body;
	struct os_reply r = { 0 };
	int rc = BP_OK;

	json_object_set_new(r0, "security_group_id", json_string(sg));
	if (!json_object_get(r0, "direction"))
		json_object_set_new(r0, "direction", json_string("ingress"));
	/* 2.x rules: port -> port_range_min/max */
	if (json_is_integer(json_object_get(r0, "port"))) {
		json_object_set(r0, "port_range_min", json_object_get(r0, "port"));
		json_object_set(r0, "port_range_max", json_object_get(r0, "port"));
		json_object_del(r0, "port");
	}
	body = json_pack("{so}", "security_group_rule", r0);
	if (!os_call(c, ctx, OS_NETWORK, "POST", "/security-group-rules", body,
		     &r) && r.status != 409)
		rc = os_reply_fail(ctx, &r, "adding a security group rule");
	json_decref(body);
	os_reply_clear(&r);
	return rc;
}

int os_security_group_configure(bp_ctx *ctx);
int os_security_group_configure(bp_ctx *ctx)
{
	const char *sg = bp_get_string(ctx, BP_SCOPE_RUNTIME, "id");
	json_t *rules = os_ctx_value(ctx, "security_group_rules");
	json_t *rule, *existing;
	bool no_egress = false, external = false;
	struct os_reply r = { 0 };
	size_t i;
	int rc = BP_OK;
	struct os_conn *c;

	bp_get_bool(ctx, BP_SCOPE_PROPERTIES, "disable_default_egress_rules",
		    &no_egress);
	bp_get_bool(ctx, BP_SCOPE_RUNTIME, "external_resource", &external);
	if (!sg || !(c = os_ctx_conn(ctx, &rc))) {
		json_decref(rules);
		return sg ? rc : bp_fail_fatal(ctx, "the security group has "
					      "no id");
	}
	if (no_egress && !external) {
		g_autofree char *path = g_strdup_printf(
			"/security-group-rules?security_group_id=%s"
			"&direction=egress", sg);
		if (os_call(c, ctx, OS_NETWORK, "GET", path, NULL, &r)) {
			existing = json_object_get(r.body,
						   "security_group_rules");
			json_array_foreach(existing, i, rule) {
				struct os_reply d = { 0 };
				g_autofree char *dp = g_strdup_printf(
					"/security-group-rules/%s",
					os_json_str(rule, "id"));
				os_call(c, ctx, OS_NETWORK, "DELETE", dp, NULL,
					&d);
				os_reply_clear(&d);
			}
		}
		os_reply_clear(&r);
	}
	json_array_foreach(rules, i, rule) {
		if ((rc = add_rule(ctx, c, sg, rule)) != BP_OK)
			break;
	}
	json_decref(rules);
	return rc;
}
