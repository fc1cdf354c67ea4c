/* service.h: a blueprint with all its imports loaded and both dialects
 * normalised into one vocabulary.
 *
 * dsl_load() reads the main file, follows imports (relative files, the
 * installed types/ directory, `plugin:NAME` and well-known URLs through
 * types/import-map.yaml), checks each file's tosca_definitions_version and
 * top-level keys, and merges every file's definitions into the sections
 * below. Nothing above dsl/ needs to know whether a blueprint was written in
 * TOSCA or the Cloudify DSL: the shapes below are the same for both.
 *
 * The normalised vocabulary (every definition keeps the marks of its source):
 *
 * - Types (every *_types section): the definition map as written, except
 *   `interfaces` (and Cloudify's `source_interfaces`/`target_interfaces` of
 *   relationship types), normalised as INTERFACES below, and node types'
 *   `requirements`, normalised to a list of maps with `name` and the long
 *   form's keys (`capability`, `node`, `relationship`, `occurrences`).
 * - INTERFACES: a map interface name -> {type?, inputs?, description?,
 *   operations: {name -> OPERATION}}.
 * - OPERATION: a map with any of `implementation` (string or absent),
 *   `inputs`, `executor`, `max_retries`, `retry_interval`, `timeout`,
 *   `timeout_recoverable`, `dependencies`, `operation_host`, `description`.
 *   A TOSCA `implementation: {primary, dependencies, timeout,
 *   operation_host}` is flattened into it; a bare string is the
 *   implementation.
 * - Node templates: the map as written, with `interfaces` as INTERFACES and
 *   `requirements` as a list of REQUIREMENT; Cloudify's `relationships` are
 *   turned into requirements too, and `instances: {deploy: N}` into
 *   `capabilities: {scalable: {properties: {default_instances: N}}}`.
 * - REQUIREMENT: {name, node?, capability?, node_filter?, occurrences?,
 *   relationship?: {type?, template?, properties?, interfaces?,
 *   source_interfaces?, target_interfaces?}, connection_type?}. `name` is
 *   the TOSCA requirement name, or for a Cloudify relationship its type.
 *   A TOSCA string `relationship: X` becomes {type: X}: the model looks
 *   X up among the relationship templates first, then the types.
 * - Policies: a map name -> definition (TOSCA's list form is flattened).
 * - Workflows: a map name -> {mapping?, parameters?, ...} (Cloudify's bare
 *   `plugin.op` string becomes {mapping: ...}).
 * - inputs, outputs, groups, plugins, capabilities, relationship templates:
 *   as written. Only the main file's TOSCA topology_template is the
 *   blueprint's; an imported one stays in its struct dsl_file.
 * - SUBSTITUTION MAPPINGS (per file): the map as written, its keys checked
 *   against the file's TOSCA version; a `substitution_filter` written as
 *   {node_filter: FILTER} (tosca-parser's form) becomes FILTER.
 */
#ifndef BP_DSL_SERVICE_H
#define BP_DSL_SERVICE_H

#include "dsl/node.h"

enum dsl_section {
	DSL_SEC_DATA_TYPES,
	DSL_SEC_ARTIFACT_TYPES,
	DSL_SEC_CAPABILITY_TYPES,
	DSL_SEC_INTERFACE_TYPES,
	DSL_SEC_RELATIONSHIP_TYPES,
	DSL_SEC_NODE_TYPES,
	DSL_SEC_GROUP_TYPES,
	DSL_SEC_POLICY_TYPES,
	DSL_SEC_POLICY_TRIGGERS,
	DSL_SEC_PLUGINS,
	DSL_SEC_WORKFLOWS,
	DSL_SEC_REPOSITORIES,
	DSL_SEC_INPUTS,
	DSL_SEC_NODE_TEMPLATES,
	DSL_SEC_RELATIONSHIP_TEMPLATES,
	DSL_SEC_GROUPS,
	DSL_SEC_POLICIES,
	DSL_SEC_OUTPUTS,
	DSL_SEC_CAPABILITIES,      /* Cloudify deployment capabilities */
	DSL_SEC_LAST               /* never use */
};

/* What a blueprint's dialect version allows, for the few rules that depend
 * on it (bits of struct dsl_file.features). */
