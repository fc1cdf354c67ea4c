/* test-openstack-api.c: the OpenStack plugin's pure logic around a call:
 * choosing an endpoint from a token's catalog (service type and its
 * aliases, region, interface, publicURL spellings, SERVICE_endpoint_override
 * first) and its versioned root; decoding error bodies of every service's
 * shape into one message, with quota errors (Nova/Cinder overLimit or
 * "Quota exceeded", Neutron OverQuota) told apart and fatal meaning
 * "retrying cannot help"; the Nova microversion picked from the version
 * document (numeric comparison) and its header; a token's lifetime by
 * Keystone's own clock and when the renewal margin says to renew. */
#include <string.h>

#include "openstack/os.h"
#include "testlib.h"

/* Nothing here calls the engine: the plugin's table stays empty. */
const struct bp_api *bp_plugin_api = NULL;

static const char catalog_text[] =
	"[{\"type\": \"compute\", \"name\": \"nova\", \"endpoints\": ["
	"  {\"interface\": \"admin\", \"region_id\": \"RegionOne\","
	"   \"url\": \"http://nova-admin:8774/v2.1\"},"
	"  {\"interface\": \"public\", \"region_id\": \"RegionOne\","
	"   \"url\": \"http://nova-one:8774/v2.1/\"},"
	"  {\"interface\": \"internal\", \"region_id\": \"RegionTwo\","
	"   \"url\": \"http://nova-two-int:8774/v2.1\"},"
	"  {\"interface\": \"public\", \"region\": \"RegionTwo\","
	"   \"url\": \"http://nova-two:8774\"}]},"
	" {\"type\": \"network\", \"endpoints\": ["
	"  {\"interface\": \"public\", \"region_id\": \"RegionOne\","
	"   \"url\": \"http://neutron:9696\"}]},"
	" {\"type\": \"image\", \"endpoints\": ["
	"  {\"interface\": \"public\", \"region_id\": \"RegionOne\","
	"   \"url\": \"http://glance:9292\"}]},"
	" {\"type\": \"volumev3\", \"endpoints\": ["
	"  {\"interface\": \"public\", \"region_id\": \"RegionOne\","
	"   \"url\": \"http://cinder:8776/v3/%(project_id)s\"}]},"
	" {\"type\": \"identity\", \"endpoints\": ["
	"  {\"interface\": \"public\", \"region_id\": \"RegionOne\","
	"   \"url\": \"http://keystone:5000\"}]}]";

/* os_catalog_endpoint for a configuration given as JSON text. */
static char *endpoint(const char *cfg_text, enum os_service svc,
		      char **errmsg)
{
	json_t *catalog = test_json_parse(catalog_text);
	json_t *cfg = test_json_parse(cfg_text);
	char *url = os_catalog_endpoint(cfg, catalog, svc, "p123", errmsg);

	json_decref(cfg);
	json_decref(catalog);
	return url;
}

static void assert_endpoint(const char *cfg_text, enum os_service svc,
			    const char *want)
{
	g_autofree char *err = NULL;
	g_autofree char *url = endpoint(cfg_text, svc, &err);

	g_assert_cmpstr(err, ==, NULL);
	g_assert_cmpstr(url, ==, want);
}

