/* func.h: the intrinsic functions of both dialects: checked when the model
 * is built, the static ones evaluated before a deployment runs, the runtime
 * ones evaluated by the executor through callbacks.
 *
 * A call is a map with exactly one key naming a function (value.h's
 * model_function_name), written where a value may be: {get_input: port},
 * {concat: [http://, {get_attribute: [vm, ip]}]}. Functions of the other
 * dialect are plain data: a Cloudify blueprint's {token: x} is a map.
 *
 * - Checking (model_build() runs it; func_check.c): arity and argument
 *   shapes, and every reference a call makes (input, node template,
 *   property, attribute, capability, interface, operation, artifact, type)
 *   judged where the call is written: SELF, SOURCE, TARGET and HOST mean
 *   different things in a node template, a relationship, the outputs.
 * - Static evaluation (model_eval_static): get_input, get_property,
 *   get_nodes_of_type, get_artifact and the pure functions (concat, join,
 *   token, merge, string_*) of static arguments are replaced by their
 *   values; runtime calls stay, their arguments evaluated.
 * - Runtime evaluation (model_eval_runtime): what is left, to JSON, asking
 *   the executor for attributes, operation outputs, secrets.
 *
 * Values are struct dsl_node trees (dsl/node.h) and stay read-only. Errors
 * carry the mark of the offending argument and the YAML path of the value.
 */
#ifndef BP_MODEL_FUNC_H
#define BP_MODEL_FUNC_H

#include <stdbool.h>
#include <glib.h>
#include <jansson.h>

#include "model/model.h"

/* Where a value is written: what SELF, SOURCE, TARGET and HOST mean. */
enum model_ctx {
	MODEL_CTX_NODE,          /* a node template's properties, attributes,
				    capabilities, operation inputs: SELF is
				    the node, HOST its host */
	MODEL_CTX_RELATIONSHIP,  /* a relationship's properties and operation
				    inputs: SOURCE and TARGET are its ends;
				    SELF is the relationship in TOSCA and an
				    error in the Cloudify DSL */
	MODEL_CTX_OUTPUTS,       /* outputs, Cloudify `capabilities`: no
				    keyword may be used */
	MODEL_CTX_INPUTS,        /* input defaults */
	MODEL_CTX_POLICY,        /* group and policy properties */
	MODEL_CTX_LAST           /* never use */
};

/* Which end of a relationship an operation runs for (Cloudify's
 * source_interfaces / target_interfaces); HOST is that end's host. */
enum model_side {
	MODEL_SIDE_NONE,         /* TOSCA `interfaces`, properties: source */
	MODEL_SIDE_SOURCE,
	MODEL_SIDE_TARGET,
	MODEL_SIDE_LAST          /* never use */
};

/* Where a value is and what evaluating it may use. Fill the first block;
 * zero the rest (the evaluator links scopes when it follows get_property
 * into another node, to tell reference loops). */
struct model_scope {
	enum model_ctx ctx;
	const struct model_node *node;   /* NODE: the node; RELATIONSHIP: the
					    source (== rel->source) */
	const struct model_rel *rel;     /* RELATIONSHIP only */
	enum model_side side;            /* RELATIONSHIP only */
	GHashTable *inputs;              /* name -> const struct dsl_node *,
					    from model_inputs_resolve(); NULL
					    (or an input not in it) leaves
					    get_input calls in place */
	struct dsl_doc *doc;             /* where evaluation makes nodes;
					    one per thread */
	const char *path;                /* YAML path of the value, for
					    errors ("node_templates.vm.
					    properties.flavor"), or NULL */
	/* set by the evaluator */
	const struct model_scope *up;    /* the scope that referred here */
	const struct dsl_node *value;    /* the value evaluated here */
};

/* --- Inputs --- */

/* Resolves a deployment's inputs: `given` is a YAML map of input values
 * (as from model_inputs_parse(), or NULL for none). Every given input must
 * be declared; each value is checked against its definition
 * (model_check_value); declared inputs not given take their default.
 * With `require_all` (a deployment) a required input with neither is an
 * error naming how to give it, and an optional one is null; without it
 * (checking what was given) such inputs are left out of the table, and
 * get_input calls of them stay unevaluated.
 *
 * Returns (transfer full) a table name -> const struct dsl_node * (NULL
 * for null; names and values borrowed from the model and from `given`,
 * which must outlive it; free with g_hash_table_unref), or NULL after
 * adding every problem to `d`. */
GHashTable *model_inputs_resolve(const struct model *m,
				 const struct dsl_node *given,
				 bool require_all, struct bp_diags *d);

/* --- Static evaluation --- */

