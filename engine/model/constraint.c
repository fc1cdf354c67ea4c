/* constraint.c: constraint clauses (equal, in_range, pattern, ...): their
 * definitions checked when types are built, and values checked against
 * them.
 *
 * A clause is a one-key map {operator: argument}; Cloudify also allows an
 * `error_message` beside the operator. Ordered comparisons are made on the
 * meaning of a value, not its text: scalar-units normalised to their base
 * unit ("4 GB" > "1024 MB"), versions by their parts, timestamps by the
 * instant they name. Cloudify's special types (deployment_id, node_id, ...)
 * have operators that select objects on a Cloudify manager (filter_id,
 * labels, tenants, deployment_id); there is no manager here, so only their
 * definitions are checked, while name_pattern is checked on the value.
 */
#include "model/value_internal.h"

#include <inttypes.h>
#include <string.h>

enum op_kind {
	OP_EQUAL, OP_GREATER_THAN, OP_GREATER_OR_EQUAL, OP_LESS_THAN,
	OP_LESS_OR_EQUAL, OP_IN_RANGE, OP_VALID_VALUES, OP_LENGTH,
	OP_MIN_LENGTH, OP_MAX_LENGTH, OP_PATTERN, OP_NAME_PATTERN,
	OP_MANAGER,          /* selects objects on a Cloudify manager */
	OP_KIND_LAST         /* never use */
};

/* The shape an operator's argument must have. */
enum arg_shape {
	ARG_VALUE,           /* one value of the property's type */
	ARG_RANGE,           /* [lower, upper] of the type, lower <= upper */
	ARG_VALUES,          /* a list of values of the type */
	ARG_LENGTH,          /* a non-negative integer */
	ARG_REGEX,           /* a regular expression */
	ARG_STRING,
	ARG_LIST,
	ARG_NAME_PATTERN,    /* {contains|starts_with|ends_with|equals_to: s} */
};

/* Which values an operator applies to. */
enum applies {
	FOR_ALL,
	FOR_ORDERED,         /* numbers, scalar-units, versions, timestamps */
	FOR_SIZED,           /* strings, lists, maps */
	FOR_STRINGS,
	FOR_CFY_TYPES,       /* the Cloudify types in op.cfy_types */
};

static const char *const cfy_ids[] = { "blueprint_id", "deployment_id",
				       NULL };
static const char *const cfy_in_deployment[] = {
	"capability_value", "scaling_group", "node_id", "node_type",
	"node_instance", "operation_name", NULL,
};
static const char *const cfy_objects[] = {
	"blueprint_id", "deployment_id", "secret_key", "capability_value",
	"scaling_group", "node_id", "node_type", "node_instance",
	"operation_name", NULL,
};

struct op {
	const char *name;
	enum op_kind kind;
	enum arg_shape shape;
	enum applies applies;
	const char *const *cfy_types;    /* FOR_CFY_TYPES */
};

static const struct op ops[] = {
	{ "equal", OP_EQUAL, ARG_VALUE, FOR_ALL, NULL },
	{ "greater_than", OP_GREATER_THAN, ARG_VALUE, FOR_ORDERED, NULL },
	{ "greater_or_equal", OP_GREATER_OR_EQUAL, ARG_VALUE, FOR_ORDERED,
	  NULL },
	{ "less_than", OP_LESS_THAN, ARG_VALUE, FOR_ORDERED, NULL },
	{ "less_or_equal", OP_LESS_OR_EQUAL, ARG_VALUE, FOR_ORDERED, NULL },
	{ "in_range", OP_IN_RANGE, ARG_RANGE, FOR_ORDERED, NULL },
	{ "valid_values", OP_VALID_VALUES, ARG_VALUES, FOR_ALL, NULL },
	{ "length", OP_LENGTH, ARG_LENGTH, FOR_SIZED, NULL },
	{ "min_length", OP_MIN_LENGTH, ARG_LENGTH, FOR_SIZED, NULL },
	{ "max_length", OP_MAX_LENGTH, ARG_LENGTH, FOR_SIZED, NULL },
	{ "pattern", OP_PATTERN, ARG_REGEX, FOR_STRINGS, NULL },
	{ "name_pattern", OP_NAME_PATTERN, ARG_NAME_PATTERN, FOR_CFY_TYPES,
	  cfy_objects },
	{ "filter_id", OP_MANAGER, ARG_STRING, FOR_CFY_TYPES, cfy_ids },
	{ "labels", OP_MANAGER, ARG_LIST, FOR_CFY_TYPES, cfy_ids },
	{ "tenants", OP_MANAGER, ARG_LIST, FOR_CFY_TYPES, cfy_ids },
	{ "deployment_id", OP_MANAGER, ARG_STRING, FOR_CFY_TYPES,
	  cfy_in_deployment },
};

