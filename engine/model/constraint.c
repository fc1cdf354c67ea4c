/* constraint.c: constraint clauses (equal, in_range, pattern, ...): the
 * operators, parsing a clause, comparing values by meaning, and checking
 * values against the clauses. Their definitions are checked in
 * constraint_def.c.
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

#define OP(name, kind, shape, applies, types) { name, MODEL_OP_##kind, \
	MODEL_ARG_##shape, MODEL_FOR_##applies, types }
static const struct model__op ops[] = {
	OP("equal", EQUAL, VALUE, ALL, NULL),
	OP("greater_than", GREATER_THAN, VALUE, ORDERED, NULL),
	OP("greater_or_equal", GREATER_OR_EQUAL, VALUE, ORDERED, NULL),
	OP("less_than", LESS_THAN, VALUE, ORDERED, NULL),
	OP("less_or_equal", LESS_OR_EQUAL, VALUE, ORDERED, NULL),
	OP("in_range", IN_RANGE, RANGE, ORDERED, NULL),
	OP("valid_values", VALID_VALUES, VALUES, ALL, NULL),
	OP("length", LENGTH, LENGTH, SIZED, NULL),
	OP("min_length", MIN_LENGTH, LENGTH, SIZED, NULL),
	OP("max_length", MAX_LENGTH, LENGTH, SIZED, NULL),
	OP("pattern", PATTERN, REGEX, STRINGS, NULL),
	/* Cloudify's special types only */
	OP("name_pattern", NAME_PATTERN, NAME_PATTERN, CFY_TYPES, cfy_objects),
	OP("filter_id", MANAGER, STRING, CFY_TYPES, cfy_ids),
	OP("labels", MANAGER, LIST, CFY_TYPES, cfy_ids),
	OP("tenants", MANAGER, LIST, CFY_TYPES, cfy_ids),
	OP("deployment_id", MANAGER, STRING, CFY_TYPES, cfy_in_deployment),
};
#undef OP

static const struct model__op *op_find(const struct model__vctx *c,
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

bool model__op_applies(const struct model__vctx *c,
		       const struct model__op *op,
		       const struct model_type *t)
{
	enum model_prim p = model__prim_of(c, t);

	/* a range is in range when both its bounds are */
	if (op->kind == MODEL_OP_IN_RANGE && p == MODEL_PRIM_RANGE)
		return true;
	switch (op->applies) {
	case MODEL_FOR_ALL:
		return true;
	case MODEL_FOR_ORDERED:
		return p == MODEL_PRIM_ANY || p == MODEL_PRIM_INTEGER ||
		       p == MODEL_PRIM_FLOAT || p == MODEL_PRIM_TIMESTAMP ||
		       p == MODEL_PRIM_VERSION || p == MODEL_PRIM_SIZE ||
		       p == MODEL_PRIM_TIME || p == MODEL_PRIM_FREQUENCY ||
		       p == MODEL_PRIM_BITRATE;
	case MODEL_FOR_SIZED:
		return p == MODEL_PRIM_ANY || p == MODEL_PRIM_STRING ||
		       p == MODEL_PRIM_LIST || p == MODEL_PRIM_MAP;
	case MODEL_FOR_STRINGS:
		return p == MODEL_PRIM_ANY || p == MODEL_PRIM_STRING;
	case MODEL_FOR_CFY_TYPES:
		for (; t; t = t->parent)
			if (t->name && g_strv_contains(op->cfy_types, t->name))
				return true;
		return false;
	}
	return false;
}

/* --- comparing values by meaning --- */


bool model__to_cmpval(enum model_prim p, const struct dsl_node *n,
		      struct model__cmpval *out)
{
	const char *text = dsl_scalar(n);

	if (!text || n->stype == DSL_BOOL)
		return false;
	out->kind = MODEL_CV_NUM;
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
		out->kind = MODEL_CV_VERSION;
		return model_version_parse(text, &out->ver);
	case MODEL_PRIM_RANGE:           /* a bound of a range */
		out->kind = MODEL_CV_INT;
		if (n->stype == DSL_STR && strcmp(text, "UNBOUNDED") == 0) {
			out->i = INT64_MAX;
			return true;
		}
		return dsl_as_int(n, &out->i);
	default:
		if (dsl_as_int(n, &out->i)) {
			out->kind = MODEL_CV_INT;
			return true;
		}
		return dsl_as_float(n, &out->num);
	}
}

int model__cmpval_cmp(const struct model__cmpval *a,
		      const struct model__cmpval *b)
{
	double x, y;

	if (a->kind == MODEL_CV_VERSION)
		return model_version_cmp(&a->ver, &b->ver);
	if (a->kind == MODEL_CV_INT && b->kind == MODEL_CV_INT)
		return (a->i > b->i) - (a->i < b->i);
	x = a->kind == MODEL_CV_INT ? (double)a->i : a->num;
	y = b->kind == MODEL_CV_INT ? (double)b->i : b->num;
	return (x > y) - (x < y);
}

/* Equality by meaning where the type has one, else structural. */
static bool values_equal(enum model_prim p, const struct dsl_node *a,
			 const struct dsl_node *b)
{
	struct model__cmpval x, y;

	if (model__to_cmpval(p, a, &x) && model__to_cmpval(p, b, &y))
		return model__cmpval_cmp(&x, &y) == 0;
	return dsl_equal(a, b);
}

/* --- parsing a clause --- */

/* Parses a clause. With `d` set (definition checks), reports what is wrong
 * with its shape; otherwise fails quietly. */
