/* exectest.c: scripted tasks and a recorder for the executor's tests. See
 * exectest.h. */
#include "exectest.h"

#include <string.h>

static void event_free(gpointer p)
{
	struct xt_event *e = p;

	g_free(e->task);
	g_free(e->message);
	g_free(e);
}

struct xt *xt_new(void)
{
	struct xt *x = g_new0(struct xt, 1);
	struct bp_error *err = NULL;

	x->g = exec_graph_new(&err);
	g_assert_null(err);
	g_mutex_init(&x->lock);
	g_cond_init(&x->cond);
	x->threads = g_hash_table_new(NULL, NULL);
	x->group_now = g_hash_table_new(g_str_hash, g_str_equal);
	x->group_max = g_hash_table_new(g_str_hash, g_str_equal);
	x->edges = g_ptr_array_new();
	x->events = g_ptr_array_new_with_free_func(event_free);
	return x;
}

void xt_free(struct xt *x)
{
	exec_graph_free(x->g);
	g_hash_table_unref(x->threads);
	g_hash_table_unref(x->group_now);
	g_hash_table_unref(x->group_max);
	g_ptr_array_unref(x->edges);
	g_ptr_array_unref(x->events);
	g_mutex_clear(&x->lock);
	g_cond_clear(&x->cond);
	g_free(x);
}

/* Waits on x->cond until cond(x, arg) holds, at most XT_WAIT_US; asserts
 * it held. Called with x->lock held. */
static void wait_locked(struct xt *x, bool (*cond)(struct xt *, gintptr),
			gintptr arg, const char *what)
{
	gint64 end = g_get_monotonic_time() + XT_WAIT_US;

	while (!cond(x, arg))
		if (!g_cond_wait_until(&x->cond, &x->lock, end) &&
		    !cond(x, arg))
			g_error("timed out waiting for %s", what);
}

static void group_add(GHashTable *h, const char *group, int d)
{
	int n = GPOINTER_TO_INT(g_hash_table_lookup(h, group)) + d;

	g_hash_table_insert(h, (gpointer)group, GINT_TO_POINTER(n));
}

static bool gate_open(struct xt *x, gintptr unused)
{
	return x->max_running >= (int)x->gate;
}

static bool is_released(struct xt *x, gintptr unused)
{
	return x->released;
}

static void call_begin(struct xt_task *t, unsigned attempt)
{
	struct xt *x = t->xt;

	g_mutex_lock(&x->lock);
	t->calls++;
	g_assert_cmpuint(attempt, ==, t->calls);
	g_assert_cmpint(t->active, ==, 0);
	t->active++;
	if (!t->start_seq)
		t->start_seq = ++x->seq;
	x->running++;
	x->max_running = MAX(x->max_running, x->running);
	g_hash_table_add(x->threads, g_thread_self());
	if (t->group) {
		group_add(x->group_now, t->group, 1);
		if (GPOINTER_TO_INT(g_hash_table_lookup(x->group_now, t->group)) >
		    xt_group_max(x, t->group))
			g_hash_table_insert(x->group_max, (gpointer)t->group,
				g_hash_table_lookup(x->group_now, t->group));
	}
	g_cond_broadcast(&x->cond);
	if (t->gated)
		wait_locked(x, gate_open, 0, "the parallelism gate");
	g_mutex_unlock(&x->lock);
}

static void call_end(struct xt_task *t)
{
	struct xt *x = t->xt;

	g_mutex_lock(&x->lock);
	t->active--;
	x->running--;
	if (t->group)
		group_add(x->group_now, t->group, -1);
	t->end_seq = ++x->seq;
	g_cond_broadcast(&x->cond);
	g_mutex_unlock(&x->lock);
}

/* 'H': holds until the executor cancels or abandons the call and has set
 * its deadline (on a cancel it follows the flag shortly), bounded. */
static bool call_told_to_stop(struct exec_ctx *ctx)
{
	return exec_ctx_cancelled(ctx) && exec_ctx_deadline(ctx) != G_MAXINT64;
}

static void hold_until_cancelled(struct xt_task *t, struct exec_ctx *ctx)
{
	gint64 end = g_get_monotonic_time() + XT_WAIT_US;

	while (!call_told_to_stop(ctx) && g_get_monotonic_time() < end)
		g_usleep(1000);
	g_assert_true(call_told_to_stop(ctx));
	g_mutex_lock(&t->xt->lock);
	t->saw_cancel = true;
	t->saw_deadline = exec_ctx_deadline(ctx);
	g_mutex_unlock(&t->xt->lock);
}

