/* builtin.c: the built-in workflows by name with their parameters as an
 * execution records them (Cloudify's names: node_ids, node_instance_ids,
 * type_names, operation, operation_kwargs, run_by_dependency_order,
 * node_instance_id, force_reinstall), turned into step graphs: what
 * `blueprint install ... exec, heal, run` start and `resume` rebuilds. */
#include "exec/builtin.h"

#include <string.h>

static const char *const builtins[] = {
	"install", "uninstall", "start", "stop", "restart",
	"execute_operation", "heal", NULL
};

bool exec_builtin_known(const char *name)
{
	return name && g_strv_contains(builtins, name);
}

/* Strings of the JSON list `key` of params (a string is split at commas)
 * as a NULL-terminated (transfer full) array, or NULL when absent or empty
 * (and on error, with *err set). */
static char **strings(const json_t *params, const char *key,
		      struct bp_error **err)
{
	const json_t *a = json_object_get(params, key);
	char **out;
	size_t i;
	json_t *v;

	if (!a || json_is_null(a) || (json_is_array(a) && !json_array_size(a)))
		return NULL;
	if (json_is_string(a))
		return g_strsplit(json_string_value(a), ",", -1);
	json_array_foreach(a, i, v)
		if (!json_is_string(v))
			break;
	if (!json_is_array(a) || i < json_array_size(a)) {
		bp_error_set(err, BP_ERR_USAGE, NULL, NULL, "expected a list "
			     "of names for parameter '%s'", key);
		return NULL;
	}
	out = g_new0(char *, json_array_size(a) + 1);
	json_array_foreach(a, i, v)
		out[i] = g_strdup(json_string_value(v));
	return out;
}

/* The instances the filters node_ids, node_instance_ids and type_names
 * keep, or in *out NULL for all of them. */
static bool filtered(const struct plan *p, const json_t *params,
		     GPtrArray **out, struct bp_error **err)
{
	struct bp_error *e = NULL;
	g_auto(GStrv) nodes = strings(params, "node_ids", &e);
	g_auto(GStrv) ids = e ? NULL : strings(params, "node_instance_ids", &e);
	g_auto(GStrv) types = e ? NULL : strings(params, "type_names", &e);

	*out = NULL;
	if (e) {
		bp_error_propagate(err, e);
		return false;
	}
	for (size_t k = 0; nodes && nodes[k]; k++)
		if (!model_node_find(p->model, nodes[k])) {
			bp_error_set(err, BP_ERR_NOT_FOUND, NULL, NULL, "no "
				     "node '%s'", nodes[k]);
			return false;
		}
	for (size_t k = 0; ids && ids[k]; k++)
		if (!plan_instance_find(p, ids[k])) {
			bp_error_set(err, BP_ERR_NOT_FOUND, NULL, NULL, "no "
				     "node instance '%s'", ids[k]);
			return false;
		}
	if (!nodes && !ids && !types)
		return true;
	*out = g_ptr_array_new();
	for (guint i = 0; i < p->instances->len; i++) {
		struct plan_instance *x = p->instances->pdata[i];
		bool keep = (!nodes || g_strv_contains((const char *const *)
						       nodes, x->node->name)) &&
			    (!ids || g_strv_contains((const char *const *)ids,
						     x->id));
		if (keep && types) {
			keep = false;
			for (size_t k = 0; types[k] && !keep; k++)
				keep = model_type_is_named(x->node->type,
							   types[k]);
		}
		if (keep)
			g_ptr_array_add(*out, x);
	}
	return true;
}

static bool operation_graph(const struct plan *p, const json_t *params,
			    struct wf_graph **out, struct bp_error **err)
{
	const json_t *kwargs = json_object_get(params, "operation_kwargs");
	g_autoptr(GHashTable) args = wf_params_new();
	struct bp_error *e = NULL;
	g_auto(GStrv) nodes = strings(params, "node_ids", &e);
	g_auto(GStrv) ids = e ? NULL : strings(params, "node_instance_ids", &e);
	struct wf_op_request req = { 0 };
	const char *k;
	json_t *v;

	if (e) {
		bp_error_propagate(err, e);
		return false;
	}
	if (kwargs && !json_is_object(kwargs) && !json_is_null(kwargs)) {
		bp_error_set(err, BP_ERR_USAGE, NULL, NULL, "expected a "
			     "mapping for parameter 'operation_kwargs'");
		return false;
	}
	json_object_foreach((json_t *)kwargs, k, v)
		g_hash_table_insert(args, g_strdup(k), json_incref(v));
	req.operation = json_string_value(json_object_get(params,
							  "operation"));
	req.node_ids = (const char *const *)nodes;
	req.instance_ids = (const char *const *)ids;
	req.params = g_hash_table_size(args) ? args : NULL;
	req.dependency_order = json_is_true(json_object_get(
		params, "run_by_dependency_order"));
	return wf_execute_operation(p, &req, out, err);
}

/* heal: the instance's heal operation, unless force_reinstall is true or
 * there is none (then force_reinstall is set to true in params). */
static bool heal_graph(const struct plan *p, json_t *params,
		       struct wf_graph **out, struct bp_error **err)
{
	const char *id = json_string_value(json_object_get(
		params, "node_instance_id"));
	struct plan_instance *inst = id ? plan_instance_find(p, id) : NULL;
	struct wf_graph *op = NULL, *reinstall = NULL;

	if (!inst) {
		bp_error_set(err, id ? BP_ERR_NOT_FOUND : BP_ERR_USAGE, NULL,
			     NULL, id ? "no node instance '%s'" :
			     "heal needs the parameter 'node_instance_id'%s",
			     id ? id : "");
		return false;
	}
	if (!wf_heal(p, inst, &op, &reinstall, err))
		return false;
	if (op && !json_is_true(json_object_get(params, "force_reinstall"))) {
		wf_graph_free(reinstall);
		*out = op;
		return true;
	}
	wf_graph_free(op);
	json_object_set_new(params, "force_reinstall", json_true());
	*out = reinstall;
	return true;
}

bool exec_builtin_graph(struct exec_deployment *d, const char *name,
			json_t *params, struct wf_graph **out,
			struct bp_error **err)
{
	const struct plan *p = d->plan;
	g_autoptr(GPtrArray) some = NULL;
	struct wf_state_lookup states;

	*out = NULL;
	exec_deployment_states(d, &states);
	if (!strcmp(name, "execute_operation"))
		return operation_graph(p, params, out, err);
	if (!strcmp(name, "heal"))
		return heal_graph(p, params, out, err);
	if (!exec_builtin_known(name)) {
		bp_error_set(err, BP_ERR_NOT_FOUND, NULL, NULL, "no built-in "
			     "workflow '%s'", name);
		return false;
	}
	if (!filtered(p, params, &some, err))
		return false;
	if (!strcmp(name, "install"))
		return wf_install(p, some, &states, out, err);
	if (!strcmp(name, "uninstall"))
		return wf_uninstall(p, some, &states, out, err);
	if (!strcmp(name, "start"))
		return wf_start(p, some, out, err);
	if (!strcmp(name, "stop"))
		return wf_stop(p, some, out, err);
	return wf_restart(p, some, out, err);
}
