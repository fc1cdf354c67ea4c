/* run.c: what the commands that run workflows share: the options of a run
 * (--parallelism, --plugin-parallelism, --max-retries, --fail-fast), the
 * environment a run gets (store, plugins, types), Ctrl-C, and printing what
 * happened. */
#include "cli/cli.h"
#include "cli/run.h"
#include "exec/deploy.h"

#include <malloc.h>
#include <signal.h>
#include <string.h>

/* Every event as one line (stderr), or as JSON lines on stdout with
 * --json; a task's start with -v only, warnings and errors only with -q.
 * Lines are gathered and written once per turn of the executor (or when
 * the run ends), before its commit: one write for a turn's events instead
 * of one per event. */
static void print_event(const struct store_event *ev, void *data)
{
	struct cli_run *r = data;
	struct store_event e = *ev;
	g_autofree char *line = NULL;

	if (r->ctx->quiet && ev->level < STORE_LEVEL_WARNING)
		return;
	if (!r->ctx->verbose && (ev->level == STORE_LEVEL_DEBUG ||
				 !g_strcmp0(ev->type, "task_started")))
		return;
	if (!e.time)
		e.time = g_get_real_time();
	line = cli_event_line(&r->printer, &e);
	g_mutex_lock(&r->pending_lock);
	g_string_append(r->pending, line);
	g_string_append_c(r->pending, '\n');
	g_mutex_unlock(&r->pending_lock);
}

/* Writes the event lines gathered so far, taking the progress line down
 * first (the next draw puts it back). */
static void write_pending(struct cli_run *r)
{
	if (!r->pending)
		return;
	g_mutex_lock(&r->pending_lock);
	if (r->pending->len) {
		cli_progress_clear(&r->progress);
		fwrite(r->pending->str, 1, r->pending->len, r->printer.out);
		fflush(r->printer.out);
		g_string_truncate(r->pending, 0);
	}
	g_mutex_unlock(&r->pending_lock);
}

/* At every turn of the executor: the events of the turn, then the
 * progress line, at most ten times a second. */
static void print_progress(const struct exec_counters *c, void *data)
{
	struct cli_run *r = data;
	gint64 now = g_get_monotonic_time();
	struct cli_progress_counts pc = {
		c->done, c->total, c->running, c->waiting, c->retries,
		c->failures, (double)(now - r->started) / G_USEC_PER_SEC,
	};

	write_pending(r);
	if (!r->progress.enabled || (r->progress.shown &&
				     now - r->drawn < G_USEC_PER_SEC / 10))
		return;
	r->drawn = now;
	cli_progress_draw(&r->progress, &pc);
}

void cli_run_plugins(struct cli_run *r, const char *blueprint_dir)
{
	g_auto(GStrv) path = plugin_search_path(blueprint_dir);

	plugin_registry_free(r->plugins);
	r->plugins = plugin_registry_new((const char *const *)path);
	r->env.plugins = r->plugins;
}

bool cli_run_open(struct cli_run *r, const char *name,
		  struct exec_deployment **out, struct bp_error **err)
{
	g_autoptr(store_deployment) rec = NULL;
	g_autofree char *dir = NULL;

	if (!store_deployment_get(r->store, name, &rec, err))
		return false;
	dir = g_path_get_dirname(rec->blueprint_path);
	cli_run_plugins(r, dir);
	*out = exec_deployment_open(&r->env, name, err);
	return *out != NULL;
}

/* A run commits thousands of SQLite transactions, each allocating and
 * freeing page buffers at the top of the heap; glibc then gives that top
 * back to the kernel on nearly every free (brk, with a TLB flush on every
 * core), which cost more than half of an install's CPU time. Keeping up to
 * 64 MB of free heap stops that. */
static void keep_heap(void)
{
#ifdef M_TRIM_THRESHOLD
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
}

void cli_run_init(struct cli_run *r, struct cli_ctx *ctx, int argc,
		  char **argv)
{
	g_autofree char *args = g_strjoinv(" ", argv);

	memset(r, 0, sizeof(*r));
	r->ctx = ctx;
	r->max_retries = -1;
	r->pending = g_string_new(NULL);
	g_mutex_init(&r->pending_lock);
	r->cmdline = g_strconcat(ctx->prog, " ", args, NULL);
}

bool cli_run_env_init(struct cli_run *r, struct cli_ctx *ctx,
		      struct bp_error **err)
{
	keep_heap();
	r->ctx = ctx;
	r->env.command = r->cmdline;
	r->types_dirs = cli_types_dirs();
	if (!cli_state_open(r->state_dir, &r->store, err))
		return false;
	r->env.store = r->store;
	r->env.types_dirs = (const char *const *)r->types_dirs;
	r->env.parallelism = r->parallelism > 0 ? (unsigned)r->parallelism : 0;
	r->env.max_retries = r->max_retries;
	r->env.fail_fast = r->fail_fast;
	r->env.ignore_failure = r->ignore_failure;
	r->env.on_event = print_event;
	r->env.on_progress = print_progress;
	r->env.event_data = r;
	cli_event_printer_init(&r->printer, r->json ? stdout : stderr,
			       r->json, NULL);
	cli_progress_init(&r->progress, stderr, ctx->quiet || r->json);
	r->started = g_get_monotonic_time();
	if (r->plugin_parallelism) {
		r->env.plugin_caps = g_hash_table_new_full(g_str_hash,
							   g_str_equal,
							   g_free, NULL);
		for (size_t i = 0; r->plugin_parallelism[i]; i++) {
			const char *eq = strchr(r->plugin_parallelism[i], '=');
			guint64 cap;
			if (!eq || !g_ascii_string_to_unsigned(eq + 1, 10, 1,
							       100000, &cap,
							       NULL)) {
				bp_error_set(err, BP_ERR_USAGE, NULL, NULL,
					     "expected PLUGIN=N for "
					     "--plugin-parallelism, got '%s'",
					     r->plugin_parallelism[i]);
				return false;
			}
			g_hash_table_insert(r->env.plugin_caps,
				g_strndup(r->plugin_parallelism[i],
					  (size_t)(eq - r->plugin_parallelism[i])),
				GUINT_TO_POINTER((guint)cap));
		}
	}
	return true;
}