static enum exec_result task_run(void *payload, struct exec_ctx *ctx)
{
	struct xt_task *t = payload;
	unsigned a = exec_ctx_attempt(ctx);
	size_t len = strlen(t->script);
	char step = t->script[MIN(a, len) - 1];

	g_assert_cmpstr(exec_ctx_task_name(ctx), ==, t->name);
	call_begin(t, a);
	t->saw_deadline = exec_ctx_deadline(ctx);
	if (t->body) {
		enum exec_result r = t->body(t, ctx);

		call_end(t);
		return r;
	}
	if (t->body_us)
		g_usleep(t->body_us);
	if (step == 'H')
		hold_until_cancelled(t, ctx);
	if (step == 'B') {
		g_mutex_lock(&t->xt->lock);
		wait_locked(t->xt, is_released, 0, "xt_release()");
		g_mutex_unlock(&t->xt->lock);
	}
	call_end(t);
	switch (step) {
	case 'O':
		return EXEC_OK;
	case 'R':
		return exec_ctx_retry(ctx, t->retry_after, "not ready %u", a);
	case 'F':
	case 'H':
		return exec_ctx_fail(ctx, "failure %u", a);
	case 'X':
		return exec_ctx_fail_fatal(ctx, "fatal %u", a);
	case 'Z':
		return (enum exec_result)42;
	default:
		return EXEC_OK;
	}
}

static void task_free(void *payload)
{
	struct xt_task *t = payload;
	struct xt *x = t->xt;

	g_free(t->name);
	g_free(t->script);
	g_free(t);
	g_mutex_lock(&x->lock);
	x->freed++;
	g_cond_broadcast(&x->cond);
	g_mutex_unlock(&x->lock);
}

static const struct exec_task_ops task_ops = { task_run, task_free };

struct exec_task *xt_add(struct xt *x, const char *name, const char *script,
			 const struct exec_task_options *opts)
{
	struct xt_task *t = g_new0(struct xt_task, 1);

	t->xt = x;
	t->name = g_strdup(name);
	t->script = g_strdup(script);
	t->group = opts ? g_intern_string(opts->group) : NULL;
	return exec_graph_add(x->g, name, &task_ops, t, opts);
}

struct exec_task *xt_add_group(struct xt *x, const char *name,
			       const char *group, const char *script)
{
	struct exec_task_options o = EXEC_TASK_OPTIONS_INIT;

	o.group = group;
	return xt_add(x, name, script, &o);
}

struct xt_task *xt_of(struct exec_task *t)
{
	return exec_task_payload(t);
}

void xt_edge(struct xt *x, struct exec_task *before, struct exec_task *after)
{
	exec_graph_add_edge(x->g, before, after);
	g_ptr_array_add(x->edges, xt_of(before));
	g_ptr_array_add(x->edges, xt_of(after));
}

static bool hook(const struct exec_change *ch, void *data,
		 struct bp_error **err)
{
	struct xt *x = data;
	struct xt_task *t = xt_of(ch->task);
	bool ok = true;

	if (g_atomic_int_add(&x->in_hook, 1) != 0 ||
	    g_thread_self() != x->coordinator)
		x->hook_overlaps++;
	if (ch->new_state == EXEC_TASK_SUCCEEDED) {
		g_mutex_lock(&x->lock);
		t->commit_seq = ++x->seq;
		g_mutex_unlock(&x->lock);
		if (x->fail_task && strcmp(x->fail_task, t->name) == 0) {
			bp_error_set(err, BP_ERR_IO, NULL, NULL, "disk full");
			ok = false;
		}
	}
	g_atomic_int_add(&x->in_hook, -1);
	return ok;
}

static void on_event(const struct exec_change *ch, void *data)
{
	struct xt *x = data;
	struct xt_event *e = g_new0(struct xt_event, 1);

	e->task = g_strdup(exec_task_name(ch->task));
	e->from = ch->old_state;
	e->to = ch->new_state;
	e->result = ch->result;
	e->attempt = ch->attempt;
	e->delay = ch->delay;
	e->timed_out = ch->timed_out;
	e->message = g_strdup(ch->message);
	e->time = ch->time;
	g_mutex_lock(&x->lock);
	g_ptr_array_add(x->events, e);
	g_cond_broadcast(&x->cond);
	g_mutex_unlock(&x->lock);
}

