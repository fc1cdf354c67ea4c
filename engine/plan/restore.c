/* restore.c: a deployment's plan rebuilt from what its store keeps (one
 * record per node instance and per relationship instance), checked against
 * the model, and the records of a plan to save (plan.h). Restoring runs no
 * linking: the relationship instances are exactly the saved ones. */
#include "plan/plan.h"

#include <string.h>

void plan_record_of(const struct plan *p, const struct plan_instance *i,
		    struct plan_record *out)
{
	out->id = i->id;
	out->node = i->node->name;
	out->host_id = i->host ? i->host->id : NULL;
	out->groups = p->ngroups ? i->groups : NULL;
	out->ngroups = p->ngroups;
	out->seq = i->seq;
}

void plan_rel_record_of(const struct plan_rel *r, struct plan_rel_record *out)
{
	out->source_id = r->source->id;
	out->target_id = r->target->id;
	out->index = r->rel->index;
}

/* Oldest first; records with the same seq keep their order. */
static gint by_seq(gconstpointer a, gconstpointer b)
{
	const struct plan_record *x = *(const struct plan_record *const *)a;
	const struct plan_record *y = *(const struct plan_record *const *)b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static bool check_record(const struct model *m, const struct plan *p,
			 const struct plan_record *r, GHashTable *ids,
			 struct bp_error **err)
{
	if (!r->id || !r->node) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "node instance "
			     "record without %s",
			     r->id ? "a node name" : "an id");
		return false;
	}
	if (!model_node_find(m, r->node)) {
		bp_error_set(err, BP_ERR_NOT_FOUND, NULL, NULL, "unknown node "
			     "'%s' of node instance '%s'", r->node, r->id);
		return false;
	}
	if (!g_hash_table_add(ids, (gpointer)r->id)) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "duplicate node "
			     "instance id '%s'", r->id);
		return false;
	}
	if (r->ngroups && r->ngroups != p->ngroups) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "node instance "
			     "'%s' has %u scaling group indexes; expected %u",
			     r->id, r->ngroups, p->ngroups);
		return false;
	}
	return true;
}

/* The host of a record: an existing (older) instance of the node's host
 * template, or none when the node has no host. */
static bool find_host(const struct plan *p, const struct model_node *n,
		      const struct plan_record *r, GHashTable *ids,
		      struct plan_instance **out, struct bp_error **err)
{
	*out = plan_instance_find(p, r->host_id);
	if (!n->host && !r->host_id)
		return true;
	if (!n->host) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "node instance "
			     "'%s' has a host ('%s') but node '%s' is "
			     "contained in no node", r->id, r->host_id, n->name);
		return false;
	}
	if (!r->host_id) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "node instance "
			     "'%s' has no host; expected an instance of '%s'",
			     r->id, n->host->name);
		return false;
	}
	if (!*out && !g_hash_table_contains(ids, r->host_id)) {
		bp_error_set(err, BP_ERR_NOT_FOUND, NULL, NULL, "unknown host "
			     "'%s' of node instance '%s'", r->host_id, r->id);
		return false;
	}
	if (!*out) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "node instance "
			     "'%s' is older than its host '%s'", r->id,
			     r->host_id);
		return false;
	}
	if ((*out)->node != n->host) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "host '%s' of "
			     "node instance '%s' is an instance of '%s'; expected "
			     "one of '%s'", r->host_id, r->id,
			     (*out)->node->name, n->host->name);
		return false;
	}
	return true;
}

/* The group indexes of a record: present exactly for the groups the node
 * belongs to, and those of its host where the host has them. */
static bool check_groups(struct plan *p, const struct model_node *n,
			 const struct plan_record *r,
			 const struct plan_instance *host, int *out,
			 struct bp_error **err)
{
	for (unsigned g = 0; g < p->ngroups; g++) {
		int idx = r->groups ? r->groups[g] : -1;
		bool member = plan__in_group(p, n, g);
		if (idx < -1 || member != (idx >= 0)) {
			bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "node "
				     "instance '%s' has %s for scaling group "
				     "'%s'; node '%s' is %sa member", r->id,
				     idx >= 0 ? "an index" : "no index",
				     p->groups[g].name, n->name,
				     member ? "" : "not ");
			return false;
		}
		if (host && host->groups[g] >= 0 && host->groups[g] != idx) {
			bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "node "
				     "instance '%s' is in instance %d of "
				     "scaling group '%s' but its host '%s' is "
				     "in %d",
				     r->id, idx, p->groups[g].name, host->id,
				     host->groups[g]);
			return false;
		}
		out[g] = idx;
	}
	return true;
}

