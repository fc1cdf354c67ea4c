/* test-plan.c: node instances and relationship instances of a model:
 * multiplication under hosts, scaling groups, all_to_all / all_to_one,
 * relationships kept within a shared host, install waves. */
#include "dsl/service.h"
#include "model/model.h"
#include "plan/plan.h"
#include "testlib.h"

#include <string.h>

static const char types[] =
	"tosca_definitions_version: cloudify_dsl_1_3\n"
	"node_types:\n"
	"  t: {}\n"
	"relationships:\n"
	"  cloudify.relationships.depends_on:\n"
	"    properties:\n"
	"      connection_type: {default: all_to_all}\n"
	"  cloudify.relationships.connected_to:\n"
	"    derived_from: cloudify.relationships.depends_on\n"
	"  cloudify.relationships.contained_in:\n"
	"    derived_from: cloudify.relationships.depends_on\n";

/* Builds a model from `types` + `body` and its plan (seed 1). */
static struct plan *plan_of(const char *body, struct model **mout)
{
	g_autofree char *dir = test_tmpdir();
	g_autofree char *path = g_build_filename(dir, "bp.yaml", NULL);
	g_autofree char *text = g_strconcat(types, body, NULL);
	struct bp_diags diags;
	struct dsl_service *svc;
	struct model *m;

	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	bp_diags_init(&diags, 20);
	svc = dsl_load(path, NULL, &diags);
	m = svc ? model_build(svc, &diags) : NULL;
	for (guint i = 0; i < diags.errors->len; i++) {
		g_autofree char *s = bp_error_format(diags.errors->pdata[i]);
		g_test_message("%s", s);
	}
	g_assert_nonnull(m);
	bp_diags_release(&diags);
	test_rmtree(dir);
	*mout = m;
	return plan_build(m, 1);
}

static unsigned count(const struct plan *p, const char *node)
{
	return plan_node_instances(p, node)->len;
}

static void test_contained_multiplied(void)
{
	struct model *m;
	struct plan *p = plan_of(
		"node_templates:\n"
		"  vm: {type: t, capabilities: {scalable: {properties: "
		"{default_instances: 3}}}}\n"
		"  app:\n"
		"    type: t\n"
		"    instances: {deploy: 2}\n"
		"    relationships:\n"
		"      - {type: cloudify.relationships.contained_in, target: vm}\n",
		&m);
	const GPtrArray *apps = plan_node_instances(p, "app");

	g_assert_cmpuint(count(p, "vm"), ==, 3);
	g_assert_cmpuint(count(p, "app"), ==, 6);
	for (guint i = 0; i < apps->len; i++) {
		const struct plan_instance *a = apps->pdata[i];
		g_assert_nonnull(a->host);
		g_assert_cmpuint(a->rels->len, ==, 1);
		g_assert_true(((struct plan_rel *)a->rels->pdata[0])->target ==
			      a->host);
		g_assert_true(g_str_has_prefix(a->id, "app_"));
		g_assert_cmpuint(strlen(a->id), ==, strlen("app_") + 6);
	}
	/* each vm hosts two apps */
	for (guint i = 0; i < count(p, "vm"); i++)
		g_assert_cmpuint(((struct plan_instance *)plan_node_instances(
			p, "vm")->pdata[i])->contained->len, ==, 2);
	plan_free(p);
	model_free(m);
}

static void test_all_to_all_and_one(void)
{
	struct model *m;
	struct plan *p = plan_of(
		"node_templates:\n"
		"  db: {type: t, instances: {deploy: 3}}\n"
		"  web:\n"
		"    type: t\n"
		"    instances: {deploy: 2}\n"
		"    relationships:\n"
		"      - {type: cloudify.relationships.connected_to, target: db}\n"
		"  lb:\n"
		"    type: t\n"
		"    instances: {deploy: 4}\n"
		"    relationships:\n"
		"      - type: cloudify.relationships.connected_to\n"
		"        target: db\n"
		"        properties: {connection_type: all_to_one}\n",
		&m);
	const GPtrArray *web = plan_node_instances(p, "web");
	const GPtrArray *lb = plan_node_instances(p, "lb");
	const struct plan_instance *one;

	for (guint i = 0; i < web->len; i++)
		g_assert_cmpuint(((struct plan_instance *)web->pdata[i])
				 ->rels->len, ==, 3);
	one = ((struct plan_rel *)((struct plan_instance *)lb->pdata[0])
	       ->rels->pdata[0])->target;
	for (guint i = 0; i < lb->len; i++) {
		const struct plan_instance *l = lb->pdata[i];
		g_assert_cmpuint(l->rels->len, ==, 1);
		g_assert_true(((struct plan_rel *)l->rels->pdata[0])->target ==
			      one);
	}
	plan_free(p);
	model_free(m);
}

