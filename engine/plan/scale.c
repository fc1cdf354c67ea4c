/* scale.c: scaling a node or a scaling group in or out (plan.h): checks
 * the bounds, picks what goes (named instances first, then the newest) or
 * makes what comes (with everything contained in it), links the new
 * instances both ways, and lists every change in a plan_modification. It
 * touches only the instances that change and their peers. */
#include "plan/plan.h"

#include <limits.h>

void plan_modification_init(struct plan_modification *mod)
{
	mod->added = g_ptr_array_new();
	mod->added_rels = g_ptr_array_new();
	mod->removed = g_ptr_array_new_with_free_func(
		(GDestroyNotify)plan__instance_free);
	mod->removed_rels = g_ptr_array_new();
	mod->owned_rels = g_ptr_array_new_with_free_func(g_free);
}

void plan_modification_release(struct plan_modification *mod)
{
	g_clear_pointer(&mod->added, g_ptr_array_unref);
	g_clear_pointer(&mod->added_rels, g_ptr_array_unref);
	g_clear_pointer(&mod->removed_rels, g_ptr_array_unref);
	g_clear_pointer(&mod->owned_rels, g_ptr_array_unref);
	g_clear_pointer(&mod->removed, g_ptr_array_unref);
}

/* What is scaled: a node or a group, its count and bounds. */
struct entity {
	const char *name;
	const struct model_node *node;   /* or NULL for a group */
	int group;                       /* -1 for a node */
	unsigned count;                  /* per unit (host instance) */
	unsigned min, max;
};

static bool find_entity(const struct plan *p, const char *name,
			struct entity *e, struct bp_error **err)
{
	e->name = name;
	e->group = plan_group_find(p, name);
	e->node = e->group < 0 ? model_node_find(p->model, name) : NULL;
	if (e->group >= 0) {
		const struct plan_group *g = &p->groups[e->group];
		e->count = g->live->len;
		e->min = g->min_instances;
		e->max = g->max_instances;
		return true;
	}
	if (!e->node) {
		bp_error_set(err, BP_ERR_NOT_FOUND, NULL, NULL, "no node or "
			     "scaling group named '%s'", name ? name : "");
		return false;
	}
	for (unsigned g = 0; g < p->ngroups; g++)
		if (g_hash_table_contains(p->groups[g].nodes, e->node)) {
			bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "node "
				     "'%s' is a member of more than one scaling "
				     "group ('%s' among them); scale one of "
				     "the groups", name, p->groups[g].name);
			return false;
		}
	e->count = p->counts[e->node->index];
	e->min = e->node->min_instances;
	e->max = e->node->max_instances;
	return true;
}

static bool check_bounds(const struct entity *e, int delta,
			 struct bp_error **err)
{
	long long to = (long long)e->count + delta;
	g_autofree char *per = e->node && e->node->host ?
		g_strdup_printf(" per instance of '%s'", e->node->host->name) :
		g_strdup("");

	if (to < 0) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "cannot remove "
			     "%lld instances of '%s'%s: it has %u",
			     -(long long)delta, e->name, per, e->count);
		return false;
	}
	if (to < e->min || (e->max != UINT_MAX && to > e->max)) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "cannot scale "
			     "'%s' to %lld instances%s: %s is %u", e->name, to,
			     per, to < e->min ? "min_instances" :
			     "max_instances", to < e->min ? e->min : e->max);
		return false;
	}
	return true;
}

/* ---- out -------------------------------------------------------------- */

/* Gives every added instance (those added while this runs included) what
 * it contains, then links them: their own relationships, and those of
 * existing sources that gain them as targets. */
static void grow_and_link(struct plan *p, unsigned first_new,
			  struct plan_modification *mod)
{
	for (guint i = 0; i < mod->added->len; i++) {
		struct plan_instance *x = mod->added->pdata[i];
		const GPtrArray *kids = p->hosted[x->node->index];
		for (guint k = 0; k < kids->len; k++) {
			const struct model_node *d = kids->pdata[k];
			plan__create_under(p, d, x, -1, 0, p->counts[d->index],
					   mod->added);
		}
	}
	for (guint i = 0; i < mod->added->len; i++) {
		struct plan_instance *x = mod->added->pdata[i];
		plan__link(p, x);
		g_ptr_array_extend(mod->added_rels, x->rels, NULL, NULL);
	}
	for (guint i = 0; i < mod->added->len; i++)
		plan__link_sources(p, mod->added->pdata[i], first_new,
				   mod->added_rels);
}

/* Calls plan__create_under() for `n` under each instance of its host (or
 * once without one). */
static void create_everywhere(struct plan *p, const struct model_node *n,
			      int only, int index, unsigned count,
			      GPtrArray *made)
{
	const GPtrArray *hosts;

	if (!n->host) {
		plan__create_under(p, n, NULL, only, index, count, made);
		return;
	}
	hosts = plan_node_instances(p, n->host->name);
	for (guint h = 0; h < hosts->len; h++)
		plan__create_under(p, n, hosts->pdata[h], only, index, count,
				   made);
}

