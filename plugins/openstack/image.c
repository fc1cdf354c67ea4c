/* image.c: Glance images. Created with disk_format raw and
 * container_format bare unless resource_config says otherwise, then the
 * data is uploaded from the node's image_url property (http(s)://,
 * file:// or a path, relative paths from the blueprint's directory) and
 * the image waited for until active. Without image_url the image stays
 * queued and that is done. Marked by a blueprint_instance property. */
#include <string.h>
#include <glib.h>

#include "os.h"

static void publish_image(bp_ctx *ctx, struct os_conn *c, const json_t *res)
{
	(void)c;
	bp_runtime_set_string(ctx, "status", os_json_str(res, "status"));
	os_ctx_set(ctx, "size", json_object_get(res, "size"));
	os_ctx_set(ctx, "checksum", json_object_get(res, "checksum"));
}

static int prepare_image(bp_ctx *ctx, struct os_conn *c,
			 const struct os_kind *k, json_t *body)
{
	(void)ctx; (void)c; (void)k;
	if (!json_object_get(body, "disk_format"))
		json_object_set_new(body, "disk_format", json_string("raw"));
	if (!json_object_get(body, "container_format"))
		json_object_set_new(body, "container_format",
				    json_string("bare"));
	json_object_del(body, "image_url");
	return BP_OK;
}

const struct os_kind os_kind_image = {
	.name = "image", .svc = OS_IMAGE, .path = "/images",
	.plural = "images", .label = "image", .v2_key = "image",
	.status = "status", .ready = "active", .failed = "killed|deleted",
	.marker = "", .named = true,
	.prepare = prepare_image, .publish = publish_image,
};

/* The image's bytes from `url`. (transfer full, g_free) or NULL. */
static char *fetch(bp_ctx *ctx, struct os_conn *c, const char *url,
		   size_t *len, int *rc)
{
	g_autoptr(GError) gerr = NULL;
	g_autofree char *path = NULL;
	char *data = NULL;
	gsize n = 0;

	if (g_str_has_prefix(url, "http://") ||
	    g_str_has_prefix(url, "https://")) {
		struct http_request req = { .method = "GET", .url = url,
					    .ctx = ctx, .idempotent = true };
		struct http_response resp = { 0 };
		http_send(os_conn_http(c), &req, &resp);
		if (resp.status == 200) {
			*len = resp.body_len;
			data = g_memdup2(resp.body, resp.body_len + 1);
		} else {
			*rc = resp.status >= 400 && resp.status < 500 ?
				bp_fail_fatal(ctx, "image_url '%s': HTTP %ld",
					      url, resp.status) :
				bp_fail(ctx, "image_url '%s': %s", url,
					resp.error ? resp.error : "no data");
		}
		http_response_clear(&resp);
		return data;
	}
	if (g_str_has_prefix(url, "file://"))
		url += strlen("file://");
	path = g_path_is_absolute(url) || !bp_blueprint_dir(ctx) ?
		g_strdup(url) : g_build_filename(bp_blueprint_dir(ctx), url,
						 NULL);
	if (!g_file_get_contents(path, &data, &n, &gerr)) {
		*rc = bp_fail_fatal(ctx, "image_url: %s", gerr->message);
		return NULL;
	}
	*len = n;
	return data;
}

int os_image_create(bp_ctx *ctx);
int os_image_create(bp_ctx *ctx)
{
	int rc = os_res_create(ctx, &os_kind_image);
	const char *id = bp_get_string(ctx, BP_SCOPE_RUNTIME, "id");
	const char *url = bp_get_string(ctx, BP_SCOPE_PROPERTIES, "image_url");
	g_autofree char *data = NULL, *path = NULL;
	struct os_reply r = { 0 };
	json_t *img;
	size_t len = 0;
	struct os_conn *c;

	if (rc != BP_RETRY || !id || !(c = os_ctx_conn(ctx, &rc)))
		return rc;
	img = os_res_find(c, ctx, &os_kind_image, id, &r);
	os_reply_clear(&r);
	if (!img || g_strcmp0(os_json_str(img, "status"), "queued")) {
		json_decref(img);
		return rc;  /* saving: wait */
	}
	json_decref(img);
	if (!url || !*url)
		return BP_OK;  /* an image without data */
	if (!(data = fetch(ctx, c, url, &len, &rc)))
		return rc;
	path = g_strdup_printf("/images/%s/file", id);
	if (!os_call_raw(c, ctx, OS_IMAGE, "PUT", path, data, len,
			 "application/octet-stream", &r))
		rc = os_reply_fail(ctx, &r, "uploading the image");
	else
		rc = bp_retry(ctx, 1, "image '%s': %zu bytes uploaded", id, len);
	os_reply_clear(&r);
	return rc;
}
