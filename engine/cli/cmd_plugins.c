/* cmd_plugins.c: `blueprint plugins [list|run]`: the plugins on the plugin
 * path, and the test harness that runs one operation from a JSON context.
 *
 *   blueprint plugins [list] [--json] [-b BLUEPRINT]
 *   blueprint plugins run PLUGIN_OR_SO OPERATION [--context FILE] [-b ...]
 *
 * `list` loads every plugin found and shows its name, version, ABI, file
 * and operations; plugins that fail to load are reported (exit 1), hidden
 * duplicates are warnings. `run` is engine/plugin/harness.c behind a
 * command line: it prints the report (JSON) and exits 0 whenever the
 * operation ran, whatever it returned; 1 when it could not run; 2 for bad
 * usage or a bad context. Remember man/blueprint-plugin.7 when changing the
 * options.
 */
#include "cli/cli.h"

#include <glib.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "plugin/harness.h"
#include "plugin/registry.h"

/* (transfer full) a registry over the default search path, with the
 * plugins/ folder beside `blueprint` when one is given. */
static struct plugin_registry *open_registry(const char *blueprint)
{
	g_autofree char *dir = blueprint ? g_path_get_dirname(blueprint) : NULL;
	g_auto(GStrv) path = plugin_search_path(dir);

	return plugin_registry_new((const char *const *)path);
}

static void print_warnings(const struct plugin_registry *reg)
{
	const GPtrArray *w = plugin_registry_warnings(reg);

	for (guint i = 0; i < w->len; i++)
		fprintf(stderr, "warning: %s\n", (char *)w->pdata[i]);
}

/* Prints `doc` indented and drops it (consumes doc). */
static void print_json(json_t *doc)
{
	char *text = json_dumps(doc, JSON_INDENT(2));

	printf("%s\n", text);
	free(text);
	json_decref(doc);
}

static json_t *plugin_json(const struct plugin *p)
{
	g_autofree char *abi = g_strdup_printf("%u.%u", p->desc->abi_major,
					       p->desc->abi_minor);
	json_t *ops = json_array();

	for (unsigned i = 0; i < p->n_ops; i++)
		json_array_append_new(ops, json_string(p->desc->ops[i].name));
	return json_pack("{s:s, s:s, s:s, s:s, s:I, s:o}", "name", p->name,
			 "version", p->desc->version, "abi", abi,
			 "file", p->file, "parallelism",
			 (json_int_t)plugin_parallelism(p), "operations", ops);
}

static int list_json(const struct plugin_registry *reg, const GPtrArray *found)
{
	json_t *plugins = json_array(), *errors = json_array();
	json_t *warnings = json_array(), *dirs = json_array();
	const GPtrArray *w = plugin_registry_warnings(reg);
	int rc;

	for (const char *const *d = plugin_registry_dirs(reg); *d; d++)
		json_array_append_new(dirs, json_string(*d));
	for (guint i = 0; i < w->len; i++)
		json_array_append_new(warnings, json_string(w->pdata[i]));
	for (guint i = 0; i < found->len; i++) {
		const struct plugin_found *f = found->pdata[i];
		if (f->plugin)
			json_array_append_new(plugins, plugin_json(f->plugin));
		else
			json_array_append_new(errors, json_pack(
				"{s:s, s:s, s:s}", "name", f->name, "file",
				f->file, "message", f->error->message));
	}
	rc = json_array_size(errors) ? CLI_EXIT_FAILED : CLI_EXIT_OK;
	print_json(json_pack("{s:o, s:o, s:o, s:o}", "path", dirs, "plugins",
			     plugins, "errors", errors, "warnings", warnings));
	return rc;
}

