/* run.h: what the commands that run workflows (install, uninstall, scale,
 * heal, exec, run, resume) share: their common options, the environment a
 * workflow runs with, and Ctrl-C handling. */
#ifndef BP_CLI_RUN_H
#define BP_CLI_RUN_H

#include "cli/cli.h"
#include "cli/output.h"
#include "exec/deploy.h"

struct cli_run {
	struct cli_ctx *ctx;
	char *cmdline;                 /* owned: "blueprint COMMAND ARGS",
					  for the lock and the execution */
	/* options, filled by GOption through CLI_RUN_OPTIONS */
	char *state_dir;
	char *deployment;
	int parallelism;
	char **plugin_parallelism;     /* PLUGIN=N ... */
	int max_retries;               /* -1 unless given */
	gboolean fail_fast;
	gboolean ignore_failure;
	gboolean dry_run;
	gboolean json;                 /* events as JSON lines on stdout */
	/* printing what happens */
	struct cli_event_printer printer;
	struct cli_progress progress;
	GString *pending;              /* event lines not written yet */
	GMutex pending_lock;           /* guards `pending`: plugins log from
					  worker threads */
	gint64 started;                /* g_get_monotonic_time() */
	gint64 drawn;                  /* when the line was last drawn */
	/* the outcome of the last cli_run_workflow() */
	bool cancelled;                /* it was cancelled (Ctrl-C) */
	/* set up by cli_run_env_init */
	char **types_dirs;
	struct store *store;
	struct plugin_registry *plugins;
	struct store_lock *lock;
	struct exec_env env;
};

/* The options every workflow command takes, after CLI_STATE_OPTIONS. */
#define CLI_RUN_OPTIONS(r)                                                   \
	CLI_STATE_OPTIONS(&(r)->state_dir, &(r)->deployment),               \
	{ "parallelism", 0, 0, G_OPTION_ARG_INT, &(r)->parallelism,         \
	  "Most operations at once (default 20)", "N" },                      \
	{ "plugin-parallelism", 0, 0, G_OPTION_ARG_STRING_ARRAY,             \
	  &(r)->plugin_parallelism,                                          \
	  "Most operations of one plugin at once (repeatable)", "PLUGIN=N" }, \
	{ "max-retries", 0, 0, G_OPTION_ARG_INT, &(r)->max_retries,         \
	  "Retries of a failed operation (default: the operation's, or 5)",  \
	  "N" },                                                             \
	{ "fail-fast", 0, 0, G_OPTION_ARG_NONE, &(r)->fail_fast,             \
	  "Start no new operation after the first failure", NULL },          \
	{ "dry-run", 0, 0, G_OPTION_ARG_NONE, &(r)->dry_run,                 \
	  "Print the steps in order, running nothing", NULL },               \
	{ "json", 0, 0, G_OPTION_ARG_NONE, &(r)->json,                       \
	  "Events as JSON lines on stdout", NULL }

/* Sets the options' defaults and remembers the command line (argv[0] is
 * the command's name); call before parsing the options. */
void cli_run_init(struct cli_run *r, struct cli_ctx *ctx, int argc,
		  char **argv);

/* Opens the store, resolves the deployment (-d NAME, else the only one),
 * takes its execution lock (not for --dry-run, which changes nothing) and
 * opens the deployment into *out. */
bool cli_run_begin(struct cli_run *r, struct exec_deployment **out,
		   struct bp_error **err);

/* Runs `g` with `params` (borrowed, may be NULL) recorded as its
 * execution's, or with --dry-run prints its steps. Returns the exit
 * code. */
int cli_run_graph(struct cli_run *r, struct exec_deployment *d,
		  struct wf_graph *g, json_t *params);

/* Prints `err` (consumed; may be NULL) and releases r. Returns `rc`, or
 * CLI_EXIT_USAGE for a BP_ERR_USAGE error. */
int cli_run_end(struct cli_run *r, struct bp_error *err, int rc);

/* The commands that more than one command runs: heal (cmd_heal.c) with
 * its parameters (node_instance_id, force_reinstall; consumed), trying the
 * heal operation and falling back to the reinstall; a scale (cmd_scale.c),
 * planned or resumed, with its rollback. Each returns the exit code. */
int cli_heal(struct cli_run *r, struct exec_deployment *d, json_t *params);
struct exec_scale;
int cli_scale(struct cli_run *r, struct exec_deployment *d,
	      struct exec_scale *s, bool rollback);

/* Runs workflow `name` by name (cmd_run.c) with `params` (consumed): one
 * the blueprint declares, or a built-in one. Returns the exit code; on
 * failure before anything ran, *err may say why. */
int cli_run_named(struct cli_run *r, struct exec_deployment *d,
		  const char *name, json_t *params, struct bp_error **err);

/* Opens the store and fills r->env from the options. */
bool cli_run_env_init(struct cli_run *r, struct cli_ctx *ctx,
		      struct bp_error **err);
/* Makes the plugin registry: the plugin path with `blueprint_dir`'s
 * plugins/ folder (may be NULL). */
void cli_run_plugins(struct cli_run *r, const char *blueprint_dir);
/* Opens deployment `name` with the plugins beside its blueprint. */
bool cli_run_open(struct cli_run *r, const char *name,
		  struct exec_deployment **out, struct bp_error **err);
/* Releases what cli_run_env_init and the options hold (and the lock). */
void cli_run_release(struct cli_run *r);

/* Work that runs workflows on a deployment: fills *rep (also on
 * failure) and returns true when it succeeded, false with *err set. */
typedef bool (*cli_work_fn)(struct cli_run *r, void *data,
			    struct exec_report *rep, struct bp_error **err);
/* Runs fn(r, data, ...) with Ctrl-C cancelling the workflow it runs (a
 * second Ctrl-C kills the process), then prints the failures, or that
 * `name` succeeded. Sets r->cancelled. True when it succeeded. */
bool cli_run_guarded(struct cli_run *r, const char *name, cli_work_fn fn,
		     void *data);

/* Runs a workflow graph with Ctrl-C cancelling it, prints the failures;
 * true when it succeeded. */
bool cli_run_workflow(struct cli_run *r, struct exec_deployment *d,
		      struct wf_graph *g, json_t *params);

/* Prints the steps of a graph in an order that respects its edges, wave
 * by wave (what can run in parallel) — for --dry-run. */
void cli_print_steps(const struct wf_graph *g);

#endif
