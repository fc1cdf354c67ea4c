/*
 * http.c: the HTTP client of plugins/common/http.h: libcurl easy handles
 * sharing one connection cache per client, JSON bodies through jansson,
 * and the one retry policy (429/503 always; 5xx and dropped connections
 * for idempotent requests; Retry-After; exponential backoff with jitter).
 */
#include "http.h"

#include <curl/curl.h>
#include <errno.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HTTP_DEFAULT_ATTEMPTS	5
#define HTTP_DEFAULT_BACKOFF_MS	500
#define HTTP_DEFAULT_TIMEOUT_MS	60000
#define HTTP_MAX_WAIT_MS	30000L
#define HTTP_MAX_RETRY_AFTER_MS	300000L

struct http_client {
	char *user_agent;
	struct http_tls tls;	/* every string owned */
	int max_attempts;
	long backoff_ms;
	long timeout_ms;
	CURLSH *share;
	GMutex locks[CURL_LOCK_DATA_LAST];
};

static void share_lock(CURL *handle, curl_lock_data data,
		       curl_lock_access access, void *user)
{
	struct http_client *client = user;

	(void)handle;
	(void)access;
	g_mutex_lock(&client->locks[data]);
}

static void share_unlock(CURL *handle, curl_lock_data data, void *user)
{
	struct http_client *client = user;

	(void)handle;
	g_mutex_unlock(&client->locks[data]);
}

static gpointer global_init(gpointer unused)
{
	(void)unused;
	return GINT_TO_POINTER(curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK);
}

/* A PEM file named by path must at least be readable: say so now rather
 * than as an opaque TLS failure on the first request. */
static bool readable(const char *what, const char *path, char **errmsg)
{
	if (!path || g_file_test(path, G_FILE_TEST_IS_REGULAR))
		return true;
	*errmsg = g_strdup_printf("cannot read %s '%s'", what, path);
	return false;
}

