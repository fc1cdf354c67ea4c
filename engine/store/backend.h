/* backend.h: the table of functions a storage backend implements.
 *
 * store.c is the front end: it owns the mutex that serialises callers,
 * validates arguments, makes ids (uuids) and reads the clock; a backend only
 * stores and fetches records. SQLite (store/sqlite.c) is the embedded
 * backend; a PostgreSQL one plugs in later by filling the same table.
 * The pattern is libgit2's git_odb_backend: a versioned struct of function
 * pointers, embedded as the first member of the backend's private struct.
 *
 * Rules for a backend:
 * - The front end calls it from one thread at a time (under its mutex), so
 *   a backend needs no locking of its own.
 * - Every function returns true on success, or false with *err set and
 *   nothing changed (a multi-row write is all or none).
 * - begin/commit/rollback nest: only the outermost pair is a real
 *   transaction; the functions that write several rows use them too.
 * - Arguments and records are as store.h documents them, already checked;
 *   `now` is the time to stamp, in microseconds (records.h).
 * - Version: a backend sets `version` to the STORE_BACKEND_VERSION it was
 *   built against; the front end refuses any other. New slots are appended
 *   and the version bumped.
 */
#ifndef BP_STORE_BACKEND_H
#define BP_STORE_BACKEND_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include <jansson.h>

#include "store/records.h"
#include "util/error.h"

#define STORE_BACKEND_VERSION 1

struct store_backend {
	unsigned version;          /* STORE_BACKEND_VERSION */
	const char *name;          /* "sqlite" */

	void (*free)(struct store_backend *be);
	bool (*check)(struct store_backend *be, struct bp_error **err);

	bool (*begin)(struct store_backend *be, struct bp_error **err);
	bool (*commit)(struct store_backend *be, struct bp_error **err);
	void (*rollback)(struct store_backend *be);

	bool (*deployment_create)(struct store_backend *be,
				  const struct store_deployment *d,
				  struct bp_error **err);
	bool (*deployment_get)(struct store_backend *be, const char *id,
			       struct store_deployment **out,
			       struct bp_error **err);
	bool (*deployment_list)(struct store_backend *be, GPtrArray **out,
				struct bp_error **err);
	bool (*deployment_set_outputs)(struct store_backend *be,
				       const char *id, json_t *outputs,
				       int64_t now, struct bp_error **err);
	bool (*deployment_delete)(struct store_backend *be, const char *id,
				  struct bp_error **err);

	bool (*instance_insert)(struct store_backend *be, GPtrArray *instances,
				struct bp_error **err);
	bool (*instance_get)(struct store_backend *be, const char *deployment,
			     const char *id, struct store_instance **out,
			     struct bp_error **err);
	bool (*instance_list)(struct store_backend *be, const char *deployment,
			      const char *node, GPtrArray **out,
			      struct bp_error **err);
	bool (*instance_set_state)(struct store_backend *be,
				   const char *deployment, const char *id,
				   enum store_instance_state state,
				   int64_t expect_version,
				   int64_t *version_out,
				   struct bp_error **err);
	bool (*instance_set_props)(struct store_backend *be,
				   const char *deployment, const char *id,
				   json_t *props, int64_t expect_version,
				   int64_t *version_out,
				   struct bp_error **err);
	bool (*instance_delete)(struct store_backend *be,
				const char *deployment, const char *id,
				struct bp_error **err);

	bool (*relationship_insert)(struct store_backend *be, GPtrArray *rels,
				    struct bp_error **err);
	bool (*relationship_list)(struct store_backend *be,
				  const char *deployment,
				  const char *source_id,
				  const char *target_id, GPtrArray **out,
				  struct bp_error **err);
	bool (*relationship_delete_touching)(struct store_backend *be,
					     const char *deployment,
					     const char *instance_id,
					     unsigned *count_out,
					     struct bp_error **err);

	/* e->id, e->created_at (and started_at) are filled by the front end. */
	bool (*execution_create)(struct store_backend *be,
				 const struct store_execution *e,
				 struct bp_error **err);
	bool (*execution_get)(struct store_backend *be, const char *id,
			      struct store_execution **out,
			      struct bp_error **err);
	bool (*execution_list)(struct store_backend *be, const char *deployment,
			       GPtrArray **out, struct bp_error **err);
	bool (*execution_set_status)(struct store_backend *be, const char *id,
				     enum store_exec_status status,
				     const char *error, int64_t now,
				     struct bp_error **err);
	bool (*execution_set_owner)(struct store_backend *be, const char *id,
				    int64_t pid, const char *command,
				    struct bp_error **err);
	bool (*execution_find_unfinished)(struct store_backend *be,
					  const char *deployment,
					  struct store_execution **out,
					  struct bp_error **err);

	bool (*task_put)(struct store_backend *be, const struct store_task *t,
			 int64_t now, struct bp_error **err);
	bool (*task_get)(struct store_backend *be, const char *execution,
			 const char *key, struct store_task **out,
			 struct bp_error **err);
	bool (*task_list)(struct store_backend *be, const char *execution,
			  GPtrArray **out, struct bp_error **err);
	bool (*task_outputs)(struct store_backend *be, const char *deployment,
			     const char *instance_id, const char *operation,
			     json_t **out, struct bp_error **err);

	/* e->time is already stamped. */
	bool (*event_append)(struct store_backend *be,
			     const struct store_event *e, int64_t *id_out,
			     struct bp_error **err);
	bool (*event_list)(struct store_backend *be,
			   const struct store_event_filter *f, GPtrArray **out,
			   struct bp_error **err);
	bool (*event_count)(struct store_backend *be,
			    const struct store_event_filter *f,
			    uint64_t *count_out, struct bp_error **err);

	/* m->id and m->created_at are filled by the front end. */
	bool (*modification_create)(struct store_backend *be,
				    const struct store_modification *m,
				    struct bp_error **err);
	bool (*modification_get)(struct store_backend *be, const char *id,
				 struct store_modification **out,
				 struct bp_error **err);
	bool (*modification_list)(struct store_backend *be,
				  const char *deployment, GPtrArray **out,
				  struct bp_error **err);
	bool (*modification_end)(struct store_backend *be, const char *id,
				 enum store_mod_status status, int64_t now,
				 struct bp_error **err);

	bool (*secret_set)(struct store_backend *be, const char *key,
			   const char *value, int64_t now,
			   struct bp_error **err);
	bool (*secret_get)(struct store_backend *be, const char *key,
			   char **value_out, struct bp_error **err);
	bool (*secret_list)(struct store_backend *be, GPtrArray **out,
			    struct bp_error **err);
	bool (*secret_delete)(struct store_backend *be, const char *key,
			      struct bp_error **err);
};

/* Fault injection (fault.c): a backend calls this before each database
 * call and fails that call as an I/O error when it returns true. */
bool store__fault_hit(void);

/* Opens the SQLite backend on the existing directory `state_dir`
 * (state.db and secrets.db in it, created 0600 when absent; schema
 * migrated). Sets *out (transfer full, be->free) or fails with BP_ERR_IO /
 * BP_ERR_INVALID. */
bool store_sqlite_open(const char *state_dir, struct store_backend **out,
		       struct bp_error **err);

#endif
