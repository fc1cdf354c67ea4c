/* test-http-retry.c: plugins/common/http.c against a real server through
 * the fault proxy (tests/tools/faultproxy.py, whose log counts and times
 * every attempt): requests and responses as they are (bearer, headers,
 * JSON), 429 and 503 retried with Retry-After in seconds or as a date,
 * 5xx and dropped connections retried only when idempotent, max_attempts,
 * growing backoff, warnings on the operation, cancellation and deadline
 * cutting a wait short; http_escape. Waits are checked from below (never
 * sooner than asked) and bounded generously from above. */
#include "common/http.h"
#include "httptest.h"
#include "testlib.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* A minimal operation context: logs, cancellation and deadline, which is
 * all http.c asks of the engine. */
struct bp_ctx {
	gint cancelled;
	int64_t deadline;
	GMutex lock;
	GPtrArray *logs;	/* "LEVEL message" */
};

static void fake_vlog(bp_ctx *ctx, int level, const char *fmt, va_list ap)
{
	char *msg = g_strdup_vprintf(fmt, ap);

	g_mutex_lock(&ctx->lock);
	g_ptr_array_add(ctx->logs, g_strdup_printf("%d %s", level, msg));
	g_mutex_unlock(&ctx->lock);
	g_free(msg);
}

static bool fake_cancelled(bp_ctx *ctx)
{
	return g_atomic_int_get(&ctx->cancelled);
}

static int64_t fake_deadline(bp_ctx *ctx)
{
	return ctx->deadline;
}

static const struct bp_api fake_api = {
	.abi_major = BP_ABI_MAJOR, .abi_minor = BP_ABI_MINOR,
	.size = sizeof(struct bp_api),
	.vlog = fake_vlog, .cancelled = fake_cancelled,
	.deadline = fake_deadline,
};
const struct bp_api *bp_plugin_api = &fake_api;

static char *proxy;

static struct http_client *client_new(int attempts, long backoff_ms)
{
	char *msg = NULL;
	struct http_client *c = http_client_new("bp-test/1", NULL, &msg);

	g_assert_null(msg);
	g_assert_nonnull(c);
	http_client_set_retry(c, attempts, backoff_ms);
	return c;
}

/* METHOD proxy/path; idempotent or not; ctx may be NULL. */
static void request(struct http_client *c, const char *method, const char *path,
		 bool idempotent, bp_ctx *ctx, struct http_response *resp)
{
	g_autofree char *url = g_strconcat(proxy, path, NULL);
	struct http_request req = {
		.method = method, .url = url, .idempotent = idempotent,
		.timeout_ms = 20000, .ctx = ctx,
	};

	http_send(c, &req, resp);
}

/* How many requests the proxy logged for path. */
static size_t logged(const char *path)
{
	json_t *log = httptest_log(path);
	size_t n = json_array_size(log);

	json_decref(log);
	return n;
}

/* METHOD proxy/path under the retry policy, asserting the status it ends
 * with, the attempts it counted and the requests the proxy saw. */
static void expect(struct http_client *c, const char *method, const char *path,
		   bool idempotent, long status, int attempts, size_t seen)
{
	struct http_response resp;

	request(c, method, path, idempotent, NULL, &resp);
	g_assert_cmpint(resp.status, ==, status);
	g_assert_cmpint(resp.attempts, ==, attempts);
	g_assert_cmpuint(logged(path), ==, seen);
	http_response_clear(&resp);
}

/* Seconds between the proxy's arrival of request i and i+1 for path. */
static double gap(const char *path, size_t i)
{
	json_t *log = httptest_log(path);
	double a = json_real_value(json_object_get(json_array_get(log, i), "t"));
	double b = json_real_value(json_object_get(json_array_get(log, i + 1), "t"));

	g_assert_cmpuint(json_array_size(log), >, i + 1);
	json_decref(log);
	return b - a;
}

/* The value of header `name` in the upstream's echo of a request. */
static const char *echo_header(json_t *echo, const char *name)
{
	size_t i;
	json_t *pair;

	json_array_foreach(json_object_get(echo, "headers"), i, pair) {
		if (g_ascii_strcasecmp(json_string_value(json_array_get(pair, 0)), name) == 0)
			return json_string_value(json_array_get(pair, 1));
	}
	return NULL;
}

