/* model.h: a blueprint's types and templates, resolved and checked.
 *
 * model_build() turns a loaded service (dsl/service.h) into the model:
 * every type with its `derived_from` chain resolved and its properties,
 * attributes, interfaces, requirements and capabilities merged down from
 * its ancestors; every node template typed, its property values checked,
 * its operations merged with the type's, its requirements fulfilled into
 * relationships; inputs, outputs, groups, policies, workflows and plugins.
 *
 * Ownership: the model owns everything reachable from it (one arena plus
 * the hash tables it registers) and the service it was built from. All
 * getters borrow; nothing here is freed separately. The model is
 * read-only once built and may be read from several threads.
 *
 * Values stay YAML nodes (struct dsl_node) so every error can point at the
 * blueprint: a property's value is the node written in the template (or
 * the type's default). Function calls ({get_input: x}) are values too;
 * model/func.h evaluates them.
 */
#ifndef BP_MODEL_MODEL_H
#define BP_MODEL_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

#include "dsl/service.h"
#include "util/arena.h"
#include "util/error.h"

enum model_kind {
	MODEL_NODE_TYPE,
	MODEL_RELATIONSHIP_TYPE,
	MODEL_DATA_TYPE,
	MODEL_CAPABILITY_TYPE,
	MODEL_INTERFACE_TYPE,
	MODEL_ARTIFACT_TYPE,
	MODEL_GROUP_TYPE,
	MODEL_POLICY_TYPE,
	MODEL_KIND_LAST      /* never use */
};

/* What a data type's values are at bottom. Primitive types are data types
 * with no source entry; a user data type derived from one inherits it. */
enum model_prim {
	MODEL_PRIM_COMPLEX,     /* a data type with properties */
	MODEL_PRIM_ANY,         /* no type given (Cloudify allows it) */
	MODEL_PRIM_STRING,
	MODEL_PRIM_INTEGER,
	MODEL_PRIM_FLOAT,
	MODEL_PRIM_BOOLEAN,
	MODEL_PRIM_TIMESTAMP,
	MODEL_PRIM_VERSION,
	MODEL_PRIM_RANGE,
	MODEL_PRIM_LIST,
	MODEL_PRIM_MAP,
	MODEL_PRIM_NULL,
	MODEL_PRIM_SIZE,        /* scalar-unit.size */
	MODEL_PRIM_TIME,        /* scalar-unit.time */
	MODEL_PRIM_FREQUENCY,   /* scalar-unit.frequency */
	MODEL_PRIM_BITRATE,     /* scalar-unit.bitrate */
	MODEL_PRIM_JSON,        /* tosca.datatypes.json: any JSON value */
	MODEL_PRIM_LAST         /* never use */
};

struct model_type;

/* A property, attribute, input, parameter or operation input definition. */
struct model_prop {
	const char *name;
	const char *type_name;          /* as written; NULL when untyped */
	struct model_type *type;        /* resolved data type; NULL = any */
	const struct dsl_node *def;     /* the definition map (or NULL) */
	const struct dsl_node *default_value;   /* `default`, or NULL */
	const struct dsl_node *value;   /* TOSCA attribute `value`, or NULL */
	const struct dsl_node *constraints;     /* list, or NULL */
	struct model_prop *entry_schema;        /* lists and maps, or NULL */
	struct model_prop *key_schema;          /* maps, or NULL */
	bool required;
	struct bp_mark mark;            /* of the name */
};

/* An operation, merged from the types and the template that define it. */
struct model_operation {
	const char *name;
	const char *implementation;     /* NULL when there is none */
	const struct dsl_node *impl_node;       /* for its mark, or NULL */
	GHashTable *input_defs;         /* name -> struct model_prop * (types) */
	GHashTable *inputs;             /* name -> const struct dsl_node *
					   (values: template over type) */
	const char *executor;           /* or NULL */
	int max_retries;                /* -1 = engine default */
	double retry_interval;          /* seconds (fractions allowed), -1 =
					   default */
	double timeout;                 /* seconds (fractions allowed), -1 =
					   none */
	bool timeout_recoverable;
	const struct dsl_node *def;     /* the most derived definition */
	struct bp_mark mark;
};

