/* test-model-func-eval.c: inputs resolution (model_inputs_resolve), static
 * evaluation (model_eval_static), the input-dependent check
 * (model_check_with_inputs) and runtime evaluation (model_eval_runtime)
 * with fake executor callbacks that record what they were asked. */
#include "model/func.h"
#include "model/value.h"
#include "testlib.h"
#include "testmodel.h"

#include <string.h>

struct fixture {
	struct test_model tm;
	struct dsl_doc *doc;            /* evaluation results */
	struct dsl_doc *given;          /* input values */
	GHashTable *inputs;
};

static void setup(struct fixture *fx, gconstpointer data)
{
	test_model_setup(&fx->tm);
	fx->doc = model_eval_doc_new();
}

static void teardown(struct fixture *fx, gconstpointer data)
{
	if (fx->inputs)
		g_hash_table_unref(fx->inputs);
	dsl_doc_free(fx->given);
	dsl_doc_free(fx->doc);
	test_model_teardown(&fx->tm);
}

/* Asserts no error, showing it if there is one. */
static void no_error(const struct bp_error *e)
{
	if (e)
		g_test_message("unexpected error: %s", e->message);
	g_assert_null(e);
}

static const struct model *build(struct fixture *fx, const char *yaml)
{
	if (!test_model_build(&fx->tm, yaml)) {
		g_autofree char *errs = test_model_errors(&fx->tm);
		g_test_message("unexpected errors:\n%s", errs);
	}
	g_assert_nonnull(fx->tm.m);
	return fx->tm.m;
}

/* Resolves `given` (YAML text, or NULL) into fx->inputs, every input
 * required unless `partial`; NULL on errors (in fx->tm.diags). */
static GHashTable *resolve_some(struct fixture *fx, const char *given,
				bool partial)
{
	struct bp_error *e = NULL;

	bp_diags_release(&fx->tm.diags);
	bp_diags_init(&fx->tm.diags, 50);
	if (given) {
		fx->given = dsl_parse_string("inputs.yaml", given, strlen(given),
					     &e);
		no_error(e);
	}
	fx->inputs = model_inputs_resolve(fx->tm.m, fx->given ?
					  fx->given->root : NULL, !partial,
					  &fx->tm.diags);
	return fx->inputs;
}

static GHashTable *resolve(struct fixture *fx, const char *given)
{
	return resolve_some(fx, given, false);
}

static int dump_cb(const char *buf, size_t size, void *data)
{
	g_string_append_len(data, buf, (gssize)size);
	return 0;
}

/* (transfer full) compact JSON text, keys sorted. */
static char *json_text(json_t *j)
{
	GString *s = g_string_new(NULL);

	json_dump_callback(j, dump_cb, s, JSON_COMPACT | JSON_ENCODE_ANY |
			   JSON_SORT_KEYS);
	return g_string_free(s, FALSE);
}

static char *tree_text(const struct dsl_node *v)
{
	json_t *j = model_value_to_json(v);
	char *s = json_text(j);

	json_decref(j);
	return s;
}

static struct model_scope node_scope(struct fixture *fx, const char *node)
{
	struct model_scope s = { .ctx = MODEL_CTX_NODE, .inputs = fx->inputs,
				 .doc = fx->doc, .path = "test" };

	s.node = model_node_find(fx->tm.m, node);
	g_assert_nonnull(s.node);
	return s;
}

static const struct dsl_node *prop(struct fixture *fx, const char *node,
				   const char *name)
{
	const struct model_node *n = model_node_find(fx->tm.m, node);
	const struct dsl_node *v = g_hash_table_lookup(n->props, name);

	g_assert_nonnull(v);
	return v;
}

/* Statically evaluates a property of a node; its JSON text, or NULL with
 * the error in *err. */
static char *eval_prop(struct fixture *fx, const char *node, const char *name,
		       struct bp_error **err)
{
	struct model_scope s = node_scope(fx, node);
	struct dsl_node *v = model_eval_static(fx->tm.m, &s,
					       prop(fx, node, name), err);

	return v ? tree_text(v) : NULL;
}

static void assert_prop(struct fixture *fx, const char *node, const char *name,
			const char *want)
{
	g_autoptr(bp_error) e = NULL;
	g_autofree char *got = eval_prop(fx, node, name, &e);

	if (e)
		g_test_message("%s.%s: %s", node, name, e->message);
	g_assert_cmpstr(got, ==, want);
}