static const char *const name_pattern_keys[] = {
	"contains", "starts_with", "ends_with", "equals_to", NULL,
};

/* One parsed clause. */
struct clause {
	const struct op *op;
	const struct dsl_pair *pair;      /* operator: argument */
	const char *message;              /* Cloudify error_message, or NULL */
};

static const struct op *op_find(const struct model__vctx *c,
				const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(ops); i++)
		if (strcmp(ops[i].name, name) == 0 &&
		    (c->cfy || !ops[i].cfy_types))
			return &ops[i];
	return NULL;
}

/* "'equal', 'greater_than', ...": the operators of the dialect. */
static char *op_names(const struct model__vctx *c)
{
	GString *s = g_string_new(NULL);

	for (size_t i = 0; i < G_N_ELEMENTS(ops); i++)
		if (c->cfy || !ops[i].cfy_types)
			g_string_append_printf(s, "%s'%s'", s->len ? ", " : "",
					       ops[i].name);
	return g_string_free(s, FALSE);
}

static bool in_list(const char *const *names, const char *name)
{
	for (; *names; names++)
		if (strcmp(*names, name) == 0)
			return true;
	return false;
}

static bool op_applies(const struct model__vctx *c, const struct op *op,
		       const struct model_type *t)
{
	enum model_prim p = model__prim_of(c, t);

	/* a range is in range when both its bounds are */
	if (op->kind == OP_IN_RANGE && p == MODEL_PRIM_RANGE)
		return true;
	switch (op->applies) {
	case FOR_ALL:
		return true;
	case FOR_ORDERED:
		return p == MODEL_PRIM_ANY || p == MODEL_PRIM_INTEGER ||
		       p == MODEL_PRIM_FLOAT || p == MODEL_PRIM_TIMESTAMP ||
		       p == MODEL_PRIM_VERSION || p == MODEL_PRIM_SIZE ||
		       p == MODEL_PRIM_TIME || p == MODEL_PRIM_FREQUENCY ||
		       p == MODEL_PRIM_BITRATE;
	case FOR_SIZED:
		return p == MODEL_PRIM_ANY || p == MODEL_PRIM_STRING ||
		       p == MODEL_PRIM_LIST || p == MODEL_PRIM_MAP;
	case FOR_STRINGS:
		return p == MODEL_PRIM_ANY || p == MODEL_PRIM_STRING;
	case FOR_CFY_TYPES:
		for (; t; t = t->parent)
			if (t->name && in_list(op->cfy_types, t->name))
				return true;
		return false;
	}
	return false;
}

/* --- comparing values by meaning --- */

struct cmpval {
	enum { CV_INT, CV_NUM, CV_VERSION } kind;
	int64_t i;
	double num;
	struct model_version ver;
};

static bool to_cmpval(enum model_prim p, const struct dsl_node *n,
		      struct cmpval *out)
{
	const char *text = dsl_scalar(n);

