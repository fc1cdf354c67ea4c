/* build.c: a model's initial node instances and relationship instances
 * (plan.h), the plan's own bookkeeping (ids, per-node lists, the tables
 * scaling reads), and the install waves `blueprint plan` shows. */
#include "plan/plan.h"

#include <string.h>

void plan__instance_free(struct plan_instance *i)
{
	if (!i)
		return;
	g_free(i->id);
	g_ptr_array_unref(i->rels);
	g_ptr_array_unref(i->incoming);
	g_ptr_array_unref(i->contained);
	g_free(i->groups);
	g_free(i);
}

static void free_tables(GPtrArray **t, guint n)
{
	for (guint i = 0; t && i < n; i++)
		g_ptr_array_unref(t[i]);
	g_free(t);
}

void plan_free(struct plan *p)
{
	if (!p)
		return;
	g_hash_table_unref(p->by_id);
	g_hash_table_unref(p->by_node);
	g_ptr_array_unref(p->instances);
	g_rand_free(p->rand);
	plan__groups_release(p);
	g_free(p->counts);
	free_tables(p->hosted, p->model->node_order->len);
	free_tables(p->rels_to, p->model->node_order->len);
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

struct plan_instance *plan_instance_find(const struct plan *p, const char *id)
{
	return id ? g_hash_table_lookup(p->by_id, id) : NULL;
}

static bool is_compute(const struct model_node *n)
{
	return model_type_is_named(n->type, "cloudify.nodes.Compute") ||
	       model_type_is_named(n->type, "tosca.nodes.Compute");
}

struct plan_instance *plan_instance_compute_host(struct plan_instance *i)
{
	struct plan_instance *top = i;

	for (struct plan_instance *x = i; x; x = x->host) {
		if (is_compute(x->node))
			return x;
		top = x;
	}
	return top;
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
					 const int *groups, const char *id)
{
	struct plan_instance *i = g_new0(struct plan_instance, 1);
	GPtrArray *list = g_hash_table_lookup(p->by_node, n->name);

	i->id = id ? g_strdup(id) : new_id(p, n->name);
	i->node = n;
	i->host = host;
	i->rels = g_ptr_array_new_with_free_func(g_free);
	i->incoming = g_ptr_array_new();
	i->contained = g_ptr_array_new();
	i->seq = p->next_seq++;
	i->pos = p->instances->len;
	i->groups = g_new(int, p->ngroups ? p->ngroups : 1);
	for (unsigned g = 0; g < p->ngroups; g++)
		i->groups[g] = groups ? groups[g] : host ? host->groups[g] : -1;
	if (host)
		g_ptr_array_add(host->contained, i);
	if (!list) {
		list = g_ptr_array_new();
		g_hash_table_insert(p->by_node, (gpointer)n->name, list);
	}
	g_ptr_array_add(list, i);
	g_ptr_array_add(p->instances, i);
	g_hash_table_insert(p->by_id, i->id, i);
	plan__group_join(p, i);
	return i;
}

/* Removes `x` from `a` looking from the end, where the newest are. */
static void remove_last(GPtrArray *a, gconstpointer x)
{
	for (guint k = a->len; k-- > 0;)
		if (a->pdata[k] == x) {
			g_ptr_array_remove_index(a, k);
			return;
		}
}

void plan__instance_detach(struct plan *p, struct plan_instance *i,
			   bool keep_host)
{
	g_hash_table_remove(p->by_id, i->id);
	remove_last(g_hash_table_lookup(p->by_node, i->node->name), i);
	if (i->host && !keep_host)
		remove_last(i->host->contained, i);
	plan__group_leave(p, i);
	p->instances->pdata[i->pos] = NULL;
}

void plan__compact(struct plan *p, unsigned from)
{
	GPtrArray *a = p->instances;
	guint w = from;

	for (guint r = from; r < a->len; r++) {
		struct plan_instance *i = a->pdata[r];
		if (!i)
			continue;
		i->pos = w;
		a->pdata[w++] = i;
	}
	/* the tail holds stale slots: take them out without freeing */
	while (a->len > w)
		g_ptr_array_steal_index(a, a->len - 1);
}

/* Creates the instances of `n` for each combination of the indexes of
 * groups g.. that `n` starts; `combo` holds the indexes chosen so far. */
static void create_combo(struct plan *p, const struct model_node *n,
			 struct plan_instance *host, int only, int index,
			 unsigned count, GPtrArray *made, unsigned g,
			 int *combo)
{
	const struct plan_group *gr;

	if (g == p->ngroups) {
		for (unsigned k = 0; k < count; k++) {
			struct plan_instance *i = plan__instance_new(
				p, n, host, combo, NULL);
			if (made)
				g_ptr_array_add(made, i);
		}
		return;
	}
	gr = &p->groups[g];
	combo[g] = host ? host->groups[g] : -1;
	if (combo[g] >= 0 || !g_hash_table_contains(gr->nodes, n)) {
		create_combo(p, n, host, only, index, count, made, g + 1,
			     combo);
		return;
	}
	if ((int)g == only) {
		combo[g] = index;
		create_combo(p, n, host, only, index, count, made, g + 1,
			     combo);
		return;
	}
	for (guint c = 0; c < gr->live->len; c++) {
		combo[g] = g_array_index(gr->live, int, c);
		create_combo(p, n, host, only, index, count, made, g + 1,
			     combo);
	}
}

void plan__create_under(struct plan *p, const struct model_node *n,
			struct plan_instance *host, int only, int index,
			unsigned count, GPtrArray *made)
{
	g_autofree int *combo = g_new(int, p->ngroups + 1);

	create_combo(p, n, host, only, index, count, made, 0, combo);
}

struct plan *plan__new(const struct model *m, guint32 seed)
{
	struct plan *p = g_new0(struct plan, 1);
	guint nn = m->node_order->len;

	p->model = m;
	p->instances = g_ptr_array_new_with_free_func(
		(GDestroyNotify)plan__instance_free);
	p->by_id = g_hash_table_new(g_str_hash, g_str_equal);
	p->by_node = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
					   (GDestroyNotify)g_ptr_array_unref);
	p->rand = seed ? g_rand_new_with_seed(seed) : g_rand_new();
	p->counts = g_new0(unsigned, nn + 1);
	p->hosted = g_new0(GPtrArray *, nn + 1);
	p->rels_to = g_new0(GPtrArray *, nn + 1);
	for (guint i = 0; i < nn; i++) {
		p->hosted[i] = g_ptr_array_new();
		p->rels_to[i] = g_ptr_array_new();
	}
	for (guint i = 0; i < nn; i++) {
		const struct model_node *n = m->node_order->pdata[i];
		p->counts[i] = n->default_instances;
		if (n->host)
			g_ptr_array_add(p->hosted[n->host->index], (gpointer)n);
		for (guint k = 0; k < n->rels->len; k++) {
			const struct model_rel *r = n->rels->pdata[k];
			g_ptr_array_add(p->rels_to[r->target->index],
					(gpointer)r);
		}
	}
	plan__groups_init(p);
	return p;
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
	struct plan *p = plan__new(m, seed);
	g_autoptr(GPtrArray) order = g_ptr_array_new();

	for (unsigned g = 0; g < p->ngroups; g++)
		for (unsigned c = 0; c < p->groups[g].default_instances; c++)
			plan__group_live(p, g, (int)c);
	g_ptr_array_extend(order, m->node_order, NULL, NULL);
	g_ptr_array_sort(order, by_depth);
	for (guint i = 0; i < order->len; i++) {
		const struct model_node *n = order->pdata[i];
		const GPtrArray *hosts;
		if (!n->host) {
			plan__create_under(p, n, NULL, -1, 0,
					   p->counts[n->index], NULL);
			continue;
		}
		/* create_under appends to the host's instance list only when
		 * a node hosts itself, which the model forbids */
		hosts = plan_node_instances(p, n->host->name);
		for (guint h = 0; h < hosts->len; h++)
			plan__create_under(p, n, hosts->pdata[h], -1, 0,
					   p->counts[n->index], NULL);
	}
	for (guint i = 0; i < p->instances->len; i++)
		plan__link(p, p->instances->pdata[i]);
	return p;
}

