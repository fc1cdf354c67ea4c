/* step.c: running one workflow step on an executor worker: record the
 * instance state, evaluate the operation's inputs, call the plugin, keep
 * the runtime properties it changed, record the outcome. Everything the
 * step changes is committed to the store before the step returns, so
 * before any step that depends on it starts. */
#include "exec/internal.h"
#include "model/value.h"
#include "plugin/call.h"

#include <string.h>

/* Cloudify's default wait before an operation asked to retry runs again. */
#define DEFAULT_RETRY_INTERVAL 30.0

static bool set_state(struct exec_wfrun *run, const struct plan_instance *in,
		      const char *name, struct bp_error **err)
{
	enum store_instance_state st;
	int64_t version;

	if (!store_instance_state_parse(name, &st)) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "unknown instance "
			     "state '%s'", name);
		return false;
	}
	if (!store_instance_set_state(run->env->store, run->d->id, in->id, st,
				      STORE_ANY_VERSION, &version, err))
		return false;
	g_mutex_lock(&run->d->lock);
	g_hash_table_insert(run->d->state, g_strdup(in->id),
			    GUINT_TO_POINTER(st));
	g_mutex_unlock(&run->d->lock);
	return true;
}

static const char *op_name(const struct wf_step *s, char *buf, size_t size)
{
	g_snprintf(buf, size, "%s.%s", s->interface, s->operation);
	return buf;
}

static bool put_task(struct exec_wfrun *run, const struct wf_step *s,
		     enum store_task_state st, unsigned attempt,
		     const char *message, json_t *outputs,
		     struct bp_error **err)
{
	char name[256];
	struct store_task t = { 0 };

	t.execution = run->execution;
	t.key = s->key;
	t.instance_id = s->rel ? s->rel->source->id : s->instance->id;
	t.target_id = s->rel ? s->rel->target->id : NULL;
	t.operation = s->interface ? op_name(s, name, sizeof(name)) : "state";
	t.state = st;
	t.attempt = attempt;
	t.message = message;
	t.outputs = outputs;
	return store_task_put(run->env->store, &t, err);
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
		scope->node = s->instance->node;
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

/* A node's properties as JSON, evaluated for this step's instance. */
static json_t *node_props(struct exec_wfrun *run, const struct wf_step *s,
			  const struct plan_instance *in,
			  struct bp_error **err)
{
	g_autoptr(dsl_doc) doc = model_eval_doc_new();
	struct model_scope scope = { 0 };
	json_t *out = json_object();
	GHashTableIter it;
	gpointer k, v;

	scope.ctx = MODEL_CTX_NODE;
	scope.node = in->node;
	scope.inputs = run->d->inputs;
	scope.doc = doc;
	g_hash_table_iter_init(&it, in->node->props);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		struct exec_attr_ctx ac = { run->env, run->d, run, in };
		struct model_runtime rt;
		const struct dsl_node *st = model_eval_static(run->d->model,
							      &scope, v, err);
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
 * live runtime properties and stores them; concurrent operations on the
 * same instance (relationship operations) each keep their own keys. */
static bool keep_runtime(struct exec_wfrun *run, const char *id,
			 const json_t *before, json_t *after,
			 struct bp_error **err)
{
	struct exec_deployment *d = run->d;
	json_t *live, *snapshot;
	const char *k;
	json_t *v;
	int64_t version;
	bool ok;

	g_mutex_lock(&d->lock);
	live = g_hash_table_lookup(d->runtime, id);
	json_object_foreach((json_t *)before, k, v)
		if (!json_object_get(after, k))
			json_object_del(live, k);
	json_object_foreach(after, k, v)
		if (!json_equal(v, json_object_get(before, k)))
			json_object_set(live, k, v);
	snapshot = json_deep_copy(live);
	g_mutex_unlock(&d->lock);
	ok = store_instance_set_props(run->env->store, d->id, id, snapshot,
				      STORE_ANY_VERSION, &version, err);
	json_decref(snapshot);
	return ok;
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

