/* test-plan-restore.c: a plan saved as records (plan_record_of) and
 * rebuilt with plan_restore(): the same instances, hosts, groups, order
 * and relationship instances, scaling on from where it was; and records
 * that do not fit the model refused with clear errors. */
#include "plantest.h"
#include "testlib.h"

static const char blueprint[] = PLANTEST_CLOUDIFY
	"node_types:\n"
	"  n: {derived_from: cloudify.nodes.Root}\n"
	"node_templates:\n"
	"  vm: {type: n, capabilities: {scalable: {properties: "
	"{default_instances: 2}}}}\n"
	"  ip: {type: n}\n"
	"  db: {type: n, instances: {deploy: 2}}\n"
	"  app:\n"
	"    type: n\n"
	"    relationships:\n"
	"      - {type: cloudify.relationships.contained_in, target: vm}\n"
	"      - {type: cloudify.relationships.connected_to, target: db}\n"
	"      - {type: cloudify.relationships.connected_to, target: ip}\n"
	"groups:\n"
	"  pair: {members: [vm, ip]}\n"
	"policies:\n"
	"  scale_pair:\n"
	"    type: cloudify.policies.scaling\n"
	"    targets: [pair]\n"
	"    properties: {default_instances: 2}\n";

/* A plan's records; the strings are borrowed from the plan. */
struct saved {
	GArray *inst;   /* of struct plan_record */
	GArray *rels;   /* of struct plan_rel_record */
};

static void save(const struct plan *p, struct saved *s)
{
	s->inst = g_array_new(FALSE, TRUE, sizeof(struct plan_record));
	s->rels = g_array_new(FALSE, TRUE, sizeof(struct plan_rel_record));
	/* newest first, so restoring has to order them */
	for (guint i = p->instances->len; i-- > 0;) {
		const struct plan_instance *x = p->instances->pdata[i];
		struct plan_record r;
		plan_record_of(p, x, &r);
		g_array_append_val(s->inst, r);
		for (guint k = 0; k < x->rels->len; k++) {
			struct plan_rel_record rr;
			plan_rel_record_of(x->rels->pdata[k], &rr);
			g_array_append_val(s->rels, rr);
		}
	}
}

static void saved_release(struct saved *s)
{
	g_array_unref(s->inst);
	g_array_unref(s->rels);
}

static struct plan *restore(const struct model *m, const struct saved *s,
			    struct bp_error **err)
{
	return plan_restore(m, (struct plan_record *)(void *)s->inst->data,
			    s->inst->len,
			    (struct plan_rel_record *)(void *)s->rels->data,
			    s->rels->len, 3, err);
}

static void assert_same(const struct plan *a, const struct plan *b)
{
	g_assert_cmpuint(a->instances->len, ==, b->instances->len);
	g_assert_cmpuint(a->next_seq, ==, b->next_seq);
	for (guint i = 0; i < a->instances->len; i++) {
		const struct plan_instance *x = a->instances->pdata[i];
		const struct plan_instance *y = b->instances->pdata[i];
		g_assert_cmpstr(x->id, ==, y->id);
		g_assert_true(x->node == y->node);
		g_assert_cmpstr(x->host ? x->host->id : "", ==,
				y->host ? y->host->id : "");
		g_assert_cmpuint(x->seq, ==, y->seq);
		g_assert_cmpint(x->groups[0], ==, y->groups[0]);
		g_assert_cmpuint(x->rels->len, ==, y->rels->len);
		g_assert_cmpuint(x->incoming->len, ==, y->incoming->len);
		for (guint k = 0; k < x->rels->len; k++) {
			const struct plan_rel *r = x->rels->pdata[k];
			const struct plan_rel *q = y->rels->pdata[k];
			g_assert_cmpstr(r->target->id, ==, q->target->id);
			g_assert_true(r->rel == q->rel);
		}
	}
	for (guint n = 0; n < a->model->node_order->len; n++)
		g_assert_cmpuint(a->counts[n], ==, b->counts[n]);
	g_assert_cmpuint(a->groups[0].live->len, ==, b->groups[0].live->len);
	for (guint k = 0; k < a->groups[0].live->len; k++)
		g_assert_cmpint(g_array_index(a->groups[0].live, int, k), ==,
				g_array_index(b->groups[0].live, int, k));
}

static void test_round_trip(void)
{
	g_autoptr(model) m = plantest_model(blueprint);
	g_autoptr(plan) p = plan_build(m, 5);
	g_autoptr(plan) q = NULL;
	g_autoptr(bp_error) err = NULL;
	struct plan_modification a, b;
	struct saved s;

	/* scale first, so the plan is not what plan_build would make */
	g_assert_true(plan_scale(p, "pair", 2, NULL, &a, &err));
	plan_modification_release(&a);
	g_assert_true(plan_scale(p, "db", 1, NULL, &a, &err));
	plan_modification_release(&a);
	g_assert_true(plan_scale(p, "pair", -1, NULL, &a, &err));
	plan_modification_release(&a);
	save(p, &s);
	q = restore(m, &s, &err);
	g_assert_no_error((GError *)err);
	g_assert_nonnull(q);
	plantest_check_plan(q);
	assert_same(p, q);
	saved_release(&s);
	/* both scale on alike: newest first, same new group index */
	g_assert_true(plan_scale(p, "pair", -1, NULL, &a, &err));
	g_assert_true(plan_scale(q, "pair", -1, NULL, &b, &err));
	g_assert_cmpuint(a.removed->len, ==, b.removed->len);
	for (guint i = 0; i < a.removed->len; i++)
		g_assert_cmpstr(((struct plan_instance *)a.removed->pdata[i])
				->id, ==, ((struct plan_instance *)
					   b.removed->pdata[i])->id);
	plan_modification_release(&a);
	plan_modification_release(&b);
	g_assert_true(plan_scale(p, "pair", 1, NULL, &a, &err));
	g_assert_true(plan_scale(q, "pair", 1, NULL, &b, &err));
	g_assert_cmpuint(a.added->len, ==, b.added->len);
	g_assert_cmpuint(a.added_rels->len, ==, b.added_rels->len);
	g_assert_cmpint(((struct plan_instance *)a.added->pdata[0])->groups[0],
			==, ((struct plan_instance *)b.added->pdata[0])
			->groups[0]);
	plan_modification_release(&a);
	plan_modification_release(&b);
	plantest_check_plan(q);
}

