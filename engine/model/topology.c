/* topology.c: the parts of a blueprint around its node templates: inputs,
 * outputs, groups, policies (scaling groups), workflows; then the graph
 * checks: no relationship cycle, and scaling groups that can be scaled as
 * a unit. */
#include "model/internal.h"
#include "model/value.h"

#include <limits.h>
#include <string.h>

static const char *const scaling_policies[] = {
	"cloudify.policies.scaling", "tosca.policies.Scaling", NULL
};

static bool build_inputs(struct model_builder *b)
{
	const GPtrArray *es = dsl_service_entries(b->m->svc, DSL_SEC_INPUTS);
	bool ok = true;

	for (guint i = 0; i < es->len; i++) {
		const struct dsl_entry *e = es->pdata[i];
		g_autofree char *path = g_strconcat("inputs.", e->name, NULL);
		struct dsl_node key = { .kind = DSL_SCALAR, .mark = e->mark };
		struct model_prop *p = model__prop_new(b, e->name, &key, e->def,
						       path);
		if (!p) {
			ok = false;
			continue;
		}
		if (p->default_value)
			ok &= model_check_value(b->m, p, p->default_value, path,
						b->diags);
		g_hash_table_insert(b->m->inputs, (gpointer)p->name, p);
		g_ptr_array_add(b->m->input_order, p);
	}
	return ok;
}

static void add_items(struct model_builder *b, enum dsl_section sec,
		      GPtrArray *out)
{
	const GPtrArray *es = dsl_service_entries(b->m->svc, sec);

	for (guint i = 0; i < es->len; i++) {
		struct model_item *it = model__new(b->m, struct model_item);
		it->entry = es->pdata[i];
		it->name = it->entry->name;
		g_ptr_array_add(out, it);
	}
}

static struct model_item *group_find(const struct model *m, const char *name)
{
	for (guint i = 0; name && i < m->groups->len; i++)
		if (!strcmp(((struct model_item *)m->groups->pdata[i])->name,
			    name))
			return m->groups->pdata[i];
	return NULL;
}

static bool check_outputs(struct model_builder *b)
{
	bool ok = true;

	for (guint i = 0; i < b->m->outputs->len; i++) {
		const struct model_item *o = b->m->outputs->pdata[i];
		g_autofree char *path = g_strconcat("outputs.", o->name, NULL);
		if (!dsl_is_map(o->entry->def) ||
		    !dsl_map_pair(o->entry->def, "value"))
			ok = model__error_at(b, &o->entry->mark, path, "output "
					     "'%s' has no 'value'", o->name);
	}
	return ok;
}

