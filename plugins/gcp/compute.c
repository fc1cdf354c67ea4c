/*
 * compute.c: disks (Cloudify's Volume), instance templates with named
 * sizes, and managed instance groups with their resize.
 *
 * InstanceTemplate {name, image (or a connected Image), machine_type, sizes: {small: {cpus: 4,
 * memory_gb: 16}, ...} or {small: {machine_type: e2-standard-4}},
 * default_size, disk_size_gb, tags, labels, metadata, startup_script,
 * scopes, service_account, external_ip, accelerators, preemptible, spot}:
 * its machine type is the default size's, else machine_type. It publishes
 * sizes and default_size, which instances connected to it read.
 * ManagedInstanceGroup {name, size, base_instance_name}: from the template
 * it is connected to (or the property `template`); `resize` with input
 * size changes its target size and waits for the operation.
 */
#include "gcp.h"

#include <string.h>

static json_t *disk_body(struct gcp *g, const char *name, int *rc)
{
	const char *image = gcp_str(g, "image");
	int64_t size = 10;
	g_autofree char *gb = NULL;
	json_t *body;

	(void)rc;
	gcp_int(g, "size", &size);
	gb = g_strdup_printf("%lld", (long long)size);
	body = json_pack("{s:s, s:s}", "name", name, "sizeGb", gb);
	if (image) {
		g_autofree char *ref = gcp_image_ref(g, image);

		json_object_set_new(body, "sourceImage", json_string(ref));
	}
	return gcp_with_settings(g, body);
}

static void disk_publish(struct gcp *g, json_t *res)
{
	const char *gb = json_string_value(json_object_get(res, "sizeGb"));

	if (gb)
		bp_runtime_set_string(g->ctx, "sizeGb", gb);
}

const struct gcp_kind gcp_disk = {
	.name = "disk", .api = GCP_COMPUTE, .scope = GCP_ZONE,
	.collection = "disks", .owner_field = "labels",
	.status_field = "status", .ready = "READY",
	.body = disk_body, .publish = disk_publish,
};

/* The template's machine type: its default size's, else machine_type. */
static char *template_machine(struct gcp *g, const char *name, int *rc)
{
	json_t *sizes = gcp_prop(g, "sizes");
	const char *def = gcp_str(g, "default_size");
	const char *mt = gcp_str(g, "machine_type");
	char *out = NULL;

	if (def && !(out = gcp_size_machine(json_object_get(sizes, def))))
		*rc = bp_fail_fatal(g->ctx, "instance template '%s': default_size"
				    " '%s' is not one of its sizes (each "
				    "{cpus, memory_gb} or {machine_type})",
				    name, def);
	else if (!def)
		out = g_strdup(mt ? mt : "n1-standard-1");
	json_decref(sizes);
	return out;
}

static json_t *template_body(struct gcp *g, const char *name, int *rc)
{
	g_autofree char *mt = template_machine(g, name, rc);
	const char *image = gcp_link(g, "image");
	json_t *spec;

	if (!mt)
		return NULL;
	if (!image)
		image = gcp_str(g, "image");
	if (!image) {
		*rc = bp_fail_fatal(g->ctx, "instance template '%s' needs an "
				    "image", name);
		return NULL;
	}
	/* the instance description, without a zone: templates are global */
	spec = gcp_instance_body(g, name, image, NULL, rc);
	if (!spec)
		return NULL;
	json_object_del(spec, "name");
	json_object_set_new(spec, "machineType", json_string(mt));
	return json_pack("{s:s, s:o}", "name", name, "properties", spec);
}

static void template_publish(struct gcp *g, json_t *res)
{
	const char *sizes = bp_get_json(g->ctx, BP_SCOPE_PROPERTIES, "sizes");
	const char *def = gcp_str(g, "default_size");
	const char *mt = json_string_value(json_object_get(
		json_object_get(res, "properties"), "machineType"));

	if (sizes)
		bp_runtime_set(g->ctx, "sizes", sizes);
	if (def)
		bp_runtime_set_string(g->ctx, "default_size", def);
	if (mt)
		bp_runtime_set_string(g->ctx, "machine_type", mt);
}

