/* scale.c: scaling a deployment (scale.h): the plan's change recorded as
 * a modification, the scale workflow, and the modification's end:
 * finished, rolled back, or left started for exec_scale_resume(). */
#include "exec/scale.h"
#include "exec/internal.h"

#include <string.h>

void exec_scale_release(struct exec_scale *s)
{
	wf_graph_free(s->graph);
	json_decref(s->gone);
	plan_modification_release(&s->undo);
	plan_modification_release(&s->mod);
	g_strfreev(s->named);
	g_free(s->target);
	g_free(s->modification);
	g_free(s->reopen);
	memset(s, 0, sizeof(*s));
}

/* (transfer full) the ids of `instances` (struct plan_instance *). */
static json_t *ids_of(const GPtrArray *instances)
{
	json_t *a = json_array();

	for (guint i = 0; instances && i < instances->len; i++)
		json_array_append_new(a, json_string(((const struct
			plan_instance *)instances->pdata[i])->id));
	return a;
}

/* (transfer full, g_strfreev) the ids of the `n` instances `inst` that a
 * scale of `target` may name: instances of the node, or every one for a
 * group. */
static char **names_for(const struct plan_instance *const *inst,
			size_t n, const struct plan *p, const char *target)
{
	GPtrArray *out = g_ptr_array_new();
	bool group = plan_group_find(p, target) >= 0;

	for (size_t i = 0; i < n; i++)
		if (inst[i] && (group || !strcmp(inst[i]->node->name, target)))
			g_ptr_array_add(out, g_strdup(inst[i]->id));
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}

/* Builds the graph of s->mod (scale out or in), or of s->undo when
 * rolling back. */
static bool build_graph(struct exec_deployment *d, struct exec_scale *s,
			struct bp_error **err)
{
	struct wf_state_lookup states;

	exec_deployment_states(d, &states);
	wf_graph_free(g_steal_pointer(&s->graph));
	if (s->rollback)
		return wf_scale_in(d->plan, &s->undo, &states, &s->graph, err);
	if (s->delta > 0)
		return wf_scale_out(d->plan, &s->mod, &states, &s->graph, err);
	return wf_scale_in(d->plan, &s->mod, &states, &s->graph, err);
}

bool exec_scale_plan(struct exec_deployment *d, const char *target, int delta,
		     const char *const *named, struct exec_scale *out,
		     struct bp_error **err)
{
	memset(out, 0, sizeof(*out));
	plan_modification_init(&out->undo);
	if (delta == 0) {
		plan_modification_init(&out->mod);
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "nothing to "
			     "scale: '%s' by 0 instances", target);
		exec_scale_release(out);
		return false;
	}
	target = plan_scaling_target(d->plan, target);
	if (!plan_scale(d->plan, target, delta, named, &out->mod, err)) {
		exec_scale_release(out);
		return false;
	}
	out->target = g_strdup(target);
	out->delta = delta;
	out->named = g_strdupv((char **)named);
	if (!build_graph(d, out, err)) {
		exec_scale_release(out);
		return false;
	}
	return true;
}

bool exec_scale_open(struct exec_env *env, const char *id,
		     struct store_modification **out, struct bp_error **err)
{
	g_autoptr(GPtrArray) mods = NULL;

	*out = NULL;
	if (!store_modification_list(env->store, id, &mods, err))
		return false;
	for (guint i = 0; i < mods->len; i++) {
		struct store_modification *m = mods->pdata[i];
		if (m->status == STORE_MOD_STARTED)
			*out = g_ptr_array_steal_index(mods, i);
		if (*out)
			break;
	}
	return true;
}

/* Stores the modification, and for a scale out the new instances and
 * relationship instances, in one transaction. */
static bool record_start(struct exec_env *env, struct exec_deployment *d,
			 struct exec_scale *s, struct bp_error **err)
{
	g_autoptr(GPtrArray) insts = g_ptr_array_new_with_free_func(
		(GDestroyNotify)store_instance_free);
	g_autoptr(GPtrArray) rels = g_ptr_array_new_with_free_func(
		(GDestroyNotify)store_relationship_free);
	struct store_modification m = { 0 };
	bool ok;

