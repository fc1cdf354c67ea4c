/* volume.c: Cinder volumes: size (1 GB unless given), volume type,
 * availability zone, from an image (imageRef or image_id, by name or id)
 * or a snapshot; created, then waited for until available; deleted, then
 * waited for until Cinder answers 404. Marked by the blueprint_instance
 * metadata key. */
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
