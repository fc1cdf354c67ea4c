/* cmd_install.c: `blueprint install FILE [-d NAME] [-i INPUTS]...`:
 * creates the deployment (blueprint + inputs) when it does not exist yet,
 * then creates, configures and starts every node instance, in parallel
 * wherever relationships allow. Run again after a failure or a kill, it
 * goes on from where the deployment is. */
#include "cli/run.h"
#include "exec/builtin.h"
#include "dsl/node.h"
#include "model/model.h"
#include "plugin/check.h"

static const char usage[] = "FILE [-d NAME] [-i INPUTS]...";
static const char summary[] =
	"Install a blueprint: create the deployment NAME (default: FILE's\n"
	"name) and run the install workflow on it.";

/* The deployment name a blueprint file gives: its base name without the
 * extension. */
static char *default_name(const char *file)
{
	g_autofree char *base = g_path_get_basename(file);
	char *dot = strrchr(base, '.');

	if (dot && dot != base)
		*dot = '\0';
	return g_strdup(base);
}

/* Opens the deployment, creating it from FILE when it does not exist. */
static struct exec_deployment *open_or_create(struct cli_run *r,
					      const char *file, char **inputs,
					      struct bp_error **err)
{
	struct cli_blueprint bp;
	struct bp_diags diags;
	struct exec_deployment *d;
	struct store_deployment *rec = NULL;

	if (store_deployment_get(r->store, r->deployment, &rec, NULL)) {
		store_deployment_free(rec);
		return cli_run_open(r, r->deployment, &d, err) ? d : NULL;
	}
	bp_diags_init(&diags, CLI_MAX_ERRORS);
	if (!cli_load(file, inputs, true, &bp, &diags)) {
		cli_print_diags(r->ctx, &diags);
		bp_diags_release(&diags);
		cli_blueprint_release(&bp);
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "'%s' is not a "
			     "valid blueprint", file);
		return NULL;
	}
	bp_diags_release(&diags);
	/* a dry run plans it in memory: it changes nothing */
	d = r->dry_run ? exec_deployment_draft(r->deployment, file, bp.model,
					       bp.inputs_doc, bp.inputs, err) :
	    exec_deployment_new(&r->env, r->deployment, file, bp.model,
				bp.inputs_doc, bp.inputs, err);
	bp = (struct cli_blueprint){ 0 };
	return d;
}

/* Nothing starts when an operation has no plugin to run it. */
static bool operations_resolve(struct cli_run *r, struct exec_deployment *d)
{
	struct bp_diags diags;
	bool ok;

	bp_diags_init(&diags, CLI_MAX_ERRORS);
	ok = plugin_check_model(r->plugins, d->model, d->blueprint_dir,
				&diags) == 0;
	if (!ok)
		cli_print_diags(r->ctx, &diags);
	bp_diags_release(&diags);
	return ok;
}

/* Opens the store, takes the deployment's lock (not for --dry-run) and
 * opens or creates the deployment. */
static struct exec_deployment *begin(struct cli_run *r, const char *file,
				     char **inputs, struct bp_error **err)
{
	g_autofree char *dir = g_path_get_dirname(file);

	if (!cli_run_env_init(r, r->ctx, err))
		return NULL;
	if (!r->dry_run && !store_lock_acquire(r->store, r->deployment,
					       r->cmdline, &r->lock, err))
		return NULL;
	cli_run_plugins(r, dir);
	return open_or_create(r, file, inputs, err);
}

int cmd_install(int argc, char **argv, struct cli_ctx *ctx)
{
	struct cli_run r;
	g_auto(GStrv) inputs = NULL;
	/* Remember to update man/blueprint.1 when changing the options. */
	const GOptionEntry entries[] = {
		CLI_RUN_OPTIONS(&r),
		{ "inputs", 'i', 0, G_OPTION_ARG_STRING_ARRAY, &inputs,
		  "Input values: a YAML file or k=v,k2=v2 (repeatable)",
		  "INPUTS" },
		{ NULL }
	};
	g_autoptr(exec_deployment) d = NULL;
	g_autoptr(wf_graph) g = NULL;
	json_t *params = NULL;
	struct bp_error *err = NULL;
	int rc = CLI_EXIT_FAILED;

	cli_run_init(&r, ctx, argc, argv);
	if (!cli_parse_options(ctx, "install", usage, summary, entries,
			       &argc, &argv))
		return cli_run_end(&r, NULL, CLI_EXIT_USAGE);
	if (argc != 2) {
		fprintf(stderr, "usage: %s install %s\n", ctx->prog, usage);
		return cli_run_end(&r, NULL, CLI_EXIT_USAGE);
	}
	if (!r.deployment)
		r.deployment = default_name(argv[1]);
	d = begin(&r, argv[1], inputs, &err);
	if (!d) {
		rc = err && err->code == BP_ERR_INVALID ? CLI_EXIT_USAGE :
		     CLI_EXIT_FAILED;
	} else if (!operations_resolve(&r, d)) {
		rc = CLI_EXIT_USAGE;
	} else {
		params = json_object();
		if (exec_builtin_graph(d, "install", params, &g, &err))
			rc = cli_run_graph(&r, d, g, params);
	}
	json_decref(params);
	g_clear_pointer(&g, wf_graph_free);
	g_clear_pointer(&d, exec_deployment_free);
	return cli_run_end(&r, err, rc);
}
