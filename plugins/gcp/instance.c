/*
 * instance.c: Compute Engine instances, and the machine description they
 * share with instance templates.
 *
 * An instance is either made from a template (a relationship to an
 * InstanceTemplate node: its link and sizes) in one of the template's
 * named sizes (property `size`, or `size_overrides` by instance name, else
 * the template's default), or fully described by its properties as
 * Cloudify's GCP plugin has them (image_id or a related Image node,
 * instance_type, tags, scopes, startup_script, external_ip,
 * can_ip_forward, block_project_ssh_keys, additional_settings) plus
 * labels, metadata, disk_size_gb, service_account, accelerators,
 * preemptible/spot. Disks, networks, subnetworks and addresses come from
 * relationships (gcp_link: the gcp relationship types, or any
 * relationship to such a node; a subnetwork alone names its network).
 *
 * Names: property `name`, else the next free name of `names` (a list or a
 * comma-separated string: one workstation per artist), else one from the
 * instance id. Runtime properties: name, selfLink, id, zone, ip (internal),
 * public_ip, machine_type.
 */
#include "gcp.h"

#include <string.h>

char *gcp_image_ref(struct gcp *g, const char *image)
{
	if (g_str_has_prefix(image, "http") || g_str_has_prefix(image, "projects/"))
		return g_strdup(image);
	if (g_str_has_prefix(image, "family/"))
		return g_strdup_printf("projects/%s/global/images/%s", g->project,
				       image);
	if (strstr(image, "/family/"))
		return g_strdup_printf("projects/%.*s/global/images%s",
				       (int)(strstr(image, "/family/") - image),
				       image, strstr(image, "/family/"));
	if (strchr(image, '/'))
		return g_strdup_printf("projects/%s", image);
	return g_strdup_printf("projects/%s/global/images/%s", g->project, image);
}

char *gcp_size_machine(json_t *size)
{
	const char *mt = json_string_value(json_object_get(size, "machine_type"));
	json_int_t cpus = json_integer_value(json_object_get(size, "cpus"));
	double mem = json_number_value(json_object_get(size, "memory_gb"));

	if (mt)
		return g_strdup(mt);
	if (cpus <= 0 || mem <= 0)
		return NULL;
	/* custom machine types take memory in MB, a multiple of 256 */
	return g_strdup_printf("custom-%lld-%lld", (long long)cpus,
			       (long long)((json_int_t)(mem * 4) * 256));
}

static json_t *strings(json_t *v)
{
	json_t *out = json_array();

	if (json_is_string(v) && *json_string_value(v)) {
		g_auto(GStrv) parts = g_strsplit(json_string_value(v), ",", -1);

		for (int i = 0; parts[i]; i++)
			if (*g_strstrip(parts[i]))
				json_array_append_new(out, json_string(parts[i]));
	} else if (json_is_array(v)) {
		json_array_extend(out, v);
	}
	json_decref(v);
	return out;
}

static void meta_item(json_t *items, const char *key, const char *value)
{
	json_array_append_new(items, json_pack("{s:s, s:s}", "key", key,
					       "value", value));
}

static json_t *metadata(struct gcp *g, const char *startup)
{
	json_t *items = json_array();
	json_t *meta = gcp_prop(g, "metadata");
	json_t *script = gcp_prop(g, "startup_script");
	bool block = false;
	const char *k;
	json_t *v;

	const char *nfs = gcp_link(g, "nfs_export");

	json_object_foreach(meta, k, v)
		if (json_is_string(v))
			meta_item(items, k, json_string_value(v));
	json_decref(meta);
	if (nfs)
		meta_item(items, "nfs-export", nfs);
	if (!startup && json_is_string(script))
		startup = json_string_value(script);
	else if (!startup && json_is_object(script))
		startup = json_string_value(json_object_get(script, "script"));
	if (startup && *startup)
		meta_item(items, "startup-script", startup);
	json_decref(script);
	if (bp_get_bool(g->ctx, BP_SCOPE_PROPERTIES, "block_project_ssh_keys",
			&block) && block)
		meta_item(items, "block-project-ssh-keys", "true");
	return json_pack("{s:o}", "items", items);
}

