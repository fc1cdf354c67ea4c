/* cmd_run.c: `blueprint run WORKFLOW [-p KEY=VALUE]...`: runs a workflow
 * by name. A workflow the blueprint declares (`workflows:`) runs its
 * mapping: Cloudify's default_workflows.cloudify.plugins.workflows.X is
 * the built-in X; a plugin operation or a script runs once for the whole
 * deployment with the declared parameters as inputs. Without a
 * declaration, the built-ins answer to their names: install, uninstall,
 * start, stop, restart, execute_operation, heal, scale, with Cloudify's
 * parameters (node_ids, operation, node_instance_id, scalable_entity_name,
 * delta, ...). */
#include "cli/run.h"
#include "exec/builtin.h"
#include "exec/scale.h"

#include <string.h>

static const char usage[] = "WORKFLOW [-p KEY=VALUE]...";
static const char summary[] =
	"Run a workflow: one the blueprint declares, or a built-in one\n"
	"(install, uninstall, start, stop, restart, execute_operation,\n"
	"heal, scale) with its parameters.";

#define CLOUDIFY_WORKFLOWS "default_workflows.cloudify.plugins.workflows."

/* Our built-in for a Cloudify workflow function, or NULL. */
static const char *builtin_of(const char *mapping)
{
	static const char *const names[][2] = {
		{ "install", "install" }, { "uninstall", "uninstall" },
		{ "start", "start" }, { "stop", "stop" },
		{ "restart", "restart" },
		{ "execute_operation", "execute_operation" },
		{ "heal", "heal" },
		{ "auto_heal_reinstall_node_subgraph", "heal" },
		{ "scale", "scale" }, { "scale_entity", "scale" },
	};
	const char *fn;

	if (!g_str_has_prefix(mapping, CLOUDIFY_WORKFLOWS))
		return NULL;
	fn = mapping + strlen(CLOUDIFY_WORKFLOWS);
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
		if (!strcmp(fn, names[i][0]))
			return names[i][1];
	return NULL;
}

static GHashTable *table_of(const json_t *params)
{
	GHashTable *t = wf_params_new();
	const char *k;
	json_t *v;

	json_object_foreach((json_t *)params, k, v)
		g_hash_table_insert(t, g_strdup(k), json_incref(v));
	return t;
}

static json_t *object_of(GHashTable *t)
{
	json_t *o = json_object();
	GHashTableIter it;
	gpointer k, v;

	g_hash_table_iter_init(&it, t);
	while (g_hash_table_iter_next(&it, &k, &v))
		json_object_set(o, k, v);
	return o;
}

/* The names in scale's include_instances: a list, one id, or none. */
static char **ids_of(const json_t *v)
{
	GPtrArray *out = g_ptr_array_new();
	size_t i;
	json_t *x;

	if (json_is_string(v))
		g_ptr_array_add(out, g_strdup(json_string_value(v)));
	json_array_foreach(v, i, x)
		if (json_is_string(x))
			g_ptr_array_add(out, g_strdup(json_string_value(x)));
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}

/* scale with Cloudify's parameters. */
static int run_scale(struct cli_run *r, struct exec_deployment *d,
		     const json_t *params, struct bp_error **err)
{
	const char *target = json_string_value(json_object_get(
		params, "scalable_entity_name"));
	const json_t *delta = json_object_get(params, "delta");
	g_auto(GStrv) named = ids_of(json_object_get(params,
						     "include_instances"));
	struct exec_scale s;
	int rc;

	if (!target || (delta && !json_is_integer(delta))) {
		bp_error_set(err, BP_ERR_USAGE, NULL, NULL, "scale needs "
			     "'scalable_entity_name' (a node or group) and an "
			     "integer 'delta'");
		return CLI_EXIT_USAGE;
	}
	if (!exec_scale_plan(d, target, delta ? (int)json_integer_value(delta)
			     : 1, (const char *const *)named, &s, err))
		return CLI_EXIT_USAGE;
	rc = cli_scale(r, d, &s, !json_is_false(json_object_get(
		params, "rollback_if_failed")));
	exec_scale_release(&s);
	return rc;
}