static void test_catalog_select(void)
{
	json_t *catalog = test_json_parse(catalog_text);
	const char *const compute[] = { "compute", NULL };
	const char *const volume[] = { "block-storage", "volumev3", NULL };
	const char *const nothing[] = { "dns", NULL };
	g_autofree char *a = os_catalog_find(catalog, compute, NULL, NULL);
	g_autofree char *b = os_catalog_find(catalog, compute, "RegionTwo",
					     "internalURL");
	g_autofree char *c = os_catalog_find(catalog, compute, "RegionTwo",
					     "publicURL");
	g_autofree char *d = os_catalog_find(catalog, compute, NULL, "admin");
	g_autofree char *e = os_catalog_find(catalog, volume, "RegionOne",
					     "public");
	g_autofree char *f = os_catalog_find(catalog, compute, "RegionThree",
					     NULL);
	g_autofree char *g = os_catalog_find(catalog, nothing, NULL, NULL);

	g_assert_cmpstr(a, ==, "http://nova-one:8774/v2.1/"); /* public */
	g_assert_cmpstr(b, ==, "http://nova-two-int:8774/v2.1");
	g_assert_cmpstr(c, ==, "http://nova-two:8774"); /* v2 "region" */
	g_assert_cmpstr(d, ==, "http://nova-admin:8774/v2.1");
	g_assert_cmpstr(e, ==, "http://cinder:8776/v3/%(project_id)s");
	g_assert_null(f);
	g_assert_null(g);
	json_decref(catalog);
}

static void test_catalog_versioned(void)
{
	assert_endpoint("{}", OS_COMPUTE, "http://nova-one:8774/v2.1");
	assert_endpoint("{\"region_name\": \"RegionTwo\"}", OS_COMPUTE,
			"http://nova-two:8774/v2.1");
	assert_endpoint("{}", OS_NETWORK, "http://neutron:9696/v2.0");
	assert_endpoint("{}", OS_IMAGE, "http://glance:9292/v2");
	assert_endpoint("{}", OS_VOLUME, "http://cinder:8776/v3/p123");
	assert_endpoint("{}", OS_IDENTITY, "http://keystone:5000/v3");
	/* an override wins, whatever alias names it, and is versioned too */
	assert_endpoint("{\"compute_endpoint_override\": \"http://px:1/v2.1\","
			" \"region_name\": \"RegionNone\"}", OS_COMPUTE,
			"http://px:1/v2.1");
	assert_endpoint("{\"network_endpoint_override\": \"http://px:2/\"}",
			OS_NETWORK, "http://px:2/v2.0");
	assert_endpoint("{\"block_storage_endpoint_override\": \"http://px:3\"}",
			OS_VOLUME, "http://px:3/v3/p123");
	assert_endpoint("{\"volumev3_endpoint_override\": "
			"\"http://px:4/v3/$(project_id)s\"}",
			OS_VOLUME, "http://px:4/v3/p123");
	assert_endpoint("{\"image_endpoint_override\": \"http://px:5/v2\"}",
			OS_IMAGE, "http://px:5/v2");
}

static void test_catalog_missing(void)
{
	g_autofree char *err = NULL;
	g_autofree char *url = endpoint("{\"region_name\": \"RegionTwo\","
					" \"interface\": \"internal\"}",
					OS_NETWORK, &err);

	g_assert_null(url);
	g_assert_cmpstr(err, ==, "the service catalog has no 'network' "
			"endpoint (region 'RegionTwo', interface 'internal')");
}

/* Decodes a failed answer of `status` with body `text`. */
static void decode(struct os_reply *r, long status, const char *text)
{
	memset(r, 0, sizeof(*r));
	r->status = status;
	r->body = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
	os_reply_decode(r, text);
}

static void assert_decoded(long status, const char *body, const char *msg,
			   bool quota, bool fatal)
{
	struct os_reply r;

	decode(&r, status, body);
	g_assert_cmpstr(r.error, ==, msg);
	if (r.quota != quota || r.fatal != fatal)
		g_error("HTTP %ld %s: quota %d fatal %d, expected %d %d",
			status, body, r.quota, r.fatal, quota, fatal);
	os_reply_clear(&r);
}