static void assert_prop_fails(struct fixture *fx, const char *node,
			      const char *name, const char *want)
{
	g_autoptr(bp_error) e = NULL;
	g_autofree char *got = eval_prop(fx, node, name, &e);

	g_assert_null(got);
	g_assert_nonnull(e);
	if (!strstr(e->message, want))
		g_test_message("got: %s", e->message);
	g_assert_nonnull(strstr(e->message, want));
}

/* Statically evaluates a property of server's host capability. */
static void assert_cap(struct fixture *fx, const char *name, const char *want)
{
	struct model_scope s = node_scope(fx, "server");
	const struct model_node *n = model_node_find(fx->tm.m, "server");
	const struct dsl_node *raw = g_hash_table_lookup(
		g_hash_table_lookup(n->caps, "host"), name);
	g_autoptr(bp_error) e = NULL;
	struct dsl_node *v = model_eval_static(fx->tm.m, &s, raw, &e);
	g_autofree char *got = v ? tree_text(v) : NULL;

	no_error(e);
	g_assert_cmpstr(got, ==, want);
}

/* --- inputs --- */

static const char tosca_inputs[] =
	"tosca_definitions_version: tosca_simple_yaml_1_3\n"
	"data_types:\n"
	"  Conn:\n"
	"    properties:\n"
	"      host: {type: string}\n"
	"      port: {type: integer, default: 5432}\n"
	"topology_template:\n"
	"  inputs:\n"
	"    cpus: {type: integer}\n"
	"    conn: {type: Conn, default: {host: db}}\n"
	"    note: {type: string, required: false}\n"
	"  node_templates:\n"
	"    server:\n"
	"      type: tosca.nodes.Compute\n"
	"      capabilities:\n"
	"        host:\n"
	"          properties:\n"
	"            num_cpus: {get_input: cpus}\n"
	"            name: {get_input: [conn, host]}\n";

static void test_inputs(struct fixture *fx, gconstpointer data)
{
	GHashTable *in;

	build(fx, tosca_inputs);
	in = resolve(fx, "cpus: 4\n");
	g_assert_nonnull(in);
	g_assert_cmpstr(dsl_scalar(g_hash_table_lookup(in, "cpus")), ==, "4");
	g_assert_cmpstr(dsl_str(dsl_map_get(g_hash_table_lookup(in, "conn"),
					    "host")), ==, "db");
	g_assert_true(g_hash_table_contains(in, "note"));
	g_assert_null(g_hash_table_lookup(in, "note"));
}

/* Checking what was given: inputs without a value stay unknown. */
static void test_inputs_partial(struct fixture *fx, gconstpointer data)
{
	GHashTable *in;

	build(fx, tosca_inputs);
	in = resolve_some(fx, NULL, true);
	g_assert_nonnull(in);
	g_assert_false(g_hash_table_contains(in, "cpus"));
	g_assert_false(g_hash_table_contains(in, "note"));
	g_assert_true(g_hash_table_contains(in, "conn"));
	assert_cap(fx, "num_cpus", "{\"get_input\":\"cpus\"}");
	assert_cap(fx, "name", "\"db\"");
}

static void test_inputs_invalid(struct fixture *fx, gconstpointer data)
{
	build(fx, tosca_inputs);
	g_assert_null(resolve(fx, NULL));
	test_model_assert_error(&fx->tm, "input 'cpus' is required and has no "
				"value; give it with -i cpus=VALUE", "inputs.cpus",
				9);
}

static void test_inputs_unknown(struct fixture *fx, gconstpointer data)
{
	build(fx, tosca_inputs);
	g_assert_null(resolve(fx, "cpus: 2\nmemory: 4\n"));
	test_model_assert_error(&fx->tm, "unknown input 'memory'; the blueprint "
				"declares 'cpus', 'conn', 'note'",
				"inputs.memory", 2);
	dsl_doc_free(g_steal_pointer(&fx->given));
	g_assert_null(resolve(fx, "cpus: many\n"));
	g_assert_cmpuint(bp_diags_count(&fx->tm.diags), ==, 1);
}

/* --- static evaluation --- */

