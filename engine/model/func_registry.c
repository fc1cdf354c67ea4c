/* func_registry.c: the intrinsic functions each dialect has, when each can
 * be evaluated, and the shape of their arguments: how many, written as a
 * list or not, and the type of those written literally. Everything here
 * is judged from the call alone; what the arguments refer to is
 * func_target.c's. */
#include "model/func_internal.h"

#include <string.h>

#define TOSCA DSL_FEAT_TOSCA_FUNCS
#define CFY DSL_FEAT_CFY_FUNCS
#define BOTH (DSL_FEAT_TOSCA_FUNCS | DSL_FEAT_CFY_FUNCS)

static const struct func_def defs[FUNC_LAST] = {
	{ "get_input", FUNC_GET_INPUT, FUNC_STATIC, BOTH, 0, NULL,
	  FUNC_FORM_ANY, 1, 0, "input or [input, key-or-index, ...]" },
	{ "get_property", FUNC_GET_PROPERTY, FUNC_STATIC, BOTH, 0, NULL,
	  FUNC_FORM_LIST, 2, 0,
	  "[node-or-keyword, (capability,) property, key-or-index, ...]" },
	{ "get_attribute", FUNC_GET_ATTRIBUTE, FUNC_RUNTIME, BOTH, 0, NULL,
	  FUNC_FORM_LIST, 2, 0,
	  "[node-or-keyword, (capability,) attribute, key-or-index, ...]" },
	{ "get_attributes_list", FUNC_GET_ATTRIBUTES_LIST, FUNC_RUNTIME, CFY,
	  0, NULL, FUNC_FORM_LIST, 2, 0,
	  "[node-or-keyword, attribute, key-or-index, ...]" },
	{ "get_attributes_dict", FUNC_GET_ATTRIBUTES_DICT, FUNC_RUNTIME, CFY,
	  0, NULL, FUNC_FORM_LIST, 2, 0,
	  "[node-or-keyword, attribute-or-path, ...]" },
	{ "get_operation_output", FUNC_GET_OPERATION_OUTPUT, FUNC_RUNTIME,
	  TOSCA, 0, NULL, FUNC_FORM_LIST, 4, 4,
	  "[node-or-keyword, interface, operation, output]" },
	{ "get_nodes_of_type", FUNC_GET_NODES_OF_TYPE, FUNC_STATIC, TOSCA, 0,
	  NULL, FUNC_FORM_ANY, 1, 1, "node-type" },
	{ "get_artifact", FUNC_GET_ARTIFACT, FUNC_STATIC, TOSCA, 0, NULL,
	  FUNC_FORM_LIST, 2, 4,
	  "[node-or-keyword, artifact, (location, (remove))]" },
	{ "get_secret", FUNC_GET_SECRET, FUNC_RUNTIME, CFY, 0, NULL,
	  FUNC_FORM_ANY, 1, 0, "name or [name, key-or-index, ...]" },
	{ "get_capability", FUNC_GET_CAPABILITY, FUNC_RUNTIME, CFY, 0, NULL,
	  FUNC_FORM_LIST, 2, 0, "[deployment, capability, key-or-index, ...]" },
	{ "get_environment_capability", FUNC_GET_ENVIRONMENT_CAPABILITY,
	  FUNC_RUNTIME, CFY, 0, NULL, FUNC_FORM_ANY, 1, 0,
	  "capability or [capability, key-or-index, ...]" },
	{ "get_group_capability", FUNC_GET_GROUP_CAPABILITY, FUNC_RUNTIME, CFY,
	  0, NULL, FUNC_FORM_LIST, 2, 0,
	  "[group, capability-or-list, key-or-index, ...]" },
	{ "get_label", FUNC_GET_LABEL, FUNC_RUNTIME, CFY, 0, NULL,
	  FUNC_FORM_ANY, 1, 2, "key or [key, index]" },
	{ "get_sys", FUNC_GET_SYS, FUNC_RUNTIME, CFY, 0, NULL, FUNC_FORM_LIST,
	  2, 2, "[entity, property]" },
	{ "concat", FUNC_CONCAT, FUNC_PURE, BOTH, 0, NULL, FUNC_FORM_LIST, 1,
	  0, "[value, ...]" },
	{ "join", FUNC_JOIN, FUNC_PURE, TOSCA, 0, NULL, FUNC_FORM_LIST, 1, 2,
	  "[[value, ...], (delimiter)]" },
	{ "token", FUNC_TOKEN, FUNC_PURE, TOSCA, 0, NULL, FUNC_FORM_LIST, 3, 3,
	  "[string, separators, index]" },
	{ "merge", FUNC_MERGE, FUNC_PURE, CFY, DSL_FEAT_MERGE_FUNC,
	  "cloudify_dsl_1_3 or later", FUNC_FORM_LIST, 1, 0, "[map, ...]" },
	{ "string_find", FUNC_STRING_FIND, FUNC_PURE, CFY, 0, NULL,
	  FUNC_FORM_LIST, 2, 2, "[string, substring]" },
	{ "string_replace", FUNC_STRING_REPLACE, FUNC_PURE, CFY, 0, NULL,
	  FUNC_FORM_LIST, 3, 4, "[string, old, new, (count)]" },
	{ "string_lower", FUNC_STRING_LOWER, FUNC_PURE, CFY, 0, NULL,
	  FUNC_FORM_ONE, 1, 1, "string" },
	{ "string_upper", FUNC_STRING_UPPER, FUNC_PURE, CFY, 0, NULL,
	  FUNC_FORM_ONE, 1, 1, "string" },
};