static void test_errors(void)
{
	/* Nova */
	assert_decoded(400, "{\"badRequest\": {\"code\": 400, \"message\": "
		       "\"Invalid flavorRef provided.\"}}",
		       "Invalid flavorRef provided.", false, true);
	assert_decoded(403, "{\"forbidden\": {\"code\": 403, \"message\": "
		       "\"Quota exceeded for cores: Requested 4, but already "
		       "used 20 of 20 cores\"}}",
		       "Quota exceeded for cores: Requested 4, but already "
		       "used 20 of 20 cores", true, true);
	assert_decoded(413, "{\"overLimit\": {\"code\": 413, \"message\": "
		       "\"Maximum number of key pairs exceeded\"}}",
		       "Maximum number of key pairs exceeded", true, true);
	assert_decoded(409, "{\"conflictingRequest\": {\"code\": 409, "
		       "\"message\": \"Cannot 'delete' instance while it is in "
		       "task_state spawning\"}}",
		       "Cannot 'delete' instance while it is in task_state "
		       "spawning", false, false);
	/* Cinder */
	assert_decoded(413, "{\"overLimit\": {\"code\": 413, \"message\": "
		       "\"VolumeLimitExceeded: Maximum number of volumes "
		       "allowed (10) exceeded for quota 'volumes'.\", "
		       "\"retryAfter\": \"0\"}}",
		       "VolumeLimitExceeded: Maximum number of volumes allowed "
		       "(10) exceeded for quota 'volumes'.", true, true);
	assert_decoded(404, "{\"itemNotFound\": {\"code\": 404, \"message\": "
		       "\"Volume v1 could not be found.\"}}",
		       "Volume v1 could not be found.", false, true);
	/* Neutron: quota with 409 */
	assert_decoded(409, "{\"NeutronError\": {\"type\": \"OverQuota\", "
		       "\"message\": \"Quota exceeded for resources: "
		       "['network'].\", \"detail\": \"\"}}",
		       "Quota exceeded for resources: ['network'].",
		       true, false);
	assert_decoded(409, "{\"NeutronError\": {\"type\": \"IpAddressInUse\","
		       " \"message\": \"IP address 10.0.0.5 already allocated\","
		       " \"detail\": \"\"}}",
		       "IP address 10.0.0.5 already allocated", false, false);
	assert_decoded(404, "{\"NeutronError\": {\"type\": \"NetworkNotFound\","
		       " \"message\": \"Network n1 could not be found.\"}}",
		       "Network n1 could not be found.", false, true);
	assert_decoded(400, "{\"NeutronError\": {\"type\": \"HTTPBadRequest\"}}",
		       "HTTP 400", false, true);
	/* Keystone, and bodies with a top-level message */
	assert_decoded(401, "{\"error\": {\"code\": 401, \"title\": "
		       "\"Unauthorized\", \"message\": \"The request you have "
		       "made requires authentication.\"}}",
		       "The request you have made requires authentication.",
		       false, true);
	assert_decoded(400, "{\"message\": \"bad sort key\"}", "bad sort key",
		       false, true);
	/* Glance and webob: text or HTML, on one line */
	assert_decoded(404, "<html>\n <head><title>404 Not Found</title></head>"
		       "\n <body>The resource could not be found.</body>\n"
		       "</html>\n",
		       "<html>  <head><title>404 Not Found</title></head>  "
		       "<body>The resource could not be found.</body> </html>",
		       false, true);
	assert_decoded(413, "Request Entity Too Large", "Request Entity Too "
		       "Large", false, false);
	/* what may pass: 429, 5xx; an empty body says its status */
	assert_decoded(429, "", "HTTP 429", false, false);
	assert_decoded(503, NULL, "HTTP 503", false, false);
	assert_decoded(500, "  \n", "HTTP 500", false, false);
}

static void test_long_text(void)
{
	g_autofree char *text = g_strnfill(1000, 'x');
	struct os_reply r;

	decode(&r, 502, text);
	g_assert_cmpuint(strlen(r.error), ==, 400);
	os_reply_clear(&r);
}

static void assert_pick(const char *doc_text, const char *want)
{
	json_t *doc = test_json_parse(doc_text);
	g_autofree char *v = os_nova_version_pick(doc);

	g_assert_cmpstr(v, ==, want);
	json_decref(doc);
}

