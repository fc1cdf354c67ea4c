/* identity.c: Keystone users, groups, roles and projects, and a project's
 * members. Keystone keeps unknown attributes of these four, so the
 * blueprint_instance marker travels in the create request itself and a
 * re-run finds what it made by name and marker. A user's
 * default_project_id and a project's parent_id may name the project by
 * name. A project's start operation gives the users and groups its
 * `users` and `groups` properties list ({name, roles}: names or ids)
 * their roles in it, then sets its quotas (quota.c). */
#include <string.h>
#include <glib.h>

#include "os.h"

int os_project_start(bp_ctx *ctx);

static void publish_domain(bp_ctx *ctx, struct os_conn *c, const json_t *res)
{
	(void)c;
	os_ctx_set(ctx, "domain_id", json_object_get(res, "domain_id"));
}

static int prepare_user(bp_ctx *ctx, struct os_conn *c,
			const struct os_kind *k, json_t *body)
{
	(void)k;
	return os_res_resolve_field(ctx, c, body, "default_project_id",
				    NULL, &os_kind_project);
}

static void publish_user(bp_ctx *ctx, struct os_conn *c, const json_t *res)
{
	publish_domain(ctx, c, res);
	os_ctx_set(ctx, "default_project_id",
		   json_object_get(res, "default_project_id"));
	os_ctx_set(ctx, "enabled", json_object_get(res, "enabled"));
}

const struct os_kind os_kind_user = {
	.name = "user", .svc = OS_IDENTITY, .path = "/users", .key = "user",
	.plural = "users", .label = "user", .v2_key = "user", .marker = "",
	.patch = true, .named = true, .prepare = prepare_user, .publish = publish_user,
};

const struct os_kind os_kind_group = {
	.name = "group", .svc = OS_IDENTITY, .path = "/groups", .key = "group",
	.plural = "groups", .label = "group", .marker = "", .patch = true,
	.named = true,
	.publish = publish_domain,
};

const struct os_kind os_kind_role = {
	.name = "role", .svc = OS_IDENTITY, .path = "/roles", .key = "role",
	.plural = "roles", .label = "role", .marker = "", .patch = true,
	.named = true,
	.publish = publish_domain,
};

static int prepare_project(bp_ctx *ctx, struct os_conn *c,
			   const struct os_kind *k, json_t *body)
{
	(void)k;
	if (json_is_array(json_object_get(body, "tags")) &&
	    !json_array_size(json_object_get(body, "tags")))
		json_object_del(body, "tags");
	return os_res_resolve_field(ctx, c, body, "parent_id", NULL,
				    &os_kind_project);
}

static void publish_project(bp_ctx *ctx, struct os_conn *c, const json_t *res)
{
	publish_domain(ctx, c, res);
	os_ctx_set(ctx, "parent_id", json_object_get(res, "parent_id"));
	os_ctx_set(ctx, "enabled", json_object_get(res, "enabled"));
	os_ctx_set(ctx, "tags", json_object_get(res, "tags"));
}

const struct os_kind os_kind_project = {
	.name = "project", .svc = OS_IDENTITY, .path = "/projects",
	.key = "project", .plural = "projects", .label = "project",
	.v2_key = "project", .marker = "", .patch = true, .named = true,
	.prepare = prepare_project, .publish = publish_project,
};

/* Gives `who` (a user's or group's name or id, of kind `k`) the roles
 * `roles` (names or ids) in project `project`: PUT, which Keystone
 * answers 204 whether or not the assignment was there. */
static int assign(bp_ctx *ctx, struct os_conn *c, const char *project,
		  const struct os_kind *k, const char *who,
		  const json_t *roles)
{
	g_autofree char *id = NULL;
	const json_t *role;
	size_t i;
	int rc = BP_OK;

	if (!who)
		return bp_fail_fatal(ctx, "project: every member of %s needs "
				     "a name", k->plural);
	if (!(id = os_res_resolve(c, ctx, k, who, &rc)))
		return rc;
	json_array_foreach(roles, i, role) {
		const char *rn = json_string_value(role);
		g_autofree char *rid = NULL, *path = NULL;
		struct os_reply r = { 0 };

		if (!rn)
			return bp_fail_fatal(ctx, "project: the roles of %s "
					     "'%s' must be names", k->label,
					     who);
		if (!(rid = os_res_resolve(c, ctx, &os_kind_role, rn, &rc)))
			return rc;
		path = g_strdup_printf("/projects/%s/%s/%s/roles/%s", project,
				       k->plural, id, rid);
		if (!os_call(c, ctx, OS_IDENTITY, "PUT", path, NULL, &r)) {
			g_autofree char *what = g_strdup_printf(
				"giving %s '%s' the role '%s'", k->label, who,
				rn);
			rc = os_reply_fail(ctx, &r, what);
		} else {
			bp_log(ctx, BP_LOG_INFO, "%s '%s' has the role '%s' "
			       "in project '%s'", k->label, who, rn, project);
		}
		os_reply_clear(&r);
		if (rc != BP_OK)
			return rc;
	}
	return BP_OK;
}

static int assign_all(bp_ctx *ctx, struct os_conn *c, const char *project,
		      const struct os_kind *k)
{
	json_t *members = os_ctx_value(ctx, k->plural);
	json_t *m;
	size_t i;
	int rc = BP_OK;

	json_array_foreach(members, i, m) {
		rc = assign(ctx, c, project, k, os_json_str(m, "name"),
			    json_object_get(m, "roles"));
		if (rc != BP_OK)
			break;
	}
	json_decref(members);
	return rc;
}

int os_project_start(bp_ctx *ctx)
{
	const char *id;
	json_t *quota, *extra;
	int rc = BP_OK;
	struct os_conn *c = os_ctx_made(ctx, "project", &id, &rc);

	if (!c)
		return rc;
	if ((rc = assign_all(ctx, c, id, &os_kind_user)) != BP_OK ||
	    (rc = assign_all(ctx, c, id, &os_kind_group)) != BP_OK)
		return rc;
	quota = json_object();
	extra = os_ctx_value(ctx, "quota");
	if (json_is_object(extra))
		json_object_update(quota, extra);
	json_decref(extra);
	extra = os_ctx_value(ctx, "quota_dict");
	if (json_is_object(extra))
		json_object_update(quota, extra);
	json_decref(extra);
	rc = os_project_apply_quota(ctx, c, id, quota);
	json_decref(quota);
	return rc;
}
