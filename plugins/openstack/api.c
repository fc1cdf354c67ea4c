/* api.c: one request to an OpenStack service, and what its errors mean.
 * The token goes in X-Auth-Token; a 401 renews it once and resends (a
 * token revoked or expired mid-run); Nova gets the negotiated microversion
 * in both headers it reads, Manila OS_MANILA_MICROVERSION. Error bodies differ by service (Nova and
 * Cinder {"badRequest": {"message"}}, Neutron {"NeutronError": {"type",
 * "message"}}, Keystone {"error": {"message"}}, Glance text); this file
 * reads them all into one message, and says which are quota errors (403 or
 * 413 with overLimit / OverQuota / "quota") and which may pass. */
#include <string.h>
#include <glib.h>

#include "os.h"

void os_reply_clear(struct os_reply *r)
{
	json_decref(r->body);
	g_free(r->error);
	memset(r, 0, sizeof(*r));
}

/* The API's message in an error body, or the text itself. */
static char *error_message(long status, const char *text, const json_t *doc,
			   bool *quota_type)
{
	const char *k;
	json_t *v;

	*quota_type = false;
	if (json_is_object(doc)) {
		json_t *ne = json_object_get(doc, "NeutronError");
		if (json_is_object(ne)) {
			const char *t = os_json_str(ne, "type");
			*quota_type = t && strstr(t, "OverQuota");
			return g_strdup(os_json_str(ne, "message"));
		}
		if (os_json_str(doc, "message"))
			return g_strdup(os_json_str(doc, "message"));
		json_object_foreach((json_t *)doc, k, v) {
			if (json_is_object(v) && os_json_str(v, "message")) {
				*quota_type = !strcmp(k, "overLimit");
				return g_strdup(os_json_str(v, "message"));
			}
		}
	}
	if (text && *text) {
		/* Glance and webob answer text or HTML: keep the text */
		g_autofree char *t = g_strstrip(g_strdup(text));
		char *nl;
		while ((nl = strchr(t, '\n')))
			*nl = ' ';
		if (strlen(t) > 400)
			t[400] = '\0';
		if (*t)
			return g_steal_pointer(&t);
	}
	return g_strdup_printf("HTTP %ld", status);
}

void os_reply_decode(struct os_reply *r, const char *text)
{
	bool quota_type;

	g_free(r->error);
	r->error = error_message(r->status, text, r->body, &quota_type);
	if (!r->error)  /* a NeutronError without a message */
		r->error = g_strdup_printf("HTTP %ld", r->status);
	/* Neutron says OverQuota with 409; Nova and Cinder overLimit or
	 * "Quota exceeded" with 403 or 413 */
	r->quota = quota_type ||
		((r->status == 413 || r->status == 403) &&
		 (strstr(r->error, "uota") || strstr(r->error, "xceeded")));
	r->fatal = r->status >= 400 && r->status < 500 && r->status != 409 &&
		   r->status != 429 && !(r->status == 413 && !r->quota);
}

char *os_api_version_header(enum os_service svc, const char *version)
{
	static const char *const names[OS_SERVICE_LAST] = {
		[OS_IDENTITY] = "identity", [OS_COMPUTE] = "compute",
		[OS_NETWORK] = "network", [OS_IMAGE] = "image",
		[OS_VOLUME] = "volume",
	};

	return g_strdup_printf("OpenStack-API-Version: %s %s", names[svc],
			       version);
}

static bool send_req(struct os_conn *c, bp_ctx *ctx, enum os_service svc,
		     const char *method, const char *path, const char *data,
		     size_t len, const char *ctype, bool mv,
		     struct os_reply *r)
{
	g_autofree char *root = NULL, *url = NULL, *token = NULL;
	g_autofree char *h_token = NULL, *h_mv1 = NULL, *h_mv2 = NULL;
	struct http_response resp = { 0 };
	const char *headers[5];
	bool fatal = false;

