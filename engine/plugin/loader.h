/* loader.h: opening one plugin shared object and checking it.
 *
 * plugin_open() is the whole load sequence for one file: dlopen (GModule,
 * local binding, all symbols resolved now so a missing dependency fails here
 * and not in the middle of an operation), look up bp_plugin_entry, check the
 * descriptor (ABI version, size, name, operation table), hand the plugin the
 * engine's function table and run its load hook. Every refusal is an error
 * value that names the plugin and the file. Finding files is registry.c's
 * job; this file knows one path at a time.
 */
#ifndef BP_PLUGIN_LOADER_H
#define BP_PLUGIN_LOADER_H

#include <gmodule.h>
#include <stdbool.h>

#include "blueprint/plugin.h"
#include "util/error.h"

/* A loaded plugin. Read-only after plugin_open() returns; safe to share
 * between threads. */
struct plugin {
	char *name;                         /* desc->name, owned */
	char *file;                         /* absolute path, owned */
	const struct bp_plugin_desc *desc;  /* owned by the shared object */
	void *state;                        /* what the load hook set */
	unsigned n_ops;                     /* entries in desc->ops */
	GModule *module;                    /* owned */
};

/* The engine's function table (ABI BP_ABI_MAJOR.BP_ABI_MINOR), the same
 * for every plugin; defined in api.c. */
extern const struct bp_api plugin_api;

/* Loads the plugin in `file` (a path to a .so). `name` is the name the
 * caller expects (the file name without ".so") or NULL to accept what the
 * descriptor says.
 * Returns: (transfer full) the plugin, free with plugin_close(); NULL with
 * *err set (code BP_ERR_PLUGIN) when the file cannot be opened, has no
 * entry point, was built for another ABI, has a bad descriptor, declares
 * another name, or its load hook refused. Nothing stays loaded on failure.
 * Thread-safety: the caller serialises calls for one file (the registry
 * holds its lock). */
struct plugin *plugin_open(const char *file, const char *name,
			   struct bp_error **err);

/* Runs the unload hook, closes the shared object and frees the plugin.
 * Every operation of the plugin must have returned. Accepts NULL. */
void plugin_close(struct plugin *p);

/* The operation `op` of the plugin, or NULL when it has none by that name.
 * (transfer none): lives as long as the plugin. */
const struct bp_op *plugin_find_op(const struct plugin *p, const char *op);

/* The operation name the plugin claims artifacts of type `type` with (its
 * ABI 1.2 artifact table; a plugin built for 1.0 or 1.1 claims none).
 * Returns: (transfer none) the operation name, or NULL. */
const char *plugin_artifact_op(const struct plugin *p, const char *type);

/* The most operations of the plugin a workflow runs at once, as its
 * descriptor declares (ABI 1.4); 0 when it declares no cap or was built
 * for an older ABI. */
unsigned plugin_parallelism(const struct plugin *p);

/* (transfer full) the plugin's operation names, each in single quotes,
 * joined by ", " in table order; at most `max` of them, then ", ..." when
 * there are more. */
char *plugin_op_names(const struct plugin *p, unsigned max);

/* True when `name` can be a plugin name: letters, digits, '_' and '-'. */
bool plugin_name_valid(const char *name);

#endif
