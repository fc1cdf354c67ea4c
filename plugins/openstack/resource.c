/* resource.c: create, wait, find, delete, list and update, once for every
 * kind of resource (struct os_kind says where each lives and how it shows
 * it is ready).
 *
 * create: a saved id is looked at first (a retry while it builds, or a
 * re-run after a crash); with use_external_resource the resource is
 * looked up by resource_config.id, resource_id or name and adopted, never
 * created (unless create_if_missing); otherwise a resource this instance
 * created before its id was saved is found by name and marker (Neutron tag,
 * server, volume or aggregate metadata, image property, Keystone attribute,
 * volume type extra spec), by the marker alone for floating IPs (tag, or
 * the description set at create), or by the kind's own search (an RBAC
 * policy by its values; key pairs and flavors: same name and key or specs;
 * server groups: name and policy, no members), so a re-run never makes a
 * twin; then POST. While the resource is not ready the operation returns
 * RETRY; a failed status fails for good with the API's fault message.
 * delete: adopted resources are left alone; DELETE, then for kinds that
 * go away slowly RETRY until GET answers 404; already absent is done. */
#include <string.h>
#include <glib.h>

#include "os.h"

char *os_res_marker(bp_ctx *ctx)
{
	g_autofree char *src = g_strdup_printf("%s/%s", bp_deployment_id(ctx),
					       bp_instance_id(ctx));
	g_autofree char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA1,
							     src, -1);

	sum[20] = '\0';
	return g_strdup_printf("bp-%s", sum);
}

char *os_res_id(const struct os_kind *k, const json_t *res)
{
	const json_t *v = json_object_get(res, k->by_name ? "name" : "id");

	if (json_is_integer(v))
		return g_strdup_printf("%" JSON_INTEGER_FORMAT,
				       json_integer_value(v));
	return g_strdup(json_string_value(v));
}

static const char *marker_key(const struct os_kind *k)
{
	return k->marker_key ? k->marker_key : "blueprint_instance";
}

static json_t *unwrap(const struct os_kind *k, json_t *body)
{
	return k->key ? json_object_get(body, k->key) : body;
}

/* Reads the list a GET of the kind's collection answers. */
static json_t *list_of(const struct os_kind *k, json_t *body)
{
	return json_object_get(body, k->plural);
}

static json_t *get_one(struct os_conn *c, bp_ctx *ctx, const struct os_kind *k,
		       const char *id, struct os_reply *r)
{
	g_autofree char *e = http_escape(id);
	g_autofree char *path = g_strdup_printf("%s/%s", k->path, e);
	json_t *res;

	if (!os_call(c, ctx, k->svc, "GET", path, NULL, r))
		return NULL;
	res = unwrap(k, r->body);
	return json_is_object(res) ? json_incref(res) : NULL;
}

/* Items of the collection named `name` (exact match), with `extra`
 * appended to the query. (transfer full) an array, or NULL on failure. */
static json_t *by_name(struct os_conn *c, bp_ctx *ctx, const struct os_kind *k,
		       const char *name, const char *extra, struct os_reply *r)
{
	g_autofree char *e = http_escape(name);
	g_autofree char *path = NULL;
	const char *field = k->name_field ? k->name_field : "name";
	json_t *out = json_array(), *item;
	size_t i;

	if (k->svc == OS_COMPUTE && k == &os_kind_server)
		path = g_strdup_printf("%s?name=%%5E%s%%24%s", k->list_path,
				       e, extra ? extra : "");
	else if (k->svc == OS_COMPUTE)
		path = g_strdup(k->list_path ? k->list_path : k->path);
	else
		path = g_strdup_printf("%s?%s=%s%s", k->list_path ?
				       k->list_path : k->path, field, e,
				       extra ? extra : "");
	if (!os_call(c, ctx, k->svc, "GET", path, NULL, r)) {
		json_decref(out);
		return NULL;
	}
	json_array_foreach(list_of(k, r->body), i, item) {
		json_t *o = k->key && json_is_object(json_object_get(item,
						k->key)) ?
			json_object_get(item, k->key) : item;
		if (!g_strcmp0(os_json_str(o, field), name))
			json_array_append(out, o);
	}
	return out;
}

