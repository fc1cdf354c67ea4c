/* kubernetes.c: the Kubernetes plugin: deploys, waits for and deletes any
 * Kubernetes object the way kubectl does, for the node types of
 * types/kubernetes.yaml (Cloudify's Kubernetes plugin's names).
 *
 * A node stands for one or more objects (manifest.c): its definition, the
 * documents of its file(s), or the workload shortcut's Deployment and
 * Service. The operations, under the names Cloudify's plugin.yaml gives
 * them (cloudify_kubernetes.tasks.*):
 *   create, update     server-side apply of every object, then, when
 *                      validate_resource_status is true, RETRY until each
 *                      is ready by kubectl's rules (ready.c), failing when
 *                      one fails (a Job's Failed condition, a rollout past
 *                      its progress deadline) or after wait_timeout s.
 *                      A retry only reads (the objects were applied), unless
 *                      the definition changed. update takes `definition`
 *                      (the whole object) or `resource_definition_changes`
 *                      (merged into it) as inputs.
 *   scale_replicas     sets spec.replicas (input `replicas`) and waits.
 *   delete             DELETE with propagationPolicy Foreground (or
 *                      options.propagation_policy), newest object first,
 *                      then RETRY until each is gone (404); an object that
 *                      is already gone is done.
 *   use_external_resource  create only reads the objects (FAIL_FATAL when
 *                      one is missing, unless create_if_missing: then it is
 *                      applied) and delete leaves them, as Cloudify does.
 *   read               GET, runtime properties refreshed.
 *   check_status       FAIL_FATAL unless every object is ready.
 *   check_drift        a server-side apply dry run of each object: the
 *                      objects it would change are the operation's output
 *                      `drift` (an empty list when none).
 * Runtime properties: `resources` (one summary per object: apiVersion,
 * kind, name, namespace, uid, resourceVersion and the kind's fields such as
 * cluster_ip, ports, node_ports, load_balancer_ingress, volume), the first
 * object's summary at the top level (with the later objects' kind fields,
 * so a workload shows its Service's cluster_ip), and `kubernetes`, the
 * first object as the server returned it. */
#include "kube.h"

#include <string.h>
#include <time.h>

#define KUBE_WAIT_TIMEOUT 600
#define KUBE_WAIT_INTERVAL 2

/* What one operation works on. */
struct op {
	bp_ctx *ctx;
	struct kube_conn conn;
	json_t *objs;		/* the manifests */
	char *namespace;	/* the default namespace */
};

static void op_clear(struct op *o)
{
	if (o->conn.http)
		kube_conn_close(&o->conn);
	json_decref(o->objs);
	g_free(o->namespace);
}

static int op_open(bp_ctx *ctx, struct op *o, bool manifests)
{
	g_autoptr(json_t) ns = kube_input_or_property(ctx, "options.namespace");
	int rc;

	memset(o, 0, sizeof(*o));
	o->ctx = ctx;
	rc = kube_conn_open(ctx, &o->conn);
	if (rc != BP_OK)
		return rc;
	o->namespace = g_strdup(json_string_value(ns) ? json_string_value(ns) :
				o->conn.auth.namespace ? o->conn.auth.namespace : "default");
	return manifests ? kube_manifests(ctx, &o->objs) : BP_OK;
}

static int64_t prop_int(bp_ctx *ctx, const char *key, int64_t dflt)
{
	int64_t v;

	if (bp_get_int(ctx, BP_SCOPE_INPUTS, key, &v) ||
	    bp_get_int(ctx, BP_SCOPE_PROPERTIES, key, &v))
		return v;
	return dflt;
}

static bool prop_bool(bp_ctx *ctx, const char *key, bool dflt)
{
	bool v;

	if (bp_get_bool(ctx, BP_SCOPE_INPUTS, key, &v) ||
	    bp_get_bool(ctx, BP_SCOPE_PROPERTIES, key, &v))
		return v;
	return dflt;
}

/* A digest of what would be applied: a retry skips the apply when it is
 * the one already applied. */
