/*
 * resource.c: the create and delete every kind of resource shares.
 *
 * create, called again by RETRY until it is done:
 *   1. an operation saved by an earlier call (runtime `_op`) is polled:
 *      still running -> RETRY; failed -> its error.errors[].message;
 *   2. the resource named in runtime `name` is read: ready -> its runtime
 *      properties, OK; still being made -> RETRY; gone -> made again;
 *   3. otherwise it is inserted under the kind's name (property `name`,
 *      else one made from the instance id) with labels (or, for kinds
 *      without labels, a description) that mark the deployment and node
 *      instance; a 409 alreadyExists is adopted when those marks are ours
 *      (a re-run after a crash), else refused.
 * delete: polls its saved operation the same way; a 404 is done.
 */
#include "gcp.h"

#include <string.h>

static const char *const scope_dirs[] = { "global", "regions", "zones",
					  "locations" };

char *gcp_path(struct gcp *g, const struct gcp_kind *k, const char *name)
{
	const char *where = k->scope == GCP_REGION ? g->region : g->zone;
	g_autofree char *coll = k->scope == GCP_GLOBAL ?
		g_strdup_printf("projects/%s/global/%s", g->project,
				k->collection) :
		g_strdup_printf("projects/%s/%s/%s/%s", g->project,
				scope_dirs[k->scope], where ? where : "",
				k->collection);

	return name ? g_strdup_printf("%s/%s", coll, name) : g_strdup(coll);
}

static char *mark_text(struct gcp *g)
{
	return g_strdup_printf("blueprint:%s/%s", g->owner, g->instance);
}

/* The labels object at `field` ("a.b") of res, made when `make`. */
static json_t *labels_at(json_t *res, const char *field, bool make)
{
	g_auto(GStrv) keys = g_strsplit(field, ".", -1);
	json_t *v = res;

	for (int i = 0; keys[i] && v; i++) {
		json_t *next = json_object_get(v, keys[i]);

		if (!next && make) {
			next = json_object();
			json_object_set_new(v, keys[i], next);
		}
		v = next;
	}
	return v;
}

static void mark(struct gcp *g, const struct gcp_kind *k, json_t *body)
{
	if (strcmp(k->owner_field, "description") == 0) {
		g_autofree char *m = mark_text(g);

		json_object_set_new(body, "description", json_string(m));
		return;
	}
	gcp_label(g, labels_at(body, k->owner_field, true));
}

bool gcp_owned(struct gcp *g, const struct gcp_kind *k, json_t *res)
{
	json_t *labels;

	if (strcmp(k->owner_field, "description") == 0) {
		g_autofree char *m = mark_text(g);
		const char *d = json_string_value(json_object_get(res,
							"description"));

		return d && strstr(d, m);
	}
	labels = labels_at(res, k->owner_field, false);
	return g_strcmp0(json_string_value(json_object_get(labels,
					"blueprint-deployment")), g->owner) == 0 &&
	       g_strcmp0(json_string_value(json_object_get(labels,
					"blueprint-instance")), g->instance) == 0;
}

static void publish(struct gcp *g, const struct gcp_kind *k, const char *name,
		    json_t *res)
{
	const char *link = json_string_value(json_object_get(res, "selfLink"));
	const char *id = json_string_value(json_object_get(res, "id"));

	bp_runtime_set_string(g->ctx, "name", name);
	bp_runtime_set_string(g->ctx, "gcp_kind", k->name);
	bp_runtime_set_string(g->ctx, "project", g->project);
	if (link)
		bp_runtime_set_string(g->ctx, "selfLink", link);
	else
		bp_runtime_set_string(g->ctx, "selfLink",
				      json_string_value(json_object_get(res, "name")));
	if (id)
		bp_runtime_set_string(g->ctx, "id", id);
	if (k->scope == GCP_ZONE || k->scope == GCP_LOCATION)
		bp_runtime_set_string(g->ctx, "zone", g->zone);
	if (k->scope == GCP_REGION)
		bp_runtime_set_string(g->ctx, "region", g->region);
	if (k->publish)
		k->publish(g, res);
}

