/* test-http-tls.c: plugins/common/http.c against local HTTPS servers
 * (tests/tools/upstream.py with certificates openssl makes at test time):
 * the server verified through a CA file or CA data, or not at all when
 * insecure; refused with the wrong CA or none; a client certificate (file
 * or data) for a server that requires one; unreadable TLS files refused
 * when the client is made. */
#include "common/http.h"
#include "httptest.h"
#include "testlib.h"

#include <string.h>

const struct bp_api *bp_plugin_api = NULL;	/* no ctx is ever given */

static char *server;		/* HTTPS */
static char *mtls_server;	/* HTTPS requiring a client certificate */

static char *cert_path(const char *name)
{
	return g_build_filename(httptest_certs(), name, NULL);
}

static char *cert_text(const char *name)
{
	g_autofree char *path = cert_path(name);
	char *text = NULL;

	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	return text;
}

/* What get() saw: status (0 when the connection failed: error says why),
 * attempts, and the client certificate's CN the server saw. */
struct result {
	long status;
	int attempts;
	char *error;
	char *cn;
};

static void result_clear(struct result *r)
{
	g_free(r->error);
	g_free(r->cn);
	memset(r, 0, sizeof(*r));
}

/* GET base/tls with a client made from tls (at most 2 attempts). */
static struct result get(const char *base, const struct http_tls *tls)
{
	struct result r = { 0 };
	char *msg = NULL;
	struct http_client *c = http_client_new("bp-test", tls, &msg);
	g_autofree char *url = g_strconcat(base, "/tls", NULL);
	struct http_request req = { .method = "GET", .url = url, .idempotent = true };
	struct http_response resp;

	g_assert_null(msg);
	http_client_set_retry(c, 2, 10);
	http_send(c, &req, &resp);
	r.status = resp.status;
	r.attempts = resp.attempts;
	r.error = g_strdup(resp.error);
	if (r.status == 200) {
		json_t *echo = http_response_json(&resp);

		r.cn = g_strdup(json_string_value(json_object_get(echo, "client_cert")));
		json_decref(echo);
	}
	http_response_clear(&resp);
	http_client_free(c);
	return r;
}

/* The status of get(). */
static long status(const char *base, const struct http_tls *tls)
{
	struct result r = get(base, tls);
	long s = r.status;

	result_clear(&r);
	return s;
}

static void test_ca(void)
{
	g_autofree char *ca = cert_path("ca.pem");
	g_autofree char *ca_data = cert_text("ca.pem");
	g_autofree char *other = cert_path("other-ca.pem");
	struct result r;
	struct http_tls by_file = { .ca_file = ca };
	struct http_tls by_data = { .ca_data = ca_data };
	/* data wins over a file */
	struct http_tls data_over_file = { .ca_data = ca_data, .ca_file = other };
	struct http_tls wrong = { .ca_file = other };
	struct http_tls insecure = { .insecure = true };
	struct http_tls insecure_wrong = { .insecure = true, .ca_file = other };

	g_assert_cmpint(status(server, &by_file), ==, 200);
	g_assert_cmpint(status(server, &by_data), ==, 200);
	g_assert_cmpint(status(server, &data_over_file), ==, 200);
	g_assert_cmpint(status(server, &insecure), ==, 200);
	g_assert_cmpint(status(server, &insecure_wrong), ==, 200);
	/* refused, and not tried again: it would fail the same way */
	r = get(server, &wrong);
	g_assert_cmpint(r.status, ==, 0);
	g_assert_cmpint(r.attempts, ==, 1);
	g_assert_nonnull(strstr(r.error, "certificate"));
	result_clear(&r);
	r = get(server, NULL);
	g_assert_cmpint(r.status, ==, 0);
	g_assert_cmpint(r.attempts, ==, 1);
	g_assert_nonnull(strstr(r.error, "certificate"));
	result_clear(&r);
}

/* The name checked is the URL's host: 127.0.0.1 is in the certificate,
 * localhost is not. */
