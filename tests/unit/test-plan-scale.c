/* test-plan-scale.c: plan_scale(): instances and relationship instances
 * added and removed, named and newest-first removal with the contained
 * subtree, min/max errors, scaling groups without crossing group
 * instances, all_to_one targets kept, and the plan's lists kept in step. */
#include "plantest.h"
#include "testlib.h"

#include <string.h>

static const char topology[] = PLANTEST_CLOUDIFY
	"node_types:\n"
	"  n: {derived_from: cloudify.nodes.Root}\n"
	"node_templates:\n"
	"  vm:\n"
	"    type: n\n"
	"    capabilities: {scalable: {properties: {default_instances: 2, "
	"max_instances: 4}}}\n"
	"  db:\n"
	"    type: n\n"
	"    capabilities: {scalable: {properties: {default_instances: 2, "
	"min_instances: 1}}}\n"
	"  app:\n"
	"    type: n\n"
	"    relationships:\n"
	"      - {type: cloudify.relationships.contained_in, target: vm}\n"
	"      - {type: cloudify.relationships.connected_to, target: db}\n"
	"  lb:\n"
	"    type: n\n"
	"    relationships:\n"
	"      - {type: cloudify.relationships.connected_to, target: app}\n"
	"  mon:\n"
	"    type: n\n"
	"    relationships:\n"
	"      - type: cloudify.relationships.connected_to\n"
	"        target: db\n"
	"        properties: {connection_type: all_to_one}\n";

struct fx {
	struct model *m;
	struct plan *p;
	struct plan_modification mod;
};

static void setup(struct fx *fx, gconstpointer text)
{
	fx->m = plantest_model(text);
	fx->p = plan_build(fx->m, 7);
	plan_modification_init(&fx->mod);
}

static void teardown(struct fx *fx, gconstpointer text)
{
	plan_modification_release(&fx->mod);
	plan_free(fx->p);
	model_free(fx->m);
}

static guint count(const struct plan *p, const char *node)
{
	return plan_node_instances(p, node)->len;
}

/* Relationship instances in `rels` whose source is an instance of `s`. */
static guint from_node(const GPtrArray *rels, const char *s)
{
	guint c = 0;

	for (guint i = 0; i < rels->len; i++)
		c += !strcmp(((struct plan_rel *)rels->pdata[i])->source->node
			     ->name, s);
	return c;
}

/* Scales, expecting success; the plan stays consistent. */
static void scale(struct fx *fx, const char *what, int delta,
		  const char *const *ids)
{
	g_autoptr(bp_error) err = NULL;

	plan_modification_release(&fx->mod);
	g_assert_true(plan_scale(fx->p, what, delta, ids, &fx->mod, &err));
	g_assert_null(err);
	plantest_check_plan(fx->p);
}

/* Scales, expecting an error with that code and message; nothing
 * changes. */
static void scale_fails(struct fx *fx, const char *what, int delta,
			const char *const *ids, enum bp_error_code code,
			const char *message)
{
	g_autoptr(bp_error) err = NULL;
	guint n = fx->p->instances->len;

	plan_modification_release(&fx->mod);
	g_assert_false(plan_scale(fx->p, what, delta, ids, &fx->mod, &err));
	g_assert_nonnull(err);
	g_assert_cmpint(err->code, ==, code);
	g_assert_cmpstr(err->message, ==, message);
	g_assert_cmpuint(fx->p->instances->len, ==, n);
	g_assert_cmpuint(fx->mod.added->len + fx->mod.removed->len, ==, 0);
	plantest_check_plan(fx->p);
}

static void test_out_subtree(struct fx *fx, gconstpointer text)
{
	struct plan_instance *vm, *app;
	struct plan_instance *lb = plantest_inst(fx->p, "lb", 0);

	g_assert_cmpuint(lb->rels->len, ==, 2);
	scale(fx, "vm", 1, NULL);
	/* the vm and the app it contains */
	g_assert_cmpuint(fx->mod.added->len, ==, 2);
	vm = fx->mod.added->pdata[0];
	app = fx->mod.added->pdata[1];
	g_assert_cmpstr(vm->node->name, ==, "vm");
	g_assert_true(app->host == vm);
	g_assert_cmpuint(count(fx->p, "vm"), ==, 3);
	g_assert_cmpuint(count(fx->p, "app"), ==, 3);
	/* app: contained_in + two dbs; lb (existing) gains the new app */
	g_assert_cmpuint(app->rels->len, ==, 3);
	g_assert_cmpuint(fx->mod.added_rels->len, ==, 4);
	g_assert_cmpuint(from_node(fx->mod.added_rels, "lb"), ==, 1);
	g_assert_cmpuint(lb->rels->len, ==, 3);
	g_assert_true(plantest_rel(lb, app)->target == app);
	g_assert_cmpuint(fx->mod.removed->len, ==, 0);
	g_assert_true(vm->seq > plantest_inst(fx->p, "mon", 0)->seq);
}