static bool add_instances(struct plan *p, const struct plan_record *recs,
			  size_t n, struct bp_error **err)
{
	g_autoptr(GHashTable) ids = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) order = g_ptr_array_sized_new((guint)n);
	g_autofree int *groups = g_new(int, p->ngroups + 1);

	for (size_t k = 0; k < n; k++) {
		if (!check_record(p->model, p, &recs[k], ids, err))
			return false;
		g_ptr_array_add(order, (gpointer)&recs[k]);
	}
	g_ptr_array_sort(order, by_seq);
	for (guint k = 0; k < order->len; k++) {
		const struct plan_record *r = order->pdata[k];
		const struct model_node *node = model_node_find(p->model,
								r->node);
		struct plan_instance *host, *i;

		if (!find_host(p, node, r, ids, &host, err) ||
		    !check_groups(p, node, r, host, groups, err))
			return false;
		i = plan__instance_new(p, node, host, groups, r->id);
		i->seq = r->seq;
		p->next_seq = r->seq + 1;
		for (unsigned g = 0; g < p->ngroups; g++)
			if (groups[g] >= 0)
				plan__group_live(p, g, groups[g]);
	}
	return true;
}

static bool add_rel(struct plan *p, const struct plan_rel_record *r,
		    GHashTable *seen, struct bp_error **err)
{
	struct plan_instance *s = plan_instance_find(p, r->source_id);
	struct plan_instance *t = plan_instance_find(p, r->target_id);
	const struct model_rel *mr;
	char *key;

	if (!s || !t) {
		const char *id = !s ? r->source_id : r->target_id;
		bp_error_set(err, BP_ERR_NOT_FOUND, NULL, NULL, "unknown node "
			     "instance '%s' in a relationship instance (%s)",
			     id ? id : "", !s ? "source" : "target");
		return false;
	}
	if (r->index >= s->node->rels->len) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "relationship "
			     "instance '%s' -> '%s' has index %u; node '%s' "
			     "has %u relationships", s->id, t->id, r->index,
			     s->node->name, s->node->rels->len);
		return false;
	}
	mr = s->node->rels->pdata[r->index];
	if (mr->target != t->node || (mr->contained && t != s->host)) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "relationship "
			     "instance '%s' -> '%s' does not match "
			     "relationship %u of node '%s' (%s '%s')", s->id, t->id,
			     r->index, s->node->name, mr->contained ?
			     "contained in its host, an instance of" :
			     "to an instance of", mr->target->name);
		return false;
	}
	key = g_strdup_printf("%s\n%s\n%u", s->id, t->id, r->index);
	if (!g_hash_table_add(seen, key)) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "duplicate "
			     "relationship instance '%s' -> '%s' (index %u)",
			     s->id, t->id, r->index);
		return false;
	}
	plan__rel_add(s, t, mr);
	return true;
}

/* What a new host instance gets of a node: its instances divided by the
 * units it is multiplied over (host instances, group instances it
 * starts); the model's default when there are none. */
static void restore_counts(struct plan *p)
{
	for (guint i = 0; i < p->model->node_order->len; i++) {
		const struct model_node *n = p->model->node_order->pdata[i];
		guint have = plan_node_instances(p, n->name)->len;
		guint units = n->host ?
			plan_node_instances(p, n->host->name)->len : 1;

		for (unsigned g = 0; g < p->ngroups; g++)
			if (g_hash_table_contains(p->groups[g].nodes, n) &&
			    !(n->host && plan__in_group(p, n->host, g)))
				units *= p->groups[g].live->len;
		if (units)
			p->counts[i] = (have + units - 1) / units;
	}
}

struct plan *plan_restore(const struct model *m,
			  const struct plan_record *instances, size_t n,
			  const struct plan_rel_record *rels, size_t nrels,
			  guint32 seed, struct bp_error **err)
{
	g_autoptr(plan) p = plan__new(m, seed);
	g_autoptr(GHashTable) seen = g_hash_table_new_full(
		g_str_hash, g_str_equal, g_free, NULL);

	if (!add_instances(p, instances, n, err))
		return NULL;
	for (size_t k = 0; k < nrels; k++)
		if (!add_rel(p, &rels[k], seen, err))
			return NULL;
	restore_counts(p);
	return g_steal_pointer(&p);
}
