/* func_runtime.c: runtime evaluation: a value (normally what static
 * evaluation left) to JSON while a deployment runs. Arguments are
 * evaluated first; a call whose arguments were calls is then judged on
 * their values, written back as a tree, so that the same code as at load
 * time says what SELF, a requirement or a capability name mean. What only
 * the executor knows (instances, their attributes, operation outputs,
 * secrets, other deployments) comes through the callbacks of struct
 * model_runtime. */
#include "model/func_internal.h"

#include <string.h>

struct rt_eval {
	const struct model_runtime *rt;
	struct dsl_doc *doc;            /* arguments written back, static
					   results; made when first needed
					   (most values have no call) */
	const char *path;
};

static struct dsl_doc *doc_of(struct rt_eval *x)
{
	if (!x->doc)
		x->doc = model_eval_doc_new();
	return x->doc;
}

static json_t *eval(struct rt_eval *x, const struct dsl_node *v,
		    struct bp_error **err);

/* Sets *err at the call and returns NULL. */
static void *fail(struct rt_eval *x, const struct func_call *c,
		  struct bp_error **err, const char *fmt, ...)
	G_GNUC_PRINTF(4, 5);
static void *fail(struct rt_eval *x, const struct func_call *c,
		  struct bp_error **err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	bp_error_setv(err, BP_ERR_INVALID, &c->node->mark, x->path, fmt, ap);
	va_end(ap);
	return NULL;
}

static void *missing(struct rt_eval *x, const struct func_call *c,
		     const char *callback, struct bp_error **err)
{
	return fail(x, c, err, "'%s' cannot be evaluated here: the executor "
		    "gave no '%s'", c->def->name, callback);
}

/* Walks keys[from..] into `v` (consumed). A missing key gives null, or
 * an error when `strict`. */
static json_t *walk(struct rt_eval *x, const struct func_call *c, json_t *v,
		    json_t *keys, size_t from, bool strict,
		    struct bp_error **err)
{
	for (size_t i = from; v && i < json_array_size(keys); i++) {
		json_t *k = json_array_get(keys, i), *next = NULL;
		g_autofree char *kt = json_is_string(k) ?
				      g_strdup(json_string_value(k)) :
				      json_is_integer(k) ?
				      g_strdup_printf("%" JSON_INTEGER_FORMAT,
						      json_integer_value(k)) :
				      NULL;
		if (json_is_object(v) && kt)
			next = json_object_get(v, kt);
		else if (json_is_array(v) && json_is_integer(k) &&
			 json_integer_value(k) >= 0)
			next = json_array_get(v, (size_t)json_integer_value(k));
		if (!next && strict) {
			json_decref(v);
			return fail(x, c, err, "'%s': nothing at '%s' in the "
				    "value of '%s'", c->def->name,
				    kt ? kt : "?",
				    json_string_value(json_array_get(keys, 0)));
		}
		next = next ? json_incref(next) : json_null();
		json_decref(v);
		v = next;
	}
	return v;
}

static bool is_keyword(const char *name)
{
	return !g_strcmp0(name, "SELF") || !g_strcmp0(name, "SOURCE") ||
	       !g_strcmp0(name, "TARGET") || !g_strcmp0(name, "HOST");
}

/* What argv[0] names, judged in rt->scope; without one only node names
 * can be judged. */
static bool entity_of(struct rt_eval *x, const struct func_call *c,
		      struct func_entity *e, struct bp_error **err)
{
	const char *name = dsl_scalar(c->argv[0]);

	if (x->rt->scope)
		return func__entity(x->rt->m, x->rt->scope, c, e, err);
	memset(e, 0, sizeof(*e));
	if (is_keyword(name)) {
		fail(x, c, err, "'%s' in '%s' cannot be judged: the executor "
		     "gave no scope", name, c->def->name);
		return false;
	}
	e->node = model_node_find(x->rt->m, name);
	if (!e->node) {
		fail(x, c, err, "unknown node template '%s' in '%s'",
		     name ? name : "", c->def->name);
		return false;
	}
	return true;
}

/* (transfer full) the id of the instance argv[0] names, and what the
 * model says it is (zeroed when it cannot say). */
static char *instance_of(struct rt_eval *x, const struct func_call *c,
			 struct func_entity *e, struct bp_error **err)
{
	const struct model_runtime *rt = x->rt;
	const char *name = dsl_scalar(c->argv[0]);
	const char *id = !g_strcmp0(name, "SELF") ? rt->self :
			 !g_strcmp0(name, "SOURCE") ? rt->source :
			 !g_strcmp0(name, "TARGET") ? rt->target : NULL;
	bool by_context = is_keyword(name) && g_strcmp0(name, "HOST");

	memset(e, 0, sizeof(*e));
	if (!(by_context && !rt->scope) && !entity_of(x, c, e, err))
		return NULL;
	if (by_context) {
		if (!id)
			return fail(x, c, err, "'%s' has no instance in this "
				    "context", name);
		return g_strdup(id);
	}
	if (!rt->find_instance)
		return missing(x, c, "find_instance", err);
	return rt->find_instance(rt->data, e->node->name, err);
}