static void test_echo(void)
{
	struct http_client *c = client_new(5, 10);
	g_autofree char *url = g_strconcat(proxy, "/echo?x=1&h=X-Resp:yes", NULL);
	const char *const headers[] = { "X-Extra: one", NULL };
	struct http_request req = {
		.method = "GET", .url = url, .bearer = "tok-123",
		.headers = headers, .idempotent = true,
	};
	struct http_response resp;
	json_t *echo;

	g_assert_true(http_send(c, &req, &resp));
	g_assert_cmpint(resp.status, ==, 200);
	g_assert_cmpint(resp.attempts, ==, 1);
	g_assert_null(resp.error);
	g_assert_cmpstr(http_response_header(&resp, "CONTENT-type"), ==, "application/json");
	g_assert_cmpstr(http_response_header(&resp, "x-resp"), ==, "yes");
	g_assert_null(http_response_header(&resp, "X-Res"));
	echo = http_response_json(&resp);
	g_assert_nonnull(echo);
	g_assert_cmpstr(json_string_value(json_object_get(echo, "method")), ==, "GET");
	g_assert_cmpstr(json_string_value(json_object_get(echo, "path")), ==,
			"/echo?x=1&h=X-Resp:yes");
	g_assert_cmpstr(echo_header(echo, "Authorization"), ==, "Bearer tok-123");
	g_assert_cmpstr(echo_header(echo, "User-Agent"), ==, "bp-test/1");
	g_assert_cmpstr(echo_header(echo, "Accept"), ==, "application/json");
	g_assert_cmpstr(echo_header(echo, "X-Extra"), ==, "one");
	g_assert_null(echo_header(echo, "Content-Type"));
	json_decref(echo);
	http_response_clear(&resp);
	http_response_clear(&resp);	/* twice is harmless */
	http_client_free(c);
	http_client_free(NULL);
}

static void test_json(void)
{
	struct http_client *c = client_new(5, 10);
	g_autofree char *url = g_strconcat(proxy, "/json", NULL);
	g_autofree char *text_url = g_strconcat(proxy, "/text?size=5", NULL);
	struct http_request req = { .method = "PUT", .url = url, .idempotent = true };
	struct http_response resp;
	json_t *body = json_pack("{s:[i,s]}", "a", 1, "\xc3\xa9");
	json_t *echo;

	g_assert_true(http_send_json(c, &req, body, &resp));
	g_assert_cmpint(resp.status, ==, 200);
	echo = http_response_json(&resp);
	g_assert_cmpstr(json_string_value(json_object_get(echo, "body")), ==,
			"{\"a\":[1,\"\xc3\xa9\"]}");
	g_assert_cmpstr(echo_header(echo, "Content-Type"), ==, "application/json");
	json_decref(echo);
	http_response_clear(&resp);

	/* another content type; a body with its length */
	req.method = "PATCH";
	req.content_type = "application/merge-patch+json";
	req.body = "{\"b\": 2}trailing";
	req.body_len = 8;
	g_assert_true(http_send(c, &req, &resp));
	echo = http_response_json(&resp);
	g_assert_cmpstr(json_string_value(json_object_get(echo, "body")), ==, "{\"b\": 2}");
	g_assert_cmpstr(echo_header(echo, "Content-Type"), ==,
			"application/merge-patch+json");
	json_decref(echo);
	http_response_clear(&resp);

	/* no JSON body: none sent */
	req = (struct http_request){ .method = "GET", .url = url };
	g_assert_true(http_send_json(c, &req, NULL, &resp));
	echo = http_response_json(&resp);
	g_assert_cmpstr(json_string_value(json_object_get(echo, "body")), ==, "");
	json_decref(echo);
	http_response_clear(&resp);

	/* a POST with no body says so (some APIs answer 411 otherwise) */
	req.method = "POST";
	g_assert_true(http_send(c, &req, &resp));
	echo = http_response_json(&resp);
	g_assert_cmpstr(echo_header(echo, "Content-Length"), ==, "0");
	g_assert_null(echo_header(echo, "Content-Type"));
	json_decref(echo);
	http_response_clear(&resp);

	/* a body that is not JSON, and none at all */
	req.method = "GET";
	req.url = text_url;
	g_assert_true(http_send(c, &req, &resp));
	g_assert_cmpstr(resp.body, ==, "xxxxx");
	g_assert_null(http_response_json(&resp));
	http_response_clear(&resp);
	req.method = "HEAD";
	g_assert_true(http_send(c, &req, &resp));
	g_assert_cmpint(resp.status, ==, 200);
	g_assert_nonnull(resp.body);
	g_assert_cmpuint(resp.body_len, ==, 0);
	g_assert_null(http_response_json(&resp));
	http_response_clear(&resp);
	json_decref(body);
	http_client_free(c);
}

