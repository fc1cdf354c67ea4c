/* step.c: running one workflow step on an executor worker: evaluate the
 * operation's inputs, call the plugin, merge the runtime properties it
 * changed into the deployment's live ones, and leave the outcome in the
 * step for the coordinator, which records it (record.c). Nothing here
 * writes the store on the way of a normal call: the coordinator commits
 * a step's changes, with every other change of its turn, before any step
 * that depends on them starts. */
#include "exec/internal.h"
#include "model/value.h"
#include "plugin/call.h"

#include <string.h>

/* Cloudify's default wait before an operation asked to retry runs again. */
#define DEFAULT_RETRY_INTERVAL 30.0

const char *exec__op_name(const struct wf_step *s, char *buf, size_t size)
{
	g_snprintf(buf, size, "%s.%s", s->interface, s->operation);
	return buf;
}

/* Evaluates a value written in `scope` to JSON for this step. */
static json_t *eval(struct exec_wfrun *run, const struct wf_step *s,
		    struct model_scope *scope, const struct dsl_node *v,
		    struct bp_error **err)
{
	struct exec_attr_ctx ac = { run->env, run->d, run };
	struct model_runtime rt;
	const struct dsl_node *st;

	if (s->rel) {
		ac.source = s->rel->source;
		ac.target = s->rel->target;
	} else {
		ac.self = s->instance;
	}
	st = model_eval_static(run->d->model, scope, v, err);
	if (!st)
		return NULL;
	exec__runtime_init(&rt, &ac, scope);
	return model_eval_runtime(&rt, st, err);
}

static void scope_of(const struct exec_wfrun *run, const struct wf_step *s,
		     struct dsl_doc *doc, struct model_scope *scope)
{
	memset(scope, 0, sizeof(*scope));
	scope->inputs = run->d->inputs;
	scope->doc = doc;
	if (s->rel) {
		scope->ctx = MODEL_CTX_RELATIONSHIP;
		scope->node = s->rel->source->node;
		scope->rel = s->rel->rel;
		scope->side = s->side == WF_TARGET ? MODEL_SIDE_TARGET :
			      MODEL_SIDE_SOURCE;
	} else {
		scope->ctx = MODEL_CTX_NODE;
		scope->node = s->instance ? s->instance->node : NULL;
	}
}

/* The operation's inputs: values over the typed inputs' defaults, then
 * the workflow's parameters. */
static json_t *op_inputs(struct exec_wfrun *run, const struct wf_step *s,
			 struct model_scope *scope, struct bp_error **err)
{
	json_t *out = json_object();
	GHashTableIter it;
	gpointer k, v;

	g_hash_table_iter_init(&it, s->op->input_defs);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const struct model_prop *p = v;
		json_t *j;
		if (!p->default_value || g_hash_table_contains(s->op->inputs, k))
			continue;
		j = eval(run, s, scope, p->default_value, err);
		if (!j)
			return json_decref(out), NULL;
		json_object_set_new(out, k, j);
	}
	g_hash_table_iter_init(&it, s->op->inputs);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		json_t *j = eval(run, s, scope, v, err);
		if (!j)
			return json_decref(out), NULL;
		json_object_set_new(out, k, j);
	}
	if (s->params) {
		g_hash_table_iter_init(&it, s->params);
		while (g_hash_table_iter_next(&it, &k, &v))
			json_object_set(out, k, v);
	}
	return out;
}

/* A node's properties as JSON, evaluated for this step's instance: the
 * runtime calls of the values prepare.c evaluated statically, else the
 * whole evaluation here. */
static json_t *node_props(struct exec_wfrun *run, const struct wf_step *s,
			  const struct plan_instance *in,
			  struct bp_error **err)
{
	GHashTable *prepared = exec__props(run, in->node);
	g_autoptr(dsl_doc) doc = prepared ? NULL : model_eval_doc_new();
	struct model_scope scope = { 0 };
	json_t *out = json_object();
	GHashTableIter it;
	gpointer k, v;