json_t *os_res_find(struct os_conn *c, bp_ctx *ctx, const struct os_kind *k,
		    const char *id_or_name, struct os_reply *r)
{
	json_t *res = get_one(c, ctx, k, id_or_name, r);
	json_t *found;

	if (res || (r->status != 404 && r->status != 400))
		return res;
	os_reply_clear(r);
	found = by_name(c, ctx, k, id_or_name, NULL, r);
	if (!found)
		return NULL;
	if (json_array_size(found) == 1) {
		res = json_incref(json_array_get(found, 0));
	} else if (json_array_size(found) == 0) {
		r->status = 404;
		r->error = g_strdup_printf("no %s '%s'", k->label, id_or_name);
	} else {
		r->status = 409;
		r->fatal = true;
		r->error = g_strdup_printf("%zu resources of type %s are "
					   "named '%s': use its id",
					   json_array_size(found), k->label,
					   id_or_name);
	}
	json_decref(found);
	return res;
}

char *os_res_resolve(struct os_conn *c, bp_ctx *ctx, const struct os_kind *k,
		     const char *id_or_name, int *rc)
{
	struct os_reply r = { 0 };
	json_t *res = os_res_find(c, ctx, k, id_or_name, &r);
	char *id = NULL;

	if (res) {
		id = os_res_id(k, res);
	} else {
		g_autofree char *what = g_strdup_printf("%s '%s'", k->label,
							id_or_name);
		if (r.status == 404)
			r.fatal = true;
		*rc = os_reply_fail(ctx, &r, what);
	}
	json_decref(res);
	os_reply_clear(&r);
	return id;
}

json_t *os_res_config(bp_ctx *ctx, const struct os_kind *k)
{
	json_t *cfg = os_ctx_value(ctx, "resource_config");
	json_t *kw, *args;

	if (!json_is_object(cfg)) {
		json_decref(cfg);
		cfg = json_object();
	}
	if (k->v2_key) {
		json_t *v2 = os_ctx_value(ctx, k->v2_key);
		if (json_is_object(v2))
			json_object_update_missing(cfg, v2);
		json_decref(v2);
	}
	args = os_ctx_value(ctx, "args");  /* the create input (Cloudify's) */
	if (json_is_object(args))
		json_object_update(cfg, args);
	json_decref(args);
	kw = json_object_get(cfg, "kwargs");
	if (json_is_object(kw)) {
		json_incref(kw);
		json_object_del(cfg, "kwargs");
		json_object_update(cfg, kw);
		json_decref(kw);
	} else {
		json_object_del(cfg, "kwargs");
	}
	return cfg;
}

/* Is `value` one of the '|'-separated `set`? */
static bool in_set(const char *value, const char *set)
{
	g_auto(GStrv) parts = NULL;

	if (!value || !set)
		return false;
	parts = g_strsplit(set, "|", -1);
	for (char **p = parts; *p; p++)
		if (!g_ascii_strcasecmp(*p, value))
			return true;
	return false;
}

int os_res_settle(bp_ctx *ctx, struct os_conn *c, const struct os_kind *k,
		  const json_t *res)
{
	g_autofree char *id = os_res_id(k, res);
	const char *name = os_json_str(res, "name");
	const char *st = k->status ? os_json_str(res, k->status) : NULL;

	bp_runtime_set_string(ctx, "id", id);
	bp_runtime_set_string(ctx, "type", k->name);
	if (name)
		bp_runtime_set_string(ctx, "name", name);
	if (k->status && in_set(st, k->failed)) {
		const char *fault = os_json_str(json_object_get(res, "fault"),
						"message");
		return bp_fail_fatal(ctx, "%s '%s' went to %s: %s", k->label,
				     id, st, fault ? fault :
				     "the API gives no reason");
	}
	if (k->status && !in_set(st, k->ready))
		return bp_retry(ctx, 2, "%s '%s' is %s, waiting for %s",
				k->label, id, st ? st : "(no status)",
				k->ready);
	if (k->publish)
		k->publish(ctx, c, res);
	return BP_OK;
}