static void test_out_target(struct fx *fx, gconstpointer text)
{
	struct plan_instance *mon = plantest_inst(fx->p, "mon", 0);
	struct plan_instance *kept = ((struct plan_rel *)mon->rels->pdata[0])
		->target;

	scale(fx, "db", 1, NULL);
	g_assert_cmpuint(fx->mod.added->len, ==, 1);
	/* both existing apps gain the new db; mon keeps its one db */
	g_assert_cmpuint(fx->mod.added_rels->len, ==, 2);
	g_assert_cmpuint(from_node(fx->mod.added_rels, "app"), ==, 2);
	g_assert_cmpuint(plantest_inst(fx->p, "app", 0)->rels->len, ==, 4);
	g_assert_cmpuint(mon->rels->len, ==, 1);
	g_assert_true(((struct plan_rel *)mon->rels->pdata[0])->target == kept);
	/* the new relationship sits after contained_in in the app's list */
	g_assert_true(((struct plan_rel *)plantest_inst(fx->p, "app", 0)
		       ->rels->pdata[3])->target == fx->mod.added->pdata[0]);
}

static void test_in_newest(struct fx *fx, gconstpointer text)
{
	struct plan_instance *old = plantest_inst(fx->p, "vm", 0);
	struct plan_instance *newest = plantest_inst(fx->p, "vm", 1);
	struct plan_instance *lb = plantest_inst(fx->p, "lb", 0);
	struct plan_instance *gone_app = newest->contained->pdata[0];
	g_autofree char *gone = g_strdup(newest->id);

	scale(fx, "vm", -1, NULL);
	g_assert_cmpuint(count(fx->p, "vm"), ==, 1);
	g_assert_true(plantest_inst(fx->p, "vm", 0) == old);
	g_assert_null(plan_instance_find(fx->p, gone));
	/* the vm with its app, hosts first */
	g_assert_cmpuint(fx->mod.removed->len, ==, 2);
	g_assert_true(fx->mod.removed->pdata[0] == newest);
	g_assert_true(fx->mod.removed->pdata[1] == gone_app);
	/* app's contained_in and two dbs, and lb's relationship to it */
	g_assert_cmpuint(fx->mod.removed_rels->len, ==, 4);
	g_assert_cmpuint(from_node(fx->mod.removed_rels, "lb"), ==, 1);
	g_assert_cmpuint(lb->rels->len, ==, 1);
	g_assert_cmpuint(plantest_inst(fx->p, "db", 0)->incoming->len, ==, 2);
	g_assert_cmpuint(fx->p->counts[model_node_find(fx->m, "vm")->index],
			 ==, 1);
	/* what a later scale out creates fits the smaller plan */
	scale(fx, "vm", 2, NULL);
	g_assert_cmpuint(count(fx->p, "app"), ==, 3);
	g_assert_cmpuint(lb->rels->len, ==, 3);
}

static void test_in_named(struct fx *fx, gconstpointer text)
{
	struct plan_instance *first = plantest_inst(fx->p, "vm", 0);
	g_autofree char *id = g_strdup(first->id);
	const char *ids[] = { id, NULL };

	scale(fx, "vm", -1, ids);
	g_assert_cmpuint(fx->mod.removed->len, ==, 2);
	g_assert_true(fx->mod.removed->pdata[0] == first);
	g_assert_null(plan_instance_find(fx->p, id));
	g_assert_cmpuint(count(fx->p, "app"), ==, 1);
}

static void test_contained_per_host(struct fx *fx, gconstpointer text)
{
	const GPtrArray *vms;

	scale(fx, "app", 1, NULL);
	/* one more app on each vm, each linked to both dbs */
	g_assert_cmpuint(fx->mod.added->len, ==, 2);
	vms = plan_node_instances(fx->p, "vm");
	for (guint i = 0; i < vms->len; i++)
		g_assert_cmpuint(((struct plan_instance *)vms->pdata[i])
				 ->contained->len, ==, 2);
	g_assert_cmpuint(fx->mod.added_rels->len, ==, 2 * 3 + 2);
	/* a new vm gets the current count of apps */
	scale(fx, "vm", 1, NULL);
	g_assert_cmpuint(fx->mod.added->len, ==, 3);
	scale(fx, "app", -1, NULL);
	g_assert_cmpuint(fx->mod.removed->len, ==, 3);
	g_assert_cmpuint(count(fx->p, "app"), ==, 3);
}

