/* test-model-func-check.c: model_build() checks every intrinsic function
 * call where it is written: arity and argument shapes, references to
 * inputs, nodes, properties, attributes, capabilities, operations,
 * artifacts and types, the context rules of SELF, SOURCE, TARGET and HOST,
 * nested calls, dialect rules, reference loops. Each case is a small
 * blueprint written into a fresh directory. */
#include "testlib.h"
#include "testmodel.h"

#include <string.h>

#define TOSCA "tosca_definitions_version: tosca_simple_yaml_1_3\n"

/* A Cloudify prelude: a node type with properties, the relationship types
 * and a plugin for operations. */
#define CFY(version)                                                      \
	"tosca_definitions_version: cloudify_dsl_" version "\n"            \
	"plugins:\n  p: {executor: central_deployment_agent, install: false}\n" \
	"relationships:\n"                                                 \
	"  cloudify.relationships.depends_on: {}\n"                        \
	"  cloudify.relationships.contained_in:\n"                         \
	"    derived_from: cloudify.relationships.depends_on\n"            \
	"  cloudify.relationships.connected_to:\n"                         \
	"    derived_from: cloudify.relationships.depends_on\n"            \
	"node_types:\n"                                                    \
	"  t:\n"                                                           \
	"    properties:\n"                                                \
	"      port: {default: 80}\n"                                      \
	"      endpoint: {default: {names: [a, b], url: {host: h}}}\n"     \
	"      x: {default: ''}\n"

static void setup(struct test_model *fx, gconstpointer data)
{
	test_model_setup(fx);
}

static void teardown(struct test_model *fx, gconstpointer data)
{
	test_model_teardown(fx);
}

#define ok test_model_ok
#define fails test_model_fails

/* --- TOSCA: inputs and properties --- */

static const char tosca_db[] =
	TOSCA
	"data_types:\n"
	"  Conn:\n"
	"    properties:\n"
	"      host: {type: string}\n"
	"      ports: {type: list, entry_schema: {type: integer}}\n"
	"topology_template:\n"
	"  inputs:\n"
	"    conn: {type: Conn}\n"
	"    pw: {type: string, default: secret}\n"
	"  node_templates:\n"
	"    server:\n"
	"      type: tosca.nodes.Compute\n"
	"    dbms:\n"
	"      type: tosca.nodes.DBMS\n"
	"      properties:\n"
	"        root_password: {get_input: pw}\n"
	"        port: 3306\n"
	"      requirements:\n"
	"        - host: server\n"
	"    db:\n"
	"      type: tosca.nodes.Database\n"
	"      properties:\n"
	"        name: %s\n"
	"      capabilities:\n"
	"        database_endpoint:\n"
	"          properties:\n"
	"            port: {get_property: [dbms, port]}\n"
	"            ports: {in: {protocol: udp, target: 53}}\n"
	"      requirements:\n"
	"        - host: dbms\n";

/* Sets db's `name` to `value`: valid, or failing with `want` at `path`
 * (NULL: the property) on `line`. */
static void check_tosca_at(struct test_model *fx, const char *value,
			   const char *want, const char *path, unsigned line)
{
	g_autofree char *yaml = g_strdup_printf(tosca_db, value);

	if (want)
		fails(fx, yaml, want, path ? path :
		      "node_templates.db.properties.name", line);
	else
		ok(fx, yaml);
}

static void check_tosca(struct test_model *fx, const char *value,
			const char *want, unsigned line)
{
	check_tosca_at(fx, value, want, NULL, line);
}