enum dsl_feature {
	DSL_FEAT_DATA_TYPES  = 1 << 0,  /* data_types section */
	DSL_FEAT_MERGE_FUNC  = 1 << 1,  /* the `merge` function */
	DSL_FEAT_TOSCA_FUNCS = 1 << 2,  /* token, join, get_artifact, ... */
	DSL_FEAT_CFY_FUNCS   = 1 << 3,  /* get_secret, get_capability, ... */
	DSL_FEAT_REQUIRED_OP_INPUTS = 1 << 4, /* typed op inputs need values */
	DSL_FEAT_CFY_OPS     = 1 << 5,  /* operations name a declared plugin
					   or a script beside the blueprint */
	DSL_FEAT_ONE_CONTAINER = 1 << 6, /* at most one containment
					    relationship per node (TOSCA
					    allows a repeat to the same host) */
	DSL_FEAT_NESTED_GET_INPUT = 1 << 7, /* get_input: [input, key, ...]
					       (TOSCA 1.3, Cloudify) */
};

/* One loaded file. */
struct dsl_file {
	const char *path;          /* interned, as used in marks */
	struct dsl_doc *doc;       /* owned */
	const char *version;       /* tosca_definitions_version, or the
				      importer's when the file has none */
	unsigned features;         /* enum dsl_feature bits */
	const char *ns_prefix;     /* namespace prefix of its definitions */
	struct dsl_node *topology; /* an imported TOSCA file's
				      topology_template, kept apart: TOSCA
				      imports bring definitions, not
				      templates (it may implement a node
				      type by substitution), or NULL */
	struct dsl_node *substitution_mappings; /* of the file's topology
				      (see service.h's vocabulary), or NULL */
};

/* One named definition in a section. */
struct dsl_entry {
	const char *name;          /* (with namespace prefix) */
	struct dsl_node *def;      /* normalised definition */
	struct bp_mark mark;       /* of the name (the key) */
	const struct dsl_file *file;
};

struct dsl_table {
	GPtrArray *entries;        /* of struct dsl_entry *, in file order */
	GHashTable *by_name;       /* name -> struct dsl_entry * */
};

struct dsl_service {
	GPtrArray *files;          /* of struct dsl_file *, owned; [0] = main */
	struct dsl_doc *synth;     /* arena for normalised nodes */
	struct dsl_table sec[DSL_SEC_LAST];
	struct dsl_node *description;          /* main file's, or NULL */
	struct dsl_node *metadata;             /* main file's, or NULL */
	struct dsl_node *substitution_mappings;/* the main file's, or NULL */
};

struct dsl_load_options {
	/* Directories holding the shipped type files and import-map.yaml,
	 * searched in order; NULL-terminated. NULL = none. */
	const char *const *types_dirs;
};

/* Loads `path` and everything it imports. Returns (transfer full) the
 * service, or NULL: then every problem found (up to the diags cap) is in
 * `diags` (syntax errors, unknown versions or top-level keys, unresolvable
 * imports naming the URL, conflicting redefinitions naming both places, bad
 * section shapes). A file imported twice is loaded once; import loops end. */
struct dsl_service *dsl_load(const char *path,
			     const struct dsl_load_options *opts,
			     struct bp_diags *diags);

/* Frees the service and its files; accepts NULL. */
void dsl_service_free(struct dsl_service *svc);
typedef struct dsl_service dsl_service;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(dsl_service, dsl_service_free)

/* The entry named `name` in a section, or NULL. (transfer none) */
const struct dsl_entry *dsl_service_get(const struct dsl_service *svc,
					enum dsl_section sec, const char *name);

/* The section's entries in order. (transfer none) */
static inline const GPtrArray *dsl_service_entries(
	const struct dsl_service *svc, enum dsl_section sec)
{
	return svc->sec[sec].entries;
}

/* The main file (the one passed to dsl_load). */
static inline const struct dsl_file *dsl_service_main(
	const struct dsl_service *svc)
{
	return svc->files->pdata[0];
}

/* A printable name of a section ("node_types", "node_templates"...). */
const char *dsl_section_name(enum dsl_section sec);

#endif
