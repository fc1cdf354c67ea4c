/* test-wf-install.c: the install graph: the per-instance lifecycle chain
 * and its states, relationship operations on both sides between the
 * configure steps, ordering along chains, diamonds and containment,
 * steps skipped by saved states, depends_on_lifecycle_operation waiting
 * for one operation, TOSCA's interfaces, a subset of instances. */
#include "plantest.h"
#include "testlib.h"

#include <string.h>

struct fx {
	struct model *m;
	struct plan *p;
	struct wf_graph *g;
};

static void fx_build(struct fx *fx, const char *text)
{
	fx->m = plantest_model(text);
	fx->p = plan_build(fx->m, 11);
}

static void fx_install(struct fx *fx, const GPtrArray *subset,
		       const struct wf_state_lookup *states)
{
	g_autoptr(bp_error) err = NULL;

	wf_graph_free(fx->g);
	g_assert_true(wf_install(fx->p, subset, states, &fx->g, &err));
	g_assert_null(err);
	g_assert_cmpstr(fx->g->name, ==, "install");
	wftest_check(fx->g);
}

static void teardown(struct fx *fx, gconstpointer data)
{
	wf_graph_free(fx->g);
	plan_free(fx->p);
	model_free(fx->m);
}

static struct plan_instance *inst(struct fx *fx, const char *node)
{
	return plantest_inst(fx->p, node, 0);
}

static void test_one_full(struct fx *fx, gconstpointer data)
{
	static const char *const ops[] = { "precreate", "create", "configure",
		"start", "poststart", NULL };
	struct plan_instance *a;
	struct wf_step *s;

	fx_build(fx, PLANTEST_CLOUDIFY PLANTEST_TYPES
		 "node_templates:\n  a: {type: full}\n");
	fx_install(fx, NULL, NULL);
	a = inst(fx, "a");
	g_assert_cmpuint(fx->g->steps->len, ==, 5);
	for (size_t k = 1; ops[k]; k++)
		g_assert_true(wftest_before(fx->g, wftest_op(fx->g, a, ops[k - 1]),
					    wftest_op(fx->g, a, ops[k])));
	/* the states ride on the operations */
	s = wftest_op(fx->g, a, "precreate");
	g_assert_cmpstr(s->state_start, ==, "creating");
	g_assert_null(s->state_done);
	s = wftest_op(fx->g, a, "create");
	g_assert_null(s->state_start);
	g_assert_cmpstr(s->state_done, ==, "created");
	s = wftest_op(fx->g, a, "configure");
	g_assert_cmpstr(s->state_start, ==, "configuring");
	g_assert_cmpstr(s->state_done, ==, "configured");
	g_assert_cmpstr(wftest_op(fx->g, a, "start")->state_start, ==,
			"starting");
	s = wftest_op(fx->g, a, "poststart");
	g_assert_cmpstr(s->state_done, ==, "started");
	g_assert_cmpint(s->kind, ==, WF_OPERATION);
	g_assert_true(s->instance == a);
	g_assert_cmpstr(s->interface, ==, "cloudify.interfaces.lifecycle");
	g_assert_cmpstr(s->operation, ==, "poststart");
	g_assert_cmpstr(s->op->implementation, ==, "script.op");
	g_assert_null(s->params);
}

static void test_one_bare(struct fx *fx, gconstpointer data)
{
	struct plan_instance *a;
	struct wf_step *created, *configured, *started;

	fx_build(fx, PLANTEST_CLOUDIFY PLANTEST_TYPES
		 "node_templates:\n  a: {type: bare}\n");
	fx_install(fx, NULL, NULL);
	a = inst(fx, "a");
	/* no operation: the states alone, still in order */
	g_assert_cmpuint(fx->g->steps->len, ==, 3);
	created = wftest_state(fx->g, a, "created");
	configured = wftest_state(fx->g, a, "configured");
	started = wftest_state(fx->g, a, "started");
	g_assert_cmpint(created->kind, ==, WF_STATE);
	g_assert_cmpstr(created->state_start, ==, "creating");
	g_assert_cmpstr(configured->state_start, ==, "configuring");
	g_assert_cmpstr(started->state_start, ==, "starting");
	g_assert_true(wftest_before(fx->g, created, configured));
	g_assert_true(wftest_before(fx->g, configured, started));
}

static const char chain[] = PLANTEST_CLOUDIFY PLANTEST_TYPES
	"node_templates:\n"
	"  a: {type: full}\n"
	"  b:\n"
	"    type: full\n"
	"    relationships: [{type: linked, target: a}]\n"
	"  c:\n"
	"    type: full\n"
	"    relationships: [{type: linked, target: b}]\n";

