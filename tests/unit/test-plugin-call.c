/* test-plugin-call.c: the context API as an operation sees it, driven
 * through struct plugin_call the way the executor will drive it: getters
 * for every scope, runtime properties set/get/delete and the changed flag,
 * logging reaching the sink, RETRY/FAIL/FAIL_FATAL and bad return values,
 * outputs, the cancel flag, secrets, relationship source and target, the
 * load state, concurrent API calls from one operation, script references,
 * and running a call twice. The operations are in tests/plugins/probe/. */
#include "plugin/call.h"
#include "testlib.h"

#include <string.h>

static struct plugin_registry *reg;
static GPtrArray *logs;   /* "level: message" */

static void sink(void *data, int level, const char *message)
{
	g_assert_true(data == logs);
	g_ptr_array_add(logs, g_strdup_printf("%s: %s",
					      plugin_log_level_name(level),
					      message));
}

static void assert_json(const json_t *got, const char *want_text)
{
	json_t *want = test_json_parse(want_text);

	if (!json_equal((json_t *)got, want)) {
		char *g = json_dumps(got, JSON_ENCODE_ANY | JSON_SORT_KEYS);
		g_error("got %s, want %s", g, want_text);
	}
	json_decref(want);
}

/* A node-operation call with the usual identity, logging to `logs`. */
static void call_init(struct plugin_call *c)
{
	plugin_call_init(c);
	g_ptr_array_set_size(logs, 0);
	c->deployment_id = "dep";
	c->operation_name = "cloudify.interfaces.lifecycle.create";
	c->self.node_name = "web";
	c->self.node_type = "test.nodes.Web";
	c->self.instance_id = "web_x1";
	c->log = sink;
	c->log_data = logs;
}

/* Runs `text` (a reference) on the call; it must run. */
static void run(const char *text, struct plugin_call *c)
{
	struct plugin_ref ref = { 0 };
	g_autoptr(bp_error) err = NULL;

	g_assert_true(plugin_ref_parse(&ref, text, NULL, NULL));
	if (!plugin_call_run(reg, &ref, c, &err))
		g_error("%s: %s", text, err->message);
	plugin_ref_release(&ref);
}

static void test_logging_and_outputs(void)
{
	struct plugin_call c;

	call_init(&c);
	c.operation_inputs = test_json_parse("{\"a\": [1, 2], \"b\": {\"c\": null}}");
	run("probe.echo", &c);
	g_assert_cmpint(c.result.code, ==, BP_OK);
	g_assert_null(c.result.message);
	assert_json(c.result.outputs, "{\"a\": [1, 2], \"b\": {\"c\": null}}");
	g_assert_cmpuint(logs->len, ==, 5);
	g_assert_cmpstr(logs->pdata[0], ==, "debug: debug 1");
	g_assert_cmpstr(logs->pdata[1], ==, "info: info two");
	g_assert_cmpstr(logs->pdata[2], ==, "warning: warning");
	g_assert_cmpstr(logs->pdata[3], ==, "error: error");
	g_assert_cmpstr(logs->pdata[4], ==, "info: between info and warning");
	g_assert_false(c.self.runtime_changed);
	plugin_call_release(&c);

	/* no sink: messages are dropped, nothing breaks */
	call_init(&c);
	c.log = NULL;
	run("probe.echo", &c);
	g_assert_cmpuint(logs->len, ==, 0);
	plugin_call_release(&c);
}

