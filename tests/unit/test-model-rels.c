/* test-model-rels.c: node templates and their relationships in
 * model_build(), as the corpus has them: operations a node type adds to a
 * typed interface, requirements with node filters (matched, or left to the
 * orchestrator), peer relationships that may form a cycle, a second
 * containment to the same host (TOSCA) or any second one (Cloudify),
 * host-agent operations on unhosted nodes, and the place of a missing
 * relationship property. */
#include "plan/plan.h"
#include "testlib.h"
#include "testmodel.h"

#define TOSCA "tosca_definitions_version: tosca_simple_yaml_1_3\n"

/* Cloudify: the relationship types, a host type and a plugin. */
#define CFY                                                               \
	"tosca_definitions_version: cloudify_dsl_1_3\n"                    \
	"plugins:\n"                                                       \
	"  central: {executor: central_deployment_agent, install: false}\n" \
	"  agent: {executor: host_agent, source: x}\n"                     \
	"relationships:\n"                                                 \
	"  cloudify.relationships.depends_on: {}\n"                        \
	"  cloudify.relationships.contained_in:\n"                         \
	"    derived_from: cloudify.relationships.depends_on\n"            \
	"node_types:\n"                                                    \
	"  cloudify.nodes.Root: {}\n"                                      \
	"  cloudify.nodes.Compute: {derived_from: cloudify.nodes.Root}\n"  \
	"  app:\n"                                                         \
	"    derived_from: cloudify.nodes.Root\n"                          \
	"    interfaces:\n"                                                \
	"      lifecycle:\n"                                               \
	"        create: agent.create\n"                                   \
	"        start: {implementation: central.start, executor: %s}\n"

static void setup(struct test_model *fx, gconstpointer data)
{
	test_model_setup(fx);
}

static void teardown(struct test_model *fx, gconstpointer data)
{
	test_model_teardown(fx);
}

/* tosca-parser's test_custom_interface_in_template.yaml: CustomOp3 comes
 * from the node type's interface definition, not the interface type. */
static void test_node_type_operations(struct test_model *fx,
				      gconstpointer data)
{
	static const char yaml[] = TOSCA
		"interface_types:\n"
		"  Custom:\n"
		"    derived_from: tosca.interfaces.Root\n"
		"    operations: {op1: {}}\n"
		"node_types:\n"
		"  T:\n"
		"    derived_from: tosca.nodes.Root\n"
		"    interfaces:\n"
		"      custom:\n"
		"        type: Custom\n"
		"        op3: {}\n"
		"topology_template:\n"
		"  node_templates:\n"
		"    n:\n"
		"      type: T\n"
		"      interfaces:\n"
		"        custom:\n"
		"          op1: a.sh\n"
		"          %s: b.sh\n";
	g_autofree char *good = g_strdup_printf(yaml, "op3");
	g_autofree char *bad = g_strdup_printf(yaml, "op4");

	test_model_ok(fx, good);
	g_assert_nonnull(model_node_operation(model_node_find(fx->m, "n"),
					      "custom", "op3"));
	test_model_fails(fx, bad, "unknown operation 'op4' in interface "
			 "'custom'", "node_templates.n.interfaces.custom.op4",
			 20);
}

static const char filtered[] = TOSCA
	"topology_template:\n"
	"  node_templates:\n"
	"    db:\n"
	"      type: tosca.nodes.DBMS\n"
	"      requirements:\n"
	"        - host:\n"
	"            node_filter:\n"
	"              %s:\n"
	"                - host:\n"
	"                    properties:\n"
	"                      - num_cpus: { in_range: [ 1, 4 ] }\n"
	"                      - mem_size: { greater_or_equal: 2 GB }\n"
	"%s";

static const char two_hosts[] =
	"    small:\n"
	"      type: tosca.nodes.Compute\n"
	"      capabilities:\n"
	"        host: {properties: {num_cpus: 1, mem_size: 1 GB}}\n"
	"    big:\n"
	"      type: tosca.nodes.Compute\n"
	"      capabilities:\n"
	"        host: {properties: {num_cpus: 4, mem_size: 8 GB}}\n";

