/* main.c: the `blueprint` command: finds the command in the table, runs
 * it, and checks that everything written to stdout reached it. */
#include "cli/cli.h"

#include <glib.h>
#include <locale.h>
#include <string.h>
#include <unistd.h>

static const struct cli_command *find_command(const char *name)
{
	for (const struct cli_command *c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

void cli_print_error(const struct cli_ctx *ctx, const struct bp_error *e)
{
	g_autofree char *msg = bp_error_format(e);

	fprintf(stderr, "%s\n", msg);
}

bool cli_parse_options(struct cli_ctx *ctx, const char *command,
		       const char *usage, const char *summary,
		       const GOptionEntry *entries, int *argc, char ***argv)
{
	g_autofree char *param = g_strdup_printf("%s %s", command, usage);
	g_autoptr(GOptionContext) oc = g_option_context_new(param);
	GError *gerr = NULL;

	g_option_context_set_summary(oc, summary);
	g_option_context_add_main_entries(oc, entries, NULL);
	g_option_context_set_help_enabled(oc, TRUE);
	if (!g_option_context_parse(oc, argc, argv, &gerr)) {
		fprintf(stderr, "%s %s: %s\nTry '%s %s --help'.\n", ctx->prog,
			command, gerr->message, ctx->prog, command);
		g_error_free(gerr);
		return false;
	}
	return true;
}

int cmd_help(int argc, char **argv, struct cli_ctx *ctx)
{
	if (argc > 1) {
		const struct cli_command *c = find_command(argv[1]);
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
	printf("\nRun '%s COMMAND --help' for a command's options.\n",
	       ctx->prog);
	return CLI_EXIT_OK;
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
	ctx.color = isatty(STDERR_FILENO) && !g_getenv("NO_COLOR");
	/* global options before the command: -q, -v */
	while (argc > 1 && (!strcmp(argv[1], "-q") || !strcmp(argv[1], "-v"))) {
		ctx.quiet |= argv[1][1] == 'q';
		ctx.verbose |= argv[1][1] == 'v';
		argv++;
		argc--;
	}
	if (argc < 2)
		return check_stdout(cmd_help(1, argv, &ctx));
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
		return check_stdout(cmd_version(1, argv, &ctx));
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return check_stdout(cmd_help(1, argv, &ctx));
	c = find_command(argv[1]);
	if (!c) {
		fprintf(stderr, "%s: '%s' is not a command; see '%s help'\n",
			ctx.prog, argv[1], ctx.prog);
		return CLI_EXIT_USAGE;
	}
	return check_stdout(c->fn(argc - 1, argv + 1, &ctx));
}