static void test_microversion(void)
{
	g_autofree char *h = os_api_version_header(OS_COMPUTE, "2.79");
	g_autofree char *hv = os_api_version_header(OS_VOLUME, "3.59");

	/* Zed's Nova offers 2.93: we speak at most ours */
	assert_pick("{\"version\": {\"id\": \"v2.1\", \"version\": \"2.93\","
		    " \"min_version\": \"2.1\"}}", OS_NOVA_MICROVERSION);
	assert_pick("{\"version\": {\"version\": \"2.60\","
		    " \"min_version\": \"2.1\"}}", "2.60");
	/* numbers, not strings: 2.8 < 2.79 < 2.100 */
	assert_pick("{\"version\": {\"version\": \"2.8\"}}", "2.8");
	assert_pick("{\"version\": {\"version\": \"2.100\"}}",
		    OS_NOVA_MICROVERSION);
	assert_pick("{\"version\": {\"version\": \"3.1\"}}",
		    OS_NOVA_MICROVERSION);
	/* no microversions: the base API */
	assert_pick("{\"version\": {\"version\": \"\"}}", "2.1");
	assert_pick("{}", "2.1");
	g_assert_cmpstr(OS_NOVA_MICROVERSION, ==, "2.79"); /* >= 2.37 */
	g_assert_cmpstr(h, ==, "OpenStack-API-Version: compute 2.79");
	g_assert_cmpstr(hv, ==, "OpenStack-API-Version: volume 3.59");
}

static gint64 lifetime(const char *token_text, gint64 now)
{
	json_t *token = test_json_parse(token_text);
	gint64 s = os_token_lifetime(token, now);

	json_decref(token);
	return s;
}

static void test_token_times(void)
{
	/* 2026-11-26T02:00:00Z */
	const gint64 at2 = 1795658400;

	/* Keystone's clock: whatever ours says, the token lives 4 hours */
	g_assert_cmpint(lifetime("{\"issued_at\": \"2026-11-26T02:00:00.000000Z\","
				 " \"expires_at\": \"2026-11-26T06:00:00.000000Z\"}",
				 at2 + 7200), ==, 14400);
	g_assert_cmpint(lifetime("{\"issued_at\": \"2026-11-26T03:00:00+01:00\","
				 " \"expires_at\": \"2026-11-26T02:30:00Z\"}",
				 0), ==, 1800);
	/* without issued_at, from now */
	g_assert_cmpint(lifetime("{\"expires_at\": \"2026-11-26T03:00:00Z\"}",
				 at2), ==, 3600);
	g_assert_cmpint(lifetime("{}", at2), ==, 3600);
	g_assert_cmpint(lifetime("{\"expires_at\": \"soon\"}", at2), ==, 3600);

	g_assert_cmpint(os_token_margin(NULL), ==, 300);
	g_assert_cmpint(os_token_margin(""), ==, 300);
	g_assert_cmpint(os_token_margin("60"), ==, 60);
	g_assert_cmpint(os_token_margin("0"), ==, 0);
	g_assert_cmpint(os_token_margin("86400"), ==, 86400);
	g_assert_cmpint(os_token_margin("-5"), ==, 300);
	g_assert_cmpint(os_token_margin("5m"), ==, 300);

	g_assert_false(os_token_due(1000, 1000 + 14400, 300));
	g_assert_false(os_token_due(1000, 1301, 300));
	g_assert_true(os_token_due(1000, 1300, 300));  /* margin reached */
	g_assert_true(os_token_due(1000, 900, 0));     /* expired */
	g_assert_true(os_token_due(1000, 1000 + 14400, 86400));
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
	g_test_add_func("/openstack/catalog/select", test_catalog_select);
	g_test_add_func("/openstack/catalog/versioned", test_catalog_versioned);
	g_test_add_func("/openstack/catalog/missing", test_catalog_missing);
	g_test_add_func("/openstack/errors/shapes", test_errors);
	g_test_add_func("/openstack/errors/long-text", test_long_text);
	g_test_add_func("/openstack/microversion", test_microversion);
	g_test_add_func("/openstack/token/times", test_token_times);
	return g_test_run();
}
