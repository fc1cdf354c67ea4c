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
/* wfrun.c: stores an event of the run (masked) and passes it on. */
void exec__event(struct exec_wfrun *run, const struct plan_instance *in,
		 const char *operation, enum store_event_level level,
		 const char *type, const char *fmt, ...) G_GNUC_PRINTF(6, 7);

/* step.c: the executor's callbacks for one workflow step. */
extern const struct exec_task_ops exec__step_ops;
struct exec_step {
	struct exec_wfrun *run;
	struct wf_step *step;         /* borrowed from run->g */
};

#endif