static void test_getters(void)
{
	struct plugin_call c;

	call_init(&c);
	c.attempt = 3;
	c.deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
	c.deployment_inputs = test_json_parse("{\"region\": \"eu-west\"}");
	c.operation_inputs = test_json_parse("{\"greeting\": \"hello\"}");
	c.self.properties = test_json_parse("{\"name\": \"n1\", \"server\": {\"flavor\": "
			      "\"small\"}, \"ports\": [80, 443], \"enabled\": "
			      "true, \"ratio\": 0.25}");
	c.self.runtime_properties = test_json_parse("{\"ip\": \"10.0.0.1\"}");
	c.self.host_properties = test_json_parse("{\"name\": \"vm1\"}");
	c.self.host_runtime = test_json_parse("{\"ip\": \"192.0.2.7\"}");
	c.blueprint_dir = "/srv/bp";
	c.execution_id = "ex-1";
	run("probe.read", &c);
	g_assert_cmpint(c.result.code, ==, BP_OK);
	assert_json(c.result.outputs, "{"
		"\"deployment\": \"dep\", \"blueprint_dir\": \"/srv/bp\","
		"\"execution\": \"ex-1\","
		"\"operation\": \"cloudify.interfaces.lifecycle.create\","
		"\"attempt\": 3, \"has_deadline\": true,"
		"\"node\": \"web\", \"type\": \"test.nodes.Web\","
		"\"instance\": \"web_x1\", \"has_source\": false,"
		"\"state\": \"probe-state\","
		"\"name\": \"n1\", \"flavor\": \"small\","
		"\"server\": \"{\\\"flavor\\\":\\\"small\\\"}\","
		"\"port_ok\": true, \"port\": 443, \"port_as_string\": false,"
		"\"enabled_ok\": true, \"enabled\": true,"
		"\"ratio_ok\": true, \"ratio_x100\": 25, \"int_as_double\": true,"
		"\"missing\": true, \"input\": \"hello\", \"region\": \"eu-west\","
		"\"runtime\": \"{\\\"ip\\\":\\\"10.0.0.1\\\"}\","
		"\"host_ip\": \"192.0.2.7\", \"host_name\": \"vm1\","
		"\"bad_scope\": true}");
	g_assert_cmpuint(logs->len, ==, 1);
	g_assert_cmpstr(logs->pdata[0], ==, "error: plugin API: unknown scope "
			"99: expected one of BP_SCOPE_*");
	plugin_call_release(&c);

	/* the defaults: attempt 1, no deadline, empty documents */
	call_init(&c);
	c.deployment_id = NULL;
	run("probe.read", &c);
	g_assert_cmpint(json_integer_value(json_object_get(c.result.outputs,
							   "attempt")), ==, 1);
	g_assert_true(json_is_false(json_object_get(c.result.outputs,
						    "has_deadline")));
	g_assert_cmpstr(json_string_value(json_object_get(c.result.outputs,
							  "deployment")), ==,
			"");
	g_assert_true(json_is_null(json_object_get(c.result.outputs, "name")));
	g_assert_true(json_is_null(json_object_get(c.result.outputs,
						   "host_ip")));
	g_assert_true(json_is_null(json_object_get(c.result.outputs,
						   "blueprint_dir")));
	g_assert_true(json_is_null(json_object_get(c.result.outputs,
						   "execution")));
	plugin_call_release(&c);

	/* exec_ctx_deadline() says "none" with G_MAXINT64; plugins see 0 */
	call_init(&c);
	c.deadline = G_MAXINT64;
	run("probe.read", &c);
	g_assert_true(json_is_false(json_object_get(c.result.outputs,
						    "has_deadline")));
	plugin_call_release(&c);
}