/* A built-in workflow with `params` (consumed). */
static int run_builtin(struct cli_run *r, struct exec_deployment *d,
		       const char *name, json_t *params, struct bp_error **err)
{
	g_autoptr(wf_graph) g = NULL;
	int rc;

	if (!strcmp(name, "heal"))
		return cli_heal(r, d, params);
	if (!strcmp(name, "scale"))
		rc = run_scale(r, d, params, err);
	else if (!exec_builtin_graph(d, name, params, &g, err))
		rc = CLI_EXIT_FAILED;
	else {
		if (json_is_true(json_object_get(params, "ignore_failure")))
			r->env.ignore_failure = true;
		rc = cli_run_graph(r, d, g, params);
	}
	json_decref(params);
	return rc;
}

int cli_run_named(struct cli_run *r, struct exec_deployment *d,
		  const char *name, json_t *params, struct bp_error **err)
{
	const struct model *m = d->model;
	const char *mapping = wf_custom_mapping(m, name);
	const char *builtin = mapping ? builtin_of(mapping) :
			      exec_builtin_known(name) ||
			      !strcmp(name, "scale") ? name : NULL;
	g_autoptr(GHashTable) given = table_of(params);
	g_autoptr(GHashTable) all = NULL;
	g_autoptr(wf_graph) g = NULL;
	int rc;

	json_decref(params);
	if (!mapping && !builtin) {
		bp_error_set(err, BP_ERR_NOT_FOUND, NULL, NULL, "no workflow "
			     "'%s': the blueprint declares none of that name "
			     "and it is not a built-in one", name);
		return CLI_EXIT_USAGE;
	}
	if (mapping && !builtin && g_str_has_prefix(mapping,
						    CLOUDIFY_WORKFLOWS)) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "workflow '%s' "
			     "maps to Cloudify's '%s', which blueprint does "
			     "not implement", name, mapping);
		return CLI_EXIT_FAILED;
	}
	if (mapping && !wf_workflow_params(m, name, given, &all, err))
		return CLI_EXIT_USAGE;
	if (builtin)
		return run_builtin(r, d, builtin, object_of(all ? all : given),
				   err);
	if (!wf_custom(m, name, all, &g, err))
		return CLI_EXIT_USAGE;
	params = object_of(all);
	rc = cli_run_graph(r, d, g, params);
	json_decref(params);
	return rc;
}

int cmd_run(int argc, char **argv, struct cli_ctx *ctx)
{
	struct cli_run r;
	g_auto(GStrv) raw = NULL;
	/* Remember to update man/blueprint.1 when changing the options. */
	const GOptionEntry entries[] = {
		CLI_RUN_OPTIONS(&r),
		{ "param", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &raw,
		  "A workflow parameter (repeatable)", "KEY=VALUE" },
		{ NULL }
	};
	g_autoptr(exec_deployment) d = NULL;
	g_autoptr(GHashTable) given = wf_params_new();
	struct bp_error *err = NULL;
	int rc = CLI_EXIT_FAILED;

	cli_run_init(&r, ctx, argc, argv);
	if (!cli_parse_options(ctx, "run", usage, summary, entries, &argc,
			       &argv))
		return cli_run_end(&r, NULL, CLI_EXIT_USAGE);
	if (argc != 2) {
		fprintf(stderr, "usage: %s run %s\n", ctx->prog, usage);
		return cli_run_end(&r, NULL, CLI_EXIT_USAGE);
	}
	for (size_t i = 0; raw && raw[i]; i++)
		if (!wf_params_add(given, raw[i], &err))
			return cli_run_end(&r, err, CLI_EXIT_USAGE);
	if (cli_run_begin(&r, &d, &err))
		rc = cli_run_named(&r, d, argv[1], object_of(given), &err);
	g_clear_pointer(&d, exec_deployment_free);
	return cli_run_end(&r, err, rc);
}
