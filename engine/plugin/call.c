/* call.c: the life of one operation call: prepare the contexts, run the
 * operation, turn what it returned into call->result, free what it was
 * handed. The API the operation calls meanwhile is api.c. */
#include "plugin/call.h"

#include <string.h>

void plugin_call_init(struct plugin_call *call)
{
	memset(call, 0, sizeof(*call));
	g_mutex_init(&call->lock);
}

static void instance_release(struct plugin_call_instance *inst)
{
	json_decref(inst->properties);
	json_decref(inst->runtime_properties);
	json_decref(inst->host_properties);
	json_decref(inst->host_runtime);
}

static void result_release(struct plugin_call_result *r)
{
	g_free(r->message);
	json_decref(r->outputs);
	memset(r, 0, sizeof(*r));
}

/* Secrets do not linger in freed memory. */
static void secret_free(gpointer p)
{
	char *s = p;

	memset(s, 0, strlen(s));
	g_free(s);
}

/* Frees what the operation was handed; it has returned. */
static void pools_free(struct plugin_call *call)
{
	g_clear_pointer(&call->strings, g_ptr_array_unref);
	g_clear_pointer(&call->secrets, g_ptr_array_unref);
}

void plugin_call_release(struct plugin_call *call)
{
	if (!call)
		return;
	json_decref(call->deployment_inputs);
	json_decref(call->operation_inputs);
	instance_release(&call->self);
	instance_release(&call->source);
	instance_release(&call->target);
	result_release(&call->result);
	pools_free(call);
	g_mutex_clear(&call->lock);
	memset(call, 0, sizeof(*call));
}

const char *plugin_result_name(int code)
{
	switch (code) {
	case BP_OK:         return "OK";
	case BP_RETRY:      return "RETRY";
	case BP_FAIL:       return "FAIL";
	case BP_FAIL_FATAL: return "FAIL_FATAL";
	default:            return "?";
	}
}

const char *plugin_log_level_name(int level)
{
	switch (level) {
	case BP_LOG_DEBUG:   return "debug";
	case BP_LOG_INFO:    return "info";
	case BP_LOG_WARNING: return "warning";
	case BP_LOG_ERROR:   return "error";
	default:             return "?";
	}
}

void plugin_call_log(struct plugin_call *call, int level, const char *message)
{
	if (!call->log)
		return;
	g_mutex_lock(&call->lock);
	call->log(call->log_data, level, message);
	g_mutex_unlock(&call->lock);
}

/* Makes *doc an object when the caller left it NULL. */
static void ensure_object(json_t **doc)
{
	if (!*doc)
		*doc = json_object();
}

/* Adds the script's path to the operation inputs, as Cloudify's script
 * plugin expects it, without touching an object the caller may share. */
static void add_script_input(struct plugin_call *call, const char *script)
{
	json_t *in = call->operation_inputs;

	if (json_object_get(in, PLUGIN_SCRIPT_INPUT))
		return;
	in = json_is_object(in) ? json_copy(in) : json_object();
	json_object_set_new(in, PLUGIN_SCRIPT_INPUT, json_string(script));
	json_decref(call->operation_inputs);
	call->operation_inputs = in;
}

static void prepare(struct plugin_call *call, const struct plugin *plugin)
{
	struct plugin_call_instance *insts[] = { &call->self, &call->source,
						 &call->target };

	result_release(&call->result);
	pools_free(call);
	call->strings = g_ptr_array_new_with_free_func(g_free);
	call->secrets = g_ptr_array_new_with_free_func(secret_free);
	call->plugin = plugin;
	ensure_object(&call->operation_inputs);
	ensure_object(&call->deployment_inputs);
	for (unsigned i = 0; i < G_N_ELEMENTS(insts); i++) {
		ensure_object(&insts[i]->properties);
		ensure_object(&insts[i]->runtime_properties);
		insts[i]->runtime_changed = false;
		call->ctx[i].call = call;
		call->ctx[i].inst = insts[i];
	}
	/* A relationship's main context, and a call for no instance (a
	 * workflow the blueprint declares), have no instance. */
	if (call->relationship || !call->self.instance_id)
		call->ctx[0].inst = NULL;
}

/* Turns the operation's return value into call->result. */
static void finish(struct plugin_call *call, const struct plugin_op *op,
		   int rc)
{
	struct plugin_call_result *r = &call->result;

	if (rc < BP_OK || rc >= BP_RESULT_LAST) {
		g_free(r->message);
		r->message = g_strdup_printf("operation '%s' of plugin '%s' "
					     "returned %d; expected BP_OK, "
					     "BP_RETRY, BP_FAIL or "
					     "BP_FAIL_FATAL", op->op->name,
					     op->plugin->name, rc);
		rc = BP_FAIL_FATAL;
	}
	r->code = (enum bp_result)rc;
	if (r->code != BP_RETRY)
		r->retry_after = 0;
	if ((r->code == BP_FAIL || r->code == BP_FAIL_FATAL) && !r->message)
		r->message = g_strdup_printf("operation '%s' of plugin '%s' "
					     "failed and gave no message",
					     op->op->name, op->plugin->name);
	call->plugin = NULL;
	pools_free(call);
}

bool plugin_call_run(struct plugin_registry *reg,
		     const struct plugin_ref *ref, struct plugin_call *call,
		     struct bp_error **err)
{
	struct plugin_op op;

	if (!plugin_registry_resolve(&op, reg, ref, err))
		return false;
	if (ref->kind == PLUGIN_REF_SCRIPT || ref->kind == PLUGIN_REF_ARTIFACT)
		add_script_input(call, ref->script);
	prepare(call, op.plugin);
	finish(call, &op, op.op->fn(&call->ctx[0]));
	return true;
}