bool xt_run(struct xt *x, const struct exec_options *opts,
	    struct bp_error **err)
{
	struct exec_options o = EXEC_OPTIONS_INIT;

	if (opts)
		o = *opts;
	o.on_task_state = hook;
	o.hook_data = x;
	o.on_event = on_event;
	o.event_data = x;
	x->coordinator = g_thread_self();
	return exec_run(x->g, &o, err);
}

void xt_run_ok(struct xt *x, const struct exec_options *opts)
{
	struct bp_error *err = NULL;

	if (!xt_run(x, opts, &err))
		g_error("run failed: %s", err ? err->message : "(no error)");
	g_assert_null(err);
}

char *xt_run_fails(struct xt *x, const struct exec_options *opts,
		   enum bp_error_code code)
{
	struct bp_error *err = NULL;
	char *msg;

	g_assert_false(xt_run(x, opts, &err));
	g_assert_nonnull(err);
	g_assert_cmpint(err->code, ==, code);
	msg = g_strdup(err->message);
	bp_error_free(err);
	return msg;
}

void xt_check_order(struct xt *x, bool committed)
{
	for (guint i = 0; i < x->edges->len; i += 2) {
		struct xt_task *before = x->edges->pdata[i];
		struct xt_task *after = x->edges->pdata[i + 1];

		if (!after->start_seq)
			continue;
		g_assert_cmpuint(before->end_seq, >, 0);
		g_assert_cmpuint(after->start_seq, >, before->end_seq);
		if (committed)
			g_assert_cmpuint(after->start_seq, >,
					 before->commit_seq);
	}
}

void xt_release(struct xt *x)
{
	g_mutex_lock(&x->lock);
	x->released = true;
	g_cond_broadcast(&x->cond);
	g_mutex_unlock(&x->lock);
}

void xt_wait_abandoned_returned(struct xt *x)
{
	gint64 end = g_get_monotonic_time() + XT_WAIT_US;
	struct exec_counters c;

	/* The executor signals nothing here; its counter is polled. */
	for (;;) {
		exec_graph_counters(x->g, &c);
		if (c.abandoned == 0)
			return;
		if (g_get_monotonic_time() > end)
			g_error("abandoned calls did not return");
		g_usleep(1000);
	}
}

static bool enough_freed(struct xt *x, gintptr n)
{
	return x->freed >= (unsigned)n;
}

void xt_wait_freed(struct xt *x, unsigned n)
{
	g_mutex_lock(&x->lock);
	wait_locked(x, enough_freed, n, "payloads to be freed");
	g_mutex_unlock(&x->lock);
}

static bool enough_running(struct xt *x, gintptr n)
{
	return x->running >= n;
}

void xt_wait_running(struct xt *x, int n)
{
	g_mutex_lock(&x->lock);
	wait_locked(x, enough_running, n, "calls to be running");
	g_mutex_unlock(&x->lock);
}

struct wanted_event {
	const char *task;
	enum exec_task_state to;
};

static bool has_event(struct xt *x, gintptr arg)
{
	const struct wanted_event *w = (const struct wanted_event *)arg;

	return xt_count(x, w->task, w->to) > 0;
}

void xt_wait_event(struct xt *x, const char *task, enum exec_task_state to)
{
	struct wanted_event w = { task, to };

	g_mutex_lock(&x->lock);
	wait_locked(x, has_event, (gintptr)&w, "an event");
	g_mutex_unlock(&x->lock);
}

/* Events are added by the listener on the coordinator thread, under
 * x->lock: other threads call this with the lock held. */
unsigned xt_count(struct xt *x, const char *task, enum exec_task_state to)
{
	unsigned n = 0;

	for (guint i = 0; i < x->events->len; i++) {
		struct xt_event *e = x->events->pdata[i];

		if (e->to == to && (!task || strcmp(task, e->task) == 0))
			n++;
	}
	return n;
}

const struct xt_event *xt_find(struct xt *x, const char *task,
			       enum exec_task_state to, unsigned n)
{
	for (guint i = 0; i < x->events->len; i++) {
		struct xt_event *e = x->events->pdata[i];

		if (e->to == to && strcmp(task, e->task) == 0 && n-- == 0)
			return e;
	}
	return NULL;
}

int xt_group_max(struct xt *x, const char *group)
{
	return GPOINTER_TO_INT(g_hash_table_lookup(x->group_max, group));
}