/* The first item of the kind's collection that `query` selects
 * (transfer full), or NULL (r filled on failure). */
static json_t *first_of(struct os_conn *c, bp_ctx *ctx,
			const struct os_kind *k, const char *query,
			struct os_reply *r)
{
	g_autofree char *path = g_strdup_printf("%s?%s", k->list_path ?
						k->list_path : k->path, query);
	json_t *item;

	os_reply_clear(r);
	if (!os_call(c, ctx, k->svc, "GET", path, NULL, r))
		return NULL;
	item = json_array_get(list_of(k, r->body), 0);
	return json_is_object(item) ? json_incref(item) : NULL;
}

/* The resource this instance created before a crash lost its id: by name
 * and marker (tag, metadata), by the marker alone for unnamed kinds (a tag,
 * else the description when the tag was not yet set), or as the kind's
 * `own` hook finds it. NULL with *rc BP_OK when there is none. */
static json_t *find_ours(struct os_conn *c, bp_ctx *ctx,
			 const struct os_kind *k, const json_t *cfg,
			 struct os_reply *r, int *rc)
{
	g_autofree char *marker = os_res_marker(ctx);
	g_autofree char *extra = NULL;
	const char *name = k->named ? os_json_str(cfg, "name") : NULL;
	json_t *found, *res = NULL, *item;
	size_t i;

	*rc = BP_OK;
	if (k->own)
		return k->own(ctx, c, cfg, rc);
	if (!name && k->describe) {
		g_autofree char *q = g_strdup_printf("tags=%s", marker);
		g_autofree char *qd = g_strdup_printf("description=%s", marker);
		res = first_of(c, ctx, k, q, r);
		return res ? res : first_of(c, ctx, k, qd, r);
	}
	if (!name || (!k->tags && !k->marker))
		return NULL;
	if (k->tags)
		extra = g_strdup_printf("&tags=%s", marker);
	found = by_name(c, ctx, k, name, extra, r);
	json_array_foreach(found, i, item) {
		const json_t *m = k->tags ? NULL : *k->marker ?
			json_object_get(item, k->marker) : item;
		if (k->tags || !g_strcmp0(os_json_str(m, marker_key(k)),
					  marker)) {
			res = json_incref(item);
			break;
		}
	}
	json_decref(found);
	return res;
}

static void mark(struct os_conn *c, bp_ctx *ctx, const struct os_kind *k,
		 const char *id)
{
	g_autofree char *marker = os_res_marker(ctx);
	g_autofree char *path = g_strdup_printf("%s/%s/tags/%s", k->path, id,
						marker);
	struct os_reply r = { 0 };

	if (!os_call(c, ctx, k->svc, "PUT", path, NULL, &r))
		bp_log(ctx, BP_LOG_WARNING, "cannot tag %s '%s': %s", k->label,
		       id, r.error);
	os_reply_clear(&r);
}

static int adopt(bp_ctx *ctx, struct os_conn *c, const struct os_kind *k,
		 const json_t *cfg, bool *created)
{
	const char *idn = os_json_str(cfg, "id");
	const char *rid = bp_get_string(ctx, BP_SCOPE_PROPERTIES,
					"resource_id");
	struct os_reply r = { 0 };
	bool create_if_missing = false;
	json_t *res;
	int rc;

	*created = false;
	if (!idn || !*idn)
		idn = rid && *rid ? rid : os_json_str(cfg, "name");
	if (!idn || !*idn)
		return bp_fail_fatal(ctx, "use_external_resource is set but "
				     "neither resource_config.id, resource_id "
				     "nor resource_config.name names the %s",
				     k->label);
	res = os_res_find(c, ctx, k, idn, &r);
	if (res) {
		bp_runtime_set(ctx, "external_resource", "true");
		rc = os_res_settle(ctx, c, k, res);
		json_decref(res);
		os_reply_clear(&r);
		return rc;
	}
	bp_get_bool(ctx, BP_SCOPE_PROPERTIES, "create_if_missing",
		    &create_if_missing);
	if (r.status == 404 && create_if_missing) {
		os_reply_clear(&r);
		*created = true;
		return BP_OK;
	}
	if (r.status == 404)
		r.fatal = true;
	{
		g_autofree char *what = g_strdup_printf(
			"external %s '%s'", k->label, idn);
		rc = os_reply_fail(ctx, &r, what);
	}
	os_reply_clear(&r);
	return rc;
}

