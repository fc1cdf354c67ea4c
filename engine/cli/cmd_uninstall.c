/* cmd_uninstall.c: `blueprint uninstall [-d NAME] [--ignore-failure]`:
 * stops and deletes every node instance, in the reverse of install's
 * order. The deployment stays (with its instances deleted) until
 * `blueprint deployments delete`. No alias: it destroys things. */
#include "cli/run.h"

static const char usage[] = "[-d NAME] [--ignore-failure]";
static const char summary[] =
	"Uninstall a deployment: stop, unlink and delete every node\n"
	"instance, dependents first.";

static const char *state_of(const struct plan_instance *i, void *data)
{
	return store_instance_state_name(
		exec_deployment_state(data, i->id));
}

int cmd_uninstall(int argc, char **argv, struct cli_ctx *ctx)
{
	struct cli_run r = { .max_retries = -1 };
	/* Remember to update man/blueprint.1 when changing the options. */
	const GOptionEntry entries[] = {
		CLI_RUN_OPTIONS(&r),
		{ "ignore-failure", 0, 0, G_OPTION_ARG_NONE, &r.ignore_failure,
		  "Go on past failed operations and list them", NULL },
		{ NULL }
	};
	g_autoptr(exec_deployment) d = NULL;
	g_autoptr(wf_graph) g = NULL;
	g_autofree char *name = NULL;
	struct wf_state_lookup states;
	struct bp_error *err = NULL;
	int rc = CLI_EXIT_FAILED;

	if (!cli_parse_options(ctx, "uninstall", usage, summary, entries,
			       &argc, &argv))
		return CLI_EXIT_USAGE;
	if (argc != 1) {
		fprintf(stderr, "usage: %s uninstall %s\n", ctx->prog, usage);
		cli_run_release(&r);
		return CLI_EXIT_USAGE;
	}
	if (!cli_run_env_init(&r, ctx, &err) ||
	    !cli_deployment_resolve(r.store, r.deployment, &name, &err) ||
	    !store_lock_acquire(r.store, name, "uninstall", &r.lock, &err))
		goto out;
	if (!cli_run_open(&r, name, &d, &err))
		goto out;
	states.state = state_of;
	states.data = d;
	if (!wf_uninstall(d->plan, NULL, &states, &g, &err))
		goto out;
	if (r.dry_run) {
		cli_print_steps(g);
		rc = CLI_EXIT_OK;
		goto out;
	}
	rc = cli_run_workflow(&r, d, g, NULL) ? CLI_EXIT_OK : CLI_EXIT_FAILED;
out:
	if (err)
		cli_print_error(ctx, err);
	bp_error_free(err);
	g_clear_pointer(&g, wf_graph_free);
	g_clear_pointer(&d, exec_deployment_free);
	cli_run_release(&r);
	return rc;
}
