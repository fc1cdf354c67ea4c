/* wfrun.c: exec_workflow(): one execution of a workflow's step graph on
 * the executor, recorded in the store (execution, tasks, events), resumed
 * when the same workflow was left unfinished. */
#include "exec/internal.h"

#include <string.h>
#include <unistd.h>

/* The run in progress, for exec_workflow_cancel() from a signal. */
static struct exec_wfrun *volatile current;

void exec_workflow_cancel(void)
{
	struct exec_wfrun *run = current;

	if (!run)
		return;
	g_atomic_int_set(&run->cancelled, 1);
	exec_cancel(run->eg);
}

void exec__mask_add(struct exec_wfrun *run, const char *value)
{
	if (!run)
		return;
	g_mutex_lock(&run->mask_lock);
	bp_mask_add(run->mask, value);
	g_mutex_unlock(&run->mask_lock);
}

char *exec__masked(struct exec_wfrun *run, const char *text)
{
	char *out;

	g_mutex_lock(&run->mask_lock);
	out = bp_mask_text(run->mask, text);
	g_mutex_unlock(&run->mask_lock);
	return out;
}

void exec_event(struct exec_env *env, const struct store_event *ev)
{
	struct bp_error *err = NULL;

	if (!store_event_append(env->store, ev, NULL, &err)) {
		struct store_event w = *ev;
		w.level = STORE_LEVEL_WARNING;
		w.type = "store_error";
		w.message = err->message;
		if (env->on_event)
			env->on_event(&w, env->event_data);
		bp_error_free(err);
	}
	if (env->on_event)
		env->on_event(ev, env->event_data);
}

/* An event of the run (masked): stored and passed on, or with `keep`
 * false only passed on. */
static void event_v(struct exec_wfrun *run, bool keep,
		    const struct plan_instance *in, const char *operation,
		    enum store_event_level level, const char *type,
		    const char *fmt, va_list ap) G_GNUC_PRINTF(7, 0);
static void event_v(struct exec_wfrun *run, bool keep,
		    const struct plan_instance *in, const char *operation,
		    enum store_event_level level, const char *type,
		    const char *fmt, va_list ap)
{
	struct store_event ev = { 0 };
	g_autofree char *text = g_strdup_vprintf(fmt, ap);
	g_autofree char *safe = exec__masked(run, text);

	ev.deployment = run->d->id;
	ev.execution = run->execution;
	ev.instance_id = in ? in->id : NULL;
	ev.operation = operation;
	ev.level = level;
	ev.type = type;
	ev.message = safe;
	if (keep) {
		exec_event(run->env, &ev);
	} else if (run->env->on_event) {
		ev.time = g_get_real_time();
		run->env->on_event(&ev, run->env->event_data);
	}
}

void exec__event(struct exec_wfrun *run, const struct plan_instance *in,
		 const char *operation, enum store_event_level level,
		 const char *type, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	event_v(run, true, in, operation, level, type, fmt, ap);
	va_end(ap);
}

void exec__notice(struct exec_wfrun *run, const struct plan_instance *in,
		  const char *operation, enum store_event_level level,
		  const char *type, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	event_v(run, false, in, operation, level, type, fmt, ap);
	va_end(ap);
}

/* The plugin an operation runs in, for per-plugin caps. */
static char *plugin_of(const struct wf_step *s)
{
	const char *impl = s->op ? s->op->implementation : NULL;
	const char *dot = impl ? strchr(impl, '.') : NULL;

	if (!impl)
		return NULL;
	if (!dot || strchr(impl, '/') || g_str_has_suffix(impl, ".sh") ||
	    g_str_has_suffix(impl, ".py"))
		return g_strdup("script");
	return g_strndup(impl, (size_t)(dot - impl));
}

/* The keys of the steps execution `id` has done (succeeded), as a set. */
static GHashTable *done_keys(struct exec_wfrun *run, struct bp_error **err)
{
	g_autoptr(GPtrArray) tasks = NULL;
	GHashTable *done = g_hash_table_new_full(g_str_hash, g_str_equal,
						 g_free, NULL);

	if (!store_task_list(run->env->store, run->execution, &tasks, err)) {
		g_hash_table_unref(done);
		return NULL;
	}
	for (guint i = 0; i < tasks->len; i++) {
		const struct store_task *t = tasks->pdata[i];
		if (t->state == STORE_TASK_SUCCEEDED)
			g_hash_table_add(done, g_strdup(t->key));
	}
	return done;
}

