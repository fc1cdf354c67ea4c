/* graph.c: building a task graph (tasks, edges, cap groups), reading it
 * back, the counters, cancellation and the cycle check a run starts with.
 *
 * The graph is reference counted only so that abandoned calls can keep it
 * alive after its owner freed it (see exec.h); the owner sees a plain
 * new/free pair.
 */
#include "exec/exec-int.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* Most task names a cycle message lists before "...". */
#define CYCLE_NAMES_MAX 8

static const char *const state_names[EXEC_TASK_STATE_COUNT] = {
	[EXEC_TASK_PENDING] = "pending",
	[EXEC_TASK_READY] = "ready",
	[EXEC_TASK_RUNNING] = "running",
	[EXEC_TASK_WAITING] = "waiting",
	[EXEC_TASK_SUCCEEDED] = "succeeded",
	[EXEC_TASK_FAILED] = "failed",
	[EXEC_TASK_SKIPPED] = "skipped",
	[EXEC_TASK_CANCELLED] = "cancelled",
	[EXEC_TASK_NOT_RUN] = "not run",
};

const char *exec_task_state_name(enum exec_task_state s)
{
	return (unsigned)s < EXEC_TASK_STATE_COUNT ? state_names[s] : "unknown";
}

bool exec_task_state_final(enum exec_task_state s)
{
	return s >= EXEC_TASK_SUCCEEDED && s < EXEC_TASK_STATE_COUNT;
}

void exec_options_init(struct exec_options *opts)
{
	*opts = (struct exec_options)EXEC_OPTIONS_INIT;
}

static void group_free(gpointer p)
{
	struct exec_group *grp = p;

	g_queue_clear(&grp->parked);
	g_free(grp->name);
	g_free(grp);
}

static void task_free(gpointer p)
{
	struct exec_task *t = p;

	if (t->ops->free)
		t->ops->free(t->payload);
	if (t->succ)
		g_ptr_array_unref(t->succ);
	g_free(t->message);
	g_free(t->name);
	g_free(t);
}

struct exec_graph *exec_graph_new(struct bp_error **err)
{
	struct exec_graph *g;
	int fds[2];

	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0) {
		bp_error_set(err, BP_ERR_IO, NULL, NULL,
			     "cannot create the executor's wakeup pipe: %s",
			     g_strerror(errno));
		return NULL;
	}
	g = g_new0(struct exec_graph, 1);
	g->refs = 1;
	g->tasks = g_ptr_array_new_with_free_func(task_free);
	g->groups = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
					  group_free);
	g->wake[0] = fds[0];
	g->wake[1] = fds[1];
	atomic_init(&g->cancel, false);
	g->failed = g_ptr_array_new();
	g_mutex_init(&g->lock);
	g_cond_init(&g->returned);
	g_queue_init(&g->completed);
	return g;
}

void exec__graph_ref(struct exec_graph *g)
{
	g_atomic_int_inc(&g->refs);
}

void exec_graph_free(struct exec_graph *g)
{
	if (g && g_atomic_int_dec_and_test(&g->refs))
		exec__graph_destroy(g);
}

void exec__graph_destroy(struct exec_graph *g)
{
	g_ptr_array_unref(g->failed);
	g_ptr_array_unref(g->tasks);
	g_hash_table_unref(g->groups);
	g_mutex_clear(&g->lock);
	g_cond_clear(&g->returned);
	close(g->wake[0]);
	close(g->wake[1]);
	g_free(g);
}

static struct exec_group *group_get(struct exec_graph *g, const char *name)
{
	struct exec_group *grp = g_hash_table_lookup(g->groups, name);

	if (grp)
		return grp;
	grp = g_new0(struct exec_group, 1);
	grp->name = g_strdup(name);
	g_queue_init(&grp->parked);
	g_hash_table_insert(g->groups, grp->name, grp);
	return grp;
}

struct exec_task *exec_graph_add(struct exec_graph *g, const char *name,
				 const struct exec_task_ops *ops, void *payload,
				 const struct exec_task_options *opts)
{
	static const struct exec_task_options defaults =
		EXEC_TASK_OPTIONS_INIT;
	struct exec_task *t;

	g_return_val_if_fail(!g->ran && ops && ops->run && name, NULL);
	if (!opts)
		opts = &defaults;
	t = g_new0(struct exec_task, 1);
	t->graph = g;
	t->name = g_strdup(name);
	t->ops = ops;
	t->payload = payload;
	t->group = opts->group ? group_get(g, opts->group) : NULL;
	t->max_retries = opts->max_retries;
	t->timeout = opts->timeout;
	t->attempt_timeout = opts->attempt_timeout;
	t->timeout_recoverable = opts->timeout_recoverable;
	t->state = opts->done ? EXEC_TASK_SUCCEEDED : EXEC_TASK_PENDING;
	t->deadline = G_MAXINT64;
	g_ptr_array_add(g->tasks, t);
	g_mutex_lock(&g->lock);
	g->by_state[t->state]++;
	g_mutex_unlock(&g->lock);
	return t;
}

void exec_graph_add_edge(struct exec_graph *g, struct exec_task *before,
			 struct exec_task *after)
{
	g_return_if_fail(!g->ran && before->graph == g && after->graph == g);
	if (!before->succ)
		before->succ = g_ptr_array_new();
	g_ptr_array_add(before->succ, after);
}