	if (!text || n->stype == DSL_BOOL)
		return false;
	out->kind = CV_NUM;
	switch (p) {
	case MODEL_PRIM_SIZE:
	case MODEL_PRIM_TIME:
	case MODEL_PRIM_FREQUENCY:
	case MODEL_PRIM_BITRATE:
		return model_scalar_unit_parse(p, text, &out->num, NULL);
	case MODEL_PRIM_TIMESTAMP:
		return n->stype == DSL_STR &&
		       model_timestamp_parse(text, &out->num);
	case MODEL_PRIM_VERSION:
		out->kind = CV_VERSION;
		return model_version_parse(text, &out->ver);
	case MODEL_PRIM_RANGE:           /* a bound of a range */
		out->kind = CV_INT;
		if (n->stype == DSL_STR && strcmp(text, "UNBOUNDED") == 0) {
			out->i = INT64_MAX;
			return true;
		}
		return dsl_as_int(n, &out->i);
	default:
		if (dsl_as_int(n, &out->i)) {
			out->kind = CV_INT;
			return true;
		}
		return dsl_as_float(n, &out->num);
	}
}

static int cmpval_cmp(const struct cmpval *a, const struct cmpval *b)
{
	double x, y;

	if (a->kind == CV_VERSION)
		return model_version_cmp(&a->ver, &b->ver);
	if (a->kind == CV_INT && b->kind == CV_INT)
		return (a->i > b->i) - (a->i < b->i);
	x = a->kind == CV_INT ? (double)a->i : a->num;
	y = b->kind == CV_INT ? (double)b->i : b->num;
	return (x > y) - (x < y);
}

/* Equality by meaning where the type has one, else structural. */
static bool values_equal(enum model_prim p, const struct dsl_node *a,
			 const struct dsl_node *b)
{
	struct cmpval x, y;

	if (to_cmpval(p, a, &x) && to_cmpval(p, b, &y))
		return cmpval_cmp(&x, &y) == 0;
	return dsl_equal(a, b);
}

/* --- parsing a clause --- */

/* Parses a clause. With `d` set (definition checks), reports what is wrong
 * with its shape; otherwise fails quietly. */
static bool parse_clause(const struct model__vctx *c,
			 const struct dsl_node *item, unsigned index, const char *subject, const char *path,
			 struct bp_diags *d, struct clause *out)
{
	const struct dsl_pair *message = NULL;

	out->op = NULL;
	out->pair = NULL;
	if (!dsl_is_map(item)) {
		g_autofree char *text = model__value_text(item);
		if (d)
			bp_diags_add(d, BP_ERR_INVALID, &item->mark, path,
				     "expected a map {operator: argument} for "
				     "constraint %u of '%s', found %s", index,
				     subject, text);
		return false;
	}
	for (uint32_t i = 0; i < item->u.map.n; i++) {
		const struct dsl_pair *p = &item->u.map.items[i];
		const struct op *op;
		if (c->cfy && strcmp(dsl_key(p), "error_message") == 0) {
			message = p;
			continue;
		}
		op = op_find(c, dsl_key(p));
		if (!op) {
			g_autofree char *names = op_names(c);
			if (d)
				bp_diags_add(d, BP_ERR_INVALID, &p->key->mark,
					     path, "unknown constraint operator "
					     "'%s' for '%s': expected one of %s",
					     dsl_key(p), subject, names);
			return false;
		}
		if (out->op) {
			if (d)
				bp_diags_add(d, BP_ERR_INVALID, &p->key->mark,
					     path, "constraint %u of '%s' has "
					     "two operators, '%s' and '%s': "
					     "expected one per list item",
					     index, subject, out->op->name,
					     op->name);
			return false;
		}
		out->op = op;
		out->pair = p;
	}
	if (!out->op) {
		if (d)
			bp_diags_add(d, BP_ERR_INVALID, &item->mark, path,
				     "constraint %u of '%s' has no operator",
				     index, subject);
		return false;
	}
	out->message = message ? dsl_str(message->value) : NULL;
	if (message && !out->message) {
		if (d)
			bp_diags_add(d, BP_ERR_INVALID, &message->value->mark,
				     path, "expected a string for "
				     "'error_message' of constraint %u of '%s'",
				     index, subject);
		return false;
	}
	return true;
}

