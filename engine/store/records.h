/* records.h: the plain C records that cross the store's interface.
 *
 * One struct per stored entity (deployment, node instance, relationship
 * instance, execution, operation task, event, scaling modification), the
 * enums for their states with their stored names, and a _free for each.
 * These are data only: reading and writing them is store.h's business.
 *
 * Ownership rule for the whole header: every record the store hands out is
 * (transfer full) and owns all its strings (g_malloc) and JSON values (one
 * jansson reference each); free it with its _free(), which accepts NULL.
 * String fields are `const char *` so that a caller can fill a record it
 * passes in with literals and borrowed strings; in a record the store
 * returned they are owned all the same (only _free() frees them).
 * Lists come back as a GPtrArray whose element free function is set, so
 * g_ptr_array_unref() frees everything. Records passed *into* the store are
 * (transfer none): the store copies what it keeps.
 *
 * Times are int64_t microseconds since the Unix epoch, UTC (what
 * g_get_real_time() returns); 0 means "not yet" (an execution not ended).
 * JSON members may be NULL only where the field comment says so.
 */
#ifndef BP_STORE_RECORDS_H
#define BP_STORE_RECORDS_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include <jansson.h>

/* Lifecycle state of a node instance. Stored as its name ("creating"); the
 * numbers are not stored and may change, the names may not. */
enum store_instance_state {
	STORE_INSTANCE_INITIAL,
	STORE_INSTANCE_CREATING,
	STORE_INSTANCE_CREATED,
	STORE_INSTANCE_CONFIGURING,
	STORE_INSTANCE_CONFIGURED,
	STORE_INSTANCE_STARTING,
	STORE_INSTANCE_STARTED,
	STORE_INSTANCE_STOPPING,
	STORE_INSTANCE_STOPPED,
	STORE_INSTANCE_DELETING,
	STORE_INSTANCE_DELETED,
	STORE_INSTANCE_STATE_LAST /* never use */
};

/* Status of an execution (one run of a workflow). */
enum store_exec_status {
	STORE_EXEC_PENDING,       /* created, not started yet */
	STORE_EXEC_STARTED,       /* running, or its process died (see pid) */
	STORE_EXEC_SUCCEEDED,     /* terminal */
	STORE_EXEC_FAILED,        /* terminal */
	STORE_EXEC_CANCELLING,    /* cancel asked, tasks still finishing */
	STORE_EXEC_CANCELLED,     /* terminal */
	STORE_EXEC_STATUS_LAST    /* never use */
};

/* State of one operation task of an execution. */
enum store_task_state {
	STORE_TASK_PENDING,       /* known, not dispatched */
	STORE_TASK_SENT,          /* handed to a plugin, no result yet */
	STORE_TASK_SUCCEEDED,     /* done: never run again on resume */
	STORE_TASK_FAILED,        /* gave up (fatal or out of retries) */
	STORE_TASK_RETRYING,      /* waiting for its next attempt */
	STORE_TASK_STATE_LAST     /* never use */
};

/* Severity of an event; ordered, so a filter can ask for "info and up". */
enum store_event_level {
	STORE_LEVEL_DEBUG,
	STORE_LEVEL_INFO,
	STORE_LEVEL_WARNING,
	STORE_LEVEL_ERROR,
	STORE_LEVEL_LAST          /* never use */
};

/* Status of a scaling modification. */
enum store_mod_status {
	STORE_MOD_STARTED,        /* at most one per deployment at a time */
	STORE_MOD_FINISHED,
	STORE_MOD_ROLLED_BACK,
	STORE_MOD_STATUS_LAST     /* never use */
};

/* Stored names of the enums above ("started"). Each returns a static string,
 * or NULL for a value out of range. */
const char *store_instance_state_name(enum store_instance_state v);
const char *store_exec_status_name(enum store_exec_status v);
const char *store_task_state_name(enum store_task_state v);
const char *store_event_level_name(enum store_event_level v);
const char *store_mod_status_name(enum store_mod_status v);

/* Parse a stored name back (exact, lowercase). Return true and set *out on
 * success; return false and leave *out alone for an unknown name. */
bool store_instance_state_parse(const char *s, enum store_instance_state *out);
bool store_exec_status_parse(const char *s, enum store_exec_status *out);
bool store_task_state_parse(const char *s, enum store_task_state *out);
bool store_event_level_parse(const char *s, enum store_event_level *out);
bool store_mod_status_parse(const char *s, enum store_mod_status *out);

/* True for succeeded, failed and cancelled. */
bool store_exec_status_finished(enum store_exec_status v);

/* A deployment: a blueprint plus inputs, the unit every other record
 * belongs to. Deleting it deletes everything below it. */