static void test_tosca_valid(struct test_model *fx, gconstpointer data)
{
	check_tosca(fx, "{get_input: [conn, host]}", NULL, 0);
	check_tosca(fx, "{get_input: [conn, ports, 0]}", NULL, 0);
	check_tosca(fx, "{get_property: [SELF, password]}", NULL, 0);
	check_tosca(fx, "{get_property: [dbms, root_password]}", NULL, 0);
	/* capability, directly and through a requirement */
	check_tosca(fx, "{get_property: [SELF, database_endpoint, port]}", NULL,
		    0);
	check_tosca(fx, "{get_property: [SELF, database_endpoint, ports, in, "
		    "protocol]}", NULL, 0);
	check_tosca(fx, "{get_property: [HOST, port]}", NULL, 0);
	check_tosca(fx, "{concat: [a, {get_property: [HOST, "
		    "root_password]}]}", NULL, 0);
	check_tosca(fx, "{token: [{get_attribute: [server, private_address]}, "
		    "., 0]}", NULL, 0);
	check_tosca(fx, "{join: [[a, {get_input: pw}], '-']}", NULL, 0);
	check_tosca(fx, "{get_attribute: [HOST, private_address]}", NULL, 0);
	check_tosca(fx, "{get_attribute: [SELF, database_endpoint, "
		    "ip_address]}", NULL, 0);
	check_tosca(fx, "{get_attribute: [server, networks, net1, addresses, "
		    "0]}", NULL, 0);
	check_tosca(fx, "{get_attribute: [SELF, port]}", NULL, 0);
	check_tosca(fx, "{get_nodes_of_type: tosca.nodes.Compute}", NULL, 0);
	check_tosca(fx, "{get_operation_output: [dbms, Standard, create, "
		    "out]}", NULL, 0);
	check_tosca(fx, "{get_operation_output: [dbms, tosca.interfaces.node."
		    "lifecycle.Standard, create, out]}", NULL, 0);
}

static void test_tosca_invalid(struct test_model *fx, gconstpointer data)
{
	check_tosca(fx, "{get_input: nope}", "unknown input 'nope' in "
		    "'get_input'; declared inputs: 'conn', 'pw'", 24);
	check_tosca(fx, "{get_input: [conn, port]}", "input 'conn' (of data "
		    "type 'Conn') has no property 'port'", 24);
	check_tosca(fx, "{get_input: [conn, ports, x]}", "expected an index (an "
		    "integer) into input 'conn.ports' (a list), found 'x'", 24);
	check_tosca(fx, "{get_input: [pw, 1]}", "input 'pw' is a string; "
		    "cannot take '1' from it", 24);
	check_tosca(fx, "{get_property: [nobody, port]}", "unknown node "
		    "template 'nobody' in 'get_property'", 24);
	check_tosca(fx, "{get_property: [dbms, nope]}", "node 'dbms' (type "
		    "'tosca.nodes.DBMS') has no property 'nope'", 24);
	check_tosca(fx, "{get_property: [SELF, database_endpoint, unknown]}",
		    "capability 'database_endpoint' of node 'db' has no "
		    "property 'unknown'", 24);
	check_tosca(fx, "{get_property: [SELF, database_endpoint, ports, out, "
		    "protocol]}", "property 'ports' has no key 'out'", 24);
	check_tosca(fx, "{get_property: [SELF, database_endpoint, ports, in, "
		    "colour]}", "property 'ports.in' (of data type "
		    "'tosca.datatypes.network.PortSpec') has no property "
		    "'colour'", 24);
	check_tosca(fx, "{get_property: [SELF, nothing, port]}", "node 'db' "
		    "(type 'tosca.nodes.Database') has no property, "
		    "requirement or capability 'nothing'", 24);
	check_tosca(fx, "{get_property: [SOURCE, port]}", "'SOURCE' can only "
		    "be used in a relationship, not in a node template", 24);
	check_tosca(fx, "{get_attribute: [server, nope]}", "node 'server' (type "
		    "'tosca.nodes.Compute') has no attribute 'nope'", 24);
	check_tosca(fx, "{get_attribute: [server, public_address, 0]}",
		    "attribute 'public_address' is a string; cannot take '0' "
		    "from it", 24);
	check_tosca(fx, "{get_attribute: [server, networks, n, colour]}",
		    "attribute 'networks.n' (of data type 'tosca.datatypes."
		    "network.NetworkInfo') has no property 'colour'", 24);
	check_tosca(fx, "{get_attribute: [TARGET, state]}", "'TARGET' can only "
		    "be used in a relationship", 24);
	check_tosca(fx, "{concat: []}", "expected at least 1 argument for "
		    "'concat'", 24);
	check_tosca(fx, "{concat: x}", "expected a list of arguments for "
		    "'concat'", 24);
	check_tosca(fx, "{concat: [a, [b]]}", "expected a string, number or "
		    "boolean for the values of 'concat', found a list", 24);
	check_tosca(fx, "{token: [a, b]}", "expected 3 arguments for 'token' "
		    "([string, separators, index]), found 2", 24);
	check_tosca(fx, "{token: [a, b, -1]}", "expected a non-negative index "
		    "for 'token'", 24);
	check_tosca(fx, "{token: [a, b, c]}", "expected an integer for the "
		    "index of 'token', found a string", 24);
	check_tosca(fx, "{join: [a]}", "expected a list for the values of "
		    "'join'", 24);
	check_tosca(fx, "{merge: [{a: 1}]}", "'merge' requires "
		    "cloudify_dsl_1_3 or later; this file is "
		    "tosca_simple_yaml_1_3", 24);
	check_tosca(fx, "{get_nodes_of_type: Nope}", "unknown node type 'Nope' "
		    "in 'get_nodes_of_type'", 24);
	check_tosca(fx, "{get_operation_output: [dbms, Standard, create]}",
		    "expected 4 arguments for 'get_operation_output'", 24);
	check_tosca(fx, "{get_operation_output: [dbms, Nope, create, out]}",
		    "node 'dbms' has no interface 'Nope'", 24);
	check_tosca(fx, "{get_operation_output: [dbms, Standard, reboot, out]}",
		    "interface 'Standard' of node 'dbms' has no operation "
		    "'reboot'", 24);
	/* a nested call's problem, at the nested call */
	check_tosca_at(fx, "{concat: [a, {get_property: [dbms, nope]}]}",
		       "node 'dbms' (type 'tosca.nodes.DBMS') has no property "
		       "'nope'", "node_templates.db.properties.name.concat[1]",
		       24);
	/* runtime functions cannot feed static ones */
	check_tosca_at(fx, "{get_input: {get_attribute: [server, state]}}",
		       "'get_attribute' cannot be used in the arguments of "
		       "'get_input': those are evaluated before run time",
		       "node_templates.db.properties.name.get_input", 24);
}