static const char tosca_eval[] =
	"tosca_definitions_version: tosca_simple_yaml_1_3\n"
	"data_types:\n"
	"  Conn:\n"
	"    properties:\n"
	"      host: {type: string}\n"
	"      ports: {type: list, entry_schema: {type: integer}}\n"
	"node_types:\n"
	"  App:\n"
	"    derived_from: tosca.nodes.SoftwareComponent\n"
	"    properties:\n"
	"      a: {type: string, required: false}\n"
	"      b: {type: string, required: false}\n"
	"      c: {type: list, required: false}\n"
	"      d: {type: map, required: false}\n"
	"      e: {type: integer, required: false}\n"
	"      f: {type: string, required: false}\n"
	"      g: {type: string, required: false}\n"
	"    artifacts:\n"
	"      tool: bin/tool.sh\n"
	"topology_template:\n"
	"  inputs:\n"
	"    conn: {type: Conn}\n"
	"    tag: {type: string, default: v1}\n"
	"  node_templates:\n"
	"    server:\n"
	"      type: tosca.nodes.Compute\n"
	"      capabilities:\n"
	"        host: {properties: {num_cpus: 2, name: {get_input: tag}}}\n"
	"    app:\n"
	"      type: App\n"
	"      properties:\n"
	"        a: {concat: [{get_input: [conn, host]}, ':',\n"
	"                     {get_input: [conn, ports, 1]}]}\n"
	"        b: {token: [{get_property: [SELF, a]}, ':', 1]}\n"
	"        c: {get_nodes_of_type: tosca.nodes.Compute}\n"
	"        d: {get_property: [HOST, host, name]}\n"
	"        e: {get_property: [server, host, num_cpus]}\n"
	"        f: {concat: [{get_input: tag}, '@',\n"
	"                     {get_attribute: [HOST, private_address]}]}\n"
	"        g: {get_artifact: [SELF, tool]}\n"
	"      requirements:\n"
	"        - host: server\n"
	"    other:\n"
	"      type: App\n"
	"      properties:\n"
	"        a: {get_property: [app, f]}\n"
	"        b: {join: [[{get_property: [app, b]}, x, 1.5, true], '-']}\n"
	"        e: {get_property: [app, e]}\n"
	"      requirements:\n"
	"        - host: server\n";

static void test_static(struct fixture *fx, gconstpointer data)
{
	g_autofree char *tool = NULL;
	g_autofree char *want = NULL;

	build(fx, tosca_eval);
	g_assert_nonnull(resolve(fx, "conn: {host: db, ports: [5432, 6432]}\n"));
	assert_prop(fx, "app", "a", "\"db:6432\"");
	assert_prop(fx, "app", "b", "\"6432\"");
	assert_prop(fx, "app", "c", "[\"server\"]");
	assert_prop(fx, "app", "d", "\"v1\"");
	assert_prop(fx, "app", "e", "2");
	/* the runtime call stays, its arguments evaluated */
	assert_prop(fx, "app", "f", "{\"concat\":[\"v1\",\"@\",{\"get_attribute\""
		    ":[\"HOST\",\"private_address\"]}]}");
	/* taken into another node, HOST becomes the node it meant */
	assert_prop(fx, "other", "a", "{\"concat\":[\"v1\",\"@\",{\"get_attribute"
		    "\":[\"server\",\"private_address\"]}]}");
	assert_prop(fx, "other", "b", "\"6432-x-1.5-true\"");
	assert_prop(fx, "other", "e", "2");
	tool = g_build_filename(fx->tm.dir, "bin", "tool.sh", NULL);
	want = g_strdup_printf("\"%s\"", tool);
	assert_prop(fx, "app", "g", want);
}

/* Results keep the mark of the call they replace; unchanged values are
 * shared, not copied. */
static void test_static_marks(struct fixture *fx, gconstpointer data)
{
	struct model_scope s;
	struct dsl_node *v;
	const struct dsl_node *raw;

	build(fx, tosca_eval);
	g_assert_nonnull(resolve(fx, "conn: {host: db, ports: [1, 2]}\n"));
	s = node_scope(fx, "app");
	raw = prop(fx, "app", "e");
	v = model_eval_static(fx->tm.m, &s, raw, NULL);
	g_assert_nonnull(v);
	g_assert_cmpuint(v->mark.line, ==, raw->mark.line);
	g_assert_cmpuint(v->mark.col, ==, raw->mark.col);
	g_assert_true(v->mark.file == raw->mark.file);
	raw = g_hash_table_lookup(model_node_find(fx->tm.m, "server")->props,
				  "admin_credential");
	g_assert_null(raw);
	raw = g_hash_table_lookup(g_hash_table_lookup(
		model_node_find(fx->tm.m, "server")->caps, "host"), "num_cpus");
	g_assert_true(model_eval_static(fx->tm.m, &s, raw, NULL) == raw);
}