struct store_deployment {
	const char *id;           /* its name: letters, digits, '.', '-', '_' */
	const char *blueprint_path; /* main blueprint file, as given */
	const char *blueprint_hash; /* caller's digest of the content (hex) */
	json_t *inputs;           /* object */
	json_t *outputs;          /* cached outputs object, or NULL if none */
	int64_t created_at;       /* stamped by the store */
	int64_t updated_at;       /* stamped by the store on every change */
};

/* A node instance: one copy of a node template in a deployment. */
struct store_instance {
	const char *id;           /* "NODE_xxxxxx", made by the caller, unique
				   * within its deployment */
	const char *deployment;
	const char *node;         /* node template name */
	const char *host_id;      /* instance it is contained in, or NULL */
	enum store_instance_state state;
	json_t *runtime_props;    /* object; replaced whole, never merged */
	json_t *scaling_groups;   /* array of group memberships (may be []) */
	int64_t index;            /* ordinal among the node's instances */
	int64_t version;          /* bumped by every update; 1 after insert */
};

/* A relationship instance: one edge from a source node instance to a
 * target instance, made from one entry of the source node's list of
 * relationships (or TOSCA requirements). */
struct store_relationship {
	const char *deployment;
	const char *source_id;    /* instance the relationship is on */
	const char *target_id;    /* node instance it points at */
	const char *type;         /* relationship type name */
	int64_t index;            /* position in the source node's list */
	const char *name;         /* requirement name (TOSCA), or NULL */
};

/* An execution: one run of a workflow on a deployment. */
struct store_execution {
	const char *id;           /* uuid, made by the store */
	const char *deployment;
	const char *workflow;     /* "install", "scale", ... */
	json_t *parameters;       /* object */
	enum store_exec_status status;
	int64_t pid;              /* process running it (0 if none yet) */
	const char *command;      /* that process's command line */
	const char *error;        /* why it failed, or NULL */
	int64_t created_at;
	int64_t started_at;       /* first time it became started, or 0 */
	int64_t ended_at;         /* when it became terminal, or 0 */
};

/* An operation task of an execution: one call of one operation on one
 * node instance (or on the two ends of a relationship instance). */
struct store_task {
	const char *execution;    /* execution id */
	const char *key;          /* the caller's stable key for this task,
				   * unique within the execution, e.g.
				   * "NODE_ab12cd/lifecycle.create" */
	const char *instance_id;  /* node instance, or relationship source */
	const char *target_id;    /* relationship target, or NULL */
	const char *operation;    /* full operation name */
	enum store_task_state state;
	int64_t attempt;          /* 1 for the first call */
	const char *message;      /* last result message, or NULL */
	json_t *outputs;          /* operation outputs, or NULL */
	int64_t created_at;       /* stamped by the store on first put */
	int64_t updated_at;       /* stamped by the store on every put */
};

/* An event: one line of a deployment's history. */
struct store_event {
	int64_t id;               /* made by the store: increasing, never
				   * reused */
	int64_t time;             /* when it happened; 0 on append = now */
	const char *deployment;
	const char *execution;    /* or NULL */
	const char *instance_id;  /* or NULL */
	const char *operation;    /* or NULL */
	enum store_event_level level;
	const char *type;         /* "workflow_started", "log" ... */
	const char *message;
	json_t *data;             /* any extra JSON, or NULL */
};

/* Which events to list or count. Zero-initialise, then set what matters:
 * NULL strings and zero numbers mean "any". */
struct store_event_filter {
	const char *deployment;
	const char *execution;
	const char *instance_id;
	enum store_event_level min_level; /* DEBUG (0) = all */
	int64_t after_id;         /* only ids > after_id (a cursor) */
	unsigned limit;           /* at most this many, oldest first; 0 = all */
};

/* A modification of a deployment's instance set (scale out or in, heal). */
struct store_modification {
	const char *id;           /* uuid, made by the store */
	const char *deployment;
	const char *kind;         /* "scale", "heal" ... */
	enum store_mod_status status;
	json_t *added;            /* array of added instance ids */
	json_t *removed;          /* array of removed instance ids */
	int64_t created_at;
	int64_t ended_at;         /* 0 while started */
};

/* Free a record and everything it owns; each accepts NULL. */
void store_deployment_free(struct store_deployment *d);
void store_instance_free(struct store_instance *i);
void store_relationship_free(struct store_relationship *r);
void store_execution_free(struct store_execution *e);
void store_task_free(struct store_task *t);
void store_event_free(struct store_event *e);
void store_modification_free(struct store_modification *m);

typedef struct store_deployment store_deployment;
typedef struct store_instance store_instance;
typedef struct store_relationship store_relationship;
typedef struct store_execution store_execution;
typedef struct store_task store_task;
typedef struct store_event store_event;
typedef struct store_modification store_modification;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(store_deployment, store_deployment_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(store_instance, store_instance_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(store_relationship, store_relationship_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(store_execution, store_execution_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(store_task, store_task_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(store_event, store_event_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(store_modification, store_modification_free)

#endif
