/* deploy.h: running workflows on a deployment: the executor put to work
 * with the store, the plugins and the model.
 *
 * A deployment is a blueprint with its inputs and its node instances, kept
 * in the store. exec_deployment_new() creates one (plan -> store);
 * exec_deployment_open() loads one back (store -> plan). exec_workflow()
 * runs a workflow's step graph (workflow/) on the task-graph executor
 * (exec.h): each step records its instance state, evaluates its operation's
 * inputs (get_attribute against the live runtime properties), calls the
 * plugin, and commits state, runtime properties and the task's outcome to
 * the store before any step depending on it starts. A run that was killed
 * is resumed by running the same workflow again: steps the store knows as
 * done are not run again.
 *
 * Threads: exec_workflow() runs steps on the executor's workers; the
 * deployment's runtime state is guarded by its lock. Nothing here prints:
 * events go to the store and to the env's listener.
 */
#ifndef BP_EXEC_DEPLOY_H
#define BP_EXEC_DEPLOY_H

#include <stdbool.h>
#include <glib.h>
#include <jansson.h>

#include "exec/exec.h"
#include "model/model.h"
#include "plan/plan.h"
#include "plugin/registry.h"
#include "store/store.h"
#include "workflow/workflow.h"

struct store_event;

/* What workflows on a deployment run with. Fill it, then hand it to the
 * functions below; it is borrowed for their duration. */
struct exec_env {
	struct store *store;              /* borrowed */
	struct plugin_registry *plugins;  /* borrowed */
	const char *const *types_dirs;    /* for reloading blueprints */
	unsigned parallelism;             /* 0: EXEC_DEFAULT_PARALLELISM */
	GHashTable *plugin_caps;          /* plugin name -> GUINT_TO_POINTER
					     (most concurrent operations), or
					     NULL; over what the plugins
					     declare */
	int max_retries;                  /* -1: the operation's, else the
					     executor's default */
	double retry_interval;            /* seconds a RETRY without a delay
					     waits; 0: 30, Cloudify's */
	bool fail_fast;
	bool ignore_failure;
	const char *command;              /* the command line, recorded */
	/* Every event, as stored (secrets masked); any thread, never
	 * concurrently. May be NULL. */
	void (*on_event)(const struct store_event *ev, void *data);
	/* The run's counters after each turn of the executor's loop, for a
	 * progress line; the coordinator thread, gets event_data. May be
	 * NULL. */
	void (*on_progress)(const struct exec_counters *c, void *data);
	void *event_data;
};

struct exec_deployment {
	char *id;                         /* owned */
	char *blueprint_dir;              /* owned, absolute */
	struct model *model;              /* owned */
	struct dsl_doc *inputs_doc;       /* owned, or NULL */
	GHashTable *inputs;               /* owned: resolved inputs */
	json_t *inputs_json;              /* owned reference */
	struct plan *plan;                /* owned */
	GMutex lock;                      /* guards the two tables below */
	GHashTable *state;                /* instance id -> GUINT_TO_POINTER(
					     enum store_instance_state) */
	GHashTable *runtime;              /* instance id -> json_t * (owned
					     reference): runtime properties */
};

/* Creates deployment `id` of the blueprint at `path` whose model is `m`,
 * with resolved `inputs` (from model_inputs_resolve) parsed from
 * `inputs_doc`: plans its instances and stores deployment, instances and
 * relationships. Consumes m, inputs_doc and inputs (also on failure).
 * Returns (transfer full) the deployment; NULL with *err set (CONFLICT
 * when the id exists). */
struct exec_deployment *exec_deployment_new(struct exec_env *env,
					    const char *id, const char *path,
					    struct model *m,
					    struct dsl_doc *inputs_doc,
					    GHashTable *inputs,
					    struct bp_error **err);

/* The deployment exec_deployment_new() would create, planned in memory
 * only (every instance initial): for --dry-run. Consumes m, inputs_doc and
 * inputs. Returns (transfer full) the deployment; NULL with *err set
 * (BP_ERR_USAGE for an id that cannot name a deployment). */
struct exec_deployment *exec_deployment_draft(const char *id, const char *path,
					      struct model *m,
					      struct dsl_doc *inputs_doc,
					      GHashTable *inputs,
					      struct bp_error **err);

/* Loads deployment `id`: its record, its blueprint (which must not have
 * changed since: its digest is compared), its inputs and its instances.
 * Returns (transfer full) the deployment; NULL with *err set. */
struct exec_deployment *exec_deployment_open(struct exec_env *env,
					     const char *id,
					     struct bp_error **err);

void exec_deployment_free(struct exec_deployment *d);
typedef struct exec_deployment exec_deployment;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(exec_deployment, exec_deployment_free)

/* The saved state of an instance (for the workflow builders). */
enum store_instance_state exec_deployment_state(struct exec_deployment *d,
						const char *instance_id);

/* Fills *out so the workflow builders read the saved states of d's
 * instances (borrowed: valid while d lives). Can't fail. */
void exec_deployment_states(struct exec_deployment *d,
			    struct wf_state_lookup *out);

/* What a workflow run did. */
struct exec_report {
	char *execution;                  /* owned: the execution id */
	struct exec_counters counters;
	GPtrArray *failures;              /* owned, of char *: "INSTANCE
					     OPERATION: message" */
	bool cancelled;
};
void exec_report_release(struct exec_report *r);

/* Runs the steps of `g` on deployment `d` as execution of workflow
 * `g->name` with `params` (borrowed, may be NULL). An unfinished
 * execution of the same workflow is resumed (its finished steps are not
 * run again); otherwise a new execution is recorded. The caller holds the
 * deployment's lock (store_lock_acquire). Fills *report (also on
 * failure). Returns true when every step succeeded (or failed with
 * env->ignore_failure); false with *err set otherwise. */
bool exec_workflow(struct exec_env *env, struct exec_deployment *d,
		   struct wf_graph *g, json_t *params,
		   struct exec_report *report, struct bp_error **err);

/* Asks the running exec_workflow() to stop: no new operations start,
 * running ones get a grace period. Safe from a signal handler. */
void exec_workflow_cancel(void);

/* Evaluates the outputs of deployment `d` now: each output's value with
 * the deployment's inputs, its runtime functions answered as an
 * operation's inputs are (attrs.c: runtime properties, node properties,
 * task outputs, secrets), except that a node named by get_attribute must
 * have exactly one instance. Returns (transfer full) an object of the
 * outputs that could be evaluated, in blueprint order; each one that
 * could not is added to `diags` as "output 'NAME': why". Reads the
 * store; needs no lock. */
json_t *exec_deployment_outputs(struct exec_env *env,
				struct exec_deployment *d,
				struct bp_diags *diags);

/* Stores an event of the deployment (masking secret values) and passes
 * it to the env's listener. Can't fail: a store error is reported through
 * the listener as a warning event that is not stored. */
void exec_event(struct exec_env *env, const struct store_event *ev);

#endif
