/* cmd_events.c: `blueprint events [-d NAME] [--execution ID] [--level L]
 * [--follow] [--json]`: a deployment's events, oldest first, one per line
 * (events.c) or as JSON lines. --follow keeps printing new ones until the
 * execution ends (or Ctrl-C), with a live progress line on a terminal.
 *
 * Following polls the store with the event id as a cursor (store.h says
 * why no event is missed) a few times a second: a reader in another
 * process has no cheaper way to hear of a commit. */
#include "cli/cli.h"
#include "cli/output.h"
#include "store/store.h"
#include "util/mask.h"

#include <signal.h>
#include <string.h>

static const char usage[] =
	"[-d NAME] [--execution ID] [--level L] [--follow] [--json]";
static const char summary[] =
	"Print a deployment's events, oldest first: time, instance,\n"
	"operation, level and message, or JSON lines with --json. Levels are\n"
	"debug, info (the default; debug with -v), warning, error. --follow\n"
	"waits for new events until the execution (--execution, else the\n"
	"newest) has ended; Ctrl-C stops it.";

/* Time between two polls of the store while following. */
#define POLL_INTERVAL_US (150 * 1000)

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	interrupted = 1;
}

/* Prints the events after f->after_id and moves the cursor past them,
 * erasing the progress line (or NULL) first. */
static bool print_new(struct store *s, struct store_event_filter *f,
		      const struct cli_event_printer *pr,
		      struct cli_progress *progress, struct bp_error **err)
{
	g_autoptr(GPtrArray) list = NULL;

	if (!store_event_list(s, f, &list, err))
		return false;
	if (list->len && progress)
		cli_progress_clear(progress);
	for (guint i = 0; i < list->len; i++) {
		const struct store_event *e = list->pdata[i];
		cli_event_print(pr, e);
		f->after_id = e->id;
	}
	fflush(pr->out);
	return true;
}

/* The progress of execution `e` from its tasks as stored. */
static bool read_counts(struct store *s, const struct store_execution *e,
			struct cli_progress_counts *c, struct bp_error **err)
{
	g_autoptr(GPtrArray) tasks = NULL;

	if (!store_task_list(s, e->id, &tasks, err))
		return false;
	*c = (struct cli_progress_counts){ .total = tasks->len };
	for (guint i = 0; i < tasks->len; i++) {
		const struct store_task *t = tasks->pdata[i];
		c->retries += t->attempt > 1 ? (unsigned)t->attempt - 1 : 0;
		c->done += t->state == STORE_TASK_SUCCEEDED ||
			   t->state == STORE_TASK_FAILED;
		c->failures += t->state == STORE_TASK_FAILED;
		c->running += t->state == STORE_TASK_SENT;
		c->waiting += t->state == STORE_TASK_RETRYING;
	}
	if (e->started_at)
		c->elapsed = (double)(g_get_real_time() - e->started_at) /
			     G_USEC_PER_SEC;
	return true;
}

/* Prints new events until execution `exec_id` has ended and its last
 * events are printed, or until SIGINT. */
static bool follow(struct store *s, const char *exec_id,
		   struct store_event_filter *f,
		   const struct cli_event_printer *pr, bool quiet,
		   struct bp_error **err)
{
	struct sigaction sa = { .sa_handler = on_sigint }, old;
	struct cli_progress progress;
	bool ok = true;

	cli_progress_init(&progress, stderr, quiet || pr->json);
	interrupted = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	while (ok && !interrupted) {
		g_autoptr(store_execution) e = NULL;
		struct cli_progress_counts c;
		bool ended;

		/* The status first: events committed before it ended are
		 * then sure to be in the list read next. */
		ok = store_execution_get(s, exec_id, &e, err);
		if (!ok)
			break;
		ended = store_exec_status_finished(e->status);
		ok = print_new(s, f, pr, &progress, err);
		if (!ok || ended)
			break;
		if (progress.enabled && (ok = read_counts(s, e, &c, err)))
			cli_progress_draw(&progress, &c);
		g_usleep(POLL_INTERVAL_US);
	}
	cli_progress_clear(&progress);
	sigaction(SIGINT, &old, NULL);
	return ok;
}

