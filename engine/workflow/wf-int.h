/* wf-int.h: what the workflow builders share: the lifecycle points and
 * where their operations are found (ops.c), adding steps and edges with
 * their keys (graph.c), and per-instance step chains built from recipes
 * and ordered along relationships (chain.c). Not for use outside
 * engine/workflow/.
 */
#ifndef BP_WORKFLOW_WF_INT_H
#define BP_WORKFLOW_WF_INT_H

#include "workflow/workflow.h"

/* Lifecycle points of a node instance. */
enum wf_point {
	WF_PRECREATE,
	WF_CREATE,
	WF_CONFIGURE,
	WF_START,
	WF_POSTSTART,
	WF_PRESTOP,
	WF_STOP,
	WF_DELETE,
	WF_POSTDELETE,
	WF_POINT_LAST       /* never use */
};

/* Lifecycle points of a relationship instance (each has two sides). */
enum wf_rel_point {
	WF_PRECONFIGURE,
	WF_POSTCONFIGURE,
	WF_ESTABLISH,
	WF_UNLINK,
	WF_REL_POINT_LAST   /* never use */
};

/* An operation found for a point: its interface and name as the model
 * keys them, and the operation (always with an implementation). */
struct wf_opref {
	const char *iface;
	const char *op;
	const struct model_operation *mop;
};

/* ---- ops.c ------------------------------------------------------------ */

/* The implemented operation of `n` for a point: Cloudify's
 * cloudify.interfaces.lifecycle first, then TOSCA's Standard. False when
 * neither implements it. */
bool wf__node_op(const struct model *m, const struct model_node *n,
		 enum wf_point pt, struct wf_opref *out);
/* The implemented operation of one side of `r` for a point: Cloudify's
 * cloudify.interfaces.relationship_lifecycle in the side's interfaces
 * first, then TOSCA's Configure (pre_configure_source, add_target...). */
bool wf__rel_op(const struct model *m, const struct model_rel *r,
		enum wf_side side, enum wf_rel_point pt, struct wf_opref *out);
/* The implemented operation `op` of `n`: in `iface`; or, `iface` NULL,
 * in cloudify.interfaces.lifecycle, else in the interfaces that implement
 * it. Returns how many were found (0: none; 1: *out set; 2 or more: an
 * ambiguous name, *out the first by interface name). Sets *declared (may
 * be NULL) when a searched interface declares `op`, implemented or not. */
unsigned wf__find_op(const struct model_node *n, const char *iface,
		     const char *op, struct wf_opref *out, bool *declared);

/* ---- graph.c ---------------------------------------------------------- */

/* Adds a step that runs a node operation on `inst`. */
struct wf_step *wf__op_step(struct wf_graph *g, struct plan_instance *inst,
			    const struct wf_opref *ref);
/* Adds a step that runs one side of a relationship operation. */
struct wf_step *wf__rel_step(struct wf_graph *g, struct plan_rel *r,
			     enum wf_side side, const struct wf_opref *ref);
/* Adds a state-only step; `state_done` names it and must not be NULL. */
struct wf_step *wf__state_step(struct wf_graph *g, struct plan_instance *inst,
			       const char *state_start,
			       const char *state_done);
/* Adds the step of a declared workflow: operation `op` (owned by the
 * graph), for no instance. */
struct wf_step *wf__workflow_step(struct wf_graph *g,
				  const struct model_operation *op);
/* Adds an edge: `after` waits for `before`. */
void wf__edge(struct wf_graph *g, const struct wf_step *before,
	      const struct wf_step *after);

/* ---- chain.c ---------------------------------------------------------- */

/* A recipe: what an instance's chain is made of, in order. */
enum wf_stage_kind {
	WF_STAGE_PHASE,     /* a phase starts: `state` when it starts */
	WF_STAGE_NODE,      /* the node operation of point `point` */
	WF_STAGE_RELS,      /* both sides of `point` for every relationship
			       where the instance is the source, at once */
	WF_STAGE_DONE,      /* the phase ends: `state` when it is done */
	WF_STAGE_KIND_LAST  /* never use */
};

struct wf_stage {
	enum wf_stage_kind kind;
	int point;          /* enum wf_point or wf_rel_point */
	const char *state;  /* PHASE and DONE */
	unsigned level;     /* the stage is done once an instance's saved
			       state reaches this level (see wf_recipe) */
};

struct wf_recipe {
	const struct wf_stage *stages;
	size_t nstages;
	/* The level of a saved state (NULL: unknown): stages of a lower
	 * level are done; an instance at `done` gets no chain. */
	unsigned (*level)(const char *state);
	unsigned done;
};

extern const struct wf_recipe wf__install_recipe;
extern const struct wf_recipe wf__uninstall_recipe;
extern const struct wf_recipe wf__start_recipe;
extern const struct wf_recipe wf__stop_recipe;

/* The steps made for one instance by one recipe. */
struct wf_chain {
	struct plan_instance *inst;
	GPtrArray *heads;   /* the steps of its first stage (borrowed) */
	struct wf_step *last;       /* its one final step */
	GPtrArray *ops;     /* its node operation steps (borrowed) */
};

/* The chains of one recipe over a set of instances, in one graph. */
struct wf_part {
	struct wf_graph *g;
	const struct model *model;
	GHashTable *chains; /* struct plan_instance * -> struct wf_chain *,
			       owned */
	GPtrArray *order;   /* the chains in the order they were made */
};

void wf__part_init(struct wf_part *part, struct wf_graph *g,
		   const struct model *m);
void wf__part_release(struct wf_part *part);
/* (transfer none) the chain of `inst`, or NULL. */
struct wf_chain *wf__part_chain(const struct wf_part *part,
				const struct plan_instance *inst);
/* Builds the chains of `recipe` for `instances` (their saved states from
 * `states`, NULL: unknown). */
void wf__part_build(struct wf_part *part, const GPtrArray *instances,
		    const struct wf_recipe *recipe,
		    const struct wf_state_lookup *states);
/* Orders chains along relationships between instances of the part:
 * targets first (a source's chain starts once each target's is done, or
 * only the target's named operation for depends_on_lifecycle_operation),
 * or with `reverse` sources first. */
void wf__part_order(struct wf_part *part, bool reverse);
/* Edges from `before` to every head of `c`. */
void wf__edge_heads(struct wf_graph *g, const struct wf_step *before,
		    const struct wf_chain *c);
/* Adds both sides of relationship point `pt` of `r` (those implemented)
 * to `out`. */
void wf__rel_steps(struct wf_graph *g, const struct model *m,
		   struct plan_rel *r, enum wf_rel_point pt, GPtrArray *out);

#endif