static json_t *nic(struct gcp *g)
{
	const char *sub = gcp_link(g, "subnetwork");
	const char *net = gcp_link(g, "network");
	const char *ip = gcp_link(g, "address");
	bool external = false;
	json_t *n;

	if (!net)
		net = gcp_str(g, "network");
	/* a subnetwork alone names its network (Google infers it) */
	if (!net && sub)
		n = json_object();
	else if (strchr(net ? net : g->network, '/'))
		n = json_pack("{s:s}", "network", net ? net : g->network);
	else
		n = json_pack("{s:s+}", "network", "global/networks/",
			      net ? net : g->network);
	if (sub)
		json_object_set_new(n, "subnetwork", json_string(sub));
	bp_get_bool(g->ctx, BP_SCOPE_PROPERTIES, "external_ip", &external);
	if (ip)
		json_object_set_new(n, "accessConfigs",
				    json_pack("[{s:s, s:s}]", "name",
					      "External NAT", "natIP", ip));
	else if (external)
		json_object_set_new(n, "accessConfigs",
				    json_pack("[{s:s}]", "name", "External NAT"));
	return n;
}

static json_t *scheduling(struct gcp *g)
{
	bool spot = false, preemptible = false;

	bp_get_bool(g->ctx, BP_SCOPE_PROPERTIES, "spot", &spot);
	bp_get_bool(g->ctx, BP_SCOPE_PROPERTIES, "preemptible", &preemptible);
	if (spot)
		return json_pack("{s:s, s:s, s:b}", "provisioningModel", "SPOT",
				 "onHostMaintenance", "TERMINATE",
				 "automaticRestart", 0);
	if (preemptible)
		return json_pack("{s:b, s:s, s:b}", "preemptible", 1,
				 "onHostMaintenance", "TERMINATE",
				 "automaticRestart", 0);
	return NULL;
}

/* What instances and templates share: disks, network, metadata, tags,
 * labels, scheduling, service account, accelerators (a new object). */
static json_t *machine_spec(struct gcp *g, const char *image,
			    const char *startup)
{
	g_autofree char *img = gcp_image_ref(g, image);
	json_t *spec = json_object();
	json_t *disk = json_pack("{s:b, s:b, s:{s:s}}", "boot", 1,
				 "autoDelete", 1, "initializeParams",
				 "sourceImage", img);
	json_t *disks = json_pack("[o]", disk);
	json_t *tags = strings(gcp_prop(g, "tags"));
	json_t *scopes = strings(gcp_prop(g, "scopes"));
	json_t *labels = gcp_prop(g, "labels");
	json_t *acc = gcp_prop(g, "accelerators");
	json_t *sched = scheduling(g);
	const char *sa = gcp_str(g, "service_account");
	const char *d = gcp_link(g, "disk");
	int64_t size;
	bool fwd = false;

	if (gcp_int(g, "disk_size_gb", &size) && size > 0)
		json_object_set_new(json_object_get(disk, "initializeParams"),
				    "diskSizeGb", json_integer(size));
	if (d)
		json_array_append_new(disks, json_pack("{s:s, s:b, s:b}", "source",
						       d, "boot", 0,
						       "autoDelete", 0));
	json_object_set_new(spec, "disks", disks);
	json_object_set_new(spec, "networkInterfaces", json_pack("[o]", nic(g)));
	json_object_set_new(spec, "metadata", metadata(g, startup));
	if (json_array_size(tags))
		json_object_set_new(spec, "tags", json_pack("{s:O}", "items", tags));
	json_decref(tags);
	json_object_set_new(spec, "labels", json_is_object(labels) ?
			    json_incref(labels) : json_object());
	json_decref(labels);
	if (sa || json_array_size(scopes))
		json_object_set_new(spec, "serviceAccounts", json_pack(
			"[{s:s, s:O}]", "email", sa ? sa : "default", "scopes",
			json_array_size(scopes) ? scopes :
			json_pack("[s]", GAUTH_SCOPE_CLOUD)));
	json_decref(scopes);
	if (sched)
		json_object_set_new(spec, "scheduling", sched);
	if (json_is_array(acc) && json_array_size(acc))
		json_object_set(spec, "guestAccelerators", acc);
	json_decref(acc);
	if (bp_get_bool(g->ctx, BP_SCOPE_PROPERTIES, "can_ip_forward", &fwd))
		json_object_set_new(spec, "canIpForward", json_boolean(fwd));
	return spec;
}