/* Step 2: the resource `name` is there; is it ready? */
static int settle(struct gcp *g, const struct gcp_kind *k, const char *name,
		  json_t *res)
{
	const char *status = k->status_field ?
		json_string_value(json_object_get(res, k->status_field)) : NULL;

	bp_runtime_set_string(g->ctx, "name", name);
	if (k->ready && g_strcmp0(status, k->ready) != 0) {
		if (g_strcmp0(status, "ERROR") == 0 ||
		    g_strcmp0(status, "FAILED") == 0)
			return bp_fail_fatal(g->ctx, "%s '%s' is %s", k->name,
					     name, status);
		return bp_retry(g->ctx, 1, "%s '%s' is %s", k->name, name,
				status ? status : "not ready");
	}
	publish(g, k, name, res);
	return BP_OK;
}

/* The name to create: property `name`, else from the instance id. */
char *gcp_default_name(struct gcp *g)
{
	const char *n = gcp_str(g, "name");

	if (!n)
		n = gcp_str(g, "image_name");
	if (!n)
		n = gcp_str(g, "resource_id");
	return n ? g_strdup(n) : gcp_name_from(bp_instance_id(g->ctx), 62);
}

/* GETs `name`: 1 and *res when there, 0 when not, -1 with *rc. */
static int lookup(struct gcp *g, const struct gcp_kind *k, const char *name,
		  json_t **res, int *rc)
{
	g_autofree char *path = gcp_path(g, k, name);
	struct gcp_reply r;
	g_autofree char *what = NULL;

	*res = NULL;
	if (!gcp_call(g, k->api, "GET", path, NULL, &r, rc))
		return -1;
	if (r.status == 200) {
		*res = json_incref(r.body);
		gcp_reply_clear(&r);
		return 1;
	}
	if (r.status == 404) {
		gcp_reply_clear(&r);
		return 0;
	}
	what = g_strdup_printf("reading %s '%s'", k->name, name);
	*rc = gcp_fail_reply(g, what, &r);
	gcp_reply_clear(&r);
	return -1;
}

/* Step 3: inserts `name`; RETRY while it is made, or the adopted one.
 * When `name` is taken by something not ours and `taken` is not NULL,
 * sets *taken and returns BP_OK instead of failing. */
static int insert(struct gcp *g, const struct gcp_kind *k, const char *name,
		  bool *taken)
{
	g_autofree char *coll = gcp_path(g, k, NULL);
	g_autofree char *path = k->insert_path ? k->insert_path(g, coll, name) :
		g_strdup(coll);
	g_autofree char *what = g_strdup_printf("creating %s '%s'", k->name,
						 name);
	struct gcp_reply r;
	json_t *body, *res;
	int rc = BP_OK, found;

	if (!(body = k->body(g, name, &rc)))
		return rc;
	mark(g, k, body);
	if (k->wrap)
		body = json_pack("{s:o}", k->wrap, body);
	if (!gcp_call(g, k->api, "POST", path, body, &r, &rc)) {
		json_decref(body);
		return rc;
	}
	json_decref(body);
	if (r.status == 200) {
		bp_runtime_set_string(g->ctx, "name", name);
		if (gcp_lro_save(g, k->api, "_op", r.body, &rc))
			rc = bp_retry(g->ctx, 1, "creating %s '%s'", k->name, name);
		gcp_reply_clear(&r);
		return rc;
	}
	if (r.status != 409) {
		rc = gcp_fail_reply(g, what, &r);
		gcp_reply_clear(&r);
		return rc;
	}
	found = lookup(g, k, name, &res, &rc);
	if (found == 0)	/* the conflict is another resource's (a disk's) */
		rc = gcp_fail_reply(g, what, &r);
	gcp_reply_clear(&r);
	if (found <= 0)
		return rc;
	if (!gcp_owned(g, k, res) && taken) {
		json_decref(res);
		*taken = true;
		return BP_OK;
	}
	if (!gcp_owned(g, k, res)) {
		json_decref(res);
		return bp_fail_fatal(g->ctx, "%s '%s' already exists and is not "
				     "this deployment's (no labels "
				     "blueprint-deployment=%s, "
				     "blueprint-instance=%s)", k->name, name,
				     g->owner, g->instance);
	}
	bp_log(g->ctx, BP_LOG_INFO, "%s '%s' exists and is ours: adopted",
	       k->name, name);
	rc = settle(g, k, name, res);
	json_decref(res);
	return rc;
}

