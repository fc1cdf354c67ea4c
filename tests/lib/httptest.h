/* httptest.h: HTTP servers for the unit tests of plugins/common/http.c:
 * the echoing upstream (tests/tools/upstream.py), the fault proxy
 * (tests/tools/faultproxy.py) with its rules and log, and test
 * certificates made with openssl. The servers are child processes that die
 * with the test program (and are killed by httptest_stop). */
#ifndef BP_TESTS_HTTPTEST_H
#define BP_TESTS_HTTPTEST_H

#include <glib.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Starts an upstream.py with `args` (NULL-terminated, may be NULL: plain
 * HTTP; "--cert", PEM, "--key", PEM [, "--client-ca", PEM] for HTTPS).
 * Returns its base URL, "http[s]://127.0.0.1:PORT" (transfer full); aborts
 * the test when it does not start. */
char *httptest_upstream(const char *const *args);

/* Starts the fault proxy in front of `upstream` (one per program), with
 * the rules and log files in the test directory. Returns its base URL
 * (transfer full); aborts the test when it does not start. */
char *httptest_proxy(const char *upstream);

/* Replaces the proxy's rules with `json` (a JSON list, see faultproxy.py);
 * atomically, so the proxy sees the old or the new rules. */
void httptest_rules(const char *json);

/* The proxy log's entries for requests whose path?query is `path`, in
 * order (transfer full: a JSON array of {"t", "method", "path", "fault",
 * "status"}). */
json_t *httptest_log(const char *path);

/* Waits (at most 30 s) until the proxy has logged `n` requests for `path`;
 * false when it has not by then. */
bool httptest_wait_log(const char *path, size_t n);

/* Makes test certificates in a directory of their own, once per program,
 * and returns it (transfer none): ca.pem (signs the rest), server.pem and
 * server.key (for 127.0.0.1), client.pem and client.key (CN bp-client),
 * other-ca.pem (an unrelated CA). Aborts the test when openssl fails. */
const char *httptest_certs(void);

/* A path in the test directory (transfer full). */
char *httptest_path(const char *name);

/* Stops every server and removes the test directory. */
void httptest_stop(void);

#endif
