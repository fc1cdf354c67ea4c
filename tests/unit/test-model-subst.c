/* test-model-subst.c: TOSCA substitution mappings (after tosca-parser's
 * topology_template tests): an imported file's topology stays apart from
 * the blueprint's, and the mappings of both are checked: node type,
 * required properties given by inputs, capability and requirement
 * mappings, keys allowed by the version, the substitution filter. */
#include "testlib.h"
#include "testmodel.h"

static void setup(struct test_model *fx, gconstpointer data)
{
	test_model_setup(fx);
}

static void teardown(struct test_model *fx, gconstpointer data)
{
	test_model_teardown(fx);
}

static const char defs[] =
	"tosca_definitions_version: tosca_simple_yaml_1_0\n"
	"node_types:\n"
	"  Queue:\n"
	"    derived_from: tosca.nodes.SoftwareComponent\n"
	"    properties:\n"
	"      port: {type: integer}\n"
	"      ip: {type: string, required: false}\n"
	"    capabilities:\n"
	"      endpoint: {type: tosca.capabilities.Endpoint}\n"
	"    requirements:\n"
	"      - receiver: {capability: tosca.capabilities.Endpoint}\n";

/* `inputs` and `mappings` complete the implementing topology. */
static const char impl[] =
	"tosca_definitions_version: tosca_simple_yaml_1_0\n"
	"imports: [defs.yaml]\n"
	"topology_template:\n"
	"  inputs:\n"
	"%s"
	"  substitution_mappings:\n"
	"    node_type: Queue\n"
	"%s"
	"  node_templates:\n"
	"    server: {type: tosca.nodes.Compute}\n"
	"    web:\n"
	"      type: tosca.nodes.WebServer\n"
	"      requirements:\n"
	"        - host: server\n";

static const char user[] =
	"tosca_definitions_version: tosca_simple_yaml_1_0\n"
	"imports: [impl.yaml]\n"
	"topology_template:\n"
	"  node_templates:\n"
	"    server: {type: tosca.nodes.Compute}\n"
	"    q:\n"
	"      type: Queue\n"
	"      properties: {port: 80}\n"
	"      requirements:\n"
	"        - host: server\n";

static void put_impl(struct test_model *fx, const char *inputs,
		     const char *mappings)
{
	g_autofree char *text = g_strdup_printf(impl, inputs, mappings);

	test_model_put(fx, "defs.yaml", defs);
	test_model_put(fx, "impl.yaml", text);
	test_model_put(fx, "user.yaml", user);
}

/* tosca-parser's system.yaml: both files have a `server`; the imported
 * one stays in its file. */
static void test_imported_topology(struct test_model *fx, gconstpointer data)
{
	put_impl(fx, "    port: {type: integer}\n",
		 "    capabilities:\n"
		 "      endpoint: [web, data_endpoint]\n"
		 "    requirements:\n"
		 "      receiver: [web, host]\n");
	g_assert_nonnull(test_model_load(fx, "user.yaml"));
	g_assert_cmpuint(fx->m->node_order->len, ==, 2);
	g_assert_null(model_node_find(fx->m, "web"));
	/* and on its own it is a blueprint */
	g_assert_nonnull(test_model_load(fx, "impl.yaml"));
	g_assert_nonnull(model_node_find(fx->m, "web"));
}

/* queuingsubsystem_invalid_input.yaml and system_invalid_input.yaml. */
static void test_required_input(struct test_model *fx, gconstpointer data)
{
	put_impl(fx, "    port1: {type: integer, default: 1}\n", "");
	g_assert_null(test_model_load(fx, "user.yaml"));
	test_model_assert_error(fx, "missing required input 'port': the "
				"topology implements node type 'Queue'",
				"substitution_mappings.node_type", 7);
	g_assert_null(test_model_load(fx, "impl.yaml"));
	test_model_assert_error(fx, "missing required input 'port'", NULL, 7);
	/* a property mapping gives it too (TOSCA 1.2) */
	put_impl(fx, "    port1: {type: integer, default: 1}\n",
		 "    properties: {port: [port1]}\n");
	g_assert_nonnull(test_model_load(fx, "user.yaml"));
}

