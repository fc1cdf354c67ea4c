/* cmd_deployments.c: `blueprint deployments [list] [--json]` lists the
 * deployments of a state directory (blueprint, creation time, instance
 * count, last execution); `blueprint deployments delete NAME [--force]`
 * forgets one with everything recorded about it. Delete refuses while
 * the deployment has live instances (created and not deleted: their
 * resources still exist) unless --force, and takes the deployment's
 * execution lock so no workflow runs meanwhile. No alias for delete. */
#include "cli/cli.h"
#include "cli/output.h"
#include "store/store.h"

#include <string.h>

static const char list_usage[] = "[list] [--json]";
static const char list_summary[] =
	"List the deployments: blueprint, creation time, number of node\n"
	"instances and the last execution.";
static const char delete_usage[] = "NAME [--force]";
static const char delete_summary[] =
	"Delete deployment NAME from the state directory: its instances,\n"
	"executions and events. Refuses while it has live instances (run\n"
	"'blueprint uninstall' first) unless --force, which forgets them\n"
	"without touching their resources.";

/* What the list shows of one deployment. */
struct dep_row {
	const struct store_deployment *d;   /* (transfer none) */
	guint instances;
	struct store_execution *last;       /* owned, or NULL */
};

static void dep_row_clear(void *p)
{
	store_execution_free(((struct dep_row *)p)->last);
}

static bool read_row(struct store *s, const struct store_deployment *d,
		     struct dep_row *row, struct bp_error **err)
{
	g_autoptr(GPtrArray) instances = NULL;
	g_autoptr(GPtrArray) execs = NULL;

	if (!store_instance_list(s, d->id, NULL, &instances, err) ||
	    !store_execution_list(s, d->id, &execs, err))
		return false;
	row->d = d;
	row->instances = instances->len;
	row->last = execs->len ? g_ptr_array_steal_index(execs,
							 execs->len - 1)
			       : NULL;
	return true;
}

static void print_json(const GArray *rows)
{
	json_t *doc = json_array();

	for (guint i = 0; i < rows->len; i++) {
		const struct dep_row *r = &g_array_index(rows, struct dep_row,
							 i);
		g_autofree char *created = cli_time_iso(r->d->created_at);
		json_t *last = json_null();
		if (r->last)
			last = json_pack("{s:s,s:s,s:s}", "id", r->last->id,
					 "workflow", r->last->workflow,
					 "status", store_exec_status_name(
						 r->last->status));
		json_array_append_new(doc, json_pack(
			"{s:s,s:s,s:s?,s:I,s:o}", "id", r->d->id,
			"blueprint", r->d->blueprint_path, "created", created,
			"instances", (json_int_t)r->instances,
			"last_execution", last));
	}
	cli_print_json(doc);
}

static void print_table(const GArray *rows)
{
	static const char *const header[] = {
		"DEPLOYMENT", "BLUEPRINT", "CREATED", "INSTANCES",
		"LAST EXECUTION", NULL,
	};
	g_autoptr(cli_table) t = cli_table_new(header);

	for (guint i = 0; i < rows->len; i++) {
		const struct dep_row *r = &g_array_index(rows, struct dep_row,
							 i);
		g_autofree char *created = cli_time_local(r->d->created_at);
		g_autofree char *count = g_strdup_printf("%u", r->instances);
		g_autofree char *last = r->last ? g_strdup_printf("%s %s",
			r->last->workflow,
			store_exec_status_name(r->last->status)) : NULL;
		const char *cells[] = { r->d->id, r->d->blueprint_path,
					created, count, last };
		cli_table_add(t, cells);
	}
	cli_table_print(t, stdout, cli_color_for(stdout));
}

