/* harness.c: a plugin call built from a JSON context, and its report (see
 * harness.h for both documents). The checks are strict, so a typo in a
 * test's context ("runtime_propertes") is an error, not a silent default. */
#include "plugin/harness.h"

#include <string.h>

enum kind { K_OBJECT, K_STRING, K_INTEGER, K_NUMBER, K_BOOLEAN, K_ANY };

struct field {
	const char *key;
	enum kind kind;
};

static const char *const kind_names[] = {
	[K_OBJECT] = "an object", [K_STRING] = "a string",
	[K_INTEGER] = "an integer", [K_NUMBER] = "a number",
	[K_BOOLEAN] = "a boolean", [K_ANY] = "any value",
};

static const struct field top_fields[] = {
	{ "deployment", K_OBJECT }, { "node", K_OBJECT },
	{ "instance", K_OBJECT }, { "operation", K_OBJECT },
	{ "source", K_OBJECT }, { "target", K_OBJECT },
	{ "secrets", K_OBJECT }, { "cancelled", K_BOOLEAN },
	{ "execution", K_OBJECT }, { NULL, 0 },
};
static const struct field execution_fields[] = {
	{ "id", K_STRING }, { NULL, 0 },
};
static const struct field deployment_fields[] = {
	{ "id", K_STRING }, { "inputs", K_OBJECT },
	{ "blueprint_dir", K_STRING }, { NULL, 0 },
};
static const struct field node_fields[] = {
	{ "name", K_STRING }, { "type", K_STRING },
	{ "properties", K_OBJECT }, { NULL, 0 },
};
static const struct field instance_fields[] = {
	{ "id", K_STRING }, { "runtime_properties", K_OBJECT }, { NULL, 0 },
};
static const struct field operation_fields[] = {
	{ "name", K_STRING }, { "inputs", K_OBJECT },
	{ "attempt", K_INTEGER }, { "timeout", K_NUMBER }, { NULL, 0 },
};
static const struct field side_fields[] = {
	{ "node", K_OBJECT }, { "instance", K_OBJECT }, { NULL, 0 },
};

static bool kind_ok(const json_t *v, enum kind k)
{
	switch (k) {
	case K_OBJECT:  return json_is_object(v);
	case K_STRING:  return json_is_string(v);
	case K_INTEGER: return json_is_integer(v);
	case K_NUMBER:  return json_is_number(v);
	case K_BOOLEAN: return json_is_boolean(v);
	default:        return true;
	}
}

/* (transfer full) "'a', 'b', 'c'", the keys a table allows. */
static char *allowed(const struct field *fields)
{
	GString *s = g_string_new(NULL);

	for (const struct field *f = fields; f->key; f++)
		g_string_append_printf(s, "%s'%s'", f == fields ? "" : ", ",
				       f->key);
	return g_string_free(s, FALSE);
}

/* Checks that every key of `obj` is in `fields`, with the right kind.
 * `where` is the path of obj ("" at the top, else "node."). */
static bool check(const json_t *obj, const char *where,
		  const struct field *fields, struct bp_error **err)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)obj, key, v) {
		const struct field *f = fields;
		while (f->key && strcmp(f->key, key) != 0)
			f++;
		if (!f->key) {
			g_autofree char *ok = allowed(fields);
			bp_error_set(err, BP_ERR_INVALID, NULL, NULL,
				     "unknown key '%s%s' in the context: "
				     "expected one of %s", where, key, ok);
			return false;
		}
		if (!kind_ok(v, f->kind)) {
			bp_error_set(err, BP_ERR_INVALID, NULL, NULL,
				     "'%s%s' must be %s", where, key,
				     kind_names[f->kind]);
			return false;
		}
	}
	return true;
}

/* The object at obj[key], created empty when missing. (transfer none) */
static json_t *child(json_t *obj, const char *key)
{
	json_t *c = json_object_get(obj, key);

	if (!c) {
		c = json_object();
		json_object_set_new(obj, key, c);
	}
	return c;
}

