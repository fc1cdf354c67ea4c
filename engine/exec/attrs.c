/* attrs.c: what a running operation's inputs may read at run time: the
 * callbacks of struct model_runtime (model/func.h) answered from the
 * deployment's live runtime properties, its plan, and the store (operation
 * outputs, secrets). */
#include "exec/internal.h"
#include "model/func.h"
#include "model/value.h"

#include <string.h>

/* The instance of node `node` at or above `i` in containment. */
static const struct plan_instance *up_to(const struct plan_instance *i,
					 const char *node)
{
	for (; i; i = i->host)
		if (!strcmp(i->node->name, node))
			return i;
	return NULL;
}

/* The one target of `i`'s relationships that is an instance of `node`. */
static const struct plan_instance *related(const struct plan_instance *i,
					   const char *node, bool *several)
{
	const struct plan_instance *found = NULL;

	for (guint k = 0; i && k < i->rels->len; k++) {
		const struct plan_rel *r = i->rels->pdata[k];
		if (strcmp(r->target->node->name, node))
			continue;
		if (found && found != r->target)
			*several = true;
		found = r->target;
	}
	return found;
}

static char *find_instance(void *data, const char *node, struct bp_error **err)
{
	struct exec_attr_ctx *ac = data;
	const struct plan_instance *ctx[] = { ac->self, ac->source, ac->target };
	const GPtrArray *all = plan_node_instances(ac->d->plan, node);
	bool several = false;

	for (size_t i = 0; i < G_N_ELEMENTS(ctx); i++) {
		const struct plan_instance *hit = up_to(ctx[i], node);
		if (!hit)
			hit = related(ctx[i], node, &several);
		if (hit && !several)
			return g_strdup(hit->id);
	}
	if (all->len == 1)
		return g_strdup(((struct plan_instance *)all->pdata[0])->id);
	if (!ac->self && !ac->source && !ac->target)
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "node '%s' has "
			     "%u instances; get_attribute in outputs needs one",
			     node, all->len);
	else
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "node '%s' has "
			     "%u instances and none is related to this one; "
			     "get_attribute cannot tell which one is meant",
			     node, all->len);
	return NULL;
}

static char **list_instances(void *data, const char *node,
			     struct bp_error **err)
{
	struct exec_attr_ctx *ac = data;
	const GPtrArray *all = plan_node_instances(ac->d->plan, node);
	char **ids = g_new0(char *, all->len + 1);

	for (guint i = 0; i < all->len; i++)
		ids[i] = g_strdup(((struct plan_instance *)all->pdata[i])->id);
	return ids;
}

/* A node property's value as JSON, its functions evaluated statically. */
static json_t *node_property(struct exec_attr_ctx *ac,
			     const struct model_node *n, const char *name,
			     struct bp_error **err)
{
	const struct dsl_node *v = g_hash_table_lookup(n->props, name);
	struct model_scope scope = { 0 };
	g_autoptr(dsl_doc) doc = NULL;
	const struct dsl_node *out;

	if (!v)
		return json_null();
	doc = model_eval_doc_new();
	scope.ctx = MODEL_CTX_NODE;
	scope.node = n;
	scope.inputs = ac->d->inputs;
	scope.doc = doc;
	out = model_eval_static(ac->d->model, &scope, v, err);
	return out ? model_value_to_json(out) : NULL;
}

static json_t *get_attribute(void *data, const char *instance,
			     const char *capability, const char *name,
			     struct bp_error **err)
{
	struct exec_attr_ctx *ac = data;
	const struct plan_instance *in = g_hash_table_lookup(ac->d->plan->by_id,
							     instance);
	const struct model_node *node = in ? in->node : NULL;
	json_t *rt, *v = NULL;
	bool known;

	g_mutex_lock(&ac->d->lock);
	rt = g_hash_table_lookup(ac->d->runtime, instance);
	known = in || rt;
	if (rt && json_object_get(rt, name))
		v = json_deep_copy(json_object_get(rt, name));
	g_mutex_unlock(&ac->d->lock);
	if (!known) {
		bp_error_set(err, BP_ERR_NOT_FOUND, NULL, NULL, "no instance "
			     "'%s'", instance);
		return NULL;
	}
	if (v)
		return v;
	/* an instance a scale-in took out of the plan, whose unlink
	 * operations still run: its node from its id (NODE_xxxxxx) */
	if (!node && strlen(instance) > 7) {
		g_autofree char *name_of = g_strndup(instance,
						     strlen(instance) - 7);
		node = model_node_find(ac->d->model, name_of);
	}
	return node ? node_property(ac, node, name, err) : json_null();
}

static json_t *get_operation_output(void *data, const char *instance,
				    const char *iface, const char *op,
				    const char *output, struct bp_error **err)
{
	struct exec_attr_ctx *ac = data;
	g_autofree char *full = g_strconcat(iface, ".", op, NULL);
	json_t *outs = NULL, *v;

	if (!store_task_outputs(ac->env->store, ac->d->id, instance, full,
				&outs, err))
		return NULL;
	v = json_object_get(outs, output);
	v = v ? json_incref(v) : json_null();
	json_decref(outs);
	return v;
}

static json_t *get_secret(void *data, const char *name, struct bp_error **err)
{
	struct exec_attr_ctx *ac = data;
	g_autofree char *value = NULL;

	if (!store_secret_get(ac->env->store, name, &value, err))
		return NULL;
	exec__mask_add(ac->run, value);
	return json_string(value);
}

static json_t *external(void *data, const char *function, json_t *args,
			struct bp_error **err)
{
	struct exec_attr_ctx *ac = data;
	const char *a0 = json_string_value(json_array_get(args, 0));
	const char *a1 = json_string_value(json_array_get(args, 1));

	/* get_sys: [deployment, id] and [deployment, name] */
	if (!strcmp(function, "get_sys") && !g_strcmp0(a0, "deployment") &&
	    (!g_strcmp0(a1, "id") || !g_strcmp0(a1, "name")))
		return json_string(ac->d->id);
	bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "'%s' needs a Cloudify "
		     "manager (other deployments, environments, labels); "
		     "blueprint runs deployments on their own", function);
	return NULL;
}

void exec__runtime_init(struct model_runtime *rt, struct exec_attr_ctx *ac,
			const struct model_scope *scope)
{
	memset(rt, 0, sizeof(*rt));
	rt->m = ac->d->model;
	rt->scope = scope;
	rt->self = ac->self ? ac->self->id : NULL;
	rt->source = ac->source ? ac->source->id : NULL;
	rt->target = ac->target ? ac->target->id : NULL;
	rt->data = ac;
	rt->find_instance = find_instance;
	rt->list_instances = list_instances;
	rt->get_attribute = get_attribute;
	rt->get_operation_output = get_operation_output;
	rt->get_secret = get_secret;
	rt->external = external;
}
