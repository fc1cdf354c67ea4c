/* manifest.c: the Kubernetes objects a node stands for, and what is kept
 * of them in runtime properties.
 *   resource nodes    `definition` (apiVersion, kind, metadata, spec and
 *                     the kind's other top-level fields); a kind missing
 *                     from it comes from the node type's name
 *                     (...resources.Deployment), a missing apiVersion from
 *                     the kind (apps/v1 for Deployment, ...), or for a
 *                     CustomObject from options.group/version;
 *   file nodes        every document of `file.resource_path` (or of each
 *                     of `files`), beside the blueprint, with
 *                     {{ name }} replaced from template_variables;
 *   workload nodes    a Deployment and, when it has ports, a Service,
 *                     from name, image, replicas, ports, env, resources.
 * `update` and `scale_replicas` keep the definition they applied in the
 * runtime property `definition` (or `replicas` for a workload), which wins
 * from then on, so a retry or a later operation does not undo them. */
#include "kube.h"

#include <string.h>

#include "../common/yaml.h"

/* apiVersion of the kinds a definition may leave it out for. */
static const char *const default_versions[][2] = {
	{ "Deployment", "apps/v1" }, { "StatefulSet", "apps/v1" },
	{ "DaemonSet", "apps/v1" }, { "ReplicaSet", "apps/v1" },
	{ "Job", "batch/v1" }, { "CronJob", "batch/v1beta1" },
	{ "Ingress", "networking.k8s.io/v1" }, { "NetworkPolicy", "networking.k8s.io/v1" },
	{ "Role", "rbac.authorization.k8s.io/v1" },
	{ "RoleBinding", "rbac.authorization.k8s.io/v1" },
	{ "ClusterRole", "rbac.authorization.k8s.io/v1" },
	{ "ClusterRoleBinding", "rbac.authorization.k8s.io/v1" },
	{ "CustomResourceDefinition", "apiextensions.k8s.io/v1" },
	{ "StorageClass", "storage.k8s.io/v1" },
	{ "PodSecurityPolicy", "policy/v1beta1" },
};

static const char *default_version(const char *kind)
{
	for (size_t i = 0; i < G_N_ELEMENTS(default_versions); i++)
		if (!strcmp(default_versions[i][0], kind))
			return default_versions[i][1];
	return "v1";
}

/* The kind a node type's name implies: the segment after "resources.",
 * when it is not one of the generic types. */
static char *kind_of_type(const char *type)
{
	static const char *const generic[] = {
		"BlueprintDefinedResource", "CustomBlueprintDefinedResource",
		"CustomObject", "ResourceBase", "ResourceWithValidateStatus", NULL,
	};
	const char *r = type ? strstr(type, "resources.") : NULL;

	if (!r)
		return NULL;
	r += strlen("resources.");
	for (int i = 0; generic[i]; i++)
		if (!strcmp(r, generic[i]))
			return NULL;
	return strchr(r, '.') ? NULL : g_strdup(r);
}

/* Drops the empty top-level fields the types' defaults leave (spec: {}
 * on a ConfigMap would be rejected) and fills kind and apiVersion. */
static void complete(bp_ctx *ctx, json_t *obj)
{
	const char *key;
	json_t *v;
	void *tmp;
	g_autofree char *kind = NULL;

	json_object_foreach_safe(obj, tmp, key, v)
		if (strcmp(key, "metadata") &&
		    (json_is_null(v) || (json_is_object(v) && !json_object_size(v)) ||
		     (json_is_array(v) && !json_array_size(v))))
			json_object_del(obj, key);
	if (!json_is_object(json_object_get(obj, "metadata")))
		json_object_set_new(obj, "metadata", json_object());
	if (!json_string_value(json_object_get(obj, "kind"))) {
		kind = kind_of_type(bp_node_type(ctx));
		if (kind)
			json_object_set_new(obj, "kind", json_string(kind));
	}
	if (!json_string_value(json_object_get(obj, "apiVersion"))) {
		const char *group = bp_get_string(ctx, BP_SCOPE_PROPERTIES, "options.group");
		const char *version = bp_get_string(ctx, BP_SCOPE_PROPERTIES, "options.version");
		const char *k = json_string_value(json_object_get(obj, "kind"));

		if (group && version)
			json_object_set_new(obj, "apiVersion",
					    json_sprintf("%s/%s", group, version));
		else if (k)
			json_object_set_new(obj, "apiVersion", json_string(default_version(k)));
	}
}