/* Without inputs get_input stays; what depends on it stays too. */
static void test_static_no_inputs(struct fixture *fx, gconstpointer data)
{
	build(fx, tosca_eval);
	assert_prop(fx, "app", "a", "{\"concat\":[{\"get_input\":[\"conn\","
		    "\"host\"]},\":\",{\"get_input\":[\"conn\",\"ports\",1]}]}");
	assert_prop(fx, "app", "e", "2");
}

static void test_static_errors(struct fixture *fx, gconstpointer data)
{
	build(fx, tosca_eval);
	g_assert_nonnull(resolve(fx, "conn: {host: db, ports: [5432]}\n"));
	assert_prop_fails(fx, "app", "a", "index 1 is out of range for input "
			  "'conn.ports' (a list of 1)");
	/* and through another node's value */
	assert_prop_fails(fx, "app", "b", "index 1 is out of range");
}

/* A requirement name reads its relationship's property (the index-th
 * requirement of that name), else its target capability's. */
static void test_static_requirements(struct fixture *fx, gconstpointer data)
{
	build(fx, "tosca_definitions_version: tosca_simple_yaml_1_3\n"
	      "capability_types:\n"
	      "  In:\n"
	      "    properties:\n"
	      "      in_port: {type: integer, default: 7}\n"
	      "relationship_types:\n"
	      "  Conn:\n"
	      "    derived_from: tosca.relationships.ConnectsTo\n"
	      "    properties:\n"
	      "      port: {type: integer}\n"
	      "node_types:\n"
	      "  P:\n"
	      "    derived_from: tosca.nodes.Root\n"
	      "    properties:\n"
	      "      a: {type: integer, required: false}\n"
	      "      b: {type: integer, required: false}\n"
	      "      c: {type: integer, required: false}\n"
	      "    capabilities:\n"
	      "      in: In\n"
	      "    requirements:\n"
	      "      - out: {capability: In, relationship: Conn,\n"
	      "              occurrences: [0, 2]}\n"
	      "topology_template:\n"
	      "  node_templates:\n"
	      "    x:\n"
	      "      type: P\n"
	      "      properties:\n"
	      "        a: {get_property: [SELF, out, 1, port]}\n"
	      "        b: {get_property: [SELF, out, port]}\n"
	      "        c: {get_property: [SELF, out, in_port]}\n"
	      "      requirements:\n"
	      "        - out: {node: y, relationship: {type: Conn,\n"
	      "                properties: {port: 1}}}\n"
	      "        - out: {node: z, relationship: {type: Conn,\n"
	      "                properties: {port: 2}}}\n"
	      "    y: {type: P}\n"
	      "    z: {type: P}\n");
	assert_prop(fx, "x", "a", "2");
	assert_prop(fx, "x", "b", "1");
	assert_prop(fx, "x", "c", "7");
}