static void test_mappings(struct test_model *fx, gconstpointer data)
{
	put_impl(fx, "    port: {type: integer}\n",
		 "    capabilities:\n"
		 "      endpoint: [web, nothing]\n"
		 "      other: [nobody, data_endpoint]\n"
		 "    requirements:\n"
		 "      receiver: web\n");
	g_assert_null(test_model_load(fx, "impl.yaml"));
	test_model_assert_error(fx, "node template 'web' (type "
				"'tosca.nodes.WebServer') has no capability "
				"'nothing'", "substitution_mappings.capabilities",
				9);
	test_model_assert_error(fx, "node type 'Queue' has no capability "
				"'other' to map", NULL, 10);
	test_model_assert_error(fx, "unknown node template 'nobody' in the "
				"mapping of capability 'other'", NULL, 10);
	test_model_assert_error(fx, "expected [node template, requirement] "
				"for the mapping of requirement 'receiver'",
				"substitution_mappings.requirements", 12);
	put_impl(fx, "", "");
	test_model_put(fx, "impl.yaml",
		"tosca_definitions_version: tosca_simple_yaml_1_0\n"
		"topology_template:\n"
		"  substitution_mappings: {node_type: Nope}\n");
	g_assert_null(test_model_load(fx, "impl.yaml"));
	test_model_assert_error(fx, "unknown node type 'Nope' in substitution "
				"mappings", NULL, 3);
}

/* test_substitution_mappings_section.yaml and its error twins (1.3). */
static void test_filter(struct test_model *fx, gconstpointer data)
{
	static const char yaml[] =
		"tosca_definitions_version: tosca_simple_yaml_1_%c\n"
		"node_types:\n"
		"  S:\n"
		"    derived_from: tosca.nodes.Root\n"
		"    attributes: {ip: {type: string}}\n"
		"topology_template:\n"
		"  substitution_mappings:\n"
		"    node_type: S\n"
		"    attributes: {ip: [x]}\n"
		"    substitution_filter:\n"
		"%s";
	static const char wrapped[] =
		"      node_filter:\n"
		"        properties:\n"
		"          - p: 'v'\n"
		"        capabilities:\n"
		"          - c:\n"
		"              properties: [{q: {equal: 1}}]\n";
	g_autofree char *v13 = g_strdup_printf(yaml, '3', wrapped);
	g_autofree char *v12 = g_strdup_printf(yaml, '2', wrapped);
	g_autofree char *plain = g_strdup_printf(yaml, '3',
		"      properties: [{p: v}]\n");
	g_autofree char *badkey = g_strdup_printf(yaml, '3',
		"      node_filter_test: {}\n");
	g_autofree char *capmap = g_strdup_printf(yaml, '3',
		"      capabilities: {c: {}}\n");

	test_model_ok(fx, v13);
	test_model_ok(fx, plain);
	test_model_fails(fx, v12, "unknown key 'attributes' in "
			 "substitution_mappings", NULL, 9);
	test_model_assert_error(fx, "unknown key 'substitution_filter' in "
				"substitution_mappings", NULL, 10);
	test_model_fails(fx, badkey, "unknown key 'node_filter_test' in the "
			 "substitution filter; expected one of 'properties', "
			 "'capabilities'",
			 "substitution_mappings.substitution_filter", 11);
	test_model_fails(fx, capmap, "expected a list for 'capabilities' of "
			 "the substitution filter, found a map", NULL, 11);
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
#define ADD(name, fn) g_test_add("/model/subst/" name, struct test_model, \
				 NULL, setup, fn, teardown)
	ADD("imported-topology", test_imported_topology);
	ADD("required-input", test_required_input);
	ADD("mappings", test_mappings);
	ADD("filter", test_filter);
	return g_test_run();
}
