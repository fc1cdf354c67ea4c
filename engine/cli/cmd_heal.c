/* cmd_heal.c: `blueprint heal INSTANCE [-d NAME]`: repairs a node
 * instance. When its node implements a `heal` operation, that runs first;
 * when there is none, or it fails, the instance's host (its nearest
 * Compute, else the top of its containment) and everything it contains
 * are reinstalled: uninstalled, installed again, and the relationships
 * that reach them from outside unlinked and established again. */
#include "cli/run.h"
#include "exec/builtin.h"

static const char usage[] = "INSTANCE [-d NAME]";
static const char summary[] =
	"Heal a node instance: its heal operation, or else the reinstall\n"
	"of its host and everything on it.";

int cli_heal(struct cli_run *r, struct exec_deployment *d, json_t *params)
{
	g_autoptr(wf_graph) g = NULL;
	struct bp_error *err = NULL;
	int rc;

	if (!exec_builtin_graph(d, "heal", params, &g, &err)) {
		json_decref(params);
		cli_print_error(r->ctx, err);
		rc = err->code == BP_ERR_USAGE ? CLI_EXIT_USAGE :
		     CLI_EXIT_FAILED;
		bp_error_free(err);
		return rc;
	}
	if (r->dry_run && !json_is_true(json_object_get(params,
							"force_reinstall")))
		printf("first the heal operation:\n");
	rc = cli_run_graph(r, d, g, params);
	if ((rc == CLI_EXIT_OK && !r->dry_run) || r->cancelled ||
	    json_is_true(json_object_get(params, "force_reinstall"))) {
		json_decref(params);
		return rc;
	}
	printf(r->dry_run ? "then, if it fails, the reinstall:\n" :
	       "heal: the heal operation failed; reinstalling instead\n");
	json_object_set_new(params, "force_reinstall", json_true());
	g_clear_pointer(&g, wf_graph_free);
	rc = exec_builtin_graph(d, "heal", params, &g, &err) ?
	     cli_run_graph(r, d, g, params) : CLI_EXIT_FAILED;
	if (err)
		cli_print_error(r->ctx, err);
	bp_error_free(err);
	json_decref(params);
	return rc;
}

int cmd_heal(int argc, char **argv, struct cli_ctx *ctx)
{
	struct cli_run r;
	/* Remember to update man/blueprint.1 when changing the options. */
	const GOptionEntry entries[] = {
		CLI_RUN_OPTIONS(&r),
		{ NULL }
	};
	g_autoptr(exec_deployment) d = NULL;
	struct bp_error *err = NULL;
	int rc = CLI_EXIT_FAILED;

	cli_run_init(&r, ctx, argc, argv);
	if (!cli_parse_options(ctx, "heal", usage, summary, entries, &argc,
			       &argv))
		return cli_run_end(&r, NULL, CLI_EXIT_USAGE);
	if (argc != 2) {
		fprintf(stderr, "usage: %s heal %s\n", ctx->prog, usage);
		return cli_run_end(&r, NULL, CLI_EXIT_USAGE);
	}
	if (cli_run_begin(&r, &d, &err))
		rc = cli_heal(&r, d, json_pack("{s:s, s:b}",
					       "node_instance_id", argv[1],
					       "force_reinstall", false));
	g_clear_pointer(&d, exec_deployment_free);
	return cli_run_end(&r, err, rc);
}
