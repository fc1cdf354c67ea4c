/* group.c: the scaling groups of a plan (plan.h): which groups a scaling
 * policy targets, their members (through member groups), the numbers of
 * their policy, and which plan instances make up each group instance. */
#include "plan/plan.h"

#include <limits.h>
#include <string.h>

static const char *const scaling_policies[] = {
	"cloudify.policies.scaling", "tosca.policies.Scaling", NULL
};

/* Adds the node members of a group (through member groups) to `out`. */
static void group_members(const struct model *m, const char *group,
			  GHashTable *out, unsigned depth)
{
	for (guint i = 0; i < m->groups->len && depth < 32; i++) {
		const struct model_item *g = m->groups->pdata[i];
		const struct dsl_node *members;
		if (strcmp(g->name, group))
			continue;
		members = dsl_map_get(g->entry->def, "members");
		for (uint32_t k = 0; k < dsl_len(members); k++) {
			const char *name = dsl_str(members->u.seq.items[k]);
			struct model_node *n = model_node_find(m, name);
			if (n)
				g_hash_table_add(out, n);
			else if (name)
				group_members(m, name, out, depth + 1);
		}
	}
}

static bool is_scaling(const struct model_item *p)
{
	const char *t = dsl_str(dsl_map_get(p->entry->def, "type"));

	for (size_t i = 0; t && scaling_policies[i]; i++)
		if (!strcmp(t, scaling_policies[i]) ||
		    (p->type && model_type_is_named(p->type, scaling_policies[i])))
			return true;
	return false;
}

/* A policy number: an integer >= 0; -1 or UNBOUNDED is `unbounded`. */
static unsigned number(const struct dsl_node *props, const char *key,
		       unsigned dflt, unsigned unbounded)
{
	const struct dsl_node *v = dsl_map_get(props, key);
	int64_t x;

	if (dsl_str(v) && !strcmp(dsl_str(v), "UNBOUNDED"))
		return unbounded;
	if (!dsl_as_int(v, &x))
		return dflt;
	if (x < 0)
		return unbounded;
	return x > INT_MAX ? INT_MAX : (unsigned)x;
}

void plan__groups_init(struct plan *p)
{
	const struct model *m = p->model;
	GArray *groups = g_array_new(FALSE, TRUE, sizeof(struct plan_group));

	for (guint i = 0; i < m->policies->len; i++) {
		const struct model_item *pol = m->policies->pdata[i];
		const struct dsl_node *props = pol->bound ? pol->bound :
			dsl_map_get(pol->entry->def, "properties");
		const struct dsl_node *targets = dsl_map_get(pol->entry->def,
							     "targets");
		if (!is_scaling(pol))
			continue;
		for (uint32_t k = 0; k < dsl_len(targets); k++) {
			struct plan_group g = {
				.name = dsl_str(targets->u.seq.items[k]),
				.policy = pol,
				.nodes = g_hash_table_new(NULL, NULL),
				.default_instances = number(props,
					"default_instances", 1, 1),
				.min_instances = number(props, "min_instances",
							0, 0),
				.max_instances = number(props, "max_instances",
							UINT_MAX, UINT_MAX),
				.live = g_array_new(FALSE, FALSE, sizeof(int)),
				.members = g_hash_table_new_full(
					NULL, NULL, NULL,
					(GDestroyNotify)g_ptr_array_unref),
			};
			if (!g.name)
				g.name = "";
			group_members(m, g.name, g.nodes, 0);
			g_array_append_val(groups, g);
		}
	}
	p->ngroups = groups->len;
	p->groups = (struct plan_group *)g_array_free(groups, FALSE);
}

void plan__groups_release(struct plan *p)
{
	for (unsigned g = 0; g < p->ngroups; g++) {
		g_hash_table_unref(p->groups[g].nodes);
		g_array_unref(p->groups[g].live);
		g_hash_table_unref(p->groups[g].members);
	}
	g_free(p->groups);
	p->groups = NULL;
	p->ngroups = 0;
}

int plan_group_find(const struct plan *p, const char *name)
{
	for (unsigned g = 0; name && g < p->ngroups; g++)
		if (!strcmp(p->groups[g].name, name))
			return (int)g;
	return -1;
}

bool plan__in_group(const struct plan *p, const struct model_node *n,
		    unsigned g)
{
	for (; n; n = n->host)
		if (g_hash_table_contains(p->groups[g].nodes, n))
			return true;
	return false;
}

void plan__group_live(struct plan *p, unsigned g, int index)
{
	GArray *live = p->groups[g].live;
	guint k = live->len;

	while (k > 0 && g_array_index(live, int, k - 1) > index)
		k--;
	if (k > 0 && g_array_index(live, int, k - 1) == index)
		return;
	g_array_insert_val(live, k, index);
}

void plan__group_join(struct plan *p, struct plan_instance *i)
{
	for (unsigned g = 0; g < p->ngroups; g++) {
		GHashTable *members = p->groups[g].members;
		GPtrArray *list;
		if (i->groups[g] < 0)
			continue;
		list = g_hash_table_lookup(members,
					   GINT_TO_POINTER(i->groups[g]));
		if (!list) {
			list = g_ptr_array_new();
			g_hash_table_insert(members,
					    GINT_TO_POINTER(i->groups[g]),
					    list);
		}
		g_ptr_array_add(list, i);
	}
}

void plan__group_leave(struct plan *p, struct plan_instance *i)
{
	for (unsigned g = 0; g < p->ngroups; g++) {
		GPtrArray *list;
		if (i->groups[g] < 0)
			continue;
		list = g_hash_table_lookup(p->groups[g].members,
					   GINT_TO_POINTER(i->groups[g]));
		for (guint k = list ? list->len : 0; k-- > 0;)
			if (list->pdata[k] == i) {
				g_ptr_array_remove_index(list, k);
				break;
			}
		if (list && !list->len)
			g_hash_table_remove(p->groups[g].members,
					    GINT_TO_POINTER(i->groups[g]));
	}
}