/* A 4xx or another 5xx is the caller's: returned at once, body and all. */
static void test_status_returned(void)
{
	struct http_client *c = client_new(5, 10);
	struct http_response resp;

	request(c, "GET", "/nf?status=404", true, NULL, &resp);
	g_assert_cmpint(resp.status, ==, 404);
	g_assert_cmpint(resp.attempts, ==, 1);
	g_assert_nonnull(strstr(resp.body, "\"path\": \"/nf?status=404\""));
	http_response_clear(&resp);
	request(c, "DELETE", "/nf?status=501", true, NULL, &resp);
	g_assert_cmpint(resp.status, ==, 501);
	g_assert_cmpint(resp.attempts, ==, 1);
	http_response_clear(&resp);
	g_assert_cmpuint(logged("/nf?status=404"), ==, 1);
	g_assert_cmpuint(logged("/nf?status=501"), ==, 1);
	http_client_free(c);
}

static void test_retry_after_seconds(void)
{
	struct http_client *c = client_new(5, 10);

	httptest_rules("[{\"path\": \"^/ra-secs$\", \"fault\": \"status\","
		       " \"status\": 429, \"retry_after\": \"1\"}]");
	/* 429: the server did not do the work, so even a POST is retried */
	expect(c, "POST", "/ra-secs", false, 200, 2, 2);
	g_assert_cmpfloat(gap("/ra-secs", 0), >=, 0.99);
	g_assert_cmpfloat(gap("/ra-secs", 0), <, 30.0);
	http_client_free(c);
}

static void test_retry_after_date(void)
{
	struct http_client *c = client_new(5, 10);
	gint64 when = g_get_real_time() / G_USEC_PER_SEC + 3;
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(when);
	g_autofree char *date = g_date_time_format(dt, "%a, %d %b %Y %H:%M:%S GMT");
	g_autofree char *rules = g_strdup_printf(
		"[{\"path\": \"^/ra-date$\", \"fault\": \"status\", \"status\": 503,"
		" \"retry_after\": \"%s\"}]", date);
	json_t *log;

	httptest_rules(rules);
	expect(c, "GET", "/ra-date", false, 200, 2, 2);
	/* the retry came no sooner than the date (to the second), and not
	 * at the end of a long wait either */
	log = httptest_log("/ra-date");
	g_assert_cmpfloat(json_real_value(json_object_get(json_array_get(log, 1), "t")),
			  >=, (double)when - 0.05);
	g_assert_cmpfloat(gap("/ra-date", 0), <, 30.0);
	json_decref(log);
	http_client_free(c);
}

static void test_503_retried(void)
{
	struct http_client *c = client_new(5, 10);

	httptest_rules("[{\"path\": \"^/503$\", \"fault\": \"status\","
		       " \"status\": 503, \"count\": 2, \"body\": \"busy\"}]");
	expect(c, "POST", "/503", false, 200, 3, 3);
	http_client_free(c);
}

/* 500, 502, 504, a reset and a close with no answer: retried for an
 * idempotent request, returned at once for one that is not. */
static void test_idempotent_only(void)
{
	static const char *const faults[] = {
		"\"status\", \"status\": 500", "\"status\", \"status\": 502",
		"\"status\", \"status\": 504", "\"reset\"", "\"close\"",
	};
	struct http_client *c;

	for (size_t i = 0; i < G_N_ELEMENTS(faults); i++) {
		g_autofree char *get = g_strdup_printf("/idem-%zu", i);
		g_autofree char *post = g_strdup_printf("/once-%zu", i);
		g_autofree char *rules = g_strdup_printf(
			"[{\"path\": \"^/idem-%zu$\", \"fault\": %s},"
			" {\"path\": \"^/once-%zu$\", \"fault\": %s, \"count\": -1}]",
			i, faults[i], i, faults[i]);
		struct http_response resp;
		long want = i == 0 ? 500 : i == 1 ? 502 : i == 2 ? 504 : 0;

		httptest_rules(rules);
		/* a new client: a new connection, which libcurl would not
		 * try again on its own after a reset */
		c = client_new(5, 10);
		expect(c, "GET", get, true, 200, 2, 2);

		/* the POST could go on the connection the GET left open:
		 * libcurl must not send it again after a reset either */
		request(c, "POST", post, false, NULL, &resp);
		g_assert_cmpint(resp.status, ==, want);
		g_assert_cmpint(resp.attempts, ==, 1);
		if (!want)
			g_assert_nonnull(strstr(resp.error, post));
		http_response_clear(&resp);
		g_assert_cmpuint(logged(post), ==, 1);
		http_client_free(c);
	}
}

