/* testmodel.c: the model test fixture (see testmodel.h). The normative
 * types here are a subset written for the tests from the TOSCA Simple
 * Profile: enough types, attributes and capabilities for function and
 * template tests, nothing more. Database's `name` is optional here
 * (required in the spec) because tosca-parser's examples leave it out. */
#include "testmodel.h"
#include "testlib.h"

#include <string.h>

static const char normative[] =
"tosca_definitions_version: tosca_simple_yaml_1_3\n"
"data_types:\n"
"  tosca.datatypes.Root: {}\n"
"  tosca.datatypes.Credential:\n"
"    derived_from: tosca.datatypes.Root\n"
"    properties:\n"
"      protocol: {type: string, required: false}\n"
"      token_type: {type: string, default: password}\n"
"      token: {type: string}\n"
"      keys: {type: map, required: false, entry_schema: {type: string}}\n"
"      user: {type: string, required: false}\n"
"  tosca.datatypes.network.PortDef:\n"
"    derived_from: integer\n"
"    constraints:\n"
"      - in_range: [1, 65535]\n"
"  tosca.datatypes.network.PortSpec:\n"
"    derived_from: tosca.datatypes.Root\n"
"    properties:\n"
"      protocol: {type: string, default: tcp}\n"
"      source: {type: tosca.datatypes.network.PortDef, required: false}\n"
"      target: {type: tosca.datatypes.network.PortDef, required: false}\n"
"  tosca.datatypes.network.NetworkInfo:\n"
"    derived_from: tosca.datatypes.Root\n"
"    properties:\n"
"      network_name: {type: string, required: false}\n"
"      addresses:\n"
"        type: list\n"
"        required: false\n"
"        entry_schema: {type: string}\n"
"  tosca.datatypes.network.PortInfo:\n"
"    derived_from: tosca.datatypes.Root\n"
"    properties:\n"
"      port_name: {type: string, required: false}\n"
"      addresses:\n"
"        type: list\n"
"        required: false\n"
"        entry_schema: {type: string}\n"
"capability_types:\n"
"  tosca.capabilities.Root: {}\n"
"  tosca.capabilities.Node: {derived_from: tosca.capabilities.Root}\n"
"  tosca.capabilities.Container: {derived_from: tosca.capabilities.Root}\n"
"  tosca.capabilities.Compute:\n"
"    derived_from: tosca.capabilities.Container\n"
"    properties:\n"
"      name: {type: string, required: false}\n"
"      num_cpus: {type: integer, required: false}\n"
"      disk_size: {type: scalar-unit.size, required: false}\n"
"      mem_size: {type: scalar-unit.size, required: false}\n"
"  tosca.capabilities.Endpoint:\n"
"    derived_from: tosca.capabilities.Root\n"
"    properties:\n"
"      protocol: {type: string, default: tcp}\n"
"      port: {type: tosca.datatypes.network.PortDef, required: false}\n"
"      secure: {type: boolean, default: false}\n"
"      url_path: {type: string, required: false}\n"
"      network_name: {type: string, default: PRIVATE}\n"
"      ports:\n"
"        type: map\n"
"        required: false\n"
"        entry_schema: {type: tosca.datatypes.network.PortSpec}\n"
"    attributes:\n"
"      ip_address: {type: string}\n"
"  tosca.capabilities.Endpoint.Admin:\n"
"    derived_from: tosca.capabilities.Endpoint\n"
"  tosca.capabilities.Endpoint.Database:\n"
"    derived_from: tosca.capabilities.Endpoint\n"
"  tosca.capabilities.OperatingSystem:\n"
"    derived_from: tosca.capabilities.Root\n"
"    properties:\n"
"      architecture: {type: string, required: false}\n"
"      type: {type: string, required: false}\n"
"      distribution: {type: string, required: false}\n"
"      version: {type: version, required: false}\n"
"  tosca.capabilities.Scalable:\n"
"    derived_from: tosca.capabilities.Root\n"
"    properties:\n"
"      min_instances: {type: integer, default: 1}\n"
"      max_instances: {type: integer, default: 1}\n"
"      default_instances: {type: integer, required: false}\n"
"  tosca.capabilities.network.Bindable:\n"
"    derived_from: tosca.capabilities.Node\n"
"interface_types:\n"
"  tosca.interfaces.Root: {}\n"
"  tosca.interfaces.node.lifecycle.Standard:\n"
"    derived_from: tosca.interfaces.Root\n"
"    operations: {create: {}, configure: {}, start: {}, stop: {},\n"
"                 delete: {}}\n"
"  tosca.interfaces.relationship.Configure:\n"
"    derived_from: tosca.interfaces.Root\n"
"    operations: {pre_configure_source: {}, pre_configure_target: {},\n"
"                 post_configure_source: {}, post_configure_target: {},\n"
"                 add_target: {}, add_source: {}, target_changed: {},\n"
"                 remove_target: {}}\n"
"relationship_types:\n"
"  tosca.relationships.Root:\n"
"    attributes:\n"
"      tosca_id: {type: string}\n"
"      tosca_name: {type: string}\n"
"      state: {type: string}\n"
"    interfaces:\n"
"      Configure: {type: tosca.interfaces.relationship.Configure}\n"
"  tosca.relationships.DependsOn:\n"
"    derived_from: tosca.relationships.Root\n"
"  tosca.relationships.HostedOn:\n"
"    derived_from: tosca.relationships.Root\n"
"  tosca.relationships.ConnectsTo:\n"
"    derived_from: tosca.relationships.Root\n"
"    properties:\n"
"      credential: {type: tosca.datatypes.Credential, required: false}\n"
"node_types:\n"
"  tosca.nodes.Root:\n"
"    attributes:\n"
"      tosca_id: {type: string}\n"
"      tosca_name: {type: string}\n"
"      state: {type: string}\n"
"    capabilities:\n"
"      feature: {type: tosca.capabilities.Node}\n"
"    interfaces:\n"
"      Standard: {type: tosca.interfaces.node.lifecycle.Standard}\n"
"  tosca.nodes.Compute:\n"
"    derived_from: tosca.nodes.Root\n"
"    attributes:\n"
"      private_address: {type: string}\n"
"      public_address: {type: string}\n"
"      networks:\n"
"        type: map\n"
"        entry_schema: {type: tosca.datatypes.network.NetworkInfo}\n"
"      ports:\n"
"        type: map\n"
"        entry_schema: {type: tosca.datatypes.network.PortInfo}\n"
"    capabilities:\n"
"      host: {type: tosca.capabilities.Compute}\n"
"      endpoint: {type: tosca.capabilities.Endpoint.Admin}\n"
"      os: {type: tosca.capabilities.OperatingSystem}\n"
"      scalable: {type: tosca.capabilities.Scalable}\n"
"      binding: {type: tosca.capabilities.network.Bindable}\n"
"  tosca.nodes.SoftwareComponent:\n"
"    derived_from: tosca.nodes.Root\n"
"    properties:\n"
"      component_version: {type: version, required: false}\n"
"      admin_credential:\n"
"        type: tosca.datatypes.Credential\n"
"        required: false\n"
"    requirements:\n"
"      - host:\n"
"          capability: tosca.capabilities.Compute\n"
"          node: tosca.nodes.Compute\n"
"          relationship: tosca.relationships.HostedOn\n"
"  tosca.nodes.WebServer:\n"
"    derived_from: tosca.nodes.SoftwareComponent\n"
"    capabilities:\n"
"      data_endpoint: {type: tosca.capabilities.Endpoint}\n"
"      admin_endpoint: {type: tosca.capabilities.Endpoint.Admin}\n"
"      host: {type: tosca.capabilities.Container}\n"
"  tosca.nodes.WebApplication:\n"
"    derived_from: tosca.nodes.Root\n"
"    properties:\n"
"      context_root: {type: string, required: false}\n"
"    capabilities:\n"
"      app_endpoint: {type: tosca.capabilities.Endpoint}\n"
"    requirements:\n"
"      - host:\n"
"          capability: tosca.capabilities.Container\n"
"          node: tosca.nodes.WebServer\n"
"          relationship: tosca.relationships.HostedOn\n"
"  tosca.nodes.DBMS:\n"
"    derived_from: tosca.nodes.SoftwareComponent\n"
"    properties:\n"
"      root_password: {type: string, required: false}\n"
"      port: {type: integer, required: false}\n"
"    capabilities:\n"
"      host: {type: tosca.capabilities.Container}\n"
"  tosca.nodes.Database:\n"
"    derived_from: tosca.nodes.Root\n"
"    properties:\n"
"      name: {type: string, required: false}\n"
"      user: {type: string, required: false}\n"
"      password: {type: string, required: false}\n"
"      port: {type: integer, required: false}\n"
"    capabilities:\n"
"      database_endpoint: {type: tosca.capabilities.Endpoint.Database}\n"
"    requirements:\n"
"      - host:\n"
"          capability: tosca.capabilities.Container\n"
"          node: tosca.nodes.DBMS\n"
"          relationship: tosca.relationships.HostedOn\n";