static int post(bp_ctx *ctx, struct os_conn *c, const struct os_kind *k,
		json_t *body)
{
	g_autofree char *marker = os_res_marker(ctx);
	g_autofree char *id = NULL;
	struct os_reply r = { 0 };
	json_t *wrapped, *res;
	int rc;

	if (k->describe && !os_json_str(body, "description"))
		json_object_set_new(body, "description", json_string(marker));
	if (k->marker && !k->mark_later) {
		json_t *m = *k->marker ? json_object_get(body, k->marker) :
			body;
		if (!json_is_object(m)) {
			m = json_object();
			json_object_set_new(body, k->marker, m);
		}
		json_object_set_new(m, marker_key(k), json_string(marker));
	}
	wrapped = k->key ? json_pack("{sO}", k->key, body) : json_incref(body);
	if (k->key && json_object_get(body, "os:scheduler_hints")) {
		json_object_set(wrapped, "os:scheduler_hints",
				json_object_get(body, "os:scheduler_hints"));
		json_object_del(body, "os:scheduler_hints");
	}
	if (!os_call(c, ctx, k->svc, "POST", k->path, wrapped, &r) &&
	    !(r.status == 409 && r.error && strstr(r.error, "Rule id is "))) {
		g_autofree char *what = g_strdup_printf("creating %s",
							k->label);
		json_decref(wrapped);
		rc = os_reply_fail(ctx, &r, what);
		os_reply_clear(&r);
		return rc;
	}
	json_decref(wrapped);
	if (r.status == 409) {  /* an identical security group rule */
		g_autofree char *rid = g_strstrip(g_strdup(
			strstr(r.error, "Rule id is ") + strlen("Rule id is ")));
		g_strdelimit(rid, ".", '\0');
		json_decref(r.body);
		r.body = json_pack("{s{ss}}", k->key, "id", rid);
	}
	res = unwrap(k, r.body);
	id = os_res_id(k, res);
	if (!id) {
		os_reply_clear(&r);
		return bp_fail_fatal(ctx, "creating %s: the answer has no id",
				     k->label);
	}
	bp_runtime_set_string(ctx, "id", id);
	bp_runtime_set(ctx, "external_resource", "false");
	if (k->tags)
		mark(c, ctx, k, id);
	bp_log(ctx, BP_LOG_INFO, "created %s '%s'", k->label, id);
	rc = os_res_settle(ctx, c, k, res);
	os_reply_clear(&r);
	return rc;
}

