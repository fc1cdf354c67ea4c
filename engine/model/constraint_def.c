/* constraint_def.c: checking constraint clauses as written in a
 * property or data type definition: a known operator, that applies to the
 * property's type, with an argument of the right shape that is a valid
 * value of that type ("4 GB" for a size). Checking values against the
 * clauses is constraint.c's job.
 */
#include "model/value_internal.h"

#include <inttypes.h>

static const char *const name_pattern_keys[] = {
	"contains", "starts_with", "ends_with", "equals_to", NULL,
};

struct defcheck {
	struct model__vctx *c;
	const struct model_type *t;
	const struct model__clause *k;
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
 * comparisons, an integer bound for a range in in_range). */
static bool check_arg_value(const struct defcheck *dc,
			    const struct dsl_node *arg)
{
	g_autofree char *what = NULL, *problem = NULL;
	double num;
	struct model__cmpval bound;

	if (model__prim_of(dc->c, dc->t) == MODEL_PRIM_RANGE &&
	    dc->k->op->kind == MODEL_OP_IN_RANGE)
		return model__to_cmpval(MODEL_PRIM_RANGE, arg, &bound) ||
		       bad_arg(dc, arg, "an integer or UNBOUNDED");
	if (model__prim_of(dc->c, dc->t) == MODEL_PRIM_ANY) {
		if (dc->k->op->applies != MODEL_FOR_ORDERED ||
		    dsl_as_float(arg, &num))
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
	struct model__cmpval lo, hi;

	if (!dsl_is_seq(arg) || arg->u.seq.n != 2)
		return bad_arg(dc, arg, "a list of two values [lower, upper]");
	if (!check_arg_value(dc, arg->u.seq.items[0]) ||
	    !check_arg_value(dc, arg->u.seq.items[1]))
		return false;
	if (model__to_cmpval(p, arg->u.seq.items[0], &lo) &&
	    model__to_cmpval(p, arg->u.seq.items[1], &hi) &&
	    model__cmpval_cmp(&lo, &hi) > 0)
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
		if (!g_strv_contains(name_pattern_keys,
				     dsl_key(&arg->u.map.items[i])) ||
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
	case MODEL_ARG_VALUE:
		return check_arg_value(dc, arg);
	case MODEL_ARG_RANGE:
		return check_arg_range(dc, arg);
	case MODEL_ARG_VALUES:
		if (!dsl_is_seq(arg))
			return bad_arg(dc, arg, "a list of values");
		for (uint32_t i = 0; i < arg->u.seq.n; i++)
			ok &= check_arg_value(dc, arg->u.seq.items[i]);
		return ok;
	case MODEL_ARG_LENGTH:
		if (dsl_as_int(arg, &n) && n >= 0)
			return true;
		return bad_arg(dc, arg, "a non-negative integer");
	case MODEL_ARG_REGEX:
		return check_arg_regex(dc, arg);
	case MODEL_ARG_STRING:
		return dsl_is_str(arg) || bad_arg(dc, arg, "a string");
	case MODEL_ARG_LIST:
		return dsl_is_seq(arg) || bad_arg(dc, arg, "a list");
	case MODEL_ARG_NAME_PATTERN:
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
		struct model__clause k;
		struct defcheck dc = { &c, prop->type, &k, subject, ipath };
		if (!model__parse_clause(&c, item, i + 1, subject, ipath, d,
					 &k)) {
			ok = false;
		} else if (!model__op_applies(&c, k.op, prop->type)) {
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

