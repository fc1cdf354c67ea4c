/*
 * lro.c: Google's long-running operations, waited for by RETRY.
 *
 * A mutation answers an Operation; gcp_lro_save() keeps where to read it
 * in a runtime property ({"api": N, "path": "projects/P/zones/Z/
 * operations/NAME"}, built from our own base URL so a proxy in between
 * stays in between), and the operation returns RETRY; the next call
 * polls it with get. The three shapes:
 *   compute#operation: status PENDING/RUNNING/DONE, error.errors[]
 *     {code, message} (messages joined, the first code kept);
 *   google.longrunning.Operation (Filestore): done, error {code, message};
 *   GKE's Operation: status DONE, error {message} or statusMessage.
 */
#include "gcp.h"

#include <string.h>

static const char *base_name(const char *url)
{
	const char *slash = url ? strrchr(url, '/') : NULL;

	return slash ? slash + 1 : url;
}

static char *op_path(struct gcp *g, enum gcp_api api, json_t *op)
{
	const char *name = json_string_value(json_object_get(op, "name"));
	const char *zone = json_string_value(json_object_get(op, "zone"));
	const char *region = json_string_value(json_object_get(op, "region"));

	if (!name)
		return NULL;
	if (api == GCP_FILE)
		return g_strdup(name);
	if (api == GCP_CONTAINER)
		return g_strdup_printf("projects/%s/locations/%s/operations/%s",
				       g->project, zone ? zone : "-", name);
	if (zone)
		return g_strdup_printf("projects/%s/zones/%s/operations/%s",
				       g->project, base_name(zone), name);
	if (region)
		return g_strdup_printf("projects/%s/regions/%s/operations/%s",
				       g->project, base_name(region), name);
	return g_strdup_printf("projects/%s/global/operations/%s", g->project,
			       name);
}

bool gcp_lro_save(struct gcp *g, enum gcp_api api, const char *key,
		  json_t *op, int *rc)
{
	g_autofree char *path = op_path(g, api, op);
	json_t *saved;
	char *text;

	if (!path) {
		*rc = bp_fail(g->ctx, "the API answered no operation");
		return false;
	}
	saved = json_pack("{s:i, s:s}", "api", (int)api, "path", path);
	text = json_dumps(saved, JSON_COMPACT);
	bp_runtime_set(g->ctx, key, text);
	free(text);
	json_decref(saved);
	return true;
}

/* The state of an operation document, with *msg and *code on failure. */
static int op_state(enum gcp_api api, json_t *op, char **msg, char **code)
{
	json_t *err = json_object_get(op, "error");
	bool done = api == GCP_FILE ?
		json_is_true(json_object_get(op, "done")) :
		g_strcmp0(json_string_value(json_object_get(op, "status")),
			  "DONE") == 0;
	GString *text;
	size_t i;
	json_t *e;

	if (!done)
		return GCP_LRO_PENDING;
	if (!err && !(api == GCP_CONTAINER &&
		      json_string_value(json_object_get(op, "statusMessage"))))
		return GCP_LRO_DONE;
	text = g_string_new(NULL);
	json_array_foreach(json_object_get(err, "errors"), i, e) {
		const char *m = json_string_value(json_object_get(e, "message"));

		if (i == 0)
			*code = g_strdup(json_string_value(json_object_get(e,
								 "code")));
		g_string_append_printf(text, "%s%s", i ? "; " : "", m ? m : "");
	}
	if (!text->len) {
		const char *m = json_string_value(json_object_get(err, "message"));

		if (!m)
			m = json_string_value(json_object_get(op, "statusMessage"));
		g_string_append(text, m ? m : "the operation failed");
	}
	*msg = g_string_free(text, FALSE);
	return GCP_LRO_FAILED;
}

int gcp_lro_poll(struct gcp *g, const char *key, char **msg, char **code,
		 int *rc)
{
	g_autofree char *api_key = g_strdup_printf("%s.api", key);
	g_autofree char *path_key = g_strdup_printf("%s.path", key);
	const char *path = bp_get_string(g->ctx, BP_SCOPE_RUNTIME, path_key);
	int64_t api;
	struct gcp_reply r;
	int state;

	*msg = *code = NULL;
	if (!path || !bp_get_int(g->ctx, BP_SCOPE_RUNTIME, api_key, &api) ||
	    api < 0 || api > GCP_CONTAINER)
		return GCP_LRO_DONE;
	if (!gcp_call(g, (enum gcp_api)api, "GET", path, NULL, &r, rc))
		return -1;
	if (r.status == 404) {
		/* Google keeps operations for a while only: gone is over. */
		gcp_reply_clear(&r);
		bp_runtime_delete(g->ctx, key);
		return GCP_LRO_DONE;
	}
	if (r.status != 200) {
		*rc = gcp_fail_reply(g, "reading an operation", &r);
		gcp_reply_clear(&r);
		return -1;
	}
	state = op_state((enum gcp_api)api, r.body, msg, code);
	gcp_reply_clear(&r);
	if (state != GCP_LRO_PENDING)
		bp_runtime_delete(g->ctx, key);
	return state;
}

int gcp_lro_fail(struct gcp *g, const char *what, const char *msg,
		 const char *code)
{
	if (code && (strcmp(code, "QUOTA_EXCEEDED") == 0 ||
		     g_str_has_prefix(code, "INVALID") ||
		     strcmp(code, "NOT_FOUND") == 0))
		return bp_fail_fatal(g->ctx, "%s: %s: %s", what, code, msg);
	return bp_fail(g->ctx, "%s: %s%s%s", what, code ? code : "",
		       code ? ": " : "", msg);
}
