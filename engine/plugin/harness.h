/* harness.h: run one plugin operation from a JSON context, without a
 * store, an executor or a blueprint: what `blueprint plugins run` does, so
 * a plugin author can unit-test an operation.
 *
 * The context document (every key optional; unknown keys are errors):
 *   {
 *     "deployment": { "id": "demo", "inputs": { ... },
 *                     "blueprint_dir": "path/to/dir" },
 *     "node":       { "name": "web", "type": "hello.nodes.File",
 *                     "properties": { ... } },
 *     "instance":   { "id": "web_1", "runtime_properties": { ... } },
 *     "operation":  { "name": "cloudify.interfaces.lifecycle.create",
 *                     "inputs": { ... }, "attempt": 1, "timeout": 60 },
 *     "source":     { "node": { ... }, "instance": { ... } },
 *     "target":     { "node": { ... }, "instance": { ... } },
 *     "execution":  { "id": "install-1" },
 *     "secrets":    { "NAME": "value" },
 *     "cancelled":  false
 *   }
 * "source" and "target" (both, and then neither "node" nor "instance") make
 * it a relationship operation. "timeout" is in seconds from now.
 * "blueprint_dir" is made absolute against the working directory; without
 * it the operation has no blueprint directory (bp_blueprint_dir: NULL);
 * without "execution" it has no execution id either.
 *
 * The report is the same document with the defaults filled in and the
 * runtime properties as the operation left them, plus
 *   "result": { "code": "OK"|"RETRY"|"FAIL"|"FAIL_FATAL",
 *               "retry_after": 0, "message": null, "outputs": null,
 *               "logs": [ { "level": "info", "message": "..." } ] }
 * A context's "result" is ignored, so the report of one run is the context
 * of the next (create, then delete with what create saved).
 */
#ifndef BP_PLUGIN_HARNESS_H
#define BP_PLUGIN_HARNESS_H

#include <jansson.h>
#include <stdbool.h>

#include "plugin/call.h"
#include "plugin/registry.h"
#include "util/error.h"

struct plugin_harness {
	json_t *context;          /* the context, defaults filled in */
	json_t *logs;             /* [ { level, message } ] */
	gint cancel;
	struct plugin_call call;
};

/* Checks `context` (borrowed; a deep copy is kept) and builds the call for
 * operation `op` (whose name is the default "operation.name").
 * Returns: true; false with *err set (BP_ERR_INVALID, naming the key, e.g.
 * "'node.properties' must be an object") when the context is malformed.
 * Either way release *h with plugin_harness_release(). */
bool plugin_harness_init(struct plugin_harness *h, const json_t *context,
			 const char *op, struct bp_error **err);

/* Runs operation `op` of plugin `plugin` (a name in `reg`).
 * Returns: true when it ran (see plugin_harness_report); false with *err
 * set when it could not be run (the plugin does not load, has no such
 * operation). */
bool plugin_harness_run(struct plugin_harness *h,
			struct plugin_registry *reg, const char *plugin,
			const char *op, struct bp_error **err);

/* (transfer full) the report of the run, described above. */
json_t *plugin_harness_report(const struct plugin_harness *h);

/* Frees everything *h holds. Accepts NULL. */
void plugin_harness_release(struct plugin_harness *h);

#endif
