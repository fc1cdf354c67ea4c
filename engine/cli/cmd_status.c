/* cmd_status.c: `blueprint status [-d NAME] [--json]`: the node instances
 * of a deployment as the store has them: node, instance id, state, host,
 * and the runtime properties people look for first (every one with -v,
 * and in JSON). Secret values are masked wherever they appear. */
#include "cli/cli.h"
#include "cli/output.h"
#include "store/store.h"
#include "util/mask.h"

static const char usage[] = "[-d NAME] [--json]";
static const char summary[] =
	"Show the node instances of a deployment: node, id, state, host and\n"
	"key runtime properties (ip, public_ip, external_id, id, name; all of\n"
	"them with -v or --json). Secret values are shown as ******.";

/* The runtime properties the table shows without -v, in this order. */
static const char *const key_props[] = {
	"ip", "public_ip", "public_ip_address", "private_ip", "external_id",
	"id", "name", NULL,
};

static void append_prop(GString *out, const char *key, json_t *v)
{
	g_autofree char *text = json_is_string(v) ? NULL :
		json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

	g_string_append_printf(out, "%s%s=%s", out->len ? " " : "", key,
			       text ? text : json_string_value(v));
}

/* (transfer full) "ip=10.0.0.5 name=web", masked. */
static char *props_text(json_t *props, bool all, const struct bp_mask *mask)
{
	g_autoptr(GString) out = g_string_new(NULL);
	const char *key;
	json_t *v;

	if (all) {
		json_object_foreach(props, key, v)
			append_prop(out, key, v);
	} else {
		for (size_t i = 0; key_props[i]; i++)
			if ((v = json_object_get(props, key_props[i])))
				append_prop(out, key_props[i], v);
	}
	return bp_mask_text(mask, out->len ? out->str : "-");
}

static void print_table(const GPtrArray *instances, bool all,
			const struct bp_mask *mask)
{
	static const char *const header[] = {
		"NODE", "INSTANCE", "STATE", "HOST", "PROPERTIES", NULL,
	};
	g_autoptr(cli_table) t = cli_table_new(header);

	for (guint i = 0; i < instances->len; i++) {
		const struct store_instance *in = instances->pdata[i];
		g_autofree char *props = props_text(in->runtime_props, all,
						    mask);
		const char *row[] = {
			in->node, in->id, store_instance_state_name(in->state),
			in->host_id, props,
		};
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout, cli_color_for(stdout));
}

static void print_json(const char *deployment, const GPtrArray *instances,
		       const struct bp_mask *mask)
{
	json_t *list = json_array();

	for (guint i = 0; i < instances->len; i++) {
		const struct store_instance *in = instances->pdata[i];
		json_array_append_new(list, json_pack(
			"{s:s,s:s,s:s,s:s?,s:I,s:o}", "id", in->id,
			"node", in->node,
			"state", store_instance_state_name(in->state),
			"host", in->host_id, "index", (json_int_t)in->index,
			"runtime_properties",
			bp_mask_json(mask, in->runtime_props)));
	}
	cli_print_json(json_pack("{s:s,s:o}", "deployment", deployment,
				 "instances", list));
}

int cmd_status(int argc, char **argv, struct cli_ctx *ctx)
{
	g_autofree char *state_dir = NULL;
	g_autofree char *dep_opt = NULL;
	gboolean json = FALSE;
	/* Remember to update the man page when changing the options. */
	const GOptionEntry entries[] = {
		CLI_STATE_OPTIONS(&state_dir, &dep_opt),
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json,
		  "Print the instances as JSON", NULL },
		{ NULL }
	};
	g_autoptr(store) s = NULL;
	g_autofree char *dep = NULL;
	g_autoptr(GPtrArray) instances = NULL;
	g_autoptr(bp_mask) mask = NULL;
	struct bp_error *err = NULL;

	if (!cli_parse_options(ctx, "status", usage, summary, entries, &argc,
			       &argv))
		return CLI_EXIT_USAGE;
	if (argc != 1) {
		fprintf(stderr, "usage: %s status %s\n", ctx->prog, usage);
		return CLI_EXIT_USAGE;
	}
	if (!cli_state_open(state_dir, &s, &err) ||
	    !cli_deployment_resolve(s, dep_opt, &dep, &err) ||
	    !store_instance_list(s, dep, NULL, &instances, &err) ||
	    !store_secret_mask(s, &mask, &err))
		return cli_error_exit(ctx, err);
	if (json)
		print_json(dep, instances, mask);
	else if (instances->len == 0)
		printf("deployment '%s' has no node instances\n", dep);
	else
		print_table(instances, ctx->verbose, mask);
	return CLI_EXIT_OK;
}