static json_t *get_attribute(struct rt_eval *x, const struct func_call *c,
			     json_t *args, struct bp_error **err)
{
	const struct model_runtime *rt = x->rt;
	struct func_entity e;
	struct func_prop_ref ref = { .rest = 2 };
	struct func_cursor cur = { 0 };
	g_autofree char *id = NULL;
	const char *name;
	json_t *v;

	if (!rt->get_attribute)
		return missing(x, c, "get_attribute", err);
	id = instance_of(x, c, &e, err);
	if (!id)
		return NULL;
	if (e.node || e.rel) {
		bool ok = func__attribute(rt->m, c, &e, &cur, &ref, x->path,
					  err);
		func__cursor_clear(&cur);
		if (!ok)
			return NULL;
	}
	if (ref.owner.node && e.node && ref.owner.node != e.node) {
		g_free(id);
		id = rt->find_instance ? rt->find_instance(rt->data,
							   ref.owner.node->name,
							   err) : NULL;
		if (!id)
			return rt->find_instance ? NULL :
			       missing(x, c, "find_instance", err);
	}
	name = dsl_scalar(c->argv[ref.rest - 1]);
	v = rt->get_attribute(rt->data, id, ref.capability, name, err);
	if (!v)
		return NULL;
	if (json_is_null(v) && ref.rest == c->argc &&
	    !g_strcmp0(name, "node_instance_id")) {
		json_decref(v);
		return json_string(id);
	}
	return walk(x, c, v, args, ref.rest, false, err);
}

/* The attribute keys[first] of instance `id`, walked by the keys after. */
static json_t *attribute_path(struct rt_eval *x, const struct func_call *c,
			      const char *id, json_t *keys, size_t first,
			      struct bp_error **err)
{
	json_t *name = json_array_get(keys, first);
	json_t *v;

	if (!json_is_string(name))
		return fail(x, c, err, "expected an attribute name (a string) "
			    "in '%s'", c->def->name);
	v = x->rt->get_attribute(x->rt->data, id, NULL,
				 json_string_value(name), err);
	return v ? walk(x, c, v, keys, first + 1, false, err) : NULL;
}

/* {path: value} for one instance, a path per argument after the first
 * (an attribute name, or a list of keys written "a.b"). */
static json_t *attributes_dict(struct rt_eval *x, const struct func_call *c,
			       const char *id, json_t *args,
			       struct bp_error **err)
{
	json_t *out = json_object();

