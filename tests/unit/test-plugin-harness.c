/* test-plugin-harness.c: the test harness behind `blueprint plugins run`:
 * a context document in, a report out; the defaults it fills, the strict
 * checks on the context, relationship contexts, and a report reused as the
 * next context. */
#include "plugin/harness.h"
#include "testlib.h"

#include <string.h>

static struct plugin_registry *reg;

/* Runs probe operation `op` with `context`; returns the report. */
static json_t *run(const char *op, const char *context)
{
	struct plugin_harness h;
	g_autoptr(bp_error) err = NULL;
	json_t *ctx = test_json_parse(context);
	json_t *report;

	if (!plugin_harness_init(&h, ctx, op, &err) ||
	    !plugin_harness_run(&h, reg, "probe", op, &err))
		g_error("%s: %s", op, err->message);
	report = plugin_harness_report(&h);
	plugin_harness_release(&h);
	json_decref(ctx);
	return report;
}

/* The value at a dotted path of the report, as compact JSON. */
static char *at(json_t *doc, const char *path)
{
	g_auto(GStrv) keys = g_strsplit(path, ".", -1);
	json_t *v = doc;
	char *text, *out;

	for (char **k = keys; *k; k++)
		v = json_object_get(v, *k);
	if (!v)
		return g_strdup("(missing)");
	text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_SORT_KEYS);
	out = g_strdup(text);
	free(text);
	return out;
}

#define assert_at(doc, path, want) do {                                     \
		g_autofree char *got_ = at(doc, path);                      \
		g_assert_cmpstr(got_, ==, want);                            \
	} while (0)

static void test_defaults(void)
{
	json_t *r = run("read", "{}");

	assert_at(r, "deployment.id", "\"harness\"");
	assert_at(r, "deployment.inputs", "{}");
	assert_at(r, "node.name", "\"node\"");
	assert_at(r, "node.type", "\"cloudify.nodes.Root\"");
	assert_at(r, "node.properties", "{}");
	assert_at(r, "instance.id", "\"node_1\"");
	assert_at(r, "instance.runtime_properties", "{}");
	assert_at(r, "operation.name", "\"read\"");
	assert_at(r, "operation.inputs", "{}");
	assert_at(r, "result.code", "\"OK\"");
	assert_at(r, "result.retry_after", "0");
	assert_at(r, "result.message", "null");
	assert_at(r, "result.outputs.attempt", "1");
	assert_at(r, "result.outputs.has_deadline", "false");
	assert_at(r, "result.outputs.instance", "\"node_1\"");
	assert_at(r, "result.outputs.blueprint_dir", "null");
	assert_at(r, "deployment.blueprint_dir", "(missing)");
	assert_at(r, "result.outputs.execution", "null");
	json_decref(r);
}

/* deployment.blueprint_dir reaches bp_blueprint_dir(), made absolute. */
static void test_blueprint_dir(void)
{
	g_autofree char *cwd = g_get_current_dir();
	g_autofree char *want = g_strdup_printf("\"%s/bp/x\"", cwd);
	json_t *r = run("read", "{\"deployment\": {\"blueprint_dir\": "
			"\"/srv/bp\"}}");

	assert_at(r, "result.outputs.blueprint_dir", "\"/srv/bp\"");
	json_decref(r);
	r = run("read", "{\"deployment\": {\"blueprint_dir\": \"bp/./x\"}}");
	assert_at(r, "result.outputs.blueprint_dir", want);
	assert_at(r, "deployment.blueprint_dir", want);
	json_decref(r);
}