static void test_shared_host_scope(void)
{
	struct model *m;
	struct plan *p = plan_of(
		"node_templates:\n"
		"  vm: {type: t, instances: {deploy: 2}}\n"
		"  db:\n"
		"    type: t\n"
		"    relationships:\n"
		"      - {type: cloudify.relationships.contained_in, target: vm}\n"
		"  app:\n"
		"    type: t\n"
		"    relationships:\n"
		"      - {type: cloudify.relationships.contained_in, target: vm}\n"
		"      - {type: cloudify.relationships.connected_to, target: db}\n",
		&m);
	const GPtrArray *apps = plan_node_instances(p, "app");

	g_assert_cmpuint(apps->len, ==, 2);
	for (guint i = 0; i < apps->len; i++) {
		const struct plan_instance *a = apps->pdata[i];
		const struct plan_instance *db;
		g_assert_cmpuint(a->rels->len, ==, 2);
		db = ((struct plan_rel *)a->rels->pdata[1])->target;
		/* the app talks to the db on its own vm only */
		g_assert_true(db->host == a->host);
	}
	plan_free(p);
	model_free(m);
}

static void test_scaling_group(void)
{
	struct model *m;
	struct plan *p = plan_of(
		"node_templates:\n"
		"  vm: {type: t}\n"
		"  ip: {type: t}\n"
		"  link:\n"
		"    type: t\n"
		"    relationships:\n"
		"      - {type: cloudify.relationships.contained_in, target: vm}\n"
		"      - {type: cloudify.relationships.connected_to, target: ip}\n"
		"groups:\n"
		"  pair: {members: [vm, ip]}\n"
		"policies:\n"
		"  scale_pair:\n"
		"    type: cloudify.policies.scaling\n"
		"    targets: [pair]\n"
		"    properties: {default_instances: 3}\n",
		&m);
	const GPtrArray *links = plan_node_instances(p, "link");

	g_assert_cmpuint(count(p, "vm"), ==, 3);
	g_assert_cmpuint(count(p, "ip"), ==, 3);
	g_assert_cmpuint(links->len, ==, 3);
	for (guint i = 0; i < links->len; i++) {
		const struct plan_instance *l = links->pdata[i];
		const struct plan_instance *ip;
		/* no relationship crosses group instances */
		g_assert_cmpuint(l->rels->len, ==, 2);
		ip = ((struct plan_rel *)l->rels->pdata[1])->target;
		g_assert_cmpint(ip->groups[0], ==, l->host->groups[0]);
	}
	plan_free(p);
	model_free(m);
}

static void test_waves(void)
{
	struct model *m;
	struct plan *p = plan_of(
		"node_templates:\n"
		"  a: {type: t}\n"
		"  b: {type: t, relationships: [{type: cloudify.relationships."
		"depends_on, target: a}]}\n"
		"  c: {type: t, relationships: [{type: cloudify.relationships."
		"depends_on, target: b}, {type: cloudify.relationships."
		"depends_on, target: a}]}\n"
		"  d: {type: t}\n",
		&m);
	g_autoptr(GPtrArray) waves = plan_waves(p);

	g_assert_cmpuint(waves->len, ==, 3);
	g_assert_cmpuint(((GPtrArray *)waves->pdata[0])->len, ==, 2); /* a, d */
	g_assert_cmpuint(((GPtrArray *)waves->pdata[1])->len, ==, 1); /* b */
	g_assert_cmpuint(((GPtrArray *)waves->pdata[2])->len, ==, 1); /* c */
	g_clear_pointer(&waves, g_ptr_array_unref);
	plan_free(p);
	model_free(m);
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
	g_test_add_func("/plan/contained-multiplied", test_contained_multiplied);
	g_test_add_func("/plan/all-to-all-and-one", test_all_to_all_and_one);
	g_test_add_func("/plan/shared-host-scope", test_shared_host_scope);
	g_test_add_func("/plan/scaling-group", test_scaling_group);
	g_test_add_func("/plan/waves", test_waves);
	return g_test_run();
}