int os_res_create(bp_ctx *ctx, const struct os_kind *k)
{
	const char *saved = bp_get_string(ctx, BP_SCOPE_RUNTIME, "id");
	bool external = false, created = false;
	g_autofree char *name = NULL;
	struct os_reply r = { 0 };
	json_t *cfg, *res;
	int rc = BP_OK;
	struct os_conn *c = os_ctx_conn(ctx, &rc);

	if (!c)
		return rc;
	if (saved) {
		res = get_one(c, ctx, k, saved, &r);
		if (res) {
			rc = os_res_settle(ctx, c, k, res);
			json_decref(res);
			os_reply_clear(&r);
			return rc;
		}
		if (r.status != 404) {
			rc = os_reply_fail(ctx, &r, "reading the saved resource");
			os_reply_clear(&r);
			return rc;
		}
		os_reply_clear(&r);
		bool was_external = false;
		bp_get_bool(ctx, BP_SCOPE_RUNTIME, "external_resource",
			    &was_external);
		if (was_external)
			return bp_fail_fatal(ctx, "external %s '%s' is gone",
					     k->label, saved);
		bp_log(ctx, BP_LOG_WARNING, "%s '%s' is gone: creating it "
		       "again", k->label, saved);
		bp_runtime_delete(ctx, "id");
	}
	cfg = os_res_config(ctx, k);
	bp_get_bool(ctx, BP_SCOPE_PROPERTIES, "use_external_resource",
		    &external);
	if (external) {
		rc = adopt(ctx, c, k, cfg, &created);
		if (!created) {
			json_decref(cfg);
			return rc;
		}
	}
	json_object_del(cfg, "id");
	if (k->named) {
		name = g_strdup(os_json_str(cfg, "name"));
		if (!name || !*name) {
			g_free(name);
			name = g_strdup(bp_instance_id(ctx));
		}
		json_object_set_new(cfg, "name", json_string(name));
	}
	/* names and relationships resolved first: a kind without a name
	 * finds its own by the request (an RBAC policy) */
	if (k->prepare && (rc = k->prepare(ctx, c, k, cfg)) != BP_OK) {
		json_decref(cfg);
		return rc;
	}
	res = find_ours(c, ctx, k, cfg, &r, &rc);
	os_reply_clear(&r);
	if (rc != BP_OK) {
		json_decref(cfg);
		return rc;
	}
	if (res) {
		g_autofree char *id = os_res_id(k, res);
		bp_log(ctx, BP_LOG_INFO, "found %s '%s' this instance created "
		       "before: not creating another", k->label, id);
		bp_runtime_set(ctx, "external_resource", "false");
		rc = os_res_settle(ctx, c, k, res);
		json_decref(res);
		json_decref(cfg);
		return rc;
	}
	rc = post(ctx, c, k, cfg);
	json_decref(cfg);
	return rc;
}

static void forget(bp_ctx *ctx)
{
	bp_runtime_delete(ctx, "id");
	bp_runtime_delete(ctx, "external_resource");
}

int os_res_delete(bp_ctx *ctx, const struct os_kind *k)
{
	const char *id = bp_get_string(ctx, BP_SCOPE_RUNTIME, "id");
	g_autofree char *e = NULL, *path = NULL;
	bool external = false;
	struct os_reply r = { 0 };
	json_t *res;
	int rc = BP_OK;
	struct os_conn *c;

	bp_get_bool(ctx, BP_SCOPE_RUNTIME, "external_resource", &external);
	if (!id || external) {
		if (id)
			bp_log(ctx, BP_LOG_INFO, "%s '%s' is external: left "
			       "as it is", k->label, id);
		forget(ctx);
		return BP_OK;
	}
	if (!(c = os_ctx_conn(ctx, &rc)))
		return rc;
	e = http_escape(id);
	path = g_strdup_printf("%s/%s", k->path, e);
	if (!os_call(c, ctx, k->svc, "DELETE", path, NULL, &r) &&
	    r.status != 404) {
		g_autofree char *what = g_strdup_printf("deleting %s '%s'",
							k->label, id);
		if (r.status == 409 && bp_attempt(ctx) < 60)
			rc = bp_retry(ctx, 3, "%s: %s", what, r.error);
		else
			rc = os_reply_fail(ctx, &r, what);
		os_reply_clear(&r);
		return rc;
	}
	os_reply_clear(&r);
	if (k->wait_delete) {
		res = get_one(c, ctx, k, id, &r);
		if (res) {
			const char *st = k->status ?
				os_json_str(res, k->status) : NULL;
			json_decref(res);
			os_reply_clear(&r);
			return bp_retry(ctx, 2, "%s '%s' is %s, waiting until "
					"it is gone", k->label, id,
					st ? st : "still there");
		}
		if (r.status != 404) {
			rc = os_reply_fail(ctx, &r, "waiting for the deletion");
			os_reply_clear(&r);
			return rc;
		}
		os_reply_clear(&r);
	}
	bp_log(ctx, BP_LOG_INFO, "deleted %s '%s'", k->label, id);
	forget(ctx);
	return BP_OK;
}

