/* record.c: what the coordinator commits for each change of a workflow
 * step: the executor's hook and flush (exec.h) for exec_workflow().
 *
 * The hook writes a change's records (instance state, runtime properties,
 * the task record, an event) into a transaction it opens at the first
 * change of a turn of the executor's loop; the flush commits it. So one
 * commit covers every step that finished in a turn and every start they
 * allowed (group commit), and since the executor hands an attempt to a
 * worker only after the flush, a step never starts before the state it
 * depends on is durable; an instance's `creating` is durable before its
 * create runs.
 *
 * An instance's state and runtime properties are written once per turn,
 * at the flush: within one transaction only the last value of a row is
 * ever seen, and an instance often finishes one step and starts the next
 * in the same turn.
 *
 * What a step's attempt left (step.c: changed instances, outputs, the
 * plugin's message) is read only for a change caused by a call that came
 * back: a timed-out attempt is still running, and its step is its own.
 */
#include "exec/internal.h"

#include <string.h>

/* Opens the turn's transaction on the first change. */
static bool txn(struct exec_wfrun *run, struct bp_error **err)
{
	if (run->txn)
		return true;
	if (!store_begin(run->env->store, err))
		return false;
	run->txn = true;
	return true;
}

/* Stores the live runtime properties of instance `in`. */
static bool store_props(struct exec_wfrun *run, const struct plan_instance *in,
			struct bp_error **err)
{
	struct exec_deployment *d = run->d;
	json_t *copy;
	bool ok;

	g_mutex_lock(&d->lock);
	copy = json_deep_copy(g_hash_table_lookup(d->runtime, in->id));
	g_mutex_unlock(&d->lock);
	ok = store_instance_set_props(run->env->store, d->id, in->id, copy,
				      STORE_ANY_VERSION, NULL, err);
	json_decref(copy);
	return ok;
}

/* Writes the states and runtime properties changed this turn. */
static bool write_pending(struct exec_wfrun *run, struct bp_error **err)
{
	GHashTableIter it;
	gpointer k, v;

	g_hash_table_iter_init(&it, run->dirty_states);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const struct plan_instance *in = k;
		if (!store_instance_set_state(run->env->store, run->d->id,
					      in->id, GPOINTER_TO_UINT(v),
					      STORE_ANY_VERSION, NULL, err))
			return false;
	}
	g_hash_table_iter_init(&it, run->dirty_props);
	while (g_hash_table_iter_next(&it, &k, NULL))
		if (!store_props(run, k, err))
			return false;
	return true;
}

bool exec__record_flush(void *data, struct bp_error **err)
{
	struct exec_wfrun *run = data;
	struct exec_counters c;
	bool ok;

	if (run->env->on_progress) {
		exec_graph_counters(run->eg, &c);
		run->env->on_progress(&c, run->env->event_data);
	}
	if (!run->txn)
		return true;
	run->txn = false;
	ok = write_pending(run, err);
	g_hash_table_remove_all(run->dirty_states);
	g_hash_table_remove_all(run->dirty_props);
	if (!ok) {
		store_rollback(run->env->store);
		return false;
	}
	return store_commit(run->env->store, err);
}

/* Records that `in` is now in state `name` (written at the flush). */
static bool set_state(struct exec_wfrun *run, const struct plan_instance *in,
		      const char *name, struct bp_error **err)
{
	enum store_instance_state st;

	if (!store_instance_state_parse(name, &st)) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "unknown instance "
			     "state '%s'", name);
		return false;
	}
	g_hash_table_insert(run->dirty_states, (gpointer)in, GUINT_TO_POINTER(st));
	g_mutex_lock(&run->d->lock);
	g_hash_table_insert(run->d->state, g_strdup(in->id),
			    GUINT_TO_POINTER(st));
	g_mutex_unlock(&run->d->lock);
	return true;
}

static bool put_task(struct exec_wfrun *run, const struct wf_step *s,
		     enum store_task_state st, unsigned attempt,
		     const char *message, json_t *outputs,
		     struct bp_error **err)
{
	char name[256];
	g_autofree char *safe = message ? exec__masked(run, message) : NULL;
	struct store_task t = { 0 };

	t.execution = run->execution;
	t.key = s->key;
	t.instance_id = s->rel ? s->rel->source->id :
			s->instance ? s->instance->id : NULL;
	t.target_id = s->rel ? s->rel->target->id : NULL;
	t.operation = s->interface ? exec__op_name(s, name, sizeof(name)) :
		      "state";
	t.state = st;
	t.attempt = attempt;
	t.message = safe;
	t.outputs = outputs;
	return store_task_put(run->env->store, &t, err);
}

