/* share_access.c: the access rules of a Manila share, the share.allow and
 * share.deny operations Cloudify's share_connected_to_server and
 * share_connected_to_subnet relationships run on the share's side. allow
 * grants `access` (the server's ip, the subnet's CIDR) of `access_type`
 * (ip) at `access_level` (rw) and waits by RETRY until Manila says the
 * rule is active ("error" fails); deny removes the rule for `access` and
 * waits until it is gone. Both look at the share's rules first, so running
 * either again does nothing twice. */
#include <string.h>
#include <glib.h>

#include "os.h"

int os_share_allow(bp_ctx *ctx);
int os_share_deny(bp_ctx *ctx);

/* The share's rule for `access`, (transfer full) or NULL with *rc BP_OK
 * when it has none, or NULL with a failure recorded in *rc. */
static json_t *rule_for(bp_ctx *ctx, struct os_conn *c, const char *share,
			const char *access, int *rc)
{
	g_autofree char *path = g_strdup_printf(
		"/share-access-rules?share_id=%s", share);
	struct os_reply r = { 0 };
	json_t *rule, *found = NULL;
	size_t i;

	*rc = BP_OK;
	if (!os_call(c, ctx, OS_SHARE, "GET", path, NULL, &r)) {
		*rc = os_reply_fail(ctx, &r, "listing the share's access rules");
		os_reply_clear(&r);
		return NULL;
	}
	json_array_foreach(json_object_get(r.body, "access_list"), i, rule)
		if (!g_strcmp0(os_json_str(rule, "access_to"), access)) {
			found = json_incref(rule);
			break;
		}
	os_reply_clear(&r);
	return found;
}

/* The share (the relationship's source), its connection, the rule's
 * `access` input and the share's rule for it (*rule, transfer full, or
 * NULL when there is none). Returns the connection, or NULL after
 * recording the failure in *rc. */
static struct os_conn *share_of(bp_ctx *ctx, const char **share,
				const char **access, json_t **rule, int *rc)
{
	bp_ctx *src = bp_source(ctx);
	struct os_conn *c;

	*rule = NULL;
	*share = bp_get_string(src, BP_SCOPE_RUNTIME, "id");
	*access = bp_get_string(ctx, BP_SCOPE_INPUTS, "access");
	if (!*share) {
		*rc = bp_fail_fatal(ctx, "the share has no id: it was not "
				    "created");
		return NULL;
	}
	if (!*access || !**access) {
		*rc = bp_fail_fatal(ctx, "no 'access' to grant or remove: the "
				    "target's ip (a server) or resource_config."
				    "cidr (a subnet)");
		return NULL;
	}
	if (!(c = os_ctx_conn(src, rc)))
		return NULL;
	*rule = rule_for(ctx, c, *share, *access, rc);
	return *rc == BP_OK ? c : NULL;
}

/* A POST of `body` (consumed) to the share's action URL. */
static int action(bp_ctx *ctx, struct os_conn *c, const char *share,
		  json_t *body, const char *what)
{
	g_autofree char *path = g_strdup_printf("/shares/%s/action", share);
	struct os_reply r = { 0 };
	int rc = BP_OK;

	if (!os_call(c, ctx, OS_SHARE, "POST", path, body, &r))
		rc = os_reply_fail(ctx, &r, what);
	json_decref(body);
	os_reply_clear(&r);
	return rc;
}

int os_share_allow(bp_ctx *ctx)
{
	const char *share, *access, *state;
	const char *type = bp_get_string(ctx, BP_SCOPE_INPUTS, "access_type");
	const char *level = bp_get_string(ctx, BP_SCOPE_INPUTS, "access_level");
	json_t *rule;
	int rc = BP_OK;
	struct os_conn *c = share_of(ctx, &share, &access, &rule, &rc);

	if (!c)
		return rc;
	if (!rule) {
		rc = action(ctx, c, share, json_pack(
			"{s:{s:s, s:s, s:s}}", "allow_access", "access_type",
			type && *type ? type : "ip", "access_to", access,
			"access_level", level && *level ? level : "rw"),
			"granting access to the share");
		return rc != BP_OK ? rc : bp_retry(ctx, 1, "access for '%s' "
			"requested, waiting until it is active", access);
	}
	state = os_json_str(rule, "state");
	if (!g_strcmp0(state, "active")) {
		bp_log(ctx, BP_LOG_INFO, "share access for '%s' (%s) is active",
		       access, os_json_str(rule, "access_level"));
		rc = BP_OK;
	} else if (!g_strcmp0(state, "error")) {
		rc = bp_fail_fatal(ctx, "Manila could not apply the access "
				   "rule for '%s'", access);
	} else {
		rc = bp_retry(ctx, 1, "share access for '%s' is %s, waiting "
			      "until it is active", access, state);
	}
	json_decref(rule);
	return rc;
}

int os_share_deny(bp_ctx *ctx)
{
	const char *share, *access, *state;
	json_t *rule;
	int rc = BP_OK;
	struct os_conn *c = share_of(ctx, &share, &access, &rule, &rc);

	if (!c)
		return rc;
	if (!rule) {
		bp_log(ctx, BP_LOG_INFO, "share access for '%s' removed",
		       access);
		return BP_OK;
	}
	state = os_json_str(rule, "state");
	if (!g_strcmp0(state, "queued_to_deny") || !g_strcmp0(state, "denying"))
		rc = BP_OK;
	else
		rc = action(ctx, c, share, json_pack(
			"{s:{s:s}}", "deny_access", "access_id",
			os_json_str(rule, "id")),
			"removing access to the share");
	json_decref(rule);
	return rc != BP_OK ? rc : bp_retry(ctx, 1, "share access for '%s' is "
		"being removed, waiting until it is gone", access);
}
