/* cmd_scale.c: `blueprint scale NODE|GROUP +N|-N [-d NAME] [--instance
 * ID]... [--no-rollback]`: adds N instances of a node (under each
 * instance of its host) or of a scaling group, with everything they
 * contain, and installs only them; or removes N (the named instances
 * first, then the newest) after uninstalling them. The change is a
 * modification in the store (exec/scale.h); a failed scale out is rolled
 * back unless --no-rollback. */
#include "cli/run.h"
#include "exec/scale.h"

#include <string.h>

static const char usage[] =
	"NODE|GROUP +N|-N [-d NAME] [--instance ID]... [--no-rollback]";
static const char summary[] =
	"Scale a node or a scaling group out (+N) or in (-N).";

struct scale_work {
	struct exec_deployment *d;
	struct exec_scale *s;
	bool rollback;
};

static bool run_scale(struct cli_run *r, void *data, struct exec_report *rep,
		      struct bp_error **err)
{
	struct scale_work *w = data;

	return exec_scale_run(&r->env, w->d, w->s, w->rollback, rep, err);
}

/* Prints what a scale changed: "web: added web_abc123, db_def456". */
static void print_change(const struct exec_scale *s)
{
	const GPtrArray *list = s->delta > 0 ? s->mod.added : s->mod.removed;

	printf("%s: %s", s->target, s->delta > 0 ? "added" : "removed");
	for (guint i = 0; i < list->len; i++)
		printf("%s %s", i ? "," : "",
		       ((const struct plan_instance *)list->pdata[i])->id);
	printf("\n");
}

int cli_scale(struct cli_run *r, struct exec_deployment *d,
	      struct exec_scale *s, bool rollback)
{
	struct scale_work w = { d, s, rollback };

	if (r->dry_run) {
		if (s->graph)
			cli_print_steps(s->graph);
		return CLI_EXIT_OK;
	}
	if (!cli_run_guarded(r, "scale", run_scale, &w))
		return CLI_EXIT_FAILED;
	if (!r->ctx->quiet && !s->finish_only && !s->rollback)
		print_change(s);
	return CLI_EXIT_OK;
}

/* The delta argument: "+N", "-N" or "N" (N > 0). */
static bool is_delta(const char *arg)
{
	const char *p = arg + (*arg == '+' || *arg == '-');

	return *p && strspn(p, "0123456789") == strlen(p);
}

/* Takes a "-N" delta (or one after "--") out of argv before GOption reads
 * it as an option; returns it (transfer none), or NULL. */
static const char *steal_negative(int *argc, char **argv)
{
	bool rest = false;

	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i];
		if (!rest && !strcmp(a, "--")) {
			rest = true;
			continue;
		}
		if (a[0] != '-' || !is_delta(a))
			continue;
		memmove(argv + i, argv + i + 1,
			(size_t)(*argc - i) * sizeof(*argv));
		(*argc)--;
		return a;
	}
	return NULL;
}

int cmd_scale(int argc, char **argv, struct cli_ctx *ctx)
{
	struct cli_run r;
	g_auto(GStrv) named = NULL;
	gboolean no_rollback = FALSE;
	/* Remember to update man/blueprint.1 when changing the options. */
	const GOptionEntry entries[] = {
		CLI_RUN_OPTIONS(&r),
		{ "instance", 0, 0, G_OPTION_ARG_STRING_ARRAY, &named,
		  "Remove this instance first (repeatable; with -N)", "ID" },
		{ "no-rollback", 0, 0, G_OPTION_ARG_NONE, &no_rollback,
		  "Keep the new instances when the scale out fails", NULL },
		{ NULL }
	};
	g_autoptr(exec_deployment) d = NULL;
	struct exec_scale s = { 0 };
	struct bp_error *err = NULL;
	const char *delta;
	gint64 n = 0;
	int rc = CLI_EXIT_FAILED;

	cli_run_init(&r, ctx, argc, argv);
	delta = steal_negative(&argc, argv);
	if (!cli_parse_options(ctx, "scale", usage, summary, entries, &argc,
			       &argv))
		return cli_run_end(&r, NULL, CLI_EXIT_USAGE);
	if (!delta && argc == 3)
		delta = argv[--argc];
	if (argc != 2 || !delta || !is_delta(delta) ||
	    !g_ascii_string_to_signed(delta, 10, -1000000, 1000000, &n, NULL) ||
	    n == 0) {
		fprintf(stderr, "usage: %s scale %s\n", ctx->prog, usage);
		return cli_run_end(&r, NULL, CLI_EXIT_USAGE);
	}
	if (!cli_run_begin(&r, &d, &err))
		return cli_run_end(&r, err, CLI_EXIT_FAILED);
	if (!exec_scale_plan(d, argv[1], (int)n, (const char *const *)named,
			     &s, &err)) {
		rc = CLI_EXIT_USAGE;
	} else {
		rc = cli_scale(&r, d, &s, !no_rollback);
		exec_scale_release(&s);
	}
	g_clear_pointer(&d, exec_deployment_free);
	if (err) {
		cli_print_error(ctx, err);
		bp_error_free(err);
	}
	return cli_run_end(&r, NULL, rc);
}