int os_res_list(bp_ctx *ctx, const struct os_kind *k)
{
	json_t *query = os_ctx_value(ctx, "query");
	GString *path = g_string_new(k->list_path ? k->list_path : k->path);
	struct os_reply r = { 0 };
	const char *key;
	json_t *v;
	char sep = '?';
	int rc = BP_OK;
	struct os_conn *c = os_ctx_conn(ctx, &rc);

	if (c && json_is_object(query)) {
		json_object_foreach(query, key, v) {
			g_autofree char *ek = http_escape(key);
			g_autofree char *val = json_is_string(v) ?
				g_strdup(json_string_value(v)) :
				json_dumps(v, JSON_ENCODE_ANY);
			g_autofree char *ev = http_escape(val);
			g_string_append_printf(path, "%c%s=%s", sep, ek, ev);
			sep = '&';
		}
	}
	json_decref(query);
	if (c && os_call(c, ctx, k->svc, "GET", path->str, NULL, &r)) {
		g_autofree char *rp = g_strdup_printf("%s_list", k->name);
		os_ctx_set(ctx, rp, list_of(k, r.body));
		g_autofree char *t = json_dumps(list_of(k, r.body),
						JSON_COMPACT);
		bp_output_set(ctx, NULL, t ? t : "[]");
	} else if (c) {
		rc = os_reply_fail(ctx, &r, "listing");
	}
	os_reply_clear(&r);
	g_string_free(path, TRUE);
	return rc;
}

int os_res_update(bp_ctx *octx, const struct os_kind *k)
{
	/* in a relationship operation (port_connected_to_floating_ip), the
	 * resource is the target */
	bp_ctx *ctx = bp_target(octx) ? bp_target(octx) : octx;
	const char *id = bp_get_string(ctx, BP_SCOPE_RUNTIME, "id");
	json_t *args = os_ctx_value(octx, "args");
	const char *key;
	json_t *v;
	g_autofree char *path = NULL;
	struct os_reply r = { 0 };
	json_t *body;
	int rc = BP_OK;
	struct os_conn *c;

	if (!id) {
		json_decref(args);
		return bp_fail_fatal(ctx, "%s has no id: not created", k->label);
	}
	if (!(c = os_ctx_conn(ctx, &rc))) {
		json_decref(args);
		return rc;
	}
	json_object_foreach(args, key, v)  /* '' clears: null */
		if (json_is_string(v) && !*json_string_value(v))
			json_object_set_new(args, key, json_null());
	path = g_strdup_printf("%s/%s", k->path, id);
	body = k->key ? json_pack("{so}", k->key,
				  args ? args : json_object()) : args;
	if (os_call(c, ctx, k->svc, k->patch ? "PATCH" : "PUT", path, body,
		    &r))
		rc = os_res_settle(ctx, c, k, unwrap(k, r.body));
	else
		rc = os_reply_fail(ctx, &r, "updating");
	json_decref(body);
	os_reply_clear(&r);
	return rc;
}

int os_res_resolve_field(bp_ctx *ctx, struct os_conn *c, json_t *cfg,
			 const char *key, const char *name_key,
			 const struct os_kind *k)
{
	const char *v = os_json_str(cfg, key);
	g_autofree char *id = NULL;
	int rc = BP_OK;

	if ((!v || !*v) && name_key)
		v = os_json_str(cfg, name_key);
	if (!v || !*v)
		return BP_OK;
	id = os_res_resolve(c, ctx, k, v, &rc);
	if (!id)
		return rc;
	json_object_set_new(cfg, key, json_string(id));
	if (name_key)
		json_object_del(cfg, name_key);
	return BP_OK;
}

int os_res_validate(bp_ctx *ctx, const struct os_kind *k)
{
	g_autofree char *err = NULL, *url = NULL;
	bool fatal = false;
	int rc = BP_OK;
	struct os_conn *c = os_ctx_conn(ctx, &rc);

	if (!c)
		return rc;
	url = os_conn_endpoint(c, ctx, k->svc, &err, &fatal);
	if (!url)
		return bp_fail_fatal(ctx, "%s", err);
	return BP_OK;
}
