/*
 * image.c: images, made from a source disk (property source_disk or a
 * relationship to a Volume), from another image or family (source_image:
 * "debian-cloud/family/debian-12"), or built.
 *
 * The build (property build: {base_image, packages, script,
 * machine_type}) is a sequence of steps, one per call, the step kept in
 * runtime `_build` and each step's operation waited for by RETRY:
 *   boot   a builder instance NAME-builder boots base_image with a startup
 *          script that installs the packages (apt-get), runs `script`, and
 *          says how it went in the guest attribute blueprint/image-build
 *          and on the serial console ("BLUEPRINT-IMAGE-BUILD: done");
 *   wait   the guest attribute, else the serial port output, is read until
 *          it says done (failed: a fatal error with the console's tail);
 *   stop   the builder is stopped, so its disk is consistent;
 *   image  the image is created from its boot disk in the family;
 *   clean  the builder is deleted; then the image is read until READY.
 * Every step is idempotent: a crash between steps repeats at most one
 * request, and the 409 of a repeated insert is adopted by its labels.
 */
#include "gcp.h"

#include <string.h>

#define BUILD_MARK "BLUEPRINT-IMAGE-BUILD: "

static json_t *image_body(struct gcp *g, const char *name, int *rc)
{
	const char *family = gcp_str(g, "family");
	const char *disk = gcp_link(g, "disk");
	const char *src = gcp_str(g, "source_image");
	const char *builder = bp_get_string(g->ctx, BP_SCOPE_RUNTIME, "builder");
	json_t *labels = gcp_prop(g, "labels");
	json_t *body = json_pack("{s:s, s:o}", "name", name, "labels",
				 json_is_object(labels) ? labels : json_object());
	g_autofree char *built = NULL;

	if (!disk)
		disk = gcp_str(g, "source_disk");
	if (builder)
		disk = built = g_strdup_printf("zones/%s/disks/%s", g->zone,
					       builder);
	if (family)
		json_object_set_new(body, "family", json_string(family));
	if (disk) {
		g_autofree char *ref = strchr(disk, '/') ? g_strdup(disk) :
			g_strdup_printf("zones/%s/disks/%s", g->zone, disk);

		json_object_set_new(body, "sourceDisk", json_string(ref));
	} else if (src) {
		g_autofree char *ref = gcp_image_ref(g, src);

		json_object_set_new(body, "sourceImage", json_string(ref));
	} else {
		json_decref(body);
		*rc = bp_fail_fatal(g->ctx, "image '%s' needs source_disk, "
				    "source_image or build", name);
		return NULL;
	}
	return body;
}

static void image_publish(struct gcp *g, json_t *res)
{
	const char *family = json_string_value(json_object_get(res, "family"));

	if (family)
		bp_runtime_set_string(g->ctx, "family", family);
}

const struct gcp_kind gcp_image = {
	.name = "image", .api = GCP_COMPUTE, .scope = GCP_GLOBAL,
	.collection = "images", .owner_field = "labels",
	.status_field = "status", .ready = "READY",
	.body = image_body, .publish = image_publish,
};

/* The builder's startup script (transfer full). */
static char *build_script(struct gcp *g)
{
	json_t *pkgs = gcp_prop(g, "build.packages");
	const char *script = bp_get_string(g->ctx, BP_SCOPE_PROPERTIES,
					   "build.script");
	GString *s = g_string_new("#!/bin/sh\n# written by blueprint: installs "
				  "the image's software, then says how it went\n"
				  "report() {\n"
				  "\tcurl -s -X PUT -H 'Metadata-Flavor: Google' "
				  "--data \"$1\" \"http://${GCE_METADATA_HOST:-"
				  "metadata.google.internal}/computeMetadata/v1/"
				  "instance/guest-attributes/blueprint/image-build\""
				  " >/dev/null 2>&1\n\techo \"" BUILD_MARK "$1\"\n}\n"
				  "if (\n\tset -e\n\texport DEBIAN_FRONTEND="
				  "noninteractive\n");
	size_t i;
	json_t *p;

	if (json_array_size(pkgs)) {
		g_string_append(s, "\tapt-get update\n\tapt-get install -y");
		json_array_foreach(pkgs, i, p)
			if (json_is_string(p))
				g_string_append_printf(s, " '%s'", json_string_value(p));
		g_string_append(s, "\n");
	}
	json_decref(pkgs);
	if (script && *script)
		g_string_append_printf(s, "%s\n", script);
	g_string_append(s, "\ttrue\n); then report done; else report failed; fi\n");
	return g_string_free(s, FALSE);
}

/* POSTs `path` with `body` (borrowed), or DELETEs it when body is NULL,
 * and saves its operation in _op; on 409
 * (a repeated insert) carries on. Returns RETRY, or a failure. */