/* --- checking definitions --- */

struct defcheck {
	struct model__vctx *c;
	const struct model_type *t;
	const struct clause *k;
	const char *subject;
	const char *path;
};

static bool bad_arg(const struct defcheck *dc, const struct dsl_node *arg,
		    const char *expected)
{
	g_autofree char *text = model__value_text(arg);

	return bp_diags_add(dc->c->d, BP_ERR_INVALID, &arg->mark, dc->path,
			    "invalid argument %s for constraint '%s' of '%s': "
			    "expected %s", text, dc->k->op->name, dc->subject,
			    expected);
}

/* One value of the property's type (any number for untyped ordered
 * comparisons). */
static bool check_arg_value(const struct defcheck *dc,
			    const struct dsl_node *arg)
{
	g_autofree char *what = NULL, *problem = NULL;
	double num;
	struct cmpval bound;

	if (model__prim_of(dc->c, dc->t) == MODEL_PRIM_RANGE)
		return to_cmpval(MODEL_PRIM_RANGE, arg, &bound) ||
		       bad_arg(dc, arg, "an integer or UNBOUNDED");
	if (model__prim_of(dc->c, dc->t) == MODEL_PRIM_ANY) {
		if (dc->k->op->applies != FOR_ORDERED || dsl_as_float(arg, &num))
			return true;
		return bad_arg(dc, arg, "a number");
	}
	what = g_strdup_printf("constraint '%s' of '%s'", dc->k->op->name,
			       dc->subject);
	problem = model__prim_problem(dc->c, dc->t, arg, what);
	if (!problem)
		return true;
	return bp_diags_add(dc->c->d, BP_ERR_INVALID, &arg->mark, dc->path,
			    "%s", problem);
}

static bool check_arg_range(const struct defcheck *dc,
			    const struct dsl_node *arg)
{
	enum model_prim p = model__prim_of(dc->c, dc->t);
	struct cmpval lo, hi;

	if (!dsl_is_seq(arg) || arg->u.seq.n != 2)
		return bad_arg(dc, arg, "a list of two values [lower, upper]");
	if (!check_arg_value(dc, arg->u.seq.items[0]) ||
	    !check_arg_value(dc, arg->u.seq.items[1]))
		return false;
	if (to_cmpval(p, arg->u.seq.items[0], &lo) &&
	    to_cmpval(p, arg->u.seq.items[1], &hi) && cmpval_cmp(&lo, &hi) > 0)
		return bad_arg(dc, arg, "a lower bound not greater than the "
			       "upper bound");
	return true;
}

static bool check_arg_regex(const struct defcheck *dc,
			    const struct dsl_node *arg)
{
	g_autoptr(GError) ge = NULL;
	g_autoptr(GRegex) re = NULL;

	if (!dsl_is_str(arg))
		return bad_arg(dc, arg, "a regular expression (a string)");
	re = g_regex_new(dsl_str(arg), 0, 0, &ge);
	if (re)
		return true;
	return bp_diags_add(dc->c->d, BP_ERR_INVALID, &arg->mark, dc->path,
			    "invalid regular expression '%s' for constraint "
			    "'pattern' of '%s': %s", dsl_str(arg), dc->subject,
			    ge->message);
}

static bool check_arg_name_pattern(const struct defcheck *dc,
				   const struct dsl_node *arg)
{
	static const char expected[] = "a map of 'contains', 'starts_with', "
				       "'ends_with' or 'equals_to' to strings";

	if (!dsl_is_map(arg) || !arg->u.map.n)
		return bad_arg(dc, arg, expected);
	for (uint32_t i = 0; i < arg->u.map.n; i++)
		if (!in_list(name_pattern_keys, dsl_key(&arg->u.map.items[i])) ||
		    !dsl_is_str(arg->u.map.items[i].value))
			return bad_arg(dc, arg, expected);
	return true;
}

