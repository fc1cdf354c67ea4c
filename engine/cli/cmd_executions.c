/* cmd_executions.c: `blueprint executions [-d NAME] [--json]`: the
 * workflow runs of a deployment, oldest first: id, workflow, status, when
 * it started and ended, and why it failed. */
#include "cli/cli.h"
#include "cli/output.h"
#include "store/store.h"
#include "util/mask.h"

#include <string.h>

static const char usage[] = "[-d NAME] [--json]";
static const char summary[] =
	"List the executions (workflow runs) of a deployment, oldest first:\n"
	"id, workflow, status, start and end time, and the error of a failed\n"
	"one. 'blueprint events --execution ID' shows what one did.";

static void print_table(const GPtrArray *execs, const struct bp_mask *mask)
{
	static const char *const header[] = {
		"EXECUTION", "WORKFLOW", "STATUS", "STARTED", "ENDED", "ERROR",
		NULL,
	};
	g_autoptr(cli_table) t = cli_table_new(header);

	for (guint i = 0; i < execs->len; i++) {
		const struct store_execution *e = execs->pdata[i];
		g_autofree char *started = cli_time_local(e->started_at);
		g_autofree char *ended = cli_time_local(e->ended_at);
		g_autofree char *error = bp_mask_text(mask, e->error);
		const char *row[] = {
			e->id, e->workflow, store_exec_status_name(e->status),
			started, ended, error,
		};
		if (error && strchr(error, '\n'))
			*strchr(error, '\n') = '\0';
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout, cli_color_for(stdout));
}

static void print_json(const GPtrArray *execs, const struct bp_mask *mask)
{
	json_t *doc = json_array();

	for (guint i = 0; i < execs->len; i++) {
		const struct store_execution *e = execs->pdata[i];
		g_autofree char *created = cli_time_iso(e->created_at);
		g_autofree char *started = cli_time_iso(e->started_at);
		g_autofree char *ended = cli_time_iso(e->ended_at);
		g_autofree char *error = bp_mask_text(mask, e->error);
		json_array_append_new(doc, json_pack(
			"{s:s,s:s,s:s,s:s,s:s?,s:s?,s:s?,s:o}",
			"id", e->id, "workflow", e->workflow,
			"status", store_exec_status_name(e->status),
			"created", created, "started", started,
			"ended", ended, "error", error,
			"parameters", bp_mask_json(mask, e->parameters)));
	}
	cli_print_json(doc);
}

int cmd_executions(int argc, char **argv, struct cli_ctx *ctx)
{
	g_autofree char *state_dir = NULL;
	g_autofree char *dep_opt = NULL;
	gboolean json = FALSE;
	/* Remember to update the man page when changing the options. */
	const GOptionEntry entries[] = {
		CLI_STATE_OPTIONS(&state_dir, &dep_opt),
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json,
		  "Print the executions as JSON", NULL },
		{ NULL }
	};
	g_autoptr(store) s = NULL;
	g_autofree char *dep = NULL;
	g_autoptr(GPtrArray) execs = NULL;
	g_autoptr(bp_mask) mask = NULL;
	struct bp_error *err = NULL;

	if (!cli_parse_options(ctx, "executions", usage, summary, entries,
			       &argc, &argv))
		return CLI_EXIT_USAGE;
	if (argc != 1) {
		fprintf(stderr, "usage: %s executions %s\n", ctx->prog, usage);
		return CLI_EXIT_USAGE;
	}
	if (!cli_state_open(state_dir, &s, &err) ||
	    !cli_deployment_resolve(s, dep_opt, &dep, &err) ||
	    !store_execution_list(s, dep, &execs, &err) ||
	    !store_secret_mask(s, &mask, &err))
		return cli_error_exit(ctx, err);
	if (json)
		print_json(execs, mask);
	else if (execs->len == 0)
		printf("deployment '%s' has no executions\n", dep);
	else
		print_table(execs, mask);
	return CLI_EXIT_OK;
}