bool func__fail(struct bp_error **err, const struct dsl_node *at,
		const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	bp_error_setv(err, BP_ERR_INVALID, at ? &at->mark : NULL, path, fmt,
		      ap);
	va_end(ap);
	return false;
}

const struct dsl_file *func__file(const struct model *m,
				  const struct dsl_node *v)
{
	const GPtrArray *files = m->svc->files;

	for (guint i = 0; v && v->mark.file && i < files->len; i++) {
		const struct dsl_file *f = files->pdata[i];
		if (f->path == v->mark.file || !g_strcmp0(f->path, v->mark.file))
			return f;
	}
	return dsl_service_main(m->svc);
}

static const struct func_def *def_find(const char *name)
{
	for (size_t i = 0; name && i < G_N_ELEMENTS(defs); i++)
		if (!strcmp(defs[i].name, name))
			return &defs[i];
	return NULL;
}

bool func__call(const struct model *m, const struct dsl_node *v,
		struct func_call *out)
{
	const struct func_def *d = def_find(model_function_name(v));
	const struct dsl_file *file;

	if (!d)
		return false;
	file = func__file(m, v);
	if (!(d->dialects & file->features))
		return false;
	out->def = d;
	out->node = v;
	out->file = file;
	out->features = file->features;
	func__call_args(out, v->u.map.items[0].value);
	return true;
}

void func__call_args(struct func_call *c, struct dsl_node *args)
{
	c->args = args;
	c->single = args;
	if (dsl_is_seq(args)) {
		c->argv = args->u.seq.items;
		c->argc = args->u.seq.n;
	} else {
		c->argv = &c->single;
		c->argc = 1;
	}
}

static bool has_call(const struct model *m, const struct dsl_node *v,
		     bool runtime_only)
{
	struct func_call c;

	if (func__call(m, v, &c) &&
	    (!runtime_only || c.def->kind == FUNC_RUNTIME))
		return true;
	if (dsl_is_map(v)) {
		for (uint32_t i = 0; i < v->u.map.n; i++)
			if (has_call(m, v->u.map.items[i].value, runtime_only))
				return true;
	} else if (dsl_is_seq(v)) {
		for (uint32_t i = 0; i < v->u.seq.n; i++)
			if (has_call(m, v->u.seq.items[i], runtime_only))
				return true;
	}
	return false;
}

bool func__has_call(const struct model *m, const struct dsl_node *v)
{
	return has_call(m, v, false);
}

bool func__has_runtime_call(const struct model *m, const struct dsl_node *v)
{
	return has_call(m, v, true);
}

