/* cmd_exec.c: `blueprint exec OPERATION [--node N]... [--instance I]...
 * [-p KEY=VALUE]... [--dependency-order]`: runs one operation on the
 * chosen node instances (all of them by default), Cloudify's
 * execute_operation workflow. Parameters become extra operation inputs;
 * each VALUE is read as a YAML scalar (42, true, 1.5, null, [a, b]) or
 * else taken as a string. */
#include "cli/run.h"
#include "exec/builtin.h"

static const char usage[] =
	"OPERATION [--node NODE]... [--instance ID]... [-p KEY=VALUE]... "
	"[--dependency-order]";
static const char summary[] =
	"Run one operation (INTERFACE.OPERATION, or OPERATION when one\n"
	"interface has it) on node instances: every instance of the nodes\n"
	"given with --node and the instances given with --instance, or all.";

/* (transfer full) a JSON array of the strings `v` (NULL: empty). */
static json_t *string_list(char **v)
{
	json_t *a = json_array();

	for (size_t i = 0; v && v[i]; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

/* The execution's parameters (execute_operation's, see exec/builtin.h). */
static json_t *params_of(const char *op, char **nodes, char **ids,
			 GHashTable *kwargs, bool dependency_order)
{
	json_t *args = json_object();
	GHashTableIter it;
	gpointer k, v;

	g_hash_table_iter_init(&it, kwargs);
	while (g_hash_table_iter_next(&it, &k, &v))
		json_object_set(args, k, v);
	return json_pack("{s:s, s:o, s:o, s:o, s:b}", "operation", op,
			 "operation_kwargs", args, "node_ids",
			 string_list(nodes), "node_instance_ids",
			 string_list(ids), "run_by_dependency_order",
			 dependency_order);
}

int cmd_exec(int argc, char **argv, struct cli_ctx *ctx)
{
	struct cli_run r;
	g_auto(GStrv) nodes = NULL;
	g_auto(GStrv) ids = NULL;
	g_auto(GStrv) raw = NULL;
	gboolean ordered = FALSE;
	/* Remember to update man/blueprint.1 when changing the options. */
	const GOptionEntry entries[] = {
		CLI_RUN_OPTIONS(&r),
		{ "node", 0, 0, G_OPTION_ARG_STRING_ARRAY, &nodes,
		  "Every instance of this node (repeatable)", "NODE" },
		{ "instance", 0, 0, G_OPTION_ARG_STRING_ARRAY, &ids,
		  "This node instance (repeatable)", "ID" },
		{ "param", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &raw,
		  "An operation input (repeatable)", "KEY=VALUE" },
		{ "dependency-order", 0, 0, G_OPTION_ARG_NONE, &ordered,
		  "Run on relationship targets before their sources", NULL },
		{ NULL }
	};
	g_autoptr(exec_deployment) d = NULL;
	g_autoptr(wf_graph) g = NULL;
	g_autoptr(GHashTable) kwargs = wf_params_new();
	json_t *params = NULL;
	struct bp_error *err = NULL;
	int rc = CLI_EXIT_FAILED;

	cli_run_init(&r, ctx, argc, argv);
	if (!cli_parse_options(ctx, "exec", usage, summary, entries, &argc,
			       &argv))
		return cli_run_end(&r, NULL, CLI_EXIT_USAGE);
	if (argc != 2) {
		fprintf(stderr, "usage: %s exec %s\n", ctx->prog, usage);
		return cli_run_end(&r, NULL, CLI_EXIT_USAGE);
	}
	for (size_t i = 0; raw && raw[i]; i++)
		if (!wf_params_add(kwargs, raw[i], &err))
			return cli_run_end(&r, err, CLI_EXIT_USAGE);
	if (cli_run_begin(&r, &d, &err)) {
		params = params_of(argv[1], nodes, ids, kwargs, ordered);
		if (exec_builtin_graph(d, "execute_operation", params, &g,
				       &err))
			rc = cli_run_graph(&r, d, g, params);
	}
	json_decref(params);
	g_clear_pointer(&g, wf_graph_free);
	g_clear_pointer(&d, exec_deployment_free);
	return cli_run_end(&r, err, rc);
}