static int list_human(const struct plugin_registry *reg,
		      const GPtrArray *found, struct cli_ctx *ctx)
{
	int rc = CLI_EXIT_OK;

	print_warnings(reg);
	for (guint i = 0; i < found->len; i++) {
		const struct plugin_found *f = found->pdata[i];
		const struct plugin *p = f->plugin;

		if (!p) {
			cli_print_error(ctx, f->error);
			rc = CLI_EXIT_FAILED;
			continue;
		}
		if (plugin_parallelism(p))
			printf("%s %s (ABI %u.%u, at most %u at once) %s\n",
			       p->name, p->desc->version, p->desc->abi_major,
			       p->desc->abi_minor, plugin_parallelism(p),
			       p->file);
		else
			printf("%s %s (ABI %u.%u) %s\n", p->name,
			       p->desc->version, p->desc->abi_major,
			       p->desc->abi_minor, p->file);
		for (unsigned j = 0; j < p->n_ops; j++)
			printf("  %s\n", p->desc->ops[j].name);
	}
	if (found->len == 0) {
		g_autofree char *path = g_strjoinv(
			":", (char **)plugin_registry_dirs(reg));
		printf("no plugins found in the plugin path (%s)\n", path);
	}
	return rc;
}

static int plugins_list(int argc, char **argv, struct cli_ctx *ctx)
{
	gboolean json = FALSE;
	g_autofree char *blueprint = NULL;
	const GOptionEntry entries[] = {
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json,
		  "Print the list as JSON", NULL },
		{ "blueprint", 'b', 0, G_OPTION_ARG_FILENAME, &blueprint,
		  "Also look in the plugins/ folder beside FILE", "FILE" },
		{ NULL },
	};
	struct plugin_registry *reg;
	int rc;

	if (!cli_parse_options(ctx, "plugins list", "",
			       "List the plugins on the plugin path: name, "
			       "version, ABI, file and operations.\nThe path: "
			       "$BLUEPRINT_PLUGIN_PATH, the blueprint's "
			       "plugins/ folder, the build tree's plugins\n"
			       "when run from the source tree, then the "
			       "installed plugin directory.",
			       entries, &argc, &argv))
		return CLI_EXIT_USAGE;
	if (argc > 1) {
		fprintf(stderr, "%s plugins list: unexpected argument '%s'\n",
			ctx->prog, argv[1]);
		return CLI_EXIT_USAGE;
	}
	reg = open_registry(blueprint);
	rc = json ? list_json(reg, plugin_registry_load_all(reg))
		  : list_human(reg, plugin_registry_load_all(reg), ctx);
	plugin_registry_free(reg);
	return rc;
}

/* (transfer full) the context document in `file` ("-": standard input; NULL:
 * an empty context). NULL with *err set when it cannot be read. */
static json_t *read_context(const char *file, struct bp_error **err)
{
	json_error_t jerr;
	json_t *doc;

	if (!file)
		return json_object();
	doc = strcmp(file, "-") == 0 ? json_loadf(stdin, 0, &jerr)
				     : json_load_file(file, 0, &jerr);
	if (!doc)
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL,
			     "cannot read the context '%s': %s (line %d, "
			     "column %d)", file, jerr.text, jerr.line,
			     jerr.column);
	return doc;
}

/* `-b FILE` also gives the operation FILE's directory as the blueprint's,
 * unless the context names one. */
static void default_blueprint_dir(json_t *context, const char *blueprint)
{
	g_autofree char *dir = NULL;
	json_t *dep;

	if (!blueprint || !json_is_object(context))
		return;
	dep = json_object_get(context, "deployment");
	if (!dep) {
		dep = json_object();
		json_object_set_new(context, "deployment", dep);
	}
	if (!json_is_object(dep) || json_object_get(dep, "blueprint_dir"))
		return;
	dir = g_path_get_dirname(blueprint);
	json_object_set_new(dep, "blueprint_dir", json_string(dir));
}

