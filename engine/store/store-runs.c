/* store-runs.c: the front end of executions, operation tasks, events and
 * modifications — the "what happened" half of the store. Each call checks
 * its arguments, takes the handle (store-int.h), makes ids, stamps times
 * and forwards to the backend. Contracts are in store.h. */
#include "store/store-int.h"

/* ---- Executions ------------------------------------------------------- */

static bool check_status(enum store_exec_status status, struct bp_error **err)
{
	if (store_exec_status_name(status))
		return true;
	bp_error_set(err, BP_ERR_INVALID, NULL, NULL,
		     "invalid execution status %d", (int)status);
	return false;
}

bool store_execution_create(struct store *s, const struct store_execution *e,
			    char **id_out, struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = NULL;
	g_autofree char *id = NULL;
	struct store_execution row = *e;
	const char *rec = "an execution";

	if (!store__require(e->deployment, rec, "deployment", err) ||
	    !store__require(e->workflow, rec, "workflow", err) ||
	    !store__require_json(e->parameters, JSON_OBJECT, rec, "parameters",
				 err) ||
	    !check_status(e->status, err))
		return false;
	id = store__uuid_new();
	row.id = id;
	row.created_at = g_get_real_time();
	row.started_at = e->status == STORE_EXEC_STARTED ? row.created_at : 0;
	row.ended_at = store_exec_status_finished(e->status) ? row.created_at
							     : 0;
	hold = store__hold(s);
	if (!s->be->execution_create(s->be, &row, err))
		return false;
	*id_out = g_steal_pointer(&id);
	return true;
}

bool store_execution_get(struct store *s, const char *id,
			 struct store_execution **out, struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = store__hold(s);

	return s->be->execution_get(s->be, id, out, err);
}

bool store_execution_list(struct store *s, const char *deployment,
			  GPtrArray **out, struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = store__hold(s);

	return s->be->execution_list(s->be, deployment, out, err);
}

bool store_execution_set_status(struct store *s, const char *id,
				enum store_exec_status status,
				const char *error, struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = NULL;
	g_autofree char *masked = NULL;

	if (!check_status(status, err))
		return false;
	hold = store__hold(s);
	if (!store__mask_text(s, error, &masked, err))
		return false;
	return s->be->execution_set_status(s->be, id, status, masked,
					   g_get_real_time(), err);
}

bool store_execution_set_owner(struct store *s, const char *id, int64_t pid,
			       const char *command, struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = store__hold(s);

	return s->be->execution_set_owner(s->be, id, pid, command, err);
}

bool store_execution_find_unfinished(struct store *s, const char *deployment,
				     struct store_execution **out,
				     struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = store__hold(s);

	return s->be->execution_find_unfinished(s->be, deployment, out, err);
}

/* ---- Operation tasks -------------------------------------------------- */

bool store_task_put(struct store *s, const struct store_task *t,
		    struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = NULL;
	g_autofree char *masked = NULL;
	struct store_task row = *t;
	const char *rec = "a task";

	if (!store__require(t->execution, rec, "execution", err) ||
	    !store__require(t->key, rec, "key", err) ||
	    !store__require(t->operation, rec, "operation", err))
		return false;
	if (!store_task_state_name(t->state)) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL,
			     "invalid task state %d", (int)t->state);
		return false;
	}
	hold = store__hold(s);
	if (!store__mask_text(s, t->message, &masked, err))
		return false;
	row.message = masked;
	return s->be->task_put(s->be, &row, g_get_real_time(), err);
}

bool store_task_get(struct store *s, const char *execution, const char *key,
		    struct store_task **out, struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = store__hold(s);

	return s->be->task_get(s->be, execution, key, out, err);
}