/* The size size_overrides gives instance `name` (a map, or the text
 * "name:size,name:size"), or NULL (transfer full). */
static char *size_override_of(json_t *o, const char *name)
{
	const char *text = json_string_value(o);
	char *out = NULL;

	if (json_is_object(o) && json_string_value(json_object_get(o, name)))
		out = g_strdup(json_string_value(json_object_get(o, name)));
	if (text) {
		g_auto(GStrv) pairs = g_strsplit(text, ",", -1);

		for (int i = 0; pairs[i] && !out; i++) {
			char *colon = strchr(g_strstrip(pairs[i]), ':');

			if (colon && (size_t)(colon - pairs[i]) == strlen(name) &&
			    strncmp(pairs[i], name, strlen(name)) == 0)
				out = g_strdup(g_strstrip(colon + 1));
		}
	}
	return out;
}

/* ... for the instance `name`, or for it without its name_prefix (the
 * artist's name). */
static char *size_override(struct gcp *g, const char *name)
{
	json_t *o = gcp_prop(g, "size_overrides");
	const char *prefix = gcp_str(g, "name_prefix");
	char *out = size_override_of(o, name);

	if (!out && prefix && g_str_has_prefix(name, prefix))
		out = size_override_of(o, name + strlen(prefix));
	json_decref(o);
	return out;
}

/* The machine type the instance's size asks for (transfer full), NULL
 * for the template's own, or NULL with *rc for an unknown size. */
static char *sized_machine(struct gcp *g, const char *name, int *rc)
{
	g_autofree char *size = size_override(g, name);
	const char *sizes = bp_get_json(g->ctx, BP_SCOPE_RUNTIME, "links.sizes");
	bp_ctx *tpl = sizes ? NULL : gcp_related(g, "template");
	json_t *all, *one;
	char *mt;

	if (tpl)
		sizes = bp_get_json(tpl, BP_SCOPE_RUNTIME, "sizes");

	if (!size && gcp_str(g, "size"))
		size = g_strdup(gcp_str(g, "size"));
	if (!size)
		return NULL;
	all = sizes ? json_loads(sizes, 0, NULL) : NULL;
	one = json_object_get(all, size);
	mt = one ? gcp_size_machine(one) : NULL;
	json_decref(all);
	if (!mt)
		*rc = bp_fail_fatal(g->ctx, "instance '%s': no size '%s' in its "
				    "instance template", name, size);
	return mt;
}