static void test_runtime_properties(void)
{
	struct plugin_call c;
	json_t *rt = test_json_parse("{\"gone\": 1, \"keep\": true}");

	call_init(&c);
	c.operation_inputs = test_json_parse("{\"value\": \"v\"}");
	c.self.runtime_properties = json_incref(rt);
	run("probe.runtime", &c);
	g_assert_cmpint(c.result.code, ==, BP_OK);
	g_assert_true(c.self.runtime_changed);
	/* changed in place: the caller's object is what it commits */
	g_assert_true(c.self.runtime_properties == rt);
	assert_json(rt, "{\"keep\": true, \"a\": 1, \"b\": {\"c\": \"v\"}, "
		    "\"n\": 42}");
	assert_json(c.result.outputs, "{\"bad_json\": false, "
		    "\"through_string\": false, \"empty_path\": false, "
		    "\"delete_missing\": true, \"b\": \"{\\\"c\\\":\\\"v\\\"}\"}");
	g_assert_cmpuint(logs->len, ==, 3);
	g_assert_true(g_str_has_prefix(logs->pdata[0], "error: plugin API: "
				       "runtime_set('x'): invalid JSON: "));
	g_assert_cmpstr(logs->pdata[1], ==, "error: plugin API: runtime_set: "
			"cannot set 'b.c.d': 'b.c' is not an object");
	g_assert_cmpstr(logs->pdata[2], ==, "error: plugin API: runtime_set: "
			"empty path: expected a key or keys joined by '.'");
	plugin_call_release(&c);
	json_decref(rt);
}

/* runtime_changed says whether anything changed, not whether a setter ran */
static void test_runtime_changed(void)
{
	struct plugin_call c;

	call_init(&c);
	c.operation_inputs = test_json_parse("{\"delete\": \"absent\"}");
	c.self.runtime_properties = test_json_parse("{\"keep\": 1}");
	run("probe.delete", &c);
	g_assert_false(c.self.runtime_changed);
	plugin_call_release(&c);

	call_init(&c);
	c.operation_inputs = test_json_parse("{\"delete\": \"keep\"}");
	c.self.runtime_properties = test_json_parse("{\"keep\": 1}");
	run("probe.delete", &c);
	g_assert_true(c.self.runtime_changed);
	assert_json(c.self.runtime_properties, "{}");
	plugin_call_release(&c);
}

static void test_results(void)
{
	struct plugin_call c;

	call_init(&c);
	c.attempt = 4;
	c.operation_inputs = test_json_parse("{\"seconds\": 7, \"what\": \"server\"}");
	run("probe.retry", &c);
	g_assert_cmpint(c.result.code, ==, BP_RETRY);
	g_assert_cmpuint(c.result.retry_after, ==, 7);
	g_assert_cmpstr(c.result.message, ==, "waiting for 'server'");
	assert_json(c.self.runtime_properties, "{\"tries\": 4}");
	plugin_call_release(&c);

	call_init(&c);
	run("probe.fail", &c);
	g_assert_cmpint(c.result.code, ==, BP_FAIL);
	g_assert_cmpuint(c.result.retry_after, ==, 0);
	g_assert_cmpstr(c.result.message, ==, "boom 1");
	plugin_call_release(&c);

	/* what a failing operation saved is still there to commit */
	call_init(&c);
	run("probe.fatal", &c);
	g_assert_cmpint(c.result.code, ==, BP_FAIL_FATAL);
	g_assert_cmpstr(c.result.message, ==, "invalid flavor 'huge'");
	g_assert_true(c.self.runtime_changed);
	assert_json(c.self.runtime_properties,
		    "{\"id\": \"made-before-failing\"}");
	plugin_call_release(&c);

	call_init(&c);
	run("probe.bad.result", &c);
	g_assert_cmpint(c.result.code, ==, BP_FAIL_FATAL);
	g_assert_cmpstr(c.result.message, ==, "operation 'bad.result' of "
			"plugin 'probe' returned 42; expected BP_OK, BP_RETRY, "
			"BP_FAIL or BP_FAIL_FATAL");
	plugin_call_release(&c);

	call_init(&c);
	run("probe.silent.fail", &c);
	g_assert_cmpint(c.result.code, ==, BP_FAIL);
	g_assert_cmpstr(c.result.message, ==, "operation 'silent.fail' of "
			"plugin 'probe' failed and gave no message");
	plugin_call_release(&c);

	/* the returned code counts, not the one recorded on the way */
	call_init(&c);
	run("probe.mind.change", &c);
	g_assert_cmpint(c.result.code, ==, BP_OK);
	g_assert_cmpuint(c.result.retry_after, ==, 0);
	plugin_call_release(&c);
}