void cli_run_release(struct cli_run *r)
{
	write_pending(r);
	if (r->pending) {
		g_string_free(r->pending, TRUE);
		g_mutex_clear(&r->pending_lock);
	}
	store_lock_free(r->lock);
	if (r->env.plugin_caps)
		g_hash_table_unref(r->env.plugin_caps);
	plugin_registry_free(r->plugins);
	store_free(r->store);
	g_strfreev(r->types_dirs);
	g_strfreev(r->plugin_parallelism);
	g_free(r->state_dir);
	g_free(r->deployment);
	g_free(r->cmdline);
	memset(r, 0, sizeof(*r));
}

bool cli_run_begin(struct cli_run *r, struct exec_deployment **out,
		   struct bp_error **err)
{
	g_autofree char *name = NULL;

	*out = NULL;
	if (!cli_run_env_init(r, r->ctx, err) ||
	    !cli_deployment_resolve(r->store, r->deployment, &name, err))
		return false;
	if (!r->dry_run && !store_lock_acquire(r->store, name, r->cmdline,
					       &r->lock, err))
		return false;
	return cli_run_open(r, name, out, err);
}

int cli_run_graph(struct cli_run *r, struct exec_deployment *d,
		  struct wf_graph *g, json_t *params)
{
	if (r->dry_run) {
		cli_print_steps(g);
		return CLI_EXIT_OK;
	}
	return cli_run_workflow(r, d, g, params) ? CLI_EXIT_OK :
	       CLI_EXIT_FAILED;
}

int cli_run_end(struct cli_run *r, struct bp_error *err, int rc)
{
	if (err) {
		cli_print_error(r->ctx, err);
		if (err->code == BP_ERR_USAGE)
			rc = CLI_EXIT_USAGE;
		bp_error_free(err);
	}
	cli_run_release(r);
	return rc;
}

/* Steps in waves: a step's wave is one past the latest of its
 * predecessors'. */
void cli_print_steps(const struct wf_graph *g)
{
	guint n = g->steps->len;
	g_autofree guint *wave = g_new0(guint, n + 1);
	guint waves = 0;
	bool changed = true;

	for (guint i = 0; i < n; i++)
		wave[i] = 1;
	while (changed) {
		changed = false;
		for (guint e = 0; e < g->edges->len; e++) {
			const struct wf_edge *ed = &g_array_index(
				g->edges, struct wf_edge, e);
			if (wave[ed->after] <= wave[ed->before]) {
				wave[ed->after] = wave[ed->before] + 1;
				changed = true;
			}
		}
	}
	for (guint i = 0; i < n; i++)
		waves = MAX(waves, wave[i]);
	printf("%s: %u steps in %u waves (steps in one wave run in "
	       "parallel)\n", g->name, n, waves);
	for (guint w = 1; w <= waves; w++) {
		printf("wave %u:\n", w);
		for (guint i = 0; i < n; i++)
			if (wave[i] == w)
				printf("  %s\n", ((struct wf_step *)
						  g->steps->pdata[i])->key);
	}
}

static void on_sigint(int sig)
{
	exec_workflow_cancel();
}

bool cli_run_guarded(struct cli_run *r, const char *name, cli_work_fn fn,
		     void *data)
{
	struct exec_report rep;
	struct bp_error *err = NULL;
	struct sigaction sa = { 0 }, old;
	bool ok;

	/* The first Ctrl-C cancels; a second one kills (SA_RESETHAND): the
	 * state is committed as it goes, so even that leaves it sound. */
	sa.sa_handler = on_sigint;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	ok = fn(r, data, &rep, &err);
	sigaction(SIGINT, &old, NULL);
	write_pending(r);
	cli_progress_clear(&r->progress);
	r->cancelled = rep.cancelled;
	/* every failure, also those --ignore-failure went past */
	for (guint i = 0; rep.failures && i < rep.failures->len; i++)
		fprintf(stderr, "  failed: %s\n",
			(char *)rep.failures->pdata[i]);
	if (!ok) {
		if (err)
			cli_print_error(r->ctx, err);
	} else if (!r->ctx->quiet && !r->json) {
		printf("%s: %u steps done%s%s%s\n", name,
		       rep.counters.succeeded, rep.execution ?
		       " (execution " : "", rep.execution ? rep.execution : "",
		       rep.execution ? ")" : "");
	}
	bp_error_free(err);
	exec_report_release(&rep);
	return ok;
}

struct graph_work {
	struct exec_deployment *d;
	struct wf_graph *g;
	json_t *params;
};

static bool run_graph(struct cli_run *r, void *data, struct exec_report *rep,
		      struct bp_error **err)
{
	struct graph_work *w = data;

	return exec_workflow(&r->env, w->d, w->g, w->params, rep, err);
}

bool cli_run_workflow(struct cli_run *r, struct exec_deployment *d,
		      struct wf_graph *g, json_t *params)
{
	struct graph_work w = { d, g, params };

	return cli_run_guarded(r, g->name, run_graph, &w);
}