static char *digest(const struct op *o)
{
	char *text = json_dumps(o->objs, JSON_COMPACT | JSON_SORT_KEYS);
	g_autofree char *all = g_strdup_printf("%s\n%s\n%s", o->conn.auth.server,
					       o->namespace, text);

	free(text);
	return g_compute_checksum_for_string(G_CHECKSUM_SHA256, all, -1);
}

/* RETRY while `why` holds, within wait_timeout of the first wait of this
 * kind (`since_key`: the runtime property holding when it began);
 * `not_yet` says what is still not so ("is not ready"). */
static int wait_more(struct op *o, const char *since_key, const char *not_yet,
		     const char *shown, const char *why)
{
	int64_t timeout = prop_int(o->ctx, "wait_timeout", KUBE_WAIT_TIMEOUT);
	int64_t interval = prop_int(o->ctx, "wait_interval", KUBE_WAIT_INTERVAL);
	int64_t now = (int64_t)time(NULL), since;

	if (!bp_get_int(o->ctx, BP_SCOPE_RUNTIME, since_key, &since)) {
		since = now;
		bp_runtime_set_int(o->ctx, since_key, now);
	}
	if (timeout > 0 && now - since >= timeout) {
		bp_runtime_delete(o->ctx, since_key);
		return bp_fail_fatal(o->ctx, "%s %s after %lld s: %s", shown, not_yet,
				     (long long)(now - since), why);
	}
	return bp_retry(o->ctx, (uint32_t)CLAMP(interval, 1, 3600), "%s: %s", shown, why);
}

/* An external object (use_external_resource): read, never applied;
 * with create_if_missing, applied when it does not exist. */
static int use_external(struct op *o, const struct kube_ref *ref, const json_t *obj,
			json_t **live)
{
	int rc = kube_get(&o->conn, ref, live);

	if (rc != BP_OK || *live) {
		if (rc == BP_OK)
			bp_log(o->ctx, BP_LOG_INFO, "using the existing %s", ref->shown);
		return rc;
	}
	if (!prop_bool(o->ctx, "create_if_missing", false))
		return bp_fail_fatal(o->ctx, "%s does not exist, and use_external_resource "
				     "is true", ref->shown);
	rc = kube_apply(&o->conn, ref, obj, false, live);
	if (rc == BP_OK)
		bp_log(o->ctx, BP_LOG_INFO, "applied the missing %s", ref->shown);
	return rc;
}

/* Applies every object (unless this exact set was applied before), then
 * waits for them when asked to: RETRY for the first that is not ready. A
 * retry only reads, and stops at the first object still not ready. With
 * `external`, objects are used as they are (use_external). */
static int apply_and_wait(struct op *o, bool wait_dflt, bool external)
{
	g_autofree char *dg = digest(o);
	g_autofree char *wait_shown = NULL, *wait_why = NULL;
	const char *done = bp_get_string(o->ctx, BP_SCOPE_RUNTIME, "applied");
	bool fresh = g_strcmp0(done, dg) != 0;
	bool check = prop_bool(o->ctx, "validate_resource_status", wait_dflt);
	size_t i;
	json_t *obj;

	json_array_foreach(o->objs, i, obj) {
		struct kube_ref ref;
		g_autoptr(json_t) live = NULL;
		g_autofree char *why = NULL;
		int rc = kube_ref_of(&o->conn, obj, o->namespace, &ref);

		if (rc == BP_OK && fresh && external) {
			rc = use_external(o, &ref, obj, &live);
		} else if (rc == BP_OK && fresh) {
			rc = kube_apply(&o->conn, &ref, obj, false, &live);
			if (rc == BP_OK)
				bp_log(o->ctx, BP_LOG_INFO, "applied %s", ref.shown);
		} else if (rc == BP_OK) {
			rc = kube_get(&o->conn, &ref, &live);
			if (rc == BP_OK && !live)
				rc = bp_fail(o->ctx, "%s was deleted while waiting for it",
					     ref.shown);
		}
		if (rc == BP_OK) {
			kube_record(o->ctx, i, live);
			switch (check ? kube_readiness(live, &why) : KUBE_READY) {
			case KUBE_READY:
				break;
			case KUBE_FAILED:
				rc = bp_fail_fatal(o->ctx, "%s: %s", ref.shown, why);
				break;
			case KUBE_WAITING:
				if (!wait_why) {
					wait_shown = g_strdup(ref.shown);
					wait_why = g_steal_pointer(&why);
				}
				break;
			}
		}
		kube_ref_clear(&ref);
		if (rc != BP_OK)
			return rc;
		if (wait_why && !fresh)
			break;
	}
	bp_runtime_set_string(o->ctx, "applied", dg);
	if (wait_why)
		return wait_more(o, "wait_started", "is not ready", wait_shown, wait_why);
	bp_runtime_delete(o->ctx, "wait_started");
	return BP_OK;
}