static void test_outputs_whole_result(void)
{
	struct plugin_call c;

	call_init(&c);
	run("probe.returns", &c);
	assert_json(c.result.outputs, "\"plain value\"");
	g_assert_cmpuint(logs->len, ==, 1);
	g_assert_cmpstr(logs->pdata[0], ==, "error: plugin API: "
			"output_set('named_after'): the whole result was set "
			"to a value that is not an object");
	plugin_call_release(&c);
}

static void test_cancel(void)
{
	struct plugin_call c;
	gint flag = 0;

	call_init(&c);
	run("probe.cancel", &c);
	assert_json(c.result.outputs, "{\"cancelled\": false}");
	c.cancel = &flag;
	run("probe.cancel", &c);
	assert_json(c.result.outputs, "{\"cancelled\": false}");
	g_atomic_int_set(&flag, 1);
	run("probe.cancel", &c);
	assert_json(c.result.outputs, "{\"cancelled\": true}");
	plugin_call_release(&c);
}

static char *secret_lookup(void *data, const char *name,
			   struct bp_error **err)
{
	g_assert_cmpstr(data, ==, "store");
	if (strcmp(name, "db") == 0)
		return g_strdup("s3cret");
	if (strcmp(name, "locked") == 0)
		bp_error_set(err, BP_ERR_IO, NULL, NULL, "the vault is sealed");
	return NULL;
}

static void secret_case(const char *name, bool store, const char *want,
			const char *want_log)
{
	struct plugin_call c;
	g_autofree char *in = g_strdup_printf("{\"name\": \"%s\"}", name);
	g_autofree char *out = want ? g_strdup_printf("{\"value\": \"%s\"}",
						      want)
				    : g_strdup("{\"value\": null}");

	call_init(&c);
	c.operation_inputs = test_json_parse(in);
	if (store) {
		c.secret = secret_lookup;
		c.secret_data = (char *)"store";
	}
	run("probe.secret", &c);
	assert_json(c.result.outputs, out);
	g_assert_cmpuint(logs->len, ==, want_log ? 1 : 0);
	if (want_log)
		g_assert_cmpstr(logs->pdata[0], ==, want_log);
	plugin_call_release(&c);
}

static void test_secrets(void)
{
	secret_case("db", true, "s3cret", NULL);
	secret_case("other", true, NULL,
		    "warning: cannot read secret 'other': no such secret");
	secret_case("locked", true, NULL,
		    "warning: cannot read secret 'locked': the vault is sealed");
	secret_case("db", false, NULL, "warning: cannot read secret 'db': no "
		    "secret store is available");
}

/* A plugin_related_fn: web_x1 connects to db_1 and db_2, contained in
 * vm_1; nothing else has relationships. */
static bool fake_related(void *data, const char *of, const char *type,
			 unsigned index, struct plugin_call_instance *out)
{
	static const struct { const char *node, *id, *type, *ip; } rels[] = {
		{ "vm", "vm_1", "contained_in", "10.0.0.1" },
		{ "db", "db_1", "connected_to", "10.0.0.2" },
		{ "db", "db_2", "connected_to", "10.0.0.3" },
	};
	unsigned seen = 0;

	(void)data;
	if (strcmp(of, "web_x1") != 0)
		return false;
	for (size_t i = 0; i < G_N_ELEMENTS(rels); i++) {
		if (type && strcmp(type, rels[i].type) != 0)
			continue;
		if (seen++ < index)
			continue;
		out->node_name = rels[i].node;
		out->node_type = "test.nodes.Db";
		out->instance_id = rels[i].id;
		out->runtime_properties = json_pack("{ss}", "ip", rels[i].ip);
		return true;
	}
	return false;
}

