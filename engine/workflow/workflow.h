/* workflow.h: a workflow as a graph of steps over a deployment's
 * instances: what to run, on which instance, after what.
 *
 * The builders (install.c, uninstall.c, scale.c, heal.c, operation.c) turn
 * the built-in workflows into a struct wf_graph, following Cloudify's
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
 * Ownership: the graph owns its steps and their strings; steps borrow the
 * plan's instances and the model's operations, which must outlive it.
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
	WF_STATE,           /* only records `state_done` on `instance` */
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
					     instance of `side` */
	struct plan_rel *rel;             /* WF_REL_OPERATION, else NULL */
	enum wf_side side;                /* WF_REL_OPERATION */
	const char *interface;            /* "cloudify.interfaces.lifecycle" */
	const char *operation;            /* "create" */
	const struct model_operation *op; /* WF_OPERATION, WF_REL_OPERATION */
	const char *state_start;          /* recorded before it runs, or NULL */
	const char *state_done;           /* recorded when it succeeds, or NULL */
	GHashTable *params;               /* owned: name -> json_t * (extra
					     operation inputs: `exec -p`),
					     or NULL */
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
};

/* (transfer full) an empty graph named `name` (borrowed, static). */
struct wf_graph *wf_graph_new(const char *name);
/* Frees the graph and its steps; accepts NULL. */
void wf_graph_free(struct wf_graph *g);
typedef struct wf_graph wf_graph;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(wf_graph, wf_graph_free)

#endif