/* --- argument shapes --- */

enum {
	ARG_STR  = 1 << 0,      /* a string */
	ARG_NAME = 1 << 1,      /* any scalar, read as text (names, keys) */
	ARG_INT  = 1 << 2,      /* an integer */
	ARG_BOOL = 1 << 3,
	ARG_LIST = 1 << 4,
	ARG_MAP  = 1 << 5,
};

/* An argument is in the file of its call, so of its dialect. */
static bool is_call(const struct func_call *c, const struct dsl_node *a)
{
	const struct func_def *d = def_find(model_function_name(a));

	return d && (d->dialects & c->features);
}

/* A call (whose result is unknown here) fits every shape. */
static bool arg_is(const struct func_call *c, const struct dsl_node *a,
		   unsigned shapes)
{
	if (is_call(c, a))
		return true;
	if ((shapes & ARG_STR) && dsl_is_str(a))
		return true;
	if ((shapes & ARG_NAME) && dsl_is_scalar(a))
		return true;
	if ((shapes & ARG_INT) && a && a->kind == DSL_SCALAR &&
	    a->stype == DSL_INT)
		return true;
	if ((shapes & ARG_BOOL) && a && a->kind == DSL_SCALAR &&
	    a->stype == DSL_BOOL)
		return true;
	if ((shapes & ARG_LIST) && dsl_is_seq(a))
		return true;
	return (shapes & ARG_MAP) && dsl_is_map(a);
}

static const char *shape_name(unsigned shapes)
{
	if (shapes == ARG_STR)
		return "a string";
	if (shapes == (ARG_NAME | ARG_INT))
		return "a name, key or index";
	if (shapes == ARG_INT)
		return "an integer";
	if (shapes == ARG_BOOL)
		return "a boolean";
	if (shapes == ARG_MAP)
		return "a map";
	if (shapes == ARG_LIST)
		return "a list";
	if (shapes == (ARG_NAME | ARG_LIST))
		return "a name or a list of keys";
	return "a string, number or boolean";
}

static bool want(const struct func_call *c, uint32_t i, unsigned shapes,
		 const char *what, const char *path, struct bp_error **err)
{
	const struct dsl_node *a = c->argv[i];

	if (arg_is(c, a, shapes))
		return true;
	return func__fail(err, a ? a : c->node, path, "expected %s for the "
			  "%s of '%s', found %s", shape_name(shapes), what,
			  c->def->name, dsl_type_name_a(a));
}

/* Arguments from `from` on are all of `shapes`. */
static bool want_rest(const struct func_call *c, uint32_t from,
		      unsigned shapes, const char *what, const char *path,
		      struct bp_error **err)
{
	for (uint32_t i = from; i < c->argc; i++)
		if (!want(c, i, shapes, what, path, err))
			return false;
	return true;
}

static bool check_count(const struct func_call *c, const char *path,
			struct bp_error **err)
{
	const struct func_def *d = c->def;
	bool list = dsl_is_seq(c->args);

	if (d->form == FUNC_FORM_LIST && !list)
		return func__fail(err, c->args, path, "expected a list of "
				  "arguments for '%s' (%s), found %s", d->name,
				  d->usage, dsl_type_name_a(c->args));
	if (d->form == FUNC_FORM_ONE && list)
		return func__fail(err, c->args, path, "expected one argument "
				  "for '%s' (%s), found a list", d->name,
				  d->usage);
	if (c->argc < d->min || (d->max && c->argc > d->max)) {
		if (d->min == d->max)
			return func__fail(err, c->args, path, "expected %u "
					  "argument%s for '%s' (%s), found %u",
					  d->min, d->min == 1 ? "" : "s",
					  d->name, d->usage, c->argc);
		if (c->argc < d->min)
			return func__fail(err, c->args, path, "expected at "
					  "least %u argument%s for '%s' (%s), "
					  "found %u", d->min, d->min == 1 ?
					  "" : "s", d->name, d->usage, c->argc);
		return func__fail(err, c->args, path, "expected at most %u "
				  "arguments for '%s' (%s), found %u", d->max,
				  d->name, d->usage, c->argc);
	}
	return true;
}