static void scale_out(struct plan *p, const struct entity *e, int delta,
		      struct plan_modification *mod)
{
	unsigned first_new = p->next_seq;
	const GPtrArray *order = p->model->node_order;

	if (e->node) {
		create_everywhere(p, e->node, -1, 0, (unsigned)delta,
				  mod->added);
		p->counts[e->node->index] += (unsigned)delta;
		grow_and_link(p, first_new, mod);
		return;
	}
	for (int k = 0; k < delta; k++) {
		unsigned g = (unsigned)e->group;
		GArray *live = p->groups[g].live;
		int index = live->len ?
			g_array_index(live, int, live->len - 1) + 1 : 0;
		plan__group_live(p, g, index);
		/* the members not contained in another member start it */
		for (guint i = 0; i < order->len; i++) {
			const struct model_node *n = order->pdata[i];
			if (!g_hash_table_contains(p->groups[g].nodes, n) ||
			    (n->host && plan__in_group(p, n->host, g)))
				continue;
			create_everywhere(p, n, (int)g, index,
					  p->counts[n->index], mod->added);
		}
	}
	grow_and_link(p, first_new, mod);
}

/* ---- in --------------------------------------------------------------- */

/* The named instances, checked: they exist and belong to the entity. */
static bool named_instances(const struct plan *p, const struct entity *e,
			    const char *const *ids, GHashTable *out,
			    struct bp_error **err)
{
	for (size_t k = 0; ids && ids[k]; k++) {
		struct plan_instance *i = plan_instance_find(p, ids[k]);
		if (!i) {
			bp_error_set(err, BP_ERR_NOT_FOUND, NULL, NULL,
				     "no node instance '%s'", ids[k]);
			return false;
		}
		if (e->node ? i->node != e->node : i->groups[e->group] < 0) {
			bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "node "
				     "instance '%s' is not %s '%s'", ids[k],
				     e->node ? "an instance of" :
				     "a member of scaling group", e->name);
			return false;
		}
		g_hash_table_add(out, i);
	}
	return true;
}

/* Picks `d` instances of the entity's node among `unit` (one host
 * instance's, or all): the named ones, then the newest. */
static bool pick_unit(const struct entity *e, const GPtrArray *unit,
		      const struct plan_instance *host, unsigned d,
		      GHashTable *named, GPtrArray *out, struct bp_error **err)
{
	unsigned taken = 0;

	for (guint k = 0; k < unit->len; k++) {
		struct plan_instance *i = unit->pdata[k];
		if (i->node == e->node && g_hash_table_contains(named, i)) {
			g_ptr_array_add(out, i);
			taken++;
		}
	}
	if (taken > d) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "%u of the "
			     "instances to remove are instances of '%s'%s%s, "
			     "more than the %u to remove%s", taken, e->name,
			     host ? " on " : "", host ? host->id : "", d,
			     host ? " there" : "");
		return false;
	}
	for (guint k = unit->len; k-- > 0 && taken < d;) {
		struct plan_instance *i = unit->pdata[k];
		if (i->node == e->node && !g_hash_table_contains(named, i)) {
			g_ptr_array_add(out, i);
			taken++;
		}
	}
	return true;
}

static bool pick_node(const struct plan *p, const struct entity *e,
		      unsigned d, GHashTable *named, GPtrArray *out,
		      struct bp_error **err)
{
	const GPtrArray *hosts;

	if (!e->node->host)
		return pick_unit(e, plan_node_instances(p, e->name), NULL, d,
				 named, out, err);
	hosts = plan_node_instances(p, e->node->host->name);
	for (guint h = 0; h < hosts->len; h++) {
		const struct plan_instance *host = hosts->pdata[h];
		if (!pick_unit(e, host->contained, host, d, named, out, err))
			return false;
	}
	return true;
}

/* Appends `idx` to `indexes` unless it is there. */
static void add_index(GArray *indexes, int idx)
{
	for (guint j = 0; j < indexes->len; j++)
		if (g_array_index(indexes, int, j) == idx)
			return;
	g_array_append_val(indexes, idx);
}

/* Picks `d` group instances (those of the named instances first, then the
 * newest); puts their members in `out` and their indexes in `indexes`. */
static bool pick_group(const struct plan *p, const struct entity *e,
		       unsigned d, const char *const *ids, GPtrArray *out,
		       GArray *indexes, struct bp_error **err)
{
	const struct plan_group *g = &p->groups[e->group];

	for (size_t k = 0; ids && ids[k]; k++)
		add_index(indexes, plan_instance_find(p, ids[k])->groups[e->group]);
	if (indexes->len > d) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "the instances "
			     "to remove belong to %u instances of scaling "
			     "group '%s', more than the %u to remove",
			     indexes->len, e->name, d);
		return false;
	}
	for (guint k = g->live->len; k-- > 0 && indexes->len < d;)
		add_index(indexes, g_array_index(g->live, int, k));
	for (guint k = 0; k < indexes->len; k++) {
		const GPtrArray *mem = g_hash_table_lookup(
			g->members, GINT_TO_POINTER(g_array_index(indexes, int,
								  k)));
		if (mem)
			g_ptr_array_extend(out, (GPtrArray *)mem, NULL, NULL);
	}
	return true;
}