/* HOST without a host, in outputs; TOSCA's SELF in a relationship is the
 * relationship. */
/* get_input's [input, key, ...] form came with TOSCA 1.3 (tosca-parser's
 * test_invalid_function_signature: "Expected one argument"). */
static void test_get_input_versions(struct test_model *fx,
				    gconstpointer data)
{
	static const char yaml[] =
		"tosca_definitions_version: tosca_simple_yaml_1_%c\n"
		"topology_template:\n"
		"  inputs:\n"
		"    conn: {type: map, default: {host: h}}\n"
		"  node_templates:\n"
		"    db:\n"
		"      type: tosca.nodes.Database\n"
		"      properties:\n"
		"        name: {get_input: [conn, host]}\n";
	g_autofree char *v13 = g_strdup_printf(yaml, '3');
	g_autofree char *v12 = g_strdup_printf(yaml, '2');

	ok(fx, v13);
	fails(fx, v12, "expected one argument for 'get_input' (an input "
	      "name), found a list of 2; [input, key-or-index, ...] needs "
	      "tosca_simple_yaml_1_3, this file is tosca_simple_yaml_1_2",
	      "node_templates.db.properties.name", 9);
}

static void test_tosca_context(struct test_model *fx, gconstpointer data)
{
	ok(fx, TOSCA
	   "topology_template:\n"
	   "  node_templates:\n"
	   "    server: {type: tosca.nodes.Compute}\n"
	   "    dbms:\n"
	   "      type: tosca.nodes.DBMS\n"
	   "      requirements:\n"
	   "        - host:\n"
	   "            node: server\n"
	   "            relationship:\n"
	   "              type: tosca.relationships.HostedOn\n"
	   "              interfaces:\n"
	   "                Configure:\n"
	   "                  pre_configure_source:\n"
	   "                    implementation: a.sh\n"
	   "                    inputs:\n"
	   "                      a: {get_attribute: [SELF, tosca_id]}\n"
	   "                      b: {get_attribute: [TARGET, public_address]}\n"
	   "                      c: {get_attribute: [HOST, private_address]}\n"
	   "                      d: {get_property: [SOURCE, port]}\n");
	fails(fx, TOSCA
	      "topology_template:\n"
	      "  node_templates:\n"
	      "    server:\n"
	      "      type: tosca.nodes.Compute\n"
	      "      interfaces:\n"
	      "        Standard:\n"
	      "          create:\n"
	      "            inputs:\n"
	      "              ip: {get_attribute: [HOST, private_address]}\n",
	      "'HOST' in 'get_attribute': node 'server' is not hosted on "
	      "another node", "node_templates.server.interfaces.Standard."
	      "create.inputs.ip", 10);
	fails(fx, TOSCA
	      "topology_template:\n"
	      "  node_templates:\n"
	      "    server: {type: tosca.nodes.Compute}\n"
	      "  outputs:\n"
	      "    o: {value: {get_property: [SELF, x]}}\n",
	      "'SELF' cannot be used with 'get_property' in outputs",
	      "outputs.o.value", 6);
	fails(fx, TOSCA
	      "topology_template:\n"
	      "  node_templates:\n"
	      "    server: {type: tosca.nodes.Compute}\n"
	      "    dbms:\n"
	      "      type: tosca.nodes.DBMS\n"
	      "      requirements:\n"
	      "        - host:\n"
	      "            node: server\n"
	      "            relationship:\n"
	      "              type: tosca.relationships.ConnectsTo\n"
	      "              properties:\n"
	      "                credential: {get_property: [SELF, nope]}\n",
	      "relationship 'tosca.relationships.ConnectsTo' of node 'dbms' "
	      "has no property 'nope'", NULL, 13);
}