void exec_graph_set_group_cap(struct exec_graph *g, const char *name,
			      unsigned cap)
{
	g_return_if_fail(!g->ran && name);
	group_get(g, name)->cap = cap;
}

void exec__graph_wake(struct exec_graph *g)
{
	static const char byte = 1;
	ssize_t n;

	/* EAGAIN: the pipe is full, so a wakeup is pending anyway. */
	do
		n = write(g->wake[1], &byte, 1);
	while (n < 0 && errno == EINTR);
}

void exec_cancel(struct exec_graph *g)
{
	int saved = errno;

	atomic_store(&g->cancel, true);
	exec__graph_wake(g);
	errno = saved;
}

void exec_graph_wait_calls(struct exec_graph *g)
{
	g_mutex_lock(&g->lock);
	while (g->abandoned > 0)
		g_cond_wait(&g->returned, &g->lock);
	g_mutex_unlock(&g->lock);
}

void exec_graph_counters(struct exec_graph *g, struct exec_counters *out)
{
	const unsigned *n = g->by_state;

	g_mutex_lock(&g->lock);
	*out = (struct exec_counters){
		.total = g->tasks->len,
		.succeeded = n[EXEC_TASK_SUCCEEDED],
		.failed = n[EXEC_TASK_FAILED],
		.skipped = n[EXEC_TASK_SKIPPED],
		.cancelled = n[EXEC_TASK_CANCELLED],
		.not_run = n[EXEC_TASK_NOT_RUN],
		.pending = n[EXEC_TASK_PENDING],
		.ready = n[EXEC_TASK_READY],
		.running = n[EXEC_TASK_RUNNING],
		.waiting = n[EXEC_TASK_WAITING],
		.retries = g->retries,
		.failures = g->failures,
		.abandoned = g->abandoned,
	};
	g_mutex_unlock(&g->lock);
	out->done = out->succeeded + out->failed + out->skipped +
		    out->cancelled + out->not_run;
}

const GPtrArray *exec_graph_failed(const struct exec_graph *g)
{
	return g->failed;
}

const char *exec_task_name(const struct exec_task *t)
{
	return t->name;
}

void *exec_task_payload(const struct exec_task *t)
{
	return t->payload;
}

enum exec_task_state exec_task_state(const struct exec_task *t)
{
	return t->state;
}

unsigned exec_task_attempts(const struct exec_task *t)
{
	return t->attempts;
}

const char *exec_task_message(const struct exec_task *t)
{
	return t->message;
}

bool exec_task_timed_out(const struct exec_task *t)
{
	return t->timed_out;
}

/* ---- Cycle check: an iterative depth-first search ---------------------- */

enum { WHITE, GREY, BLACK };

struct dfs_frame {
	struct exec_task *t;
	guint next;   /* index of the next successor to look at */
};

/* Sets *err naming the cycle that closes at `back`: the frames from the one
 * of `back` to the top of the stack. */
static bool cycle_error(GArray *stack, struct exec_task *back,
			struct bp_error **err)
{
	g_autoptr(GString) s = g_string_new(NULL);
	guint first = stack->len - 1;
	guint n;

	while (g_array_index(stack, struct dfs_frame, first).t != back)
		first--;
	for (n = 0; first + n < stack->len && n < CYCLE_NAMES_MAX; n++)
		g_string_append_printf(s, "'%s' -> ",
			g_array_index(stack, struct dfs_frame, first + n).t->name);
	if (first + n < stack->len)
		g_string_append(s, "... -> ");
	g_string_append_printf(s, "'%s'", back->name);
	bp_error_set(err, BP_ERR_INVALID, NULL, NULL,
		     "cycle in the task graph: %s", s->str);
	return false;
}

static bool dfs_from(struct exec_task *root, GArray *stack,
		     struct bp_error **err)
{
	struct dfs_frame f = { root, 0 };

	root->visit = GREY;
	g_array_append_val(stack, f);
	while (stack->len) {
		struct dfs_frame *top = &g_array_index(stack, struct dfs_frame,
						       stack->len - 1);
		struct exec_task *t = top->t, *s;

		if (!t->succ || top->next == t->succ->len) {
			t->visit = BLACK;
			g_array_set_size(stack, stack->len - 1);
			continue;
		}
		s = t->succ->pdata[top->next++];
		if (s->visit == GREY)
			return cycle_error(stack, s, err);
		if (s->visit == WHITE) {
			struct dfs_frame next = { s, 0 };

			s->visit = GREY;
			g_array_append_val(stack, next);
		}
	}
	return true;
}

bool exec__graph_check_cycles(struct exec_graph *g, struct bp_error **err)
{
	g_autoptr(GArray) stack = g_array_new(FALSE, FALSE,
					      sizeof(struct dfs_frame));

	for (guint i = 0; i < g->tasks->len; i++)
		((struct exec_task *)g->tasks->pdata[i])->visit = WHITE;
	for (guint i = 0; i < g->tasks->len; i++) {
		struct exec_task *t = g->tasks->pdata[i];

		if (t->visit == WHITE && !dfs_from(t, stack, err))
			return false;
	}
	return true;
}