struct model_interface {
	const char *name;
	const char *type_name;          /* TOSCA interface type, or NULL */
	GHashTable *ops;                /* name -> struct model_operation * */
	GPtrArray *op_order;            /* of struct model_operation *, in
					   definition order */
	GHashTable *input_defs;         /* interface-level inputs, or NULL */
	bool has_inputs;                /* some operation has inputs or input
					   definitions */
};

/* A node type's requirement definition. */
struct model_reqdef {
	const char *name;
	const char *capability;         /* capability type name, or NULL */
	const char *node;               /* node type name, or NULL */
	const char *relationship;       /* relationship type name, or NULL */
	unsigned occ_min;               /* occurrences, default [1, 1] */
	unsigned occ_max;               /* UINT_MAX = UNBOUNDED */
	struct bp_mark mark;
};

/* A node type's capability definition. */
struct model_capdef {
	const char *name;
	struct model_type *type;        /* a capability type */
	GHashTable *props;              /* name -> const struct dsl_node *
					   values assigned in the definition */
	const struct dsl_node *valid_source_types;  /* list or NULL */
	unsigned occ_min, occ_max;
	struct bp_mark mark;
};

struct model_type {
	const char *name;
	enum model_kind kind;
	struct model_type *parent;      /* NULL at the root */
	const struct dsl_entry *entry;  /* NULL for built-in primitives */
	unsigned depth;                 /* 0 at the root */
	enum model_prim prim;           /* data types */
	GHashTable *props;              /* name -> struct model_prop *,
					   inherited ones included */
	GPtrArray *prop_order;          /* of struct model_prop * */
	GHashTable *attrs;              /* likewise for attributes */
	GPtrArray *attr_order;
	GHashTable *ifaces;             /* name -> struct model_interface *
					   (node and relationship types) */
	GHashTable *source_ifaces;      /* relationship types, or NULL */
	GHashTable *target_ifaces;
	GPtrArray *reqs;                /* node types: struct model_reqdef * */
	GHashTable *caps;               /* node types: name ->
					   struct model_capdef * */
	const struct dsl_node *constraints;     /* data types, own + inherited
						   (a list node or NULL) */
	struct model_prop *entry_schema;        /* data types over list/map */
};

/* A relationship between two node templates (a fulfilled requirement). */
enum model_connection {
	MODEL_ALL_TO_ALL,
	MODEL_ALL_TO_ONE,
	MODEL_CONNECTION_LAST  /* never use */
};

struct model_node;

struct model_rel {
	const char *name;               /* requirement name */
	struct model_node *source;
	struct model_node *target;
	struct model_type *type;        /* relationship type */
	const char *capability;         /* target capability name, or NULL */
	GHashTable *props;              /* name -> const struct dsl_node * */
	GHashTable *ifaces;             /* TOSCA `interfaces`, merged */
	GHashTable *source_ifaces;      /* Cloudify, merged */
	GHashTable *target_ifaces;
	enum model_connection connection;
	bool contained;                 /* contained_in / HostedOn */
	bool orders;                    /* the target is installed before the
					   source: every relationship but a
					   TOSCA one derived from
					   tosca.relationships.Root alone (a
					   peer link such as an HA pair),
					   which may form a cycle */
	unsigned index;                 /* position in the source's list */
	struct bp_mark mark;
};