/* tosca-parser's test_node_filter.yaml: nothing here meets the filter, so
 * the orchestrator selects the host; with templates, the filter picks. */
static void test_node_filter(struct test_model *fx, gconstpointer data)
{
	g_autofree char *alone = g_strdup_printf(filtered, "capabilities", "");
	g_autofree char *picked = g_strdup_printf(filtered, "capabilities",
						  two_hosts);
	g_autofree char *bad = g_strdup_printf(filtered, "capability", "");
	const struct model_node *db;

	test_model_ok(fx, alone);
	db = model_node_find(fx->m, "db");
	g_assert_cmpuint(db->rels->len, ==, 0);
	g_assert_null(db->host);

	test_model_ok(fx, picked);
	db = model_node_find(fx->m, "db");
	g_assert_cmpuint(db->rels->len, ==, 1);
	g_assert_cmpstr(db->host->name, ==, "big");

	test_model_fails(fx, bad, "unknown key 'capability' in the node filter "
			 "of requirement 'host'; expected one of 'properties', "
			 "'capabilities'", "node_templates.db.requirements[0]",
			 9);
}

/* tosca-parser's test_custom_relationship.yaml: an HA pair, each node
 * related to the other by a type derived from tosca.relationships.Root
 * only; a DependsOn cycle stays an error. */
static void test_peer_cycle(struct test_model *fx, gconstpointer data)
{
	static const char yaml[] = TOSCA
		"relationship_types:\n"
		"  HA: {derived_from: tosca.relationships.%s}\n"
		"topology_template:\n"
		"  node_templates:\n"
		"    a:\n"
		"      type: tosca.nodes.Compute\n"
		"      requirements:\n"
		"        - peer: {node: b, relationship: HA}\n"
		"    b:\n"
		"      type: tosca.nodes.Compute\n"
		"      requirements:\n"
		"        - peer: {node: a, relationship: HA}\n";
	g_autofree char *peer = g_strdup_printf(yaml, "Root");
	g_autofree char *dep = g_strdup_printf(yaml, "DependsOn");
	g_autoptr(plan) p = NULL;
	g_autoptr(GPtrArray) waves = NULL;

	test_model_ok(fx, peer);
	g_assert_false(((struct model_rel *)model_node_find(fx->m, "a")
			->rels->pdata[0])->orders);
	p = plan_build(fx->m, 1);
	waves = plan_waves(p);
	g_assert_cmpuint(waves->len, ==, 1);
	g_assert_cmpuint(((GPtrArray *)waves->pdata[0])->len, ==, 2);
	g_clear_pointer(&waves, g_ptr_array_unref);
	g_clear_pointer(&p, plan_free);
	test_model_fails(fx, dep, "relationship cycle: 'a' -> 'b' -> 'a'", NULL,
			 0);
}

/* tosca-parser's test_requirements.yaml names its host twice; dsl_parser's
 * test_instance_relationship_more_than_one_contained_in does it once too
 * often. */