/* Caps the operations of each plugin in `groups` (the plugins the graph's
 * steps run in): --plugin-parallelism, else what the plugin declares. A
 * plugin that fails to load has no cap here; its first call reports why. */
static void set_group_caps(struct exec_wfrun *run, GHashTable *groups)
{
	struct exec_env *env = run->env;
	GHashTableIter it;
	gpointer name;

	g_hash_table_iter_init(&it, groups);
	while (g_hash_table_iter_next(&it, &name, NULL)) {
		gpointer cap = NULL;
		const struct plugin *p;

		if (env->plugin_caps &&
		    g_hash_table_lookup_extended(env->plugin_caps, name, NULL,
						 &cap)) {
			exec_graph_set_group_cap(run->eg, name,
						 GPOINTER_TO_UINT(cap));
			continue;
		}
		p = plugin_registry_get(env->plugins, name, NULL);
		if (p && plugin_parallelism(p))
			exec_graph_set_group_cap(run->eg, name,
						 plugin_parallelism(p));
	}
}

static bool build_graph(struct exec_wfrun *run, bool resuming,
			struct bp_error **err)
{
	struct exec_env *env = run->env;
	g_autofree struct exec_task **tasks = NULL;
	g_autoptr(GHashTable) done = NULL;
	g_autoptr(GHashTable) groups = g_hash_table_new_full(g_str_hash,
							     g_str_equal,
							     g_free, NULL);

	if (resuming && !(done = done_keys(run, err)))
		return false;
	run->eg = exec_graph_new(err);
	if (!run->eg)
		return false;
	tasks = g_new0(struct exec_task *, run->g->steps->len + 1);
	for (guint i = 0; i < run->g->steps->len; i++) {
		struct wf_step *s = run->g->steps->pdata[i];
		struct exec_task_options o = EXEC_TASK_OPTIONS_INIT;
		struct exec_step *es = g_new0(struct exec_step, 1);
		char *group = plugin_of(s);

		if (group)
			g_hash_table_add(groups, group);
		es->run = run;
		es->step = s;
		o.done = done && g_hash_table_contains(done, s->key);
		o.group = group;
		if (s->op) {
			o.max_retries = env->max_retries >= 0 ? env->max_retries :
					s->op->max_retries;
			/* `timeout` bounds an attempt and, unless a timeout
			 * is recoverable (retried up to max_retries), the
			 * whole task with its RETRY waits */
			if (s->op->timeout > 0) {
				o.attempt_timeout = s->op->timeout;
				if (!s->op->timeout_recoverable)
					o.timeout = s->op->timeout;
			}
			o.timeout_recoverable = s->op->timeout_recoverable;
		}
		tasks[i] = exec_graph_add(run->eg, s->key, &exec__step_ops, es,
					  &o);
	}
	for (guint i = 0; i < run->g->edges->len; i++) {
		struct wf_edge *e = &g_array_index(run->g->edges,
						   struct wf_edge, i);
		exec_graph_add_edge(run->eg, tasks[e->before], tasks[e->after]);
	}
	set_group_caps(run, groups);
	return true;
}

/* Finds the execution to resume, or records a new one. */
static bool start_execution(struct exec_wfrun *run, bool *resuming,
			    struct bp_error **err)
{
	struct exec_env *env = run->env;
	g_autoptr(store_execution) old = NULL;
	struct store_execution rec = { 0 };
	char *id = NULL;

	if (!store_execution_find_unfinished(env->store, run->d->id, &old, err))
		return false;
	if (old && !strcmp(old->workflow, run->g->name)) {
		run->execution = g_strdup(old->id);
		*resuming = true;
	} else {
		if (old && !store_execution_set_status(env->store, old->id,
				STORE_EXEC_FAILED, "abandoned: its process "
				"ended and another workflow ran", err))
			return false;
		rec.deployment = run->d->id;
		rec.workflow = run->g->name;
		rec.parameters = run->params ? run->params : json_object();
		rec.status = STORE_EXEC_PENDING;
		rec.command = env->command;
		if (!store_execution_create(env->store, &rec, &id, err)) {
			if (!run->params)
				json_decref(rec.parameters);
			return false;
		}
		if (!run->params)
			json_decref(rec.parameters);
		run->execution = id;
		*resuming = false;
	}
	return store_execution_set_owner(env->store, run->execution, getpid(),
					 env->command ? env->command : "", err) &&
	       store_execution_set_status(env->store, run->execution,
					  STORE_EXEC_STARTED, NULL, err);
}

