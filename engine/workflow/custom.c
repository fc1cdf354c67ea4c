/* custom.c: a workflow the blueprint declares (`workflows: NAME: mapping`,
 * workflow.h): one step that runs the mapped plugin operation or script
 * for the whole deployment, its declared parameters as the inputs. */
#include "workflow/wf-int.h"
#include "model/value.h"

#include <string.h>

/* The declared workflow `name`, or NULL. */
static const struct model_item *find(const struct model *m, const char *name)
{
	for (guint i = 0; name && i < m->workflows->len; i++) {
		const struct model_item *it = m->workflows->pdata[i];
		if (!strcmp(it->name, name))
			return it;
	}
	return NULL;
}

const char *wf_custom_mapping(const struct model *m, const char *name)
{
	const struct model_item *it = find(m, name);

	return it ? dsl_str(dsl_map_get(it->entry->def, "mapping")) : NULL;
}

static void op_free(gpointer p)
{
	struct model_operation *op = p;

	g_hash_table_unref(op->input_defs);
	g_hash_table_unref(op->inputs);
	g_free(op);
}

/* The operation a step runs for the workflow: its mapping, no inputs of
 * its own, the engine's retry settings. Owned by the graph. */
static struct model_operation *workflow_op(struct wf_graph *g,
					   const struct model_item *it,
					   const char *mapping)
{
	struct model_operation *op = g_new0(struct model_operation, 1);

	op->name = it->name;
	op->implementation = mapping;
	op->impl_node = dsl_map_get(it->entry->def, "mapping");
	op->input_defs = g_hash_table_new(g_str_hash, g_str_equal);
	op->inputs = g_hash_table_new(g_str_hash, g_str_equal);
	op->max_retries = -1;
	op->retry_interval = -1;
	op->timeout = -1;
	op->def = it->entry->def;
	op->mark = it->entry->mark;
	if (!g->owned)
		g->owned = g_ptr_array_new_with_free_func(op_free);
	g_ptr_array_add(g->owned, op);
	return op;
}

/* (transfer full) the inputs: each declared parameter's default, then the
 * given ones, which must be declared. */
static GHashTable *inputs_of(const struct model_item *it, GHashTable *given,
			     struct bp_error **err)
{
	const struct dsl_node *decl = dsl_map_get(it->entry->def, "parameters");
	GHashTable *out = wf_params_new();
	GHashTableIter iter;
	gpointer k, v;

	for (uint32_t i = 0; dsl_is_map(decl) && i < dsl_len(decl); i++) {
		const struct dsl_pair *p = &decl->u.map.items[i];
		const struct dsl_node *def = dsl_map_get(p->value, "default");
		if (dsl_map_pair(p->value, "default"))
			g_hash_table_insert(out, g_strdup(dsl_key(p)),
					    model_value_to_json(def));
	}
	if (given) {
		g_hash_table_iter_init(&iter, given);
		while (g_hash_table_iter_next(&iter, &k, &v)) {
			if (!dsl_map_get(decl, k)) {
				bp_error_set(err, BP_ERR_USAGE, NULL, NULL,
					     "workflow '%s' has no parameter "
					     "'%s'", it->name, (char *)k);
				g_hash_table_unref(out);
				return NULL;
			}
			g_hash_table_insert(out, g_strdup(k), json_incref(v));
		}
	}
	for (uint32_t i = 0; dsl_is_map(decl) && i < dsl_len(decl); i++) {
		const struct dsl_pair *p = &decl->u.map.items[i];
		const char *name = dsl_key(p);
		bool optional = false;
		if (dsl_as_bool(dsl_map_get(p->value, "required"), &optional))
			optional = !optional;
		if (!optional && !g_hash_table_contains(out, name)) {
			bp_error_set(err, BP_ERR_USAGE, NULL, NULL, "workflow "
				     "'%s' needs the parameter '%s' (-p %s="
				     "VALUE)", it->name, name, name);
			g_hash_table_unref(out);
			return NULL;
		}
	}
	return out;
}

bool wf_workflow_params(const struct model *m, const char *name,
			GHashTable *given, GHashTable **out,
			struct bp_error **err)
{
	const struct model_item *it = find(m, name);

	*out = NULL;
	if (!it) {
		bp_error_set(err, BP_ERR_NOT_FOUND, NULL, NULL, "the blueprint "
			     "declares no workflow '%s'", name);
		return false;
	}
	*out = inputs_of(it, given, err);
	return *out != NULL;
}

bool wf_custom(const struct model *m, const char *name, GHashTable *params,
	       struct wf_graph **out, struct bp_error **err)
{
	const struct model_item *it = find(m, name);
	const char *mapping = wf_custom_mapping(m, name);
	GHashTable *inputs;
	struct wf_step *s;

	*out = NULL;
	if (!it || !mapping) {
		bp_error_set(err, BP_ERR_NOT_FOUND, NULL, NULL, it ?
			     "workflow '%s' has no 'mapping' to run" :
			     "the blueprint declares no workflow '%s'", name);
		return false;
	}
	inputs = inputs_of(it, params, err);
	if (!inputs)
		return false;
	*out = wf_graph_new(it->name);
	s = wf__workflow_step(*out, workflow_op(*out, it, mapping));
	s->params = inputs;
	return true;
}