bool model__parse_clause(const struct model__vctx *c,
			 const struct dsl_node *item, unsigned index,
			 const char *subject, const char *path,
			 struct bp_diags *d, struct model__clause *out)
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
		const struct model__op *op;
		if (c->cfy && strcmp(dsl_key(p), "error_message") == 0) {
			message = p;
			continue;
		}
		op = op_find(c, dsl_key(p));
		if (!op) {
			g_autofree char *names = op_names(c);
			if (d)
				bp_diags_add(d, BP_ERR_INVALID, &p->key->mark,
					     path, "unknown constraint "
					     "operator '%s' for '%s': expected "
					     "one of %s", dsl_key(p), subject,
					     names);
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
static bool fail(const struct evalctx *e, const struct model__clause *k,
		 const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static bool fail(const struct evalctx *e, const struct model__clause *k,
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
static bool eval_in_range(const struct evalctx *e,
			  const struct model__clause *k, const char *atext)
{
	const struct dsl_node *arg = k->pair->value;
	bool range = e->prim == MODEL_PRIM_RANGE;
	uint32_t n = range ? dsl_len(e->v) : 1;
	struct model__cmpval v, a, b;

	if (!dsl_is_seq(arg) || dsl_len(arg) != 2 ||
	    !model__to_cmpval(e->prim, arg->u.seq.items[0], &a) ||
	    !model__to_cmpval(e->prim, arg->u.seq.items[1], &b))
		return true;
	for (uint32_t i = 0; i < n; i++) {
		const struct dsl_node *x = range ? e->v->u.seq.items[i] : e->v;
		if (!model__to_cmpval(e->prim, x, &v))
			return fail(e, NULL, "cannot be compared with %s: "
				    "expected a number", atext);
		if (model__cmpval_cmp(&v, &a) < 0 ||
		    model__cmpval_cmp(&v, &b) > 0)
			return fail(e, k, "is out of range %s", atext);
	}
	return true;
}

static bool eval_ordered(const struct evalctx *e, const struct model__clause *k)
{
	const struct dsl_node *arg = k->pair->value;
	g_autofree char *atext = model__value_text(arg);
	struct model__cmpval v, a;
	int c;

	if (k->op->kind == MODEL_OP_IN_RANGE)
		return eval_in_range(e, k, atext);
	if (!model__to_cmpval(e->prim, e->v, &v))
		return fail(e, NULL, "cannot be compared with %s: expected "
			    "a number", atext);
	if (!model__to_cmpval(e->prim, arg, &a))
		return true;
	c = model__cmpval_cmp(&v, &a);
	switch (k->op->kind) {
	case MODEL_OP_GREATER_THAN:
		return c > 0 || fail(e, k, "is not greater than %s", atext);
	case MODEL_OP_GREATER_OR_EQUAL:
		return c >= 0 || fail(e, k, "is not greater than or equal to "
				      "%s", atext);
	case MODEL_OP_LESS_THAN:
		return c < 0 || fail(e, k, "is not less than %s", atext);
	case MODEL_OP_LESS_OR_EQUAL:
		return c <= 0 || fail(e, k, "is not less than or equal to %s",
				      atext);
	default:
		return true;
	}
}

static bool eval_length(const struct evalctx *e, const struct model__clause *k)
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
	case MODEL_OP_LENGTH:
		return len == want || fail(e, k, "has length %" PRId64 ", "
					   "expected %" PRId64, len, want);
	case MODEL_OP_MIN_LENGTH:
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
static bool eval_pattern(const struct evalctx *e, const struct model__clause *k)
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

static bool eval_name_pattern(const struct evalctx *e,
			      const struct model__clause *k)
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

static bool eval_clause(const struct evalctx *e, const struct model__clause *k)
{
	const struct dsl_node *arg = k->pair->value;
	g_autofree char *atext = NULL;

	if (model_is_function_call(arg))
		return true;       /* checked once evaluated */
	switch (k->op->kind) {
	case MODEL_OP_EQUAL:
		if (values_equal(e->prim, e->v, arg))
			return true;
		atext = model__value_text(arg);
		return fail(e, k, "is not equal to %s", atext);
	case MODEL_OP_VALID_VALUES:
		if (!dsl_is_seq(arg))
			return true;
		for (uint32_t i = 0; i < arg->u.seq.n; i++)
			if (values_equal(e->prim, e->v, arg->u.seq.items[i]))
				return true;
		atext = model__value_text(arg);
		return fail(e, k, "is not one of %s", atext);
	case MODEL_OP_GREATER_THAN:
	case MODEL_OP_GREATER_OR_EQUAL:
	case MODEL_OP_LESS_THAN:
	case MODEL_OP_LESS_OR_EQUAL:
	case MODEL_OP_IN_RANGE:
		return eval_ordered(e, k);
	case MODEL_OP_LENGTH:
	case MODEL_OP_MIN_LENGTH:
	case MODEL_OP_MAX_LENGTH:
		return eval_length(e, k);
	case MODEL_OP_PATTERN:
		return eval_pattern(e, k);
	case MODEL_OP_NAME_PATTERN:
		return eval_name_pattern(e, k);
	case MODEL_OP_MANAGER:
	case MODEL_OP_KIND_LAST:
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
	g_autoptr(GPtrArray) items = NULL;
	struct evalctx e = { c, model__prim_of(c, prop->type), v, subject,
			     path };
	const struct model_type *t = prop->type;
	bool ok = true;

	while (t && !t->constraints)
		t = t->parent;
	if (!prop->constraints && !t)
		return true;          /* the common case: nothing to check */
	items = g_ptr_array_new();
	collect(items, prop->constraints);
	for (; t; t = t->parent)
		collect(items, t->constraints);
	for (guint i = 0; i < items->len; i++) {
		struct model__clause k;
		if (model__parse_clause(c, items->pdata[i], i + 1, subject,
					path, NULL, &k) &&
		    model__op_applies(c, k.op, prop->type))
			ok &= eval_clause(&e, &k);
	}
	return ok;
}
