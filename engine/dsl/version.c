/* version.c: the tosca_definitions_version values blueprint understands and
 * what each allows. */
#include "dsl/loader.h"

#include <string.h>

#define TOSCA DSL_FEAT_DATA_TYPES | DSL_FEAT_TOSCA_FUNCS | DSL_FEAT_CFY_FUNCS
#define CFY DSL_FEAT_CFY_FUNCS | DSL_FEAT_REQUIRED_OP_INPUTS | \
	DSL_FEAT_CFY_OPS | DSL_FEAT_ONE_CONTAINER | DSL_FEAT_NESTED_GET_INPUT

static const struct dsl_version versions[] = {
	{ "tosca_simple_yaml_1_0", DSL_DIALECT_TOSCA, 0, TOSCA },
	{ "tosca_simple_yaml_1_1", DSL_DIALECT_TOSCA, 1, TOSCA },
	{ "tosca_simple_yaml_1_2", DSL_DIALECT_TOSCA, 2, TOSCA },
	{ "tosca_simple_yaml_1_3", DSL_DIALECT_TOSCA, 3,
	  TOSCA | DSL_FEAT_NESTED_GET_INPUT },
	{ "cloudify_dsl_1_0", DSL_DIALECT_CLOUDIFY, 0, CFY },
	{ "cloudify_dsl_1_1", DSL_DIALECT_CLOUDIFY, 1, CFY },
	{ "cloudify_dsl_1_2", DSL_DIALECT_CLOUDIFY, 2, CFY | DSL_FEAT_DATA_TYPES },
	{ "cloudify_dsl_1_3", DSL_DIALECT_CLOUDIFY, 3,
	  CFY | DSL_FEAT_DATA_TYPES | DSL_FEAT_MERGE_FUNC },
	{ "cloudify_dsl_1_4", DSL_DIALECT_CLOUDIFY, 4,
	  CFY | DSL_FEAT_DATA_TYPES | DSL_FEAT_MERGE_FUNC },
	{ "cloudify_dsl_1_5", DSL_DIALECT_CLOUDIFY, 5,
	  CFY | DSL_FEAT_DATA_TYPES | DSL_FEAT_MERGE_FUNC },
};

const struct dsl_version *dsl__version_find(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(versions); i++)
		if (name && strcmp(versions[i].name, name) == 0)
			return &versions[i];
	return NULL;
}

char *dsl__version_list(void)
{
	GString *s = g_string_new(NULL);

	for (size_t i = 0; i < G_N_ELEMENTS(versions); i++)
		g_string_append_printf(s, "%s'%s'", i ? ", " : "",
				       versions[i].name);
	return g_string_free(s, FALSE);
}
