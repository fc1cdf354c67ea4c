/* value_internal.h: what value.c (types of values) and constraint.c
 * (constraints) share inside model/; not for other layers. */
#ifndef BP_MODEL_VALUE_INTERNAL_H
#define BP_MODEL_VALUE_INTERNAL_H

#include "model/value.h"

/* One value check or constraint definition check in progress. */
struct model__vctx {
	const struct model *m;         /* may be NULL */
	struct bp_diags *d;
	bool cfy;                      /* Cloudify rules (see value.h) */
};

/* Initialises a context: the dialect comes from the main file of `m`. */
void model__vctx_init(struct model__vctx *c, const struct model *m,
		      struct bp_diags *d);

/* The primitive kind of values of `t`; MODEL_PRIM_ANY for NULL. In
 * Cloudify the string-valued types accept anything, so they count as ANY
 * (except `regex`, which must compile). */
enum model_prim model__prim_of(const struct model__vctx *c,
			       const struct model_type *t);

/* A shallow check of `v` against the primitive kind of `t` (lists, maps
 * and complex values: only that they are lists or maps). Returns NULL when
 * `v` fits, else (transfer full) a message naming the problem, which says
 * "for WHAT" about its subject, e.g. "expected an integer for 'port',
 * found a string ('two')" with `what` = "'port'". */
char *model__prim_problem(const struct model__vctx *c,
			  const struct model_type *t,
			  const struct dsl_node *v, const char *what);

/* (transfer full) `v` for messages: strings in single quotes, other
 * scalars as written, lists and maps in flow style, cut at ~80 bytes. */
char *model__value_text(const struct dsl_node *v);

/* "a string", "an integer", "a scalar-unit.size", ... for messages. */
const char *model__prim_desc(enum model_prim p);

/* True when `t` or one of its ancestors is named `name`. */
bool model__type_named(const struct model_type *t, const char *name);

/* Checks `v` (already of the right type) against the constraints of
 * `prop` and of its type and the type's ancestors (each constraint once).
 * Constraints whose definition is malformed, or whose argument is a
 * function call, are skipped (model_check_constraint_defs reports the
 * former). Returns true when all hold; false after reporting each failure
 * at `v` with `subject` (the property path for messages) and `path`. */
bool model__check_constraints(struct model__vctx *c,
			      const struct model_prop *prop,
			      const struct dsl_node *v, const char *subject,
			      const char *path);

/* --- constraint clauses (constraint.c) --- */

enum model_op_kind {
	MODEL_OP_EQUAL, MODEL_OP_GREATER_THAN, MODEL_OP_GREATER_OR_EQUAL,
	MODEL_OP_LESS_THAN, MODEL_OP_LESS_OR_EQUAL, MODEL_OP_IN_RANGE,
	MODEL_OP_VALID_VALUES, MODEL_OP_LENGTH, MODEL_OP_MIN_LENGTH,
	MODEL_OP_MAX_LENGTH, MODEL_OP_PATTERN, MODEL_OP_NAME_PATTERN,
	MODEL_OP_MANAGER,       /* selects objects on a Cloudify manager */
	MODEL_OP_KIND_LAST      /* never use */
};

/* The shape an operator's argument must have. */
enum model_arg_shape {
	MODEL_ARG_VALUE,        /* one value of the property's type */
	MODEL_ARG_RANGE,        /* [lower, upper] of the type, lower <= upper */
	MODEL_ARG_VALUES,       /* a list of values of the type */
	MODEL_ARG_LENGTH,       /* a non-negative integer */
	MODEL_ARG_REGEX,        /* a regular expression */
	MODEL_ARG_STRING,
	MODEL_ARG_LIST,
	MODEL_ARG_NAME_PATTERN, /* {contains|starts_with|ends_with|equals_to:
				   string} */
};

/* Which values an operator applies to. */
enum model_applies {
	MODEL_FOR_ALL,
	MODEL_FOR_ORDERED,      /* numbers, scalar-units, versions,
				   timestamps (and ranges for in_range) */
	MODEL_FOR_SIZED,        /* strings, lists, maps */
	MODEL_FOR_STRINGS,
	MODEL_FOR_CFY_TYPES,    /* the Cloudify types in cfy_types */
};

struct model__op {
	const char *name;
	enum model_op_kind kind;
	enum model_arg_shape shape;
	enum model_applies applies;
	const char *const *cfy_types;   /* MODEL_FOR_CFY_TYPES */
};

/* One parsed clause: borrows from the constraint's node. */
struct model__clause {
	const struct model__op *op;
	const struct dsl_pair *pair;    /* operator: argument */
	const char *message;            /* Cloudify error_message, or NULL */
};

/* Parses the clause `item` (the `index`th, from 1, of the list at `path`)
 * into *out. Returns false when it is malformed: with `d` set (checking
 * definitions) after reporting why, otherwise quietly. */
bool model__parse_clause(const struct model__vctx *c,
			 const struct dsl_node *item, unsigned index,
			 const char *subject, const char *path,
			 struct bp_diags *d, struct model__clause *out);

/* True when `op` applies to values of type `t` (NULL = any). */
bool model__op_applies(const struct model__vctx *c,
		       const struct model__op *op,
		       const struct model_type *t);

/* A value by its meaning, for ordering. */
struct model__cmpval {
	enum { MODEL_CV_INT, MODEL_CV_NUM, MODEL_CV_VERSION } kind;
	int64_t i;
	double num;
	struct model_version ver;
};

/* Reads `n` as a value of kind `p` to compare: numbers as numbers,
 * scalar-units normalised, timestamps as instants, versions by parts, a
 * range's bound (UNBOUNDED the largest). False when `n` is none of that. */
bool model__to_cmpval(enum model_prim p, const struct dsl_node *n,
		      struct model__cmpval *out);
/* <0, 0, >0 for two values read with the same kind. */
int model__cmpval_cmp(const struct model__cmpval *a,
		      const struct model__cmpval *b);

#endif