/* `text` with every {{ name }} of `vars` replaced (transfer full). */
static char *render(const char *text, const json_t *vars)
{
	GString *s = g_string_new(text);
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)vars, key, v) {
		g_autofree char *val = json_is_string(v) ? g_strdup(json_string_value(v))
					: json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		g_autofree char *esc = g_regex_escape_string(key, -1);
		g_autofree char *pat = g_strdup_printf("\\{\\{\\s*%s\\s*\\}\\}", esc);
		g_autoptr(GRegex) re = g_regex_new(pat, 0, 0, NULL);
		char *out;

		if (!re)
			continue;
		out = g_regex_replace_literal(re, s->str, -1, 0, val, 0, NULL);
		g_string_assign(s, out);
		g_free(out);
	}
	return g_string_free(s, FALSE);
}

/* Appends the documents of one FileResource ({resource_path,
 * template_variables} or a path) to `out`. */
static int add_file(bp_ctx *ctx, const json_t *fr, json_t *out)
{
	const char *rel = json_is_string(fr) ? json_string_value(fr)
			  : json_string_value(json_object_get(fr, "resource_path"));
	json_t *vars = json_object_get(fr, "template_variables");
	const char *dir = bp_blueprint_dir(ctx);
	g_autofree char *path = NULL, *text = NULL, *rendered = NULL, *perr = NULL;
	g_autoptr(GError) gerr = NULL;
	g_autoptr(json_t) docs = NULL;
	size_t i;
	json_t *d;

	if (!rel || !*rel)
		return bp_fail_fatal(ctx, "file.resource_path is not set");
	path = g_path_is_absolute(rel) || !dir ? g_strdup(rel)
					       : g_build_filename(dir, rel, NULL);
	if (!g_file_get_contents(path, &text, NULL, &gerr))
		return bp_fail_fatal(ctx, "cannot read '%s': %s", rel, gerr->message);
	rendered = json_is_object(vars) ? render(text, vars) : g_strdup(text);
	docs = yaml_docs_to_json(rendered, 0, &perr);
	if (!docs)
		return bp_fail_fatal(ctx, "'%s': %s", rel, perr);
	json_array_foreach(docs, i, d) {
		if (json_is_null(d))
			continue;
		if (!json_is_object(d))
			return bp_fail_fatal(ctx, "'%s': document %zu is not an object",
					     rel, i + 1);
		json_array_append(out, d);
	}
	return BP_OK;
}

static int from_definition(bp_ctx *ctx, json_t *out)
{
	json_t *def = kube_get_json(ctx, BP_SCOPE_RUNTIME, "definition");

	if (!json_is_object(def)) {
		json_decref(def);
		def = kube_input_or_property(ctx, "definition");
	}
	if (!json_is_object(def)) {
		json_decref(def);
		return bp_fail_fatal(ctx, "node '%s' has no definition",
				     bp_node_name(ctx) ? bp_node_name(ctx) : "");
	}
	json_array_append_new(out, def);
	return BP_OK;
}

int kube_manifests(bp_ctx *ctx, json_t **out)
{
	g_autoptr(json_t) list = json_array();
	g_autoptr(json_t) file = kube_get_json(ctx, BP_SCOPE_PROPERTIES, "file");
	g_autoptr(json_t) files = kube_get_json(ctx, BP_SCOPE_PROPERTIES, "files");
	g_autoptr(json_t) image = kube_get_json(ctx, BP_SCOPE_PROPERTIES, "image");
	size_t i;
	json_t *o;
	int rc = BP_OK;

	*out = NULL;
	if (json_is_string(image)) {
		g_autofree char *err = NULL;
		json_t *w = kube_workload_manifests(ctx, &err);

		if (!w)
			return bp_fail_fatal(ctx, "%s", err);
		json_array_extend(list, w);
		json_decref(w);
	} else if (json_is_array(files)) {
		json_array_foreach(files, i, o)
			if ((rc = add_file(ctx, o, list)) != BP_OK)
				return rc;
	} else if (json_is_object(file)) {
		if ((rc = add_file(ctx, file, list)) != BP_OK)
			return rc;
	} else if ((rc = from_definition(ctx, list)) != BP_OK) {
		return rc;
	}
	json_array_foreach(list, i, o)
		complete(ctx, o);
	*out = g_steal_pointer(&list);
	return BP_OK;
}

