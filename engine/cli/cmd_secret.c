/* cmd_secret.c: `blueprint secret set|get|list|delete`: the secrets of a
 * state directory (STATE/secrets.db, mode 0600), which blueprints read
 * with get_secret. A value is best given on stdin, so it stays out of the
 * shell's history and the process list; only `secret get` prints one.
 * Subcommands are exact names: `delete` has no alias. */
#include "cli/cli.h"
#include "cli/output.h"
#include "store/store.h"

#include <string.h>
#include <termios.h>
#include <unistd.h>

/* Parses the options of subcommand argv[0] ("secret set"): the state
 * directory, and --json when `json` is not NULL; wants `min` to `max`
 * arguments; opens the store. Returns CLI_EXIT_OK with *out set, or the
 * exit code after printing why. */
static int prepare(struct cli_ctx *ctx, const char *usage, const char *summary,
		   int min, int max, gboolean *json, int *argc, char ***argv,
		   struct store **out)
{
	g_autofree char *state_dir = NULL;
	g_autofree char *command = g_strdup((*argv)[0]);
	/* Remember to update the man page when changing the options. */
	GOptionEntry entries[] = {
		CLI_STATE_DIR_OPTION(&state_dir),
		{ "json", 0, 0, G_OPTION_ARG_NONE, json,
		  "Print the result as JSON", NULL },
		{ NULL }
	};
	struct bp_error *err = NULL;

	if (!json)
		entries[1] = (GOptionEntry){ NULL };
	if (!cli_parse_options(ctx, command, usage, summary, entries, argc,
			       argv))
		return CLI_EXIT_USAGE;
	if (*argc - 1 < min || *argc - 1 > max) {
		fprintf(stderr, "usage: %s %s %s\n", ctx->prog, command, usage);
		return CLI_EXIT_USAGE;
	}
	if (!cli_state_open(state_dir, out, &err))
		return cli_error_exit(ctx, err);
	return CLI_EXIT_OK;
}

/* Reads a value from stdin: on a terminal one line, typed without echo
 * after a prompt; otherwise everything, less one final newline. */
static bool read_value(const char *name, char **out, struct bp_error **err)
{
	g_autoptr(GString) value = g_string_new(NULL);
	bool tty = isatty(STDIN_FILENO);
	struct termios saved, noecho;
	char buf[4096];

	if (tty) {
		fprintf(stderr, "value of secret '%s': ", name);
		tcgetattr(STDIN_FILENO, &saved);
		noecho = saved;
		noecho.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &noecho);
	}
	while (fgets(buf, sizeof buf, stdin)) {
		g_string_append(value, buf);
		if (tty && value->len && value->str[value->len - 1] == '\n')
			break;
	}
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
		fputc('\n', stderr);
	}
	if (ferror(stdin)) {
		bp_error_set(err, BP_ERR_IO, NULL, NULL, "cannot read the value "
			     "of secret '%s' from stdin", name);
		return false;
	}
	if (g_str_has_suffix(value->str, "\n"))
		g_string_truncate(value, value->len - 1);
	if (g_str_has_suffix(value->str, "\r"))
		g_string_truncate(value, value->len - 1);
	*out = g_string_free(g_steal_pointer(&value), FALSE);
	return true;
}

static int secret_set(int argc, char **argv, struct cli_ctx *ctx)
{
	g_autoptr(store) s = NULL;
	g_autofree char *value = NULL;
	struct bp_error *err = NULL;
	int rc = prepare(ctx, "NAME [VALUE|-]", "Set secret NAME to VALUE, "
			 "or to what stdin holds when VALUE\nis absent or "
			 "'-' (a terminal is asked, without echo).", 1, 2,
			 NULL, &argc, &argv, &s);

	if (rc != CLI_EXIT_OK)
		return rc;
	if (argc == 3 && strcmp(argv[2], "-") != 0)
		value = g_strdup(argv[2]);
	else if (!read_value(argv[1], &value, &err))
		return cli_error_exit(ctx, err);
	if (!store_secret_set(s, argv[1], value, &err))
		return cli_error_exit(ctx, err);
	if (!ctx->quiet)
		fprintf(stderr, "set secret '%s'\n", argv[1]);
	return CLI_EXIT_OK;
}

static int secret_get(int argc, char **argv, struct cli_ctx *ctx)
{
	g_autoptr(store) s = NULL;
	g_autofree char *value = NULL;
	struct bp_error *err = NULL;
	int rc = prepare(ctx, "NAME", "Print the value of secret NAME.", 1, 1,
			 NULL, &argc, &argv, &s);

	if (rc != CLI_EXIT_OK)
		return rc;
	if (!store_secret_get(s, argv[1], &value, &err))
		return cli_error_exit(ctx, err);
	printf("%s\n", value);
	return CLI_EXIT_OK;
}

static int secret_list(int argc, char **argv, struct cli_ctx *ctx)
{
	g_autoptr(store) s = NULL;
	g_autoptr(GPtrArray) names = NULL;
	gboolean json = FALSE;
	struct bp_error *err = NULL;
	json_t *doc;
	int rc = prepare(ctx, "", "List the names of the secrets, one per "
			 "line; never their values.", 0, 0, &json, &argc,
			 &argv, &s);

	if (rc != CLI_EXIT_OK)
		return rc;
	if (!store_secret_list(s, &names, &err))
		return cli_error_exit(ctx, err);
	if (!json) {
		for (guint i = 0; i < names->len; i++)
			printf("%s\n", (const char *)names->pdata[i]);
		return CLI_EXIT_OK;
	}
	doc = json_array();
	for (guint i = 0; i < names->len; i++)
		json_array_append_new(doc, json_string(names->pdata[i]));
	cli_print_json(doc);
	return CLI_EXIT_OK;
}

static int secret_delete(int argc, char **argv, struct cli_ctx *ctx)
{
	g_autoptr(store) s = NULL;
	struct bp_error *err = NULL;
	int rc = prepare(ctx, "NAME", "Delete secret NAME (the exact name).",
			 1, 1, NULL, &argc, &argv, &s);

	if (rc != CLI_EXIT_OK)
		return rc;
	if (!store_secret_delete(s, argv[1], &err))
		return cli_error_exit(ctx, err);
	if (!ctx->quiet)
		fprintf(stderr, "deleted secret '%s'\n", argv[1]);
	return CLI_EXIT_OK;
}

/* Sorted; no aliases, no abbreviations. */
static const struct cli_command secret_commands[] = {
	{ "delete", secret_delete, "Delete a secret" },
	{ "get",    secret_get,    "Print a secret's value" },
	{ "list",   secret_list,   "List the secrets' names (never their values)" },
	{ "set",    secret_set,    "Set a secret, from stdin unless given" },
	{ NULL, NULL, NULL },
};

int cmd_secret(int argc, char **argv, struct cli_ctx *ctx)
{
	return cli_run_subcommand(secret_commands, "secret", argc, argv, ctx);
}