static void test_static_pure(struct fixture *fx, gconstpointer data)
{
	build(fx, "tosca_definitions_version: cloudify_dsl_1_3\n"
	      "node_types:\n"
	      "  t:\n"
	      "    properties:\n"
	      "      a: {}\n      b: {}\n      c: {}\n      d: {}\n"
	      "      e: {}\n      f: {}\n      g: {}\n      h: {}\n"
	      "node_templates:\n"
	      "  n:\n"
	      "    type: t\n"
	      "    properties:\n"
	      "      a: {merge: [{x: 1, y: 2}, {y: 3}, {z: [1]}]}\n"
	      "      b: {string_find: [héllo wörld, wö]}\n"
	      "      c: {string_replace: [a-b-c-d, '-', '+', 2]}\n"
	      "      d: {string_replace: [abc, '', '.']}\n"
	      "      e: {string_upper: {concat: [straße, 1, 2.5, false]}}\n"
	      "      f: {string_lower: ÀB}\n"
	      "      g: {concat: [{string_find: [abc, z]}, {merge: [{a: 1}]}]}\n"
	      "      h: {token: [not, a, call]}\n");
	assert_prop(fx, "n", "a", "{\"x\":1,\"y\":3,\"z\":[1]}");
	assert_prop(fx, "n", "b", "6");
	assert_prop(fx, "n", "c", "\"a+b+c-d\"");
	assert_prop(fx, "n", "d", "\".a.b.c.\"");
	assert_prop(fx, "n", "e", "\"STRASSE12.5FALSE\"");
	assert_prop(fx, "n", "f", "\"àb\"");
	assert_prop(fx, "n", "g", "\"-1{\\\"a\\\":1}\"");
	/* token is TOSCA's: in the Cloudify DSL the map is data */
	assert_prop(fx, "n", "h", "{\"token\":[\"not\",\"a\",\"call\"]}");
}

static const char tosca_token[] =
	"tosca_definitions_version: tosca_simple_yaml_1_3\n"
	"node_types:\n"
	"  App:\n"
	"    derived_from: tosca.nodes.Root\n"
	"    properties:\n"
	"      a: {type: string}\n      b: {type: string}\n"
	"topology_template:\n"
	"  node_templates:\n"
	"    n:\n"
	"      type: App\n"
	"      properties:\n"
	"        a: {token: ['a,,b;c', ',;', 2]}\n"
	"        b: {token: ['a,,b;c', ',;', %d]}\n";

/* Static results that fail are found when the model is built. */
static void test_static_token(struct fixture *fx, gconstpointer data)
{
	g_autofree char *good = g_strdup_printf(tosca_token, 3);
	g_autofree char *bad = g_strdup_printf(tosca_token, 4);

	build(fx, good);
	assert_prop(fx, "n", "a", "\"b\"");
	assert_prop(fx, "n", "b", "\"c\"");
	g_assert_null(test_model_build(&fx->tm, bad));
	test_model_assert_error(&fx->tm, "index 4 is out of range for 'token': "
				"'a,,b;c' has 4 pieces",
				"node_templates.n.properties.b", 14);
}

static void test_check_with_inputs(struct fixture *fx, gconstpointer data)
{
	struct bp_diags d;

	build(fx, tosca_inputs);
	g_assert_nonnull(resolve(fx, "cpus: 2\n"));
	bp_diags_init(&d, 10);
	g_assert_true(model_check_with_inputs(fx->tm.m, fx->inputs, &d));
	bp_diags_release(&d);
	g_hash_table_unref(g_steal_pointer(&fx->inputs));
	dsl_doc_free(g_steal_pointer(&fx->given));
	/* an input-dependent value of the wrong type */
	build(fx, "tosca_definitions_version: tosca_simple_yaml_1_3\n"
	      "topology_template:\n"
	      "  inputs:\n"
	      "    cpus: {type: string}\n"
	      "  node_templates:\n"
	      "    server:\n"
	      "      type: tosca.nodes.Compute\n"
	      "      capabilities:\n"
	      "        host:\n"
	      "          properties:\n"
	      "            num_cpus: {get_input: cpus}\n");
	g_assert_nonnull(resolve(fx, "cpus: lots\n"));
	bp_diags_init(&d, 10);
	g_assert_false(model_check_with_inputs(fx->tm.m, fx->inputs, &d));
	g_assert_cmpuint(bp_diags_count(&d), ==, 1);
	g_assert_cmpstr(((struct bp_error *)d.errors->pdata[0])->path, ==,
			"node_templates.server.capabilities.host.properties."
			"num_cpus");
	g_assert_cmpuint(((struct bp_error *)d.errors->pdata[0])->mark.line,
			 ==, 11);
	bp_diags_release(&d);
}

/* --- runtime --- */

struct fake {
	GString *log;                   /* every callback call */
	json_t *attrs;                  /* {instance: {name: value}} */
};

static char *fake_find(void *data, const char *node, struct bp_error **err)
{
	struct fake *f = data;

	g_string_append_printf(f->log, "find(%s) ", node);
	if (!strcmp(node, "nowhere")) {
		bp_error_set(err, BP_ERR_NOT_FOUND, NULL, NULL, "node 'nowhere' "
			     "has no instance");
		return NULL;
	}
	return g_strconcat(node, "_1", NULL);
}