static void test_errors(struct fx *fx, gconstpointer text)
{
	const char *unknown[] = { "vm_zzzzzz", NULL };
	const char *other[] = { plantest_inst(fx->p, "db", 0)->id, NULL };
	const char *both[] = { plantest_inst(fx->p, "vm", 0)->id,
			       plantest_inst(fx->p, "vm", 1)->id, NULL };
	g_autofree char *msg = NULL;

	scale_fails(fx, "vm", 3, NULL, BP_ERR_INVALID,
		    "cannot scale 'vm' to 5 instances: max_instances is 4");
	scale_fails(fx, "db", -2, NULL, BP_ERR_INVALID,
		    "cannot scale 'db' to 0 instances: min_instances is 1");
	scale_fails(fx, "vm", -3, NULL, BP_ERR_INVALID,
		    "cannot remove 3 instances of 'vm': it has 2");
	scale_fails(fx, "app", -2, NULL, BP_ERR_INVALID,
		    "cannot remove 2 instances of 'app' per instance of 'vm': "
		    "it has 1");
	scale_fails(fx, "nope", 1, NULL, BP_ERR_NOT_FOUND,
		    "no node or scaling group named 'nope'");
	scale_fails(fx, "vm", -1, unknown, BP_ERR_NOT_FOUND,
		    "no node instance 'vm_zzzzzz'");
	msg = g_strdup_printf("node instance '%s' is not an instance of 'vm'",
			      other[0]);
	scale_fails(fx, "vm", -1, other, BP_ERR_INVALID, msg);
	scale_fails(fx, "vm", -1, both, BP_ERR_INVALID,
		    "2 of the instances to remove are instances of 'vm', "
		    "more than the 1 to remove");
	scale_fails(fx, "vm", 1, both, BP_ERR_INVALID,
		    "instances to remove were named, but scaling 'vm' by 1 "
		    "adds instances");
	/* zero changes nothing */
	scale(fx, "vm", 0, NULL);
	g_assert_cmpuint(fx->mod.added->len, ==, 0);
}

static const char grouped[] = PLANTEST_CLOUDIFY
	"node_types:\n"
	"  n: {derived_from: cloudify.nodes.Root}\n"
	"node_templates:\n"
	"  vm: {type: n}\n"
	"  ip: {type: n, instances: {deploy: 2}}\n"
	"  link:\n"
	"    type: n\n"
	"    relationships:\n"
	"      - {type: cloudify.relationships.contained_in, target: vm}\n"
	"      - {type: cloudify.relationships.connected_to, target: ip}\n"
	"  watcher:\n"
	"    type: n\n"
	"    relationships:\n"
	"      - {type: cloudify.relationships.connected_to, target: ip}\n"
	"groups:\n"
	"  pair: {members: [vm, ip]}\n"
	"policies:\n"
	"  scale_pair:\n"
	"    type: cloudify.policies.scaling\n"
	"    targets: [pair]\n"
	"    properties: {default_instances: 2, min_instances: 1, "
	"max_instances: 3}\n";

/* Every link connects to the two ips of its own group instance only. */
static void check_no_crossing(const struct plan *p)
{
	const GPtrArray *links = plan_node_instances(p, "link");

	for (guint i = 0; i < links->len; i++) {
		const struct plan_instance *l = links->pdata[i];
		g_assert_cmpuint(l->rels->len, ==, 3);
		for (guint k = 1; k < 3; k++) {
			const struct plan_instance *t = ((struct plan_rel *)
				l->rels->pdata[k])->target;
			g_assert_cmpstr(t->node->name, ==, "ip");
			g_assert_cmpint(t->groups[0], ==, l->host->groups[0]);
		}
		g_assert_cmpint(l->groups[0], ==, l->host->groups[0]);
	}
}

