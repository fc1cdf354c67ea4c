/* operation.c: the execute_operation workflow (workflow.h): one
 * operation on the chosen instances, with parameters from the command
 * line, all at once or in dependency order. */
#include "workflow/wf-int.h"
#include "model/value.h"

#include <jansson.h>
#include <string.h>

GHashTable *wf_params_new(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
				     (GDestroyNotify)json_decref);
}

/* (transfer full) a parameter's VALUE: a YAML scalar resolved as PyYAML
 * does (42, 1.5, true, yes, null, ~, "quoted") or a flow collection
 * ([1, 2], {a: 1}: JSON too), as JSON; anything else (text that does not
 * parse, or would be a block mapping like "note: hi") as the string it
 * is. NULL only for text that is not UTF-8. */
static json_t *param_value(const char *text)
{
	g_autoptr(dsl_doc) doc = NULL;

	if (*text)
		doc = dsl_parse_string("<parameter>", text, strlen(text), NULL);
	if (doc && doc->roots->len == 1 &&
	    (doc->root->kind == DSL_NULL || dsl_is_scalar(doc->root) ||
	     text[0] == '[' || text[0] == '{'))
		return model_value_to_json(doc->root);
	return json_string(text);
}

bool wf_params_add(GHashTable *params, const char *kv, struct bp_error **err)
{
	const char *eq = strchr(kv, '=');
	json_t *v;

	if (!eq || eq == kv) {
		bp_error_set(err, BP_ERR_USAGE, NULL, NULL, "expected "
			     "KEY=VALUE for a parameter, found '%s'", kv);
		return false;
	}
	v = param_value(eq + 1);
	if (!v) {
		bp_error_set(err, BP_ERR_USAGE, NULL, NULL, "the value of "
			     "parameter '%.*s' is not valid UTF-8",
			     (int)(eq - kv), kv);
		return false;
	}
	g_hash_table_insert(params, g_strndup(kv, (gsize)(eq - kv)), v);
	return true;
}

/* How a node answers for the requested operation. */
struct resolved {
	unsigned found;             /* implementations found (wf__find_op) */
	bool declared;
	struct wf_opref ref;
};

/* "INTERFACE.OP" when the node has that interface, else "OP" anywhere. */
static void resolve(const struct model_node *n, const char *operation,
		    struct resolved *out)
{
	const char *dot = strrchr(operation, '.');

	if (dot && dot > operation && dot[1]) {
		g_autofree char *iface = g_strndup(operation,
						   (gsize)(dot - operation));
		if (g_hash_table_contains(n->ifaces, iface)) {
			out->found = wf__find_op(n, iface, dot + 1, &out->ref,
						 &out->declared);
			return;
		}
	}
	out->found = wf__find_op(n, NULL, operation, &out->ref,
				 &out->declared);
}

/* The chosen instances in plan order, and in `named` the nodes named or
 * owning a named instance, which must declare the operation. */
static bool choose(const struct plan *p, const struct wf_op_request *req,
		   GPtrArray *out, GHashTable *named, struct bp_error **err)
{
	g_autoptr(GHashTable) nodes = g_hash_table_new(NULL, NULL);
	g_autoptr(GHashTable) ids = g_hash_table_new(NULL, NULL);
	bool all = !(req->node_ids && req->node_ids[0]) &&
		   !(req->instance_ids && req->instance_ids[0]);

	for (size_t k = 0; req->node_ids && req->node_ids[k]; k++) {
		const struct model_node *n = model_node_find(p->model,
							     req->node_ids[k]);
		if (!n) {
			bp_error_set(err, BP_ERR_NOT_FOUND, NULL, NULL, "no "
				     "node '%s'", req->node_ids[k]);
			return false;
		}
		g_hash_table_add(nodes, (gpointer)n);
		g_hash_table_add(named, (gpointer)n);
	}
	for (size_t k = 0; req->instance_ids && req->instance_ids[k]; k++) {
		struct plan_instance *i = plan_instance_find(
			p, req->instance_ids[k]);
		if (!i) {
			bp_error_set(err, BP_ERR_NOT_FOUND, NULL, NULL, "no "
				     "node instance '%s'",
				     req->instance_ids[k]);
			return false;
		}
		g_hash_table_add(ids, i);
		g_hash_table_add(named, (gpointer)i->node);
	}
	for (guint i = 0; i < p->instances->len; i++) {
		struct plan_instance *x = p->instances->pdata[i];
		if (all || g_hash_table_contains(nodes, x->node) ||
		    g_hash_table_contains(ids, x))
			g_ptr_array_add(out, x);
	}
	return true;
}