static char **fake_list(void *data, const char *node, struct bp_error **err)
{
	struct fake *f = data;

	g_string_append_printf(f->log, "list(%s) ", node);
	return g_strsplit(!strcmp(node, "vm") ? "vm_1,vm_2" : "", ",", -1);
}

static json_t *fake_attr(void *data, const char *instance, const char *cap,
			 const char *name, struct bp_error **err)
{
	struct fake *f = data;
	json_t *v = json_object_get(json_object_get(f->attrs, instance), name);

	g_string_append_printf(f->log, "attr(%s,%s,%s) ", instance,
			       cap ? cap : "-", name);
	return v ? json_incref(v) : json_null();
}

static json_t *fake_output(void *data, const char *instance, const char *iface,
			   const char *op, const char *output,
			   struct bp_error **err)
{
	return json_sprintf("%s:%s.%s.%s", instance, iface, op, output);
}

static json_t *fake_secret(void *data, const char *name, struct bp_error **err)
{
	if (!strcmp(name, "creds"))
		return json_string("{\"user\": \"admin\", \"keys\": [\"k1\"]}");
	return json_sprintf("secret-%s", name);
}

static json_t *fake_external(void *data, const char *function, json_t *args,
			     struct bp_error **err)
{
	g_autofree char *a = json_text(args);

	return json_sprintf("%s%s", function, a);
}

struct rt_fixture {
	struct fixture base;
	struct fake fake;
	struct model_runtime rt;
	struct model_scope scope;
};

static void rt_setup(struct rt_fixture *fx, gconstpointer data)
{
	json_error_t je;

	setup(&fx->base, data);
	fx->fake.log = g_string_new(NULL);
	fx->fake.attrs = json_loads(
		"{\"vm_1\": {\"ip\": \"10.0.0.1\", \"nets\": {\"a\": [\"x\", "
		"\"y\"]}}, \"vm_2\": {\"ip\": \"10.0.0.2\"},"
		" \"server_1\": {\"private_address\": \"192.168.0.9\"}}", 0,
		&je);
	g_assert_nonnull(fx->fake.attrs);
	fx->rt.data = &fx->fake;
	fx->rt.find_instance = fake_find;
	fx->rt.list_instances = fake_list;
	fx->rt.get_attribute = fake_attr;
	fx->rt.get_operation_output = fake_output;
	fx->rt.get_secret = fake_secret;
	fx->rt.external = fake_external;
}

static void rt_teardown(struct rt_fixture *fx, gconstpointer data)
{
	g_string_free(fx->fake.log, TRUE);
	json_decref(fx->fake.attrs);
	teardown(&fx->base, data);
}

static const char cfy_rt[] =
	"tosca_definitions_version: cloudify_dsl_1_3\n"
	"plugins:\n  p: {executor: central_deployment_agent, install: false}\n"
	"relationships:\n"
	"  cloudify.relationships.connected_to: {}\n"
	"node_types:\n"
	"  t:\n"
	"    properties:\n"
	"      port: {default: 80}\n"
	"inputs:\n"
	"  tag: {default: v1}\n"
	"node_templates:\n"
	"  vm:\n"
	"    type: t\n"
	"    interfaces:\n"
	"      i:\n"
	"        op:\n"
	"          implementation: p.op\n"
	"          inputs:\n"
	"            a: {get_attribute: [SELF, nets, a, 1]}\n"
	"            b: {concat: [{get_attribute: [vm, ip]}, ':',\n"
	"                         {get_property: [SELF, port]}]}\n"
	"            c: {get_attributes_list: [vm, ip]}\n"
	"            d: {get_attributes_dict: [vm, ip, [nets, a, 0]]}\n"
	"            e: {get_secret: [creds, keys, 0]}\n"
	"            f: {string_upper: {get_secret: plain}}\n"
	"            g: {get_sys: [deployment, id]}\n"
	"            h: {get_attribute: [SELF, node_instance_id]}\n"
	"            i: {get_attribute: [SELF, nothing, here]}\n"
	"            j: {get_input: tag}\n"
	"            k: {get_secret: [creds, nope]}\n"
	"            l: {get_attribute: [nowhere, ip]}\n"
	"  app:\n"
	"    type: t\n"
	"    relationships:\n"
	"      - type: cloudify.relationships.connected_to\n"
	"        target: vm\n"
	"        source_interfaces:\n"
	"          i:\n"
	"            op:\n"
	"              implementation: p.op\n"
	"              inputs:\n"
	"                a: {get_attribute: [TARGET, ip]}\n"
	"                b: {get_attribute: [SOURCE, ip]}\n"
	"  nowhere: {type: t}\n";

