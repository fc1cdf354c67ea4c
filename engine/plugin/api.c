/* api.c: the engine's side of plugin.h: the struct bp_api table every
 * plugin receives, implemented over struct plugin_call (call.h).
 *
 * JSON crosses the boundary as text: values go out through json_dumps and
 * come in through json_loads, so no jansson type reaches a plugin. Strings
 * handed out are kept in the call's pool until the operation returns (the
 * "valid until the operation returns" promise of plugin.h). Misuse (a bad
 * path, invalid JSON, a write on the main context of a relationship
 * operation) is refused and logged to the call's sink at ERROR, prefixed
 * "plugin API: ", so the author sees it where the operation's own log goes.
 */
#include "plugin/call.h"

#include <stdlib.h>
#include <string.h>

#include "plugin/keypath.h"

/* Hands `s` to the plugin: it lives until the operation returns. */
static const char *keep(struct plugin_call *call, char *s)
{
	g_mutex_lock(&call->lock);
	g_ptr_array_add(call->strings, s);
	g_mutex_unlock(&call->lock);
	return s;
}

/* (transfer full, g_free) `v` as compact JSON text. */
static char *dump(const json_t *v)
{
	char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	char *out = g_strdup(text);

	free(text);
	return out;
}

static void misuse(struct plugin_call *call, const char *fmt, ...)
	G_GNUC_PRINTF(2, 3);
static void misuse(struct plugin_call *call, const char *fmt, ...)
{
	va_list ap;
	g_autofree char *msg = NULL;
	g_autofree char *line = NULL;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	line = g_strconcat("plugin API: ", msg, NULL);
	plugin_call_log(call, BP_LOG_ERROR, line);
}

static char *api_vstrdupf(const char *fmt, va_list ap)
{
	return g_strdup_vprintf(fmt, ap);
}

static char *api_strdupf(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static char *api_strdupf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	return s;
}

static void api_free(void *p)
{
	g_free(p);
}

static const char *api_deployment_id(bp_ctx *ctx)
{
	return ctx->call->deployment_id ? ctx->call->deployment_id : "";
}

static const char *api_operation_name(bp_ctx *ctx)
{
	return ctx->call->operation_name ? ctx->call->operation_name : "";
}

static uint32_t api_attempt(bp_ctx *ctx)
{
	return ctx->call->attempt ? ctx->call->attempt : 1;
}

/* plugin.h says 0 for "none"; the executor says G_MAXINT64. */
static int64_t api_deadline(bp_ctx *ctx)
{
	return ctx->call->deadline == G_MAXINT64 ? 0 : ctx->call->deadline;
}

static bool api_cancelled(bp_ctx *ctx)
{
	return ctx->call->cancel && g_atomic_int_get(ctx->call->cancel);
}

static void *api_state(bp_ctx *ctx)
{
	return ctx->call->plugin ? ctx->call->plugin->state : NULL;
}

static const char *api_node_name(bp_ctx *ctx)
{
	return ctx->inst ? ctx->inst->node_name : NULL;
}

static const char *api_node_type(bp_ctx *ctx)
{
	return ctx->inst ? ctx->inst->node_type : NULL;
}

static const char *api_instance_id(bp_ctx *ctx)
{
	return ctx->inst ? ctx->inst->instance_id : NULL;
}

/* A bp_related() answer: a context and the instance it reads. */
struct related {
	struct bp_ctx ctx;
	struct plugin_call_instance inst;
};

static void related_free(gpointer p)
{
	struct related *r = p;

	plugin_call_instance_release(&r->inst);
	g_free(r);
}

