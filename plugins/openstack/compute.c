/* compute.c: Nova's simpler resources: key pairs (named, generated or
 * imported from resource_config.public_key; a generated private key is
 * kept in the private_key runtime property), server groups (policy, or
 * the first of 2.x's policies; soft-anti-affinity when none) and flavors
 * (admin). */
#include <string.h>
#include <glib.h>

#include "os.h"

static void publish_keypair(bp_ctx *ctx, struct os_conn *c, const json_t *res)
{
	(void)c;
	if (os_json_str(res, "private_key"))
		bp_runtime_set_string(ctx, "private_key",
				      os_json_str(res, "private_key"));
	if (os_json_str(res, "public_key"))
		bp_runtime_set_string(ctx, "public_key",
				      os_json_str(res, "public_key"));
	bp_runtime_set_string(ctx, "fingerprint",
			      os_json_str(res, "fingerprint"));
}

const struct os_kind os_kind_keypair = {
	.name = "keypair", .svc = OS_COMPUTE, .path = "/os-keypairs",
	.key = "keypair", .plural = "keypairs", .label = "key pair",
	.v2_key = "keypair", .by_name = true, .named = true,
	.publish = publish_keypair,
};

static int prepare_group(bp_ctx *ctx, struct os_conn *c,
			 const struct os_kind *k, json_t *body)
{
	json_t *policies = json_object_get(body, "policies");

	(void)ctx; (void)c; (void)k;
	if (!os_json_str(body, "policy"))
		json_object_set(body, "policy", json_array_size(policies) ?
				json_array_get(policies, 0) :
				json_string("soft-anti-affinity"));
	json_object_del(body, "policies");
	return BP_OK;
}

static void publish_group(bp_ctx *ctx, struct os_conn *c, const json_t *res)
{
	(void)c;
	bp_runtime_set_string(ctx, "policy", os_json_str(res, "policy"));
}

const struct os_kind os_kind_server_group = {
	.name = "server_group", .svc = OS_COMPUTE, .path = "/os-server-groups",
	.key = "server_group", .plural = "server_groups",
	.label = "server group", .v2_key = "server_group", .named = true,
	.prepare = prepare_group, .publish = publish_group,
};

static int prepare_flavor(bp_ctx *ctx, struct os_conn *c,
			  const struct os_kind *k, json_t *body)
{
	(void)c; (void)k;
	if (!json_object_get(body, "ram") || !json_object_get(body, "vcpus"))
		return bp_fail_fatal(ctx, "flavor: resource_config.ram and "
				     "vcpus are required");
	if (!json_object_get(body, "disk"))
		json_object_set_new(body, "disk", json_integer(0));
	return BP_OK;
}

/* extra_specs and project access, once the flavor exists */
static void publish_flavor(bp_ctx *ctx, struct os_conn *c, const json_t *res)
{
	json_t *specs = os_ctx_value(ctx, "extra_specs");
	const char *id = os_json_str(res, "id");
	struct os_reply r = { 0 };
	bool external = false;

	bp_get_bool(ctx, BP_SCOPE_RUNTIME, "external_resource", &external);
	if (json_object_size(specs) && !external) {
		g_autofree char *path = g_strdup_printf(
			"/flavors/%s/os-extra_specs", id);
		json_t *body = json_pack("{sO}", "extra_specs", specs);
		if (!os_call(c, ctx, OS_COMPUTE, "POST", path, body, &r))
			bp_log(ctx, BP_LOG_WARNING, "flavor '%s': extra_specs "
			       "not set: %s", id, r.error);
		json_decref(body);
		os_reply_clear(&r);
	}
	os_ctx_set(ctx, "extra_specs", specs);
	json_decref(specs);
}

const struct os_kind os_kind_flavor = {
	.name = "flavor", .svc = OS_COMPUTE, .path = "/flavors",
	.list_path = "/flavors/detail", .key = "flavor", .plural = "flavors",
	.label = "flavor", .v2_key = "flavor", .named = true,
	.prepare = prepare_flavor, .publish = publish_flavor,
};