struct http_client *http_client_new(const char *user_agent,
				    const struct http_tls *tls, char **errmsg)
{
	static GOnce once = G_ONCE_INIT;
	struct http_client *client;
	const char *env;

	if (!GPOINTER_TO_INT(g_once(&once, global_init, NULL))) {
		*errmsg = g_strdup("cannot initialise libcurl");
		return NULL;
	}
	if (tls && !(readable("CA file", tls->ca_data ? NULL : tls->ca_file, errmsg) &&
		     readable("client certificate", tls->cert_data ? NULL : tls->cert_file, errmsg) &&
		     readable("client key", tls->key_data ? NULL : tls->key_file, errmsg)))
		return NULL;

	client = g_new0(struct http_client, 1);
	client->user_agent = g_strdup(user_agent ? user_agent : "blueprint");
	if (tls) {
		client->tls.ca_file = g_strdup(tls->ca_file);
		client->tls.ca_data = g_strdup(tls->ca_data);
		client->tls.cert_file = g_strdup(tls->cert_file);
		client->tls.cert_data = g_strdup(tls->cert_data);
		client->tls.key_file = g_strdup(tls->key_file);
		client->tls.key_data = g_strdup(tls->key_data);
		client->tls.insecure = tls->insecure;
	}
	client->max_attempts = HTTP_DEFAULT_ATTEMPTS;
	client->backoff_ms = HTTP_DEFAULT_BACKOFF_MS;
	env = g_getenv("BLUEPRINT_HTTP_BACKOFF_MS");
	if (env && *env)
		client->backoff_ms = MAX(0L, g_ascii_strtoll(env, NULL, 10));
	client->timeout_ms = HTTP_DEFAULT_TIMEOUT_MS;
	for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
		g_mutex_init(&client->locks[i]);
	client->share = curl_share_init();
	curl_share_setopt(client->share, CURLSHOPT_LOCKFUNC, share_lock);
	curl_share_setopt(client->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
	curl_share_setopt(client->share, CURLSHOPT_USERDATA, client);
	curl_share_setopt(client->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(client->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	curl_share_setopt(client->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
	return client;
}

void http_client_free(struct http_client *client)
{
	if (!client)
		return;
	curl_share_cleanup(client->share);
	for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
		g_mutex_clear(&client->locks[i]);
	g_free(client->user_agent);
	g_free((char *)client->tls.ca_file);
	g_free((char *)client->tls.ca_data);
	g_free((char *)client->tls.cert_file);
	g_free((char *)client->tls.cert_data);
	g_free((char *)client->tls.key_file);
	g_free((char *)client->tls.key_data);
	g_free(client);
}

void http_client_set_retry(struct http_client *client, int max_attempts,
			   long backoff_ms)
{
	client->max_attempts = MAX(1, max_attempts);
	client->backoff_ms = MAX(0L, backoff_ms);
}

static size_t on_body(char *data, size_t size, size_t n, void *user)
{
	g_string_append_len(user, data, (gssize)(size * n));
	return size * n;
}

static size_t on_header(char *data, size_t size, size_t n, void *user)
{
	struct curl_slist **headers = user;
	size_t len = size * n;
	g_autofree char *line = g_strndup(data, len);

	g_strchomp(line);
	/* A new status line starts a new response (redirects, 100-continue). */
	if (g_str_has_prefix(line, "HTTP/")) {
		curl_slist_free_all(*headers);
		*headers = NULL;
	} else if (*line) {
		*headers = curl_slist_append(*headers, line);
	}
	return len;
}

static void set_blob(CURL *curl, CURLoption opt, const char *pem)
{
	struct curl_blob blob = {
		.data = (void *)pem, .len = strlen(pem), .flags = CURL_BLOB_COPY,
	};

	curl_easy_setopt(curl, opt, &blob);
}

static void set_tls(CURL *curl, const struct http_tls *tls)
{
	if (tls->insecure) {
		curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (tls->ca_data)
		set_blob(curl, CURLOPT_CAINFO_BLOB, tls->ca_data);
	else if (tls->ca_file)
		curl_easy_setopt(curl, CURLOPT_CAINFO, tls->ca_file);
	if (tls->cert_data)
		set_blob(curl, CURLOPT_SSLCERT_BLOB, tls->cert_data);
	else if (tls->cert_file)
		curl_easy_setopt(curl, CURLOPT_SSLCERT, tls->cert_file);
	if (tls->key_data)
		set_blob(curl, CURLOPT_SSLKEY_BLOB, tls->key_data);
	else if (tls->key_file)
		curl_easy_setopt(curl, CURLOPT_SSLKEY, tls->key_file);
}

/* Whether a request with this method carries a body, even an empty one. */
static bool sends_body(const char *method)
{
	return g_ascii_strcasecmp(method, "POST") == 0 ||
	       g_ascii_strcasecmp(method, "PUT") == 0 ||
	       g_ascii_strcasecmp(method, "PATCH") == 0;
}

/* One attempt: fills resp (status 0 and error on a transport failure).
 * Returns libcurl's result. */
static CURLcode perform(struct http_client *client, const struct http_request *req,
		    struct http_response *resp)
{
	CURL *curl = curl_easy_init();
	struct curl_slist *headers = NULL;
	GString *body = g_string_new(NULL);
	char errbuf[CURL_ERROR_SIZE] = "";
	g_autofree char *auth = NULL, *ctype = NULL;
	long timeout = req->timeout_ms > 0 ? req->timeout_ms : client->timeout_ms;
	CURLcode rc;

	curl_easy_setopt(curl, CURLOPT_URL, req->url);
	curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, req->method);
	curl_easy_setopt(curl, CURLOPT_SHARE, client->share);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, client->user_agent);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, MIN(timeout, 15000L));
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, body);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, &resp->headers);
	curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
	if (g_ascii_strcasecmp(req->method, "HEAD") == 0)
		curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
	/* libcurl sends a request again by itself when a connection it
	 * reused drops before any answer (which a server may also do after
	 * doing the work): never for a request that must not run twice. */
	if (!req->idempotent)
		curl_easy_setopt(curl, CURLOPT_FRESH_CONNECT, 1L);
	set_tls(curl, &client->tls);

	headers = curl_slist_append(headers, "Accept: application/json");
	/* No "Expect: 100-continue" round trip for large bodies. */
	headers = curl_slist_append(headers, "Expect:");
	if (req->bearer) {
		auth = g_strdup_printf("Authorization: Bearer %s", req->bearer);
		headers = curl_slist_append(headers, auth);
	}
	if (req->body) {
		ctype = g_strdup_printf("Content-Type: %s",
					req->content_type ? req->content_type : "application/json");
		headers = curl_slist_append(headers, ctype);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, req->body);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)(req->body_len ? req->body_len : strlen(req->body)));
	} else if (sends_body(req->method)) {
		/* "Content-Length: 0", without which some APIs answer 411
		 * (GCE's POST instances/NAME/stop), and no form content type */
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
		headers = curl_slist_append(headers, "Content-Type:");
	}
	for (const char *const *h = req->headers; h && *h; h++)
		headers = curl_slist_append(headers, *h);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

	rc = curl_easy_perform(curl);
	if (rc == CURLE_OK) {
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &resp->status);
	} else {
		resp->status = 0;
		resp->error = g_strdup_printf("%s %s: %s", req->method, req->url,
					      *errbuf ? errbuf : curl_easy_strerror(rc));
	}
	resp->body_len = body->len;
	resp->body = g_string_free(body, FALSE);
	curl_slist_free_all(headers);
	curl_easy_cleanup(curl);
	return rc;
}

