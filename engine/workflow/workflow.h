/* workflow.h: a workflow as a graph of steps over a deployment's
 * instances: what to run, on which instance, after what.
 *
 * The builders (lifecycle.c, scale.c, heal.c, operation.c) turn the
 * built-in workflows into a struct wf_graph, following Cloudify's
 * semantics: per instance a chain of lifecycle steps, and edges from each
 * relationship target's steps to its sources' so a task starts as soon as
 * its own predecessors are done (no level-by-level barriers). The executor
 * (exec/) runs the graph: it knows how to run a step, not which steps a
 * workflow has. Nothing here runs anything or touches the store.
 *
 * A step runs one operation (node or relationship, either side) and/or
 * records an instance state. Steps whose operation has no implementation
 * are not created, but their states are still recorded (folded into a
 * neighbouring step or a state-only step), so an instance always walks
 * initial -> creating -> created -> configuring -> configured -> starting
 * -> started on install and stopping -> stopped -> deleting -> deleted on
 * uninstall.
 *
 * Install, per instance, once every relationship target has finished its
 * own install (or, for cloudify.relationships.depends_on_lifecycle_
 * operation, once the target's named operation has succeeded):
 *   [creating] precreate, create [created]
 *   preconfigure of every relationship where it is the source, source and
 *     target sides, all at once
 *   [configuring] configure [configured]
 *   postconfigure (both sides, all at once)
 *   [starting] start, poststart, establish (both sides, all at once)
 *   [started]
 * Uninstall, per instance, once every source of a relationship to it has
 * finished its own uninstall:
 *   [stopping] prestop, stop [stopped]
 *   unlink (both sides, all at once)
 *   [deleting] delete, postdelete [deleted]
 * Operations: Cloudify's cloudify.interfaces.lifecycle, else TOSCA's
 * Standard (create, configure, start, stop, delete); relationships:
 * cloudify.interfaces.relationship_lifecycle in source_interfaces or
 * target_interfaces, else TOSCA's Configure (pre_configure_source and
 * _target, post_configure_source and _target, add_target (source side of
 * establish), add_source, remove_target (source side of unlink),
 * remove_source).
 *
 * Keys (stable, unique in a graph):
 *   INSTANCE/INTERFACE.OP                   a node operation
 *   SOURCE->TARGET#IDX/source/INTERFACE.OP  a relationship operation's
 *   SOURCE->TARGET#IDX/target/INTERFACE.OP  source or target side; IDX is
 *                                           the model relationship's index
 *                                           in the source node's list
 *   INSTANCE/state:STATE                    a state-only step (STATE is
 *                                           its state_done)
 *   deployment/workflow.NAME                a declared workflow's step
 *
 * Running a graph (the executor's part): a step starts once every step
 * with an edge to it has succeeded. Before running a step's operation,
 * record `state_start` on `instance` (when set); when it succeeds, record
 * `state_done`; a WF_STATE step only records its states. Pass `params` as
 * extra operation inputs over the blueprint's. Steps on the same instance
 * may be concurrent (a target's side of several relationships): the
 * runner serialises them if plugins are promised one operation per
 * instance at a time. Resume: a step whose key already succeeded in this
 * execution counts as done.
 *
 * Ownership: the graph owns its steps and their strings; steps borrow the
 * plan's instances and the model's operations, which must outlive it
 * (for scaling in, the plan_modification that holds the removed ones).
 */
#ifndef BP_WORKFLOW_WORKFLOW_H
#define BP_WORKFLOW_WORKFLOW_H

#include <stdbool.h>
#include <glib.h>

#include "model/model.h"
#include "plan/plan.h"
#include "util/error.h"

enum wf_step_kind {
	WF_OPERATION,       /* a node operation on `instance` */
	WF_REL_OPERATION,   /* a relationship operation of `rel` */
	WF_STATE,           /* only records its states on `instance` */
	WF_WORKFLOW,        /* a declared workflow's operation, for the whole
			       deployment: no instance */
	WF_STEP_KIND_LAST   /* never use */
};

enum wf_side {
	WF_SOURCE,          /* the relationship's source side */
	WF_TARGET,          /* its target side */
	WF_SIDE_LAST        /* never use */
};

