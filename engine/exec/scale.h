/* scale.h: scaling a deployment: plan_scale() on its plan, the change
 * recorded as a modification in the store, the scale workflow run, and
 * the modification finished, rolled back or left open to resume.
 *
 * Out: the new instances and relationship instances are stored (initial)
 * with the modification before anything runs; the scale graph installs
 * them and establishes the new relationships of existing peers. When it
 * fails (not when it is cancelled), the new instances are rolled back
 * unless told not to: a second run uninstalls what was created (unlink on
 * the peers included), then their records are deleted and the
 * modification ends `rolled_back`.
 * In: the modification names the instances that go; the graph unlinks the
 * peers that stay and uninstalls them; only when it succeeded are their
 * records deleted and the modification `finished`.
 * A scale that did not end (killed, failed without rollback, cancelled)
 * leaves its modification `started`; exec_scale_resume() takes it up from
 * the records: the execution that was running goes on where it stopped
 * (its finished steps are not run again).
 *
 * Every function here is called with the deployment's execution lock held.
 */
#ifndef BP_EXEC_SCALE_H
#define BP_EXEC_SCALE_H

#include "exec/deploy.h"

/* A scale of one deployment, planned and then run. */
struct exec_scale {
	char *target;                    /* owned: node or scaling group */
	int delta;                       /* instances (group instances) */
	char **named;                    /* owned, NULL-terminated: the
					    instances named to go, or NULL */
	struct plan_modification mod;    /* what plan_scale() changed */
	struct wf_graph *graph;          /* owned: what runs */
	char *modification;              /* owned: the modification's id
					    once recorded, else NULL */
	bool rollback;                   /* `graph` undoes a scale out, or
					    (finish_only) it was undone */
	bool no_rollback;                /* resumed: it was run with
					    rollback off */
	bool finish_only;                /* resumed: the workflow is done
					    (or never started), only the
					    records are left */
	json_t *gone;                    /* owned: with finish_only, the ids
					    whose records go at the end */
	char *reopen;                    /* owned: the failed or cancelled
					    execution to take up again (it
					    is made unfinished when the run
					    starts), or NULL */
	struct plan_modification undo;   /* the rollback's change */
};

/* Plans a scale of `target` by `delta` on d's plan (which changes in
 * memory only) and builds its graph (the saved states let a resumed run
 * skip what was done). `named` (NULL-terminated, may be NULL) are the
 * instances to remove first. Fills *out (release it with
 * exec_scale_release() before d is freed). Returns false with *err set
 * (plan_scale()'s errors: BP_ERR_NOT_FOUND, BP_ERR_INVALID with the bounds
 * in the message; BP_ERR_INVALID for delta 0) and *out empty. */
bool exec_scale_plan(struct exec_deployment *d, const char *target, int delta,
		     const char *const *named, struct exec_scale *out,
		     struct bp_error **err);

/* Records and runs a planned scale (see the top of this file), rolling a
 * failed scale out back when `rollback`. Fills *report with the scale's
 * run (not the rollback's). Returns true when the scale is done; false
 * with *err set otherwise: the run's error, with "; the new instances were
 * rolled back" or the rollback's error appended when one ran. Refuses
 * (BP_ERR_CONFLICT) when the deployment has another modification started. */
bool exec_scale_run(struct exec_env *env, struct exec_deployment *d,
		    struct exec_scale *s, bool rollback,
		    struct exec_report *report, struct bp_error **err);

/* Sets *out (transfer full) to the started modification of deployment
 * `id`, or NULL when there is none. */
bool exec_scale_open(struct exec_env *env, const char *id,
		     struct store_modification **out, struct bp_error **err);

/* Plans the rest of the started modification `m` of d from the records:
 * what its last execution did and what is left. Fills *out for
 * exec_scale_run(). Errors as exec_scale_plan(), and BP_ERR_INVALID when
 * the records do not fit together. */
bool exec_scale_resume(struct exec_env *env, struct exec_deployment *d,
		       const struct store_modification *m,
		       struct exec_scale *out, struct bp_error **err);

void exec_scale_release(struct exec_scale *s);

#endif