static bool check_arg(const struct defcheck *dc, const struct dsl_node *arg)
{
	int64_t n;
	bool ok = true;

	if (model_is_function_call(arg))
		return true;       /* checked once evaluated */
	switch (dc->k->op->shape) {
	case ARG_VALUE:
		return check_arg_value(dc, arg);
	case ARG_RANGE:
		return check_arg_range(dc, arg);
	case ARG_VALUES:
		if (!dsl_is_seq(arg))
			return bad_arg(dc, arg, "a list of values");
		for (uint32_t i = 0; i < arg->u.seq.n; i++)
			ok &= check_arg_value(dc, arg->u.seq.items[i]);
		return ok;
	case ARG_LENGTH:
		if (dsl_as_int(arg, &n) && n >= 0)
			return true;
		return bad_arg(dc, arg, "a non-negative integer");
	case ARG_REGEX:
		return check_arg_regex(dc, arg);
	case ARG_STRING:
		return dsl_is_str(arg) || bad_arg(dc, arg, "a string");
	case ARG_LIST:
		return dsl_is_seq(arg) || bad_arg(dc, arg, "a list");
	case ARG_NAME_PATTERN:
		return check_arg_name_pattern(dc, arg);
	}
	return true;
}

static const char *type_label(const struct model_type *t)
{
	return t && t->name ? t->name : "any";
}

bool model_check_constraint_defs(const struct model *m,
				 const struct model_prop *prop,
				 const struct dsl_node *constraints,
				 const char *path, struct bp_diags *d)
{
	struct model__vctx c;
	const char *subject = prop->name ? prop->name : "value";
	bool ok = true;

	model__vctx_init(&c, m, d);
	if (dsl_is_null(constraints))
		return true;
	if (!dsl_is_seq(constraints)) {
		g_autofree char *text = model__value_text(constraints);
		return bp_diags_add(d, BP_ERR_INVALID, &constraints->mark, path,
				    "expected a list for the constraints of "
				    "'%s', found %s", subject, text);
	}
	for (uint32_t i = 0; i < constraints->u.seq.n; i++) {
		const struct dsl_node *item = constraints->u.seq.items[i];
		g_autofree char *ipath = g_strdup_printf("%s[%" PRIu32 "]",
							 path ? path : "", i);
		struct clause k;
		struct defcheck dc = { &c, prop->type, &k, subject, ipath };
		if (!parse_clause(&c, item, i + 1, subject, ipath, d, &k)) {
			ok = false;
		} else if (!op_applies(&c, k.op, prop->type)) {
			ok = bp_diags_add(d, BP_ERR_INVALID, &k.pair->key->mark,
					  ipath, "constraint '%s' does not "
					  "apply to '%s' of type '%s'",
					  k.op->name, subject,
					  type_label(prop->type));
		} else {
			ok &= check_arg(&dc, k.pair->value);
		}
	}
	return ok;
}

/* --- checking values --- */

/* The text a length or a pattern applies to: a string's, or any scalar's
 * taken for a string (value.c's tosca_lenient). */
static const char *text_of(enum model_prim p, const struct dsl_node *v)
{
	return dsl_is_str(v) || p == MODEL_PRIM_STRING ? dsl_scalar(v) : NULL;
}

struct evalctx {
	struct model__vctx *c;
	enum model_prim prim;
	const struct dsl_node *v;
	const char *subject;
	const char *path;
};

/* Reports that the value breaks clause `k`: "value V of 'S' " and the
 * formatted reason, or the clause's own error_message. */
