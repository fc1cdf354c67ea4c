/* keypath.h: dotted paths into JSON documents, as the plugin API reads and
 * writes values ("server.flavor", "ports.0").
 *
 * A path is keys joined by '.'. Reading descends into objects, and into
 * arrays where a segment is all digits; writing and deleting descend into
 * objects only, creating missing ones on a write. NULL or "" is the whole
 * document. A key that itself contains '.' cannot be named; read its parent.
 * Pure functions over jansson values; the caller holds any lock.
 */
#ifndef BP_PLUGIN_KEYPATH_H
#define BP_PLUGIN_KEYPATH_H

#include <jansson.h>
#include <stdbool.h>

#include "util/error.h"

/* The value at `path` in `doc` (doc may be NULL).
 * Returns: (transfer none) borrowed from doc; NULL when missing or the path
 * is malformed (an empty segment). */
json_t *plugin_keypath_get(json_t *doc, const char *path);

/* Stores `value` at `path` (not empty) in the object `doc`, creating the
 * objects on the way. Consumes `value`, also on failure.
 * Returns: true; false with *err set (BP_ERR_INVALID) when the path is empty
 * or malformed or runs through a value that is not an object; then `doc` is
 * unchanged. */
bool plugin_keypath_set(json_t *doc, const char *path, json_t *value,
			struct bp_error **err);

/* Removes the value at `path` (not empty) from `doc`.
 * Returns: true, also when there was nothing there; false with *err set
 * (BP_ERR_INVALID) when the path is empty or malformed. */
bool plugin_keypath_delete(json_t *doc, const char *path,
			   struct bp_error **err);

#endif