/* Resolves the operation for every node of the chosen instances. */
static bool resolve_all(const char *operation, const GPtrArray *chosen,
			GHashTable *named, GHashTable *res,
			struct bp_error **err)
{
	bool any = false;

	for (guint i = 0; i < chosen->len; i++) {
		const struct model_node *n =
			((struct plan_instance *)chosen->pdata[i])->node;
		struct resolved *r;
		if (g_hash_table_contains(res, n))
			continue;
		r = g_new0(struct resolved, 1);
		g_hash_table_insert(res, (gpointer)n, r);
		resolve(n, operation, r);
		any = any || r->declared;
		if (!r->declared && g_hash_table_contains(named, n)) {
			bp_error_set(err, BP_ERR_NOT_FOUND, NULL, NULL, "node "
				     "'%s' has no operation '%s'", n->name,
				     operation);
			return false;
		}
		if (r->found > 1) {
			bp_error_set(err, BP_ERR_INVALID, NULL, NULL,
				     "operation '%s' of node '%s' is "
				     "implemented in several interfaces; name "
				     "one as INTERFACE.OPERATION", operation,
				     n->name);
			return false;
		}
	}
	if (!any && chosen->len) {
		bp_error_set(err, BP_ERR_NOT_FOUND, NULL, NULL, "no node has "
			     "operation '%s'", operation);
		return false;
	}
	return true;
}

/* Edges to the step of `s` from the nearest steps among the instances it
 * has relationships to, looking through instances without a step. */
static void order_from(struct wf_graph *g, GHashTable *steps,
		       struct plan_instance *s)
{
	g_autoptr(GHashTable) seen = g_hash_table_new(NULL, NULL);
	g_autoptr(GPtrArray) stack = g_ptr_array_new();
	struct wf_step *mine = g_hash_table_lookup(steps, s);

	g_ptr_array_add(stack, s);
	while (stack->len) {
		struct plan_instance *x = g_ptr_array_steal_index_fast(
			stack, stack->len - 1);
		for (guint k = 0; k < x->rels->len; k++) {
			struct plan_instance *t =
				((struct plan_rel *)x->rels->pdata[k])->target;
			struct wf_step *theirs;
			if (!g_hash_table_add(seen, t))
				continue;
			theirs = g_hash_table_lookup(steps, t);
			if (theirs)
				wf__edge(g, theirs, mine);
			else
				g_ptr_array_add(stack, t);
		}
	}
}

bool wf_execute_operation(const struct plan *p, const struct wf_op_request *req,
			  struct wf_graph **out, struct bp_error **err)
{
	g_autoptr(GPtrArray) chosen = g_ptr_array_new();
	g_autoptr(GHashTable) named = g_hash_table_new(NULL, NULL);
	g_autoptr(GHashTable) res = g_hash_table_new_full(NULL, NULL, NULL,
							  g_free);
	g_autoptr(GHashTable) steps = g_hash_table_new(NULL, NULL);
	struct wf_graph *g;

	*out = NULL;
	if (!req->operation || !*req->operation) {
		bp_error_set(err, BP_ERR_USAGE, NULL, NULL, "no operation to "
			     "execute");
		return false;
	}
	if (!choose(p, req, chosen, named, err) ||
	    !resolve_all(req->operation, chosen, named, res, err))
		return false;
	g = wf_graph_new("execute_operation");
	for (guint i = 0; i < chosen->len; i++) {
		struct plan_instance *x = chosen->pdata[i];
		const struct resolved *r = g_hash_table_lookup(res, x->node);
		struct wf_step *s;
		if (!r->found)
			continue;
		s = wf__op_step(g, x, &r->ref);
		if (req->params)
			s->params = g_hash_table_ref(req->params);
		g_hash_table_insert(steps, x, s);
	}
	for (guint i = 0; req->dependency_order && i < chosen->len; i++)
		if (g_hash_table_contains(steps, chosen->pdata[i]))
			order_from(g, steps, chosen->pdata[i]);
	*out = g;
	return true;
}
