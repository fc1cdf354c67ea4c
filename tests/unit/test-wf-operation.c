/* test-wf-operation.c: execute_operation: the chosen instances (all, by
 * node, by id), INTERFACE.OP and OP looked up in every interface, the
 * parameters on every step, dependency order (through instances without
 * the operation) or none, and the errors; and parameters parsed from
 * KEY=VALUE. */
#include "plantest.h"
#include "testlib.h"

#include <jansson.h>

static const char topology[] = PLANTEST_CLOUDIFY PLANTEST_TYPES
	"node_templates:\n"
	"  a:\n"
	"    type: full\n"
	"    interfaces:\n"
	"      maint: {backup: script.op, twice: script.op}\n"
	"      other: {twice: script.op}\n"
	"  b:\n"
	"    type: bare\n"
	"    relationships: [{type: linked, target: a}]\n"
	"  c:\n"
	"    type: full\n"
	"    instances: {deploy: 2}\n"
	"    interfaces:\n"
	"      maint: {backup: script.op}\n"
	"    relationships: [{type: linked, target: b}]\n";

struct fx {
	struct model *m;
	struct plan *p;
	struct wf_graph *g;
	struct plan_instance *a, *b, *c0, *c1;
};

static void setup(struct fx *fx, gconstpointer data)
{
	fx->m = plantest_model(topology);
	fx->p = plan_build(fx->m, 23);
	fx->a = plantest_inst(fx->p, "a", 0);
	fx->b = plantest_inst(fx->p, "b", 0);
	fx->c0 = plantest_inst(fx->p, "c", 0);
	fx->c1 = plantest_inst(fx->p, "c", 1);
}

static void teardown(struct fx *fx, gconstpointer data)
{
	wf_graph_free(fx->g);
	plan_free(fx->p);
	model_free(fx->m);
}

static void run(struct fx *fx, const struct wf_op_request *req)
{
	g_autoptr(bp_error) err = NULL;

	wf_graph_free(fx->g);
	fx->g = NULL;
	g_assert_true(wf_execute_operation(fx->p, req, &fx->g, &err));
	g_assert_null(err);
	g_assert_cmpstr(fx->g->name, ==, "execute_operation");
	wftest_check(fx->g);
}

static void fails(struct fx *fx, const struct wf_op_request *req,
		  enum bp_error_code code, const char *message)
{
	g_autoptr(bp_error) err = NULL;
	struct wf_graph *g = NULL;

	g_assert_false(wf_execute_operation(fx->p, req, &g, &err));
	g_assert_null(g);
	g_assert_cmpint(err->code, ==, code);
	g_assert_cmpstr(err->message, ==, message);
}

static void test_all_at_once(struct fx *fx, gconstpointer data)
{
	struct wf_op_request req = { .operation = "maint.backup" };
	g_autoptr(GHashTable) params = wf_params_new();
	struct wf_step *s;

	g_assert_true(wf_params_add(params, "level=3", NULL));
	req.params = params;
	run(fx, &req);
	/* b's node has no maint interface: no step */
	g_assert_cmpuint(fx->g->steps->len, ==, 3);
	g_assert_cmpuint(fx->g->edges->len, ==, 0);
	s = wftest_step(fx->g, "%s/maint.backup", fx->c1->id);
	g_assert_cmpint(s->kind, ==, WF_OPERATION);
	g_assert_null(s->state_start);
	g_assert_null(s->state_done);
	g_assert_true(s->params == params);
	g_assert_cmpint(json_integer_value(g_hash_table_lookup(s->params,
							       "level")), ==, 3);
}

static void test_dependency_order(struct fx *fx, gconstpointer data)
{
	struct wf_op_request req = { .operation = "backup",
				     .dependency_order = true };
	struct wf_step *a, *c0, *c1;

	run(fx, &req);
	a = wftest_step(fx->g, "%s/maint.backup", fx->a->id);
	c0 = wftest_step(fx->g, "%s/maint.backup", fx->c0->id);
	c1 = wftest_step(fx->g, "%s/maint.backup", fx->c1->id);
	/* c -> b -> a: c waits for a through b, which has no step */
	g_assert_true(wftest_before(fx->g, a, c0));
	g_assert_true(wftest_before(fx->g, a, c1));
	g_assert_true(wftest_concurrent(fx->g, c0, c1));
	g_assert_cmpuint(fx->g->edges->len, ==, 2);
}

static void test_chosen(struct fx *fx, gconstpointer data)
{
	const char *nodes[] = { "a", NULL };
	const char *ids[] = { fx->c1->id, NULL };
	struct wf_op_request req = { .operation = "cloudify.interfaces."
				     "lifecycle.start", .node_ids = nodes,
				     .instance_ids = ids };

	run(fx, &req);
	g_assert_cmpuint(fx->g->steps->len, ==, 2);
	wftest_op(fx->g, fx->a, "start");
	wftest_op(fx->g, fx->c1, "start");
	g_assert_null(wftest_find(fx->g, "%s/cloudify.interfaces.lifecycle."
				  "start", fx->c0->id));
	/* declared without an implementation: a step-less success */
	nodes[0] = "b";
	req.instance_ids = NULL;
	run(fx, &req);
	g_assert_cmpuint(fx->g->steps->len, ==, 0);
}