static gint by_seq(gconstpointer a, gconstpointer b)
{
	const struct plan_instance *x = *(const struct plan_instance *const *)a;
	const struct plan_instance *y = *(const struct plan_instance *const *)b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Takes a relationship instance out of its source's list (unfreed). */
static void steal_rel(struct plan_rel *r)
{
	GPtrArray *a = r->source->rels;

	for (guint k = a->len; k-- > 0;)
		if (a->pdata[k] == r) {
			g_ptr_array_steal_index(a, k);
			return;
		}
}

static void drop_incoming(struct plan_rel *r)
{
	GPtrArray *a = r->target->incoming;

	for (guint k = a->len; k-- > 0;)
		if (a->pdata[k] == r) {
			g_ptr_array_remove_index(a, k);
			return;
		}
}

/* Removes `roots` and everything they contain from the plan into `mod`. */
static void remove_all(struct plan *p, GPtrArray *roots,
		       struct plan_modification *mod)
{
	g_autoptr(GHashTable) set = g_hash_table_new(NULL, NULL);
	GPtrArray *list = mod->removed;
	unsigned from = p->instances->len;

	for (guint i = 0; i < roots->len; i++)
		if (g_hash_table_add(set, roots->pdata[i]))
			g_ptr_array_add(list, roots->pdata[i]);
	for (guint i = 0; i < list->len; i++) {
		struct plan_instance *x = list->pdata[i];
		for (guint k = 0; k < x->contained->len; k++)
			if (g_hash_table_add(set, x->contained->pdata[k]))
				g_ptr_array_add(list, x->contained->pdata[k]);
	}
	g_ptr_array_sort(list, by_seq);
	for (guint i = 0; i < list->len; i++) {
		struct plan_instance *x = list->pdata[i];
		for (guint k = 0; k < x->incoming->len; k++) {
			struct plan_rel *r = x->incoming->pdata[k];
			if (g_hash_table_contains(set, r->source))
				continue;
			steal_rel(r);
			g_ptr_array_add(mod->owned_rels, r);
			g_ptr_array_add(mod->removed_rels, r);
		}
		for (guint k = 0; k < x->rels->len; k++) {
			struct plan_rel *r = x->rels->pdata[k];
			g_ptr_array_add(mod->removed_rels, r);
			if (!g_hash_table_contains(set, r->target))
				drop_incoming(r);
		}
		from = MIN(from, x->pos);
		plan__instance_detach(p, x,
				      g_hash_table_contains(set, x->host));
	}
	plan__compact(p, from);
}

static bool scale_in(struct plan *p, const struct entity *e, unsigned d,
		     const char *const *ids, struct plan_modification *mod,
		     struct bp_error **err)
{
	g_autoptr(GHashTable) named = g_hash_table_new(NULL, NULL);
	g_autoptr(GPtrArray) roots = g_ptr_array_new();
	g_autoptr(GArray) indexes = g_array_new(FALSE, FALSE, sizeof(int));

	if (!named_instances(p, e, ids, named, err))
		return false;
	if (e->node ? !pick_node(p, e, d, named, roots, err) :
	    !pick_group(p, e, d, ids, roots, indexes, err))
		return false;
	remove_all(p, roots, mod);
	if (e->node) {
		p->counts[e->node->index] -= d;
		return true;
	}
	for (guint k = 0; k < indexes->len; k++) {
		GArray *live = p->groups[e->group].live;
		for (guint j = 0; j < live->len; j++)
			if (g_array_index(live, int, j) ==
			    g_array_index(indexes, int, k)) {
				g_array_remove_index(live, j);
				break;
			}
	}
	return true;
}

const char *plan_scaling_target(const struct plan *p, const char *name)
{
	const struct model_node *n = model_node_find(p->model, name);
	const char *group = NULL;

	if (!n || plan_group_find(p, name) >= 0)
		return name;
	for (unsigned g = 0; g < p->ngroups; g++) {
		if (!g_hash_table_contains(p->groups[g].nodes, n))
			continue;
		if (group)
			return name;
		group = p->groups[g].name;
	}
	return group ? group : name;
}

bool plan_scale(struct plan *p, const char *node_or_group, int delta,
		const char *const *remove_ids, struct plan_modification *out,
		struct bp_error **err)
{
	struct entity e;

	plan_modification_init(out);
	if (!find_entity(p, plan_scaling_target(p, node_or_group), &e, err))
		return false;
	if (delta > 0 && remove_ids && remove_ids[0]) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "instances to "
			     "remove were named, but scaling '%s' by %d adds "
			     "instances", e.name, delta);
		return false;
	}
	if (delta == 0)
		return true;
	if (!check_bounds(&e, delta, err))
		return false;
	if (delta > 0) {
		scale_out(p, &e, delta, out);
		return true;
	}
	return scale_in(p, &e, (unsigned)(-(long long)delta), remove_ids, out,
			err);
}
