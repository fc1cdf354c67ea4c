/* internal.h: what the model's files share while building (not for other
 * layers): allocation in the model's arena, error reporting with paths,
 * and the steps model_build() runs in order. */
#ifndef BP_MODEL_INTERNAL_H
#define BP_MODEL_INTERNAL_H

#include "model/model.h"

struct model_builder {
	struct model *m;
	struct bp_diags *diags;
	GHashTable *empty;      /* one empty table the model's objects share
				   where they have nothing (read-only) */
	GHashTable *scripts;    /* operation script -> 1 found, 2 not */
	GHashTable *ops_ok;     /* operations checked fine -> features + 1
				   of the file they were checked for */
};

/* The shared empty table of the model being built. (transfer none) */
GHashTable *model__empty(struct model_builder *b);

/* A zeroed object in the model's arena. */
#define model__new(m, T) ((T *)bp_arena_alloc(&(m)->arena, sizeof(T)))

/* A string-keyed hash table freed with the model. */
GHashTable *model__table(struct model *m);
/* A pointer array freed with the model. */
GPtrArray *model__array(struct model *m);
/* A copy of `s` in the model's arena. */
const char *model__strdup(struct model *m, const char *s);

/* Reports a problem at `at` (or `mark`) with a YAML path. Returns false. */
bool model__error(struct model_builder *b, const struct dsl_node *at,
		  const char *path, const char *fmt, ...) G_GNUC_PRINTF(4, 5);
bool model__error_at(struct model_builder *b, const struct bp_mark *mark,
		     const char *path, const char *fmt, ...)
	G_GNUC_PRINTF(4, 5);

/* prop.c: a property/attribute/input definition. `def` may be a map or,
 * for Cloudify's shorthand, anything else (then it is the default). The
 * type is resolved against the model's data types. NULL after reporting. */
struct model_prop *model__prop_new(struct model_builder *b, const char *name,
				   const struct dsl_node *key,
				   const struct dsl_node *def,
				   const char *path);
/* Parses a map of definitions into `table` (name -> model_prop) and
 * `order`, replacing inherited entries of the same name. */
bool model__props_parse(struct model_builder *b, const struct dsl_node *map,
			GHashTable *table, GPtrArray *order, const char *path);
/* True when a map looks like a definition (has `type`, `default`,
 * `required`, `description` or `constraints` and nothing else) rather
 * than a value; used for operation inputs in types. */
bool model__looks_like_def(const struct dsl_node *v);

/* types.c */
void model__register_primitives(struct model *m);
bool model__build_types(struct model_builder *b);

/* iface.c: interfaces. `src` is a normalised INTERFACES map. Interfaces
 * of `base` (may be NULL) are copied first; operations defined in `src`
 * override theirs field by field. `in_template` says whether operation
 * inputs are values (templates) or definitions-or-values (types). With
 * nothing in `src` the result is `base` itself (or the shared empty
 * table): the result is read-only. */
GHashTable *model__ifaces_merge(struct model_builder *b, GHashTable *base,
				const struct dsl_node *src, bool in_template,
				const char *path);
/* The operation names an interface type declares (own and inherited), or
 * NULL when the type is unknown to us. (transfer none) */
GHashTable *model__iface_type_ops(struct model_builder *b,
				  const char *type_name);

/* template.c: assigns `values` (a map, or null) over the definitions in
 * `defs` into `out`: unknown names are errors, values are checked against
 * their definitions, defaults fill the rest, and with `fill_required` a
 * required definition left without a value is an error, reported at
 * `values`, or at `owner_at` when there are none. `what` is "property" or
 * "attribute"; `owner` names the owner for messages. */
bool model__assign(struct model_builder *b, GHashTable *out,
		   GHashTable *defs, GPtrArray *order,
		   const struct dsl_node *values,
		   const struct dsl_node *owner_at, bool fill_required,
		   const char *what, const char *owner, const char *path);

/* template.c, rel.c, topology.c */
bool model__build_templates(struct model_builder *b);
bool model__build_rels(struct model_builder *b, struct model_node *n);
bool model__build_topology(struct model_builder *b);
bool model__check_graph(struct model_builder *b);

/* node_filter.c: checks the shape of a TOSCA node filter (null is fine);
 * `what` names it in messages ("the node filter of requirement 'host'").
 * False after reporting. */
bool model__check_node_filter(struct model_builder *b,
			      const struct dsl_node *nf, const char *what,
			      const char *path);
/* True when node `n` meets the node filter `nf` (checked already): its
 * property and capability property filters hold on the values it has; a
 * value that is a function call matches. */
bool model__node_filter_match(struct model *m, const struct model_node *n,
			      const struct dsl_node *nf);

/* rel.c: the capability of node `n` named `cap`, or else the first whose
 * type is or derives from the capability type `cap`; NULL when none.
 * (transfer none) */
const struct model_capdef *model__node_cap(const struct model *m,
					   const struct model_node *n,
					   const char *cap);

/* subst.c: the substitution mappings of the blueprint's topology and of
 * every imported file's. */
bool model__check_substitutions(struct model_builder *b);

/* func_check.c: every intrinsic function call, where it is written. */
bool model__check_functions(struct model_builder *b);

#endif