static int deployments_list(int argc, char **argv, struct cli_ctx *ctx)
{
	g_autofree char *state_dir = NULL;
	gboolean json = FALSE;
	/* Remember to update the man page when changing the options. */
	const GOptionEntry entries[] = {
		CLI_STATE_DIR_OPTION(&state_dir),
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json,
		  "Print the deployments as JSON", NULL },
		{ NULL }
	};
	g_autoptr(store) s = NULL;
	g_autoptr(GPtrArray) deps = NULL;
	g_autoptr(GArray) rows = g_array_new(FALSE, TRUE,
					     sizeof(struct dep_row));
	struct bp_error *err = NULL;

	g_array_set_clear_func(rows, dep_row_clear);
	if (!cli_parse_options(ctx, argv[0], list_usage, list_summary,
			       entries, &argc, &argv))
		return CLI_EXIT_USAGE;
	if (argc != 1) {
		fprintf(stderr, "usage: %s deployments %s\n", ctx->prog,
			list_usage);
		return CLI_EXIT_USAGE;
	}
	if (!cli_state_open(state_dir, &s, &err) ||
	    !store_deployment_list(s, &deps, &err))
		return cli_error_exit(ctx, err);
	for (guint i = 0; i < deps->len; i++) {
		struct dep_row r;
		if (!read_row(s, deps->pdata[i], &r, &err))
			return cli_error_exit(ctx, err);
		g_array_append_val(rows, r);
	}
	if (json)
		print_json(rows);
	else if (rows->len == 0)
		printf("no deployments in '%s'\n", store_state_dir(s));
	else
		print_table(rows);
	return CLI_EXIT_OK;
}

/* Fails with BP_ERR_CONFLICT naming the live instances of `dep`. */
static bool check_no_live(struct store *s, const char *dep,
			  struct bp_error **err)
{
	g_autoptr(GPtrArray) instances = NULL;
	g_autoptr(GString) live = g_string_new(NULL);
	guint n = 0;

	if (!store_instance_list(s, dep, NULL, &instances, err))
		return false;
	for (guint i = 0; i < instances->len; i++) {
		const struct store_instance *in = instances->pdata[i];
		if (in->state == STORE_INSTANCE_INITIAL ||
		    in->state == STORE_INSTANCE_DELETED)
			continue;
		if (n++ < 3)
			g_string_append_printf(live, "%s'%s' %s",
					       n > 1 ? ", " : "", in->id,
					       store_instance_state_name(
						       in->state));
	}
	if (!n)
		return true;
	bp_error_set(err, BP_ERR_CONFLICT, NULL, NULL, "deployment '%s' has "
		     "%u live instance%s (%s%s); run 'blueprint uninstall -d "
		     "%s' first, or delete with --force to forget them", dep,
		     n, n == 1 ? "" : "s", live->str, n > 3 ? ", ..." : "",
		     dep);
	return false;
}

static int deployments_delete(int argc, char **argv, struct cli_ctx *ctx)
{
	g_autofree char *state_dir = NULL;
	gboolean force = FALSE;
	/* Remember to update the man page when changing the options. */
	const GOptionEntry entries[] = {
		CLI_STATE_DIR_OPTION(&state_dir),
		{ "force", 0, 0, G_OPTION_ARG_NONE, &force,
		  "Delete even with live instances (their resources stay)",
		  NULL },
		{ NULL }
	};
	g_autoptr(store) s = NULL;
	g_autoptr(store_lock) lock = NULL;
	g_autoptr(store_deployment) d = NULL;
	struct bp_error *err = NULL;

	if (!cli_parse_options(ctx, argv[0], delete_usage, delete_summary,
			       entries, &argc, &argv))
		return CLI_EXIT_USAGE;
	if (argc != 2) {
		fprintf(stderr, "usage: %s deployments delete %s\n", ctx->prog,
			delete_usage);
		return CLI_EXIT_USAGE;
	}
	if (!cli_state_open(state_dir, &s, &err) ||
	    !store_deployment_get(s, argv[1], &d, &err) ||
	    !store_lock_acquire(s, argv[1], "blueprint deployments delete",
				&lock, &err) ||
	    (!force && !check_no_live(s, argv[1], &err)) ||
	    !store_deployment_delete(s, argv[1], &err))
		return cli_error_exit(ctx, err);
	if (!ctx->quiet)
		fprintf(stderr, "deleted deployment '%s'\n", argv[1]);
	return CLI_EXIT_OK;
}

/* Sorted; exact names only. */
static const struct cli_command deployments_commands[] = {
	{ "delete", deployments_delete, "Delete a deployment and its records" },
	{ "list",   deployments_list,   "List the deployments (the default)" },
	{ NULL, NULL, NULL },
};

int cmd_deployments(int argc, char **argv, struct cli_ctx *ctx)
{
	/* `deployments` and `deployments --json` mean `deployments list`. */
	bool sub = argc > 1 && (argv[1][0] != '-' ||
				!strcmp(argv[1], "--help") ||
				!strcmp(argv[1], "-h"));

	if (!sub)
		return deployments_list(argc, argv, ctx);
	return cli_run_subcommand(deployments_commands, "deployments", argc,
				  argv, ctx);
}
