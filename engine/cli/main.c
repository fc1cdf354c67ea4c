/* main.c: the `blueprint` command: takes the global options (-q, -v),
 * finds the command in the table (and a subcommand in a command's nested
 * table), runs it, and checks that everything written to stdout reached
 * it. */
#include "cli/cli.h"
#include "cli/output.h"

#include <glib.h>
#include <locale.h>
#include <string.h>

static const struct cli_command *find_command(const struct cli_command *table,
					      const char *name)
{
	for (const struct cli_command *c = table; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

void cli_print_error(const struct cli_ctx *ctx, const struct bp_error *e)
{
	g_autofree char *msg = bp_error_format(e);

	fprintf(stderr, "%s\n", msg);
}

int cli_error_exit(const struct cli_ctx *ctx, struct bp_error *e)
{
	int rc = e->code == BP_ERR_USAGE ? CLI_EXIT_USAGE : CLI_EXIT_FAILED;

	cli_print_error(ctx, e);
	bp_error_free(e);
	return rc;
}

/* Sets ctx->quiet or ctx->verbose when `arg` is one of the global
 * options; returns false for anything else. */
static bool global_option(struct cli_ctx *ctx, const char *arg)
{
	if (!strcmp(arg, "-q") || !strcmp(arg, "--quiet"))
		ctx->quiet = true;
	else if (!strcmp(arg, "-v") || !strcmp(arg, "--verbose"))
		ctx->verbose = true;
	else
		return false;
	return true;
}

bool cli_parse_options(struct cli_ctx *ctx, const char *command,
		       const char *usage, const char *summary,
		       const GOptionEntry *entries, int *argc, char ***argv)
{
	g_autofree char *param = g_strdup_printf("%s %s", command, usage);
	g_autoptr(GOptionContext) oc = g_option_context_new(param);
	gboolean quiet = ctx->quiet, verbose = ctx->verbose;
	const GOptionEntry global[] = {
		{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
		  "Print results and errors only", NULL },
		{ "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
		  "Print more detail", NULL },
		{ NULL }
	};
	GError *gerr = NULL;

	g_option_context_set_summary(oc, summary);
	g_option_context_add_main_entries(oc, entries, NULL);
	g_option_context_add_main_entries(oc, global, NULL);
	g_option_context_set_help_enabled(oc, TRUE);
	if (!g_option_context_parse(oc, argc, argv, &gerr)) {
		fprintf(stderr, "%s %s: %s\nTry '%s %s --help'.\n", ctx->prog,
			command, gerr->message, ctx->prog, command);
		g_error_free(gerr);
		return false;
	}
	ctx->quiet = quiet;
	ctx->verbose = verbose;
	return true;
}

int cmd_help(int argc, char **argv, struct cli_ctx *ctx)
{
	if (argc > 1 && argv[1][0] != '-') {
		const struct cli_command *c = find_command(cli_commands, argv[1]);
		char *sub[] = { argv[1], (char *)"--help", NULL };
		if (!c) {
			fprintf(stderr, "%s: unknown command '%s'\n",
				ctx->prog, argv[1]);
			return CLI_EXIT_USAGE;
		}
		return c->fn(2, sub, ctx);
	}
	printf("usage: %s COMMAND [OPTIONS]\n\n"
	       "A TOSCA and Cloudify DSL blueprint interpreter.\n\n"
	       "Commands:\n", ctx->prog);
	for (const struct cli_command *c = cli_commands; c->name; c++)
		printf("  %-12s %s\n", c->name, c->summary);
	printf("\nGlobal options, before or after COMMAND: -q (quiet), "
	       "-v (verbose).\n"
	       "Run '%s COMMAND --help' for a command's options.\n",
	       ctx->prog);
	return CLI_EXIT_OK;
}

int cli_run_subcommand(const struct cli_command *table, const char *command,
		       int argc, char **argv, struct cli_ctx *ctx)
{
	const struct cli_command *c = NULL;
	g_autofree char *name = NULL;
	bool help = argc > 1 && (!strcmp(argv[1], "--help") ||
				 !strcmp(argv[1], "-h"));
	char *saved;
	int rc;

	if (argc > 1 && !help) {
		c = find_command(table, argv[1]);
		if (!c) {
			fprintf(stderr, "%s %s: '%s' is not a subcommand\n",
				ctx->prog, command, argv[1]);
			return CLI_EXIT_USAGE;
		}
	}
	if (!c) {
		FILE *f = help ? stdout : stderr;
		fprintf(f, "usage: %s %s SUBCOMMAND [OPTIONS]\n\n"
			"Subcommands:\n", ctx->prog, command);
		for (c = table; c->name; c++)
			fprintf(f, "  %-10s %s\n", c->name, c->summary);
		fprintf(f, "\nRun '%s %s SUBCOMMAND --help' for its "
			"options.\n", ctx->prog, command);
		return help ? CLI_EXIT_OK : CLI_EXIT_USAGE;
	}
	name = g_strdup_printf("%s %s", command, c->name);
	saved = argv[1];
	argv[1] = name;
	rc = c->fn(argc - 1, argv + 1, ctx);
	argv[1] = saved;
	return rc;
}

int cmd_version(int argc, char **argv, struct cli_ctx *ctx)
{
	printf("blueprint %s\n", BP_VERSION);
	return CLI_EXIT_OK;
}

/* Like git's run_builtin: a command that wrote to a full disk or a closed
 * pipe has failed even when it thinks it succeeded. */
static int check_stdout(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "blueprint: write failure on standard output\n");
		return CLI_EXIT_FAILED;
	}
	return rc;
}

int main(int argc, char **argv)
{
	struct cli_ctx ctx = { .prog = "blueprint" };
	const struct cli_command *c;

	setlocale(LC_ALL, "");
	g_set_prgname(ctx.prog);  /* GOptionContext's "Usage: blueprint ..." */
	ctx.color = cli_color_for(stderr);
	/* global options before the command: -q, -v */
	while (argc > 1 && global_option(&ctx, argv[1])) {
		argv[1] = argv[0];
		argc--;
		argv++;
	}
	if (argc < 2)
		return check_stdout(cmd_help(1, argv, &ctx));
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
		return check_stdout(cmd_version(1, argv, &ctx));
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return check_stdout(cmd_help(1, argv, &ctx));
	c = find_command(cli_commands, argv[1]);
	if (!c) {
		fprintf(stderr, "%s: '%s' is not a command; see '%s help'\n",
			ctx.prog, argv[1], ctx.prog);
		return CLI_EXIT_USAGE;
	}
	return check_stdout(c->fn(argc - 1, argv + 1, &ctx));
}
