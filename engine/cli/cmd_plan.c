/* cmd_plan.c: `blueprint plan FILE [-i INPUTS]...`: the node instances a
 * deployment of the blueprint would have and the order install would
 * create them in, wave by wave (everything in one wave can run in
 * parallel). Runs no operation. */
#include "cli/cli.h"
#include "model/model.h"
#include "plan/plan.h"

#include <jansson.h>

static const char usage[] = "FILE [-i INPUTS]...";
static const char summary[] =
	"Show the node instances of a deployment of FILE and the install\n"
	"order: instances in one step have no relationship between them\n"
	"and can be installed in parallel. Runs no operation.";

static void print_text(const struct plan *p, const GPtrArray *waves)
{
	printf("node instances (%u):\n", p->instances->len);
	for (guint i = 0; i < p->instances->len; i++) {
		const struct plan_instance *in = p->instances->pdata[i];
		printf("  %-28s %-20s", in->id, in->node->name);
		if (in->host)
			printf(" on %s", in->host->id);
		printf("\n");
		for (guint k = 0; k < in->rels->len; k++) {
			const struct plan_rel *r = in->rels->pdata[k];
			printf("      -> %s (%s)\n", r->target->id,
			       r->rel->type->name);
		}
	}
	printf("install order (%u step%s):\n", waves->len,
	       waves->len == 1 ? "" : "s");
	for (guint w = 0; w < waves->len; w++) {
		const GPtrArray *wave = waves->pdata[w];
		printf("  %u:", w + 1);
		for (guint i = 0; i < wave->len; i++)
			printf(" %s", ((struct plan_instance *)wave->pdata[i])->id);
		printf("\n");
	}
}

static void print_json(const struct plan *p, const GPtrArray *waves)
{
	json_t *insts = json_array(), *steps = json_array(), *out;
	g_autofree char *text = NULL;

	for (guint i = 0; i < p->instances->len; i++) {
		const struct plan_instance *in = p->instances->pdata[i];
		json_t *rels = json_array();
		for (guint k = 0; k < in->rels->len; k++) {
			const struct plan_rel *r = in->rels->pdata[k];
			json_array_append_new(rels, json_pack("{s:s,s:s}",
				"target", r->target->id,
				"type", r->rel->type->name));
		}
		json_array_append_new(insts, json_pack("{s:s,s:s,s:s?,s:o}",
			"id", in->id, "node", in->node->name,
			"host", in->host ? in->host->id : NULL,
			"relationships", rels));
	}
	for (guint w = 0; w < waves->len; w++) {
		const GPtrArray *wave = waves->pdata[w];
		json_t *ids = json_array();
		for (guint i = 0; i < wave->len; i++)
			json_array_append_new(ids, json_string(
				((struct plan_instance *)wave->pdata[i])->id));
		json_array_append_new(steps, ids);
	}
	out = json_pack("{s:o,s:o}", "instances", insts, "install_order",
			steps);
	text = json_dumps(out, JSON_INDENT(2));
	printf("%s\n", text);
	json_decref(out);
}

int cmd_plan(int argc, char **argv, struct cli_ctx *ctx)
{
	g_auto(GStrv) inputs = NULL;
	gboolean json = FALSE;
	int seed = 0;
	/* Remember to update man/blueprint.1 when changing the options. */
	const GOptionEntry entries[] = {
		{ "inputs", 'i', 0, G_OPTION_ARG_STRING_ARRAY, &inputs,
		  "Input values: a YAML file or k=v,k2=v2 (repeatable)",
		  "INPUTS" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json,
		  "Print the plan as JSON", NULL },
		{ "seed", 0, 0, G_OPTION_ARG_INT, &seed,
		  "Seed for instance ids (reproducible output)", "N" },
		{ NULL }
	};
	struct cli_blueprint bp;
	struct bp_diags diags;
	g_autoptr(plan) p = NULL;
	g_autoptr(GPtrArray) waves = NULL;

	if (!cli_parse_options(ctx, "plan", usage, summary, entries, &argc,
			       &argv))
		return CLI_EXIT_USAGE;
	if (argc != 2) {
		fprintf(stderr, "usage: %s plan %s\n", ctx->prog, usage);
		return CLI_EXIT_USAGE;
	}
	bp_diags_init(&diags, CLI_MAX_ERRORS);
	if (!cli_load(argv[1], inputs, true, &bp, &diags)) {
		cli_print_diags(ctx, &diags);
		cli_blueprint_release(&bp);
		bp_diags_release(&diags);
		return CLI_EXIT_USAGE;
	}
	p = plan_build(bp.model, (guint32)seed);
	waves = plan_waves(p);
	if (json)
		print_json(p, waves);
	else
		print_text(p, waves);
	g_clear_pointer(&p, plan_free);
	cli_blueprint_release(&bp);
	bp_diags_release(&diags);
	return CLI_EXIT_OK;
}