static const char *const sys_properties[][2] = {
	{ "tenant", "name" }, { "deployment", "id" }, { "deployment", "name" },
	{ "deployment", "blueprint" }, { "deployment", "owner" },
};

static bool check_sys(const struct func_call *c, const char *path,
		      struct bp_error **err)
{
	const char *entity = dsl_str(c->argv[0]);
	const char *prop = dsl_str(c->argv[1]);
	bool entity_known = false;

	if (!entity)
		return true;
	for (size_t i = 0; i < G_N_ELEMENTS(sys_properties); i++) {
		if (strcmp(sys_properties[i][0], entity))
			continue;
		entity_known = true;
		if (prop && !strcmp(sys_properties[i][1], prop))
			return true;
	}
	if (!entity_known)
		return func__fail(err, c->argv[0], path, "unknown entity '%s' "
				  "for 'get_sys'; expected 'tenant' or "
				  "'deployment'", entity);
	if (!prop)
		return true;
	return func__fail(err, c->argv[1], path, "unknown property '%s' of "
			  "'%s' for 'get_sys'; expected %s", prop, entity,
			  !strcmp(entity, "tenant") ? "'name'" :
			  "one of 'id', 'name', 'blueprint', 'owner'");
}

static bool check_label(const struct func_call *c, const char *path,
			struct bp_error **err)
{
	const char *idx;

	if (!dsl_is_seq(c->args))
		return want(c, 0, ARG_STR, "label key", path, err);
	if (c->argc != 2)
		return func__fail(err, c->args, path, "expected [key, index] "
				  "for 'get_label', found a list of %u",
				  c->argc);
	if (!want(c, 0, ARG_STR, "label key", path, err))
		return false;
	idx = dsl_scalar(c->argv[1]);
	if (is_call(c, c->argv[1]) ||
	    (idx && *idx && strspn(idx, "0123456789") == strlen(idx)))
		return true;
	return func__fail(err, c->argv[1], path, "expected an index (a "
			  "number) for the label value of 'get_label', found "
			  "'%s'", idx ? idx : dsl_type_name(c->argv[1]));
}

/* Cloudify's list forms of get_secret and get_environment_capability
 * need a name and at least one key. */
static bool check_path_list(const struct func_call *c, const char *path,
			    struct bp_error **err)
{
	if (!dsl_is_seq(c->args))
		return want(c, 0, ARG_STR, "name", path, err);
	if (c->argc < 2)
		return func__fail(err, c->args, path, "expected [name, "
				  "key-or-index, ...] (at least 2 items) for "
				  "the list form of '%s', found %u",
				  c->def->name, c->argc);
	return want(c, 0, ARG_NAME, "name", path, err) &&
	       want_rest(c, 1, ARG_NAME | ARG_INT, "key or index", path, err);
}

static bool check_items(const struct func_call *c, const char *path,
			struct bp_error **err)
{
	const struct dsl_node *list = c->argv[0];

	if (!want(c, 0, ARG_LIST, "values", path, err))
		return false;
	for (uint32_t i = 0; dsl_is_seq(list) && i < list->u.seq.n; i++) {
		const struct dsl_node *a = list->u.seq.items[i];
		if (!arg_is(c, a, ARG_NAME))
			return func__fail(err, a, path, "expected a string, "
					  "number or boolean in the values "
					  "of 'join', found %s",
					  dsl_type_name_a(a));
	}
	return c->argc < 2 || want(c, 1, ARG_STR, "delimiter", path, err);
}

static bool check_types(const struct func_call *c, const char *path,
			struct bp_error **err)
{
	int64_t i;

