/* cmd_resume.c: `blueprint resume [-d NAME] [--no-rollback]`: finishes
 * what the deployment's last execution left unfinished (its process was
 * killed, or it crashed): the same workflow runs again as the same
 * execution, and the steps it finished are not run again. An unfinished
 * scale is taken up from its modification: the install or uninstall of
 * its instances goes on, or its rollback, or only its records are
 * finished. Nothing unfinished: nothing to do. */
#include "cli/run.h"
#include "exec/scale.h"

#include <string.h>

static const char usage[] = "[-d NAME] [--no-rollback]";
static const char summary[] =
	"Resume the deployment's unfinished execution, or its unfinished\n"
	"scale, skipping the steps it finished.";

/* Takes up started modification `m`. */
static int resume_scale(struct cli_run *r, struct exec_deployment *d,
			const struct store_modification *m, bool rollback,
			struct bp_error **err)
{
	struct exec_scale s;
	int rc;

	if (!exec_scale_resume(&r->env, d, m, &s, err))
		return CLI_EXIT_FAILED;
	if (!r->ctx->quiet)
		printf("resuming the %s of modification %s\n",
		       s.finish_only ? "records" : s.rollback ? "rollback" :
		       "scale", m->id);
	rc = cli_scale(r, d, &s, rollback && !s.no_rollback);
	exec_scale_release(&s);
	return rc;
}

static int resume(struct cli_run *r, struct exec_deployment *d, bool rollback,
		  struct bp_error **err)
{
	g_autoptr(store_execution) x = NULL;
	g_autoptr(store_modification) m = NULL;

	if (!store_execution_find_unfinished(r->store, d->id, &x, err) ||
	    !exec_scale_open(&r->env, d->id, &m, err))
		return CLI_EXIT_FAILED;
	if (m && (!x || !strcmp(x->workflow, "scale")))
		return resume_scale(r, d, m, rollback, err);
	if (x && !strcmp(x->workflow, "scale")) {
		/* its modification ended: nothing of it is left to do */
		return store_execution_set_status(r->store, x->id,
			STORE_EXEC_FAILED, "abandoned: its modification had "
			"ended", err) ? CLI_EXIT_OK : CLI_EXIT_FAILED;
	}
	if (!x) {
		if (!r->ctx->quiet)
			printf("nothing to resume in deployment '%s'\n", d->id);
		return CLI_EXIT_OK;
	}
	if (!r->ctx->quiet)
		printf("resuming %s (execution %s, started by '%s')\n",
		       x->workflow, x->id, x->command);
	return cli_run_named(r, d, x->workflow, json_deep_copy(x->parameters),
			     err);
}

int cmd_resume(int argc, char **argv, struct cli_ctx *ctx)
{
	struct cli_run r;
	gboolean no_rollback = FALSE;
	/* Remember to update man/blueprint.1 when changing the options. */
	const GOptionEntry entries[] = {
		CLI_RUN_OPTIONS(&r),
		{ "no-rollback", 0, 0, G_OPTION_ARG_NONE, &no_rollback,
		  "Keep new instances when a resumed scale out fails", NULL },
		{ NULL }
	};
	g_autoptr(exec_deployment) d = NULL;
	struct bp_error *err = NULL;
	int rc = CLI_EXIT_FAILED;

	cli_run_init(&r, ctx, argc, argv);
	if (!cli_parse_options(ctx, "resume", usage, summary, entries, &argc,
			       &argv))
		return cli_run_end(&r, NULL, CLI_EXIT_USAGE);
	if (argc != 1) {
		fprintf(stderr, "usage: %s resume %s\n", ctx->prog, usage);
		return cli_run_end(&r, NULL, CLI_EXIT_USAGE);
	}
	if (cli_run_begin(&r, &d, &err))
		rc = resume(&r, d, !no_rollback, &err);
	g_clear_pointer(&d, exec_deployment_free);
	return cli_run_end(&r, err, rc);
}