	exec__event(es->run, s->instance, op_name(s, name, sizeof(name)), l,
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

/* Fills what a call knows of an instance; *before gets a copy of the
 * runtime properties the call starts from. */
static void fill_instance(struct exec_wfrun *run,
			  struct plugin_call_instance *ci,
			  const struct plan_instance *in, json_t *props,
			  json_t **before)
{
	ci->node_name = in->node->name;
	ci->node_type = in->node->type->name;
	ci->instance_id = in->id;
	ci->properties = props;
	ci->runtime_properties = runtime_copy(run->d, in->id);
	*before = json_deep_copy(ci->runtime_properties);
}

/* Runs the plugin operation of a step; returns the executor's result. */
static enum exec_result call_plugin(struct exec_step *es, struct exec_ctx *ctx,
				    struct plugin_call *call, json_t *before[2],
				    struct bp_error **err)
{
	struct exec_wfrun *run = es->run;
	const struct wf_step *s = es->step;
	struct plugin_ref_env renv = { run->d->blueprint_dir, NULL,
				       run->d->model,
				       s->rel ? NULL : s->instance->node };
	struct plugin_ref ref = { 0 };
	g_autoptr(dsl_doc) doc = model_eval_doc_new();
	struct model_scope scope;
	char name[256];
	json_t *inputs;
	bool ran;

	scope_of(run, s, doc, &scope);
	if (!plugin_ref_parse_op(&ref, s->op, &renv, err))
		return EXEC_FAIL_FATAL;
	inputs = op_inputs(run, s, &scope, err);
	if (!inputs) {
		plugin_ref_release(&ref);
		return EXEC_FAIL_FATAL;
	}
	call->deployment_id = run->d->id;
	call->deployment_inputs = json_incref(run->d->inputs_json);
	call->operation_name = op_name(s, name, sizeof(name));
	call->operation_inputs = inputs;
	call->attempt = exec_ctx_attempt(ctx);
	call->deadline = exec_ctx_deadline(ctx);
	call->log = log_sink;
	call->log_data = es;
	call->secret = secret_lookup;
	call->secret_data = es;
	call->cancel = &run->cancelled;
	if (s->rel) {
		json_t *sp = node_props(run, s, s->rel->source, err);
		json_t *tp = sp ? node_props(run, s, s->rel->target, err) : NULL;
		call->relationship = true;
		if (!tp) {
			json_decref(sp);
			plugin_ref_release(&ref);
			return EXEC_FAIL_FATAL;
		}
		fill_instance(run, &call->source, s->rel->source, sp,
			      &before[0]);
		fill_instance(run, &call->target, s->rel->target, tp,
			      &before[1]);
	} else {
		json_t *p = node_props(run, s, s->instance, err);
		if (!p) {
			plugin_ref_release(&ref);
			return EXEC_FAIL_FATAL;
		}
		fill_instance(run, &call->self, s->instance, p, &before[0]);
	}
	ran = plugin_call_run(run->env->plugins, &ref, call, err);
	plugin_ref_release(&ref);
	return ran ? EXEC_OK : EXEC_FAIL_FATAL;
}

/* Keeps the runtime properties a call changed, on each instance it ran
 * for. */
static bool keep_call_runtime(struct exec_wfrun *run, struct plugin_call *call,
			      json_t *before[2], struct bp_error **err)
{
	if (!call->relationship)
		return !call->self.runtime_changed ||
		       keep_runtime(run, call->self.instance_id, before[0],
				    call->self.runtime_properties, err);
	return (!call->source.runtime_changed ||
		keep_runtime(run, call->source.instance_id, before[0],
			     call->source.runtime_properties, err)) &&
	       (!call->target.runtime_changed ||
		keep_runtime(run, call->target.instance_id, before[1],
			     call->target.runtime_properties, err));
}

static enum exec_result step_run(void *payload, struct exec_ctx *ctx)
{
	struct exec_step *es = payload;
	struct exec_wfrun *run = es->run;
	struct wf_step *s = es->step;
	unsigned attempt = exec_ctx_attempt(ctx);
	struct plugin_call call;
	struct bp_error *err = NULL;
	json_t *before[2] = { NULL, NULL };
	enum exec_result res;
	double delay;

	if (s->state_start && attempt == 1 &&
	    !set_state(run, s->instance, s->state_start, &err))
		goto fatal;
	if (s->kind == WF_STATE || !s->op || !s->op->implementation) {
		if ((s->state_done && !set_state(run, s->instance,
						 s->state_done, &err)) ||
		    !put_task(run, s, STORE_TASK_SUCCEEDED, attempt, NULL, NULL,
			      &err))
			goto fatal;
		return EXEC_OK;
	}
	if (!put_task(run, s, STORE_TASK_SENT, attempt, NULL, NULL, &err))
		goto fatal;
	plugin_call_init(&call);
	res = call_plugin(es, ctx, &call, before, &err);
	if (res == EXEC_OK)
		keep_call_runtime(run, &call, before, &err);
	json_decref(before[0]);
	json_decref(before[1]);
	if (err) {
		plugin_call_release(&call);
		goto fatal;
	}
	switch (call.result.code) {
	case BP_OK:
		if ((s->state_done && !set_state(run, s->instance, s->state_done,
						 &err)) ||
		    !put_task(run, s, STORE_TASK_SUCCEEDED, attempt,
			      call.result.message, call.result.outputs, &err))
			break;
		plugin_call_release(&call);
		return EXEC_OK;
	case BP_RETRY:
		delay = call.result.retry_after ? call.result.retry_after :
			s->op->retry_interval >= 0 ? s->op->retry_interval :
			run->env->retry_interval > 0 ? run->env->retry_interval :
			DEFAULT_RETRY_INTERVAL;
		put_task(run, s, STORE_TASK_RETRYING, attempt,
			 call.result.message, NULL, &err);
		bp_error_clear(&err);
		res = exec_ctx_retry(ctx, delay, "%s", call.result.message ?
				     call.result.message : "retry requested");
		plugin_call_release(&call);
		return res;
	case BP_FAIL:
		put_task(run, s, STORE_TASK_FAILED, attempt,
			 call.result.message, NULL, &err);
		bp_error_clear(&err);
		res = exec_ctx_fail(ctx, "%s", call.result.message);
		plugin_call_release(&call);
		return res;
	default:
		put_task(run, s, STORE_TASK_FAILED, attempt,
			 call.result.message, NULL, &err);
		bp_error_clear(&err);
		res = exec_ctx_fail_fatal(ctx, "%s", call.result.message);
		plugin_call_release(&call);
		return res;
	}
	plugin_call_release(&call);
fatal:
	res = exec_ctx_fail_fatal(ctx, "%s", err ? err->message :
				  "unknown error");
	bp_error_free(err);
	return res;
}

static void step_free(void *payload)
{
	g_free(payload);
}

const struct exec_task_ops exec__step_ops = { step_run, step_free };