	m.deployment = d->id;
	m.kind = "scale";
	m.added = ids_of(s->mod.added);
	m.removed = ids_of(s->mod.removed);
	for (guint i = 0; i < s->mod.added->len; i++)
		g_ptr_array_add(insts, exec__instance_record(
			d, s->mod.added->pdata[i]));
	for (guint i = 0; i < s->mod.added_rels->len; i++)
		g_ptr_array_add(rels, exec__rel_record(
			d, s->mod.added_rels->pdata[i]));
	ok = store_begin(env->store, err);
	if (ok && (!store_modification_create(env->store, &m, &s->modification,
					      err) ||
		   !store_instance_insert(env->store, insts, err) ||
		   !store_relationship_insert(env->store, rels, err) ||
		   !store_commit(env->store, err))) {
		store_rollback(env->store);
		ok = false;
	}
	json_decref(m.added);
	json_decref(m.removed);
	for (guint i = 0; ok && i < insts->len; i++)
		exec__track(d, ((struct store_instance *)insts->pdata[i])->id);
	return ok;
}

/* Ends the modification with `status`, deleting the records of the
 * instances `gone` (a JSON array of ids) in the same transaction. */
static bool record_end(struct exec_env *env, struct exec_deployment *d,
		       const char *modification, const json_t *gone,
		       enum store_mod_status status, struct bp_error **err)
{
	size_t i;
	json_t *v;

	if (!store_begin(env->store, err))
		return false;
	json_array_foreach(gone, i, v) {
		if (!store_instance_delete(env->store, d->id,
					   json_string_value(v), err)) {
			store_rollback(env->store);
			return false;
		}
	}
	if (!store_modification_end(env->store, modification, status, err) ||
	    !store_commit(env->store, err)) {
		store_rollback(env->store);
		return false;
	}
	json_array_foreach(gone, i, v)
		exec__untrack(d, json_string_value(v));
	return true;
}

/* What a finished run leaves: nothing for a scale out, the removed
 * instances for a scale in, the new ones for a rollback. */
static bool finish(struct exec_env *env, struct exec_deployment *d,
		   struct exec_scale *s, struct bp_error **err)
{
	json_t *gone = s->gone ? json_incref(s->gone) :
		       ids_of(s->rollback ? s->undo.removed :
			      s->delta < 0 ? s->mod.removed : NULL);
	bool ok = record_end(env, d, s->modification, gone, s->rollback ?
			     STORE_MOD_ROLLED_BACK : STORE_MOD_FINISHED, err);

	json_decref(gone);
	return ok;
}

/* The execution's parameters, with Cloudify's names for the scale
 * workflow's and two of ours: enough for exec_scale_resume(). */
static json_t *params_of(const struct exec_scale *s, bool no_rollback)
{
	json_t *named = json_array();

	for (size_t i = 0; s->named && s->named[i]; i++)
		json_array_append_new(named, json_string(s->named[i]));
	return json_pack("{s:s, s:i, s:o, s:b, s:s, s:b}",
			 "scalable_entity_name", s->target, "delta", s->delta,
			 "include_instances", named, "rollback_if_failed",
			 !no_rollback, "modification", s->modification,
			 "rollback", s->rollback);
}

/* Turns a failed scale out into a rollback: the new instances are taken
 * out of the plan again and their uninstall graph built. */
static bool plan_rollback(struct exec_deployment *d, struct exec_scale *s,
			  struct bp_error **err)
{
	g_auto(GStrv) names = names_for((const struct plan_instance *const *)
					s->mod.added->pdata, s->mod.added->len,
					d->plan, s->target);

	plan_modification_release(&s->undo);
	if (!plan_scale(d->plan, s->target, -s->delta,
			(const char *const *)names, &s->undo, err))
		return false;
	s->rollback = true;
	return build_graph(d, s, err);
}

/* Runs the rollback of a failed scale out; sets *err to `failure` with
 * what became of the rollback. Returns false. */
static bool roll_back(struct exec_env *env, struct exec_deployment *d,
		      struct exec_scale *s, struct bp_error *failure,
		      struct bp_error **err)
{
	struct exec_report rep;
	struct bp_error *e = NULL;
	json_t *params;
	bool ok;