/* The deployment and the execution the options mean: --execution names
 * its deployment (-d, if given too, must agree). */
static bool resolve(struct store *s, const char *dep_opt, const char *exec_opt,
		    char **dep_out, struct bp_error **err)
{
	g_autoptr(store_execution) e = NULL;

	if (!exec_opt)
		return cli_deployment_resolve(s, dep_opt, dep_out, err);
	if (!store_execution_get(s, exec_opt, &e, err))
		return false;
	if (dep_opt && strcmp(dep_opt, e->deployment) != 0) {
		bp_error_set(err, BP_ERR_USAGE, NULL, NULL, "execution '%s' is "
			     "of deployment '%s', not '%s'", exec_opt,
			     e->deployment, dep_opt);
		return false;
	}
	*dep_out = g_strdup(e->deployment);
	return true;
}

/* (transfer full) the id of the newest execution of `dep`, or NULL with
 * *err unset when it has none. */
static char *newest_execution(struct store *s, const char *dep,
			      struct bp_error **err)
{
	g_autoptr(GPtrArray) execs = NULL;

	if (!store_execution_list(s, dep, &execs, err) || !execs->len)
		return NULL;
	return g_strdup(((struct store_execution *)
			 execs->pdata[execs->len - 1])->id);
}

int cmd_events(int argc, char **argv, struct cli_ctx *ctx)
{
	g_autofree char *state_dir = NULL, *dep_opt = NULL;
	g_autofree char *exec_opt = NULL, *level = NULL;
	gboolean json = FALSE, follow_opt = FALSE;
	/* Remember to update the man page when changing the options. */
	const GOptionEntry entries[] = {
		CLI_STATE_OPTIONS(&state_dir, &dep_opt),
		{ "execution", 'e', 0, G_OPTION_ARG_STRING, &exec_opt,
		  "Only the events of this execution", "ID" },
		{ "level", 'l', 0, G_OPTION_ARG_STRING, &level,
		  "Only events of this level and above", "L" },
		{ "follow", 'f', 0, G_OPTION_ARG_NONE, &follow_opt,
		  "Wait for new events until the execution ends", NULL },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json,
		  "Print JSON lines", NULL },
		{ NULL }
	};
	g_autoptr(store) s = NULL;
	g_autoptr(bp_mask) mask = NULL;
	g_autofree char *dep = NULL, *target = NULL;
	struct store_event_filter f = { 0 };
	struct cli_event_printer pr;
	struct bp_error *err = NULL;

	if (!cli_parse_options(ctx, "events", usage, summary, entries, &argc,
			       &argv))
		return CLI_EXIT_USAGE;
	f.min_level = ctx->verbose ? STORE_LEVEL_DEBUG : STORE_LEVEL_INFO;
	if (argc != 1 || (level && !store_event_level_parse(level,
							     &f.min_level))) {
		if (argc == 1)
			fprintf(stderr, "%s events: unknown level '%s'; "
				"expected debug, info, warning or error\n",
				ctx->prog, level);
		fprintf(stderr, "usage: %s events %s\n", ctx->prog, usage);
		return CLI_EXIT_USAGE;
	}
	if (!cli_state_open(state_dir, &s, &err) ||
	    !resolve(s, dep_opt, exec_opt, &dep, &err) ||
	    !store_secret_mask(s, &mask, &err))
		return cli_error_exit(ctx, err);
	f.deployment = dep;
	f.execution = exec_opt;
	cli_event_printer_init(&pr, stdout, json, mask);
	if (follow_opt)
		target = exec_opt ? g_strdup(exec_opt)
				  : newest_execution(s, dep, &err);
	if (err)
		return cli_error_exit(ctx, err);
	if (target ? !follow(s, target, &f, &pr, ctx->quiet, &err)
		   : !print_new(s, &f, &pr, NULL, &err))
		return cli_error_exit(ctx, err);
	return CLI_EXIT_OK;
}