static bp_ctx *api_related(bp_ctx *ctx, const char *type, uint32_t index)
{
	struct plugin_call *call = ctx->call;
	struct related *r;

	if (!ctx->inst || !ctx->inst->instance_id || !call->related)
		return NULL;
	r = g_new0(struct related, 1);
	if (!call->related(call->related_data, ctx->inst->instance_id, type,
			   index, &r->inst)) {
		related_free(r);
		return NULL;
	}
	r->ctx.call = call;
	r->ctx.inst = &r->inst;
	r->ctx.readonly = true;
	g_mutex_lock(&call->lock);
	if (!call->related_ctx)
		call->related_ctx = g_ptr_array_new_with_free_func(related_free);
	g_ptr_array_add(call->related_ctx, r);
	g_mutex_unlock(&call->lock);
	return &r->ctx;
}

static bp_ctx *api_source(bp_ctx *ctx)
{
	return ctx->call->relationship && !ctx->readonly ?
		&ctx->call->ctx[1] : NULL;
}

static bp_ctx *api_target(bp_ctx *ctx)
{
	return ctx->call->relationship && !ctx->readonly ?
		&ctx->call->ctx[2] : NULL;
}

/* The value at `path` in a scope, borrowed; the caller holds the lock. */
static json_t *lookup(bp_ctx *ctx, int scope, const char *path)
{
	struct plugin_call_instance *inst = ctx->inst;

	switch (scope) {
	case BP_SCOPE_PROPERTIES:
		return inst ? plugin_keypath_get(inst->properties, path) : NULL;
	case BP_SCOPE_RUNTIME:
		return inst ? plugin_keypath_get(inst->runtime_properties,
						 path) : NULL;
	case BP_SCOPE_INPUTS:
		return plugin_keypath_get(ctx->call->operation_inputs, path);
	case BP_SCOPE_DEPLOYMENT_INPUTS:
		return plugin_keypath_get(ctx->call->deployment_inputs, path);
	case BP_SCOPE_HOST_PROPERTIES:
	case BP_SCOPE_HOST_RUNTIME:
		/* the main context of a relationship operation: the host of
		 * the side that declared it, which the caller put in self */
		if (!inst && ctx->call->relationship && !ctx->readonly)
			inst = &ctx->call->self;
		if (!inst)
			return NULL;
		return plugin_keypath_get(scope == BP_SCOPE_HOST_RUNTIME ?
					  inst->host_runtime :
					  inst->host_properties, path);
	default:
		return NULL;
	}
}

/* Complains about a scope that does not exist; true when it is valid. */
static bool scope_valid(bp_ctx *ctx, int scope)
{
	if (scope >= BP_SCOPE_PROPERTIES && scope < BP_SCOPE_LAST)
		return true;
	misuse(ctx->call, "unknown scope %d: expected one of BP_SCOPE_*",
	       scope);
	return false;
}

/* (transfer full) the value at `path` in a scope, or NULL: a reference, so
 * a concurrent runtime_set cannot free it while it is read. For scalars,
 * which are replaced and never changed in place. */
static json_t *get_value(bp_ctx *ctx, int scope, const char *path)
{
	json_t *v;

	if (!scope_valid(ctx, scope))
		return NULL;
	g_mutex_lock(&ctx->call->lock);
	v = json_incref(lookup(ctx, scope, path));
	g_mutex_unlock(&ctx->call->lock);
	return v;
}

/* Dumps under the lock: a runtime_set on a deeper path changes the objects
 * on its way in place. */
static const char *api_get_json(bp_ctx *ctx, int scope, const char *path)
{
	char *text = NULL;
	json_t *v;

	if (!scope_valid(ctx, scope))
		return NULL;
	g_mutex_lock(&ctx->call->lock);
	v = lookup(ctx, scope, path);
	if (v)
		text = dump(v);
	g_mutex_unlock(&ctx->call->lock);
	return text ? keep(ctx->call, text) : NULL;
}

static const char *api_get_string(bp_ctx *ctx, int scope, const char *path)
{
	json_t *v = get_value(ctx, scope, path);
	const char *s = json_is_string(v) ?
		keep(ctx->call, g_strdup(json_string_value(v))) : NULL;

	json_decref(v);
	return s;
}

static bool api_get_int(bp_ctx *ctx, int scope, const char *path,
			int64_t *out)
{
	json_t *v = get_value(ctx, scope, path);
	bool ok = json_is_integer(v);

	if (ok)
		*out = json_integer_value(v);
	json_decref(v);
	return ok;
}