struct wf_step {
	enum wf_step_kind kind;
	char *key;          /* owned; unique in the graph and stable across
			       runs of the same workflow on the same
			       instances ("web_a1b2c3/cloudify.interfaces.
			       lifecycle.create"): the store remembers which
			       keys succeeded, so a resumed run skips them */
	struct plan_instance *instance;   /* the instance it acts on; for a
					     relationship step, the
					     instance of `side`; NULL for
					     WF_WORKFLOW */
	struct plan_rel *rel;             /* WF_REL_OPERATION, else NULL */
	enum wf_side side;                /* WF_REL_OPERATION */
	const char *interface;            /* "cloudify.interfaces.lifecycle" */
	const char *operation;            /* "create" */
	const struct model_operation *op; /* WF_OPERATION, WF_REL_OPERATION */
	const char *state_start;          /* recorded before it runs, or NULL */
	const char *state_done;           /* recorded when it succeeds, or NULL */
	GHashTable *params;               /* a reference owned: name ->
					     json_t * (extra operation
					     inputs: `exec -p`), or NULL */
	unsigned index;                   /* position in the graph */
};

struct wf_edge {
	unsigned before;    /* step index that must succeed first */
	unsigned after;
};

struct wf_graph {
	const char *name;   /* "install", "uninstall", ... */
	GPtrArray *steps;   /* of struct wf_step *, owned */
	GArray *edges;      /* of struct wf_edge */
	GHashTable *by_key; /* key -> struct wf_step * */
	GPtrArray *owned;   /* the struct model_operation * made for a
			       declared workflow (owned), or NULL */
};

/* Where the builders learn an instance's saved state, so that steps the
 * state says are done are left out. */
struct wf_state_lookup {
	/* The state saved for `i` ("configured"), or NULL when unknown.
	 * The string must live until the builder returns. */
	const char *(*state)(const struct plan_instance *i, void *data);
	void *data;
};

/* What wf_execute_operation() runs. */
struct wf_op_request {
	const char *operation;           /* "INTERFACE.OP", or "OP" looked up
					    in every interface */
	const char *const *node_ids;     /* NULL-terminated node names, or
					    NULL */
	const char *const *instance_ids; /* NULL-terminated, or NULL; with
					    node_ids NULL too: every instance */
	GHashTable *params;              /* name -> json_t *, or NULL; every
					    step takes a reference */
	bool dependency_order;           /* targets' steps before sources';
					    else all at once */
};

/* (transfer full) an empty graph named `name` (borrowed, static). */
struct wf_graph *wf_graph_new(const char *name);
/* Frees the graph and its steps; accepts NULL. */
void wf_graph_free(struct wf_graph *g);
typedef struct wf_graph wf_graph;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(wf_graph, wf_graph_free)

/* (transfer none) the step with that key, or NULL. */
struct wf_step *wf_graph_find(const struct wf_graph *g, const char *key);

/* The builders. Each sets *out to (transfer full) a new graph and returns
 * true, or returns false with *err set and *out NULL. `instances` (of
 * struct plan_instance *, borrowed) limits a workflow to some instances of
 * the plan (NULL: all); the others count as done: no steps, no edges.
 * `states` may be NULL (every state unknown). */

/* Install (graph "install"): the steps an instance's saved state has not
 * done yet; an instance in `started` gets none. Errors: BP_ERR_INVALID
 * for an instance that is not in the plan. */
bool wf_install(const struct plan *p, const GPtrArray *instances,
		const struct wf_state_lookup *states, struct wf_graph **out,
		struct bp_error **err);
/* Uninstall (graph "uninstall"), in reverse order. An instance saved as
 * `initial` (never created) or `deleted` gets no steps; one in `stopped`
 * skips the stop phase, in `deleting` the unlinks too. */
bool wf_uninstall(const struct plan *p, const GPtrArray *instances,
		  const struct wf_state_lookup *states, struct wf_graph **out,
		  struct bp_error **err);
/* Start (graph "start"): start and poststart, states starting -> started,
 * targets first. Stop (graph "stop"): prestop and stop, states stopping
 * -> stopped, sources first. Restart (graph "restart"): stop, then each
 * instance starts after its own stop and its targets' starts. */
bool wf_start(const struct plan *p, const GPtrArray *instances,
	      struct wf_graph **out, struct bp_error **err);
bool wf_stop(const struct plan *p, const GPtrArray *instances,
	     struct wf_graph **out, struct bp_error **err);
bool wf_restart(const struct plan *p, const GPtrArray *instances,
		struct wf_graph **out, struct bp_error **err);