bool store_task_done(struct store *s, const char *execution, const char *key,
		     bool *done_out, struct bp_error **err)
{
	g_autoptr(store_task) t = NULL;
	g_autoptr(bp_error) e = NULL;

	if (store_task_get(s, execution, key, &t, &e)) {
		*done_out = t->state == STORE_TASK_SUCCEEDED;
		return true;
	}
	if (e->code == BP_ERR_NOT_FOUND) {
		*done_out = false;
		return true;
	}
	bp_error_propagate(err, g_steal_pointer(&e));
	return false;
}

bool store_task_list(struct store *s, const char *execution, GPtrArray **out,
		     struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = store__hold(s);

	return s->be->task_list(s->be, execution, out, err);
}

bool store_task_outputs(struct store *s, const char *deployment,
			const char *instance_id, const char *operation,
			json_t **out, struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = store__hold(s);

	return s->be->task_outputs(s->be, deployment, instance_id, operation,
				   out, err);
}

/* ---- Events ----------------------------------------------------------- */

bool store_event_append(struct store *s, const struct store_event *e,
			int64_t *id_out, struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = NULL;
	g_autofree char *message = NULL;
	json_t *data = NULL;
	struct store_event row = *e;
	const char *rec = "an event";
	bool ok;

	if (!store__require(e->deployment, rec, "deployment", err) ||
	    !store__require(e->type, rec, "type", err) ||
	    !store__require(e->message, rec, "message", err))
		return false;
	if (!store_event_level_name(e->level)) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL,
			     "invalid event level %d", (int)e->level);
		return false;
	}
	if (!row.time)
		row.time = g_get_real_time();
	hold = store__hold(s);
	if (!store__mask_text(s, e->message, &message, err) ||
	    !store__mask_json(s, e->data, &data, err))
		return false;
	row.message = message;
	row.data = data;
	ok = s->be->event_append(s->be, &row, id_out, err);
	json_decref(data);
	return ok;
}

bool store_event_list(struct store *s, const struct store_event_filter *f,
		      GPtrArray **out, struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = store__hold(s);

	return s->be->event_list(s->be, f, out, err);
}

bool store_event_count(struct store *s, const struct store_event_filter *f,
		       uint64_t *count_out, struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = store__hold(s);

	return s->be->event_count(s->be, f, count_out, err);
}

/* ---- Modifications ---------------------------------------------------- */

bool store_modification_create(struct store *s,
			       const struct store_modification *m,
			       char **id_out, struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = NULL;
	g_autofree char *id = NULL;
	struct store_modification row = *m;
	const char *rec = "a modification";

	if (!store__require(m->deployment, rec, "deployment", err) ||
	    !store__require(m->kind, rec, "kind", err) ||
	    !store__require_json(m->added, JSON_ARRAY, rec, "added", err) ||
	    !store__require_json(m->removed, JSON_ARRAY, rec, "removed", err))
		return false;
	id = store__uuid_new();
	row.id = id;
	row.status = STORE_MOD_STARTED;
	row.created_at = g_get_real_time();
	row.ended_at = 0;
	hold = store__hold(s);
	if (!s->be->modification_create(s->be, &row, err))
		return false;
	*id_out = g_steal_pointer(&id);
	return true;
}

bool store_modification_get(struct store *s, const char *id,
			    struct store_modification **out,
			    struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = store__hold(s);

	return s->be->modification_get(s->be, id, out, err);
}

bool store_modification_list(struct store *s, const char *deployment,
			     GPtrArray **out, struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = store__hold(s);

	return s->be->modification_list(s->be, deployment, out, err);
}

bool store_modification_end(struct store *s, const char *id,
			    enum store_mod_status status,
			    struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = NULL;

	if (status != STORE_MOD_FINISHED && status != STORE_MOD_ROLLED_BACK) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL,
			     "a modification ends 'finished' or 'rolled_back', "
			     "not '%s'", store_mod_status_name(status) ?
			     store_mod_status_name(status) : "?");
		return false;
	}
	hold = store__hold(s);
	return s->be->modification_end(s->be, id, status, g_get_real_time(),
				       err);
}
