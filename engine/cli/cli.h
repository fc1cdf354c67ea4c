/* cli.h: the command table and what the dispatcher hands to each command.
 *
 * Only cli/ knows argv, terminals and exit codes. A command is one file,
 * engine/cli/cmd_NAME.c, holding its usage text, its GOptionEntry table and
 * one handler; commands.c lists them in one sorted table (git's builtin/,
 * tmux's cmd-*.c). Engine errors come back as struct bp_error values and are
 * printed here.
 */
#ifndef BP_CLI_H
#define BP_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <glib.h>

#include "util/error.h"

/* Exit codes: the contract with scripts. */
enum cli_exit {
	CLI_EXIT_OK = 0,       /* the work was done */
	CLI_EXIT_FAILED = 1,   /* the work failed */
	CLI_EXIT_USAGE = 2,    /* bad usage or an invalid blueprint */
};

struct cli_ctx {
	const char *prog;      /* "blueprint" */
	bool color;            /* stderr is a terminal and NO_COLOR is unset */
	bool json;             /* --json given (commands that support it) */
	bool quiet;            /* -q: warnings and errors only (no progress
				  line, no confirmations) */
	bool verbose;          /* -v: every event, and more detail (every
				  runtime property) */
};

typedef int (*cli_fn)(int argc, char **argv, struct cli_ctx *ctx);

struct cli_command {
	const char *name;
	cli_fn fn;
	const char *summary;   /* one line for `blueprint help` */
};

/* The sorted command table, ended by an entry with name NULL. */
extern const struct cli_command cli_commands[];

/* Runs the subcommand argv[1] of `command` (as `secret set`) from the
 * NULL-ended `table` (sorted; exact names only), handing it argv + 1 with
 * argv[0] "COMMAND SUB" for its messages. No subcommand, or --help, lists
 * the table (exit 2, or 0 for --help); an unknown one is a usage error. */
int cli_run_subcommand(const struct cli_command *table, const char *command,
		       int argc, char **argv, struct cli_ctx *ctx);

/* Prints "prog: error: MESSAGE" (with the mark when known) to stderr. */
void cli_print_error(const struct cli_ctx *ctx, const struct bp_error *e);

/* Prints `e` (consumed) as cli_print_error() does and returns the exit
 * code for it: CLI_EXIT_USAGE for BP_ERR_USAGE, else CLI_EXIT_FAILED. */
int cli_error_exit(const struct cli_ctx *ctx, struct bp_error *e);

/* Parses options with GOptionContext; on a usage error prints it with the
 * command's --help hint and returns false. `usage` is the parameter string
 * ("FILE [-i INPUTS]"), `summary` the description. The global -q/--quiet
 * and -v/--verbose are accepted too and set ctx->quiet/verbose. */
struct _GOptionEntry;
bool cli_parse_options(struct cli_ctx *ctx, const char *command,
		       const char *usage, const char *summary,
		       const struct _GOptionEntry *entries,
		       int *argc, char ***argv);

/* (transfer full, g_strfreev) the directories holding the shipped type
 * files, in search order: $BLUEPRINT_TYPES_DIR (colon-separated), the
 * source tree's types/ when running from build/, the installed data
 * directory. Only directories that exist are listed. */
char **cli_types_dirs(void);

struct model;
struct dsl_doc;
struct store;

/* The state directory: `opt` (--state-dir), else $BLUEPRINT_STATE, else
 * ".blueprint". (transfer none) */
const char *cli_state_dir(const char *opt);
/* Opens (creating) the state directory's store. */
bool cli_state_open(const char *opt, struct store **out, struct bp_error **err);
/* The deployment a command means: `opt` (-d NAME) if given (it must
 * exist), else the only one in the store. (transfer full) in *out; with
 * none or several, an error that says so and lists them. */
bool cli_deployment_resolve(struct store *s, const char *opt, char **out,
			    struct bp_error **err);

/* The --state-dir option alone, for commands that need no deployment. */
#define CLI_STATE_DIR_OPTION(state_dir)                                     \
	{ "state-dir", 0, 0, G_OPTION_ARG_FILENAME, (state_dir),            \
	  "State directory (default $BLUEPRINT_STATE or ./.blueprint)",      \
	  "DIR" }

/* The options every deployment command takes; the strings are the
 * command's (g_free them). Put this first in its GOptionEntry table. */
#define CLI_STATE_OPTIONS(state_dir, deployment)                            \
	CLI_STATE_DIR_OPTION(state_dir),                                     \
	{ "deployment", 'd', 0, G_OPTION_ARG_STRING, (deployment),          \
	  "The deployment (default: the only one)", "NAME" }

/* A blueprint loaded for a command: its model and its input values. */
struct cli_blueprint {
	struct model *model;           /* owned */
	struct dsl_doc *inputs_doc;    /* owned: the -i values, or NULL */
	GHashTable *inputs;            /* owned: name -> const struct dsl_node *,
					  every input resolved; NULL when the
					  inputs were only checked */
};

/* Loads FILE, builds its model and checks the -i values `inputs`
 * (NULL-terminated, may be NULL). With `resolve` every input must end up
 * with a value (given or default) and values that depend on inputs are
 * checked too; without it, only the given inputs are checked. Returns true
 * with *out filled; false with the problems in `diags`. */
bool cli_load(const char *file, char **inputs, bool resolve,
	      struct cli_blueprint *out, struct bp_diags *diags);
void cli_blueprint_release(struct cli_blueprint *bp);

/* Prints the problems of `diags` to stderr, sorted by place, one per line
 * as `file:line:col: error: message [at path]`, then a count. */
void cli_print_diags(const struct cli_ctx *ctx, struct bp_diags *diags);

/* The cap on errors a command collects (--max-errors). */
#define CLI_MAX_ERRORS 50

int cmd_deployments(int argc, char **argv, struct cli_ctx *ctx);
int cmd_events(int argc, char **argv, struct cli_ctx *ctx);
int cmd_exec(int argc, char **argv, struct cli_ctx *ctx);
int cmd_executions(int argc, char **argv, struct cli_ctx *ctx);
int cmd_graph(int argc, char **argv, struct cli_ctx *ctx);
int cmd_heal(int argc, char **argv, struct cli_ctx *ctx);
int cmd_help(int argc, char **argv, struct cli_ctx *ctx);
int cmd_install(int argc, char **argv, struct cli_ctx *ctx);
int cmd_outputs(int argc, char **argv, struct cli_ctx *ctx);
int cmd_plan(int argc, char **argv, struct cli_ctx *ctx);
int cmd_plugins(int argc, char **argv, struct cli_ctx *ctx);
int cmd_resume(int argc, char **argv, struct cli_ctx *ctx);
int cmd_run(int argc, char **argv, struct cli_ctx *ctx);
int cmd_scale(int argc, char **argv, struct cli_ctx *ctx);
int cmd_secret(int argc, char **argv, struct cli_ctx *ctx);
int cmd_status(int argc, char **argv, struct cli_ctx *ctx);
int cmd_uninstall(int argc, char **argv, struct cli_ctx *ctx);
int cmd_validate(int argc, char **argv, struct cli_ctx *ctx);
int cmd_version(int argc, char **argv, struct cli_ctx *ctx);

#endif