const struct gcp_kind gcp_template = {
	.name = "template", .api = GCP_COMPUTE, .scope = GCP_GLOBAL,
	.collection = "instanceTemplates", .owner_field = "properties.labels",
	.body = template_body, .publish = template_publish,
};

static json_t *group_body(struct gcp *g, const char *name, int *rc)
{
	const char *tpl = gcp_link(g, "template");
	const char *base = gcp_str(g, "base_instance_name");
	int64_t size = 0;
	g_autofree char *ref = NULL;

	if (!tpl)
		tpl = gcp_str(g, "template");
	if (!tpl) {
		*rc = bp_fail_fatal(g->ctx, "managed instance group '%s' needs "
				    "an instance template (a relationship or "
				    "the property 'template')", name);
		return NULL;
	}
	ref = strchr(tpl, '/') ? g_strdup(tpl) :
		g_strdup_printf("global/instanceTemplates/%s", tpl);
	gcp_int(g, "size", &size);
	return json_pack("{s:s, s:s, s:s, s:I}", "name", name,
			 "instanceTemplate", ref, "baseInstanceName",
			 base ? base : name, "targetSize", (json_int_t)size);
}

static void group_publish(struct gcp *g, json_t *res)
{
	const char *ig = json_string_value(json_object_get(res, "instanceGroup"));

	if (ig)
		bp_runtime_set_string(g->ctx, "instanceGroup", ig);
	bp_runtime_set_int(g->ctx, "size",
			   json_integer_value(json_object_get(res, "targetSize")));
}

const struct gcp_kind gcp_group = {
	.name = "group", .api = GCP_COMPUTE, .scope = GCP_ZONE,
	.collection = "instanceGroupManagers", .owner_field = "description",
	.body = group_body, .publish = group_publish,
};

static int resize(struct gcp *g)
{
	const char *name = bp_get_string(g->ctx, BP_SCOPE_RUNTIME, "name");
	g_autofree char *msg = NULL;
	g_autofree char *code = NULL;
	g_autofree char *path = NULL;
	g_autofree char *what = NULL;
	struct gcp_reply r;
	int64_t size;
	int rc = BP_OK, st;

	if (!name)
		return bp_fail_fatal(g->ctx, "resize: the group was not created");
	if (!bp_get_int(g->ctx, BP_SCOPE_INPUTS, "size", &size) &&
	    !gcp_int(g, "size", &size))
		return bp_fail_fatal(g->ctx, "resize needs the input 'size'");
	what = g_strdup_printf("resizing group '%s' to %lld", name,
			       (long long)size);
	st = gcp_lro_poll(g, "_resize_op", &msg, &code, &rc);
	if (st < 0)
		return rc;
	if (st == GCP_LRO_PENDING)
		return bp_retry(g->ctx, 1, "%s", what);
	if (st == GCP_LRO_FAILED)
		return gcp_lro_fail(g, what, msg, code);
	if (bp_get_int(g->ctx, BP_SCOPE_RUNTIME, "_resizing", &(int64_t){0})) {
		bp_runtime_delete(g->ctx, "_resizing");
		bp_runtime_set_int(g->ctx, "size", size);
		return BP_OK;
	}
	{
		g_autofree char *group = gcp_path(g, &gcp_group, name);

		path = g_strdup_printf("%s/resize?size=%lld", group,
				       (long long)size);
	}
	if (!gcp_call(g, GCP_COMPUTE, "POST", path, NULL, &r, &rc))
		return rc;
	if (r.status != 200)
		rc = gcp_fail_reply(g, what, &r);
	else if (gcp_lro_save(g, GCP_COMPUTE, "_resize_op", r.body, &rc)) {
		bp_runtime_set_int(g->ctx, "_resizing", size);
		rc = bp_retry(g->ctx, 1, "%s", what);
	}
	gcp_reply_clear(&r);
	return rc;
}

int gcp_group_resize(bp_ctx *ctx)
{
	struct gcp g;
	int rc;

	if (!gcp_open(&g, ctx, &rc))
		return rc;
	rc = resize(&g);
	gcp_close(&g);
	return rc;
}