struct model_node {
	const char *name;
	struct model_type *type;
	const struct dsl_entry *entry;
	GHashTable *props;              /* name -> const struct dsl_node *:
					   assigned value or default */
	GHashTable *attrs;              /* TOSCA attribute assignments */
	GHashTable *ifaces;             /* name -> struct model_interface *,
					   the type's merged with overrides */
	GPtrArray *rels;                /* of struct model_rel *, in order */
	GHashTable *caps;               /* name -> GHashTable of property
					   values (name -> dsl_node) */
	const struct dsl_node *artifacts;       /* map, or NULL */
	struct model_node *host;        /* contained_in target, or NULL */
	unsigned default_instances;
	unsigned min_instances;
	unsigned max_instances;         /* UINT_MAX = unbounded */
	const struct dsl_node *scalable; /* the scalable capability's
					    properties, or NULL */
	unsigned index;                 /* position in node_order */
};

/* A group, policy, output or workflow: a named definition kept as written,
 * with its type resolved where it has one. */
struct model_item {
	const char *name;
	struct model_type *type;        /* or NULL */
	const struct dsl_entry *entry;
	const struct dsl_node *bound;   /* a policy's properties with the
					   deployment's inputs in place
					   (model_bind_instances), or NULL */
};

struct model {
	struct dsl_service *svc;        /* owned */
	struct bp_arena arena;
	GPtrArray *tables;              /* GHashTables to free, owned */
	GPtrArray *arrays;              /* GPtrArrays to free, owned */
	GHashTable *types[MODEL_KIND_LAST];     /* name -> struct model_type * */
	GHashTable *nodes;              /* name -> struct model_node * */
	GPtrArray *node_order;          /* of struct model_node * */
	GHashTable *inputs;             /* name -> struct model_prop * */
	GPtrArray *input_order;
	GPtrArray *outputs;             /* of struct model_item * */
	GPtrArray *groups;              /* of struct model_item * */
	GPtrArray *policies;            /* of struct model_item * */
	GPtrArray *workflows;           /* of struct model_item * */
	GHashTable *plugins;            /* name -> const struct dsl_node * */
	struct dsl_doc *synth;          /* nodes the model makes (defaults
					   it copies, evaluated values) */
};

/* Builds the model of a loaded service. Consumes `svc` (freed on failure
 * too). Returns (transfer full) the model, or NULL with every problem
 * found in `diags` (each with its mark and YAML path). */
struct model *model_build(struct dsl_service *svc, struct bp_diags *diags);

/* Puts the deployment's resolved `inputs` (model_inputs_resolve) into
 * the instance counts written with functions, `default_instances:
 * {get_input: n}`: the scalable capability's default, min and max
 * instances of each node and the properties of each scaling policy.
 * Returns true; false after adding to `d` every count that is not a
 * non-negative integer or out of its bounds. */
bool model_bind_instances(struct model *m, GHashTable *inputs,
			  struct bp_diags *d);

/* Frees the model and its service; accepts NULL. */
void model_free(struct model *m);
typedef struct model model;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(model, model_free)

/* Finds a type of the given kind. TOSCA short names (`Compute` for
 * `tosca.nodes.Compute`) and `tosca:` prefixes are accepted for the
 * normative types, and `ns.Name` for a type imported with the namespace
 * prefix `ns` (`ns:Name`), as tosca-parser writes it. Returns (transfer none) the type, or NULL. */
struct model_type *model_type_find(const struct model *m, enum model_kind kind,
				   const char *name);

/* True when `t` is `ancestor` or derives from it. */
bool model_type_is(const struct model_type *t, const struct model_type *ancestor);
/* True when `t` or one of its ancestors has the given name. */
bool model_type_is_named(const struct model_type *t, const char *name);

/* (transfer none) the node template named `name`, or NULL. */
static inline struct model_node *model_node_find(const struct model *m,
						 const char *name)
{
	return name ? g_hash_table_lookup(m->nodes, name) : NULL;
}

/* The operation `iface.op` of a node (or NULL). `iface` may be NULL to
 * search every interface for `op`. */
struct model_operation *model_node_operation(const struct model_node *n,
					     const char *iface, const char *op);

/* Printable name of a kind: "node type", "data type"... */
const char *model_kind_name(enum model_kind kind);

#endif