void exec_report_release(struct exec_report *r)
{
	g_free(r->execution);
	if (r->failures)
		g_ptr_array_unref(r->failures);
	memset(r, 0, sizeof(*r));
}

static void report_failures(struct exec_wfrun *run, struct exec_report *rep)
{
	const GPtrArray *failed = exec_graph_failed(run->eg);

	rep->failures = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; failed && i < failed->len; i++) {
		struct exec_task *t = failed->pdata[i];
		struct exec_step *es = exec_task_payload(t);
		g_autofree char *msg = exec__masked(run, exec_task_message(t) ?
					      exec_task_message(t) : "failed");
		g_ptr_array_add(rep->failures, g_strdup_printf(
			"%s %s.%s: %s", es->step->instance ?
			es->step->instance->id : "deployment",
			es->step->interface ? es->step->interface : "",
			es->step->operation ? es->step->operation : "state",
			msg));
	}
}

bool exec_workflow(struct exec_env *env, struct exec_deployment *d,
		   struct wf_graph *g, json_t *params,
		   struct exec_report *report, struct bp_error **err)
{
	struct exec_wfrun run = { env, d, g, NULL, params };
	struct exec_options opts = EXEC_OPTIONS_INIT;
	struct bp_error *rerr = NULL;
	enum store_exec_status status;
	bool resuming = false;
	bool ok;

	memset(report, 0, sizeof(*report));
	g_mutex_init(&run.mask_lock);
	run.dirty_states = g_hash_table_new(NULL, NULL);
	run.dirty_props = g_hash_table_new(NULL, NULL);
	run.mask = bp_mask_new();
	ok = start_execution(&run, &resuming, err) &&
	     build_graph(&run, resuming, err);
	if (ok)
		exec__prepare(&run);
	report->execution = g_strdup(run.execution);
	if (ok) {
		exec__event(&run, NULL, NULL, STORE_LEVEL_INFO,
			    resuming ? "workflow_resumed" : "workflow_started",
			    "%s %s on deployment '%s' (%u steps)", resuming ?
			    "resuming" : "starting", g->name, d->id,
			    g->steps->len);
		if (env->parallelism)
			opts.parallelism = env->parallelism;
		opts.fail_fast = env->fail_fast;
		opts.ignore_failure = env->ignore_failure;
		opts.on_task_state = exec__record_change;
		opts.on_flush = exec__record_flush;
		opts.hook_data = &run;
		current = &run;
		ok = exec_run(run.eg, &opts, &rerr);
		current = NULL;
		/* Abandoned calls (timed out, or still running when the
		 * cancel's grace ended) use this run: wait until they are
		 * back. They were told (deadline, cancel flag). */
		exec_graph_wait_calls(run.eg);
		if (rerr) {
			/* it quotes the failed task's message */
			char *safe = exec__masked(&run, rerr->message);
			g_free(rerr->message);
			rerr->message = safe;
		}
		exec_graph_counters(run.eg, &report->counters);
		report_failures(&run, report);
		report->cancelled = rerr && rerr->code == BP_ERR_CANCELLED;
		status = ok ? STORE_EXEC_SUCCEEDED : report->cancelled ?
			 STORE_EXEC_CANCELLED : STORE_EXEC_FAILED;
		exec__event(&run, NULL, NULL, ok ? STORE_LEVEL_INFO :
			    STORE_LEVEL_ERROR, ok ? "workflow_succeeded" :
			    "workflow_failed", "%s %s", g->name, ok ?
			    "succeeded" : report->cancelled ? "was cancelled" :
			    "failed");
		if (!store_execution_set_status(env->store, run.execution,
						status, rerr ? rerr->message :
						NULL, ok ? err : NULL))
			ok = false;
		if (rerr)
			bp_error_propagate(err, rerr);
	}
	exec_graph_free(run.eg);
	exec__prepared_release(&run);
	g_hash_table_unref(run.dirty_states);
	g_hash_table_unref(run.dirty_props);
	g_free(run.execution);
	bp_mask_free(run.mask);
	g_mutex_clear(&run.mask_lock);
	return ok;
}
