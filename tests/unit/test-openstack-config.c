/* test-openstack-config.c: where the OpenStack plugin's credentials come
 * from (os_config_resolve): a node's client_config wins over OS_CLOUD and
 * OS_*, and a `cloud` in it fills only what it lacks from clouds.yaml;
 * OS_CLOUD picks a clouds.yaml entry with secure.yaml merged over it
 * (deep: a password in secure.yaml, the rest of auth kept);
 * OS_CLIENT_CONFIG_FILE beats ./clouds.yaml; the OS_* environment read as
 * openstacksdk reads it; auth, kwargs, booleans and integers flattened to
 * strings; the errors say what is missing. Each test runs in a fresh
 * directory with no OS_* variable set, and HOME is an empty directory. */
#include <string.h>
#include <unistd.h>

#include "openstack/os.h"
#include "testlib.h"

/* Nothing here calls the engine: the plugin's table stays empty. */
const struct bp_api *bp_plugin_api = NULL;

extern char **environ;

struct fixture {
	char *dir;
	char *old_cwd;
};

static void unset_os_env(void)
{
	g_auto(GStrv) names = NULL;
	GPtrArray *list = g_ptr_array_new();

	for (char **e = environ; *e; e++)
		if (!strncmp(*e, "OS_", 3) && strchr(*e, '='))
			g_ptr_array_add(list, g_strndup(*e,
							strchr(*e, '=') - *e));
	g_ptr_array_add(list, NULL);
	names = (GStrv)g_ptr_array_free(list, FALSE);
	for (char **n = names; *n; n++)
		g_unsetenv(*n);
}

static void setup(struct fixture *f, gconstpointer data)
{
	(void)data;
	unset_os_env();
	f->old_cwd = g_get_current_dir();
	f->dir = test_tmpdir();
	g_assert_cmpint(chdir(f->dir), ==, 0);
}

static void teardown(struct fixture *f, gconstpointer data)
{
	(void)data;
	g_assert_cmpint(chdir(f->old_cwd), ==, 0);
	test_rmtree(f->dir);
	g_free(f->dir);
	g_free(f->old_cwd);
	unset_os_env();
}

static void write_file(const char *path, const char *text)
{
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
}

static const char clouds_yaml[] =
	"clouds:\n"
	"  lab:\n"
	"    auth:\n"
	"      auth_url: http://keystone.lab:5000/v3\n"
	"      username: alice\n"
	"      password: from-clouds\n"
	"      project_name: web\n"
	"      user_domain_name: Default\n"
	"    region_name: RegionOne\n"
	"    interface: internal\n"
	"    verify: false\n"
	"    api_timeout: 30\n"
	"  other:\n"
	"    auth:\n"
	"      auth_url: http://other:5000\n";

/* Resolves, expecting success; (transfer full). */
static json_t *resolve_ok(const char *client_config)
{
	json_t *cc = client_config ? test_json_parse(client_config) : NULL;
	g_autofree char *err = NULL;
	json_t *out = os_config_resolve(cc, &err);

	g_assert_cmpstr(err, ==, NULL);
	g_assert_nonnull(out);
	json_decref(cc);
	return out;
}

/* Resolves, expecting a failure whose message contains `want`. */
static void resolve_fails(const char *client_config, const char *want)
{
	json_t *cc = client_config ? test_json_parse(client_config) : NULL;
	g_autofree char *err = NULL;
	json_t *out = os_config_resolve(cc, &err);

	g_assert_null(out);
	g_assert_nonnull(err);
	if (!strstr(err, want))
		g_error("'%s' does not say '%s'", err, want);
	json_decref(cc);
}

#define assert_key(cfg, key, want) \
	g_assert_cmpstr(os_config_str((cfg), (key)), ==, (want))

static void test_client_config_wins(struct fixture *f, gconstpointer data)
{
	json_t *cfg;

	(void)f; (void)data;
	write_file("clouds.yaml", clouds_yaml);
	g_setenv("OS_CLOUD", "lab", TRUE);
	g_setenv("OS_AUTH_URL", "http://from-env:5000", TRUE);
	g_setenv("OS_PASSWORD", "from-env", TRUE);
	cfg = resolve_ok("{\"auth_url\": \"http://cc:5000/v3\","
			 " \"username\": \"bob\", \"password\": \"\","
			 " \"insecure\": true, \"kwargs\": {\"region_name\": \"R9\"},"
			 " \"auth\": {\"project_name\": \"p\"}}");
	assert_key(cfg, "auth_url", "http://cc:5000/v3");
	assert_key(cfg, "username", "bob");
	assert_key(cfg, "insecure", "true");
	assert_key(cfg, "region_name", "R9");     /* kwargs lifted */
	assert_key(cfg, "project_name", "p");     /* auth lifted */
	/* nothing from the environment or clouds.yaml; "" is no value */
	assert_key(cfg, "password", NULL);
	assert_key(cfg, "interface", NULL);
	g_assert_null(json_object_get(cfg, "kwargs"));
	json_decref(cfg);
}

static void test_client_config_cloud(struct fixture *f, gconstpointer data)
{
	json_t *cfg;

	(void)f; (void)data;
	write_file("clouds.yaml", clouds_yaml);
	g_setenv("OS_CLOUD", "other", TRUE);  /* client_config's cloud wins */
	cfg = resolve_ok("{\"cloud\": \"lab\", \"region_name\": \"RegionTwo\","
			 " \"password\": \"from-cc\"}");
	assert_key(cfg, "auth_url", "http://keystone.lab:5000/v3");
	assert_key(cfg, "username", "alice");
	assert_key(cfg, "password", "from-cc");
	assert_key(cfg, "region_name", "RegionTwo");
	assert_key(cfg, "interface", "internal");
	assert_key(cfg, "verify", "false");       /* YAML booleans */
	assert_key(cfg, "api_timeout", "30");     /* and integers */
	json_decref(cfg);
}