/* The string at obj[key], set to `def` when missing. (transfer none) */
static const char *string_or(json_t *obj, const char *key, const char *def)
{
	if (!json_object_get(obj, key))
		json_object_set_new(obj, key, json_string(def));
	return json_string_value(json_object_get(obj, key));
}

/* Checks and fills {"node": ..., "instance": ...} in `side` and points
 * `inst` at it. `where` is "" or "source." / "target."; `def` names the
 * defaults ("node", "source", "target"). */
static bool setup_instance(json_t *side, const char *where, const char *def,
			   struct plugin_call_instance *inst,
			   struct bp_error **err)
{
	json_t *node = child(side, "node");
	json_t *instance = child(side, "instance");
	g_autofree char *node_where = g_strconcat(where, "node.", NULL);
	g_autofree char *inst_where = g_strconcat(where, "instance.", NULL);
	g_autofree char *def_id = NULL;

	if (!check(node, node_where, node_fields, err) ||
	    !check(instance, inst_where, instance_fields, err))
		return false;
	inst->node_name = string_or(node, "name", def);
	inst->node_type = string_or(node, "type", "cloudify.nodes.Root");
	def_id = g_strconcat(inst->node_name, "_1", NULL);
	inst->instance_id = string_or(instance, "id", def_id);
	inst->properties = json_incref(child(node, "properties"));
	inst->runtime_properties =
		json_deep_copy(child(instance, "runtime_properties"));
	return true;
}

static bool check_secrets(const json_t *secrets, struct bp_error **err)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)secrets, key, v) {
		if (!json_is_string(v)) {
			bp_error_set(err, BP_ERR_INVALID, NULL, NULL,
				     "'secrets.%s' must be a string", key);
			return false;
		}
	}
	return true;
}

static void harness_log(void *data, int level, const char *message)
{
	struct plugin_harness *h = data;

	json_array_append_new(h->logs,
			      json_pack("{s:s, s:s}", "level",
					plugin_log_level_name(level),
					"message", message));
}

static char *harness_secret(void *data, const char *name,
			    struct bp_error **err)
{
	struct plugin_harness *h = data;
	json_t *v = json_object_get(json_object_get(h->context, "secrets"),
				    name);

	return v ? g_strdup(json_string_value(v)) : NULL;
}

/* Reads "deployment" and "operation" into the call. */
static bool setup_operation(struct plugin_harness *h, const char *op,
			    struct bp_error **err)
{
	struct plugin_call *c = &h->call;
	json_t *dep = child(h->context, "deployment");
	json_t *oper = child(h->context, "operation");
	json_t *v;

	json_t *exe = json_object_get(h->context, "execution");

	if (!check(dep, "deployment.", deployment_fields, err) ||
	    !check(oper, "operation.", operation_fields, err) ||
	    (exe && !check(exe, "execution.", execution_fields, err)))
		return false;
	c->execution_id = json_string_value(json_object_get(exe, "id"));
	c->deployment_id = string_or(dep, "id", "harness");
	c->deployment_inputs = json_incref(child(dep, "inputs"));
	v = json_object_get(dep, "blueprint_dir");
	if (v) {
		g_autofree char *abs = g_canonicalize_filename(
			json_string_value(v), NULL);
		json_object_set_new(dep, "blueprint_dir", json_string(abs));
		c->blueprint_dir = json_string_value(
			json_object_get(dep, "blueprint_dir"));
	}
	c->operation_name = string_or(oper, "name", op);
	c->operation_inputs = json_incref(child(oper, "inputs"));
	v = json_object_get(oper, "attempt");
	if (v && json_integer_value(v) < 1) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL,
			     "'operation.attempt' must be 1 or more");
		return false;
	}
	c->attempt = v ? (unsigned)json_integer_value(v) : 1;
	v = json_object_get(oper, "timeout");
	if (v && json_number_value(v) <= 0) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL,
			     "'operation.timeout' must be more than 0 seconds");
		return false;
	}
	if (v)
		c->deadline = g_get_monotonic_time() +
			      (gint64)(json_number_value(v) * G_USEC_PER_SEC);
	return true;
}

