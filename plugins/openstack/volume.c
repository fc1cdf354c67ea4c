/* volume.c: Cinder volumes and volume types. A volume: size (1 GB unless
 * given), volume type, availability zone, from an image (imageRef or
 * image_id, by name or id) or a snapshot; created, then waited for until
 * available; deleted, then waited for until Cinder answers 404. Marked by
 * the blueprint_instance metadata key. A volume type: name, description,
 * extra_specs; a project_id makes it private to that project (a name or
 * an id). Marked by the extra spec blueprint:instance (a scoped key, which
 * Cinder's capabilities filter does not match against back ends). */
#include <string.h>
#include <glib.h>

#include "os.h"

static int prepare_volume(bp_ctx *ctx, struct os_conn *c,
			  const struct os_kind *k, json_t *body)
{
	const char *img = os_json_str(body, "imageRef");
	g_autofree char *id = NULL;
	int rc = BP_OK;

	(void)k;
	if (!img)
		img = os_json_str(body, "image_id");
	if (!json_object_get(body, "size"))
		json_object_set_new(body, "size", json_integer(1));
	if (img) {
		if (!(id = os_res_resolve(c, ctx, &os_kind_image, img, &rc)))
			return rc;
		json_object_del(body, "image_id");
		json_object_set_new(body, "imageRef", json_string(id));
	}
	return BP_OK;
}

static void publish_volume(bp_ctx *ctx, struct os_conn *c, const json_t *res)
{
	(void)c;
	os_ctx_set(ctx, "size", json_object_get(res, "size"));
	bp_runtime_set_string(ctx, "status", os_json_str(res, "status"));
}

const struct os_kind os_kind_volume = {
	.name = "volume", .svc = OS_VOLUME, .path = "/volumes",
	.list_path = "/volumes/detail", .key = "volume", .plural = "volumes",
	.label = "volume", .v2_key = "volume", .status = "status",
	.ready = "available|in-use", .failed = "error", .wait_delete = true,
	.marker = "metadata", .named = true,
	.prepare = prepare_volume, .publish = publish_volume,
};

static int prepare_type(bp_ctx *ctx, struct os_conn *c,
			const struct os_kind *k, json_t *body)
{
	const char *project;
	int rc;

	(void)k;
	rc = os_res_resolve_field(ctx, c, body, "project_id", NULL,
				  &os_kind_project);
	project = os_json_str(body, "project_id");
	if (rc == BP_OK && project && *project) {
		json_object_set_new(body, "os-volume-type-access:is_public",
				    json_false());
		bp_runtime_set_string(ctx, "project_id", project);
	}
	json_object_del(body, "project_id");
	return rc;
}

/* the private type's project access, once it exists */
static void publish_type(bp_ctx *ctx, struct os_conn *c, const json_t *res)
{
	const char *project = bp_get_string(ctx, BP_SCOPE_RUNTIME,
					    "project_id");
	bool external = false;

	os_ctx_set(ctx, "extra_specs", json_object_get(res, "extra_specs"));
	os_ctx_set(ctx, "is_public", json_object_get(res, "is_public"));
	bp_get_bool(ctx, BP_SCOPE_RUNTIME, "external_resource", &external);
	if (project && !external) {
		g_autofree char *path = g_strdup_printf(
			"/types/%s/action", os_json_str(res, "id"));
		json_t *body = json_pack("{s{ss}}", "addProjectAccess",
					 "project", project);
		struct os_reply r = { 0 };

		if (!os_call(c, ctx, OS_VOLUME, "POST", path, body, &r) &&
		    r.status != 409)
			bp_log(ctx, BP_LOG_WARNING, "volume type '%s': project "
			       "'%s' not given access: %s",
			       os_json_str(res, "id"), project, r.error);
		json_decref(body);
		os_reply_clear(&r);
	}
}

const struct os_kind os_kind_volume_type = {
	.name = "volume_type", .svc = OS_VOLUME, .path = "/types",
	.key = "volume_type", .plural = "volume_types", .label = "volume type",
	.marker = "extra_specs", .marker_key = "blueprint:instance",
	.named = true, .prepare = prepare_type, .publish = publish_type,
};
