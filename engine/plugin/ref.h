/* ref.h: operation references, from what a blueprint writes to the plugin
 * and the operation that run it.
 *
 * A blueprint names an operation's implementation in one of three ways, all
 * strings by the time they get here (the loader has already normalised
 * TOSCA's `implementation: {primary: ...}`):
 *   - Cloudify style "PLUGIN.OPERATION": the first '.'-separated segment is
 *     the plugin, as declared in the blueprint's `plugins:` section or the
 *     .so's own name; the rest is the operation the .so exports
 *     ("openstack.server.create" -> plugin 'openstack', op 'server.create');
 *   - TOSCA style: the same string, after normalisation;
 *   - a script: a path that contains '/' (or '\'), ends in a script
 *     extension (.sh .bash .ksh .zsh .py .ps1 .bat .cmd .rb .pl) or names a
 *     file that exists beside the blueprint. Scripts go to the script runner
 *     plugin: PLUGIN_SCRIPT_NAME's operation PLUGIN_SCRIPT_OP, with the path
 *     in the operation input PLUGIN_SCRIPT_INPUT (as Cloudify's script
 *     plugin takes `script_path`). That plugin must export that operation.
 * TOSCA may also name an artifact of the node template (`artifacts:
 * {install: {type: tosca.artifacts.Implementation.Bash, file: x.sh}}` or
 * the short form `{install: x.sh}`, typed by its file extension) or give
 * one inline (`primary: {file: x.sh, type: ...}`): the plugin that claims
 * the artifact's type (or a type it derives from) runs it, with the file in
 * PLUGIN_SCRIPT_INPUT.
 * Parsing only reads the file system (the "exists beside the blueprint"
 * test); whether a plugin provides the operation is plugin_registry_resolve()
 * in registry.h. An empty implementation (a no-op in Cloudify) is the
 * caller's business and never gets here.
 */
#ifndef BP_PLUGIN_REF_H
#define BP_PLUGIN_REF_H

#include <glib.h>
#include <stdbool.h>

#include "model/model.h"
#include "util/error.h"

#define PLUGIN_SCRIPT_NAME  "script"
#define PLUGIN_SCRIPT_OP    "run"
#define PLUGIN_SCRIPT_INPUT "script_path"

enum plugin_ref_kind {
	PLUGIN_REF_OPERATION = 1,  /* PLUGIN.OPERATION */
	PLUGIN_REF_SCRIPT    = 2,  /* a script for the script runner */
	PLUGIN_REF_ARTIFACT  = 3,  /* a TOSCA artifact: the plugin that claims
				      its type runs it */
	PLUGIN_REF_KIND_LAST       /* never use */
};

struct plugin_ref {
	enum plugin_ref_kind kind;
	char *text;       /* the reference as written */
	char *plugin;     /* the plugin (.so) name */
	char *declared;   /* the name the blueprint used when an alias mapped
			     it to another .so name, else NULL */
	char *op;         /* the operation the plugin exports */
	char *script;     /* SCRIPT: the path, made absolute against the
			     blueprint's directory when one was given;
			     ARTIFACT: the artifact's file, likewise;
			     OPERATION: NULL */
	char **types;     /* ARTIFACT: the artifact's type and the types it
			     derives from, most derived first (its plugin and
			     op are NULL: plugin_registry_resolve() finds the
			     plugin that claims one); else NULL */
};

/* What parsing may look at besides the text. Both fields are optional. */
struct plugin_ref_env {
	const char *blueprint_dir;  /* the blueprint's directory, or NULL */
	GHashTable *aliases;        /* char * -> char *: plugin name declared
				       in the blueprint -> .so name, or NULL */
	const struct model *model;  /* for artifact types, or NULL */
	const struct model_node *node; /* whose artifacts an implementation
				       may name, or NULL */
};

/* Parses the implementation of `op` (an artifact of env->node's template
 * when it names one, or an inline artifact definition {file, type}; else
 * as plugin_ref_parse() does). Same result and ownership. */
bool plugin_ref_parse_op(struct plugin_ref *out,
			 const struct model_operation *op,
			 const struct plugin_ref_env *env,
			 struct bp_error **err);

/* Parses `text` into *out (all fields owned by *out; release with
 * plugin_ref_release()). `env` may be NULL.
 * Returns: true; false with *err set (BP_ERR_INVALID, *out untouched) when
 * the text is empty, has no '.' and is not a script, or its plugin or
 * operation part is malformed ("expected 'PLUGIN.OPERATION' or a script
 * path"). The caller adds the blueprint mark. */
bool plugin_ref_parse(struct plugin_ref *out, const char *text,
		      const struct plugin_ref_env *env, struct bp_error **err);

/* Frees the fields of *ref and zeroes it; accepts NULL. */
void plugin_ref_release(struct plugin_ref *ref);

#endif