/* Values a type gives every node are checked per node, reported once. */
static void test_reported_once(struct test_model *fx, gconstpointer data)
{
	g_assert_null(test_model_build(fx, TOSCA
			 "node_types:\n"
			 "  App:\n"
			 "    derived_from: tosca.nodes.Root\n"
			 "    properties:\n"
			 "      p: {type: string, default: {get_input: nope}}\n"
			 "topology_template:\n"
			 "  node_templates:\n"
			 "    a: {type: App}\n"
			 "    b: {type: App}\n"));
	test_model_assert_error(fx, "unknown input 'nope'", NULL, 6);
	g_assert_cmpuint(bp_diags_count(&fx->diags), ==, 1);
}

static void test_reference_loop(struct test_model *fx, gconstpointer data)
{
	fails(fx, TOSCA
	      "node_types:\n"
	      "  App:\n"
	      "    derived_from: tosca.nodes.Root\n"
	      "    properties:\n"
	      "      a: {type: string}\n"
	      "      b: {type: string}\n"
	      "topology_template:\n"
	      "  node_templates:\n"
	      "    x:\n"
	      "      type: App\n"
	      "      properties:\n"
	      "        a: {get_property: [y, a]}\n"
	      "        b: ok\n"
	      "    y:\n"
	      "      type: App\n"
	      "      properties:\n"
	      "        a: {get_property: [x, a]}\n"
	      "        b: {get_property: [x, b]}\n",
	      "reference loop: node_templates.x.properties.a -> "
	      "node_templates.y.properties.a -> node_templates.x.properties.a",
	      "node_templates.x.properties.a", 13);
	g_assert_cmpuint(bp_diags_count(&fx->diags), ==, 1);
}

static void test_artifacts(struct test_model *fx, gconstpointer data)
{
	static const char yaml[] =
		TOSCA
		"topology_template:\n"
		"  node_templates:\n"
		"    server:\n"
		"      type: tosca.nodes.Compute\n"
		"      artifacts:\n"
		"        img: {file: images/a.qcow2, type: tosca.artifacts.Root}\n"
		"      interfaces:\n"
		"        Standard:\n"
		"          create:\n"
		"            inputs:\n"
		"              i: {get_artifact: [SELF, %s]}\n";
	g_autofree char *good = g_strdup_printf(yaml, "img");
	g_autofree char *bad = g_strdup_printf(yaml, "disk");

	ok(fx, good);
	fails(fx, bad, "node 'server' (type 'tosca.nodes.Compute') has no "
	      "artifact 'disk'", NULL, 12);
}