/* The op input of node vm evaluated at run time, after static evaluation
 * (as the executor does). */
static char *rt_eval(struct rt_fixture *fx, const char *name,
		     struct bp_error **err)
{
	const struct model_node *vm = model_node_find(fx->base.tm.m, "vm");
	const struct model_operation *op = model_node_operation(vm, "i", "op");
	struct dsl_node *st;
	json_t *j;
	char *out;

	fx->scope = node_scope(&fx->base, "vm");
	fx->rt.m = fx->base.tm.m;
	fx->rt.scope = &fx->scope;
	fx->rt.self = "vm_1";
	st = model_eval_static(fx->base.tm.m, &fx->scope,
			       g_hash_table_lookup(op->inputs, name), err);
	g_assert_nonnull(st);
	j = model_eval_runtime(&fx->rt, st, err);
	if (!j)
		return NULL;
	out = json_text(j);
	json_decref(j);
	return out;
}

static void assert_rt(struct rt_fixture *fx, const char *name,
		      const char *want)
{
	g_autoptr(bp_error) e = NULL;
	g_autofree char *got = rt_eval(fx, name, &e);

	if (e)
		g_test_message("%s: %s", name, e->message);
	g_assert_cmpstr(got, ==, want);
}

static void test_runtime(struct rt_fixture *fx, gconstpointer data)
{
	build(&fx->base, cfy_rt);
	g_assert_nonnull(resolve(&fx->base, NULL));
	assert_rt(fx, "a", "\"y\"");
	g_assert_cmpstr(fx->fake.log->str, ==, "attr(vm_1,-,nets) ");
	assert_rt(fx, "b", "\"10.0.0.1:80\"");
	assert_rt(fx, "c", "[\"10.0.0.1\",\"10.0.0.2\"]");
	assert_rt(fx, "d", "{\"vm_1\":{\"ip\":\"10.0.0.1\",\"nets.a.0\":\"x\"},"
		  "\"vm_2\":{\"ip\":\"10.0.0.2\",\"nets.a.0\":null}}");
	assert_rt(fx, "e", "\"k1\"");
	assert_rt(fx, "f", "\"SECRET-PLAIN\"");
	assert_rt(fx, "g", "\"get_sys[\\\"deployment\\\",\\\"id\\\"]\"");
	assert_rt(fx, "h", "\"vm_1\"");
	assert_rt(fx, "i", "null");
	assert_rt(fx, "j", "\"v1\"");
}

static void test_runtime_errors(struct rt_fixture *fx, gconstpointer data)
{
	g_autoptr(bp_error) e = NULL;
	g_autoptr(bp_error) e2 = NULL;
	g_autoptr(bp_error) e3 = NULL;
	g_autofree char *got = NULL;

	build(&fx->base, cfy_rt);
	got = rt_eval(fx, "k", &e);
	g_assert_null(got);
	g_assert_nonnull(strstr(e->message, "'get_secret': nothing at 'nope'"));
	g_assert_cmpuint(e->mark.line, ==, 31);
	got = rt_eval(fx, "l", &e2);
	g_assert_null(got);
	g_assert_cmpstr(e2->message, ==, "node 'nowhere' has no instance");
	/* no callback for secrets */
	fx->rt.get_secret = NULL;
	got = rt_eval(fx, "e", &e3);
	g_assert_null(got);
	g_assert_cmpstr(e3->message, ==, "'get_secret' cannot be evaluated "
			"here: the executor gave no 'get_secret'");
}

