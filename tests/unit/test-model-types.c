/* test-model-types.c: type rules of model_build() met in the corpus: a type
 * declared in the wrong section takes the kind of its parent, a derived
 * type that gives an inherited property a value sets its default, data
 * type defaults that never end, data_types before cloudify_dsl_1_2
 * reported beside what is wrong in them. */
#include "testlib.h"
#include "testmodel.h"

#define TOSCA "tosca_definitions_version: tosca_simple_yaml_1_0\n"

static void setup(struct test_model *fx, gconstpointer data)
{
	test_model_setup(fx);
}

static void teardown(struct test_model *fx, gconstpointer data)
{
	test_model_teardown(fx);
}

/* tosca-parser's test_capability_without_properties.yaml declares its
 * capability types under node_types. */
static void test_misplaced(struct test_model *fx, gconstpointer data)
{
	struct model_type *t;

	test_model_ok(fx, TOSCA
		"node_types:\n"
		"  App:\n"
		"    derived_from: tosca.nodes.WebApplication\n"
		"    capabilities:\n"
		"      test_cap: {type: CapAA}\n"
		"  CapA: {derived_from: tosca.capabilities.Root}\n"
		"  CapAA:\n"
		"    derived_from: CapA\n"
		"    properties:\n"
		"      test: {type: integer, required: false}\n"
		"topology_template:\n"
		"  node_templates:\n"
		"    app:\n"
		"      type: App\n"
		"      capabilities:\n"
		"        test_cap: {properties: {test: 1}}\n");
	t = model_type_find(fx->m, MODEL_CAPABILITY_TYPE, "CapAA");
	g_assert_nonnull(t);
	g_assert_cmpint(t->kind, ==, MODEL_CAPABILITY_TYPE);
	g_assert_null(model_type_find(fx->m, MODEL_NODE_TYPE, "CapAA"));
	/* a parent found nowhere is still an error */
	test_model_fails(fx, TOSCA
		"node_types:\n"
		"  X: {derived_from: tosca.capabilities.Nothing}\n",
		"unknown parent node type 'tosca.capabilities.Nothing' of 'X'",
		"X.derived_from", 3);
}

/* tosca-parser's test_credential_datatype.yaml: a relationship type
 * derived from ConnectsTo writes a value for the inherited `credential`. */
static void test_inherited_default(struct test_model *fx, gconstpointer data)
{
	static const char types[] = TOSCA
		"relationship_types:\n"
		"  DbConnection:\n"
		"    derived_from: tosca.relationships.ConnectsTo\n"
		"    properties:\n"
		"      credential:\n"
		"        %s\n";
	g_autofree char *good = g_strdup_printf(types, "{user: u, token: t}");
	g_autofree char *bad = g_strdup_printf(types, "{user: u, tokens: t}");
	const struct model_type *t;
	const struct model_prop *p;

	test_model_ok(fx, good);
	t = model_type_find(fx->m, MODEL_RELATIONSHIP_TYPE, "DbConnection");
	p = g_hash_table_lookup(t->props, "credential");
	g_assert_nonnull(p->default_value);
	g_assert_cmpstr(p->type_name, ==, "tosca.datatypes.Credential");
	/* the value is checked against the inherited definition */
	test_model_fails(fx, bad, "unknown property 'credential.tokens' of "
			 "data type 'tosca.datatypes.Credential'", NULL, 7);
	/* a new property still needs a definition */
	test_model_fails(fx, TOSCA
		"relationship_types:\n"
		"  R:\n"
		"    derived_from: tosca.relationships.ConnectsTo\n"
		"    properties:\n"
		"      other: {user: u}\n",
		"unknown key 'user' in the definition of 'other'", NULL, 6);
}

/* dsl_parser's TestDataTypes.test_infinite_list. */
static void test_endless_default(struct test_model *fx, gconstpointer data)
{
	static const char yaml[] =
		"tosca_definitions_version: cloudify_dsl_1_2\n"
		"data_types:\n"
		"  list_type:\n"
		"    properties:\n"
		"      head: {type: integer}\n"
		"      tail:\n"
		"        type: list_type\n"
		"        %s\n";
	g_autofree char *endless = g_strdup_printf(yaml, "default: {head: 1}");
	g_autofree char *fine = g_strdup_printf(yaml, "required: false");

	test_model_fails(fx, endless, "circular default: the default of "
			 "'list_type.tail' is a 'list_type'",
			 "list_type.properties.tail", 6);
	test_model_ok(fx, fine);
}

/* dsl_parser's test_redefine_primitive under cloudify_dsl_1_0: both the
 * version and the redefinition are reported. */
static void test_data_types_version(struct test_model *fx,
				    gconstpointer data)
{
	test_model_fails(fx,
		"tosca_definitions_version: cloudify_dsl_1_0\n"
		"data_types:\n"
		"  integer:\n"
		"    properties: {p: {type: string}}\n",
		"'data_types' is not supported in cloudify_dsl_1_0; it was "
		"added in cloudify_dsl_1_2", "data_types", 2);
	test_model_assert_error(fx, "cannot redefine the primitive type "
				"'integer'", NULL, 3);
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
#define ADD(name, fn) g_test_add("/model/types/" name, struct test_model, \
				 NULL, setup, fn, teardown)
	ADD("misplaced", test_misplaced);
	ADD("inherited-default", test_inherited_default);
	ADD("endless-default", test_endless_default);
	ADD("data-types-version", test_data_types_version);
	return g_test_run();
}
