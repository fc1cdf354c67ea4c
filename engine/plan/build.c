/* build.c: a model's initial node instances and relationship instances
 * (plan.h), and the install waves `blueprint plan` shows. */
#include "plan/plan.h"

#include <string.h>

static const char *const scaling_policies[] = {
	"cloudify.policies.scaling", "tosca.policies.Scaling", NULL
};

/* A scaling group: its node members (flattened) and its count. */
struct group {
	const char *name;
	GHashTable *nodes;         /* struct model_node * set */
	unsigned count;
};

static void instance_free(struct plan_instance *i)
{
	g_free(i->id);
	g_ptr_array_unref(i->rels);
	g_ptr_array_unref(i->contained);
	g_free(i->groups);
	g_free(i);
}

void plan_free(struct plan *p)
{
	if (!p)
		return;
	g_hash_table_unref(p->by_id);
	g_hash_table_unref(p->by_node);
	g_ptr_array_unref(p->instances);
	g_rand_free(p->rand);
	g_free(p);
}

const GPtrArray *plan_node_instances(const struct plan *p, const char *node)
{
	static GPtrArray *empty;
	GPtrArray *a = g_hash_table_lookup(p->by_node, node);

	if (a)
		return a;
	if (g_once_init_enter(&empty))
		g_once_init_leave(&empty, g_ptr_array_new());
	return empty;
}

static char *new_id(struct plan *p, const char *node)
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	char suffix[7];

	for (;;) {
		char *id;
		for (int i = 0; i < 6; i++)
			suffix[i] = alphabet[g_rand_int_range(p->rand, 0, 36)];
		suffix[6] = '\0';
		id = g_strconcat(node, "_", suffix, NULL);
		if (!g_hash_table_contains(p->by_id, id))
			return id;
		g_free(id);
	}
}

struct plan_instance *plan__instance_new(struct plan *p,
					 const struct model_node *n,
					 struct plan_instance *host,
					 unsigned ngroups)
{
	struct plan_instance *i = g_new0(struct plan_instance, 1);
	GPtrArray *list = g_hash_table_lookup(p->by_node, n->name);

	i->id = new_id(p, n->name);
	i->node = n;
	i->host = host;
	i->rels = g_ptr_array_new_with_free_func(g_free);
	i->contained = g_ptr_array_new();
	i->seq = p->next_seq++;
	i->groups = g_new0(int, ngroups ? ngroups : 1);
	for (unsigned g = 0; g < ngroups; g++)
		i->groups[g] = host ? host->groups[g] : -1;
	if (host)
		g_ptr_array_add(host->contained, i);
	if (!list) {
		list = g_ptr_array_new();
		g_hash_table_insert(p->by_node, (gpointer)n->name, list);
	}
	g_ptr_array_add(list, i);
	g_ptr_array_add(p->instances, i);
	g_hash_table_insert(p->by_id, i->id, i);
	return i;
}

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

/* The scaling groups of a model, with their default instance counts. */
GArray *plan__groups(const struct model *m)
{
	GArray *groups = g_array_new(FALSE, TRUE, sizeof(struct group));

	for (guint i = 0; i < m->policies->len; i++) {
		const struct model_item *p = m->policies->pdata[i];
		const struct dsl_node *props = dsl_map_get(p->entry->def,
							   "properties");
		const struct dsl_node *targets = dsl_map_get(p->entry->def,
							     "targets");
		int64_t count = 1;

		if (!is_scaling(p))
			continue;
		dsl_as_int(dsl_map_get(props, "default_instances"), &count);
		for (uint32_t k = 0; k < dsl_len(targets); k++) {
			struct group g = { dsl_str(targets->u.seq.items[k]),
					   g_hash_table_new(NULL, NULL),
					   (unsigned)MAX(count, 0) };
			group_members(m, g.name, g.nodes, 0);
			g_array_append_val(groups, g);
		}
	}
	return groups;
}

void plan__groups_free(GArray *groups)
{
	for (guint i = 0; i < groups->len; i++)
		g_hash_table_unref(g_array_index(groups, struct group, i).nodes);
	g_array_unref(groups);
}

/* Creates the instances of `n` under one host instance (or none): for
 * each combination of the scaling groups `n` roots (its host is outside
 * them), `default_instances` instances. */
static void create_under(struct plan *p, GArray *groups,
			 const struct model_node *n, struct plan_instance *host,
			 unsigned g, int *combo)
{
	struct group *gr;

	if (g == groups->len) {
		for (unsigned k = 0; k < n->default_instances; k++) {
			struct plan_instance *i = plan__instance_new(
				p, n, host, groups->len);
			for (unsigned x = 0; x < groups->len; x++)
				if (combo[x] >= 0)
					i->groups[x] = combo[x];
		}
		return;
	}
	gr = &g_array_index(groups, struct group, g);
	if (!g_hash_table_contains(gr->nodes, n) ||
	    (n->host && g_hash_table_contains(gr->nodes, n->host))) {
		combo[g] = -1;
		create_under(p, groups, n, host, g + 1, combo);
		return;
	}
	for (unsigned c = 0; c < gr->count; c++) {
		combo[g] = (int)c;
		create_under(p, groups, n, host, g + 1, combo);
	}
}