static int op_create(bp_ctx *ctx)
{
	struct op o;
	int rc = op_open(ctx, &o, true);

	if (rc == BP_OK)
		rc = apply_and_wait(&o, false,
				    prop_bool(ctx, "use_external_resource", false));
	op_clear(&o);
	return rc;
}

/* Merges `changes` into `into` recursively (objects merge, the rest
 * replaces). */
static void deep_merge(json_t *into, const json_t *changes)
{
	const char *k;
	json_t *v;

	json_object_foreach((json_t *)changes, k, v) {
		json_t *cur = json_object_get(into, k);

		if (json_is_object(cur) && json_is_object(v))
			deep_merge(cur, v);
		else
			json_object_set(into, k, v);
	}
}

/* Keeps `def` as the node's definition from now on (update, scale). */
static void keep_definition(bp_ctx *ctx, const json_t *def)
{
	char *text = json_dumps(def, JSON_COMPACT);

	bp_runtime_set(ctx, "definition", text);
	free(text);
}

static int op_update(bp_ctx *ctx)
{
	g_autoptr(json_t) def = kube_get_json(ctx, BP_SCOPE_INPUTS, "definition");
	g_autoptr(json_t) changes = kube_get_json(ctx, BP_SCOPE_INPUTS,
						  "resource_definition_changes");
	struct op o;
	int rc;

	if (json_is_object(def)) {
		keep_definition(ctx, def);
	} else if (json_object_size(changes)) {
		g_autoptr(json_t) cur = kube_get_json(ctx, BP_SCOPE_RUNTIME, "definition");

		if (!json_is_object(cur)) {
			json_decref(cur);
			cur = kube_get_json(ctx, BP_SCOPE_PROPERTIES, "definition");
		}
		if (!json_is_object(cur))
			return bp_fail_fatal(ctx, "resource_definition_changes needs a "
					     "definition to change");
		deep_merge(cur, changes);
		keep_definition(ctx, cur);
	}
	rc = op_open(ctx, &o, true);
	if (rc == BP_OK)
		rc = apply_and_wait(&o, false, false);
	op_clear(&o);
	return rc;
}

static int op_scale_replicas(bp_ctx *ctx)
{
	int64_t n;
	struct op o;
	int rc;
	size_t i;
	json_t *obj;

	if (!bp_get_int(ctx, BP_SCOPE_INPUTS, "replicas", &n) || n < 0)
		return bp_fail_fatal(ctx, "scale_replicas needs an input 'replicas', a "
				     "number of at least 0");
	rc = op_open(ctx, &o, true);
	if (rc != BP_OK) {
		op_clear(&o);
		return rc;
	}
	json_array_foreach(o.objs, i, obj) {
		const char *kind = json_string_value(json_object_get(obj, "kind"));

		if (json_is_object(json_object_get(obj, "spec")) &&
		    (!g_strcmp0(kind, "Deployment") || !g_strcmp0(kind, "StatefulSet") ||
		     !g_strcmp0(kind, "ReplicaSet") ||
		     !g_strcmp0(kind, "ReplicationController")))
			json_object_set_new(json_object_get(obj, "spec"), "replicas",
					    json_integer(n));
	}
	if (bp_get_string(ctx, BP_SCOPE_PROPERTIES, "image"))
		bp_runtime_set_int(ctx, "replicas_wanted", n);
	else
		keep_definition(ctx, json_array_get(o.objs, 0));
	bp_log(ctx, BP_LOG_INFO, "scaling to %lld replicas", (long long)n);
	rc = apply_and_wait(&o, true, false);
	op_clear(&o);
	return rc;
}

