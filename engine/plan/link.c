/* link.c: relationship instances (plan.h): contained_in to the source's
 * own host instance; other relationships to the target's instances (all,
 * or one for all_to_one), kept within a shared host instance and within
 * the same instance of a shared scaling group. The candidates at the
 * other end are found from the narrowest list the plan keeps (the shared
 * host instance's subtree, the group instance's members, the node's
 * instances), so linking costs what it creates. */
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

static bool fits(const struct plan *p, struct plan_instance *src,
		 struct plan_instance *t, const struct model_node *scope)
{
	return (!scope || ancestor(src, scope) == ancestor(t, scope)) &&
	       same_groups(p, src, t);
}

struct plan_rel *plan__rel_add(struct plan_instance *source,
			       struct plan_instance *target,
			       const struct model_rel *r)
{
	struct plan_rel *pr = g_new0(struct plan_rel, 1);
	guint k = source->rels->len;

	pr->source = source;
	pr->target = target;
	pr->rel = r;
	while (k > 0 && ((struct plan_rel *)source->rels->pdata[k - 1])
			->rel->index > r->index)
		k--;
	g_ptr_array_insert(source->rels, (gint)k, pr);
	g_ptr_array_add(target->incoming, pr);
	return pr;
}

/* The instances of `other` contained (at any depth) in `top`, or `top`
 * itself when it is one, into `out`. */
static void descendants(struct plan_instance *top,
			const struct model_node *other, GPtrArray *out)
{
	g_autoptr(GPtrArray) path = g_ptr_array_new();
	g_autoptr(GPtrArray) level = g_ptr_array_new();
	const struct model_node *n;

	for (n = other; n && n != top->node; n = n->host)
		g_ptr_array_add(path, (gpointer)n);
	if (!n)
		return;
	g_ptr_array_add(level, top);
	for (guint k = path->len; k-- > 0;) {
		g_autoptr(GPtrArray) next = g_ptr_array_new();
		for (guint i = 0; i < level->len; i++) {
			struct plan_instance *x = level->pdata[i];
			for (guint c = 0; c < x->contained->len; c++)
				if (((struct plan_instance *)x->contained
				     ->pdata[c])->node == path->pdata[k])
					g_ptr_array_add(next,
							x->contained->pdata[c]);
		}
		g_ptr_array_set_size(level, 0);
		g_ptr_array_extend_and_steal(level, g_steal_pointer(&next));
	}
	g_ptr_array_extend(out, level, NULL, NULL);
}

/* The instances of `other` that may be linked with `anchor` (a superset
 * of those that fit): the node's list of the plan, or those of them in
 * the narrower list of the shared host instance's subtree or of anchor's
 * group instance, copied into `buf`. */
static const GPtrArray *candidates(const struct plan *p,
				   struct plan_instance *anchor,
				   const struct model_node *scope,
				   const struct model_node *other,
				   GPtrArray *buf)
{
	const GPtrArray *all = plan_node_instances(p, other->name);
	const GPtrArray *members = NULL;

	if (scope) {
		struct plan_instance *a = ancestor(anchor, scope);
		if (a)
			descendants(a, other, buf);
		return buf;
	}
	for (unsigned g = 0; g < p->ngroups; g++) {
		const GPtrArray *mem;
		if (anchor->groups[g] < 0 || !plan__in_group(p, other, g))
			continue;
		mem = g_hash_table_lookup(p->groups[g].members,
					  GINT_TO_POINTER(anchor->groups[g]));
		if (!mem)
			return buf;
		if (!members || mem->len < members->len)
			members = mem;
	}
	if (!members || members->len >= all->len)
		return all;
	for (guint i = 0; i < members->len; i++)
		if (((struct plan_instance *)members->pdata[i])->node == other)
			g_ptr_array_add(buf, members->pdata[i]);
	return buf;
}

static bool has_rel(const struct plan_instance *s, const struct model_rel *r)
{
	for (guint k = 0; k < s->rels->len; k++)
		if (((struct plan_rel *)s->rels->pdata[k])->rel == r)
			return true;
	return false;
}

/* all_to_one keeps the target its node's other instances already use. */
static struct plan_instance *kept_target(const struct plan *p,
					 struct plan_instance *src,
					 const struct model_rel *r,
					 const struct model_node *scope)
{
	g_autoptr(GPtrArray) buf = g_ptr_array_new();
	const GPtrArray *peers = candidates(p, src, scope, src->node, buf);

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

void plan__link(struct plan *p, struct plan_instance *src)
{
	for (guint k = 0; k < src->node->rels->len; k++) {
		const struct model_rel *r = src->node->rels->pdata[k];
		g_autoptr(GPtrArray) buf = g_ptr_array_new();
		const struct model_node *scope;
		const GPtrArray *targets;
		struct plan_instance *one;

		if (r->contained) {
			if (src->host)
				plan__rel_add(src, src->host, r);
			continue;
		}
		scope = shared_host(src->node, r->target);
		targets = candidates(p, src, scope, r->target, buf);
		if (r->connection == MODEL_ALL_TO_ONE) {
			one = kept_target(p, src, r, scope);
			for (guint t = 0; !one && t < targets->len; t++)
				if (fits(p, src, targets->pdata[t], scope))
					one = targets->pdata[t];
			if (one)
				plan__rel_add(src, one, r);
			continue;
		}
		for (guint t = 0; t < targets->len; t++)
			if (fits(p, src, targets->pdata[t], scope))
				plan__rel_add(src, targets->pdata[t], r);
	}
}

void plan__link_sources(struct plan *p, struct plan_instance *t,
			unsigned first_new, GPtrArray *out)
{
	const GPtrArray *rels = p->rels_to[t->node->index];

	for (guint k = 0; k < rels->len; k++) {
		const struct model_rel *r = rels->pdata[k];
		g_autoptr(GPtrArray) buf = g_ptr_array_new();
		const struct model_node *scope;
		const GPtrArray *sources;

		/* what a new instance contains is new too */
		if (r->contained)
			continue;
		scope = shared_host(r->source, r->target);
		sources = candidates(p, t, scope, r->source, buf);
		for (guint i = 0; i < sources->len; i++) {
			struct plan_instance *s = sources->pdata[i];
			if (s->seq >= first_new || !fits(p, s, t, scope))
				continue;
			if (r->connection == MODEL_ALL_TO_ONE && has_rel(s, r))
				continue;
			g_ptr_array_add(out, plan__rel_add(s, t, r));
		}
	}
}