	scope.ctx = MODEL_CTX_NODE;
	scope.node = in->node;
	scope.inputs = run->d->inputs;
	scope.doc = doc ? doc : run->doc;
	g_hash_table_iter_init(&it, prepared ? prepared : in->node->props);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		struct exec_attr_ctx ac = { run->env, run->d, run, in };
		struct model_runtime rt;
		const struct dsl_node *st = prepared ? v :
			model_eval_static(run->d->model, &scope, v, err);
		json_t *j;
		if (!st)
			return json_decref(out), NULL;
		exec__runtime_init(&rt, &ac, &scope);
		j = model_eval_runtime(&rt, st, err);
		if (!j)
			return json_decref(out), NULL;
		json_object_set_new(out, k, j);
	}
	return out;
}

/* A private copy of an instance's runtime properties for a call. */
static json_t *runtime_copy(struct exec_deployment *d, const char *id)
{
	json_t *v;

	g_mutex_lock(&d->lock);
	v = json_deep_copy(g_hash_table_lookup(d->runtime, id));
	g_mutex_unlock(&d->lock);
	return v ? v : json_object();
}

/* Applies what a call changed (compared with the copy it got) to the
 * live runtime properties of instance `id`; concurrent operations on the
 * same instance (relationship operations) each keep their own keys. */
static void merge_runtime(struct exec_deployment *d, const char *id,
			  const json_t *before, json_t *after)
{
	json_t *live;
	const char *k;
	json_t *v;

	g_mutex_lock(&d->lock);
	live = g_hash_table_lookup(d->runtime, id);
	json_object_foreach((json_t *)before, k, v)
		if (!json_object_get(after, k))
			json_object_del(live, k);
	json_object_foreach(after, k, v)
		if (!json_equal(v, json_object_get(before, k)))
			json_object_set(live, k, v);
	g_mutex_unlock(&d->lock);
}

static void log_sink(void *data, int level, const char *message)
{
	struct exec_step *es = data;
	const struct wf_step *s = es->step;
	enum store_event_level l = level >= BP_LOG_ERROR ? STORE_LEVEL_ERROR :
				   level >= BP_LOG_WARNING ? STORE_LEVEL_WARNING :
				   level >= BP_LOG_INFO ? STORE_LEVEL_INFO :
				   STORE_LEVEL_DEBUG;
	char name[256];

	exec__event(es->run, s->instance, exec__op_name(s, name, sizeof(name)), l,
		    "log", "%s", message);
}

static char *secret_lookup(void *data, const char *name, struct bp_error **err)
{
	struct exec_step *es = data;
	char *value = NULL;

	if (!store_secret_get(es->run->env->store, name, &value, err))
		return NULL;
	exec__mask_add(es->run, value);
	return value;
}

/* Fills what a call knows of an instance and of its host; *before gets
 * a copy of the runtime properties the call starts from. */
static bool fill_instance(struct exec_wfrun *run, const struct wf_step *s,
			  struct plugin_call_instance *ci,
			  struct plan_instance *in, json_t *props,
			  json_t **before, struct bp_error **err)
{
	struct plan_instance *host = plan_instance_compute_host(in);

	ci->node_name = in->node->name;
	ci->node_type = in->node->type->name;
	ci->instance_id = in->id;
	ci->properties = props;
	ci->runtime_properties = runtime_copy(run->d, in->id);
	*before = json_deep_copy(ci->runtime_properties);
	if (host == in) {
		ci->host_properties = json_incref(props);
		ci->host_runtime = json_incref(ci->runtime_properties);
		return true;
	}
	ci->host_runtime = runtime_copy(run->d, host->id);
	ci->host_properties = node_props(run, s, host, err);
	return ci->host_properties != NULL;
}