/* Runs the harness; prints the report. */
static int run_op(struct plugin_registry *reg, const char *which,
		  const char *op, const json_t *context, struct cli_ctx *ctx)
{
	struct plugin_harness h;
	g_autoptr(bp_error) err = NULL;
	const char *name = which;
	int rc = CLI_EXIT_OK;

	if (strchr(which, '/') || g_str_has_suffix(which, ".so")) {
		name = plugin_registry_add_file(reg, which, &err);
		if (!name) {
			cli_print_error(ctx, err);
			return CLI_EXIT_FAILED;
		}
	}
	if (!plugin_harness_init(&h, context, op, &err))
		rc = CLI_EXIT_USAGE;
	else if (!plugin_harness_run(&h, reg, name, op, &err))
		rc = CLI_EXIT_FAILED;
	if (rc == CLI_EXIT_OK)
		print_json(plugin_harness_report(&h));
	else
		cli_print_error(ctx, err);
	plugin_harness_release(&h);
	return rc;
}

static int plugins_run(int argc, char **argv, struct cli_ctx *ctx)
{
	g_autofree char *context_file = NULL;
	g_autofree char *blueprint = NULL;
	const GOptionEntry entries[] = {
		{ "context", 'c', 0, G_OPTION_ARG_FILENAME, &context_file,
		  "The context as JSON ('-': standard input)", "FILE" },
		{ "blueprint", 'b', 0, G_OPTION_ARG_FILENAME, &blueprint,
		  "Also look in the plugins/ folder beside FILE; FILE's "
		  "directory is the blueprint directory", "FILE" },
		{ NULL },
	};
	g_autoptr(bp_error) err = NULL;
	struct plugin_registry *reg;
	json_t *context;
	int rc;

	if (!cli_parse_options(ctx, "plugins run", "PLUGIN_OR_SO OPERATION",
			       "Run one operation of a plugin with a context "
			       "built from JSON, and print what it set, logged "
			       "and returned (JSON).\nPLUGIN_OR_SO is a plugin "
			       "name on the plugin path or a path to a .so. "
			       "Exit 0 when the operation ran,\nwhatever it "
			       "returned; see blueprint-plugin(7) for the "
			       "context and the report.",
			       entries, &argc, &argv))
		return CLI_EXIT_USAGE;
	if (argc != 3) {
		fprintf(stderr, "%s plugins run: expected PLUGIN_OR_SO and "
			"OPERATION\nTry '%s plugins run --help'.\n", ctx->prog,
			ctx->prog);
		return CLI_EXIT_USAGE;
	}
	context = read_context(context_file, &err);
	if (!context) {
		cli_print_error(ctx, err);
		return CLI_EXIT_USAGE;
	}
	default_blueprint_dir(context, blueprint);
	reg = open_registry(blueprint);
	rc = run_op(reg, argv[1], argv[2], context, ctx);
	plugin_registry_free(reg);
	json_decref(context);
	return rc;
}

static const struct cli_command plugins_commands[] = {
	{ "list", plugins_list, "List the plugins found (the default)" },
	{ "run",  plugins_run,  "Run one operation from a JSON context" },
	{ NULL, NULL, NULL },
};

int cmd_plugins(int argc, char **argv, struct cli_ctx *ctx)
{
	const struct cli_command *c;

	if (argc < 2 || argv[1][0] == '-') {
		if (argc >= 2 && (!strcmp(argv[1], "--help") ||
				  !strcmp(argv[1], "-h"))) {
			printf("usage: %s plugins [list|run] [OPTIONS]\n\n",
			       ctx->prog);
			for (c = plugins_commands; c->name; c++)
				printf("  %-6s %s\n", c->name, c->summary);
			printf("\nRun '%s plugins COMMAND --help' for a "
			       "command's options.\n", ctx->prog);
			return CLI_EXIT_OK;
		}
		return plugins_list(argc, argv, ctx);
	}
	for (c = plugins_commands; c->name; c++)
		if (strcmp(c->name, argv[1]) == 0)
			return c->fn(argc - 1, argv + 1, ctx);
	fprintf(stderr, "%s plugins: '%s' is not a plugins command; expected "
		"'list' or 'run'\n", ctx->prog, argv[1]);
	return CLI_EXIT_USAGE;
}
