/* call.h: one operation call, the contract between whoever runs operations
 * (the executor, the workflow layer, the plugin test harness) and the
 * plugin context API.
 *
 * A call is a plain struct. The caller fills the IN fields, runs it, reads
 * the OUT fields, and releases it:
 *
 *     struct plugin_call call;
 *     plugin_call_init(&call);
 *     call.deployment_id = dep->id;                       // borrowed
 *     call.deployment_inputs = json_incref(dep->inputs);  // call's ref
 *     call.blueprint_dir = dep->blueprint_dir;            // borrowed
 *     call.execution_id = execution->id;                  // borrowed
 *     call.operation_name = "cloudify.interfaces.lifecycle.create";
 *     call.operation_inputs = json_incref(op->inputs);
 *     call.attempt = task->attempt;
 *     call.deadline = exec_ctx_deadline(ctx);
 *     call.self.node_name = node->name;                   // borrowed
 *     call.self.node_type = node->type;
 *     call.self.instance_id = inst->id;
 *     call.self.properties = json_incref(node->properties);
 *     call.self.runtime_properties = json_deep_copy(inst->runtime);
 *     call.log = exec_log_event; call.log_data = task;
 *     call.secret = store_secret_get; call.secret_data = store;
 *     call.cancel = &execution->cancelled;
 *     if (!plugin_call_run(registry, &ref, &call, &err))
 *             ... the operation could not be run: err says why ...
 *     else
 *             ... call.result.code, .retry_after, .message, .outputs;
 *             ... commit call.self.runtime_properties when
 *             ... call.self.runtime_changed (whatever the code) ...
 *     plugin_call_release(&call);
 *
 * Ownership: `const char *` IN fields are borrowed and must stay valid until
 * plugin_call_release(); a `json_t *` IN field hands the call one reference
 * (plugin_call_release drops it). OUT fields belong to the call: take a
 * reference (json_incref) or a copy before releasing it.
 *
 * Threads: the caller must not touch a call while plugin_call_run() runs
 * it, except through `cancel`. Different calls run concurrently; they may
 * share read-only JSON (properties, inputs) but never a runtime-properties
 * object.
 */
#ifndef BP_PLUGIN_CALL_H
#define BP_PLUGIN_CALL_H

#include <glib.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "blueprint/plugin.h"
#include "plugin/ref.h"
#include "plugin/registry.h"
#include "util/error.h"

/* Receives every message the operation logs (and the API's own complaints
 * about misuse, prefixed "plugin API: "). `level` is one of enum
 * bp_log_level; `message` is borrowed for the duration of the call. Runs on
 * the thread that logged, never concurrently for one call, with the call's
 * lock held: it must not call back into the call. */
typedef void (*plugin_log_fn)(void *data, int level, const char *message);

/* Looks a secret up. Returns (transfer full) its value, which the call
 * wipes and frees after the operation; NULL when there is none (set *err
 * to say why, or leave it NULL for "no such secret"). Runs on the
 * operation's thread. */
typedef char *(*plugin_secret_fn)(void *data, const char *name,
				  struct bp_error **err);

struct plugin_call_instance;

/* Fills *out (IN fields, the call's references) with the `index`-th
 * instance that instance `of` has a relationship to, counting only
 * relationships of type `type` or derived from it (NULL: all). Returns
 * false past the last one or when `of` is unknown. Runs on the operation's
 * thread, without the call's lock. */
typedef bool (*plugin_related_fn)(void *data, const char *of,
				  const char *type, unsigned index,
				  struct plugin_call_instance *out);

/* A node instance as an operation sees it. */
struct plugin_call_instance {
	/* IN */
	const char *node_name;      /* borrowed: "web" */
	const char *node_type;      /* borrowed: "hello.nodes.File" */
	const char *instance_id;    /* borrowed: "web_a1b2c3" */
	json_t *properties;         /* the call's reference; an object, read
				       only; NULL is taken as {} */
	json_t *runtime_properties; /* the call's reference; an object private
				       to this call, which the plugin changes
				       in place; NULL is taken as a new {} */
	json_t *host_properties;    /* the call's references, read only: the
				       node properties and runtime properties
				       of the instance's host (the nearest
				       Compute at or above it; itself when
				       contained in nothing); NULL: none */
	json_t *host_runtime;
	/* OUT */
	bool runtime_changed;       /* the plugin set or deleted a runtime
				       property (the object is then what to
				       store, whatever the result code) */
};

