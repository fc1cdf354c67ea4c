/* func_internal.h: what the intrinsic function files share (not for other
 * layers): the table of functions, a call taken apart, what a call's first
 * argument names, and walking a path of keys and indexes into a value and
 * its definition. Every helper reports one problem as a struct bp_error;
 * the checker collects them, the evaluators return them. */
#ifndef BP_MODEL_FUNC_INTERNAL_H
#define BP_MODEL_FUNC_INTERNAL_H

#include "model/func.h"
#include "model/internal.h"
#include "model/value.h"

enum func_id {
	FUNC_GET_INPUT,
	FUNC_GET_PROPERTY,
	FUNC_GET_ATTRIBUTE,
	FUNC_GET_ATTRIBUTES_LIST,
	FUNC_GET_ATTRIBUTES_DICT,
	FUNC_GET_OPERATION_OUTPUT,
	FUNC_GET_NODES_OF_TYPE,
	FUNC_GET_ARTIFACT,
	FUNC_GET_SECRET,
	FUNC_GET_CAPABILITY,
	FUNC_GET_ENVIRONMENT_CAPABILITY,
	FUNC_GET_GROUP_CAPABILITY,
	FUNC_GET_LABEL,
	FUNC_GET_SYS,
	FUNC_CONCAT,
	FUNC_JOIN,
	FUNC_TOKEN,
	FUNC_MERGE,
	FUNC_STRING_FIND,
	FUNC_STRING_REPLACE,
	FUNC_STRING_LOWER,
	FUNC_STRING_UPPER,
	FUNC_LAST               /* never use */
};

/* When a function can be evaluated. */
enum func_kind {
	FUNC_STATIC,            /* from the model and the inputs */
	FUNC_PURE,              /* from its arguments alone, once static */
	FUNC_RUNTIME,           /* only while a deployment runs */
	FUNC_KIND_LAST          /* never use */
};

/* How the arguments are written. */
enum func_form {
	FUNC_FORM_LIST,         /* always a list */
	FUNC_FORM_ANY,          /* one value, or a list of them */
	FUNC_FORM_ONE,          /* one value, never a list */
	FUNC_FORM_LAST          /* never use */
};

struct func_def {
	const char *name;
	enum func_id id;
	enum func_kind kind;
	unsigned dialects;      /* enum dsl_feature: a call in a file with
				   none of these bits is plain data */
	unsigned requires;      /* enum dsl_feature the file must have */
	const char *requires_what;      /* for the message */
	enum func_form form;
	unsigned min, max;      /* argument count; max 0 = unbounded */
	const char *usage;      /* the arguments, for messages */
};

/* A call taken apart. The argument vector points into the tree, or at
 * `single`: a copy must call func__call_args() again. */
struct func_call {
	const struct func_def *def;
	const struct dsl_node *node;    /* the one-key map */
	struct dsl_node *args;          /* its value */
	struct dsl_node *const *argv;   /* the list's items, or &single */
	uint32_t argc;
	struct dsl_node *single;        /* the one-value form's argument */
	const struct dsl_file *file;    /* the call is written in */
	unsigned features;              /* file->features */
};

/* func_registry.c */

/* The file `v` was written in (the main file when unknown). */
const struct dsl_file *func__file(const struct model *m,
				  const struct dsl_node *v);
/* True when `v` is a call of a function its file's dialect has; fills
 * *out. False for anything else (then `v` is data). */
bool func__call(const struct model *m, const struct dsl_node *v,
		struct func_call *out);
/* Sets the arguments of *c to `args` (a list, or the one-value form). */
void func__call_args(struct func_call *c, struct dsl_node *args);
/* True when `v` holds a call anywhere (a call at the top included). */
bool func__has_call(const struct model *m, const struct dsl_node *v);
/* True when `v` holds a call of a runtime function anywhere. */
bool func__has_runtime_call(const struct model *m, const struct dsl_node *v);
/* Checks what can be checked without the model: the dialect version,
 * the number and form of the arguments and the type of literal ones. */
bool func__check_shape(const struct func_call *c, const char *path,
		       struct bp_error **err);
/* Sets *err at `at` (BP_ERR_INVALID) and returns false. */
bool func__fail(struct bp_error **err, const struct dsl_node *at,
		const char *path, const char *fmt, ...) G_GNUC_PRINTF(4, 5);

/* func_target.c */

/* What a call's first argument names: a node template or, for TOSCA's
 * SELF in a relationship, the relationship. */
struct func_entity {
	const struct model_node *node;
	const struct model_rel *rel;
};

/* Resolves c->argv[0] (SELF, SOURCE, TARGET, HOST or a node name) where
 * `s` says the call is. HOST follows the HostedOn / contained_in chain to
 * the first node with what argv[1] names (for get_property a property,
 * capability or requirement; otherwise an attribute), else the first
 * host. False with *err set when the keyword has no meaning there or the
 * node does not exist. */