static void test_group(struct fx *fx, gconstpointer text)
{
	struct plan_instance *watcher = plantest_inst(fx->p, "watcher", 0);
	int gi;

	g_assert_cmpuint(count(fx->p, "vm"), ==, 2);
	g_assert_cmpuint(watcher->rels->len, ==, 4);
	check_no_crossing(fx->p);
	scale(fx, "pair", 1, NULL);
	/* a vm, two ips, the link on the vm: one new group instance */
	g_assert_cmpuint(fx->mod.added->len, ==, 4);
	gi = ((struct plan_instance *)fx->mod.added->pdata[0])->groups[0];
	g_assert_cmpint(gi, ==, 2);
	for (guint i = 0; i < fx->mod.added->len; i++)
		g_assert_cmpint(((struct plan_instance *)fx->mod.added
				 ->pdata[i])->groups[0], ==, gi);
	/* link's three, and the watcher (outside the group) gains the ips */
	g_assert_cmpuint(fx->mod.added_rels->len, ==, 5);
	g_assert_cmpuint(from_node(fx->mod.added_rels, "watcher"), ==, 2);
	check_no_crossing(fx->p);
	scale_fails(fx, "pair", 1, NULL, BP_ERR_INVALID,
		    "cannot scale 'pair' to 4 instances: max_instances is 3");
	/* a member scales its group */
	g_assert_cmpstr(plan_scaling_target(fx->p, "vm"), ==, "pair");
	g_assert_cmpstr(plan_scaling_target(fx->p, "watcher"), ==, "watcher");
	scale_fails(fx, "vm", 1, NULL, BP_ERR_INVALID,
		    "cannot scale 'pair' to 4 instances: max_instances is 3");
	/* in: the newest group instance goes whole */
	scale(fx, "pair", -1, NULL);
	g_assert_cmpuint(fx->mod.removed->len, ==, 4);
	for (guint i = 0; i < fx->mod.removed->len; i++)
		g_assert_cmpint(((struct plan_instance *)fx->mod.removed
				 ->pdata[i])->groups[0], ==, gi);
	g_assert_cmpuint(watcher->rels->len, ==, 4);
	check_no_crossing(fx->p);
}

static void test_group_named(struct fx *fx, gconstpointer text)
{
	/* naming the ip of group instance 0 removes that whole instance */
	const GPtrArray *ips = plan_node_instances(fx->p, "ip");
	struct plan_instance *ip0 = ips->pdata[0];
	const char *ids[] = { ip0->id, NULL };
	const char *outside[] = { plantest_inst(fx->p, "watcher", 0)->id,
				  NULL };
	g_autofree char *msg = g_strdup_printf("node instance '%s' is not a "
					       "member of scaling group 'pair'",
					       outside[0]);

	g_assert_cmpint(ip0->groups[0], ==, 0);
	scale_fails(fx, "pair", -1, outside, BP_ERR_INVALID, msg);
	scale(fx, "pair", -1, ids);
	g_assert_cmpuint(fx->mod.removed->len, ==, 4);
	g_assert_cmpint(plantest_inst(fx->p, "vm", 0)->groups[0], ==, 1);
	scale_fails(fx, "pair", -1, NULL, BP_ERR_INVALID,
		    "cannot scale 'pair' to 0 instances: min_instances is 1");
	/* a new group instance gets a fresh index */
	scale(fx, "pair", 1, NULL);
	g_assert_cmpint(((struct plan_instance *)fx->mod.added->pdata[0])
			->groups[0], ==, 2);
	check_no_crossing(fx->p);
}

static void test_all_to_one_stable(struct fx *fx, gconstpointer text)
{
	struct plan_instance *mon = plantest_inst(fx->p, "mon", 0);
	struct plan_instance *db = ((struct plan_rel *)mon->rels->pdata[0])
		->target;
	const GPtrArray *mons;

	scale(fx, "mon", 3, NULL);
	scale(fx, "db", 2, NULL);
	scale(fx, "db", -2, NULL);
	mons = plan_node_instances(fx->p, "mon");
	g_assert_cmpuint(mons->len, ==, 4);
	for (guint i = 0; i < mons->len; i++) {
		const struct plan_instance *x = mons->pdata[i];
		g_assert_cmpuint(x->rels->len, ==, 1);
		g_assert_true(((struct plan_rel *)x->rels->pdata[0])->target ==
			      db);
	}
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
#define ADD(path, text, fn) \
	g_test_add("/plan/scale/" path, struct fx, text, setup, fn, teardown)
	ADD("out-subtree", topology, test_out_subtree);
	ADD("out-target", topology, test_out_target);
	ADD("in-newest", topology, test_in_newest);
	ADD("in-named", topology, test_in_named);
	ADD("contained-per-host", topology, test_contained_per_host);
	ADD("errors", topology, test_errors);
	ADD("group", grouped, test_group);
	ADD("group-named", grouped, test_group_named);
	ADD("all-to-one-stable", topology, test_all_to_one_stable);
	return g_test_run();
}
