/* internal.h: what the deployment runner's files (deploy.c, attrs.c,
 * step.c, wfrun.c) share; not for other layers. */
#ifndef BP_EXEC_INTERNAL_H
#define BP_EXEC_INTERNAL_H

#include "exec/deploy.h"
#include "model/func.h"
#include "util/mask.h"

/* One execution of a workflow on a deployment. */
struct exec_wfrun {
	struct exec_env *env;
	struct exec_deployment *d;
	struct wf_graph *g;
	char *execution;              /* owned: the execution id */
	json_t *params;               /* borrowed, or NULL */
	struct exec_graph *eg;        /* the executor's graph */
	GMutex mask_lock;             /* guards `mask` */
	struct bp_mask *mask;         /* owned: secret values seen */
	gint cancelled;               /* read by plugins (plugin_call.cancel) */
	bool txn;                     /* record.c: the coordinator's
					 transaction of this turn is open */
	GHashTable *dirty_states;     /* record.c: plan_instance * -> state
					 to write at the flush */
	GHashTable *dirty_props;      /* record.c: plan_instance * set whose
					 runtime properties to write */
	/* prepare.c, read-only while steps run: */
	struct dsl_doc *doc;          /* owns the evaluated values below */
	GHashTable *refs;             /* "OP/NODE" pointers -> struct
					 plugin_ref * (NULL: does not parse) */
	GHashTable *node_props;       /* struct model_node * -> GHashTable
					 name -> const struct dsl_node *
					 (NULL: a property does not
					 evaluate) */
};

/* Where a runtime evaluation happens. */
struct exec_attr_ctx {
	struct exec_env *env;
	struct exec_deployment *d;
	struct exec_wfrun *run;
	const struct plan_instance *self;
	const struct plan_instance *source;
	const struct plan_instance *target;
};

/* attrs.c: fills the runtime callbacks for evaluating in `ac` (`run`,
 * `self`, `source` and `target` may be NULL: outputs have none). */
void exec__runtime_init(struct model_runtime *rt, struct exec_attr_ctx *ac,
			const struct model_scope *scope);

/* wfrun.c: remembers a secret value so events never show it. */
void exec__mask_add(struct exec_wfrun *run, const char *value);
/* wfrun.c: (transfer full) `text` with every secret value seen replaced. */
char *exec__masked(struct exec_wfrun *run, const char *text);
/* wfrun.c: stores an event of the run (masked) and passes it on. */
void exec__event(struct exec_wfrun *run, const struct plan_instance *in,
		 const char *operation, enum store_event_level level,
		 const char *type, const char *fmt, ...) G_GNUC_PRINTF(6, 7);
/* wfrun.c: passes an event of the run (masked) to the listener only,
 * without storing it: for the start of every task, which the store
 * records as the instance's state (creating...) and the task's outcome. */
void exec__notice(struct exec_wfrun *run, const struct plan_instance *in,
		  const char *operation, enum store_event_level level,
		  const char *type, const char *fmt, ...) G_GNUC_PRINTF(6, 7);

/* step.c: the executor's callbacks for one workflow step. */
extern const struct exec_task_ops exec__step_ops;
struct exec_step {
	struct exec_wfrun *run;
	struct wf_step *step;         /* borrowed from run->g */
	/* What the last attempt left, written by its worker, read by the
	 * coordinator once the call came back (record.c). */
	const struct plan_instance *changed[2]; /* instances whose runtime
					 properties the call changed, or
					 NULL */
	json_t *outputs;              /* owned: the call's outputs, or NULL */
	char *message;                /* owned: the message of a success */
};

/* deploy.c: (transfer full) the store's record of a plan instance (state
 * initial, no runtime properties) or relationship instance of d. */
struct store_instance *exec__instance_record(const struct exec_deployment *d,
					     const struct plan_instance *in);
struct store_relationship *exec__rel_record(const struct exec_deployment *d,
					    const struct plan_rel *r);
/* deploy.c: starts or stops keeping the state and runtime properties of
 * instance `id` in d's tables (a new one is initial, with none). */
void exec__track(struct exec_deployment *d, const char *id);
void exec__untrack(struct exec_deployment *d, const char *id);

/* prepare.c: works out, for the steps of run->g, their plugin references
 * and their nodes' statically evaluated properties (see the file); and
 * frees them. Can't fail: what does not work out is left to the step. */
void exec__prepare(struct exec_wfrun *run);
void exec__prepared_release(struct exec_wfrun *run);
/* (transfer none) the parsed reference of `op` for `node` (NULL in a
 * relationship or workflow step), or NULL (not prepared, or it does not
 * parse). */
struct plugin_ref;
const struct plugin_ref *exec__ref(const struct exec_wfrun *run,
				   const struct model_operation *op,
				   const struct model_node *node);
/* (transfer none) name -> statically evaluated property of node `n`, or
 * NULL (not prepared, or one does not evaluate). */
GHashTable *exec__props(const struct exec_wfrun *run,
			const struct model_node *n);

/* step.c: "INTERFACE.OP" of an operation step in `buf`; returns buf. */
const char *exec__op_name(const struct wf_step *s, char *buf, size_t size);

/* record.c: the executor's hook and flush for a workflow run (exec.h);
 * `data` is the struct exec_wfrun. */
bool exec__record_change(const struct exec_change *c, void *data,
			 struct bp_error **err);
bool exec__record_flush(void *data, struct bp_error **err);
/* record.c: stores the live runtime properties of the instances the last
 * attempt of `es` changed, now (for a call that came back abandoned). */
bool exec__store_runtime(struct exec_step *es, struct bp_error **err);

#endif