json_t *gcp_instance_body(struct gcp *g, const char *name, const char *image,
			  const char *startup, int *rc)
{
	const char *tpl = gcp_link(g, "template");
	/* with a template, its sizes say the machine, not instance_type */
	const char *mt = tpl ? NULL : gcp_str(g, "instance_type");
	g_autofree char *sized = sized_machine(g, name, rc);
	json_t *body;

	if (!sized && *rc != BP_OK)
		return NULL;
	if (tpl) {
		json_t *labels = gcp_prop(g, "labels");

		body = json_pack("{s:s, s:o}", "name", name, "labels",
				 json_is_object(labels) ? labels : json_object());
		if (labels && !json_is_object(labels))
			json_decref(labels);
	} else {
		if (!image)
			image = gcp_str(g, "image_id");
		if (!image)
			image = gcp_link(g, "image");
		if (!image) {
			*rc = bp_fail_fatal(g->ctx, "instance '%s' needs an image "
					    "(image_id) or an instance template",
					    name);
			return NULL;
		}
		body = machine_spec(g, image, startup);
		json_object_set_new(body, "name", json_string(name));
	}
	if (sized)
		mt = sized;
	if ((mt || !tpl) && g->zone) {
		g_autofree char *full = g_strdup_printf("zones/%s/machineTypes/%s",
							g->zone, mt ? mt :
							"n1-standard-1");

		json_object_set_new(body, "machineType", json_string(full));
	}
	return gcp_with_settings(g, body);
}

static json_t *instance_body(struct gcp *g, const char *name, int *rc)
{
	return gcp_instance_body(g, name, NULL, NULL, rc);
}

/* Candidates: the property `name`; else the entries of `names`, then
 * one made from the instance id. */
static char *instance_candidate(struct gcp *g, int i)
{
	json_t *names = strings(gcp_prop(g, "names"));
	const char *prefix = gcp_str(g, "name_prefix");
	char *out = NULL;
	size_t n = json_array_size(names);

	if (gcp_str(g, "name"))
		out = i == 0 ? gcp_default_name(g) : NULL;
	else if ((size_t)i < n)
		out = g_strdup_printf("%s%s", prefix ? prefix : "",
				      json_string_value(json_array_get(names, i)));
	else if ((size_t)i == n)
		out = gcp_default_name(g);
	json_decref(names);
	if (out) {
		char *clean = gcp_name_from(out, 62);

		g_free(out);
		out = clean;
	}
	return out;
}

static void instance_publish(struct gcp *g, json_t *res)
{
	json_t *nic0 = json_array_get(json_object_get(res, "networkInterfaces"), 0);
	json_t *ac = json_array_get(json_object_get(nic0, "accessConfigs"), 0);
	const char *ip = json_string_value(json_object_get(nic0, "networkIP"));
	const char *nat = json_string_value(json_object_get(ac, "natIP"));
	const char *mt = json_string_value(json_object_get(res, "machineType"));
	bool use_public = false;

	bp_get_bool(g->ctx, BP_SCOPE_PROPERTIES, "use_public_ip", &use_public);
	if (ip)
		bp_runtime_set_string(g->ctx, "networkIP", ip);
	if (nat)
		bp_runtime_set_string(g->ctx, "public_ip", nat);
	if (use_public && nat)
		ip = nat;
	if (ip)
		bp_runtime_set_string(g->ctx, "ip", ip);
	if (mt)
		bp_runtime_set_string(g->ctx, "machine_type",
				      strrchr(mt, '/') ? strrchr(mt, '/') + 1 : mt);
}

/* Instances made from a template are inserted with sourceInstanceTemplate. */
static char *instance_insert_path(struct gcp *g, const char *coll,
				  const char *name)
{
	const char *tpl = gcp_link(g, "template");
	g_autofree char *ref = NULL;
	g_autofree char *q = NULL;

	(void)name;
	if (!tpl)
		return g_strdup(coll);
	ref = g_str_has_prefix(tpl, "http") ? g_strdup(strstr(tpl, "projects/")) :
		g_strdup(tpl);
	q = http_escape(ref ? ref : tpl);
	return g_strdup_printf("%s?sourceInstanceTemplate=%s", coll, q);
}

const struct gcp_kind gcp_instance = {
	.name = "instance", .api = GCP_COMPUTE, .scope = GCP_ZONE,
	.collection = "instances", .owner_field = "labels",
	.status_field = "status", .ready = "RUNNING",
	.body = instance_body, .candidate = instance_candidate,
	.insert_path = instance_insert_path,
	.publish = instance_publish,
};