static void test_related(void)
{
	struct plugin_call c;

	call_init(&c);
	c.related = fake_related;
	c.operation_inputs = test_json_parse("{\"type\": \"connected_to\"}");
	run("probe.related", &c);
	g_assert_cmpint(c.result.code, ==, BP_OK);
	assert_json(c.result.outputs, "{\"node0\": \"db\", \"ip0\": "
		    "\"10.0.0.2\", \"write_refused\": true, \"node1\": \"db\", "
		    "\"ip1\": \"10.0.0.3\", \"count\": 2}");
	g_assert_cmpuint(logs->len, ==, 1);
	g_assert_cmpstr(logs->pdata[0], ==, "error: plugin API: runtime_set: "
			"the context of a related instance is read-only");
	plugin_call_release(&c);

	/* every type; and no callback: none */
	call_init(&c);
	c.related = fake_related;
	run("probe.related", &c);
	g_assert_cmpint(json_integer_value(json_object_get(c.result.outputs,
							   "count")), ==, 3);
	plugin_call_release(&c);
	call_init(&c);
	run("probe.related", &c);
	g_assert_cmpint(json_integer_value(json_object_get(c.result.outputs,
							   "count")), ==, 0);
	plugin_call_release(&c);
}

static void test_relationship(void)
{
	struct plugin_call c;

	call_init(&c);
	c.self.node_name = NULL;
	c.relationship = true;
	c.operation_inputs = test_json_parse("{\"greeting\": \"hi\"}");
	c.source.node_name = "app";
	c.source.node_type = "test.nodes.App";
	c.source.instance_id = "app_1";
	c.source.properties = test_json_parse("{\"port\": 8080}");
	c.target.node_name = "db";
	c.target.node_type = "test.nodes.Db";
	c.target.instance_id = "db_7";
	c.target.runtime_properties = test_json_parse("{\"ip\": \"10.1.1.1\"}");
	c.self.host_runtime = test_json_parse("{\"ip\": \"10.9.9.9\"}");
	run("probe.link", &c);
	g_assert_cmpint(c.result.code, ==, BP_OK);
	assert_json(c.result.outputs, "{\"main_has_node\": false, "
		    "\"main_set\": false, \"main_host_ip\": \"10.9.9.9\", "
		    "\"source\": \"app\", "
		    "\"target\": \"db\", \"target_type\": \"test.nodes.Db\", "
		    "\"target_ip\": \"10.1.1.1\", \"source_port\": \"8080\", "
		    "\"input_via_source\": \"hi\"}");
	assert_json(c.source.runtime_properties, "{\"linked_to\": \"db_7\"}");
	assert_json(c.target.runtime_properties,
		    "{\"ip\": \"10.1.1.1\", \"linked_from\": \"app_1\"}");
	g_assert_true(c.source.runtime_changed);
	g_assert_true(c.target.runtime_changed);
	g_assert_false(c.self.runtime_changed);
	g_assert_cmpuint(logs->len, ==, 1);
	g_assert_cmpstr(logs->pdata[0], ==, "error: plugin API: runtime_set: "
			"this context has no instance (in a relationship "
			"operation, use bp_source() or bp_target())");
	plugin_call_release(&c);

	/* a node operation has no source or target */
	call_init(&c);
	run("probe.link", &c);
	g_assert_cmpint(c.result.code, ==, BP_FAIL_FATAL);
	g_assert_cmpstr(c.result.message, ==, "not a relationship operation");
	plugin_call_release(&c);
}

static void test_threads(void)
{
	struct plugin_call c;

	call_init(&c);
	run("probe.threads", &c);
	g_assert_cmpint(c.result.code, ==, BP_OK);
	for (int t = 0; t < 4; t++) {
		g_autofree char *key = g_strdup_printf("t%d", t);
		json_t *sub = json_object_get(c.self.runtime_properties, key);
		g_assert_cmpuint(json_object_size(sub), ==, 50);
	}
	g_assert_cmpuint(logs->len, ==, 200);
	plugin_call_release(&c);
}