static void test_given_values(void)
{
	json_t *r = run("read", "{"
		"\"deployment\": {\"id\": \"d\", \"inputs\": {\"region\": \"r\"}},"
		"\"execution\": {\"id\": \"install-7\"},"
		"\"node\": {\"name\": \"vm\", \"type\": \"t.VM\", "
		"  \"properties\": {\"name\": \"n\", \"ports\": [1, 2]}},"
		"\"instance\": {\"id\": \"vm_9\", "
		"  \"runtime_properties\": {\"k\": 1}},"
		"\"operation\": {\"name\": \"op.x\", \"attempt\": 2, "
		"  \"timeout\": 30, \"inputs\": {\"greeting\": \"g\"}}}");

	assert_at(r, "result.outputs.deployment", "\"d\"");
	assert_at(r, "result.outputs.execution", "\"install-7\"");
	assert_at(r, "result.outputs.region", "\"r\"");
	assert_at(r, "result.outputs.node", "\"vm\"");
	assert_at(r, "result.outputs.type", "\"t.VM\"");
	assert_at(r, "result.outputs.instance", "\"vm_9\"");
	assert_at(r, "result.outputs.operation", "\"op.x\"");
	assert_at(r, "result.outputs.attempt", "2");
	assert_at(r, "result.outputs.has_deadline", "true");
	assert_at(r, "result.outputs.port", "2");
	assert_at(r, "result.outputs.input", "\"g\"");
	assert_at(r, "result.outputs.runtime", "\"{\\\"k\\\":1}\"");
	assert_at(r, "operation.timeout", "30");
	json_decref(r);
}

static void test_logs_secrets_cancel(void)
{
	json_t *r = run("echo", "{\"operation\": {\"inputs\": {\"x\": 1}}}");
	json_t *s, *c;

	assert_at(r, "result.outputs", "{\"x\":1}");
	assert_at(r, "result.logs", "[{\"level\":\"debug\",\"message\":"
		  "\"debug 1\"},{\"level\":\"info\",\"message\":\"info two\"},"
		  "{\"level\":\"warning\",\"message\":\"warning\"},{\"level\":"
		  "\"error\",\"message\":\"error\"},{\"level\":\"info\","
		  "\"message\":\"between info and warning\"}]");
	json_decref(r);
	s = run("secret", "{\"secrets\": {\"db\": \"pw\"}, "
		"\"operation\": {\"inputs\": {\"name\": \"db\"}}}");
	assert_at(s, "result.outputs.value", "\"pw\"");
	json_decref(s);
	c = run("cancel", "{\"cancelled\": true}");
	assert_at(c, "result.outputs.cancelled", "true");
	json_decref(c);
}

static void test_results(void)
{
	json_t *r = run("retry", "{\"operation\": {\"inputs\": {\"seconds\": 5,"
			" \"what\": \"file\"}}}");

	assert_at(r, "result.code", "\"RETRY\"");
	assert_at(r, "result.retry_after", "5");
	assert_at(r, "result.message", "\"waiting for 'file'\"");
	assert_at(r, "result.outputs", "null");
	assert_at(r, "instance.runtime_properties", "{\"tries\":1}");
	json_decref(r);
	r = run("fatal", "{}");
	assert_at(r, "result.code", "\"FAIL_FATAL\"");
	assert_at(r, "result.message", "\"invalid flavor 'huge'\"");
	json_decref(r);
}

/* The report of one run is the context of the next. */
static void test_chaining(void)
{
	json_t *first = run("runtime", "{\"operation\": {\"inputs\": "
			    "{\"value\": \"v\"}}}");
	char *text = json_dumps(first, 0);
	json_t *second;

	assert_at(first, "instance.runtime_properties",
		  "{\"a\":1,\"b\":{\"c\":\"v\"},\"n\":42}");
	second = run("echo", text);
	assert_at(second, "instance.runtime_properties",
		  "{\"a\":1,\"b\":{\"c\":\"v\"},\"n\":42}");
	/* the old result went; the new one has only echo's logs */
	assert_at(second, "result.outputs", "{\"value\":\"v\"}");
	g_assert_cmpuint(json_array_size(json_object_get(
		json_object_get(second, "result"), "logs")), ==, 5);
	free(text);
	json_decref(first);
	json_decref(second);
}

static void test_relationship(void)
{
	json_t *r = run("link", "{"
		"\"source\": {\"node\": {\"name\": \"app\", "
		"  \"properties\": {\"port\": 80}}},"
		"\"target\": {\"node\": {\"name\": \"db\"}, \"instance\": "
		"  {\"id\": \"db_2\", \"runtime_properties\": {\"ip\": \"h\"}}}}");

	assert_at(r, "result.code", "\"OK\"");
	assert_at(r, "result.outputs.target_ip", "\"h\"");
	assert_at(r, "result.outputs.source_port", "\"80\"");
	assert_at(r, "source.instance.id", "\"app_1\"");
	assert_at(r, "source.instance.runtime_properties",
		  "{\"linked_to\":\"db_2\"}");
	assert_at(r, "target.instance.runtime_properties",
		  "{\"ip\":\"h\",\"linked_from\":\"app_1\"}");
	assert_at(r, "node", "(missing)");
	json_decref(r);
}

