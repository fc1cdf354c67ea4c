/*
 * yaml.h: YAML text to JSON values, for plugins that read YAML the user
 * wrote (kubeconfig files, Kubernetes manifests, clouds.yaml).
 *
 * Plain scalars are typed as Go's and PyYAML's YAML 1.1 readers type them
 * where it matters to those files: true/false/yes/no/on/off (any case),
 * null/~/empty, decimal integers, decimal floats; everything else, and
 * every quoted scalar, is a string. Anchors, aliases and merge keys are
 * resolved by libyaml's document loader (aliases expand). Map keys are
 * taken as strings.
 */
#ifndef BP_PLUGINS_COMMON_YAML_H
#define BP_PLUGINS_COMMON_YAML_H

#include <stddef.h>
#include <jansson.h>

/* Every document of `text` (len bytes; 0: strlen), in order, as a JSON
 * array; an empty document ("---" alone) is null. Returns the array
 * (transfer full) or NULL with *errmsg set (transfer full, g_free) naming
 * the line and column of a syntax error. */
json_t *yaml_docs_to_json(const char *text, size_t len, char **errmsg);

/* The first document of `text` (null when there is none). Same errors. */
json_t *yaml_to_json(const char *text, size_t len, char **errmsg);

#endif