static void test_runtime_relationship(struct rt_fixture *fx,
				      gconstpointer data)
{
	const struct model_node *app;
	const struct model_rel *r;
	const struct model_operation *op;
	struct model_scope s = { .ctx = MODEL_CTX_RELATIONSHIP,
				 .side = MODEL_SIDE_SOURCE, .path = "rel" };
	json_t *a, *b;
	g_autoptr(bp_error) e = NULL;

	build(&fx->base, cfy_rt);
	app = model_node_find(fx->base.tm.m, "app");
	r = app->rels->pdata[0];
	op = g_hash_table_lookup(((struct model_interface *)
				  g_hash_table_lookup(r->source_ifaces,
						      "i"))->ops, "op");
	s.node = app;
	s.rel = r;
	fx->rt.m = fx->base.tm.m;
	fx->rt.scope = &s;
	fx->rt.source = "app_1";
	fx->rt.target = "vm_2";
	a = model_eval_runtime(&fx->rt, g_hash_table_lookup(op->inputs, "a"),
			       &e);
	no_error(e);
	g_assert_cmpstr(json_string_value(a), ==, "10.0.0.2");
	b = model_eval_runtime(&fx->rt, g_hash_table_lookup(op->inputs, "b"),
			       &e);
	g_assert_true(json_is_null(b));
	g_assert_cmpstr(fx->fake.log->str, ==, "attr(vm_2,-,ip) "
			"attr(app_1,-,ip) ");
	json_decref(a);
	json_decref(b);
}

/* TOSCA: HOST and capability attributes, operation outputs. */
static void test_runtime_tosca(struct rt_fixture *fx, gconstpointer data)
{
	static const char *const values[] = {
		"{get_attribute: [HOST, private_address]}",
		"{get_attribute: [SELF, app_endpoint, ip_address]}",
		"{get_operation_output: [SELF, Standard, create, out]}",
	};
	static const char *const want[] = {
		"\"192.168.0.9\"", "null",
		"\"app_1:Standard.create.out\"",
	};
	static const char *const log[] = {
		"find(server) attr(server_1,-,private_address) ",
		"attr(app_1,app_endpoint,ip_address) ",
		"",
	};

	for (size_t i = 0; i < G_N_ELEMENTS(values); i++) {
		g_autofree char *yaml = g_strdup_printf(
			"tosca_definitions_version: tosca_simple_yaml_1_3\n"
			"topology_template:\n"
			"  node_templates:\n"
			"    server: {type: tosca.nodes.Compute}\n"
			"    app:\n"
			"      type: tosca.nodes.WebApplication\n"
			"      properties:\n"
			"        context_root: %s\n"
			"      requirements:\n"
			"        - host: server\n", values[i]);
		struct model_scope s;
		g_autoptr(bp_error) e = NULL;
		g_autofree char *got = NULL;
		json_t *j;

		build(&fx->base, yaml);
		s = node_scope(&fx->base, "app");
		fx->rt.m = fx->base.tm.m;
		fx->rt.scope = &s;
		fx->rt.self = "app_1";
		g_string_truncate(fx->fake.log, 0);
		j = model_eval_runtime(&fx->rt, prop(&fx->base, "app",
						     "context_root"), &e);
		no_error(e);
		got = json_text(j);
		json_decref(j);
		g_assert_cmpstr(got, ==, want[i]);
		g_assert_cmpstr(fx->fake.log->str, ==, log[i]);
	}
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
#define ADD(name, fn) g_test_add("/model/func/eval/" name, struct fixture, \
				 NULL, setup, fn, teardown)
#define ADD_RT(name, fn) g_test_add("/model/func/eval/" name,          \
				    struct rt_fixture, NULL, rt_setup, fn, \
				    rt_teardown)
	ADD("inputs", test_inputs);
	ADD("inputs-partial", test_inputs_partial);
	ADD("inputs-required", test_inputs_invalid);
	ADD("inputs-unknown", test_inputs_unknown);
	ADD("static", test_static);
	ADD("static-marks", test_static_marks);
	ADD("static-no-inputs", test_static_no_inputs);
	ADD("static-errors", test_static_errors);
	ADD("static-requirements", test_static_requirements);
	ADD("static-pure", test_static_pure);
	ADD("static-token", test_static_token);
	ADD("check-with-inputs", test_check_with_inputs);
	ADD_RT("runtime", test_runtime);
	ADD_RT("runtime-errors", test_runtime_errors);
	ADD_RT("runtime-relationship", test_runtime_relationship);
	ADD_RT("runtime-tosca", test_runtime_tosca);
	return g_test_run();
}