static bool check_groups(struct model_builder *b)
{
	bool ok = true;

	for (guint i = 0; i < b->m->groups->len; i++) {
		struct model_item *g = b->m->groups->pdata[i];
		const struct dsl_node *def = g->entry->def;
		const struct dsl_node *members = dsl_map_get(def, "members");
		const struct dsl_node *type = dsl_map_get(def, "type");
		g_autofree char *path = g_strconcat("groups.", g->name, NULL);

		if (model_node_find(b->m, g->name))
			ok = model__error_at(b, &g->entry->mark, path, "group "
					     "'%s' has the name of a node "
					     "template", g->name);
		if (dsl_str(type)) {
			g->type = model_type_find(b->m, MODEL_GROUP_TYPE,
						  dsl_str(type));
			if (!g->type)
				ok = model__error(b, type, path, "unknown group "
						  "type '%s'", dsl_str(type));
		}
		if (members && !dsl_is_seq(members)) {
			ok = model__error(b, members, path, "expected a list "
					  "of members, found %s",
					  dsl_type_name_a(members));
			continue;
		}
		for (uint32_t k = 0; k < dsl_len(members); k++) {
			const struct dsl_node *mn = members->u.seq.items[k];
			if (model_node_find(b->m, dsl_str(mn)) ||
			    group_find(b->m, dsl_str(mn)))
				continue;
			ok = model__error(b, mn, path, "member '%s' of group "
					  "'%s' is neither a node template nor "
					  "a group", dsl_scalar(mn) ?
					  dsl_scalar(mn) : "", g->name);
		}
	}
	return ok;
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

/* The numbers of a scaling policy must agree with each other. */
static bool check_scaling_numbers(struct model_builder *b,
				  const struct model_item *p, const char *path)
{
	const struct dsl_node *props = dsl_map_get(p->entry->def, "properties");
	int64_t def = 1, min = 0, max = -1;
	const struct dsl_node *dn = dsl_map_get(props, "default_instances");

	dsl_as_int(dn, &def);
	dsl_as_int(dsl_map_get(props, "min_instances"), &min);
	dsl_as_int(dsl_map_get(props, "max_instances"), &max);
	if (max >= 0 && def > max)
		return model__error(b, dn ? dn : p->entry->def, path,
				    "default_instances (%" G_GINT64_FORMAT ") "
				    "cannot be greater than max_instances (%"
				    G_GINT64_FORMAT ") of policy '%s'", def,
				    max, p->name);
	if (def < min)
		return model__error(b, dn ? dn : p->entry->def, path,
				    "default_instances (%" G_GINT64_FORMAT ") "
				    "cannot be less than min_instances (%"
				    G_GINT64_FORMAT ") of policy '%s'", def,
				    min, p->name);
	return true;
}

static bool check_policies(struct model_builder *b)
{
	bool ok = true;

	for (guint i = 0; i < b->m->policies->len; i++) {
		struct model_item *p = b->m->policies->pdata[i];
		const struct dsl_node *def = p->entry->def;
		const struct dsl_node *type = dsl_map_get(def, "type");
		const struct dsl_node *targets = dsl_map_get(def, "targets");
		g_autofree char *path = g_strconcat("policies.", p->name, NULL);

		p->type = model_type_find(b->m, MODEL_POLICY_TYPE, dsl_str(type));
		if (!p->type && !is_scaling(p)) {
			ok = model__error_at(b, type ? &type->mark :
					     &p->entry->mark, path, "unknown "
					     "policy type '%s' of policy '%s'",
					     dsl_str(type) ? dsl_str(type) : "",
					     p->name);
			continue;
		}
		if (is_scaling(p) && dsl_len(targets) == 0) {
			ok = model__error_at(b, &p->entry->mark, path, "policy "
					     "'%s' has no target groups; a "
					     "scaling policy needs at least "
					     "one", p->name);
			continue;
		}
		for (uint32_t k = 0; k < dsl_len(targets); k++) {
			const struct dsl_node *t = targets->u.seq.items[k];
			if (group_find(b->m, dsl_str(t)) ||
			    (!is_scaling(p) && model_node_find(b->m, dsl_str(t))))
				continue;
			ok = model__error(b, t, path, "target '%s' of policy "
					  "'%s' is not a %s", dsl_scalar(t) ?
					  dsl_scalar(t) : "", p->name,
					  is_scaling(p) ? "group" :
					  "group or node template");
		}
		if (is_scaling(p))
			ok &= check_scaling_numbers(b, p, path);
	}
	return ok;
}

bool model__build_topology(struct model_builder *b)
{
	bool ok = build_inputs(b);

	add_items(b, DSL_SEC_OUTPUTS, b->m->outputs);
	add_items(b, DSL_SEC_GROUPS, b->m->groups);
	add_items(b, DSL_SEC_POLICIES, b->m->policies);
	add_items(b, DSL_SEC_WORKFLOWS, b->m->workflows);
	ok &= check_outputs(b);
	ok &= check_groups(b);
	ok &= check_policies(b);
	return ok;
}

/* --- graph --- */

enum { WHITE, GREY, BLACK };

struct frame {
	struct model_node *n;
	guint next;             /* next relationship to follow */
};

static void report_cycle(struct model_builder *b, GArray *stack,
			 const struct model_rel *r)
{
	GString *s = g_string_new(NULL);
	guint k = stack->len;

	while (k-- > 0 && g_array_index(stack, struct frame, k).n != r->target)
		;
	for (; k < stack->len; k++)
		g_string_append_printf(s, "'%s' -> ",
				       g_array_index(stack, struct frame, k).n->name);
	g_string_append_printf(s, "'%s'", r->target->name);
	model__error_at(b, &r->mark, NULL, "relationship cycle: %s", s->str);
	g_string_free(s, TRUE);
}

/* Depth-first search for a cycle of relationships that order the install
 * (model_rel.orders) from `start`, iterative so that a long chain of nodes
 * cannot overflow the stack. */
static bool dfs(struct model_builder *b, struct model_node *start,
		guint8 *color)
{
	g_autoptr(GArray) stack = g_array_new(FALSE, FALSE, sizeof(struct frame));
	struct frame f = { start, 0 };

	color[start->index] = GREY;
	g_array_append_val(stack, f);
	while (stack->len) {
		struct frame *top = &g_array_index(stack, struct frame,
						   stack->len - 1);
		struct model_rel *r;

		if (top->next == top->n->rels->len) {
			color[top->n->index] = BLACK;
			g_array_set_size(stack, stack->len - 1);
			continue;
		}
		r = top->n->rels->pdata[top->next++];
		if (!r->orders)
			continue;
		if (color[r->target->index] == GREY) {
			report_cycle(b, stack, r);
			return false;
		}
		if (color[r->target->index] == WHITE) {
			struct frame nf = { r->target, 0 };
			color[r->target->index] = GREY;
			g_array_append_val(stack, nf);
		}
	}
	return true;
}

/* Adds the nodes of a group (recursively through member groups). */
static void group_nodes(const struct model *m, const struct model_item *g,
			GHashTable *out, unsigned depth)
{
	const struct dsl_node *members = dsl_map_get(g->entry->def, "members");

	for (uint32_t k = 0; k < dsl_len(members) && depth < 32; k++) {
		const char *name = dsl_str(members->u.seq.items[k]);
		struct model_node *n = model_node_find(m, name);
		if (n)
			g_hash_table_add(out, n);
		else if (group_find(m, name))
			group_nodes(m, group_find(m, name), out, depth + 1);
	}
}

/* The members of a scaling group are scaled together, so all must sit on
 * the same host outside the group (or none). */
static bool check_group_hosts(struct model_builder *b,
			      const struct model_item *g)
{
	g_autoptr(GHashTable) nodes = g_hash_table_new(NULL, NULL);
	struct model_node *first = NULL, *first_host = NULL;

	group_nodes(b->m, g, nodes, 0);
	for (guint i = 0; i < b->m->node_order->len; i++) {
		struct model_node *n = b->m->node_order->pdata[i], *h;
		if (!g_hash_table_contains(nodes, n))
			continue;
		for (h = n->host; h && g_hash_table_contains(nodes, h);
		     h = h->host)
			;
		if (!first) {
			first = n;
			first_host = h;
		} else if (h != first_host) {
			return model__error_at(b, &g->entry->mark, NULL,
					       "nodes '%s' and '%s' of group "
					       "'%s' are not contained in a "
					       "shared node, nor is any node "
					       "containing them", first->name,
					       n->name, g->name);
		}
	}
	return true;
}

bool model__check_graph(struct model_builder *b)
{
	struct model *m = b->m;
	g_autofree guint8 *color = g_new0(guint8, m->node_order->len + 1);
	bool ok = true;

	for (guint i = 0; i < m->node_order->len && ok; i++)
		if (color[i] == WHITE)
			ok = dfs(b, m->node_order->pdata[i], color);
	for (guint i = 0; i < m->policies->len; i++) {
		const struct model_item *p = m->policies->pdata[i];
		const struct dsl_node *targets = dsl_map_get(p->entry->def,
							     "targets");
		if (!is_scaling(p))
			continue;
		for (uint32_t k = 0; k < dsl_len(targets); k++) {
			const struct model_item *g = group_find(
				m, dsl_str(targets->u.seq.items[k]));
			if (g)
				ok &= check_group_hosts(b, g);
		}
	}
	return ok;
}