static void bad_context(const char *context, const char *want)
{
	struct plugin_harness h;
	g_autoptr(bp_error) err = NULL;
	json_t *ctx = test_json_parse(context);

	g_assert_false(plugin_harness_init(&h, ctx, "read", &err));
	g_assert_cmpint(err->code, ==, BP_ERR_INVALID);
	g_assert_cmpstr(err->message, ==, want);
	plugin_harness_release(&h);
	json_decref(ctx);
}

static void test_strict(void)
{
	bad_context("[]", "the context must be a JSON object");
	bad_context("{\"nodes\": {}}", "unknown key 'nodes' in the context: "
		    "expected one of 'deployment', 'node', 'instance', "
		    "'operation', 'source', 'target', 'secrets', 'cancelled', "
		    "'execution'");
	bad_context("{\"instance\": {\"runtime_propertes\": {}}}",
		    "unknown key 'instance.runtime_propertes' in the context: "
		    "expected one of 'id', 'runtime_properties'");
	bad_context("{\"node\": {\"properties\": []}}",
		    "'node.properties' must be an object");
	bad_context("{\"operation\": {\"attempt\": \"2\"}}",
		    "'operation.attempt' must be an integer");
	bad_context("{\"operation\": {\"attempt\": 0}}",
		    "'operation.attempt' must be 1 or more");
	bad_context("{\"operation\": {\"timeout\": -1}}",
		    "'operation.timeout' must be more than 0 seconds");
	bad_context("{\"secrets\": {\"a\": 1}}", "'secrets.a' must be a string");
	bad_context("{\"cancelled\": 1}", "'cancelled' must be a boolean");
	bad_context("{\"source\": {}}", "a context has 'node' and 'instance' "
		    "(a node operation) or 'source' and 'target' (a "
		    "relationship operation)");
	bad_context("{\"source\": {}, \"target\": {}, \"node\": {}}",
		    "a context has 'node' and 'instance' (a node operation) or "
		    "'source' and 'target' (a relationship operation)");
	bad_context("{\"source\": {\"nod\": {}}, \"target\": {}}",
		    "unknown key 'source.nod' in the context: expected one of "
		    "'node', 'instance'");
	bad_context("{\"source\": {}, \"target\": {\"node\": {\"name\": 1}}}",
		    "'target.node.name' must be a string");
}

static void test_unknown_op(void)
{
	struct plugin_harness h;
	g_autoptr(bp_error) err = NULL;
	json_t *ctx = json_object();

	g_assert_true(plugin_harness_init(&h, ctx, "nope", NULL));
	g_assert_false(plugin_harness_run(&h, reg, "probe", "nope", &err));
	g_assert_nonnull(strstr(err->message, "has no operation 'nope'"));
	plugin_harness_release(&h);
	plugin_harness_release(NULL);
	json_decref(ctx);
}

int main(int argc, char **argv)
{
	g_autofree char *dir = test_build_path("tests/plugins");
	const char *dirs[] = { dir, NULL };
	int rc;

	test_init(&argc, &argv);
	reg = plugin_registry_new(dirs);
	g_test_add_func("/plugin/harness/defaults", test_defaults);
	g_test_add_func("/plugin/harness/given", test_given_values);
	g_test_add_func("/plugin/harness/blueprint-dir", test_blueprint_dir);
	g_test_add_func("/plugin/harness/logs-secrets-cancel",
			test_logs_secrets_cancel);
	g_test_add_func("/plugin/harness/results", test_results);
	g_test_add_func("/plugin/harness/chaining", test_chaining);
	g_test_add_func("/plugin/harness/relationship", test_relationship);
	g_test_add_func("/plugin/harness/strict", test_strict);
	g_test_add_func("/plugin/harness/unknown-op", test_unknown_op);
	rc = g_test_run();
	plugin_registry_free(reg);
	return rc;
}