	ok = plan_rollback(d, s, &e);
	if (ok) {
		params = params_of(s, false);
		ok = exec_workflow(env, d, s->graph, params, &rep, &e) &&
		     finish(env, d, s, &e);
		json_decref(params);
		exec_report_release(&rep);
	}
	if (ok)
		bp_error_set(err, failure->code, NULL, NULL, "%s; the new "
			     "instances were rolled back", failure->message);
	else
		bp_error_set(err, failure->code, NULL, NULL, "%s; rolling back "
			     "the new instances failed too: %s",
			     failure->message, e ? e->message : "");
	bp_error_free(e);
	bp_error_free(failure);
	return false;
}

bool exec_scale_run(struct exec_env *env, struct exec_deployment *d,
		    struct exec_scale *s, bool rollback,
		    struct exec_report *report, struct bp_error **err)
{
	g_autoptr(store_modification) open = NULL;
	struct bp_error *e = NULL;
	json_t *params;
	bool ok;

	memset(report, 0, sizeof(*report));
	if (!s->modification) {
		if (!exec_scale_open(env, d->id, &open, err))
			return false;
		if (open) {
			bp_error_set(err, BP_ERR_CONFLICT, NULL, NULL,
				     "deployment '%s' has a scale that did "
				     "not end (modification %s); run "
				     "'blueprint resume' first", d->id,
				     open->id);
			return false;
		}
		if (!record_start(env, d, s, err))
			return false;
	}
	if (s->finish_only)
		return finish(env, d, s, err);
	if (s->reopen && !store_execution_set_status(env->store, s->reopen,
						     STORE_EXEC_STARTED, NULL,
						     err))
		return false;
	params = params_of(s, !rollback);
	ok = exec_workflow(env, d, s->graph, params, report, &e);
	json_decref(params);
	if (ok)
		return finish(env, d, s, err);
	if (s->delta < 0 || s->rollback || !rollback || report->cancelled) {
		bp_error_propagate(err, e);
		return false;
	}
	return roll_back(env, d, s, e, err);
}

/* ---- resume ------------------------------------------------------------ */

/* (transfer full) the newest execution of d that ran modification `id`, or
 * NULL. */
static bool last_execution(struct exec_env *env, const char *deployment,
			   const char *id, struct store_execution **out,
			   struct bp_error **err)
{
	g_autoptr(GPtrArray) all = NULL;

	*out = NULL;
	if (!store_execution_list(env->store, deployment, &all, err))
		return false;
	for (guint i = all->len; i-- > 0;) {
		struct store_execution *x = all->pdata[i];
		const char *m = json_string_value(json_object_get(
			x->parameters, "modification"));
		if (!strcmp(x->workflow, "scale") && !g_strcmp0(m, id)) {
			*out = g_ptr_array_steal_index(all, i);
			break;
		}
	}
	return true;
}

/* The plan's instances named in `ids` (a JSON array), in plan order. */
static GPtrArray *instances_of(const struct plan *p, const json_t *ids,
			       struct bp_error **err)
{
	GPtrArray *out = g_ptr_array_new();
	size_t i;
	json_t *v;

	json_array_foreach(ids, i, v) {
		struct plan_instance *x = plan_instance_find(
			p, json_string_value(v));
		if (!x) {
			bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "the "
				     "scale's node instance '%s' is not in the "
				     "deployment", json_string_value(v));
			g_ptr_array_unref(out);
			return NULL;
		}
		g_ptr_array_add(out, x);
	}
	return out;
}