/* plugin_related_fn over the plan: the index-th target of the
 * relationships of instance `of` whose type is `type` or derives from
 * it, as a call sees an instance. */
static bool related_lookup(void *data, const char *of, const char *type,
			   unsigned index, struct plugin_call_instance *out)
{
	struct exec_step *es = data;
	struct exec_wfrun *run = es->run;
	struct plan_instance *in = plan_instance_find(run->d->plan, of);
	unsigned seen = 0;

	for (guint i = 0; in && i < in->rels->len; i++) {
		const struct plan_rel *r = in->rels->pdata[i];
		g_autoptr(bp_error) err = NULL;
		json_t *props, *before = NULL;
		bool ok;

		if (type && !model_type_is_named(r->rel->type, type))
			continue;
		if (seen++ < index)
			continue;
		props = node_props(run, es->step, r->target, &err);
		ok = props && fill_instance(run, es->step, out, r->target,
					    props, &before, &err);
		json_decref(before);
		if (!ok)
			exec__event(run, es->step->instance, "related",
				    STORE_LEVEL_ERROR, "log", "%s",
				    err->message);
		return ok;
	}
	return false;
}

/* Runs the plugin operation of a step; returns the executor's result. */
static enum exec_result call_plugin(struct exec_step *es, struct exec_ctx *ctx,
				    struct plugin_call *call, json_t *before[2],
				    struct bp_error **err)
{
	struct exec_wfrun *run = es->run;
	const struct wf_step *s = es->step;
	const struct model_node *node = s->rel || !s->instance ? NULL :
					s->instance->node;
	struct plugin_ref_env renv = { run->d->blueprint_dir, NULL,
				       run->d->model, node };
	const struct plugin_ref *prepared = exec__ref(run, s->op, node);
	struct plugin_ref ref = { 0 };
	/* an evaluation document only for an operation with inputs */
	g_autoptr(dsl_doc) doc = g_hash_table_size(s->op->input_defs) ||
				 g_hash_table_size(s->op->inputs) ?
				 model_eval_doc_new() : NULL;
	struct model_scope scope;
	char name[256];
	json_t *inputs;
	bool ran;

	scope_of(run, s, doc, &scope);
	if (!prepared && !plugin_ref_parse_op(&ref, s->op, &renv, err))
		return EXEC_FAIL_FATAL;
	inputs = op_inputs(run, s, &scope, err);
	if (!inputs) {
		plugin_ref_release(&ref);
		return EXEC_FAIL_FATAL;
	}
	call->deployment_id = run->d->id;
	call->blueprint_dir = run->d->blueprint_dir;
	call->execution_id = run->execution;
	call->deployment_inputs = json_incref(run->d->inputs_json);
	call->operation_name = exec__op_name(s, name, sizeof(name));
	call->operation_inputs = inputs;
	call->attempt = exec_ctx_attempt(ctx);
	call->deadline = exec_ctx_deadline(ctx);
	call->log = log_sink;
	call->log_data = es;
	call->secret = secret_lookup;
	call->secret_data = es;
	call->cancel = &run->cancelled;
	call->related = related_lookup;
	call->related_data = es;
	if (s->rel) {
		const struct plugin_call_instance *side;
		json_t *sp = node_props(run, s, s->rel->source, err);
		json_t *tp = sp ? node_props(run, s, s->rel->target, err) : NULL;
		call->relationship = true;
		if (!tp) {
			json_decref(sp);
			plugin_ref_release(&ref);
			return EXEC_FAIL_FATAL;
		}
		if (!fill_instance(run, s, &call->source, s->rel->source, sp,
				   &before[0], err) ||
		    !fill_instance(run, s, &call->target, s->rel->target, tp,
				   &before[1], err)) {
			plugin_ref_release(&ref);
			return EXEC_FAIL_FATAL;
		}
		side = s->side == WF_TARGET ? &call->target : &call->source;
		call->self.host_properties = json_incref(side->host_properties);
		call->self.host_runtime = json_incref(side->host_runtime);
	} else if (s->instance) {
		json_t *p = node_props(run, s, s->instance, err);
		if (!p || !fill_instance(run, s, &call->self, s->instance, p,
					 &before[0], err)) {
			plugin_ref_release(&ref);
			return EXEC_FAIL_FATAL;
		}
	}
	ran = plugin_call_run(run->env->plugins, prepared ? prepared : &ref,
			      call, err);
	plugin_ref_release(&ref);
	return ran ? EXEC_OK : EXEC_FAIL_FATAL;
}