/* Restores `s` after `edit` changed it; expects the error. */
static void refused(const struct model *m, struct saved *s,
		    enum bp_error_code code, const char *message)
{
	g_autoptr(bp_error) err = NULL;
	struct plan *q = restore(m, s, &err);

	g_assert_null(q);
	g_assert_nonnull(err);
	g_assert_cmpstr(err->message, ==, message);
	g_assert_cmpint(err->code, ==, code);
}

static struct plan_record *rec(struct saved *s, const char *node)
{
	for (guint i = 0; i < s->inst->len; i++) {
		struct plan_record *r = &g_array_index(s->inst,
						       struct plan_record, i);
		if (!g_strcmp0(r->node, node))
			return r;
	}
	g_error("no record of %s", node);
	return NULL;
}

static void test_refused(void)
{
	g_autoptr(model) m = plantest_model(blueprint);
	g_autoptr(plan) p = plan_build(m, 5);
	const struct plan_instance *app, *db;
	const int one = 1, none = -1;
	g_autofree char *msg = NULL;
	struct plan_record keep, *dbr, *appr;
	struct plan_rel_record *rr;
	struct saved s;

	save(p, &s);
	dbr = rec(&s, "db");
	appr = rec(&s, "app");
	app = plan_instance_find(p, appr->id);
	db = plan_instance_find(p, dbr->id);
	keep = *dbr;
	dbr->node = "nosuch";
	msg = g_strdup_printf("unknown node 'nosuch' of node instance '%s'",
			      db->id);
	refused(m, &s, BP_ERR_NOT_FOUND, msg);
	*dbr = keep;
	dbr->id = app->id;
	g_free(msg);
	msg = g_strdup_printf("duplicate node instance id '%s'", app->id);
	refused(m, &s, BP_ERR_INVALID, msg);
	*dbr = keep;
	dbr->groups = &one;
	dbr->ngroups = 1;
	g_free(msg);
	msg = g_strdup_printf("node instance '%s' has an index for scaling "
			      "group 'pair'; node 'db' is not a member", db->id);
	refused(m, &s, BP_ERR_INVALID, msg);
	*dbr = keep;
	keep = *appr;
	appr->host_id = db->id;
	g_free(msg);
	msg = g_strdup_printf("host '%s' of node instance '%s' is an instance "
			      "of 'db'; expected one of 'vm'", db->id, app->id);
	refused(m, &s, BP_ERR_INVALID, msg);
	appr->host_id = NULL;
	g_free(msg);
	msg = g_strdup_printf("node instance '%s' has no host; expected an "
			      "instance of 'vm'", app->id);
	refused(m, &s, BP_ERR_INVALID, msg);
	appr->host_id = app->host->id;
	appr->seq = 0;
	g_free(msg);
	msg = g_strdup_printf("node instance '%s' is older than its host '%s'",
			      app->id, app->host->id);
	refused(m, &s, BP_ERR_INVALID, msg);
	appr->seq = keep.seq;
	appr->groups = &none;
	g_free(msg);
	msg = g_strdup_printf("node instance '%s' has no index for scaling "
			      "group 'pair'; node 'app' is a member", app->id);
	refused(m, &s, BP_ERR_INVALID, msg);
	*appr = keep;
	/* relationship instances */
	rr = &g_array_index(s.rels, struct plan_rel_record, 0);
	rr->index = 1;
	g_free(msg);
	msg = g_strdup_printf("relationship instance '%s' -> '%s' does not "
			      "match relationship 1 of node '%s' (to an "
			      "instance of 'db')", rr->source_id, rr->target_id,
			      plan_instance_find(p, rr->source_id)->node->name);
	refused(m, &s, BP_ERR_INVALID, msg);
	rr->index = 0;
	g_array_append_val(s.rels, *rr);
	g_free(msg);
	msg = g_strdup_printf("duplicate relationship instance '%s' -> '%s' "
			      "(index 0)", rr->source_id, rr->target_id);
	refused(m, &s, BP_ERR_INVALID, msg);
	g_array_index(s.rels, struct plan_rel_record, s.rels->len - 1)
		.target_id = "vm_nosuch";
	refused(m, &s, BP_ERR_NOT_FOUND, "unknown node instance 'vm_nosuch' "
		"in a relationship instance (target)");
	saved_release(&s);
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
	g_test_add_func("/plan/restore/round-trip", test_round_trip);
	g_test_add_func("/plan/restore/refused", test_refused);
	return g_test_run();
}