static int start(struct gcp *g, const char *path, json_t *body,
		 const char *what)
{
	struct gcp_reply r;
	int rc = BP_OK;

	if (!gcp_call(g, GCP_COMPUTE, body ? "POST" : "DELETE", path, body, &r,
		      &rc))
		return rc;
	if (r.status == 200) {
		if (gcp_lro_save(g, GCP_COMPUTE, "_op", r.body, &rc))
			rc = bp_retry(g->ctx, 1, "%s", what);
	} else if (r.status == 409 || (r.status == 404 && !body)) {
		rc = bp_retry(g->ctx, 1, "%s", what);
	} else {
		rc = gcp_fail_reply(g, what, &r);
	}
	gcp_reply_clear(&r);
	return rc;
}

static int boot(struct gcp *g, const char *name, const char *builder)
{
	const char *base = bp_get_string(g->ctx, BP_SCOPE_PROPERTIES,
					 "build.base_image");
	const char *mt = bp_get_string(g->ctx, BP_SCOPE_PROPERTIES,
				       "build.machine_type");
	g_autofree char *script = build_script(g);
	g_autofree char *coll = NULL;
	g_autofree char *full = NULL;
	json_t *body, *items;
	int rc = BP_OK;

	if (!base || !g->zone)
		return bp_fail_fatal(g->ctx, "image '%s': a build needs "
				     "build.base_image and a zone", name);
	body = gcp_instance_body(g, builder, base, script, &rc);
	if (!body)
		return rc;
	full = g_strdup_printf("zones/%s/machineTypes/%s", g->zone,
			       mt ? mt : "e2-standard-2");
	json_object_set_new(body, "machineType", json_string(full));
	items = json_object_get(json_object_get(body, "metadata"), "items");
	json_array_append_new(items, json_pack("{s:s, s:s}", "key",
					       "enable-guest-attributes",
					       "value", "TRUE"));
	gcp_label(g, json_object_get(body, "labels"));
	bp_runtime_set_string(g->ctx, "builder", builder);
	bp_runtime_set_string(g->ctx, "_build", "boot");
	coll = gcp_path(g, &gcp_instance, NULL);
	rc = start(g, coll, body, "booting the image builder");
	json_decref(body);
	return rc;
}

/* "done", "failed" or NULL (not yet) from the builder (transfer full);
 * -1 in *rc when the call failed. */
static char *outcome(struct gcp *g, const char *builder, int *rc)
{
	g_autofree char *inst = gcp_path(g, &gcp_instance, builder);
	g_autofree char *ga = g_strdup_printf("%s/getGuestAttributes?"
					      "variableKey=blueprint%%2Fimage-build",
					      inst);
	g_autofree char *serial = g_strdup_printf("%s/getSerialPortOutput?port=1",
						  inst);
	struct gcp_reply r;
	const char *v, *at;
	char *out = NULL;

	if (!gcp_call(g, GCP_COMPUTE, "GET", ga, NULL, &r, rc))
		return NULL;
	v = json_string_value(json_object_get(r.body, "variableValue"));
	if (r.status == 200 && v)
		out = g_strdup(v);
	gcp_reply_clear(&r);
	if (out)
		return out;
	if (!gcp_call(g, GCP_COMPUTE, "GET", serial, NULL, &r, rc))
		return NULL;
	v = json_string_value(json_object_get(r.body, "contents"));
	at = v ? g_strrstr(v, BUILD_MARK) : NULL;
	if (at)
		out = g_strndup(at + strlen(BUILD_MARK),
				strcspn(at + strlen(BUILD_MARK), "\r\n"));
	else if (r.status == 200 && v)
		bp_runtime_set_string(g->ctx, "_console_tail",
				      v + (strlen(v) > 400 ? strlen(v) - 400 : 0));
	gcp_reply_clear(&r);
	return out;
}

