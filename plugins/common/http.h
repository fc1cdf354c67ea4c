/*
 * http.h: the HTTP client every cloud plugin talks through.
 *
 * One struct http_client per connection (an API endpoint with its TLS
 * settings). It is safe to share between threads: each request uses its
 * own curl easy handle, and the client's curl share handle keeps the
 * connection cache, TLS sessions and DNS answers common to all of them.
 *
 * The retry policy lives here, once, for every plugin:
 *   - 429 and 503: always retried (the server did not do the work),
 *     waiting for Retry-After (seconds or an HTTP date) when the server
 *     sends one, else the backoff;
 *   - 500, 502, 504 and transport failures (refused, reset, timed out,
 *     empty reply): retried only when the request is idempotent
 *     (http_request.idempotent; GET, PUT, DELETE, HEAD and PATCH by
 *     server-side apply are; a POST that creates is not); a certificate
 *     refused, a malformed URL or a host name that does not resolve is
 *     not retried (it fails the same way again);
 *   - backoff: backoff_ms * 2^(attempt-1), capped at 30 s, with +-20%
 *     jitter; at most max_attempts attempts in all.
 * Between attempts the wait is cut short when the operation is cancelled
 * or its deadline comes (bp_cancelled, bp_deadline), and each retry is
 * logged on the operation (BP_LOG_WARNING) when a ctx is given.
 *
 * Every other status is returned to the caller as it is: the client never
 * interprets 4xx bodies, each cloud's error format is the plugin's job.
 */
#ifndef BP_PLUGINS_COMMON_HTTP_H
#define BP_PLUGINS_COMMON_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "blueprint/plugin.h"

/* TLS settings of a connection. Every field may be NULL/false. A *_data
 * field holds PEM text and wins over the matching *_file. */
struct http_tls {
	const char *ca_file;
	const char *ca_data;
	const char *cert_file;	/* client certificate */
	const char *cert_data;
	const char *key_file;	/* its private key */
	const char *key_data;
	bool insecure;		/* verify neither peer nor host name */
};

struct http_client;

/*
 * Creates a client. `tls` is copied (may be NULL: system CAs, verify on).
 * Defaults: max_attempts 5, backoff_ms 500, request timeout 60 s; the
 * environment variable BLUEPRINT_HTTP_BACKOFF_MS overrides the backoff
 * (tests use a few ms). Returns NULL and sets *errmsg (transfer full, free
 * with g_free) when the TLS material cannot be read.
 */
struct http_client *http_client_new(const char *user_agent,
				    const struct http_tls *tls, char **errmsg);
void http_client_free(struct http_client *client);
void http_client_set_retry(struct http_client *client, int max_attempts,
			   long backoff_ms);

/* One request. Only method and url are required. */
struct http_request {
	const char *method;		/* "GET", "POST", ... */
	const char *url;
	const char *body;		/* NULL for none */
	size_t body_len;		/* 0: strlen(body) */
	const char *content_type;	/* default "application/json" with a body */
	const char *bearer;		/* "Authorization: Bearer ..." when set */
	const char *const *headers;	/* extra "Name: value", NULL-terminated */
	bool idempotent;		/* see the retry policy above */
	long timeout_ms;		/* 0: the client's */
	bp_ctx *ctx;			/* for logs, cancellation, deadline; may be NULL */
};

struct http_response {
	long status;		/* 0 when no response came at all */
	char *body;		/* NUL-terminated, never NULL after a call */
	size_t body_len;
	char *error;		/* transport error text when status is 0 */
	int attempts;		/* attempts made, >= 1 */
	struct curl_slist *headers;	/* of the last response, "Name: value" */
};

/*
 * Performs `req` under the retry policy. Always fills `resp` (release it
 * with http_response_clear): status 0 and resp->error after a transport
 * failure that was not (or no longer) retried. Returns true when a
 * response with any status arrived.
 */
bool http_send(struct http_client *client, const struct http_request *req,
	       struct http_response *resp);

/* Same, with a JSON body (NULL for none) serialised compactly. */
bool http_send_json(struct http_client *client, const struct http_request *req,
		    const json_t *body, struct http_response *resp);

void http_response_clear(struct http_response *resp);

/* The value of response header `name` (case-insensitive), or NULL.
 * (transfer none: valid until http_response_clear) */
const char *http_response_header(const struct http_response *resp,
				 const char *name);

/* The body parsed as JSON (transfer full), or NULL when it is not JSON. */
json_t *http_response_json(const struct http_response *resp);

/* Percent-encodes `s` for a URL path segment or query value
 * (transfer full, g_free). */
char *http_escape(const char *s);

#endif