bool func__entity(const struct model *m, const struct model_scope *s,
		  const struct func_call *c, struct func_entity *out,
		  struct bp_error **err);

/* func_path.c */

/* The definition of property `name` of type `t`, or NULL. */
struct model_prop *func__prop_def(const struct model_type *t,
				  const char *name);

/* A place reached by walking keys and indexes into a value and its
 * definition. */
struct func_cursor {
	const struct dsl_node *value;   /* there, or NULL when not set */
	const struct model_prop *def;   /* its definition, NULL = untyped */
	bool opaque;                    /* a call on the way: nothing more
					   is known before evaluating it */
	const char *kind;               /* "property", "attribute", "input" */
	GString *name;                  /* the path so far, for messages:
					   "endpoint.names[1]" */
};

void func__cursor_init(struct func_cursor *cur, const char *kind,
		       const char *name, const struct dsl_node *value,
		       const struct model_prop *def);
void func__cursor_clear(struct func_cursor *cur);

/* Walks keys[0..n) from *cur: a map by key (a complex data type also by
 * its declared properties), a list by index, by the definition where the
 * value is not known. An opaque place (a call) ends the walk with no
 * error. False with *err set at the offending key otherwise. */
bool func__walk(struct func_cursor *cur, struct dsl_node *const *keys,
		uint32_t n, const char *path, struct bp_error **err);

/* func_target.c (continued) */

/* What get_property's arguments after the entity name select. */
struct func_prop_ref {
	struct func_entity owner;       /* whose value it is (a requirement
					   leads to its target node) */
	const char *capability;         /* capability name, or NULL */
	uint32_t rest;                  /* first argument left to walk */
};

/* Finds get_property's property: a property of the entity, else (with
 * more arguments) a property of the capability argv[1] names, directly or
 * through a requirement. Sets *cur at the property and *ref. */
bool func__property(const struct model *m, const struct func_call *c,
		    const struct func_entity *e, struct func_cursor *cur,
		    struct func_prop_ref *ref, const char *path,
		    struct bp_error **err);

/* Finds get_attribute's attribute in TOSCA (declared attributes, and
 * properties, which count as attributes), like func__property; a bare
 * name no node attribute has may be one of the node's capabilities'. In
 * the Cloudify DSL any name is fine (runtime properties are free-form).
 * Sets *cur (value NULL) and *ref; ref->rest is where the nested path
 * starts. */
bool func__attribute(const struct model *m, const struct func_call *c,
		     const struct func_entity *e, struct func_cursor *cur,
		     struct func_prop_ref *ref, const char *path,
		     struct bp_error **err);

/* The operation get_operation_output names on the entity (interface by
 * name or interface type name), or NULL with *err set. */
const struct model_operation *func__operation(const struct func_call *c,
					      const struct func_entity *e,
					      const char *path,
					      struct bp_error **err);

/* The definition of artifact `name` of a node (its template's, else its
 * type chain's) and the file it is declared in; NULL when none. */
const struct dsl_node *func__artifact(const struct model_node *n,
				      const char *name,
				      const struct dsl_file **file_out);

/* The scope of a value of `e` (its node's or relationship's), inheriting
 * inputs and doc from `from`, linked to it for loop detection. */
void func__owner_scope(struct model_scope *out, const struct model_scope *from,
		       const struct func_entity *e, const char *path,
		       const struct dsl_node *value);

/* func_pure.c */

/* Applies a pure function to its evaluated arguments (a JSON array, as
 * written: one item for the one-value form). Returns (transfer full) the
 * result or NULL with *err at the call's mark. */
json_t *func__pure(const struct func_call *c, json_t *args, const char *path,
		   struct bp_error **err);
/* (transfer none, in `doc`) a JSON value as a tree, every node marked
 * `mark`. */
struct dsl_node *func__from_json(struct dsl_doc *doc, const struct bp_mark *mark,
				 json_t *j);
/* A shallow copy of `v` (children shared) in `doc` with another mark. */
struct dsl_node *func__remark(struct dsl_doc *doc, const struct dsl_node *v,
			      const struct bp_mark *mark);

/* func_walk.c: every value of the model with its scope */

struct func_site {
	struct model_scope scope;       /* ctx, node, rel, side, path */
	const struct dsl_node *value;
	const struct model_prop *def;   /* its definition, or NULL */
};

/* What func__each_value visits. */
enum {
	FUNC_SITE_PROPERTIES = 1 << 0,  /* node, capability and relationship
					   properties */
	FUNC_SITE_ALL        = 0xff,    /* and attributes, operation inputs,
					   outputs, capabilities, groups,
					   policies, input defaults */
};

/* Calls `fn` for every value of the model in `what` that holds a call, in
 * blueprint order; site->scope.path is valid during the call only.
 * Returns the AND of the calls' results. */
bool func__each_value(const struct model *m, unsigned what,
		      bool (*fn)(void *data, const struct func_site *site),
		      void *data);

#endif