static void test_errors(struct fx *fx, gconstpointer data)
{
	const char *nodes[] = { "nosuch", NULL };
	const char *ids[] = { "c_zzzzzz", NULL };
	struct wf_op_request req = { .operation = "maint.backup",
				     .node_ids = nodes };

	fails(fx, &req, BP_ERR_NOT_FOUND, "no node 'nosuch'");
	req.node_ids = NULL;
	req.instance_ids = ids;
	fails(fx, &req, BP_ERR_NOT_FOUND, "no node instance 'c_zzzzzz'");
	nodes[0] = "b";
	req.node_ids = nodes;
	req.instance_ids = NULL;
	fails(fx, &req, BP_ERR_NOT_FOUND, "node 'b' has no operation "
	      "'maint.backup'");
	req.node_ids = NULL;
	req.operation = "maint.restore";
	fails(fx, &req, BP_ERR_NOT_FOUND, "no node has operation "
	      "'maint.restore'");
	req.operation = "twice";
	fails(fx, &req, BP_ERR_INVALID, "operation 'twice' of node 'a' is "
	      "implemented in several interfaces; name one as "
	      "INTERFACE.OPERATION");
	req.operation = "other.twice";
	run(fx, &req);
	g_assert_cmpuint(fx->g->steps->len, ==, 1);
}

static void test_params(void)
{
	g_autoptr(GHashTable) params = wf_params_new();
	g_autoptr(bp_error) err = NULL;
	json_t *v;

	g_assert_true(wf_params_add(params, "n=42", NULL));
	g_assert_true(wf_params_add(params, "flag=true", NULL));
	g_assert_true(wf_params_add(params, "list=[1, 2]", NULL));
	g_assert_true(wf_params_add(params, "name=web server", NULL));
	g_assert_true(wf_params_add(params, "quoted=\"7\"", NULL));
	g_assert_true(wf_params_add(params, "empty=", NULL));
	g_assert_true(wf_params_add(params, "eq=a=b", NULL));
	g_assert_true(wf_params_add(params, "yes=yes", NULL));
	g_assert_true(wf_params_add(params, "ratio=0.5", NULL));
	g_assert_true(wf_params_add(params, "nothing=~", NULL));
	g_assert_true(wf_params_add(params, "map={a: 1}", NULL));
	g_assert_true(wf_params_add(params, "note=note: hi", NULL));
	g_assert_cmpint(json_integer_value(g_hash_table_lookup(params, "n")),
			==, 42);
	g_assert_true(json_is_true((json_t *)g_hash_table_lookup(params,
							      "flag")));
	g_assert_cmpuint(json_array_size(g_hash_table_lookup(params, "list")),
			 ==, 2);
	g_assert_cmpstr(json_string_value(g_hash_table_lookup(params, "name")),
			==, "web server");
	v = g_hash_table_lookup(params, "quoted");
	g_assert_cmpstr(json_string_value(v), ==, "7");
	g_assert_cmpstr(json_string_value(g_hash_table_lookup(params, "empty")),
			==, "");
	g_assert_cmpstr(json_string_value(g_hash_table_lookup(params, "eq")),
			==, "a=b");
	g_assert_true(json_is_true((json_t *)g_hash_table_lookup(params,
							      "yes")));
	g_assert_cmpfloat(json_real_value(g_hash_table_lookup(params, "ratio")),
			  ==, 0.5);
	g_assert_true(json_is_null((json_t *)g_hash_table_lookup(params,
							      "nothing")));
	g_assert_cmpint(json_integer_value(json_object_get(
		g_hash_table_lookup(params, "map"), "a")), ==, 1);
	g_assert_cmpstr(json_string_value(g_hash_table_lookup(params, "note")),
			==, "note: hi");
	g_assert_false(wf_params_add(params, "=1", &err));
	g_assert_cmpint(err->code, ==, BP_ERR_USAGE);
	g_assert_cmpstr(err->message, ==, "expected KEY=VALUE for a parameter, "
			"found '=1'");
	bp_error_clear(&err);
	g_assert_false(wf_params_add(params, "novalue", &err));
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
#define ADD(path, fn) \
	g_test_add("/wf/operation/" path, struct fx, NULL, setup, fn, teardown)
	ADD("all-at-once", test_all_at_once);
	ADD("dependency-order", test_dependency_order);
	ADD("chosen", test_chosen);
	ADD("errors", test_errors);
	g_test_add_func("/wf/operation/params", test_params);
	return g_test_run();
}