/* Retry-After in milliseconds (delay-seconds or an HTTP date), or -1. */
static long retry_after_ms(const struct http_response *resp)
{
	const char *v = http_response_header(resp, "Retry-After");
	char *end;
	long long secs;
	time_t when;

	if (!v || !*v)
		return -1;
	errno = 0;
	secs = g_ascii_strtoll(v, &end, 10);
	if (end != v && *end == '\0' && errno == 0 && secs >= 0)
		return (long)MIN(secs * 1000, (long long)HTTP_MAX_RETRY_AFTER_MS);
	when = curl_getdate(v, NULL);
	if (when < 0)
		return -1;
	return (long)CLAMP(((long long)when - (long long)time(NULL)) * 1000, 0,
			   (long long)HTTP_MAX_RETRY_AFTER_MS);
}

/* A transport failure that may pass: the connection refused, dropped,
 * timed out or answered with nothing. Not a certificate refused, a bad
 * URL or a name that does not resolve: those fail the same way again. */
static bool transient(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_GOT_NOTHING:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

static bool retryable(const struct http_request *req, long status, CURLcode rc)
{
	if (status == 429 || status == 503)
		return true;
	if (status == 0)
		return req->idempotent && transient(rc);
	if (status == 500 || status == 502 || status == 504)
		return req->idempotent;
	return false;
}

static long backoff(const struct http_client *client, int attempt)
{
	long ms = client->backoff_ms;

	for (int i = 1; i < attempt && ms < HTTP_MAX_WAIT_MS; i++)
		ms *= 2;
	ms = MIN(ms, HTTP_MAX_WAIT_MS);
	/* +-20% so that many workers retrying together spread out */
	return ms + (long)(g_random_double_range(-0.2, 0.2) * (double)ms);
}

/* Sleeps up to ms, in slices, returning false early when the operation is
 * cancelled or would pass its deadline. */
static bool wait_ms(bp_ctx *ctx, long ms)
{
	gint64 end = g_get_monotonic_time() + (gint64)ms * 1000;

	if (ctx) {
		int64_t deadline = bp_deadline(ctx);

		if (deadline > 0 && deadline < end)
			return false;
	}
	while (g_get_monotonic_time() < end) {
		if (ctx && bp_cancelled(ctx))
			return false;
		g_usleep((gulong)MIN(end - g_get_monotonic_time(), (gint64)100000));
	}
	return true;
}

bool http_send(struct http_client *client, const struct http_request *req,
	       struct http_response *resp)
{
	memset(resp, 0, sizeof(*resp));
	for (int attempt = 1;; attempt++) {
		long wait;
		CURLcode rc = perform(client, req, resp);

		resp->attempts = attempt;
		if (!retryable(req, resp->status, rc) || attempt >= client->max_attempts)
			break;
		wait = resp->status ? retry_after_ms(resp) : -1;
		if (wait < 0)
			wait = backoff(client, attempt);
		if (req->ctx) {
			if (resp->status)
				bp_log(req->ctx, BP_LOG_WARNING,
				       "%s %s: HTTP %ld, retrying in %.1f s (attempt %d of %d)",
				       req->method, req->url, resp->status, wait / 1000.0,
				       attempt + 1, client->max_attempts);
			else
				bp_log(req->ctx, BP_LOG_WARNING,
				       "%s, retrying in %.1f s (attempt %d of %d)",
				       resp->error, wait / 1000.0, attempt + 1,
				       client->max_attempts);
		}
		if (!wait_ms(req->ctx, wait))
			break;
		http_response_clear(resp);
	}
	return resp->status != 0;
}

bool http_send_json(struct http_client *client, const struct http_request *req,
		    const json_t *body, struct http_response *resp)
{
	struct http_request r = *req;
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	bool ok;

	if (text) {
		r.body = text;
		r.body_len = strlen(text);
	}
	ok = http_send(client, &r, resp);
	free(text);
	return ok;
}

void http_response_clear(struct http_response *resp)
{
	if (!resp)
		return;
	g_free(resp->body);
	g_free(resp->error);
	curl_slist_free_all(resp->headers);
	memset(resp, 0, sizeof(*resp));
}

const char *http_response_header(const struct http_response *resp,
				 const char *name)
{
	size_t n = strlen(name);

	for (const struct curl_slist *h = resp->headers; h; h = h->next) {
		if (g_ascii_strncasecmp(h->data, name, n) == 0 && h->data[n] == ':') {
			const char *v = h->data + n + 1;

			while (*v == ' ' || *v == '\t')
				v++;
			return v;
		}
	}
	return NULL;
}

json_t *http_response_json(const struct http_response *resp)
{
	if (!resp->body || !resp->body_len)
		return NULL;
	return json_loadb(resp->body, resp->body_len, JSON_DECODE_ANY, NULL);
}

char *http_escape(const char *s)
{
	return g_uri_escape_string(s, NULL, FALSE);
}
