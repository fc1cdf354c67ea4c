/* apply.c: one object's lifecycle on the API server: server-side apply
 * (PATCH application/apply-patch+yaml, fieldManager=blueprint,
 * force=true: creates the object or takes over the fields we set, so a
 * second install changes nothing and a changed definition updates it),
 * GET, DELETE (Foreground by default: the object goes once its dependents
 * have gone) and a JSON merge patch for subresources such as scale. */
#include "kube.h"

#include <string.h>

void kube_ref_clear(struct kube_ref *r)
{
	g_free(r->api_version);
	g_free(r->kind);
	g_free(r->name);
	g_free(r->namespace);
	g_free(r->url);
	g_free(r->shown);
	memset(r, 0, sizeof(*r));
}

int kube_ref_of(struct kube_conn *c, const json_t *obj, const char *default_ns,
		struct kube_ref *out)
{
	const char *av = json_string_value(json_object_get(obj, "apiVersion"));
	const char *kind = json_string_value(json_object_get(obj, "kind"));
	json_t *meta = json_object_get(obj, "metadata");
	const char *name = json_string_value(json_object_get(meta, "name"));
	const char *ns = json_string_value(json_object_get(meta, "namespace"));
	g_autofree char *ename = NULL, *ens = NULL;
	struct kube_kind k;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!av || !kind)
		return bp_fail_fatal(c->ctx, "a Kubernetes object needs apiVersion and "
				     "kind, got %s%s%s", av ? "apiVersion '" : "no apiVersion",
				     av ? av : "", av ? "'" : "");
	if (!name || !*name)
		return bp_fail_fatal(c->ctx, "the %s has no metadata.name", kind);
	rc = kube_discover(c, av, kind, &k);
	if (rc != BP_OK)
		return rc;
	out->api_version = g_strdup(av);
	out->kind = g_strdup(kind);
	out->name = g_strdup(name);
	ename = http_escape(name);
	if (k.namespaced) {
		out->namespace = g_strdup(ns && *ns ? ns :
					  default_ns && *default_ns ? default_ns : "default");
		ens = http_escape(out->namespace);
		out->shown = g_strdup_printf("%s '%s' in namespace '%s'", kind, name,
					     out->namespace);
	} else {
		out->shown = g_strdup_printf("%s '%s'", kind, name);
	}
	out->url = g_strdup_printf("%s/%s/%s%s%s/%s/%s", c->auth.server,
				   strchr(av, '/') ? "apis" : "api", av,
				   ens ? "/namespaces/" : "", ens ? ens : "",
				   k.plural, ename);
	kube_kind_clear(&k);
	return BP_OK;
}

/* Sends a request; on 2xx takes the body as *result. A 404 is a failure
 * unless `absent_ok` (then *status tells). */
static int send(struct kube_conn *c, struct http_request *req, const json_t *body,
		const char *what, json_t **result, long *status, bool absent_ok)
{
	struct http_response resp;
	int rc = BP_OK;

	req->bearer = c->auth.token;
	req->ctx = c->ctx;
	http_send_json(c->http, req, body, &resp);
	*status = resp.status;
	if (resp.status >= 200 && resp.status < 300) {
		if (result)
			*result = http_response_json(&resp);
	} else if (resp.status != 404 || !absent_ok) {
		rc = kube_api_fail(c, what, &resp);
	}
	http_response_clear(&resp);
	return rc;
}

int kube_apply(struct kube_conn *c, const struct kube_ref *ref, const json_t *obj,
	       bool dry_run, json_t **result)
{
	g_autofree char *url = g_strdup_printf("%s?fieldManager=%s&force=true%s",
					       ref->url, KUBE_FIELD_MANAGER,
					       dry_run ? "&dryRun=All" : "");
	g_autofree char *what = g_strdup_printf("apply of %s", ref->shown);
	g_autoptr(json_t) body = json_deep_copy(obj);
	struct http_request req = { .method = "PATCH", .url = url, .idempotent = true,
				    .content_type = "application/apply-patch+yaml" };
	long status;

	if (ref->namespace)
		json_object_set_new(json_object_get(body, "metadata"), "namespace",
				    json_string(ref->namespace));
	if (result)
		*result = NULL;
	return send(c, &req, body, what, result, &status, false);
}

int kube_get(struct kube_conn *c, const struct kube_ref *ref, json_t **result)
{
	g_autofree char *what = g_strdup_printf("reading %s", ref->shown);
	struct http_request req = { .method = "GET", .url = ref->url, .idempotent = true };
	long status;
	int rc;

	*result = NULL;
	rc = send(c, &req, NULL, what, result, &status, true);
	if (rc == BP_OK && status == 404)
		*result = NULL;
	return rc;
}

int kube_delete(struct kube_conn *c, const struct kube_ref *ref,
		const char *propagation, long grace, bool *gone)
{
	g_autofree char *grace_q = grace >= 0 ? g_strdup_printf("&gracePeriodSeconds=%ld", grace)
					      : g_strdup("");
	g_autofree char *url = g_strdup_printf("%s?propagationPolicy=%s%s", ref->url,
					       propagation && *propagation ? propagation
									   : "Foreground",
					       grace_q);
	g_autofree char *what = g_strdup_printf("delete of %s", ref->shown);
	struct http_request req = { .method = "DELETE", .url = url, .idempotent = true };
	g_autoptr(json_t) answer = NULL;
	long status;
	int rc;

	rc = send(c, &req, NULL, what, &answer, &status, true);
	/* a Status means it is gone; the object itself, that it is going */
	*gone = rc == BP_OK && (status == 404 ||
		!g_strcmp0(json_string_value(json_object_get(answer, "kind")), "Status"));
	return rc;
}

int kube_merge_patch(struct kube_conn *c, const struct kube_ref *ref, const char *sub,
		     const json_t *patch, json_t **result)
{
	g_autofree char *url = sub ? g_strdup_printf("%s/%s", ref->url, sub)
				   : g_strdup(ref->url);
	g_autofree char *what = g_strdup_printf("patch of %s%s%s", ref->shown,
						sub ? " " : "", sub ? sub : "");
	struct http_request req = { .method = "PATCH", .url = url, .idempotent = true,
				    .content_type = "application/merge-patch+json" };
	long status;

	if (result)
		*result = NULL;
	return send(c, &req, patch, what, result, &status, false);
}