static void test_host_name(void)
{
	g_autofree char *ca = cert_path("ca.pem");
	g_autofree char *other_host = NULL;
	struct http_tls tls = { .ca_file = ca };
	struct http_tls insecure = { .insecure = true };
	struct result r;

	other_host = g_strdup_printf("https://localhost:%s", strrchr(server, ':') + 1);
	r = get(other_host, &tls);
	g_assert_cmpint(r.status, ==, 0);
	g_assert_cmpint(r.attempts, ==, 1);
	g_assert_nonnull(strstr(r.error, "localhost"));
	result_clear(&r);
	g_assert_cmpint(status(other_host, &insecure), ==, 200);
}

static void test_client_cert(void)
{
	g_autofree char *ca = cert_path("ca.pem");
	g_autofree char *cert = cert_path("client.pem");
	g_autofree char *key = cert_path("client.key");
	g_autofree char *cert_data = cert_text("client.pem");
	g_autofree char *key_data = cert_text("client.key");
	struct result r;
	struct http_tls files = { .ca_file = ca, .cert_file = cert, .key_file = key };
	struct http_tls data = { .ca_file = ca, .cert_data = cert_data,
				 .key_data = key_data };
	struct http_tls none = { .ca_file = ca };

	r = get(mtls_server, &files);
	g_assert_cmpint(r.status, ==, 200);
	g_assert_cmpstr(r.cn, ==, "bp-client");
	result_clear(&r);
	r = get(mtls_server, &data);
	g_assert_cmpint(r.status, ==, 200);
	g_assert_cmpstr(r.cn, ==, "bp-client");
	result_clear(&r);
	g_assert_cmpint(status(mtls_server, &none), ==, 0);
	/* the plain server does not ask for one: sent or not, all is well */
	g_assert_cmpint(status(server, &files), ==, 200);
}

static void test_unreadable(void)
{
	g_autofree char *ca = cert_path("ca.pem");
	const struct http_tls bad[] = {
		{ .ca_file = "/nonexistent/ca.pem" },
		{ .ca_file = ca, .cert_file = "/nonexistent/c.pem", .key_data = "x" },
		{ .ca_file = ca, .cert_data = "x", .key_file = "/nonexistent/k.pem" },
	};
	const char *const want[] = {
		"cannot read CA file '/nonexistent/ca.pem'",
		"cannot read client certificate '/nonexistent/c.pem'",
		"cannot read client key '/nonexistent/k.pem'",
	};
	/* a missing file behind data that wins is never read */
	const struct http_tls fine = { .ca_data = "x", .ca_file = "/nonexistent" };
	char *msg = NULL;
	struct http_client *c;

	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_assert_null(http_client_new("bp-test", &bad[i], &msg));
		g_assert_cmpstr(msg, ==, want[i]);
		g_clear_pointer(&msg, g_free);
	}
	c = http_client_new("bp-test", &fine, &msg);
	g_assert_nonnull(c);
	g_assert_null(msg);
	http_client_free(c);
}

int main(int argc, char **argv)
{
	g_autofree char *cert = NULL, *key = NULL, *ca = NULL;
	int rc;

	test_init(&argc, &argv);
	cert = cert_path("server.pem");
	key = cert_path("server.key");
	ca = cert_path("ca.pem");
	{
		const char *const plain[] = { "--cert", cert, "--key", key, NULL };
		const char *const mtls[] = { "--cert", cert, "--key", key,
					     "--client-ca", ca, NULL };

		server = httptest_upstream(plain);
		mtls_server = httptest_upstream(mtls);
	}
	g_test_add_func("/http/tls/ca", test_ca);
	g_test_add_func("/http/tls/host-name", test_host_name);
	g_test_add_func("/http/tls/client-cert", test_client_cert);
	g_test_add_func("/http/tls/unreadable", test_unreadable);
	rc = g_test_run();
	httptest_stop();
	g_free(server);
	g_free(mtls_server);
	return rc;
}