static void test_chain(struct fx *fx, gconstpointer data)
{
	struct plan_instance *a, *b, *c;
	struct wf_step *pre_s, *pre_t, *post_s, *post_t, *est_s, *est_t;
	struct wf_step *started;

	fx_build(fx, chain);
	fx_install(fx, NULL, NULL);
	a = inst(fx, "a");
	b = inst(fx, "b");
	c = inst(fx, "c");
	/* 5 node ops each; 2 relationships x 3 points x 2 sides; b and c
	 * end with a state step after their establish steps */
	g_assert_cmpuint(fx->g->steps->len, ==, 15 + 12 + 2);
	g_assert_cmpuint(wftest_count(fx->g, "preconfigure"), ==, 4);
	/* b starts once a is started */
	g_assert_true(wftest_before(fx->g, wftest_op(fx->g, a, "poststart"),
				    wftest_op(fx->g, b, "precreate")));
	g_assert_true(wftest_before(fx->g, wftest_state(fx->g, b, "started"),
				    wftest_op(fx->g, c, "precreate")));
	g_assert_false(wftest_before(fx->g, wftest_op(fx->g, c, "precreate"),
				     wftest_op(fx->g, a, "poststart")));
	/* relationship operations: both sides at once, between b's steps */
	pre_s = wftest_relop(fx->g, b, a, "source", "preconfigure");
	pre_t = wftest_relop(fx->g, b, a, "target", "preconfigure");
	g_assert_true(pre_s->instance == b);
	g_assert_true(pre_t->instance == a);
	g_assert_cmpint(pre_t->kind, ==, WF_REL_OPERATION);
	g_assert_cmpint(pre_t->side, ==, WF_TARGET);
	g_assert_true(pre_t->rel == plantest_rel(b, a));
	g_assert_true(wftest_concurrent(fx->g, pre_s, pre_t));
	g_assert_true(wftest_before(fx->g, wftest_op(fx->g, b, "create"),
				    pre_t));
	g_assert_true(wftest_before(fx->g, pre_t,
				    wftest_op(fx->g, b, "configure")));
	post_s = wftest_relop(fx->g, b, a, "source", "postconfigure");
	post_t = wftest_relop(fx->g, b, a, "target", "postconfigure");
	g_assert_true(wftest_concurrent(fx->g, post_s, post_t));
	g_assert_true(wftest_before(fx->g, wftest_op(fx->g, b, "configure"),
				    post_s));
	g_assert_true(wftest_before(fx->g, post_t,
				    wftest_op(fx->g, b, "start")));
	est_s = wftest_relop(fx->g, b, a, "source", "establish");
	est_t = wftest_relop(fx->g, b, a, "target", "establish");
	started = wftest_state(fx->g, b, "started");
	g_assert_true(wftest_concurrent(fx->g, est_s, est_t));
	g_assert_true(wftest_before(fx->g, wftest_op(fx->g, b, "poststart"),
				    est_t));
	g_assert_true(wftest_before(fx->g, est_s, started));
	g_assert_true(wftest_before(fx->g, est_t, started));
	g_assert_null(wftest_op(fx->g, b, "poststart")->state_done);
	g_assert_cmpstr(wftest_op(fx->g, a, "poststart")->state_done, ==,
			"started");
}

static void test_diamond(struct fx *fx, gconstpointer data)
{
	struct plan_instance *a, *b, *c, *d;

	fx_build(fx, PLANTEST_CLOUDIFY PLANTEST_TYPES
		 "node_templates:\n"
		 "  a: {type: full}\n"
		 "  b: {type: full, relationships: [{type: cloudify."
		 "relationships.depends_on, target: a}]}\n"
		 "  c: {type: full, relationships: [{type: cloudify."
		 "relationships.depends_on, target: a}]}\n"
		 "  d:\n"
		 "    type: full\n"
		 "    relationships:\n"
		 "      - {type: cloudify.relationships.depends_on, target: b}\n"
		 "      - {type: cloudify.relationships.depends_on, target: c}\n");
	fx_install(fx, NULL, NULL);
	a = inst(fx, "a");
	b = inst(fx, "b");
	c = inst(fx, "c");
	d = inst(fx, "d");
	/* no relationship operations on depends_on */
	g_assert_cmpuint(fx->g->steps->len, ==, 20);
	g_assert_true(wftest_concurrent(fx->g, wftest_op(fx->g, b, "create"),
					wftest_op(fx->g, c, "create")));
	g_assert_true(wftest_before(fx->g, wftest_op(fx->g, a, "poststart"),
				    wftest_op(fx->g, b, "precreate")));
	g_assert_true(wftest_before(fx->g, wftest_op(fx->g, b, "poststart"),
				    wftest_op(fx->g, d, "precreate")));
	g_assert_true(wftest_before(fx->g, wftest_op(fx->g, c, "poststart"),
				    wftest_op(fx->g, d, "precreate")));
}

