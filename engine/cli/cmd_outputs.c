/* cmd_outputs.c: `blueprint outputs [-d NAME] [--json]`: the values of a
 * deployment's outputs now. The deployment is opened as the workflow
 * commands open it (its blueprint, unchanged since install, and its
 * stored inputs) and each output evaluated by exec_deployment_outputs():
 * get_attribute from runtime properties (else the node's property),
 * get_operation_output from the tasks, get_secret from the secrets.
 * Outputs are shown as the blueprint asks, even one that is a secret. */
#include "cli/cli.h"
#include "cli/output.h"
#include "exec/deploy.h"

static const char usage[] = "[-d NAME] [--json]";
static const char summary[] =
	"Print the outputs of a deployment, one 'name: value' per line (or a\n"
	"JSON object), evaluated now from its blueprint, its inputs and the\n"
	"runtime properties of its instances. An output that cannot be\n"
	"evaluated is reported and the others still printed (exit 1).";

static void print_text(json_t *outputs)
{
	const char *name;
	json_t *v;

	json_object_foreach(outputs, name, v) {
		g_autofree char *text = json_is_string(v) ? NULL :
			json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		printf("%s: %s\n", name, text ? text : json_string_value(v));
	}
}

int cmd_outputs(int argc, char **argv, struct cli_ctx *ctx)
{
	g_autofree char *state_dir = NULL, *dep_opt = NULL, *dep = NULL;
	gboolean json = FALSE;
	/* Remember to update the man page when changing the options. */
	const GOptionEntry entries[] = {
		CLI_STATE_OPTIONS(&state_dir, &dep_opt),
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json,
		  "Print the outputs as a JSON object", NULL },
		{ NULL }
	};
	g_auto(GStrv) types_dirs = cli_types_dirs();
	g_autoptr(store) s = NULL;
	g_autoptr(exec_deployment) d = NULL;
	struct exec_env env = { .types_dirs = (const char *const *)types_dirs };
	struct bp_diags diags;
	struct bp_error *err = NULL;
	json_t *outputs;
	bool ok;

	if (!cli_parse_options(ctx, "outputs", usage, summary, entries, &argc,
			       &argv))
		return CLI_EXIT_USAGE;
	if (argc != 1) {
		fprintf(stderr, "usage: %s outputs %s\n", ctx->prog, usage);
		return CLI_EXIT_USAGE;
	}
	if (!cli_state_open(state_dir, &s, &err) ||
	    !cli_deployment_resolve(s, dep_opt, &dep, &err))
		return cli_error_exit(ctx, err);
	env.store = s;
	d = exec_deployment_open(&env, dep, &err);
	if (!d)
		return cli_error_exit(ctx, err);
	bp_diags_init(&diags, 0);
	outputs = exec_deployment_outputs(&env, d, &diags);
	for (guint i = 0; i < diags.errors->len; i++)
		cli_print_error(ctx, diags.errors->pdata[i]);
	ok = bp_diags_count(&diags) == 0;
	bp_diags_release(&diags);
	if (json)
		cli_print_json(json_incref(outputs));
	else
		print_text(outputs);
	json_decref(outputs);
	return ok ? CLI_EXIT_OK : CLI_EXIT_FAILED;
}
