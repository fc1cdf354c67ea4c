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
};

typedef int (*cli_fn)(int argc, char **argv, struct cli_ctx *ctx);

struct cli_command {
	const char *name;
	cli_fn fn;
	const char *summary;   /* one line for `blueprint help` */
};

/* The sorted command table, ended by an entry with name NULL. */
extern const struct cli_command cli_commands[];

/* Prints "prog: error: MESSAGE" (with the mark when known) to stderr. */
void cli_print_error(const struct cli_ctx *ctx, const struct bp_error *e);

/* Parses options with GOptionContext; on a usage error prints it with the
 * command's --help hint and returns false. `usage` is the parameter string
 * ("FILE [-i INPUTS]"), `summary` the description. */
struct _GOptionEntry;
bool cli_parse_options(struct cli_ctx *ctx, const char *command,
		       const char *usage, const char *summary,
		       const struct _GOptionEntry *entries,
		       int *argc, char ***argv);

int cmd_help(int argc, char **argv, struct cli_ctx *ctx);
int cmd_version(int argc, char **argv, struct cli_ctx *ctx);

#endif