void test_model_put(struct test_model *fx, const char *name, const char *text)
{
	g_autofree char *p = g_build_filename(fx->dir, name, NULL);
	g_autofree char *d = g_path_get_dirname(p);

	g_mkdir_with_parents(d, 0700);
	g_assert_true(g_file_set_contents(p, text, -1, NULL));
}

void test_model_setup(struct test_model *fx)
{
	memset(fx, 0, sizeof(*fx));
	fx->dir = test_tmpdir();
	fx->types = g_build_filename(fx->dir, "types", NULL);
	fx->dirs[0] = fx->types;
	fx->opts.types_dirs = fx->dirs;
	bp_diags_init(&fx->diags, 100);
	test_model_put(fx, "types/tosca-simple-1.3.yaml", normative);
}

void test_model_teardown(struct test_model *fx)
{
	model_free(fx->m);
	bp_diags_release(&fx->diags);
	test_rmtree(fx->dir);
	g_free(fx->dir);
	g_free(fx->types);
}

struct model *test_model_load(struct test_model *fx, const char *path)
{
	g_autofree char *p = g_path_is_absolute(path) ? g_strdup(path) :
			     g_build_filename(fx->dir, path, NULL);
	struct dsl_service *svc;

	model_free(fx->m);
	fx->m = NULL;
	bp_diags_release(&fx->diags);
	bp_diags_init(&fx->diags, 100);
	svc = dsl_load(p, &fx->opts, &fx->diags);
	if (svc)
		fx->m = model_build(svc, &fx->diags);
	for (guint i = 0; fx->diags.errors && i < fx->diags.errors->len; i++) {
		g_autofree char *s = bp_error_format(fx->diags.errors->pdata[i]);
		g_test_message("%s", s);
	}
	return fx->m;
}