static bool api_get_bool(bp_ctx *ctx, int scope, const char *path, bool *out)
{
	json_t *v = get_value(ctx, scope, path);
	bool ok = json_is_boolean(v);

	if (ok)
		*out = json_is_true(v);
	json_decref(v);
	return ok;
}

static bool api_get_double(bp_ctx *ctx, int scope, const char *path,
			   double *out)
{
	json_t *v = get_value(ctx, scope, path);
	bool ok = json_is_number(v);

	if (ok)
		*out = json_number_value(v);
	json_decref(v);
	return ok;
}

/* (transfer full) the JSON value `text` holds; NULL after complaining. */
static json_t *parse_value(struct plugin_call *call, const char *what,
			   const char *key, const char *text)
{
	json_error_t jerr;
	json_t *v;

	if (!text) {
		misuse(call, "%s('%s'): no JSON text given", what, key);
		return NULL;
	}
	v = json_loads(text, JSON_DECODE_ANY, &jerr);
	if (!v)
		misuse(call, "%s('%s'): invalid JSON: %s", what, key,
		       jerr.text);
	return v;
}

/* The instance a runtime-property change applies to; NULL after
 * complaining when the context has none. */
static struct plugin_call_instance *writable(bp_ctx *ctx, const char *what)
{
	if (!ctx->inst)
		misuse(ctx->call, "%s: this context has no instance (in a "
		       "relationship operation, use bp_source() or "
		       "bp_target())", what);
	else if (ctx->readonly)
		misuse(ctx->call, "%s: the context of a related instance is "
		       "read-only", what);
	return ctx->readonly ? NULL : ctx->inst;
}

static bool api_runtime_set(bp_ctx *ctx, const char *path, const char *json)
{
	struct plugin_call_instance *inst = writable(ctx, "runtime_set");
	g_autoptr(bp_error) err = NULL;
	json_t *v;
	bool ok;

	if (!inst || !(v = parse_value(ctx->call, "runtime_set",
				       path ? path : "", json)))
		return false;
	g_mutex_lock(&ctx->call->lock);
	ok = plugin_keypath_set(inst->runtime_properties, path, v, &err);
	inst->runtime_changed |= ok;
	g_mutex_unlock(&ctx->call->lock);
	if (!ok)
		misuse(ctx->call, "runtime_set: %s", err->message);
	return ok;
}

static bool api_runtime_delete(bp_ctx *ctx, const char *path)
{
	struct plugin_call_instance *inst = writable(ctx, "runtime_delete");
	g_autoptr(bp_error) err = NULL;
	bool ok, existed;

	if (!inst)
		return false;
	g_mutex_lock(&ctx->call->lock);
	existed = path && *path &&
		  plugin_keypath_get(inst->runtime_properties, path);
	ok = plugin_keypath_delete(inst->runtime_properties, path, &err);
	inst->runtime_changed |= existed &&
		!plugin_keypath_get(inst->runtime_properties, path);
	g_mutex_unlock(&ctx->call->lock);
	if (!ok)
		misuse(ctx->call, "runtime_delete: %s", err->message);
	return ok;
}

static bool api_output_set(bp_ctx *ctx, const char *name, const char *json)
{
	struct plugin_call *call = ctx->call;
	json_t *v = parse_value(call, "output_set", name ? name : "", json);
	bool ok = true;

	if (!v)
		return false;
	g_mutex_lock(&call->lock);
	if (!name) {
		json_decref(call->result.outputs);
		call->result.outputs = v;
	} else if (!call->result.outputs) {
		call->result.outputs = json_object();
		json_object_set_new(call->result.outputs, name, v);
	} else if (json_is_object(call->result.outputs)) {
		json_object_set_new(call->result.outputs, name, v);
	} else {
		json_decref(v);
		ok = false;
	}
	g_mutex_unlock(&call->lock);
	if (!ok)
		misuse(call, "output_set('%s'): the whole result was set to a "
		       "value that is not an object", name);
	return ok;
}

