/* test-model-func-corpus.c: the third-party corpus cases about intrinsic
 * functions (tosca-parser's functions tests, Cloudify dsl_parser's
 * TestGetAttribute, TestGetProperty, TestConcat, TestMergeDicts,
 * TestOutputs; Puccini's and xOpera's function examples): valid ones must
 * build, invalid ones must be rejected with
 * the problem named at the right place. The corpus lives outside the
 * source tree ($BP_CORPUS, else $BP_SHARED/corpus, else ../shared/corpus
 * beside the checkout); without it the cases are skipped. TOSCA cases get
 * the fixture's own normative types. */
#include "model/model.h"
#include "testlib.h"
#include "testmodel.h"

#include <string.h>

struct corpus_case {
	const char *file;
	const char *want;       /* NULL: valid */
	const char *path;       /* YAML path of the error, or NULL */
};

#define TP "openstack__tosca-parser/samples/tests/data/"
#define CF "cloudify-cosmo__cloudify-common/dsl_parser/tests/"

static const struct corpus_case cases[] = {
	/* tosca-parser, valid */
	{ TP "functions/test_concat.yaml", NULL, NULL },
	{ TP "functions/test_token.yaml", NULL, NULL },
	{ TP "functions/test_capabilties_inheritance.yaml", NULL, NULL },
	{ TP "functions/test_container_cap_child.yaml", NULL, NULL },
	{ TP "functions/test_get_attribute_custom_data_type.yaml", NULL, NULL },
	{ TP "functions/test_get_attribute_nested_data_types.yaml", NULL,
	  NULL },
	{ TP "functions/test_get_attribute_host_keyword.yaml", NULL, NULL },
	{ TP "functions/test_get_attribute_source_target_keywords.yaml", NULL,
	  NULL },
	{ TP "functions/test_get_attribute_with_index.yaml", NULL, NULL },
	{ TP "functions/test_get_attribute_with_nested_params.yaml", NULL,
	  NULL },
	{ TP "functions/test_get_implicit_attribute.yaml", NULL, NULL },
	{ TP "functions/test_get_prop_cap_host.yaml", NULL, NULL },
	{ TP "functions/test_get_property_source_target_keywords.yaml", NULL,
	  NULL },
	{ TP "functions/tosca_nested_property_names_indexes.yaml", NULL, NULL },
	{ TP "functions/test_get_property_with_host.yaml", NULL, NULL },
	{ TP "tosca_test_get_operation_output.yaml", NULL, NULL },
	/* Puccini: requirement names read as their relationship, nested
	 * calls, get_nodes_of_type */
	{ "xDaryamo__puccini/examples/1.3/functions.yaml", NULL, NULL },
	{ "xlab-si__xopera-opera/examples/intrinsic_functions/service.yaml",
	  NULL, NULL },
	/* tosca-parser, invalid */
	{ TP "functions/test_concat_invalid.yaml",
	  "expected at least 1 argument for 'concat'",
	  "outputs.invalid_concat_syntax.value" },
	{ TP "functions/test_get_attribute_host_not_found.yaml",
	  "node 'server' is not hosted on another node",
	  "node_templates.server.interfaces.Standard.configure.inputs."
	  "ip_address" },
	{ TP "functions/test_get_attribute_illegal_host_in_outputs.yaml",
	  "'HOST' cannot be used with 'get_attribute' in outputs",
	  "outputs.ip_address.value" },
	{ TP "functions/test_get_attribute_unknown_node_template_name.yaml",
	  "unknown node template 'unknown_node_template' in 'get_attribute'",
	  "outputs.ip_address.value" },
	{ TP "functions/test_get_attribute_with_index_error.yaml",
	  "attribute 'private_address' is a string; cannot take '0' from it",
	  "node_templates.server.interfaces.Standard.configure.inputs."
	  "ip_address" },
	{ TP "functions/test_invalid_function_signature.yaml",
	  "expected one argument for 'get_input' (an input name), found a "
	  "list of 2",
	  "node_templates.server.capabilities.host.properties.num_cpus" },
	{ TP "functions/test_unknown_capability_property.yaml",
	  "capability 'database_endpoint' of node 'database' has no property "
	  "'unknown'",
	  "node_templates.database.interfaces.Standard.configure.inputs."
	  "db_port" },
	{ TP "topology_template/validate/test_substitution_mappings_invalid_"
	  "output.yaml",
	  "node 'substitute_app' (type 'example.app') has no attribute "
	  "'my_cpu_output'", "outputs.receiver_ip.value" },
	{ TP "functions/test_unknown_input_in_interface.yaml",
	  "unknown input 'image_id' in 'get_input'",
	  "node_templates.server.interfaces.Standard.configure.inputs."
	  "image_id" },
	/* Cloudify dsl_parser */
	{ CF "test_functions/TestConcat.test_relationship_operation_inputs.yaml",
	  NULL, NULL },
	{ CF "test_functions/TestGetProperty.test_nested_property_path.yaml",
	  NULL, NULL },
	{ CF "test_functions/TestGetAttribute.test_unknown_ref.yaml",
	  "unknown node template 'i_do_not_exist' in 'get_attribute'",
	  "outputs.a.value" },
	{ CF "test_functions/TestGetAttribute.test_illegal_ref_in_"
	  "relationship.yaml",
	  "'SELF' cannot be used with 'get_attribute' in a relationship",
	  "node_templates.vm.requirements[0].relationship.source_interfaces."
	  "test.op.inputs.a" },
	{ CF "test_functions/TestMergeDicts.test_invalid_version.yaml",
	  "'merge' requires cloudify_dsl_1_3 or later; this file is "
	  "cloudify_dsl_1_0", "node_templates.node.properties.property" },
	{ CF "test_outputs/TestOutputs.test_invalid_nested_get_attribute.yaml",
	  "unknown node template 'aaa' in 'get_attribute'",
	  "outputs.endpoint.value.port" },
};

static char *corpus_dir(void)
{
	const char *env = g_getenv("BP_CORPUS");
	const char *shared = g_getenv("BP_SHARED");
	const char *tries[] = { "../shared/corpus", "../../shared/corpus" };

	if (env && *env)
		return g_strdup(env);
	if (shared && *shared)
		return g_build_filename(shared, "corpus", NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(tries); i++) {
		g_autofree char *p = test_src_path(tries[i]);
		g_autofree char *m = g_build_filename(p, "MANIFEST.tsv", NULL);
		if (g_file_test(m, G_FILE_TEST_IS_REGULAR))
			return g_steal_pointer(&p);
	}
	return NULL;
}

static void run_case(gconstpointer data)
{
	const struct corpus_case *c = data;
	g_autofree char *dir = corpus_dir();
	g_autofree char *path = NULL;
	struct test_model fx;

	if (!dir) {
		g_test_skip("no corpus (set BP_CORPUS)");
		return;
	}
	path = g_build_filename(dir, c->file, NULL);
	test_model_setup(&fx);
	test_model_load(&fx, path);
	if (c->want) {
		g_assert_null(fx.m);
		test_model_assert_error(&fx, c->want, c->path, 0);
	} else {
		g_autofree char *errs = test_model_errors(&fx);
		if (!fx.m)
			g_test_message("unexpected errors:\n%s", errs);
		g_assert_nonnull(fx.m);
	}
	test_model_teardown(&fx);
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *name = g_strdup_printf("/model/func/corpus/%s",
							strrchr(cases[i].file,
								'/') + 1);
		g_test_add_data_func(name, &cases[i], run_case);
	}
	return g_test_run();
}
