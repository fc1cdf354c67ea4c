/* httptest.c: the HTTP servers and certificates of httptest.h. */
#include "httptest.h"
#include "testlib.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define HTTPTEST_MAX_PIDS 8

static char *dir;
static GPid pids[HTTPTEST_MAX_PIDS];
static int npids;
static char *rules_file, *log_file;
static char *certs_dir;

static const char *test_dir(void)
{
	if (!dir)
		dir = test_tmpdir();
	return dir;
}

char *httptest_path(const char *name)
{
	return g_build_filename(test_dir(), name, NULL);
}

/* In the child: die with the test program, whatever way it ends. */
static void die_with_parent(gpointer unused)
{
	(void)unused;
	prctl(PR_SET_PDEATHSIG, SIGTERM);
}

/* Spawns Python on SCRIPT ARGS... with --port-file; returns the port. */
static int spawn_server(const char *script, const char *const *args)
{
	static int serial;
	g_autofree char *port_file = NULL, *tool = NULL, *text = NULL;
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GError) error = NULL;
	GPid pid;

	g_assert_cmpint(npids, <, HTTPTEST_MAX_PIDS);
	port_file = g_strdup_printf("%s/port-%d", test_dir(), ++serial);
	tool = g_strdup_printf("%s/tests/tools/%s", test_src_dir(), script);
	/* the system's: a version manager's shim costs seconds per start */
	g_ptr_array_add(argv, (char *)(g_file_test("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE) ?
				       "/usr/bin/python3" : "python3"));
	g_ptr_array_add(argv, tool);
	g_ptr_array_add(argv, (char *)"--port-file");
	g_ptr_array_add(argv, port_file);
	for (const char *const *a = args; a && *a; a++)
		g_ptr_array_add(argv, (char *)*a);
	g_ptr_array_add(argv, NULL);
	if (!g_spawn_async(NULL, (char **)argv->pdata, NULL,
			   G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
			   G_SPAWN_STDOUT_TO_DEV_NULL,
			   die_with_parent, NULL, &pid, &error))
		g_error("cannot start %s: %s", script, error->message);
	pids[npids++] = pid;
	for (int i = 0; i < 1500; i++) {
		if (g_file_get_contents(port_file, &text, NULL, NULL))
			return atoi(text);
		g_usleep(20000);
	}
	g_error("%s did not write its port in 30 s", script);
}

char *httptest_upstream(const char *const *args)
{
	bool tls = args && args[0] && strcmp(args[0], "--cert") == 0;
	int port = spawn_server("upstream.py", args);

	return g_strdup_printf("%s://127.0.0.1:%d", tls ? "https" : "http", port);
}

char *httptest_proxy(const char *upstream)
{
	g_assert_null(rules_file);
	rules_file = httptest_path("rules.json");
	log_file = httptest_path("proxy.jsonl");
	const char *args[] = {
		"--upstream", upstream, "--rules", rules_file, "--log", log_file,
		NULL,
	};
	return g_strdup_printf("http://127.0.0.1:%d",
			       spawn_server("faultproxy.py", args));
}

void httptest_rules(const char *json)
{
	g_autoptr(GError) error = NULL;

	/* g_file_set_contents writes a temporary file and renames it */
	if (!g_file_set_contents(rules_file, json, -1, &error))
		g_error("%s", error->message);
}

json_t *httptest_log(const char *path)
{
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;
	json_t *out = json_array();

	if (!g_file_get_contents(log_file, &text, NULL, NULL))
		return out;
	lines = g_strsplit(text, "\n", -1);
	for (char **l = lines; *l; l++) {
		json_t *entry;

		if (!**l || !g_str_has_suffix(*l, "}"))
			continue;  /* a line being written */
		entry = test_json_parse(*l);
		if (g_strcmp0(json_string_value(json_object_get(entry, "path")), path) == 0)
			json_array_append(out, entry);
		json_decref(entry);
	}
	return out;
}

bool httptest_wait_log(const char *path, size_t n)
{
	for (int i = 0; i < 1500; i++) {
		json_t *log = httptest_log(path);
		size_t have = json_array_size(log);

		json_decref(log);
		if (have >= n)
			return true;
		g_usleep(20000);
	}
	return false;
}

/* Key and certificate requests are P-256 (fast); every certificate lives
 * two days. */
static const char certs_script[] =
	"set -e\n"
	"key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out $1 2>/dev/null; }\n"
	"ca() {\n"
	"  key $1.key\n"
	"  openssl req -x509 -new -key $1.key -out $1.pem -days 2 -subj /CN=$1 \\\n"
	"    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=keyCertSign\n"
	"}\n"
	"leaf() {\n"
	"  key $1.key\n"
	"  openssl req -new -key $1.key -out $1.csr -subj /CN=$2\n"
	"  printf '%s\\n' \"$3\" > $1.ext\n"
	"  openssl x509 -req -in $1.csr -CA ca.pem -CAkey ca.key -CAcreateserial \\\n"
	"    -out $1.pem -days 2 -extfile $1.ext 2>/dev/null\n"
	"}\n"
	"ca ca\n"
	"ca other-ca\n"
	"leaf server 127.0.0.1 subjectAltName=IP:127.0.0.1\n"
	"leaf client bp-client extendedKeyUsage=clientAuth\n";

const char *httptest_certs(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *err = NULL;
	const char *argv[] = { "sh", "-c", certs_script, NULL };
	int status;

	if (certs_dir)
		return certs_dir;
	certs_dir = httptest_path("certs");
	g_mkdir_with_parents(certs_dir, 0700);
	if (!g_spawn_sync(certs_dir, (char **)argv, NULL, G_SPAWN_SEARCH_PATH |
			  G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
			  &status, &error))
		g_error("cannot run openssl: %s", error->message);
	if (!g_spawn_check_wait_status(status, &error))
		g_error("making test certificates: %s\n%s", error->message, err);
	return certs_dir;
}

void httptest_stop(void)
{
	for (int i = 0; i < npids; i++) {
		kill(pids[i], SIGTERM);
		waitpid(pids[i], NULL, 0);
		g_spawn_close_pid(pids[i]);
	}
	npids = 0;
	if (dir)
		test_rmtree(dir);
	g_clear_pointer(&dir, g_free);
	g_clear_pointer(&rules_file, g_free);
	g_clear_pointer(&log_file, g_free);
	g_clear_pointer(&certs_dir, g_free);
}
