/* builtin.h: the built-in workflows (install, uninstall, start, stop,
 * restart, execute_operation, heal) by name, their graphs built on a
 * deployment from parameters as an execution records them, with
 * Cloudify's parameter names, so a command and `blueprint resume` build
 * the same graph. Scaling has its own file (exec/scale.h).
 *
 * Parameters (a JSON object):
 *   node_ids, node_instance_ids, type_names   lists (or comma-separated
 *       strings) keeping only those instances (install, uninstall, start,
 *       stop, restart) or choosing them (execute_operation: node_ids and
 *       node_instance_ids)
 *   operation, operation_kwargs, run_by_dependency_order
 *       execute_operation: "INTERFACE.OP" or "OP", its extra inputs
 *   node_instance_id, force_reinstall
 *       heal: the instance; its `heal` operation unless force_reinstall
 *       (or none is implemented), else the reinstall of its host's
 *       subtree
 */
#ifndef BP_EXEC_BUILTIN_H
#define BP_EXEC_BUILTIN_H

#include "exec/deploy.h"

/* True when `name` is a built-in workflow this file builds. */
bool exec_builtin_known(const char *name);

/* Builds the graph of built-in workflow `name` on d with `params`, the
 * install and uninstall graphs leaving out what the saved states say is
 * done. For heal, sets "force_reinstall": true in `params` when it builds
 * the reinstall graph. Sets *out (transfer full); returns false with *err
 * set: BP_ERR_NOT_FOUND for an unknown workflow, node or instance,
 * BP_ERR_USAGE for a parameter of the wrong shape or missing, and the
 * builders' errors. */
bool exec_builtin_graph(struct exec_deployment *d, const char *name,
			json_t *params, struct wf_graph **out,
			struct bp_error **err);

#endif