static void test_os_cloud_secure(struct fixture *f, gconstpointer data)
{
	json_t *cfg;

	(void)f; (void)data;
	write_file("clouds.yaml", clouds_yaml);
	write_file("secure.yaml",
		   "clouds:\n  lab:\n    auth:\n      password: from-secure\n"
		   "    region_name: RegionSecure\n");
	g_setenv("OS_CLOUD", "lab", TRUE);
	g_setenv("OS_AUTH_URL", "http://from-env:5000", TRUE);
	cfg = resolve_ok(NULL);
	assert_key(cfg, "password", "from-secure");
	assert_key(cfg, "region_name", "RegionSecure");
	/* the merge is deep: the rest of auth stays */
	assert_key(cfg, "username", "alice");
	assert_key(cfg, "auth_url", "http://keystone.lab:5000/v3");
	json_decref(cfg);

	/* a client_config with neither auth_url nor cloud is none */
	cfg = resolve_ok("{\"region_name\": \"ignored\"}");
	assert_key(cfg, "region_name", "RegionSecure");
	json_decref(cfg);
}

static void test_config_file_env(struct fixture *f, gconstpointer data)
{
	g_autofree char *elsewhere = g_build_filename(f->dir, "my.yaml", NULL);
	json_t *cfg;

	(void)data;
	write_file("clouds.yaml", clouds_yaml);
	write_file(elsewhere, "clouds:\n  lab:\n    auth:\n"
		   "      auth_url: http://from-file-env:5000\n");
	g_setenv("OS_CLIENT_CONFIG_FILE", elsewhere, TRUE);
	g_setenv("OS_CLOUD", "lab", TRUE);
	cfg = resolve_ok(NULL);
	assert_key(cfg, "auth_url", "http://from-file-env:5000");
	assert_key(cfg, "username", NULL);
	json_decref(cfg);
}

static void test_os_env(struct fixture *f, gconstpointer data)
{
	json_t *cfg;

	(void)f; (void)data;
	write_file("clouds.yaml", clouds_yaml);  /* not read without OS_CLOUD */
	g_setenv("OS_AUTH_URL", "http://env:5000/v3", TRUE);
	g_setenv("OS_USERNAME", "carol", TRUE);
	g_setenv("OS_TENANT_NAME", "legacy", TRUE);
	g_setenv("OS_USER_DOMAIN_NAME", "Default", TRUE);
	g_setenv("OS_COMPUTE_ENDPOINT_OVERRIDE", "http://proxy:1/v2.1", TRUE);
	g_setenv("OS_REGION_NAME", "", TRUE);
	cfg = resolve_ok(NULL);
	assert_key(cfg, "auth_url", "http://env:5000/v3");
	assert_key(cfg, "username", "carol");
	assert_key(cfg, "project_name", "legacy");  /* the v2 name */
	assert_key(cfg, "user_domain_name", "Default");
	assert_key(cfg, "compute_endpoint_override", "http://proxy:1/v2.1");
	assert_key(cfg, "region_name", NULL);       /* empty: unset */
	assert_key(cfg, "interface", NULL);
	json_decref(cfg);

	g_setenv("OS_PROJECT_NAME", "modern", TRUE);
	cfg = resolve_ok(NULL);
	assert_key(cfg, "project_name", "modern");
	json_decref(cfg);
}

static void test_errors(struct fixture *f, gconstpointer data)
{
	(void)f; (void)data;
	resolve_fails(NULL, "no OpenStack credentials");
	g_setenv("OS_USERNAME", "dave", TRUE);       /* still no auth_url */
	resolve_fails(NULL, "no OpenStack credentials");
	g_setenv("OS_CLOUD", "lab", TRUE);
	resolve_fails(NULL, "OS_CLOUD is 'lab' but no clouds.yaml was found");
	write_file("clouds.yaml", clouds_yaml);
	g_setenv("OS_CLOUD", "nowhere", TRUE);
	resolve_fails(NULL, "clouds.yaml has no cloud 'nowhere'");
	resolve_fails("{\"cloud\": \"gone\"}", "clouds.yaml has no cloud 'gone'");
	write_file("secure.yaml", "clouds: [unclosed\n");
	g_setenv("OS_CLOUD", "lab", TRUE);
	resolve_fails(NULL, "secure.yaml");
	g_assert_cmpint(unlink("secure.yaml"), ==, 0);
	write_file("clouds.yaml", "clouds:\n  lab: {auth: \n");
	resolve_fails(NULL, "clouds.yaml");
}

int main(int argc, char **argv)
{
	/* an empty home: the user's ~/.config/openstack is not read */
	g_autofree char *home = test_tmpdir();
	int rc;

	g_setenv("HOME", home, TRUE);
	test_init(&argc, &argv);
#define ADD(path, fn) \
	g_test_add(path, struct fixture, NULL, setup, fn, teardown)
	ADD("/openstack/config/client-config-wins", test_client_config_wins);
	ADD("/openstack/config/client-config-cloud", test_client_config_cloud);
	ADD("/openstack/config/os-cloud-secure", test_os_cloud_secure);
	ADD("/openstack/config/config-file-env", test_config_file_env);
	ADD("/openstack/config/os-env", test_os_env);
	ADD("/openstack/config/errors", test_errors);
	rc = g_test_run();
	test_rmtree(home);
	return rc;
}