/* Evaluates the static calls in `v` (written at `scope`): get_input
 * (nested keys and indexes walked), get_property (SELF, SOURCE, TARGET,
 * HOST or a node name; a requirement or capability name; nested keys and
 * indexes; the value found is evaluated in its own node's scope),
 * get_nodes_of_type (the names of the node templates of that type),
 * get_artifact (the artifact's file, resolved against the directory of
 * the file that declares it) and concat, join, token, merge, string_* of
 * static arguments. Runtime calls stay, with their arguments evaluated;
 * keywords in a value taken from another node are replaced by node names
 * so the call means the same where it lands. A replaced call's result
 * keeps the call's mark.
 *
 * Returns the evaluated tree: new nodes are made in scope->doc, unchanged
 * subtrees are shared with `v`, the model and the input values, so the
 * result is valid while all of them live. Returns NULL with *err set
 * (mark of the offending argument, path scope->path) on an unknown
 * reference, a bad argument, a path that leads nowhere, or a reference
 * loop. Reads the model only: threads may evaluate at once, each with its
 * own scope->doc. */
struct dsl_node *model_eval_static(const struct model *m,
				   const struct model_scope *scope,
				   const struct dsl_node *v,
				   struct bp_error **err);

/* (transfer full) an empty document to give model_eval_static() as
 * scope->doc; free with dsl_doc_free(). Can't fail. */
struct dsl_doc *model_eval_doc_new(void);

/* Evaluates every node property, capability property and relationship
 * property with the resolved `inputs` (from model_inputs_resolve()) and
 * checks each result against its definition, as `blueprint validate -i`
 * does for input-dependent values. Returns true when all are valid; false
 * after adding every problem to `d`. */
bool model_check_with_inputs(const struct model *m, GHashTable *inputs,
			     struct bp_diags *d);

/* --- Runtime evaluation --- */

/* What the executor supplies to evaluate the runtime calls of a value.
 *
 * Instance ids and node names are borrowed for the duration of the call.
 * Every callback returns its result (transfer full) or NULL with *err set;
 * "no such attribute" is not an error: return json_null(). A callback left
 * NULL makes the functions that need it fail with a message that says so.
 * Callbacks are called on the evaluating thread only. */
struct model_runtime {
	const struct model *m;           /* required */
	const struct model_scope *scope; /* where the value is: required for
					    HOST, for node names relative to
					    the context, and for static calls
					    still in the value; may be NULL */
	const char *self;                /* current node instance id (NODE
					    context); in a RELATIONSHIP the
					    relationship instance id TOSCA's
					    SELF reads, or NULL */
	const char *source;              /* relationship source instance id */
	const char *target;              /* relationship target instance id */
	void *data;                      /* passed to every callback */

	/* The id of the instance of node template `node` that a call made
	 * in the current context (self, or source and target) means: the
	 * only instance, the one this instance is related to or contained
	 * in, or the one in the same scaling group instance. (transfer
	 * full, g_free) or NULL with *err set when there is none or it is
	 * ambiguous. */
	char *(*find_instance)(void *data, const char *node,
			       struct bp_error **err);
	/* The ids of every instance of node template `node`, a
	 * NULL-terminated vector (transfer full, g_strfreev); an empty
	 * vector when there are none. */
	char **(*list_instances)(void *data, const char *node,
				 struct bp_error **err);
	/* The attribute `name` of instance `instance` (of its capability
	 * `capability` when not NULL, TOSCA): its runtime property, else
	 * its node's property of that name, else json null. */
	json_t *(*get_attribute)(void *data, const char *instance,
				 const char *capability, const char *name,
				 struct bp_error **err);
	/* The output `output` of operation `iface`.`op` as last run on
	 * `instance`, or json null. */
	json_t *(*get_operation_output)(void *data, const char *instance,
					const char *iface, const char *op,
					const char *output,
					struct bp_error **err);
	/* The secret `name` (a string, or a JSON value the store holds). */
	json_t *(*get_secret)(void *data, const char *name,
			      struct bp_error **err);
	/* Functions answered outside this deployment: get_capability,
	 * get_environment_capability, get_group_capability, get_label and
	 * get_sys, called with their evaluated arguments as a JSON array
	 * (borrowed). */
	json_t *(*external)(void *data, const char *function, json_t *args,
			    struct bp_error **err);
};

/* Evaluates `v` (normally the result of model_eval_static) to JSON at run
 * time: get_attribute (SELF, SOURCE, TARGET, HOST or a node name; TOSCA's
 * requirement or capability name; nested keys and indexes walked, a
 * missing one giving null), get_attributes_list (one value per instance),
 * get_attributes_dict ({instance id: {path: value}}), get_operation_output,
 * get_secret (a list form parses the secret as JSON and walks into it),
 * the external functions, the pure functions, and static calls still
 * present (through rt->scope). Returns (transfer full) the JSON value, or
 * NULL with *err set (the mark of the call). */
json_t *model_eval_runtime(const struct model_runtime *rt,
			   const struct dsl_node *v, struct bp_error **err);

#endif