	for (size_t a = 1; a < json_array_size(args); a++) {
		json_t *p = json_array_get(args, a);
		json_t *keys = json_is_array(p) ? json_incref(p) :
			       json_pack("[O]", p);
		json_t *v = attribute_path(x, c, id, keys, 0, err), *k;
		GString *pid = g_string_new(NULL);
		size_t i;

		json_array_foreach(keys, i, k) {
			g_autofree char *t = json_is_string(k) ?
				g_strdup(json_string_value(k)) :
				g_strdup_printf("%" JSON_INTEGER_FORMAT,
						json_integer_value(k));
			g_string_append_printf(pid, "%s%s", i ? "." : "", t);
		}
		json_decref(keys);
		if (v)
			json_object_set_new(out, pid->str, v);
		g_string_free(pid, TRUE);
		if (!v) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

/* get_attributes_list and get_attributes_dict: every instance of a node. */
static json_t *get_attributes(struct rt_eval *x, const struct func_call *c,
			      json_t *args, struct bp_error **err)
{
	const struct model_runtime *rt = x->rt;
	bool dict = c->def->id == FUNC_GET_ATTRIBUTES_DICT;
	struct func_entity e;
	json_t *out;
	g_auto(GStrv) ids = NULL;

	if (!rt->get_attribute || !rt->list_instances)
		return missing(x, c, rt->get_attribute ? "list_instances" :
			       "get_attribute", err);
	if (!entity_of(x, c, &e, err))
		return NULL;
	if (!e.node)
		return fail(x, c, err, "'%s' needs a node template",
			    c->def->name);
	ids = rt->list_instances(rt->data, e.node->name, err);
	if (!ids)
		return NULL;
	out = dict ? json_object() : json_array();
	for (size_t i = 0; ids[i]; i++) {
		json_t *v = dict ? attributes_dict(x, c, ids[i], args, err) :
			    attribute_path(x, c, ids[i], args, 1, err);
		if (!v) {
			json_decref(out);
			return NULL;
		}
		if (dict)
			json_object_set_new(out, ids[i], v);
		else
			json_array_append_new(out, v);
	}
	return out;
}

static json_t *get_operation_output(struct rt_eval *x,
				    const struct func_call *c,
				    struct bp_error **err)
{
	const struct model_runtime *rt = x->rt;
	struct func_entity e;
	g_autofree char *id = NULL;

	if (!rt->get_operation_output)
		return missing(x, c, "get_operation_output", err);
	id = instance_of(x, c, &e, err);
	if (!id)
		return NULL;
	return rt->get_operation_output(rt->data, id, dsl_scalar(c->argv[1]),
					dsl_scalar(c->argv[2]),
					dsl_scalar(c->argv[3]), err);
}

static json_t *get_secret(struct rt_eval *x, const struct func_call *c,
			  json_t *args, struct bp_error **err)
{
	const struct model_runtime *rt = x->rt;
	json_t *name = json_array_get(args, 0), *v, *parsed;
	json_error_t jerr;

	if (!rt->get_secret)
		return missing(x, c, "get_secret", err);
	if (!json_is_string(name))
		return fail(x, c, err, "expected a string for the secret name "
			    "of 'get_secret'");
	v = rt->get_secret(rt->data, json_string_value(name), err);
	if (!v || !dsl_is_seq(c->args) || !json_is_string(v))
		return v;
	parsed = json_loads(json_string_value(v), JSON_DECODE_ANY, &jerr);
	json_decref(v);
	if (!parsed)
		return fail(x, c, err, "secret '%s' is not JSON, so keys cannot "
			    "be taken from it: %s", json_string_value(name),
			    jerr.text);
	return walk(x, c, parsed, args, 1, true, err);
}

static json_t *eval_static(struct rt_eval *x, const struct func_call *c,
			   struct bp_error **err)
{
	struct model_scope s;
	struct dsl_node *v;
	struct func_call left;

	if (!x->rt->scope)
		return fail(x, c, err, "'%s' should have been evaluated before "
			    "run time (no scope to evaluate it in)",
			    c->def->name);
	s = *x->rt->scope;
	s.doc = doc_of(x);
	s.up = NULL;
	v = model_eval_static(x->rt->m, &s, c->node, err);
	if (!v)
		return NULL;
	if (func__call(x->rt->m, v, &left) && left.def->kind == FUNC_STATIC)
		return fail(x, c, err, "'%s' cannot be evaluated: %s",
			    c->def->name, s.inputs ? "its arguments are not "
			    "known" : "no inputs were given");
	return eval(x, v, err);
}

static json_t *eval_call(struct rt_eval *x, const struct func_call *call,
			 struct bp_error **err)
{
	const struct model_runtime *rt = x->rt;
	struct func_call c = *call;
	json_t *args, *out = NULL;

	if (!func__check_shape(call, x->path, err))
		return NULL;
	if (call->def->kind == FUNC_STATIC)
		return eval_static(x, call, err);
	args = json_array();
	for (uint32_t i = 0; i < call->argc; i++) {
		json_t *a = eval(x, call->argv[i], err);
		if (!a) {
			json_decref(args);
			return NULL;
		}
		json_array_append_new(args, a);
	}
	func__call_args(&c, call->args);
	if (func__has_call(rt->m, call->args))
		func__call_args(&c, func__from_json(doc_of(x),
						    &call->args->mark,
						    dsl_is_seq(call->args) ?
						    args :
						    json_array_get(args, 0)));
	switch (c.def->id) {
	case FUNC_GET_ATTRIBUTE:
		out = get_attribute(x, &c, args, err);
		break;
	case FUNC_GET_ATTRIBUTES_LIST:
	case FUNC_GET_ATTRIBUTES_DICT:
		out = get_attributes(x, &c, args, err);
		break;
	case FUNC_GET_OPERATION_OUTPUT:
		out = get_operation_output(x, &c, err);
		break;
	case FUNC_GET_SECRET:
		out = get_secret(x, &c, args, err);
		break;
	case FUNC_GET_CAPABILITY:
	case FUNC_GET_ENVIRONMENT_CAPABILITY:
	case FUNC_GET_GROUP_CAPABILITY:
	case FUNC_GET_LABEL:
	case FUNC_GET_SYS:
		out = rt->external ? rt->external(rt->data, c.def->name, args,
						  err) :
		      missing(x, &c, "external", err);
		break;
	default:
		out = func__pure(&c, args, x->path, err);
		break;
	}
	json_decref(args);
	return out;
}

static json_t *eval(struct rt_eval *x, const struct dsl_node *v,
		    struct bp_error **err)
{
	struct func_call c;
	json_t *out, *item;

	if (func__call(x->rt->m, v, &c))
		return eval_call(x, &c, err);
	if (dsl_is_map(v)) {
		out = json_object();
		for (uint32_t i = 0; i < v->u.map.n; i++) {
			item = eval(x, v->u.map.items[i].value, err);
			if (!item) {
				json_decref(out);
				return NULL;
			}
			json_object_set_new(out, dsl_key(&v->u.map.items[i]),
					    item);
		}
		return out;
	}
	if (dsl_is_seq(v)) {
		out = json_array();
		for (uint32_t i = 0; i < v->u.seq.n; i++) {
			item = eval(x, v->u.seq.items[i], err);
			if (!item) {
				json_decref(out);
				return NULL;
			}
			json_array_append_new(out, item);
		}
		return out;
	}
	return model_value_to_json(v);
}

json_t *model_eval_runtime(const struct model_runtime *rt,
			   const struct dsl_node *v, struct bp_error **err)
{
	struct rt_eval x = { rt, NULL, rt->scope ? rt->scope->path : NULL };
	json_t *out = eval(&x, v, err);

	dsl_doc_free(x.doc);
	return out;
}