static int poll_saved(struct gcp *g, const char *what, int *rc)
{
	g_autofree char *msg = NULL;
	g_autofree char *code = NULL;
	int st = gcp_lro_poll(g, "_op", &msg, &code, rc);

	if (st == GCP_LRO_PENDING)
		*rc = bp_retry(g->ctx, 1, "%s: waiting for its operation", what);
	else if (st == GCP_LRO_FAILED)
		*rc = gcp_lro_fail(g, what, msg, code);
	return st;
}

/* Inserts the first of the kind's candidate names that is free (or
 * ours): names are claimed by creating them, so two instances never get
 * the same one. */
static int claim(struct gcp *g, const struct gcp_kind *k)
{
	for (int i = 0;; i++) {
		g_autofree char *name = k->candidate(g, i);
		bool taken = false;
		int rc;

		if (!name)
			return bp_fail_fatal(g->ctx, "no free name for %s '%s'",
					     k->name, bp_instance_id(g->ctx));
		rc = insert(g, k, name, &taken);
		if (!taken)
			return rc;
		bp_log(g->ctx, BP_LOG_INFO, "%s '%s' is taken, trying the next "
		       "name", k->name, name);
	}
}

static int create(struct gcp *g, const struct gcp_kind *k)
{
	const char *saved = bp_get_string(g->ctx, BP_SCOPE_RUNTIME, "name");
	g_autofree char *name = saved ? g_strdup(saved) : gcp_default_name(g);
	g_autofree char *what = g_strdup_printf("creating %s '%s'", k->name,
						 name);
	json_t *res;
	int rc = BP_OK, found;

	if (k->scope != GCP_GLOBAL && !(k->scope == GCP_REGION ? g->region :
					 g->zone))
		return bp_fail_fatal(g->ctx, "%s '%s' needs a %s: set the "
				     "property or gcp_config.zone", k->name,
				     name, k->scope == GCP_REGION ? "region" :
				     "zone");
	if (poll_saved(g, what, &rc) != GCP_LRO_DONE)
		return rc;
	if (!saved && k->candidate)
		return claim(g, k);
	if (!saved)
		return insert(g, k, name, NULL);
	found = lookup(g, k, name, &res, &rc);
	if (found < 0)
		return rc;
	if (found == 0)
		return insert(g, k, name, NULL);
	rc = settle(g, k, name, res);
	json_decref(res);
	return rc;
}

int gcp_create(bp_ctx *ctx, const struct gcp_kind *k)
{
	struct gcp g;
	int rc;

	if (!gcp_open(&g, ctx, &rc))
		return rc;
	rc = create(&g, k);
	gcp_close(&g);
	return rc;
}

static int delete(struct gcp *g, const struct gcp_kind *k)
{
	const char *name = bp_get_string(g->ctx, BP_SCOPE_RUNTIME, "name");
	g_autofree char *what = NULL;
	g_autofree char *path = NULL;
	struct gcp_reply r;
	int rc = BP_OK, st;

	if (!name)
		return BP_OK;
	what = g_strdup_printf("deleting %s '%s'", k->name, name);
	st = poll_saved(g, what, &rc);
	if (st != GCP_LRO_DONE)
		return rc;
	path = gcp_path(g, k, name);
	if (!gcp_call(g, k->api, "DELETE", path, NULL, &r, &rc))
		return rc;
	if (r.status == 404) {
		gcp_reply_clear(&r);
		bp_runtime_delete(g->ctx, "name");
		bp_runtime_delete(g->ctx, "selfLink");
		bp_runtime_delete(g->ctx, "id");
		return BP_OK;
	}
	if (r.status != 200) {
		rc = gcp_fail_reply(g, what, &r);
		gcp_reply_clear(&r);
		return rc;
	}
	if (gcp_lro_save(g, k->api, "_op", r.body, &rc))
		rc = bp_retry(g->ctx, 1, "%s", what);
	gcp_reply_clear(&r);
	return rc;
}

int gcp_delete(bp_ctx *ctx, const struct gcp_kind *k)
{
	struct gcp g;
	int rc;

	if (!gcp_open(&g, ctx, &rc))
		return rc;
	rc = delete(&g, k);
	gcp_close(&g);
	return rc;
}