/* Merges the runtime properties a call changed, on each instance it ran
 * for, and notes those instances in the step for the coordinator. */
static void keep_call_runtime(struct exec_step *es, struct plugin_call *call,
			      json_t *before[2])
{
	const struct wf_step *s = es->step;
	struct plugin_call_instance *in[2] = { &call->self, NULL };
	struct plan_instance *who[2] = { s->instance, NULL };

	if (call->relationship) {
		in[0] = &call->source;
		in[1] = &call->target;
		who[0] = s->rel->source;
		who[1] = s->rel->target;
	}
	for (int i = 0; i < 2; i++) {
		if (!in[i] || !who[i] || !in[i]->runtime_changed)
			continue;
		merge_runtime(es->run->d, in[i]->instance_id, before[i],
			      in[i]->runtime_properties);
		es->changed[i] = who[i];
	}
}

/* The result of a call that ran, for the executor; its message, outputs
 * and changed runtime properties stay in the step. */
static enum exec_result outcome(struct exec_step *es, struct exec_ctx *ctx,
				struct plugin_call *call)
{
	const struct wf_step *s = es->step;
	const char *msg = call->result.message;
	double delay;

	switch (call->result.code) {
	case BP_OK:
		es->outputs = json_incref(call->result.outputs);
		es->message = g_strdup(msg);
		return EXEC_OK;
	case BP_RETRY:
		delay = call->result.retry_after ? call->result.retry_after :
			s->op->retry_interval >= 0 ? s->op->retry_interval :
			es->run->env->retry_interval > 0 ?
			es->run->env->retry_interval : DEFAULT_RETRY_INTERVAL;
		return exec_ctx_retry(ctx, delay, "%s", msg ? msg :
				      "retry requested");
	case BP_FAIL:
		return exec_ctx_fail(ctx, "%s", msg);
	default:
		return exec_ctx_fail_fatal(ctx, "%s", msg);
	}
}

static enum exec_result step_run(void *payload, struct exec_ctx *ctx)
{
	struct exec_step *es = payload;
	struct wf_step *s = es->step;
	struct plugin_call call;
	struct bp_error *err = NULL;
	json_t *before[2] = { NULL, NULL };
	enum exec_result res;

	es->changed[0] = es->changed[1] = NULL;
	g_clear_pointer(&es->outputs, json_decref);
	g_clear_pointer(&es->message, g_free);
	if (s->kind == WF_STATE || !s->op || !s->op->implementation)
		return EXEC_OK;
	plugin_call_init(&call);
	res = call_plugin(es, ctx, &call, before, &err);
	if (res == EXEC_OK) {
		keep_call_runtime(es, &call, before);
		res = outcome(es, ctx, &call);
		if (exec_ctx_cancelled(ctx))
			exec__store_runtime(es, &err);
	} else {
		res = exec_ctx_fail_fatal(ctx, "%s", err ? err->message :
					  "unknown error");
	}
	json_decref(before[0]);
	json_decref(before[1]);
	plugin_call_release(&call);
	bp_error_free(err);
	return res;
}

static void step_free(void *payload)
{
	struct exec_step *es = payload;

	json_decref(es->outputs);
	g_free(es->message);
	g_free(es);
}

const struct exec_task_ops exec__step_ops = { step_run, step_free };