struct model *test_model_build(struct test_model *fx, const char *yaml)
{
	test_model_put(fx, "blueprint.yaml", yaml);
	return test_model_load(fx, "blueprint.yaml");
}

void test_model_ok(struct test_model *fx, const char *yaml)
{
	if (!test_model_build(fx, yaml)) {
		g_autofree char *errs = test_model_errors(fx);
		g_test_message("unexpected errors:\n%s", errs);
	}
	g_assert_nonnull(fx->m);
}

void test_model_fails(struct test_model *fx, const char *yaml,
		      const char *want, const char *path, unsigned line)
{
	g_assert_null(test_model_build(fx, yaml));
	test_model_assert_error(fx, want, path, line);
}

char *test_model_errors(const struct test_model *fx)
{
	GString *all = g_string_new(NULL);

	for (guint i = 0; fx->diags.errors && i < fx->diags.errors->len; i++) {
		g_autofree char *s = bp_error_format(fx->diags.errors->pdata[i]);
		g_string_append_printf(all, "%s\n", s);
	}
	return g_string_free(all, FALSE);
}

void test_model_assert_error(const struct test_model *fx, const char *want,
			     const char *path, unsigned line)
{
	g_autofree char *all = test_model_errors(fx);

	for (guint i = 0; fx->diags.errors && i < fx->diags.errors->len; i++) {
		const struct bp_error *e = fx->diags.errors->pdata[i];
		if (!strstr(e->message, want) ||
		    (path && g_strcmp0(e->path, path)) ||
		    (line && e->mark.line != line))
			continue;
		return;
	}
	g_test_message("wanted '%s' at %s line %u; got:\n%s", want,
		       path ? path : "any path", line, all);
	g_assert_not_reached();
}
