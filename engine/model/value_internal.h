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

#endif
