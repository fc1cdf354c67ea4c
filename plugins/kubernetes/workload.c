/* workload.c: the workload shortcut, the "name + image" deployment many
 * users want: {name: web, image: nginx:1.25, replicas: 2, ports: [80],
 * env: {A: b}, resources: {limits: {cpu: 500m}}} becomes
 *   a Deployment `name` (label app=name) of `replicas` pods running one
 *   container `name` of `image`, with the ports, env and resources;
 *   a Service `name` (type service_type, default ClusterIP) selecting
 *   those pods, one port per entry of `ports`, when there are ports.
 * A port is a number or {port, target_port, name, protocol, node_port}.
 * Nothing is checked here that the API server checks: an invalid name or
 * value comes back as its own validation message. */
#include "kube.h"

#include <string.h>

static json_t *prop(bp_ctx *ctx, const char *key)
{
	return kube_get_json(ctx, BP_SCOPE_PROPERTIES, key);
}

static json_t *env_list(const json_t *env)
{
	json_t *out;
	const char *k;
	json_t *v;

	if (json_is_array(env))
		return json_deep_copy(env);
	out = json_array();
	json_object_foreach((json_t *)env, k, v) {
		char *t = json_is_string(v) ? NULL : json_dumps(v, JSON_ENCODE_ANY);

		json_array_append_new(out, json_pack("{s:s, s:s}", "name", k, "value",
						     t ? t : json_string_value(v)));
		free(t);
	}
	return out;
}

/* The ports as {port, target_port, name, protocol, node_port} objects. */
static json_t *norm_ports(const json_t *ports, char **errmsg)
{
	json_t *out = json_array();
	size_t i;
	json_t *p;

	json_array_foreach(ports, i, p) {
		json_t *o = json_is_integer(p) ? json_pack("{s:O}", "port", p)
			  : json_is_object(p) ? json_deep_copy(p) : NULL;

		if (!o || !json_is_integer(json_object_get(o, "port"))) {
			*errmsg = g_strdup_printf("ports[%zu]: expected a port number or "
						  "{port: N, ...}", i);
			json_decref(o);
			json_decref(out);
			return NULL;
		}
		json_array_append_new(out, o);
	}
	return out;
}

static const char *port_name(const json_t *p, char *buf, size_t size)
{
	const char *n = json_string_value(json_object_get(p, "name"));

	if (n)
		return n;
	g_snprintf(buf, size, "port-%lld",
		   (long long)json_integer_value(json_object_get(p, "port")));
	return buf;
}

static const char *protocol(const json_t *p)
{
	const char *pr = json_string_value(json_object_get(p, "protocol"));

	return pr ? pr : "TCP";	/* v1.20's apply needs it spelled out */
}

json_t *kube_workload_manifests(bp_ctx *ctx, char **errmsg)
{
	g_autoptr(json_t) name = prop(ctx, "name"), image = prop(ctx, "image");
	g_autoptr(json_t) replicas = kube_get_json(ctx, BP_SCOPE_RUNTIME, "replicas_wanted");
	g_autoptr(json_t) ports_in = prop(ctx, "ports"), env = prop(ctx, "env");
	g_autoptr(json_t) res = prop(ctx, "resources"), stype = prop(ctx, "service_type");
	g_autoptr(json_t) ports = NULL;
	json_t *labels, *container, *cports, *sports, *dep, *svc, *out;
	size_t i;
	json_t *p;
	char buf[32];

	if (!json_is_string(name) || !json_is_string(image)) {
		*errmsg = g_strdup("a workload needs a name and an image");
		return NULL;
	}
	if (!json_is_integer(replicas)) {
		json_decref(replicas);
		replicas = prop(ctx, "replicas");
	}
	ports = norm_ports(ports_in, errmsg);
	if (!ports)
		return NULL;
	labels = json_pack("{s:O}", "app", name);
	container = json_pack("{s:O, s:O}", "name", name, "image", image);
	cports = json_array();
	sports = json_array();
	json_array_foreach(ports, i, p) {
		json_t *target = json_object_get(p, "target_port");
		json_t *np = json_object_get(p, "node_port");
		json_t *sp;

		json_array_append_new(cports, json_pack("{s:O, s:s}", "containerPort",
			target ? target : json_object_get(p, "port"), "protocol", protocol(p)));
		sp = json_pack("{s:s, s:O, s:O, s:s}", "name", port_name(p, buf, sizeof(buf)),
			       "port", json_object_get(p, "port"),
			       "targetPort", target ? target : json_object_get(p, "port"),
			       "protocol", protocol(p));
		if (np)
			json_object_set(sp, "nodePort", np);
		json_array_append_new(sports, sp);
	}
	if (json_array_size(cports))
		json_object_set(container, "ports", cports);
	if (json_object_size(env) || json_array_size(env))
		json_object_set_new(container, "env", env_list(env));
	if (json_object_size(res))
		json_object_set(container, "resources", res);
	dep = json_pack("{s:s, s:s, s:{s:O, s:O}, s:{s:I, s:{s:O}, s:{s:{s:O}, s:{s:[o]}}}}",
			"apiVersion", "apps/v1", "kind", "Deployment",
			"metadata", "name", name, "labels", labels,
			"spec", "replicas", (json_int_t)(json_is_integer(replicas) ?
						       json_integer_value(replicas) : 1),
			"selector", "matchLabels", labels,
			"template", "metadata", "labels", labels,
			"spec", "containers", container);
	out = json_pack("[o]", dep);
	if (json_array_size(sports)) {
		svc = json_pack("{s:s, s:s, s:{s:O, s:O}, s:{s:s, s:O, s:O}}",
				"apiVersion", "v1", "kind", "Service",
				"metadata", "name", name, "labels", labels,
				"spec", "type", json_is_string(stype) ? json_string_value(stype)
								     : "ClusterIP",
				"selector", labels, "ports", sports);
		json_array_append_new(out, svc);
	}
	json_decref(labels);
	json_decref(cports);
	json_decref(sports);
	return out;
}