static void test_script(void)
{
	struct plugin_call c;
	struct plugin_ref ref = { 0 };
	struct plugin_ref_env env = { .blueprint_dir = "/bp" };
	json_t *shared = test_json_parse("{\"port\": 1}");

	call_init(&c);
	c.operation_inputs = json_incref(shared);
	g_assert_true(plugin_ref_parse(&ref, "scripts/configure.sh", &env,
				       NULL));
	g_assert_true(plugin_call_run(reg, &ref, &c, NULL));
	assert_json(c.result.outputs,
		    "{\"script_path\": \"/bp/scripts/configure.sh\"}");
	/* the caller's inputs object is not changed */
	assert_json(shared, "{\"port\": 1}");
	plugin_call_release(&c);
	json_decref(shared);

	/* a script_path the blueprint gave wins */
	call_init(&c);
	c.operation_inputs = test_json_parse("{\"script_path\": \"given.sh\"}");
	g_assert_true(plugin_call_run(reg, &ref, &c, NULL));
	assert_json(c.result.outputs, "{\"script_path\": \"given.sh\"}");
	plugin_call_release(&c);
	plugin_ref_release(&ref);
}

static void test_run_twice_and_unresolved(void)
{
	struct plugin_call c;
	struct plugin_ref ref = { 0 };
	g_autoptr(bp_error) err = NULL;

	call_init(&c);
	run("probe.fail", &c);
	run("probe.echo", &c);
	g_assert_cmpint(c.result.code, ==, BP_OK);
	g_assert_null(c.result.message);
	g_assert_true(plugin_ref_parse(&ref, "probe.nothing", NULL, NULL));
	g_assert_false(plugin_call_run(reg, &ref, &c, &err));
	g_assert_cmpint(err->code, ==, BP_ERR_NOT_FOUND);
	/* the previous result is untouched */
	g_assert_cmpint(c.result.code, ==, BP_OK);
	plugin_ref_release(&ref);
	plugin_call_release(&c);
	plugin_call_release(NULL);
}

static void test_names(void)
{
	g_assert_cmpstr(plugin_result_name(BP_FAIL_FATAL), ==, "FAIL_FATAL");
	g_assert_cmpstr(plugin_result_name(9), ==, "?");
	g_assert_cmpstr(plugin_log_level_name(BP_LOG_WARNING), ==, "warning");
	g_assert_cmpstr(plugin_log_level_name(5), ==, "?");
}

int main(int argc, char **argv)
{
	g_autofree char *dir = test_build_path("tests/plugins");
	const char *dirs[] = { dir, NULL };
	int rc;

	test_init(&argc, &argv);
	reg = plugin_registry_new(dirs);
	logs = g_ptr_array_new_with_free_func(g_free);
	g_test_add_func("/plugin/call/logging-outputs",
			test_logging_and_outputs);
	g_test_add_func("/plugin/call/getters", test_getters);
	g_test_add_func("/plugin/call/runtime", test_runtime_properties);
	g_test_add_func("/plugin/call/runtime-changed", test_runtime_changed);
	g_test_add_func("/plugin/call/results", test_results);
	g_test_add_func("/plugin/call/outputs-whole",
			test_outputs_whole_result);
	g_test_add_func("/plugin/call/cancel", test_cancel);
	g_test_add_func("/plugin/call/secrets", test_secrets);
	g_test_add_func("/plugin/call/relationship", test_relationship);
	g_test_add_func("/plugin/call/related", test_related);
	g_test_add_func("/plugin/call/threads", test_threads);
	g_test_add_func("/plugin/call/script", test_script);
	g_test_add_func("/plugin/call/run-twice",
			test_run_twice_and_unresolved);
	g_test_add_func("/plugin/call/names", test_names);
	rc = g_test_run();
	plugin_registry_free(reg);
	g_ptr_array_unref(logs);
	return rc;
}