/* ---- runtime properties -------------------------------------------------- */

static void set(bp_ctx *ctx, const char *path, json_t *v /* consumed */)
{
	char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);

	if (text)
		bp_runtime_set(ctx, path, text);
	free(text);
	json_decref(v);
}

/* The kind's own fields worth reading back (cluster IP, ports, ...). */
static void kind_fields(const json_t *obj, json_t *sum)
{
	const char *kind = json_string_value(json_object_get(obj, "kind"));
	json_t *spec = json_object_get(obj, "spec");
	json_t *status = json_object_get(obj, "status");

	if (!g_strcmp0(kind, "Service")) {
		json_t *ports = json_object_get(spec, "ports"), *p, *np = json_array();
		json_t *ing = json_object_get(json_object_get(status, "loadBalancer"), "ingress");
		json_t *first = json_array_get(ing, 0);
		size_t i;

		json_object_set(sum, "cluster_ip", json_object_get(spec, "clusterIP"));
		json_object_set(sum, "type", json_object_get(spec, "type"));
		json_object_set(sum, "ports", ports ? ports : json_null());
		json_array_foreach(ports, i, p)
			if (json_object_get(p, "nodePort"))
				json_array_append(np, json_object_get(p, "nodePort"));
		json_object_set_new(sum, "node_ports", np);
		if (first) {
			json_t *a = json_object_get(first, "ip");
			json_object_set(sum, "load_balancer_ingress",
					a ? a : json_object_get(first, "hostname"));
		}
	} else if (!g_strcmp0(kind, "PersistentVolumeClaim")) {
		json_object_set(sum, "volume", json_object_get(spec, "volumeName"));
		json_object_set(sum, "phase", json_object_get(status, "phase"));
	} else if (!g_strcmp0(kind, "Deployment") || !g_strcmp0(kind, "StatefulSet") ||
		   !g_strcmp0(kind, "ReplicaSet")) {
		json_object_set(sum, "replicas", json_object_get(spec, "replicas"));
		json_object_set(sum, "ready_replicas", json_object_get(status, "readyReplicas"));
	} else if (!g_strcmp0(kind, "Pod")) {
		json_object_set(sum, "pod_ip", json_object_get(status, "podIP"));
		json_object_set(sum, "phase", json_object_get(status, "phase"));
	}
}

void kube_record(bp_ctx *ctx, size_t index, const json_t *obj)
{
	json_t *meta = json_object_get(obj, "metadata");
	json_t *sum = json_object();
	g_autoptr(json_t) all = kube_get_json(ctx, BP_SCOPE_RUNTIME, "resources");
	const char *key;
	json_t *v;

	json_object_set(sum, "apiVersion", json_object_get(obj, "apiVersion"));
	json_object_set(sum, "kind", json_object_get(obj, "kind"));
	json_object_set(sum, "name", json_object_get(meta, "name"));
	if (json_object_get(meta, "namespace"))
		json_object_set(sum, "namespace", json_object_get(meta, "namespace"));
	json_object_set(sum, "uid", json_object_get(meta, "uid"));
	json_object_set(sum, "resourceVersion", json_object_get(meta, "resourceVersion"));
	kind_fields(obj, sum);
	if (!json_is_array(all)) {
		json_decref(all);
		all = json_array();
	}
	while (json_array_size(all) <= index)
		json_array_append_new(all, json_null());
	json_array_set(all, index, sum);
	set(ctx, "resources", json_incref(all));
	json_object_foreach(sum, key, v)
		if (index == 0 || !json_object_get(json_array_get(all, 0), key))
			set(ctx, key, json_incref(v));
	if (index == 0) {
		json_t *copy = json_deep_copy(obj);
		json_object_del(json_object_get(copy, "metadata"), "managedFields");
		set(ctx, "kubernetes", copy);
	}
	json_decref(sum);
}