static gint by_seq(gconstpointer a, gconstpointer b)
{
	const struct plan_instance *x = *(const struct plan_instance *const *)a;
	const struct plan_instance *y = *(const struct plan_instance *const *)b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The modification of a scale out whose instances are in the plan: them
 * (hosts first), their relationship instances and those that reach them
 * from older instances. */
static bool added_mod(const struct plan *p, const json_t *ids,
		      struct plan_modification *mod, struct bp_error **err)
{
	g_autoptr(GPtrArray) added = instances_of(p, ids, err);
	g_autoptr(GHashTable) set = g_hash_table_new(NULL, NULL);

	if (!added)
		return false;
	g_ptr_array_sort(added, by_seq);
	for (guint i = 0; i < added->len; i++)
		g_hash_table_add(set, added->pdata[i]);
	for (guint i = 0; i < added->len; i++) {
		struct plan_instance *x = added->pdata[i];
		g_ptr_array_add(mod->added, x);
		g_ptr_array_extend(mod->added_rels, x->rels, NULL, NULL);
	}
	for (guint i = 0; i < added->len; i++) {
		struct plan_instance *x = added->pdata[i];
		for (guint k = 0; k < x->incoming->len; k++) {
			struct plan_rel *r = x->incoming->pdata[k];
			if (!g_hash_table_contains(set, r->source))
				g_ptr_array_add(mod->added_rels, r);
		}
	}
	return true;
}

/* Fills s from the parameters of the execution that ran it. */
static bool from_params(struct exec_scale *s, const json_t *params,
			struct bp_error **err)
{
	const json_t *named = json_object_get(params, "include_instances");
	GPtrArray *names = g_ptr_array_new();
	size_t i;
	json_t *v;

	json_array_foreach(named, i, v)
		g_ptr_array_add(names, g_strdup(json_string_value(v)));
	g_ptr_array_add(names, NULL);
	s->named = (char **)g_ptr_array_free(names, FALSE);
	s->target = g_strdup(json_string_value(json_object_get(
		params, "scalable_entity_name")));
	s->delta = (int)json_integer_value(json_object_get(params, "delta"));
	s->rollback = json_is_true(json_object_get(params, "rollback"));
	s->no_rollback = json_is_false(json_object_get(params,
						       "rollback_if_failed"));
	if (s->target && s->delta)
		return true;
	bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "the scale execution "
		     "does not say what it scaled (no 'scalable_entity_name' "
		     "or 'delta' in its parameters)");
	return false;
}

/* Plans the undo of scale out `m` from its added instances. */
static bool resume_rollback(struct exec_deployment *d, struct exec_scale *s,
			    const struct store_modification *m,
			    struct bp_error **err)
{
	g_autoptr(GPtrArray) added = instances_of(d->plan, m->added, err);
	g_auto(GStrv) names = NULL;

	if (!added)
		return false;
	names = names_for((const struct plan_instance *const *)added->pdata,
			  added->len, d->plan, s->target);
	if (!plan_scale(d->plan, s->target, -s->delta,
			(const char *const *)names, &s->undo, err))
		return false;
	return build_graph(d, s, err);
}

bool exec_scale_resume(struct exec_env *env, struct exec_deployment *d,
		       const struct store_modification *m,
		       struct exec_scale *out, struct bp_error **err)
{
	g_autoptr(store_execution) last = NULL;
	bool ok;

	memset(out, 0, sizeof(*out));
	plan_modification_init(&out->mod);
	plan_modification_init(&out->undo);
	out->modification = g_strdup(m->id);
	if (!last_execution(env, d->id, m->id, &last, err))
		return exec_scale_release(out), false;
	if (!last) {
		/* recorded, never started: nothing ran, drop it */
		out->rollback = out->finish_only = true;
		out->gone = json_incref(m->added);
		return true;
	}
	if (!from_params(out, last->parameters, err))
		return exec_scale_release(out), false;
	if (last->status == STORE_EXEC_SUCCEEDED) {
		out->finish_only = true;
		out->gone = json_incref(out->rollback ? m->added :
					out->delta < 0 ? m->removed : NULL);
		if (!out->gone)
			out->gone = json_array();
		return true;
	}
	/* failed or cancelled: resumed as if it had been killed, so its
	 * finished steps are not run again (exec_scale_run() reopens it) */
	if (store_exec_status_finished(last->status))
		out->reopen = g_strdup(last->id);
	if (out->rollback)
		ok = resume_rollback(d, out, m, err);
	else if (out->delta > 0)
		ok = added_mod(d->plan, m->added, &out->mod, err) &&
		     build_graph(d, out, err);
	else
		ok = plan_scale(d->plan, out->target, out->delta,
				(const char *const *)out->named, &out->mod,
				err) &&
		     build_graph(d, out, err);
	if (!ok)
		exec_scale_release(out);
	return ok;
}