/* --- Cloudify --- */

static void test_cfy_valid(struct test_model *fx, gconstpointer data)
{
	ok(fx, CFY("1_3")
	   "inputs:\n"
	   "  i: {default: {k: [1, 2]}}\n"
	   "node_templates:\n"
	   "  vm:\n"
	   "    type: t\n"
	   "    properties:\n"
	   "      port: {get_property: [SELF, endpoint, names, 1]}\n"
	   "      x: {merge: [{a: 1}, {get_input: i}]}\n"
	   "    interfaces:\n"
	   "      cloudify.interfaces.lifecycle:\n"
	   "        create:\n"
	   "          implementation: p.create\n"
	   "          inputs:\n"
	   "            a: {get_attribute: [SELF, anything, at, 0, all]}\n"
	   "            b: {get_secret: [creds, user]}\n"
	   "            c: {get_sys: [deployment, id]}\n"
	   "            d: {get_label: [env, 0]}\n"
	   "            e: {string_replace: [abc, b, x, 1]}\n"
	   "            f: {get_attributes_list: [app, ip]}\n"
	   "            g: {get_attributes_dict: [app, ip, [a, b]]}\n"
	   "            h: {get_capability: [dep, cap, 0]}\n"
	   "            i: {string_lower: {get_input: [i, k, 0]}}\n"
	   "            j: {get_environment_capability: cap}\n"
	   "            k: {token: [not, a, call]}\n"
	   "  app:\n"
	   "    type: t\n"
	   "    relationships:\n"
	   "      - type: cloudify.relationships.contained_in\n"
	   "        target: vm\n"
	   "        source_interfaces:\n"
	   "          cloudify.interfaces.relationship_lifecycle:\n"
	   "            preconfigure:\n"
	   "              implementation: p.pre\n"
	   "              inputs:\n"
	   "                a: {get_attribute: [TARGET, ip]}\n"
	   "                b: {get_property: [SOURCE, endpoint, url, host]}\n"
	   "                c: {get_attribute: [vm, ip]}\n"
	   "outputs:\n"
	   "  o: {value: {concat: [a, {get_attribute: [app, ip]}]}}\n"
	   "capabilities:\n"
	   "  c: {value: {get_attribute: [vm, ip]}}\n");
}

static void check_cfy(struct test_model *fx, const char *version,
		      const char *value, const char *want)
{
	g_autofree char *yaml = g_strdup_printf(
		"%s"
		"node_templates:\n"
		"  vm:\n"
		"    type: t\n"
		"    interfaces:\n"
		"      i:\n"
		"        op:\n"
		"          implementation: p.op\n"
		"          inputs:\n"
		"            a: %s\n"
		"  app:\n"
		"    type: t\n"
		"    relationships:\n"
		"      - type: cloudify.relationships.connected_to\n"
		"        target: vm\n",
		!strcmp(version, "1_0") ? CFY("1_0") : CFY("1_3"), value);

	fails(fx, yaml, want, "node_templates.vm.interfaces.i.op.inputs.a", 24);
}

