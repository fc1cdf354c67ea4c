/* cmd_uninstall.c: `blueprint uninstall [-d NAME] [--ignore-failure]`:
 * stops and deletes every node instance, in the reverse of install's
 * order. The deployment stays (with its instances deleted) until
 * `blueprint deployments delete`. No alias: it destroys things. */
#include "cli/run.h"
#include "exec/builtin.h"

static const char usage[] = "[-d NAME] [--ignore-failure]";
static const char summary[] =
	"Uninstall a deployment: stop, unlink and delete every node\n"
	"instance, dependents first.";

int cmd_uninstall(int argc, char **argv, struct cli_ctx *ctx)
{
	struct cli_run r;
	/* Remember to update man/blueprint.1 when changing the options. */
	const GOptionEntry entries[] = {
		CLI_RUN_OPTIONS(&r),
		{ "ignore-failure", 0, 0, G_OPTION_ARG_NONE, &r.ignore_failure,
		  "Go on past failed operations and list them", NULL },
		{ NULL }
	};
	g_autoptr(exec_deployment) d = NULL;
	g_autoptr(wf_graph) g = NULL;
	json_t *params = NULL;
	struct bp_error *err = NULL;
	int rc = CLI_EXIT_FAILED;

	cli_run_init(&r, ctx, argc, argv);
	if (!cli_parse_options(ctx, "uninstall", usage, summary, entries,
			       &argc, &argv))
		return cli_run_end(&r, NULL, CLI_EXIT_USAGE);
	if (argc != 1) {
		fprintf(stderr, "usage: %s uninstall %s\n", ctx->prog, usage);
		return cli_run_end(&r, NULL, CLI_EXIT_USAGE);
	}
	if (cli_run_begin(&r, &d, &err)) {
		params = json_pack("{s:b}", "ignore_failure",
				   (bool)r.ignore_failure);
		if (exec_builtin_graph(d, "uninstall", params, &g, &err))
			rc = cli_run_graph(&r, d, g, params);
	}
	json_decref(params);
	g_clear_pointer(&g, wf_graph_free);
	g_clear_pointer(&d, exec_deployment_free);
	return cli_run_end(&r, err, rc);
}