	memset(r, 0, sizeof(*r));
	if (g_str_has_prefix(path, "http://") ||
	    g_str_has_prefix(path, "https://")) {
		url = g_strdup(path);
	} else {
		root = os_conn_endpoint(c, ctx, svc, &r->error, &fatal);
		if (!root) {
			r->fatal = fatal;
			return false;
		}
		url = g_strconcat(root, path, NULL);
	}
	if (mv && svc == OS_SHARE) {
		h_mv1 = g_strdup("X-OpenStack-Manila-API-Version: "
				 OS_MANILA_MICROVERSION);
	} else if (mv) {
		const char *v = os_conn_nova_version(c, ctx);
		h_mv1 = os_api_version_header(OS_COMPUTE, v);
		h_mv2 = g_strdup_printf("X-OpenStack-Nova-API-Version: %s", v);
	}
	for (int attempt = 0; attempt < 2; attempt++) {
		g_autofree char *fresh = os_conn_token(c, ctx, token, &r->error,
						       &fatal);
		struct http_request req = {
			.method = method, .url = url, .body = data,
			.body_len = len, .content_type = ctype, .ctx = ctx,
			.idempotent = strcmp(method, "POST") != 0,
		};
		int n = 0;

		if (!fresh) {
			r->fatal = fatal;
			return false;
		}
		g_free(token);
		token = g_steal_pointer(&fresh);
		g_free(h_token);
		h_token = g_strdup_printf("X-Auth-Token: %s", token);
		headers[n++] = h_token;
		if (h_mv1)
			headers[n++] = h_mv1;
		if (h_mv2)
			headers[n++] = h_mv2;
		headers[n++] = "Accept: application/json";
		headers[n] = NULL;
		req.headers = headers;
		http_response_clear(&resp);
		http_send(os_conn_http(c), &req, &resp);
		if (resp.status != 401)
			break;
		if (ctx)
			bp_log(ctx, BP_LOG_INFO, "%s %s: token refused (401), "
			       "authenticating again", method, url);
	}
	r->status = resp.status;
	r->body = http_response_json(&resp);
	if (resp.status >= 200 && resp.status < 300) {
		http_response_clear(&resp);
		return true;
	}
	if (resp.status == 0) {
		r->error = g_strdup_printf("%s %s: %s", method, url,
					   resp.error ? resp.error
						      : "no response");
	} else {
		os_reply_decode(r, resp.body);
	}
	http_response_clear(&resp);
	return false;
}

bool os_call(struct os_conn *c, bp_ctx *ctx, enum os_service svc,
	     const char *method, const char *path, const json_t *body,
	     struct os_reply *r)
{
	g_autofree char *data = body ? json_dumps(body, JSON_COMPACT) : NULL;
	/* the version document itself is read without a microversion */
	bool mv = (svc == OS_COMPUTE && strcmp(path, "/") != 0) ||
		  svc == OS_SHARE;

	return send_req(c, ctx, svc, method, path, data,
			data ? strlen(data) : 0,
			data ? "application/json" : NULL, mv, r);
}

bool os_call_raw(struct os_conn *c, bp_ctx *ctx, enum os_service svc,
		 const char *method, const char *path, const char *data,
		 size_t len, const char *content_type, struct os_reply *r)
{
	return send_req(c, ctx, svc, method, path, data, len, content_type,
			false, r);
}

int os_reply_fail(bp_ctx *ctx, const struct os_reply *r, const char *what)
{
	const char *msg = r->error ? r->error : "unknown error";

	if (r->quota)
		return bp_fail_fatal(ctx, "%s: quota exceeded: %s", what, msg);
	if (r->fatal)
		return r->status ?
			bp_fail_fatal(ctx, "%s: HTTP %ld: %s", what, r->status,
				      msg) :
			bp_fail_fatal(ctx, "%s: %s", what, msg);
	if (r->status)
		return bp_fail(ctx, "%s: HTTP %ld: %s", what, r->status, msg);
	return bp_fail(ctx, "%s: %s", what, msg);
}
