/* apierr.c: an API answer that is not a success, as the operation's
 * result. The API server explains itself in a Status object (reason,
 * message, details.causes); the message goes to the user as the server
 * wrote it, since it already names the field and the rule ("metadata.name:
 * Invalid value: \"Web\": a lowercase RFC 1123 subdomain must ..."). */
#include "kube.h"

#include <string.h>

/* "Reason: message (cause; cause)" from a Status body, or the raw body. */
static char *status_text(const struct http_response *r)
{
	g_autoptr(json_t) st = http_response_json(r);
	const char *reason = json_string_value(json_object_get(st, "reason"));
	const char *msg = json_string_value(json_object_get(st, "message"));
	json_t *causes = json_object_get(json_object_get(st, "details"), "causes");
	GString *s = g_string_new(NULL);
	size_t i;
	json_t *c;

	if (!msg) {
		g_autofree char *body = g_strndup(r->body ? r->body : "", 500);
		g_strstrip(body);
		g_string_append(s, *body ? body : "no explanation in the response");
		return g_string_free(s, FALSE);
	}
	if (reason && *reason)
		g_string_append_printf(s, "%s: ", reason);
	g_string_append(s, msg);
	json_array_foreach(causes, i, c) {
		const char *cm = json_string_value(json_object_get(c, "message"));
		const char *f = json_string_value(json_object_get(c, "field"));

		/* the message usually lists the causes already */
		if (cm && !strstr(msg, cm))
			g_string_append_printf(s, "; %s%s%s", f ? f : "", f ? ": " : "", cm);
	}
	return g_string_free(s, FALSE);
}

int kube_api_fail(struct kube_conn *c, const char *what,
		  const struct http_response *r)
{
	g_autofree char *text = NULL;

	if (r->status == 0)
		return bp_fail(c->ctx, "%s: cannot reach the API server %s: %s", what,
			       c->auth.server, r->error ? r->error : "no response");
	text = status_text(r);
	if (r->status == 401)
		return bp_fail_fatal(c->ctx, "%s: HTTP 401 %s; the API server %s did not "
				     "accept the credentials of %s (expired or wrong "
				     "token or certificate?)", what, text,
				     c->auth.server, c->auth.source);
	if (r->status == 403)
		return bp_fail_fatal(c->ctx, "%s: HTTP 403 %s; the user of %s lacks the "
				     "rights (RBAC) for this", what, text, c->auth.source);
	if (r->status == 429 || r->status >= 500)
		return bp_fail(c->ctx, "%s: HTTP %ld %s (after %d attempts)", what,
			       r->status, text, r->attempts);
	return bp_fail_fatal(c->ctx, "%s: HTTP %ld %s", what, r->status, text);
}