/* What the operation returned. */
struct plugin_call_result {
	enum bp_result code;        /* BP_OK .. BP_FAIL_FATAL; an operation
				       that returns anything else is turned
				       into BP_FAIL_FATAL with a message */
	unsigned retry_after;       /* BP_RETRY: seconds to wait; 0 means the
				       operation's default retry interval */
	char *message;              /* owned; NULL when none was given for
				       BP_OK or BP_RETRY (never NULL for the
				       two failures: the call fills one in) */
	json_t *outputs;            /* owned reference; NULL when the
				       operation set no outputs */
};

/* The engine's side of an operation context (bp_ctx in plugin.h). */
struct bp_ctx {
	struct plugin_call *call;
	struct plugin_call_instance *inst;   /* NULL: the main context of a
						relationship operation */
	bool readonly;                       /* a bp_related() answer */
};

struct plugin_call {
	/* IN: the deployment */
	const char *deployment_id;          /* borrowed */
	json_t *deployment_inputs;          /* the call's reference; or NULL */
	const char *blueprint_dir;          /* borrowed: the blueprint's
					       directory, absolute; or NULL */
	const char *execution_id;           /* borrowed: the workflow run;
					       or NULL */

	/* IN: the operation */
	const char *operation_name;         /* borrowed: the interface
					       operation, as the blueprint
					       names it */
	json_t *operation_inputs;           /* the call's reference; an
					       object, or NULL for {} */
	unsigned attempt;                   /* 1, 2, ...; 0 is taken as 1 */
	gint64 deadline;                    /* g_get_monotonic_time() value
					       to be done by; 0 or G_MAXINT64
					       (as exec_ctx_deadline() says
					       it): none */

	/* IN: the instance(s) */
	struct plugin_call_instance self;   /* a node operation's instance;
					       with instance_id NULL the call
					       is for no instance (a workflow
					       the blueprint declares) */
	bool relationship;                  /* a relationship operation:
					       source and target are filled;
					       of self only the host fields
					       are used: the host of the side
					       whose interface declared it */
	struct plugin_call_instance source;
	struct plugin_call_instance target;

	/* IN: services; any may be NULL */
	plugin_log_fn log;                  /* NULL: messages are dropped */
	void *log_data;
	plugin_secret_fn secret;            /* NULL: there are no secrets */
	void *secret_data;
	const gint *cancel;                 /* nonzero (read atomically) once
					       the execution is cancelled;
					       NULL: never */
	plugin_related_fn related;          /* NULL: no relationships */
	void *related_data;

	/* OUT: filled by plugin_call_run() */
	struct plugin_call_result result;

	/* Private to the plugin layer. */
	GMutex lock;                        /* serialises the plugin's API
					       calls on this call */
	GPtrArray *strings;                 /* handed to the plugin; freed
					       when it returns */
	GPtrArray *secrets;                 /* same, wiped before freeing */
	const struct plugin *plugin;        /* running it, or NULL */
	struct bp_ctx ctx[3];               /* main, source, target */
	GPtrArray *related_ctx;             /* struct bp_ctx * of bp_related()
					       answers, each with its own
					       read-only instance */
};

/* Drops the references an instance holds. */
void plugin_call_instance_release(struct plugin_call_instance *inst);

/* Zeroes *call and prepares its lock. Can't fail. */
void plugin_call_init(struct plugin_call *call);

/* Drops the call's references and frees what it owns (the result too);
 * the struct may be plugin_call_init()ed again. Accepts NULL. */
void plugin_call_release(struct plugin_call *call);

/* Resolves `ref` in `reg` (loading the plugin if needed) and runs the
 * operation on this thread, then fills call->result. For a script
 * reference, adds PLUGIN_SCRIPT_INPUT (the script's path) to the
 * operation inputs unless they already have it. Running a call again
 * frees the previous result first.
 * Returns: true when the operation ran (its outcome, success or not, is in
 * call->result); false with *err set when it could not be run: the
 * reference does not resolve or the plugin does not load (then
 * call->result is untouched). */
bool plugin_call_run(struct plugin_registry *reg,
		     const struct plugin_ref *ref, struct plugin_call *call,
		     struct bp_error **err);

/* The names of enum bp_result values and log levels as written in JSON and
 * events: "OK", "RETRY", "FAIL", "FAIL_FATAL"; "debug", "info", "warning",
 * "error". (transfer none) static strings; "?" for unknown values. */
const char *plugin_result_name(int code);
const char *plugin_log_level_name(int level);

/* Logs `message` through the call's sink; used by the API and by callers
 * that want their own lines in the same stream. Takes the call's lock. */
void plugin_call_log(struct plugin_call *call, int level,
		     const char *message);

#endif