static int step(struct gcp *g, const char *name)
{
	const char *phase = bp_get_string(g->ctx, BP_SCOPE_RUNTIME, "_build");
	g_autofree char *builder_name = NULL;
	const char *builder = bp_get_string(g->ctx, BP_SCOPE_RUNTIME, "builder");
	g_autofree char *inst = NULL;
	g_autofree char *msg = NULL;
	g_autofree char *code = NULL;
	g_autofree char *what = g_strdup_printf("building image '%s'", name);
	int rc = BP_OK, st;

	st = gcp_lro_poll(g, "_op", &msg, &code, &rc);
	if (st < 0)
		return rc;
	if (st == GCP_LRO_PENDING)
		return bp_retry(g->ctx, 2, "%s: %s", what, phase);
	if (st == GCP_LRO_FAILED)
		return gcp_lro_fail(g, what, msg, code);
	if (!phase) {
		builder_name = g_strdup_printf("%.50s-builder", name);
		return boot(g, name, builder_name);
	}
	inst = gcp_path(g, &gcp_instance, builder);
	if (strcmp(phase, "boot") == 0) {
		bp_runtime_set_string(g->ctx, "_build", "wait");
		return bp_retry(g->ctx, 1, "%s: installing", what);
	}
	if (strcmp(phase, "wait") == 0) {
		g_autofree char *how = outcome(g, builder, &rc);
		g_autofree char *stop = g_strdup_printf("%s/stop", inst);

		if (rc != BP_OK)
			return rc;
		if (!how)
			return bp_retry(g->ctx, 2, "%s: builder '%s' is still "
					"installing", what, builder);
		if (strcmp(how, "done") != 0)
			return bp_fail_fatal(g->ctx, "%s: the startup script on "
					     "'%s' said '%s'", what, builder, how);
		json_t *none = json_object();

		bp_runtime_set_string(g->ctx, "_build", "stop");
		rc = start(g, stop, none, "stopping the image builder");
		json_decref(none);
		return rc;
	}
	if (strcmp(phase, "stop") == 0) {
		int rc2 = BP_OK;
		json_t *body = image_body(g, name, &rc2);
		g_autofree char *coll = gcp_path(g, &gcp_image, NULL);

		if (!body)
			return rc2;
		gcp_label(g, json_object_get(body, "labels"));
		bp_runtime_set_string(g->ctx, "_build", "image");
		rc = start(g, coll, body, "creating the image");
		json_decref(body);
		return rc;
	}
	if (strcmp(phase, "image") == 0) {
		bp_runtime_set_string(g->ctx, "_build", "clean");
		return start(g, inst, NULL, "deleting the image builder");
	}
	bp_runtime_delete(g->ctx, "builder");
	bp_runtime_delete(g->ctx, "_console_tail");
	bp_runtime_set_string(g->ctx, "_build", "done");
	return BP_OK;
}

int gcp_image_create(bp_ctx *ctx)
{
	struct gcp g;
	const char *phase;
	g_autofree char *name = NULL;
	int rc;

	if (!bp_get_json(ctx, BP_SCOPE_PROPERTIES, "build.base_image"))
		return gcp_create(ctx, &gcp_image);
	if (!gcp_open(&g, ctx, &rc))
		return rc;
	name = bp_get_string(ctx, BP_SCOPE_RUNTIME, "name") ?
		g_strdup(bp_get_string(ctx, BP_SCOPE_RUNTIME, "name")) :
		gcp_default_name(&g);
	bp_runtime_set_string(ctx, "name", name);
	phase = bp_get_string(ctx, BP_SCOPE_RUNTIME, "_build");
	rc = g_strcmp0(phase, "done") == 0 ? BP_OK : step(&g, name);
	gcp_close(&g);
	if (rc != BP_OK || g_strcmp0(bp_get_string(ctx, BP_SCOPE_RUNTIME,
						   "_build"), "done") != 0)
		return rc;
	return gcp_create(ctx, &gcp_image);
}

int gcp_image_delete(bp_ctx *ctx)
{
	const char *builder = bp_get_string(ctx, BP_SCOPE_RUNTIME, "builder");
	struct gcp g;
	g_autofree char *msg = NULL;
	g_autofree char *code = NULL;
	int rc = BP_OK, st;

	if (builder) {
		if (!gcp_open(&g, ctx, &rc))
			return rc;
		st = gcp_lro_poll(&g, "_op", &msg, &code, &rc);
		if (st == GCP_LRO_DONE) {
			g_autofree char *inst = gcp_path(&g, &gcp_instance, builder);
			struct gcp_reply r;

			if (gcp_call(&g, GCP_COMPUTE, "DELETE", inst, NULL, &r, &rc)) {
				if (r.status == 404)
					bp_runtime_delete(ctx, "builder");
				else if (r.status != 200)
					rc = gcp_fail_reply(&g, "deleting the "
							    "image builder", &r);
				else if (gcp_lro_save(&g, GCP_COMPUTE, "_op",
						      r.body, &rc))
					rc = bp_retry(ctx, 1, "deleting the image "
						      "builder '%s'", builder);
				gcp_reply_clear(&r);
			}
		} else if (st == GCP_LRO_PENDING) {
			rc = bp_retry(ctx, 1, "deleting the image builder");
		}
		gcp_close(&g);
		if (rc != BP_OK || bp_get_string(ctx, BP_SCOPE_RUNTIME, "builder"))
			return rc;
	}
	bp_runtime_delete(ctx, "_build");
	return gcp_delete(ctx, &gcp_image);
}