/* The objects to delete: what create recorded, else the manifests. */
static json_t *recorded(bp_ctx *ctx, const struct op *o)
{
	json_t *r = kube_get_json(ctx, BP_SCOPE_RUNTIME, "resources");
	json_t *out = json_array();
	size_t i;
	json_t *e;

	if (!json_is_array(r) || !json_array_size(r)) {
		json_decref(r);
		r = json_incref(o->objs);
	}
	json_array_foreach(r, i, e) {
		json_t *meta = json_object_get(e, "metadata");
		json_t *name = meta ? json_object_get(meta, "name") : json_object_get(e, "name");
		json_t *ns = meta ? json_object_get(meta, "namespace")
				  : json_object_get(e, "namespace");

		if (!json_is_object(e))
			continue;
		json_array_append_new(out, json_pack("{s:O, s:O, s:{s:O}}",
			"apiVersion", json_object_get(e, "apiVersion"),
			"kind", json_object_get(e, "kind"), "metadata", "name", name));
		if (ns)
			json_object_set(json_object_get(json_array_get(out, json_array_size(out) - 1),
							 "metadata"), "namespace", ns);
	}
	json_decref(r);
	return out;
}

static int op_delete(bp_ctx *ctx)
{
	g_autoptr(json_t) policy = kube_input_or_property(ctx, "options.propagation_policy");
	int64_t grace = prop_int(ctx, "options.grace_period_seconds", -1);
	g_autoptr(json_t) objs = NULL;
	g_autofree char *waiting = NULL;
	struct op o;
	int rc;

	if (prop_bool(ctx, "use_external_resource", false)) {
		bp_log(ctx, BP_LOG_INFO, "leaving the objects: use_external_resource is true");
		bp_runtime_delete(ctx, "applied");
		return BP_OK;
	}
	rc = op_open(ctx, &o, true);
	if (rc == BP_FAIL_FATAL && bp_get_json(ctx, BP_SCOPE_RUNTIME, "resources")) {
		/* the definition no longer loads: delete what was made */
		op_clear(&o);
		rc = op_open(ctx, &o, false);
	}
	if (rc != BP_OK) {
		op_clear(&o);
		return rc;
	}
	objs = recorded(ctx, &o);
	for (size_t i = json_array_size(objs); i-- > 0 && rc == BP_OK;) {
		struct kube_ref ref;
		bool gone = false;

		rc = kube_ref_of(&o.conn, json_array_get(objs, i), o.namespace, &ref);
		if (rc == BP_OK)
			rc = kube_delete(&o.conn, &ref, json_string_value(policy), grace, &gone);
		if (rc == BP_OK && gone)
			bp_log(ctx, BP_LOG_INFO, "%s is gone", ref.shown);
		else if (rc == BP_OK && !waiting)
			waiting = g_strdup(ref.shown);
		kube_ref_clear(&ref);
	}
	if (rc == BP_OK && waiting)
		rc = wait_more(&o, "delete_started", "is still there", waiting,
			       "waiting for it to be deleted");
	if (rc == BP_OK) {
		bp_runtime_delete(ctx, "delete_started");
		bp_runtime_delete(ctx, "wait_started");
		bp_runtime_delete(ctx, "applied");
	}
	op_clear(&o);
	return rc;
}

/* Reads every object; with `check`, fails unless each is ready. */
static int read_all(bp_ctx *ctx, bool check)
{
	struct op o;
	int rc = op_open(ctx, &o, true);
	size_t i;
	json_t *obj;

	json_array_foreach(rc == BP_OK ? o.objs : NULL, i, obj) {
		struct kube_ref ref;
		g_autoptr(json_t) live = NULL;
		g_autofree char *why = NULL;

		rc = kube_ref_of(&o.conn, obj, o.namespace, &ref);
		if (rc == BP_OK)
			rc = kube_get(&o.conn, &ref, &live);
		if (rc == BP_OK && !live)
			rc = bp_fail_fatal(ctx, "%s does not exist", ref.shown);
		if (rc == BP_OK) {
			kube_record(ctx, i, live);
			if (check && kube_readiness(live, &why) != KUBE_READY)
				rc = bp_fail_fatal(ctx, "%s is not ready: %s", ref.shown, why);
		}
		kube_ref_clear(&ref);
		if (rc != BP_OK)
			break;
	}
	op_clear(&o);
	return rc;
}