static bool fail(const struct evalctx *e, const struct clause *k,
		 const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static bool fail(const struct evalctx *e, const struct clause *k,
		 const char *fmt, ...)
{
	g_autofree char *text = model__value_text(e->v);
	g_autofree char *reason = NULL;
	va_list ap;

	if (k && k->message)
		return bp_diags_add(e->c->d, BP_ERR_INVALID, &e->v->mark,
				    e->path, "value %s of '%s' is invalid: %s",
				    text, e->subject, k->message);
	va_start(ap, fmt);
	reason = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	return bp_diags_add(e->c->d, BP_ERR_INVALID, &e->v->mark, e->path,
			    "value %s of '%s' %s", text, e->subject, reason);
}

/* in_range: `v` (or, for a range, each of its bounds) within the bounds
 * of the argument. */
static bool eval_in_range(const struct evalctx *e, const struct clause *k,
			  const char *atext)
{
	const struct dsl_node *arg = k->pair->value;
	bool range = e->prim == MODEL_PRIM_RANGE;
	uint32_t n = range ? dsl_len(e->v) : 1;
	struct cmpval v, a, b;

	if (!dsl_is_seq(arg) || dsl_len(arg) != 2 ||
	    !to_cmpval(e->prim, arg->u.seq.items[0], &a) ||
	    !to_cmpval(e->prim, arg->u.seq.items[1], &b))
		return true;
	for (uint32_t i = 0; i < n; i++) {
		const struct dsl_node *x = range ? e->v->u.seq.items[i] : e->v;
		if (!to_cmpval(e->prim, x, &v))
			return fail(e, NULL, "cannot be compared with %s: "
				    "expected a number", atext);
		if (cmpval_cmp(&v, &a) < 0 || cmpval_cmp(&v, &b) > 0)
			return fail(e, k, "is out of range %s", atext);
	}
	return true;
}

static bool eval_ordered(const struct evalctx *e, const struct clause *k)
{
	const struct dsl_node *arg = k->pair->value;
	g_autofree char *atext = model__value_text(arg);
	struct cmpval v, a;
	int c;

	if (k->op->kind == OP_IN_RANGE)
		return eval_in_range(e, k, atext);
	if (!to_cmpval(e->prim, e->v, &v))
		return fail(e, NULL, "cannot be compared with %s: expected "
			    "a number", atext);
	if (!to_cmpval(e->prim, arg, &a))
		return true;
	c = cmpval_cmp(&v, &a);
	switch (k->op->kind) {
	case OP_GREATER_THAN:
		return c > 0 || fail(e, k, "is not greater than %s", atext);
	case OP_GREATER_OR_EQUAL:
		return c >= 0 || fail(e, k, "is not greater than or equal to "
				      "%s", atext);
	case OP_LESS_THAN:
		return c < 0 || fail(e, k, "is not less than %s", atext);
	case OP_LESS_OR_EQUAL:
		return c <= 0 || fail(e, k, "is not less than or equal to %s",
				      atext);
	default:
		return true;
	}
}

static bool eval_length(const struct evalctx *e, const struct clause *k)
{
	int64_t want, len;

	if (!dsl_as_int(k->pair->value, &want))
		return true;
	if (text_of(e->prim, e->v))
		len = g_utf8_strlen(text_of(e->prim, e->v), -1);
	else if (dsl_is_seq(e->v) || dsl_is_map(e->v))
		len = dsl_len(e->v);
	else
		return fail(e, NULL, "has no length: expected a string, a list "
			    "or a map");
	switch (k->op->kind) {
	case OP_LENGTH:
		return len == want || fail(e, k, "has length %" PRId64 ", "
					   "expected %" PRId64, len, want);
	case OP_MIN_LENGTH:
		return len >= want || fail(e, k, "is too short: length %"
					   PRId64 ", expected at least %"
					   PRId64, len, want);
	default:
		return len <= want || fail(e, k, "is too long: length %"
					   PRId64 ", expected at most %"
					   PRId64, len, want);
	}
}

/* TOSCA matches the whole value; Cloudify (Python's re.match) its start. */
static bool eval_pattern(const struct evalctx *e, const struct clause *k)
{
	const char *pattern = dsl_str(k->pair->value);
	const char *text = text_of(e->prim, e->v);
	g_autofree char *full = NULL;
	g_autoptr(GRegex) re = NULL;

	if (!pattern)
		return true;
	if (!text)
		return fail(e, NULL, "cannot match pattern '%s': expected a "
			    "string", pattern);
	full = e->c->cfy ? g_strdup(pattern)
			 : g_strdup_printf("(?:%s)\\z", pattern);
	re = g_regex_new(full, G_REGEX_ANCHORED, 0, NULL);
	if (!re || g_regex_match(re, text, 0, NULL))
		return true;
	return fail(e, k, "does not match pattern '%s'", pattern);
}

static bool eval_name_pattern(const struct evalctx *e, const struct clause *k)
{
	const struct dsl_node *arg = k->pair->value;
	const char *s = dsl_scalar(e->v);

	for (uint32_t i = 0; s && dsl_is_map(arg) && i < arg->u.map.n; i++) {
		const char *how = dsl_key(&arg->u.map.items[i]);
		const char *want = dsl_str(arg->u.map.items[i].value);
		bool ok = !want ||
			(!strcmp(how, "contains") && strstr(s, want)) ||
			(!strcmp(how, "starts_with") &&
			 g_str_has_prefix(s, want)) ||
			(!strcmp(how, "ends_with") &&
			 g_str_has_suffix(s, want)) ||
			(!strcmp(how, "equals_to") && !strcmp(s, want));
		if (!ok)
			return fail(e, k, "does not match name_pattern %s '%s'",
				    how, want);
	}
	return true;
}

static bool eval_clause(const struct evalctx *e, const struct clause *k)
{
	const struct dsl_node *arg = k->pair->value;
	g_autofree char *atext = NULL;

	if (model_is_function_call(arg))
		return true;       /* checked once evaluated */
	switch (k->op->kind) {
	case OP_EQUAL:
		if (values_equal(e->prim, e->v, arg))
			return true;
		atext = model__value_text(arg);
		return fail(e, k, "is not equal to %s", atext);
	case OP_VALID_VALUES:
		if (!dsl_is_seq(arg))
			return true;
		for (uint32_t i = 0; i < arg->u.seq.n; i++)
			if (values_equal(e->prim, e->v, arg->u.seq.items[i]))
				return true;
		atext = model__value_text(arg);
		return fail(e, k, "is not one of %s", atext);
	case OP_GREATER_THAN:
	case OP_GREATER_OR_EQUAL:
	case OP_LESS_THAN:
	case OP_LESS_OR_EQUAL:
	case OP_IN_RANGE:
		return eval_ordered(e, k);
	case OP_LENGTH:
	case OP_MIN_LENGTH:
	case OP_MAX_LENGTH:
		return eval_length(e, k);
	case OP_PATTERN:
		return eval_pattern(e, k);
	case OP_NAME_PATTERN:
		return eval_name_pattern(e, k);
	case OP_MANAGER:
	case OP_KIND_LAST:
		break;
	}
	return true;
}

/* Adds the items of a constraints list not seen yet (a type's list may
 * repeat its ancestors' items). */
static void collect(GPtrArray *items, const struct dsl_node *list)
{
	for (uint32_t i = 0; dsl_is_seq(list) && i < list->u.seq.n; i++) {
		struct dsl_node *item = list->u.seq.items[i];
		if (!g_ptr_array_find(items, item, NULL))
			g_ptr_array_add(items, item);
	}
}

bool model__check_constraints(struct model__vctx *c,
			      const struct model_prop *prop,
			      const struct dsl_node *v, const char *subject,
			      const char *path)
{
	g_autoptr(GPtrArray) items = g_ptr_array_new();
	struct evalctx e = { c, model__prim_of(c, prop->type), v, subject,
			     path };
	bool ok = true;

	collect(items, prop->constraints);
	for (const struct model_type *t = prop->type; t; t = t->parent)
		collect(items, t->constraints);
	for (guint i = 0; i < items->len; i++) {
		struct clause k;
		if (parse_clause(c, items->pdata[i], i + 1, subject, path, NULL,
				 &k) && op_applies(c, k.op, prop->type))
			ok &= eval_clause(&e, &k);
	}
	return ok;
}