/* Sets up the instance(s): a node operation, or a relationship one. */
static bool setup_instances(struct plugin_harness *h, struct bp_error **err)
{
	json_t *ctx = h->context;
	bool src = json_object_get(ctx, "source") != NULL;
	bool tgt = json_object_get(ctx, "target") != NULL;

	if (src != tgt || (src && (json_object_get(ctx, "node") ||
				   json_object_get(ctx, "instance")))) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL,
			     "a context has 'node' and 'instance' (a node "
			     "operation) or 'source' and 'target' (a "
			     "relationship operation)");
		return false;
	}
	if (!src)
		return setup_instance(ctx, "", "node", &h->call.self, err);
	h->call.relationship = true;
	return check(json_object_get(ctx, "source"), "source.", side_fields,
		     err) &&
	       check(json_object_get(ctx, "target"), "target.", side_fields,
		     err) &&
	       setup_instance(json_object_get(ctx, "source"), "source.",
			      "source", &h->call.source, err) &&
	       setup_instance(json_object_get(ctx, "target"), "target.",
			      "target", &h->call.target, err);
}

bool plugin_harness_init(struct plugin_harness *h, const json_t *context,
			 const char *op, struct bp_error **err)
{
	memset(h, 0, sizeof(*h));
	plugin_call_init(&h->call);
	h->logs = json_array();
	h->context = context ? json_deep_copy(context) : json_object();
	if (!json_is_object(h->context)) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL,
			     "the context must be a JSON object");
		return false;
	}
	json_object_del(h->context, "result");
	if (!check(h->context, "", top_fields, err) ||
	    !check_secrets(child(h->context, "secrets"), err) ||
	    !setup_operation(h, op, err) || !setup_instances(h, err))
		return false;
	h->cancel = json_is_true(json_object_get(h->context, "cancelled"));
	h->call.cancel = &h->cancel;
	h->call.log = harness_log;
	h->call.log_data = h;
	h->call.secret = harness_secret;
	h->call.secret_data = h;
	return true;
}

bool plugin_harness_run(struct plugin_harness *h,
			struct plugin_registry *reg, const char *plugin,
			const char *op, struct bp_error **err)
{
	struct plugin_ref ref = {
		.kind = PLUGIN_REF_OPERATION,
		.text = g_strconcat(plugin, ".", op, NULL),
		.plugin = g_strdup(plugin),
		.op = g_strdup(op),
	};
	bool ok = plugin_call_run(reg, &ref, &h->call, err);

	plugin_ref_release(&ref);
	return ok;
}

/* Puts an instance's runtime properties back into its side of the report. */
static void report_instance(json_t *side,
			    const struct plugin_call_instance *inst)
{
	json_object_set(json_object_get(side, "instance"),
			"runtime_properties", inst->runtime_properties);
}

json_t *plugin_harness_report(const struct plugin_harness *h)
{
	const struct plugin_call_result *r = &h->call.result;
	json_t *rep = json_deep_copy(h->context);

	if (h->call.relationship) {
		report_instance(json_object_get(rep, "source"),
				&h->call.source);
		report_instance(json_object_get(rep, "target"),
				&h->call.target);
	} else {
		report_instance(rep, &h->call.self);
	}
	json_object_set_new(rep, "result", json_pack(
		"{s:s, s:I, s:s?, s:O?, s:O}",
		"code", plugin_result_name(r->code),
		"retry_after", (json_int_t)r->retry_after,
		"message", r->message,
		"outputs", r->outputs,
		"logs", h->logs));
	return rep;
}

void plugin_harness_release(struct plugin_harness *h)
{
	if (!h)
		return;
	plugin_call_release(&h->call);
	json_decref(h->logs);
	json_decref(h->context);
	memset(h, 0, sizeof(*h));
}