bool exec__store_runtime(struct exec_step *es, struct bp_error **err)
{
	for (int i = 0; i < 2; i++)
		if (es->changed[i] && !store_props(es->run, es->changed[i], err))
			return false;
	return true;
}

/* The task state a task's end gives its record. */
static enum store_task_state task_state(enum exec_task_state s)
{
	return s == EXEC_TASK_SUCCEEDED ? STORE_TASK_SUCCEEDED :
	       STORE_TASK_FAILED;
}

/* Records the end of an attempt that came back from its call. */
static bool attempt_ended(struct exec_wfrun *run, struct exec_step *es,
			  const struct exec_change *c, struct bp_error **err)
{
	const struct wf_step *s = es->step;
	bool ok = c->new_state == EXEC_TASK_SUCCEEDED;

	for (int i = 0; i < 2; i++)
		if (es->changed[i])
			g_hash_table_add(run->dirty_props, (gpointer)es->changed[i]);
	if (ok && s->state_done && !set_state(run, s->instance, s->state_done,
					      err))
		return false;
	/* the record keeps how a task ended; a retry is in its event */
	if (c->new_state == EXEC_TASK_CANCELLED ||
	    c->new_state == EXEC_TASK_WAITING)
		return true;
	return put_task(run, s, task_state(c->new_state), c->attempt,
			ok ? es->message : c->message,
			ok ? es->outputs : NULL, err);
}

/* The event a change makes, if any. Its operation is the event's own
 * field, so the message names only what a state step records. */
static void change_event(struct exec_wfrun *run, const struct wf_step *s,
			 const struct exec_change *c)
{
	char name[256];
	const char *op = s->interface ? exec__op_name(s, name, sizeof(name)) :
			 NULL;
	g_autofree char *what = op ? g_strdup("") :
		g_strdup_printf("step to '%s' ", s->state_done);
	const char *msg = c->message;

	switch (c->new_state) {
	case EXEC_TASK_RUNNING:
		if (op)
			exec__notice(run, s->instance, op, STORE_LEVEL_INFO,
				     "task_started", "started%s",
				     c->attempt > 1 ? " again" : "");
		break;
	case EXEC_TASK_SUCCEEDED:
		if (op)
			exec__event(run, s->instance, op, STORE_LEVEL_INFO,
				    "task_succeeded", "done");
		break;
	case EXEC_TASK_WAITING:
		exec__event(run, s->instance, op, STORE_LEVEL_WARNING,
			    "task_retry", "%s%s; again in %.1f s", what,
			    msg ? msg : "retry", c->delay);
		break;
	case EXEC_TASK_FAILED:
		exec__event(run, s->instance, op, STORE_LEVEL_ERROR,
			    "task_failed", "%sfailed: %s", what,
			    msg ? msg : "unknown error");
		break;
	case EXEC_TASK_SKIPPED:
		exec__event(run, s->instance, op, STORE_LEVEL_WARNING,
			    "task_skipped", "%sskipped: a step it needs "
			    "failed", what);
		break;
	case EXEC_TASK_CANCELLED:
		if (c->old_state == EXEC_TASK_RUNNING)
			exec__event(run, s->instance, op, STORE_LEVEL_WARNING,
				    "task_cancelled", "%scancelled: %s", what,
				    msg ? msg : "the run stopped");
		break;
	default:
		break;
	}
}

bool exec__record_change(const struct exec_change *c, void *data,
			 struct bp_error **err)
{
	struct exec_wfrun *run = data;
	struct exec_step *es = exec_task_payload(c->task);
	const struct wf_step *s = es->step;
	bool returned = c->result != EXEC_NO_RESULT && !c->timed_out;

	if (!txn(run, err))
		return false;
	if (c->new_state == EXEC_TASK_RUNNING) {
		if (c->attempt == 1 && s->state_start &&
		    !set_state(run, s->instance, s->state_start, err))
			return false;
	} else if (returned && !attempt_ended(run, es, c, err)) {
		return false;
	} else if (!returned && c->new_state == EXEC_TASK_FAILED &&
		   !put_task(run, s, STORE_TASK_FAILED, c->attempt, c->message,
			     NULL, err)) {
		return false;
	}
	change_event(run, s, c);
	return true;
}
