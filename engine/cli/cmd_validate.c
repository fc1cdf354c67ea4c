/* cmd_validate.c: `blueprint validate FILE [-i INPUTS]...`: loads a
 * blueprint with its imports, checks types, templates, values, functions
 * and the relationship graph, and prints `valid` or every problem with its
 * place. Exit 0 valid, 2 invalid. */
#include "cli/cli.h"
#include "model/model.h"
#include "plugin/check.h"

#include <jansson.h>

static const char usage[] = "FILE [-i INPUTS]...";
static const char summary[] =
	"Check a blueprint: its YAML, imports, types, templates, values,\n"
	"functions and relationships. INPUTS is a YAML file or k=v,k2=v2.\n"
	"Prints 'valid', or every problem as file:line:col: error: message.";

/* Operations no plugin on the path provides are warnings here: plugins
 * may be installed before the blueprint is; install refuses to start. */
static void check_plugins(const char *file, const struct model *m,
			  struct bp_diags *warnings)
{
	g_autofree char *dir = g_path_get_dirname(file);
	g_auto(GStrv) path = plugin_search_path(dir);
	struct plugin_registry *reg = plugin_registry_new(
		(const char *const *)path);

	plugin_check_model(reg, m, dir, warnings);
	plugin_registry_free(reg);
}

static void print_warnings(struct bp_diags *warnings)
{
	bp_diags_sort(warnings);
	for (guint i = 0; i < warnings->errors->len; i++) {
		g_autofree char *s = bp_error_format_as(warnings->errors->pdata[i],
							"warning");
		fprintf(stderr, "%s\n", s);
	}
}

static json_t *json_list(const struct bp_diags *diags)
{
	json_t *list = json_array();

	for (guint i = 0; diags->errors && i < diags->errors->len; i++) {
		const struct bp_error *e = diags->errors->pdata[i];
		json_array_append_new(list, json_pack("{s:s?,s:i,s:i,s:s,s:s?}",
			"file", e->mark.file, "line", (int)e->mark.line,
			"column", (int)e->mark.col, "message", e->message,
			"path", e->path));
	}
	return list;
}

static void print_json(const struct bp_diags *diags,
		       const struct bp_diags *warnings, bool valid)
{
	json_t *out = json_object();
	g_autofree char *text = NULL;

	json_object_set_new(out, "valid", json_boolean(valid));
	json_object_set_new(out, "errors", json_list(diags));
	json_object_set_new(out, "warnings", json_list(warnings));
	text = json_dumps(out, JSON_INDENT(2));
	printf("%s\n", text);
	json_decref(out);
}

int cmd_validate(int argc, char **argv, struct cli_ctx *ctx)
{
	g_auto(GStrv) inputs = NULL;
	gboolean json = FALSE;
	int max_errors = CLI_MAX_ERRORS;
	/* Remember to update man/blueprint.1 when changing the options. */
	const GOptionEntry entries[] = {
		{ "inputs", 'i', 0, G_OPTION_ARG_STRING_ARRAY, &inputs,
		  "Input values: a YAML file or k=v,k2=v2 (repeatable)",
		  "INPUTS" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json,
		  "Print the result as JSON", NULL },
		{ "max-errors", 0, 0, G_OPTION_ARG_INT, &max_errors,
		  "Report at most N errors (default 50, 0 = all)", "N" },
		{ NULL }
	};
	struct cli_blueprint bp;
	struct bp_diags diags, warnings;
	bool ok;

	if (!cli_parse_options(ctx, "validate", usage, summary, entries,
			       &argc, &argv))
		return CLI_EXIT_USAGE;
	if (argc != 2) {
		fprintf(stderr, "usage: %s validate %s\n", ctx->prog, usage);
		return CLI_EXIT_USAGE;
	}
	bp_diags_init(&diags, max_errors > 0 ? (unsigned)max_errors : 0);
	bp_diags_init(&warnings, max_errors > 0 ? (unsigned)max_errors : 0);
	ok = cli_load(argv[1], inputs, inputs != NULL, &bp, &diags);
	if (ok)
		check_plugins(argv[1], bp.model, &warnings);
	if (json) {
		bp_diags_sort(&diags);
		print_json(&diags, &warnings, ok);
	} else if (ok) {
		print_warnings(&warnings);
		printf("valid\n");
	} else {
		cli_print_diags(ctx, &diags);
	}
	cli_blueprint_release(&bp);
	bp_diags_release(&diags);
	bp_diags_release(&warnings);
	return ok ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}