static void test_second_containment(struct test_model *fx,
				    gconstpointer data)
{
	static const char cfy[] = CFY
		"node_templates:\n"
		"  vm: {type: cloudify.nodes.Compute}\n"
		"  other: {type: cloudify.nodes.Compute}\n"
		"  n:\n"
		"    type: cloudify.nodes.Root\n"
		"    relationships:\n"
		"      - {type: cloudify.relationships.contained_in, target: vm}\n"
		"      - {type: cloudify.relationships.contained_in, target: %s}\n";
	g_autofree char *same = g_strdup_printf(cfy, "central_deployment_agent",
						"vm");
	g_autofree char *two = g_strdup_printf(cfy, "central_deployment_agent",
					       "other");

	test_model_ok(fx, TOSCA
		"topology_template:\n"
		"  node_templates:\n"
		"    web:\n"
		"      type: tosca.nodes.WebServer\n"
		"      requirements:\n"
		"        - host: server\n"
		"    server: {type: tosca.nodes.Compute}\n"
		"    app:\n"
		"      type: tosca.nodes.WebApplication\n"
		"      requirements:\n"
		"        - req1: {node: web, relationship: "
		"tosca.relationships.HostedOn}\n"
		"        - host: web\n");
	g_assert_cmpstr(model_node_find(fx->m, "app")->host->name, ==, "web");
	/* both places are named: the error's and the first containment's */
	test_model_fails(fx, same, "node 'n' has more than one containment "
			 "relationship (a second 'cloudify.relationships."
			 "contained_in' to 'vm'; the first is at ",
			 "node_templates.n.requirements[1]", 25);
	test_model_assert_error(fx, "blueprint.yaml:24:9); a node has at most "
				"one", NULL, 25);
	test_model_fails(fx, two, "node 'n' is contained in more than one host "
			 "('vm', at ", "node_templates.n.requirements[1]", 25);
	test_model_assert_error(fx, "blueprint.yaml:24:9, and 'other')", NULL,
				25);
}

/* dsl_parser's test_validate_agent_plugin_on_non_host_node. */
static void test_host_agent(struct test_model *fx, gconstpointer data)
{
	static const char tail[] =
		"node_templates:\n"
		"  vm: {type: cloudify.nodes.Compute}\n"
		"  n:\n"
		"    type: app\n"
		"%s";
	static const char hosted[] =
		"    relationships:\n"
		"      - {type: cloudify.relationships.contained_in, target: vm}\n";
	g_autofree char *central = g_strdup_printf(CFY, "central_deployment_agent");
	g_autofree char *agent = g_strdup_printf(CFY, "host_agent");
	g_autofree char *alone = g_strdup_printf(tail, "");
	g_autofree char *on_vm = g_strdup_printf(tail, hosted);
	g_autofree char *y1 = g_strconcat(central, on_vm, NULL);
	g_autofree char *y2 = g_strconcat(central, alone, NULL);
	g_autofree char *y3 = g_strconcat(agent, on_vm, NULL);

	test_model_ok(fx, y1);
	/* the plugin's executor */
	test_model_fails(fx, y2, "operation 'create' of node 'n' runs on the "
			 "host agent (plugin 'agent', executor 'host_agent'), "
			 "but node 'n' is not contained in a host",
			 "node_templates.n.interfaces.lifecycle.create", 16);
	/* an operation's own executor */
	g_free(y2);
	y2 = g_strconcat(agent, alone, NULL);
	test_model_fails(fx, y2, "operation 'start' of node 'n' runs on the "
			 "host agent (plugin 'central'", NULL, 17);
	test_model_ok(fx, y3);
}

/* dsl_parser's test_relationship_instance_doesnt_implement_schema_...:
 * the error points at the relationship. */
static void test_missing_rel_property(struct test_model *fx,
				      gconstpointer data)
{
	test_model_fails(fx,
		"tosca_definitions_version: cloudify_dsl_1_3\n"
		"relationships:\n"
		"  rel:\n"
		"    properties: {must: {}}\n"
		"node_types:\n"
		"  t: {}\n"
		"node_templates:\n"
		"  a: {type: t}\n"
		"  b:\n"
		"    type: t\n"
		"    relationships:\n"
		"      - {type: rel, target: a}\n",
		"missing required property 'must' of relationship 'rel' of "
		"node 'b'", "node_templates.b.requirements[0]", 12);
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
#define ADD(name, fn) g_test_add("/model/rels/" name, struct test_model, \
				 NULL, setup, fn, teardown)
	ADD("node-type-operations", test_node_type_operations);
	ADD("node-filter", test_node_filter);
	ADD("peer-cycle", test_peer_cycle);
	ADD("second-containment", test_second_containment);
	ADD("host-agent", test_host_agent);
	ADD("missing-relationship-property", test_missing_rel_property);
	return g_test_run();
}