static void test_max_attempts(void)
{
	struct http_client *c = client_new(3, 10);
	struct http_response resp;

	httptest_rules("[{\"path\": \"^/max-\", \"fault\": \"status\","
		       " \"status\": 503, \"count\": -1},"
		       " {\"path\": \"^/maxr$\", \"fault\": \"reset\", \"count\": -1}]");
	expect(c, "GET", "/max-3", true, 503, 3, 3);
	http_client_set_retry(c, 1, 10);
	expect(c, "GET", "/max-1", true, 503, 1, 1);
	http_client_free(c);

	/* a connection that always drops: the last error is returned */
	c = client_new(4, 10);
	request(c, "GET", "/maxr", true, NULL, &resp);
	g_assert_cmpint(resp.status, ==, 0);
	g_assert_cmpint(resp.attempts, ==, 4);
	g_assert_nonnull(strstr(resp.error, "GET "));
	g_assert_nonnull(strstr(resp.error, "/maxr: "));
	g_assert_cmpstr(resp.body, ==, "");
	g_assert_cmpuint(logged("/maxr"), >=, 4);	/* and libcurl's own */
	http_response_clear(&resp);
	http_client_free(c);
}

/* Each wait is at least the backoff doubled for each attempt, less the
 * 20% jitter: 100, 200, 400 and 800 ms at the least. */
static void test_backoff(void)
{
	struct http_client *c = client_new(5, 100);
	double total = 0;

	httptest_rules("[{\"path\": \"^/backoff$\", \"fault\": \"status\","
		       " \"status\": 503, \"count\": -1}]");
	expect(c, "GET", "/backoff", true, 503, 5, 5);
	for (size_t i = 0; i < 4; i++) {
		g_assert_cmpfloat(gap("/backoff", i), >=, 0.8 * 0.1 * (1 << i) - 0.005);
		total += gap("/backoff", i);
	}
	g_assert_cmpfloat(total, <, 60.0);
	http_client_free(c);
}