	switch (c->def->id) {
	case FUNC_GET_INPUT:
		if (dsl_is_seq(c->args) &&
		    !(c->features & DSL_FEAT_NESTED_GET_INPUT))
			return func__fail(err, c->args, path, "expected one "
					  "argument for 'get_input' (an input "
					  "name), found a list of %u; [input, "
					  "key-or-index, ...] needs "
					  "tosca_simple_yaml_1_3, this file is "
					  "%s", c->argc, c->file->version);
		return want(c, 0, dsl_is_seq(c->args) ? ARG_NAME : ARG_STR,
			    "input name", path, err) &&
		       want_rest(c, 1, ARG_NAME | ARG_INT, "key or index",
				 path, err);
	case FUNC_GET_PROPERTY:
	case FUNC_GET_ATTRIBUTE:
	case FUNC_GET_ATTRIBUTES_LIST:
	case FUNC_GET_CAPABILITY:
		return want(c, 0, ARG_NAME, "node name", path, err) &&
		       want_rest(c, 1, ARG_NAME | ARG_INT, "name, key or index",
				 path, err);
	case FUNC_GET_ATTRIBUTES_DICT:
		return want(c, 0, ARG_NAME, "node name", path, err) &&
		       want_rest(c, 1, ARG_NAME | ARG_LIST, "attribute", path,
				 err);
	case FUNC_GET_GROUP_CAPABILITY:
		return want(c, 0, ARG_NAME, "group name", path, err) &&
		       want(c, 1, ARG_NAME | ARG_LIST, "capability", path,
			    err) &&
		       want_rest(c, 2, ARG_NAME | ARG_INT, "key or index",
				 path, err);
	case FUNC_GET_OPERATION_OUTPUT:
		return want_rest(c, 0, ARG_NAME, "name", path, err);
	case FUNC_GET_NODES_OF_TYPE:
		return want(c, 0, ARG_STR, "node type", path, err);
	case FUNC_GET_ARTIFACT:
		for (uint32_t k = 0; k < c->argc && k < 3; k++)
			if (!want(c, k, ARG_NAME, "name", path, err))
				return false;
		return c->argc < 4 || want(c, 3, ARG_BOOL, "'remove' flag",
					   path, err);
	case FUNC_GET_SECRET:
	case FUNC_GET_ENVIRONMENT_CAPABILITY:
		return check_path_list(c, path, err);
	case FUNC_GET_LABEL:
		return check_label(c, path, err);
	case FUNC_GET_SYS:
		return want_rest(c, 0, ARG_STR, "name", path, err) &&
		       check_sys(c, path, err);
	case FUNC_CONCAT:
		return want_rest(c, 0, ARG_NAME, "values", path, err);
	case FUNC_JOIN:
		return check_items(c, path, err);
	case FUNC_TOKEN:
		if (!want(c, 0, ARG_STR, "string", path, err) ||
		    !want(c, 1, ARG_STR, "separators", path, err) ||
		    !want(c, 2, ARG_INT, "index", path, err))
			return false;
		if (dsl_as_int(c->argv[2], &i) && i < 0)
			return func__fail(err, c->argv[2], path, "expected a "
					  "non-negative index for 'token', "
					  "found %" G_GINT64_FORMAT, i);
		return true;
	case FUNC_MERGE:
		return want_rest(c, 0, ARG_MAP, "values", path, err);
	case FUNC_STRING_FIND:
	case FUNC_STRING_LOWER:
	case FUNC_STRING_UPPER:
		return want_rest(c, 0, ARG_STR, "arguments", path, err);
	case FUNC_STRING_REPLACE:
		return want(c, 0, ARG_STR, "string", path, err) &&
		       want(c, 1, ARG_STR, "old substring", path, err) &&
		       want(c, 2, ARG_STR, "new substring", path, err) &&
		       (c->argc < 4 || want(c, 3, ARG_INT, "count", path, err));
	default:
		return true;
	}
}

bool func__check_shape(const struct func_call *c, const char *path,
		       struct bp_error **err)
{
	const struct func_def *d = c->def;

	if ((c->features & d->requires) != d->requires)
		return func__fail(err, c->node, path, "'%s' requires %s; this "
				  "file is %s", d->name, d->requires_what,
				  c->file->version ? c->file->version : "of "
				  "no known version");
	return check_count(c, path, err) && check_types(c, path, err);
}
