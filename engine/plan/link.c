/* link.c: relationship instances of a node instance (plan.h): contained_in
 * to its own host instance; other relationships to the target's instances
 * (all, or one for all_to_one), kept within a shared host instance and
 * within the same instance of a shared scaling group. */
#include "plan/plan.h"

/* The instance of node `a` at or above `i` in containment, or NULL. */
static struct plan_instance *ancestor(struct plan_instance *i,
				      const struct model_node *a)
{
	for (; i; i = i->host)
		if (i->node == a)
			return i;
	return NULL;
}

/* The nearest node containing `s` that is `t` or contains `t`, or NULL. */
static const struct model_node *shared_host(const struct model_node *s,
					    const struct model_node *t)
{
	for (const struct model_node *a = s->host; a; a = a->host)
		for (const struct model_node *b = t; b; b = b->host)
			if (a == b)
				return a;
	return NULL;
}

static bool same_groups(const struct plan *p, const struct plan_instance *a,
			const struct plan_instance *b)
{
	for (unsigned g = 0; g < p->ngroups; g++)
		if (a->groups[g] >= 0 && b->groups[g] >= 0 &&
		    a->groups[g] != b->groups[g])
			return false;
	return true;
}

static void add_rel(struct plan_instance *src, struct plan_instance *target,
		    const struct model_rel *r)
{
	struct plan_rel *pr = g_new0(struct plan_rel, 1);

	pr->source = src;
	pr->target = target;
	pr->rel = r;
	g_ptr_array_add(src->rels, pr);
}

/* all_to_one keeps the target its node's other instances already use. */
static bool fits(const struct plan *p, struct plan_instance *src,
		 struct plan_instance *t, const struct model_node *scope);

static struct plan_instance *kept_target(const struct plan *p,
					 struct plan_instance *src,
					 const struct model_rel *r,
					 const struct model_node *scope)
{
	const GPtrArray *peers = plan_node_instances(p, src->node->name);

	for (guint i = 0; i < peers->len; i++) {
		const struct plan_instance *peer = peers->pdata[i];
		if (peer == src)
			continue;
		for (guint k = 0; k < peer->rels->len; k++) {
			const struct plan_rel *pr = peer->rels->pdata[k];
			if (pr->rel == r && fits(p, src, pr->target, scope))
				return pr->target;
		}
	}
	return NULL;
}

static bool fits(const struct plan *p, struct plan_instance *src,
		 struct plan_instance *t, const struct model_node *scope)
{
	return (!scope || ancestor(src, scope) == ancestor(t, scope)) &&
	       same_groups(p, src, t);
}

void plan__link(struct plan *p, struct plan_instance *src)
{
	for (guint k = 0; k < src->node->rels->len; k++) {
		const struct model_rel *r = src->node->rels->pdata[k];
		const GPtrArray *targets = plan_node_instances(p, r->target->name);
		const struct model_node *scope;
		struct plan_instance *one;

		if (r->contained) {
			if (src->host)
				add_rel(src, src->host, r);
			continue;
		}
		scope = shared_host(src->node, r->target);
		if (r->connection == MODEL_ALL_TO_ONE) {
			one = kept_target(p, src, r, scope);
			for (guint t = 0; !one && t < targets->len; t++)
				if (fits(p, src, targets->pdata[t], scope))
					one = targets->pdata[t];
			if (one)
				add_rel(src, one, r);
			continue;
		}
		for (guint t = 0; t < targets->len; t++)
			if (fits(p, src, targets->pdata[t], scope))
				add_rel(src, targets->pdata[t], r);
	}
}