/* A refused connection is a transport failure like a reset. */
static void test_refused(void)
{
	struct http_client *c = client_new(3, 10);
	struct sockaddr_in addr = { .sin_family = AF_INET,
				    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(addr);
	int sock = socket(AF_INET, SOCK_STREAM, 0);
	g_autofree char *url = NULL;
	struct http_request req = { .method = "GET", .idempotent = true };
	struct http_response resp;

	/* a port that is bound, never listening */
	g_assert_cmpint(bind(sock, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
	g_assert_cmpint(getsockname(sock, (struct sockaddr *)&addr, &len), ==, 0);
	url = g_strdup_printf("http://127.0.0.1:%u/none", ntohs(addr.sin_port));
	req.url = url;
	g_assert_false(http_send(c, &req, &resp));
	g_assert_cmpint(resp.status, ==, 0);
	g_assert_cmpint(resp.attempts, ==, 3);
	g_assert_nonnull(strstr(resp.error, url));
	http_response_clear(&resp);
	http_client_free(c);
	close(sock);
}

static bp_ctx *ctx_new(void)
{
	bp_ctx *ctx = g_new0(bp_ctx, 1);

	g_mutex_init(&ctx->lock);
	ctx->logs = g_ptr_array_new_with_free_func(g_free);
	return ctx;
}

static void ctx_free(bp_ctx *ctx)
{
	g_ptr_array_unref(ctx->logs);
	g_mutex_clear(&ctx->lock);
	g_free(ctx);
}

/* Each retry is a warning on the operation, saying why and when. */
static void test_warnings(void)
{
	struct http_client *c = client_new(5, 10);
	bp_ctx *ctx = ctx_new();
	struct http_response resp;
	const char *w0, *w1;

	/* the 429 closes its connection, so libcurl does not try the next
	 * attempt again on its own when that one drops */
	httptest_rules("[{\"path\": \"^/warn$\", \"fault\": \"status\", \"status\": 429,"
		       "  \"retry_after\": \"1\", \"headers\": {\"Connection\": \"close\"}},"
		       " {\"path\": \"^/warn$\", \"skip\": 1, \"fault\": \"close\"}]");
	request(c, "GET", "/warn", true, ctx, &resp);
	g_assert_cmpint(resp.status, ==, 200);
	g_assert_cmpint(resp.attempts, ==, 3);
	g_assert_cmpuint(ctx->logs->len, ==, 2);
	w0 = g_ptr_array_index(ctx->logs, 0);
	w1 = g_ptr_array_index(ctx->logs, 1);
	g_assert_true(g_str_has_prefix(w0, "30 GET "));
	g_assert_true(g_str_has_suffix(w0, "/warn: HTTP 429, retrying in 1.0 s (attempt 2 of 5)"));
	g_assert_true(g_str_has_prefix(w1, "30 GET "));
	g_assert_nonnull(strstr(w1, "/warn: "));
	g_assert_true(g_str_has_suffix(w1, "(attempt 3 of 5)"));
	http_response_clear(&resp);
	ctx_free(ctx);
	http_client_free(c);
}

struct pending {
	struct http_client *client;
	bp_ctx *ctx;
	const char *path;
	struct http_response resp;
	gint64 took;	/* microseconds */
};

static gpointer send_thread(gpointer data)
{
	struct pending *p = data;
	gint64 start = g_get_monotonic_time();

	request(p->client, "GET", p->path, true, p->ctx, &p->resp);
	p->took = g_get_monotonic_time() - start;
	return NULL;
}

/* A cancelled operation stops waiting for a long Retry-After: the last
 * answer is returned, well before the minute is out. */
static void test_cancel(void)
{
	struct pending p = { .client = client_new(5, 10), .ctx = ctx_new(),
			     .path = "/cancel" };
	GThread *thread;

	httptest_rules("[{\"path\": \"^/cancel$\", \"fault\": \"status\","
		       " \"status\": 429, \"retry_after\": \"60\", \"count\": -1}]");
	thread = g_thread_new("send", send_thread, &p);
	g_assert_true(httptest_wait_log("/cancel", 1));
	g_atomic_int_set(&p.ctx->cancelled, 1);
	g_thread_join(thread);
	g_assert_cmpint(p.resp.status, ==, 429);
	g_assert_cmpint(p.resp.attempts, ==, 1);
	g_assert_cmpint(p.took, <, 30 * G_USEC_PER_SEC);
	g_assert_cmpuint(logged("/cancel"), ==, 1);
	g_assert_cmpuint(p.ctx->logs->len, ==, 1);
	g_assert_nonnull(strstr(g_ptr_array_index(p.ctx->logs, 0), "retrying in 60.0 s"));
	http_response_clear(&p.resp);
	ctx_free(p.ctx);
	http_client_free(p.client);
}

/* A wait that would pass the operation's deadline is not started. */
static void test_deadline(void)
{
	struct pending p = { .client = client_new(5, 10), .ctx = ctx_new(),
			     .path = "/deadline" };

	httptest_rules("[{\"path\": \"^/deadline$\", \"fault\": \"status\","
		       " \"status\": 503, \"retry_after\": \"60\", \"count\": -1}]");
	p.ctx->deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	send_thread(&p);
	g_assert_cmpint(p.resp.status, ==, 503);
	g_assert_cmpint(p.resp.attempts, ==, 1);
	g_assert_cmpint(p.took, <, 20 * G_USEC_PER_SEC);
	g_assert_cmpuint(logged("/deadline"), ==, 1);
	http_response_clear(&p.resp);
	ctx_free(p.ctx);
	http_client_free(p.client);
}

static void test_escape(void)
{
	static const char *const cases[][2] = {
		{ "plain-._~AZaz09", "plain-._~AZaz09" },
		{ "a b/c?d=e&f#g", "a%20b%2Fc%3Fd%3De%26f%23g" },
		{ "100%+:@,;", "100%25%2B%3A%40%2C%3B" },
		{ "caf\xc3\xa9", "caf%C3%A9" },
		{ "", "" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *got = http_escape(cases[i][0]);

		g_assert_cmpstr(got, ==, cases[i][1]);
	}
}

int main(int argc, char **argv)
{
	g_autofree char *upstream = NULL;
	int rc;

	test_init(&argc, &argv);
	upstream = httptest_upstream(NULL);
	proxy = httptest_proxy(upstream);
	g_test_add_func("/http/echo", test_echo);
	g_test_add_func("/http/json", test_json);
	g_test_add_func("/http/status-returned", test_status_returned);
	g_test_add_func("/http/retry-after/seconds", test_retry_after_seconds);
	g_test_add_func("/http/retry-after/date", test_retry_after_date);
	g_test_add_func("/http/503-retried", test_503_retried);
	g_test_add_func("/http/idempotent-only", test_idempotent_only);
	g_test_add_func("/http/max-attempts", test_max_attempts);
	g_test_add_func("/http/backoff", test_backoff);
	g_test_add_func("/http/refused", test_refused);
	g_test_add_func("/http/warnings", test_warnings);
	g_test_add_func("/http/cancel", test_cancel);
	g_test_add_func("/http/deadline", test_deadline);
	g_test_add_func("/http/escape", test_escape);
	rc = g_test_run();
	httptest_stop();
	g_free(proxy);
	return rc;
}