static unsigned host_depth(const struct model_node *n)
{
	unsigned d = 0;

	for (; n->host; n = n->host)
		d++;
	return d;
}

static gint by_depth(gconstpointer a, gconstpointer b)
{
	unsigned x = host_depth(*(struct model_node *const *)a);
	unsigned y = host_depth(*(struct model_node *const *)b);

	return x < y ? -1 : x > y;
}

struct plan *plan_build(const struct model *m, guint32 seed)
{
	struct plan *p = g_new0(struct plan, 1);
	g_autoptr(GPtrArray) order = g_ptr_array_new();
	GArray *groups = plan__groups(m);
	g_autofree int *combo = g_new(int, groups->len + 1);

	p->model = m;
	p->instances = g_ptr_array_new_with_free_func(
		(GDestroyNotify)instance_free);
	p->by_id = g_hash_table_new(g_str_hash, g_str_equal);
	p->by_node = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
					   (GDestroyNotify)g_ptr_array_unref);
	p->rand = seed ? g_rand_new_with_seed(seed) : g_rand_new();
	p->ngroups = groups->len;
	g_ptr_array_extend(order, m->node_order, NULL, NULL);
	g_ptr_array_sort(order, by_depth);
	for (guint i = 0; i < order->len; i++) {
		const struct model_node *n = order->pdata[i];
		if (!n->host) {
			create_under(p, groups, n, NULL, 0, combo);
			continue;
		}
		/* copy: create_under appends to the host's instance list
		 * only when a node hosts itself, which the model forbids */
		const GPtrArray *hosts = plan_node_instances(p, n->host->name);
		for (guint h = 0; h < hosts->len; h++)
			create_under(p, groups, n, hosts->pdata[h], 0, combo);
	}
	for (guint i = 0; i < p->instances->len; i++)
		plan__link(p, p->instances->pdata[i]);
	plan__groups_free(groups);
	return p;
}

GPtrArray *plan_waves(const struct plan *p)
{
	GPtrArray *waves = g_ptr_array_new_with_free_func(
		(GDestroyNotify)g_ptr_array_unref);
	guint n = p->instances->len;
	g_autofree guint *level = g_new0(guint, n);
	g_autofree guint *pending = g_new0(guint, n);
	g_autoptr(GHashTable) sources = g_hash_table_new_full(
		NULL, NULL, NULL, (GDestroyNotify)g_ptr_array_unref);
	g_autoptr(GPtrArray) queue = g_ptr_array_new();
	g_autoptr(GHashTable) index = g_hash_table_new(NULL, NULL);

	/* Kahn's algorithm: an instance is ready once every target of its
	 * relationships is; its wave is one past its latest target's. */
	for (guint i = 0; i < n; i++)
		g_hash_table_insert(index, p->instances->pdata[i],
				    GUINT_TO_POINTER(i));
	for (guint i = 0; i < n; i++) {
		struct plan_instance *in = p->instances->pdata[i];
		for (guint k = 0; k < in->rels->len; k++) {
			struct plan_rel *r = in->rels->pdata[k];
			GPtrArray *s;
			if (!r->rel->orders)
				continue;
			pending[i]++;
			s = g_hash_table_lookup(sources, r->target);
			if (!s) {
				s = g_ptr_array_new();
				g_hash_table_insert(sources, r->target, s);
			}
			g_ptr_array_add(s, in);
		}
		if (!pending[i]) {
			level[i] = 1;
			g_ptr_array_add(queue, in);
		}
	}
	for (guint q = 0; q < queue->len; q++) {
		struct plan_instance *t = queue->pdata[q];
		guint ti = GPOINTER_TO_UINT(g_hash_table_lookup(index, t));
		GPtrArray *s = g_hash_table_lookup(sources, t);
		for (guint k = 0; s && k < s->len; k++) {
			guint si = GPOINTER_TO_UINT(
				g_hash_table_lookup(index, s->pdata[k]));
			level[si] = MAX(level[si], level[ti] + 1);
			if (--pending[si] == 0)
				g_ptr_array_add(queue, s->pdata[k]);
		}
		while (waves->len < level[ti])
			g_ptr_array_add(waves, g_ptr_array_new());
		g_ptr_array_add(waves->pdata[level[ti] - 1], t);
	}
	return waves;
}
