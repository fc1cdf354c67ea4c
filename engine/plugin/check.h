/* check.h: checking that a blueprint's operations resolve to plugins. */
#ifndef BP_PLUGIN_CHECK_H
#define BP_PLUGIN_CHECK_H

#include "model/model.h"
#include "plugin/registry.h"
#include "util/error.h"

/* Resolves every implemented operation of the model's node templates and
 * relationships (each operation once) in `reg`, loading the plugins they
 * name; each that does not resolve (no such plugin, it does not load —
 * an ABI mismatch, a missing entry point —, or it lacks the operation)
 * is added to `d` with the mark of its implementation. Script paths are
 * taken relative to `blueprint_dir`. Returns how many were added. */
unsigned plugin_check_model(struct plugin_registry *reg, const struct model *m,
			    const char *blueprint_dir, struct bp_diags *d);

#endif