GPtrArray *plan_waves(const struct plan *p)
{
	GPtrArray *waves = g_ptr_array_new_with_free_func(
		(GDestroyNotify)g_ptr_array_unref);
	guint n = p->instances->len;
	g_autofree guint *level = g_new0(guint, n);
	g_autofree guint *pending = g_new0(guint, n);
	g_autoptr(GPtrArray) queue = g_ptr_array_new();

	/* Kahn's algorithm: an instance is ready once every target of its
	 * relationships is; its wave is one past its latest target's. */
	for (guint i = 0; i < n; i++) {
		struct plan_instance *in = p->instances->pdata[i];
		for (guint k = 0; k < in->rels->len; k++)
			pending[i] += ((struct plan_rel *)in->rels->pdata[k])
				      ->rel->orders;
		if (!pending[i]) {
			level[i] = 1;
			g_ptr_array_add(queue, in);
		}
	}
	for (guint q = 0; q < queue->len; q++) {
		struct plan_instance *t = queue->pdata[q];
		for (guint k = 0; k < t->incoming->len; k++) {
			const struct plan_rel *r = t->incoming->pdata[k];
			struct plan_instance *s = r->source;
			if (!r->rel->orders)
				continue;
			level[s->pos] = MAX(level[s->pos], level[t->pos] + 1);
			if (--pending[s->pos] == 0)
				g_ptr_array_add(queue, s);
		}
		while (waves->len < level[t->pos])
			g_ptr_array_add(waves, g_ptr_array_new());
		g_ptr_array_add(waves->pdata[level[t->pos] - 1], t);
	}
	return waves;
}
