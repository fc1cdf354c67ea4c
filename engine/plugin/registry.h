/* registry.h: the plugins on the search path, loaded on demand, and the
 * resolution of operation references against them.
 *
 * A registry scans its directories once, when it is made: every NAME.so is
 * a plugin called NAME, and the first directory that has one wins (later
 * ones are reported as warnings, never printed: engine code never prints).
 * A plugin is loaded the first time something asks for it and stays loaded
 * until the registry is freed; a plugin that failed to load keeps its error
 * and is not tried again. Lookups and loads are serialised by the
 * registry's lock, so worker threads may resolve concurrently.
 */
#ifndef BP_PLUGIN_REGISTRY_H
#define BP_PLUGIN_REGISTRY_H

#include <glib.h>
#include <stdbool.h>

#include "plugin/loader.h"
#include "plugin/ref.h"
#include "util/error.h"

struct plugin_registry;

/* One plugin file found on the path. */
struct plugin_found {
	char *name;              /* the file name without ".so" */
	char *file;              /* the path, as found */
	struct plugin *plugin;   /* loaded, or NULL (not yet, or failed) */
	struct bp_error *error;  /* why loading failed, or NULL */
};

/* A resolved operation: what plugin_call_run() invokes. Both pointers live
 * as long as the registry. */
struct plugin_op {
	const struct plugin *plugin;
	const struct bp_op *op;
};

/* The default search path, in order:
 *   1. each directory of $BLUEPRINT_PLUGIN_PATH (':'-separated);
 *   2. BLUEPRINT_DIR/plugins, when blueprint_dir is not NULL;
 *   3. the build tree's plugins, when running from the source tree:
 *      $BP_BUILD/plugins when BP_BUILD is set (make check sets it), else
 *      DIR/plugins when the running program is DIR/blueprint and the file
 *      DIR/.build-tree exists (the Makefile writes it in every build
 *      directory, never in an install);
 *   4. the installed plugin directory, BP_PLUGINDIR.
 * Returns: (transfer full) a NULL-terminated list, free with g_strfreev().
 * Directories need not exist. */
char **plugin_search_path(const char *blueprint_dir);

/* Makes a registry over `dirs` (NULL-terminated; a directory listed twice
 * or missing is skipped) and scans them.
 * Returns: (transfer full) the registry, free with plugin_registry_free().
 * Can't fail: unreadable directories are skipped. */
struct plugin_registry *plugin_registry_new(const char *const *dirs);

/* Unloads every plugin (running unload hooks) and frees the registry. No
 * operation may still be running. Accepts NULL. */
void plugin_registry_free(struct plugin_registry *reg);

/* Puts the plugin file `file` first in the registry, under its file name
 * (without ".so"), ahead of the same name on the path. For a plugin given
 * by path (`blueprint plugins run ./hello.so ...`). Call it before the
 * registry is shared between threads.
 * Returns: (transfer none) the name, valid as long as the registry; NULL
 * with *err set (BP_ERR_NOT_FOUND) when `file` is not a regular file. */
const char *plugin_registry_add_file(struct plugin_registry *reg,
				     const char *file, struct bp_error **err);

/* (transfer none) the directories scanned, in order (NULL-terminated). */
const char *const *plugin_registry_dirs(const struct plugin_registry *reg);

/* (transfer none) the warnings found while scanning (char *, one line each,
 * e.g. a plugin hidden by one earlier on the path). */
const GPtrArray *plugin_registry_warnings(const struct plugin_registry *reg);

/* The plugin called `name`, loaded now if it was not yet.
 * Returns: (transfer none) the plugin, valid as long as the registry; NULL
 * with *err set when no file of that name was found (BP_ERR_NOT_FOUND) or
 * it failed to load (BP_ERR_PLUGIN, the loader's message).
 * Thread-safety: any thread. */
const struct plugin *plugin_registry_get(struct plugin_registry *reg,
					 const char *name,
					 struct bp_error **err);

/* Loads every plugin found (keeping the errors of those that fail).
 * Returns: (transfer none) the struct plugin_found entries in search order.
 * Thread-safety: any thread, once the registry is shared (no more
 * plugin_registry_add()); after it returns, every entry's plugin and
 * error stay as they are. */
const GPtrArray *plugin_registry_load_all(struct plugin_registry *reg);

/* Finds the plugin and the operation a parsed reference names, loading the
 * plugin if needed. For an artifact (PLUGIN_REF_ARTIFACT) every plugin is
 * loaded and the first in search order that claims the artifact's type,
 * else the nearest type it derives from, runs it with its claiming
 * operation.
 * Returns: true with *out set; false with *err set when the plugin is not
 * on the path (BP_ERR_NOT_FOUND), fails to load (BP_ERR_PLUGIN) or has no
 * such operation (BP_ERR_NOT_FOUND, naming the operations it has), or no
 * plugin claims the artifact's types (BP_ERR_NOT_FOUND). The
 * caller attaches the blueprint mark.
 * Thread-safety: any thread. */
bool plugin_registry_resolve(struct plugin_op *out,
			     struct plugin_registry *reg,
			     const struct plugin_ref *ref,
			     struct bp_error **err);

#endif