static int op_read(bp_ctx *ctx)
{
	return read_all(ctx, false);
}

static int op_check_status(bp_ctx *ctx)
{
	return read_all(ctx, true);
}

/* The fields a dry-run apply would change: compares what the server
 * would store with what it stores, minus bookkeeping. */
static void strip(json_t *obj)
{
	json_t *meta = json_object_get(obj, "metadata");

	json_object_del(obj, "status");
	json_object_del(meta, "managedFields");
	json_object_del(meta, "resourceVersion");
	json_object_del(meta, "generation");
}

static int op_check_drift(bp_ctx *ctx)
{
	g_autoptr(json_t) drift = json_array();
	struct op o;
	int rc = op_open(ctx, &o, true);
	size_t i;
	json_t *obj;
	char *text;

	json_array_foreach(rc == BP_OK ? o.objs : NULL, i, obj) {
		struct kube_ref ref;
		g_autoptr(json_t) live = NULL, would = NULL;

		rc = kube_ref_of(&o.conn, obj, o.namespace, &ref);
		if (rc == BP_OK)
			rc = kube_get(&o.conn, &ref, &live);
		if (rc == BP_OK && live)
			rc = kube_apply(&o.conn, &ref, obj, true, &would);
		if (rc == BP_OK) {
			if (live && would) {
				strip(live);
				strip(would);
			}
			if (!live || !json_equal(live, would))
				json_array_append_new(drift, json_string(ref.shown));
		}
		kube_ref_clear(&ref);
		if (rc != BP_OK)
			break;
	}
	op_clear(&o);
	if (rc != BP_OK)
		return rc;
	text = json_dumps(drift, JSON_COMPACT);
	bp_output_set(ctx, "drift", text);
	bp_log(ctx, BP_LOG_INFO, "drift: %s", text);
	free(text);
	return BP_OK;
}

static bool kube_load(const struct bp_api *api, void **state, char **errmsg)
{
	g_autofree char *err = NULL;

	*state = kube_state_new(&err);
	if (!*state) {
		*errmsg = api->strdupf("kubernetes: %s", err);
		return false;
	}
	return true;
}

static void kube_unload(void *state)
{
	kube_discovery_reset();
	kube_state_free(state);
}

#define TASK(n) "cloudify_kubernetes.tasks." n

static const struct bp_op kube_ops[] = {
	{ TASK("resource_create"), op_create },
	{ TASK("resource_read"), op_read },
	{ TASK("resource_update"), op_update },
	{ TASK("resource_delete"), op_delete },
	{ TASK("resource_read_check_status"), op_check_status },
	{ TASK("resource_read_check_drift"), op_check_drift },
	{ TASK("custom_resource_create"), op_create },
	{ TASK("custom_resource_delete"), op_delete },
	{ TASK("custom_check_status"), op_check_status },
	{ TASK("custom_check_drift"), op_check_drift },
	{ TASK("file_resource_create"), op_create },
	{ TASK("file_resource_read"), op_read },
	{ TASK("file_resource_update"), op_update },
	{ TASK("file_resource_delete"), op_delete },
	{ TASK("file_resource_check_status"), op_check_status },
	{ TASK("file_resource_check_drift"), op_check_drift },
	{ TASK("multiple_file_resource_create"), op_create },
	{ TASK("multiple_file_resource_read"), op_read },
	{ TASK("multiple_file_resource_update"), op_update },
	{ TASK("multiple_file_resource_delete"), op_delete },
	{ TASK("multiple_file_resource_check_status"), op_check_status },
	{ TASK("multiple_file_resource_check_drift"), op_check_drift },
	{ TASK("scale_replicas"), op_scale_replicas },
	{ NULL, NULL },
};

BP_PLUGIN_DEFINE("kubernetes", "0.1.0", kube_ops, kube_load, kube_unload);