static void test_cfy_invalid(struct test_model *fx, gconstpointer data)
{
	check_cfy(fx, "1_3", "{get_attribute: [nobody, ip]}", "unknown node "
		  "template 'nobody' in 'get_attribute'");
	check_cfy(fx, "1_3", "{get_attribute: [SOURCE, ip]}", "'SOURCE' can "
		  "only be used in a relationship, not in a node template");
	check_cfy(fx, "1_3", "{get_attribute: [vm]}", "expected at least 2 "
		  "arguments for 'get_attribute'");
	check_cfy(fx, "1_3", "{get_attributes_list: [nobody, ip]}", "unknown "
		  "node template 'nobody' in 'get_attributes_list'");
	check_cfy(fx, "1_3", "{get_property: [vm, nope]}", "node 'vm' (type "
		  "'t') has no property 'nope'");
	check_cfy(fx, "1_3", "{get_property: [vm, endpoint, names, 2]}",
		  "index 2 is out of range for property 'endpoint.names' (a "
		  "list of 2)");
	check_cfy(fx, "1_3", "{get_property: [vm, endpoint, url, port]}",
		  "property 'endpoint.url' has no key 'port'");
	check_cfy(fx, "1_3", "{get_property: [vm, port, x]}", "property 'port' "
		  "is an integer; cannot take 'x' from it");
	check_cfy(fx, "1_3", "{get_secret: [only]}", "expected [name, "
		  "key-or-index, ...] (at least 2 items) for the list form of "
		  "'get_secret', found 1");
	check_cfy(fx, "1_3", "{get_secret: {a: b}}", "expected a string for the "
		  "name of 'get_secret', found a map");
	check_cfy(fx, "1_3", "{get_sys: [tenant, id]}", "unknown property 'id' "
		  "of 'tenant' for 'get_sys'; expected 'name'");
	check_cfy(fx, "1_3", "{get_sys: [cluster, id]}", "unknown entity "
		  "'cluster' for 'get_sys'");
	check_cfy(fx, "1_3", "{get_label: [env, first]}", "expected an index "
		  "(a number) for the label value of 'get_label', found "
		  "'first'");
	check_cfy(fx, "1_3", "{get_capability: dep}", "expected a list of "
		  "arguments for 'get_capability'");
	check_cfy(fx, "1_3", "{string_find: [abc]}", "expected 2 arguments for "
		  "'string_find'");
	check_cfy(fx, "1_3", "{string_replace: [abc, b, x, y]}", "expected an "
		  "integer for the count of 'string_replace', found a string");
	check_cfy(fx, "1_3", "{string_upper: [abc]}", "expected one argument "
		  "for 'string_upper' (string), found a list");
	check_cfy(fx, "1_3", "{merge: [{a: 1}, b]}", "expected a map for the "
		  "values of 'merge', found a string");
	check_cfy(fx, "1_0", "{merge: [{a: 1}]}", "'merge' requires "
		  "cloudify_dsl_1_3 or later; this file is cloudify_dsl_1_0");
	check_cfy(fx, "1_3", "{get_input: nope}", "unknown input 'nope' in "
		  "'get_input'; no inputs are declared");
}

static void test_cfy_relationship_self(struct test_model *fx,
				       gconstpointer data)
{
	fails(fx, CFY("1_3")
	      "node_templates:\n"
	      "  vm: {type: t}\n"
	      "  app:\n"
	      "    type: t\n"
	      "    relationships:\n"
	      "      - type: cloudify.relationships.connected_to\n"
	      "        target: vm\n"
	      "        target_interfaces:\n"
	      "          i:\n"
	      "            op:\n"
	      "              implementation: p.op\n"
	      "              inputs:\n"
	      "                a: {get_property: [SELF, port]}\n",
	      "'SELF' cannot be used with 'get_property' in a relationship "
	      "(of node 'app'); use 'SOURCE' or 'TARGET'",
	      "node_templates.app.requirements[0].relationship."
	      "target_interfaces.i.op.inputs.a", 28);
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
#define ADD(name, fn) g_test_add("/model/func/check/" name, struct test_model, \
				 NULL, setup, fn, teardown)
	ADD("tosca-valid", test_tosca_valid);
	ADD("tosca-invalid", test_tosca_invalid);
	ADD("tosca-context", test_tosca_context);
	ADD("get-input-versions", test_get_input_versions);
	ADD("reported-once", test_reported_once);
	ADD("reference-loop", test_reference_loop);
	ADD("artifacts", test_artifacts);
	ADD("cloudify-valid", test_cfy_valid);
	ADD("cloudify-invalid", test_cfy_invalid);
	ADD("cloudify-relationship-self", test_cfy_relationship_self);
	return g_test_run();
}