static void test_containment(struct fx *fx, gconstpointer data)
{
	const GPtrArray *apps;

	fx_build(fx, PLANTEST_CLOUDIFY PLANTEST_TYPES
		 "node_templates:\n"
		 "  vm: {type: full, instances: {deploy: 2}}\n"
		 "  app:\n"
		 "    type: full\n"
		 "    relationships:\n"
		 "      - {type: cloudify.relationships.contained_in, "
		 "target: vm}\n");
	fx_install(fx, NULL, NULL);
	apps = plan_node_instances(fx->p, "app");
	g_assert_cmpuint(apps->len, ==, 2);
	for (guint i = 0; i < apps->len; i++) {
		struct plan_instance *app = apps->pdata[i];
		struct plan_instance *other = ((struct plan_instance *)
			apps->pdata[1 - i])->host;
		g_assert_true(wftest_before(fx->g,
			wftest_op(fx->g, app->host, "poststart"),
			wftest_op(fx->g, app, "precreate")));
		/* an app waits for its own vm only */
		g_assert_true(wftest_concurrent(fx->g,
			wftest_op(fx->g, other, "poststart"),
			wftest_op(fx->g, app, "precreate")));
	}
}

static const char *saved(const struct plan_instance *i, void *data)
{
	return g_hash_table_lookup(data, i->node->name);
}

static void test_skip_states(struct fx *fx, gconstpointer data)
{
	g_autoptr(GHashTable) states = g_hash_table_new(g_str_hash,
							g_str_equal);
	struct wf_state_lookup lookup = { saved, states };
	struct plan_instance *a, *b, *c;
	struct wf_step *post;

	fx_build(fx, chain);
	a = inst(fx, "a");
	b = inst(fx, "b");
	c = inst(fx, "c");
	g_hash_table_insert(states, (gpointer)"a", (gpointer)"started");
	g_hash_table_insert(states, (gpointer)"b", (gpointer)"configured");
	g_hash_table_insert(states, (gpointer)"c", (gpointer)"creating");
	fx_install(fx, NULL, &lookup);
	/* a: nothing; b: postconfigure and the start phase; c: all */
	g_assert_null(wftest_find(fx->g, "%s/cloudify.interfaces.lifecycle."
				  "poststart", a->id));
	g_assert_null(wftest_find(fx->g, "%s/cloudify.interfaces.lifecycle."
				  "configure", b->id));
	g_assert_null(wftest_find(fx->g, "%s->%s#0/source/cloudify.interfaces."
				  "relationship_lifecycle.preconfigure",
				  b->id, a->id));
	post = wftest_relop(fx->g, b, a, "source", "postconfigure");
	g_assert_true(wftest_before(fx->g, post, wftest_op(fx->g, b, "start")));
	g_assert_true(wftest_before(fx->g, wftest_state(fx->g, b, "started"),
				    wftest_op(fx->g, c, "precreate")));
	/* b's first steps wait for nothing: a is done */
	for (guint e = 0; e < fx->g->edges->len; e++)
		g_assert_cmpuint(g_array_index(fx->g->edges, struct wf_edge, e)
				 .after, !=, post->index);
	g_assert_cmpuint(fx->g->steps->len, ==, (2 + 2 + 2 + 1) + (5 + 6 + 1));
	/* every instance done: an empty graph */
	g_hash_table_insert(states, (gpointer)"b", (gpointer)"started");
	g_hash_table_insert(states, (gpointer)"c", (gpointer)"started");
	fx_install(fx, NULL, &lookup);
	g_assert_cmpuint(fx->g->steps->len, ==, 0);
}

static void test_lifecycle_operation(struct fx *fx, gconstpointer data)
{
	struct plan_instance *t, *s;

	fx_build(fx, PLANTEST_CLOUDIFY PLANTEST_TYPES
		 "node_templates:\n"
		 "  t: {type: full}\n"
		 "  s:\n"
		 "    type: full\n"
		 "    relationships:\n"
		 "      - type: cloudify.relationships."
		 "depends_on_lifecycle_operation\n"
		 "        target: t\n"
		 "        properties: {operation: configure}\n");
	fx_install(fx, NULL, NULL);
	t = inst(fx, "t");
	s = inst(fx, "s");
	g_assert_true(wftest_before(fx->g, wftest_op(fx->g, t, "configure"),
				    wftest_op(fx->g, s, "precreate")));
	g_assert_true(wftest_concurrent(fx->g, wftest_op(fx->g, t, "start"),
					wftest_op(fx->g, s, "precreate")));
	/* once t is configured, s waits for nothing */
	{
		g_autoptr(GHashTable) states = g_hash_table_new(g_str_hash,
								g_str_equal);
		struct wf_state_lookup lookup = { saved, states };
		g_hash_table_insert(states, (gpointer)"t", (gpointer)"configured");
		fx_install(fx, NULL, &lookup);
		g_assert_true(wftest_concurrent(fx->g,
			wftest_op(fx->g, t, "start"),
			wftest_op(fx->g, s, "precreate")));
	}
}