/* Scale out (graph "scale") after plan_scale(): install of the added
 * instances, and establish (both sides) of the added relationship
 * instances of existing sources, each after its new target's install.
 * `states` lets a resumed run skip what was done. */
bool wf_scale_out(const struct plan *p, const struct plan_modification *mod,
		  const struct wf_state_lookup *states, struct wf_graph **out,
		  struct bp_error **err);
/* Scale in (graph "scale") after plan_scale(): uninstall of the removed
 * instances (their unlinks include the target side on peers that stay),
 * and unlink (both sides) of the removed relationship instances of
 * staying sources, each before its target's uninstall. */
bool wf_scale_in(const struct plan *p, const struct plan_modification *mod,
		 const struct wf_state_lookup *states, struct wf_graph **out,
		 struct bp_error **err);

/* Heal of `inst`. The instance's host is its nearest ancestor (or itself)
 * whose type is a cloudify.nodes.Compute or tosca.nodes.Compute, else the
 * top of its containment chain. Sets *reinstall_out to the fallback
 * (graph "heal"): uninstall then install of the host and everything it
 * contains, with unlink before and establish after (both sides) for the
 * relationship instances that reach that subtree from outside. Sets
 * *heal_out to a graph "heal" whose first and only step runs the `heal`
 * operation of `inst` (cloudify.interfaces.lifecycle first, or any
 * interface) when its node implements one, else to NULL. The runner runs
 * *heal_out when set and the reinstall graph when it fails or is NULL.
 * Errors: BP_ERR_INVALID for an instance not in the plan. */
bool wf_heal(const struct plan *p, struct plan_instance *inst,
	     struct wf_graph **heal_out, struct wf_graph **reinstall_out,
	     struct bp_error **err);

/* execute_operation (graph "execute_operation"): one step per chosen
 * instance whose node implements the operation (none for a node that
 * declares it without an implementation), with the request's params; in
 * dependency order, a step waits for the steps of the instances it has
 * relationships to (through instances without a step). Errors:
 * BP_ERR_NOT_FOUND for an unknown node or instance id, or a chosen node
 * (or, choosing all, every node) that does not declare the operation;
 * BP_ERR_INVALID for an OP found implemented in several interfaces. */
bool wf_execute_operation(const struct plan *p, const struct wf_op_request *req,
			  struct wf_graph **out, struct bp_error **err);

/* A workflow the blueprint declares (`workflows: NAME: {mapping: M,
 * parameters: {...}}`), run as one step for the whole deployment (graph
 * `name`, borrowed from the model): the operation or script M, with the
 * declared parameters' defaults, overridden by `params` (name -> json_t *,
 * or NULL), as its inputs. Errors: BP_ERR_NOT_FOUND when the blueprint
 * declares no such workflow (or one without a mapping); BP_ERR_USAGE for
 * a parameter it does not declare, or a declared one without a default
 * that is not given. */
bool wf_custom(const struct model *m, const char *name, GHashTable *params,
	       struct wf_graph **out, struct bp_error **err);
/* The parameters of a run of the declared workflow `name`: each declared
 * parameter's default, overridden by `given` (name -> json_t *, may be
 * NULL). Sets *out (transfer full, a wf_params_new() table). Errors:
 * BP_ERR_NOT_FOUND when no such workflow is declared; BP_ERR_USAGE for a
 * given parameter it does not declare, or a declared one that is required
 * (not `required: false`) without a default and not given. */
bool wf_workflow_params(const struct model *m, const char *name,
			GHashTable *given, GHashTable **out,
			struct bp_error **err);
/* (transfer none) the mapping of the declared workflow `name` ("plugin.op",
 * a script's path, or "default_workflows.cloudify.plugins.workflows.X"
 * for Cloudify's built-in X), or NULL when the blueprint declares none. */
const char *wf_custom_mapping(const struct model *m, const char *name);

/* Operation parameters from the command line: (transfer full) an empty
 * table name -> json_t * that frees its keys and values. */
GHashTable *wf_params_new(void);
/* Adds "KEY=VALUE": VALUE read as a YAML scalar (42, 1.5, true, yes,
 * null, "quoted") or flow collection ([1, 2], {a: 1}, so JSON too) and
 * kept as JSON, else as a string ("web server", "note: hi"). Returns
 * false with *err (BP_ERR_USAGE) when there is no '=' or KEY is empty. */
bool wf_params_add(GHashTable *params, const char *kv, struct bp_error **err);

#endif