static const char *api_secret(bp_ctx *ctx, const char *name)
{
	struct plugin_call *call = ctx->call;
	g_autoptr(bp_error) err = NULL;
	g_autofree char *why = NULL;
	char *v;

	if (!call->secret || !name) {
		why = g_strdup_printf("cannot read secret '%s': %s",
				      name ? name : "",
				      name ? "no secret store is available" :
				      "no name given");
		plugin_call_log(call, BP_LOG_WARNING, why);
		return NULL;
	}
	v = call->secret(call->secret_data, name, &err);
	if (!v) {
		why = g_strdup_printf("cannot read secret '%s': %s", name,
				      err ? err->message : "no such secret");
		plugin_call_log(call, BP_LOG_WARNING, why);
		return NULL;
	}
	g_mutex_lock(&call->lock);
	g_ptr_array_add(call->secrets, v);
	g_mutex_unlock(&call->lock);
	return v;
}

/* Maps any level onto one of the four, as Python's ranges do. */
static int normal_level(int level)
{
	if (level < BP_LOG_INFO)
		return BP_LOG_DEBUG;
	if (level < BP_LOG_WARNING)
		return BP_LOG_INFO;
	if (level < BP_LOG_ERROR)
		return BP_LOG_WARNING;
	return BP_LOG_ERROR;
}

static void api_vlog(bp_ctx *ctx, int level, const char *fmt, va_list ap)
{
	g_autofree char *msg = fmt ? g_strdup_vprintf(fmt, ap) : NULL;

	plugin_call_log(ctx->call, normal_level(level), msg ? msg : "");
}

static int api_vresult(bp_ctx *ctx, int code, uint32_t retry_after,
		       const char *fmt, va_list ap)
{
	struct plugin_call *call = ctx->call;
	char *msg = fmt ? g_strdup_vprintf(fmt, ap) : NULL;

	g_mutex_lock(&call->lock);
	g_free(call->result.message);
	call->result.message = msg;
	call->result.retry_after = code == BP_RETRY ? retry_after : 0;
	g_mutex_unlock(&call->lock);
	return code;
}

static char *api_json_quote(const char *s)
{
	g_autofree char *valid = s ? g_utf8_make_valid(s, -1) : NULL;
	json_t *j = valid ? json_string(valid) : json_null();
	char *out = dump(j);

	json_decref(j);
	return out;
}

static const char *api_blueprint_dir(bp_ctx *ctx)
{
	return ctx->call->blueprint_dir;
}

static const char *api_execution_id(bp_ctx *ctx)
{
	return ctx->call->execution_id;
}

const struct bp_api plugin_api = {
	.abi_major = BP_ABI_MAJOR,
	.abi_minor = BP_ABI_MINOR,
	.size = sizeof(struct bp_api),
	/* ABI 1.0 */
	.strdupf = api_strdupf,
	.vstrdupf = api_vstrdupf,
	.free = api_free,
	.deployment_id = api_deployment_id,
	.operation_name = api_operation_name,
	.attempt = api_attempt,
	.deadline = api_deadline,
	.cancelled = api_cancelled,
	.state = api_state,
	.node_name = api_node_name,
	.node_type = api_node_type,
	.instance_id = api_instance_id,
	.source = api_source,
	.target = api_target,
	.get_json = api_get_json,
	.get_string = api_get_string,
	.get_int = api_get_int,
	.get_bool = api_get_bool,
	.get_double = api_get_double,
	.runtime_set = api_runtime_set,
	.runtime_delete = api_runtime_delete,
	.output_set = api_output_set,
	.secret = api_secret,
	.vlog = api_vlog,
	.vresult = api_vresult,
	.json_quote = api_json_quote,
	/* ABI 1.1 */
	.blueprint_dir = api_blueprint_dir,
	.execution_id = api_execution_id,
	/* ABI 1.3 */
	.related = api_related,
};