static void test_tosca(struct fx *fx, gconstpointer data)
{
	struct plan_instance *db, *app;
	struct wf_step *pre_s, *pre_t, *add_t, *add_s, *cfg;

	fx_build(fx,
		 "tosca_definitions_version: tosca_simple_yaml_1_3\n"
		 "relationship_types:\n"
		 "  Uses:\n"
		 "    derived_from: tosca.relationships.ConnectsTo\n"
		 "    interfaces:\n"
		 "      Configure:\n"
		 "        pre_configure_source: pre_s.sh\n"
		 "        pre_configure_target: pre_t.sh\n"
		 "        add_target: add_t.sh\n"
		 "        add_source: add_s.sh\n"
		 "topology_template:\n"
		 "  node_templates:\n"
		 "    db:\n"
		 "      type: tosca.nodes.Root\n"
		 "      interfaces:\n"
		 "        Standard: {create: c.sh, configure: f.sh, "
		 "start: s.sh}\n"
		 "    app:\n"
		 "      type: tosca.nodes.Root\n"
		 "      interfaces:\n"
		 "        Standard: {create: c.sh, configure: f.sh}\n"
		 "      requirements:\n"
		 "        - dependency: {node: db, relationship: Uses}\n");
	fx_install(fx, NULL, NULL);
	db = inst(fx, "db");
	app = inst(fx, "app");
	cfg = wftest_step(fx->g, "%s/Standard.configure", app->id);
	g_assert_cmpstr(cfg->state_start, ==, "configuring");
	g_assert_true(wftest_before(fx->g, wftest_step(fx->g, "%s/Standard."
				    "start", db->id),
				    wftest_step(fx->g, "%s/Standard.create",
						app->id)));
	pre_s = wftest_step(fx->g, "%s->%s#0/source/Configure."
			    "pre_configure_source", app->id, db->id);
	pre_t = wftest_step(fx->g, "%s->%s#0/target/Configure."
			    "pre_configure_target", app->id, db->id);
	g_assert_true(pre_t->instance == db);
	g_assert_true(wftest_concurrent(fx->g, pre_s, pre_t));
	g_assert_true(wftest_before(fx->g, pre_t, cfg));
	add_t = wftest_step(fx->g, "%s->%s#0/source/Configure.add_target",
			    app->id, db->id);
	add_s = wftest_step(fx->g, "%s->%s#0/target/Configure.add_source",
			    app->id, db->id);
	g_assert_true(add_t->instance == app);
	g_assert_true(add_s->instance == db);
	g_assert_true(wftest_before(fx->g, cfg, add_t));
	/* app has no start: starting is recorded on app before establish */
	g_assert_true(wftest_before(fx->g, wftest_state(fx->g, app, "starting"),
				    add_s));
	g_assert_true(wftest_before(fx->g, add_s,
				    wftest_state(fx->g, app, "started")));
}

static void test_subset(struct fx *fx, gconstpointer data)
{
	g_autoptr(GPtrArray) only = g_ptr_array_new();
	g_autoptr(bp_error) err = NULL;
	struct plan_instance stranger = { .id = (char *)"b_zzzzzz" };

	fx_build(fx, chain);
	g_ptr_array_add(only, inst(fx, "b"));
	fx_install(fx, only, NULL);
	/* b's own 5 operations, its relationship's 6 and the started state */
	g_assert_cmpuint(fx->g->steps->len, ==, 12);
	g_ptr_array_add(only, &stranger);
	wf_graph_free(fx->g);
	g_assert_false(wf_install(fx->p, only, NULL, &fx->g, &err));
	g_assert_null(fx->g);
	g_assert_cmpstr(err->message, ==, "node instance 'b_zzzzzz' is not in "
			"the deployment");
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
#define ADD(path, fn) \
	g_test_add("/wf/install/" path, struct fx, NULL, NULL, fn, teardown)
	ADD("one-full", test_one_full);
	ADD("one-bare", test_one_bare);
	ADD("chain", test_chain);
	ADD("diamond", test_diamond);
	ADD("containment", test_containment);
	ADD("skip-states", test_skip_states);
	ADD("lifecycle-operation", test_lifecycle_operation);
	ADD("tosca", test_tosca);
	ADD("subset", test_subset);
	return g_test_run();
}
