/* compute.c: Nova's simpler resources: key pairs (named, generated or
 * imported from resource_config.public_key; a generated private key is
 * kept in the private_key runtime property), server groups (policy, or
 * the first of 2.x's policies; soft-anti-affinity when none) and flavors
 * (admin).
 *
 * Nova keeps no tag or metadata on these, so what a crashed run created
 * before saving its id is recognised by what it is: a key pair of our name
 * with our public key, a flavor of our name with our specs (a key pair or
 * flavor of that name that differs is not ours: the create fails rather
 * than adopting it), a server group of our name and policy that has no
 * member yet. A key pair Nova generated cannot be recognised (and its
 * private key went with the crash): its name is reported taken. */
#include <stdlib.h>
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

/* The same key, whatever the comment: type and base64 blob. */
static bool same_public_key(const char *a, const char *b)
{
	g_autofree char *ca = g_strdup(a), *cb = g_strdup(b);
	g_auto(GStrv) fa = ca ? g_strsplit_set(g_strstrip(ca), " \t\r\n", 3) :
		NULL;
	g_auto(GStrv) fb = cb ? g_strsplit_set(g_strstrip(cb), " \t\r\n", 3) :
		NULL;

	return fa && fb && fa[0] && fa[1] && fb[0] && fb[1] &&
	       !strcmp(fa[0], fb[0]) && !strcmp(fa[1], fb[1]);
}

/* The resource GET path answers (transfer full); NULL with *rc BP_OK on
 * 404, else with the failure recorded. */
static json_t *get_existing(bp_ctx *ctx, struct os_conn *c, const char *path,
			    const char *key, const char *what, int *rc)
{
	struct os_reply r = { 0 };
	json_t *res = NULL;

	*rc = BP_OK;
	if (os_call(c, ctx, OS_COMPUTE, "GET", path, NULL, &r))
		res = json_incref(key ? json_object_get(r.body, key) : r.body);
	else if (r.status != 404)
		*rc = os_reply_fail(ctx, &r, what);
	os_reply_clear(&r);
	return res;
}

static json_t *own_keypair(bp_ctx *ctx, struct os_conn *c,
			   const json_t *body, int *rc)
{
	const char *name = os_json_str(body, "name");
	const char *ours = os_json_str(body, "public_key");
	g_autofree char *e = http_escape(name);
	g_autofree char *path = g_strdup_printf("/os-keypairs/%s", e);
	json_t *kp = get_existing(ctx, c, path, "keypair",
				  "looking for the key pair", rc);

	if (!kp)
		return NULL;
	if (ours && same_public_key(ours, os_json_str(kp, "public_key")))
		return kp;
	json_decref(kp);
	*rc = bp_fail_fatal(ctx, "key pair '%s' already exists with %s: not "
			    "adopting it (use_external_resource would)", name,
			    ours ? "another public key" : "a key this blueprint "
			    "cannot recognise (it gives no public_key)");
	return NULL;
}

const struct os_kind os_kind_keypair = {
	.name = "keypair", .svc = OS_COMPUTE, .path = "/os-keypairs",
	.key = "keypair", .plural = "keypairs", .label = "key pair",
	.v2_key = "keypair", .by_name = true, .named = true,
	.own = own_keypair, .publish = publish_keypair,
};

/* The policy a group is made with: `policy`, else the first of 2.x's
 * `policies`, else soft-anti-affinity. (transfer none) */
static const char *group_policy(const json_t *body)
{
	const char *p = os_json_str(body, "policy");

	if (!p)
		p = json_string_value(json_array_get(
			json_object_get(body, "policies"), 0));
	return p ? p : "soft-anti-affinity";
}

static int prepare_group(bp_ctx *ctx, struct os_conn *c,
			 const struct os_kind *k, json_t *body)
{
	(void)ctx; (void)c; (void)k;
	json_object_set_new(body, "policy", json_string(group_policy(body)));
	json_object_del(body, "policies");
	return BP_OK;
}

/* The project's one group of our name and policy with no member (one
 * that has members serves servers already: another deployment's). */
static json_t *own_group(bp_ctx *ctx, struct os_conn *c, const json_t *body,
			 int *rc)
{
	json_t *list = get_existing(ctx, c, "/os-server-groups",
				    "server_groups",
				    "looking for the server group", rc);
	json_t *g, *res = NULL;
	size_t i, n = 0;

	json_array_foreach(list, i, g) {
		if (g_strcmp0(os_json_str(g, "name"),
			      os_json_str(body, "name")) ||
		    g_strcmp0(os_json_str(g, "policy"), group_policy(body)) ||
		    json_array_size(json_object_get(g, "members")))
			continue;
		n++;
		res = g;
	}
	res = n == 1 ? json_incref(res) : NULL;
	json_decref(list);
	return res;
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
	.own = own_group, .prepare = prepare_group, .publish = publish_group,
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

/* A number in a request (YAML may give "64") or an answer ("" is 0). */
static double number(const json_t *v, double dflt)
{
	if (json_is_number(v))
		return json_number_value(v);
	if (json_is_string(v))
		return *json_string_value(v) ?
			g_ascii_strtod(json_string_value(v), NULL) : 0;
	if (json_is_boolean(v))
		return json_is_true(v);
	return dflt;
}

static json_t *own_flavor(bp_ctx *ctx, struct os_conn *c, const json_t *body,
			  int *rc)
{
	/* what the request says (openstacksdk's name, or Nova's), what the
	 * flavor shows, the default */
	static const struct {
		const char *req, *alias, *res;
		double dflt;
	} specs[] = {
		{ "ram", NULL, "ram", 0 }, { "vcpus", NULL, "vcpus", 0 },
		{ "disk", NULL, "disk", 0 }, { "swap", NULL, "swap", 0 },
		{ "ephemeral", "OS-FLV-EXT-DATA:ephemeral",
		  "OS-FLV-EXT-DATA:ephemeral", 0 },
		{ "is_public", "os-flavor-access:is_public",
		  "os-flavor-access:is_public", 1 },
		{ "rxtx_factor", NULL, "rxtx_factor", 1 },
	};
	const char *name = os_json_str(body, "name");
	json_t *list = get_existing(ctx, c, "/flavors/detail?is_public=None",
				    "flavors", "looking for the flavor", rc);
	json_t *f, *res = NULL;
	size_t i;

	json_array_foreach(list, i, f)
		if (!g_strcmp0(os_json_str(f, "name"), name))
			res = f;
	for (i = 0; res && i < G_N_ELEMENTS(specs); i++) {
		const json_t *w = json_object_get(body, specs[i].req);
		double want = number(w || !specs[i].alias ? w :
				     json_object_get(body, specs[i].alias),
				     specs[i].dflt);
		double have = number(json_object_get(res, specs[i].res),
				     specs[i].dflt);
		if (want != have) {
			*rc = bp_fail_fatal(ctx, "flavor '%s' already exists "
					    "with %s %g, not %g: not adopting "
					    "it (use_external_resource would)",
					    name, specs[i].req, have, want);
			res = NULL;
		}
	}
	res = json_incref(res);
	json_decref(list);
	return res;
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
	.own = own_flavor, .prepare = prepare_flavor, .publish = publish_flavor,
};
