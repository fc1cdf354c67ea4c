/* cmd_graph.c: `blueprint graph FILE [--format dot|json|mermaid]`: the
 * blueprint's node templates and the relationships between them, for
 * Graphviz, scripts or Markdown. Containment edges are drawn bold. */
#include "cli/cli.h"
#include "model/model.h"

#include <jansson.h>
#include <limits.h>
#include <string.h>

static const char usage[] = "FILE [--format dot|json|mermaid]";
static const char summary[] =
	"Print the node templates and their relationships as a graph.\n"
	"An edge goes from the source of a relationship to its target.";

/* A relationship type's short name for edge labels: the last dotted part. */
static const char *short_name(const char *type)
{
	const char *dot = strrchr(type, '.');

	return dot ? dot + 1 : type;
}

static void print_dot(const struct model *m)
{
	printf("digraph blueprint {\n  rankdir=BT;\n"
	       "  node [shape=box, style=rounded, fontname=\"sans\"];\n"
	       "  edge [fontname=\"sans\", fontsize=10];\n");
	for (guint i = 0; i < m->node_order->len; i++) {
		const struct model_node *n = m->node_order->pdata[i];
		printf("  \"%s\" [label=\"%s\\n%s", n->name, n->name,
		       n->type->name);
		if (n->default_instances != 1)
			printf("\\n%u instances", n->default_instances);
		printf("\"];\n");
	}
	for (guint i = 0; i < m->node_order->len; i++) {
		const struct model_node *n = m->node_order->pdata[i];
		for (guint k = 0; k < n->rels->len; k++) {
			const struct model_rel *r = n->rels->pdata[k];
			printf("  \"%s\" -> \"%s\" [label=\"%s\"%s];\n",
			       n->name, r->target->name,
			       short_name(r->type->name),
			       r->contained ? ", style=bold" : "");
		}
	}
	printf("}\n");
}

static void print_mermaid(const struct model *m)
{
	printf("graph BT\n");
	for (guint i = 0; i < m->node_order->len; i++) {
		const struct model_node *n = m->node_order->pdata[i];
		printf("  n%u[\"%s<br/>%s\"]\n", n->index, n->name,
		       n->type->name);
	}
	for (guint i = 0; i < m->node_order->len; i++) {
		const struct model_node *n = m->node_order->pdata[i];
		for (guint k = 0; k < n->rels->len; k++) {
			const struct model_rel *r = n->rels->pdata[k];
			printf("  n%u %s|%s| n%u\n", n->index,
			       r->contained ? "==>" : "-->",
			       short_name(r->type->name), r->target->index);
		}
	}
}

static void print_json(const struct model *m)
{
	json_t *nodes = json_array(), *rels = json_array(), *out;
	g_autofree char *text = NULL;

	for (guint i = 0; i < m->node_order->len; i++) {
		const struct model_node *n = m->node_order->pdata[i];
		json_array_append_new(nodes, json_pack("{s:s,s:s,s:i,s:s?}",
			"name", n->name, "type", n->type->name,
			"instances", (int)n->default_instances,
			"host", n->host ? n->host->name : NULL));
		for (guint k = 0; k < n->rels->len; k++) {
			const struct model_rel *r = n->rels->pdata[k];
			json_array_append_new(rels, json_pack(
				"{s:s,s:s,s:s,s:s?,s:b,s:s}",
				"source", n->name, "target", r->target->name,
				"type", r->type->name, "name", r->name,
				"contained", r->contained, "connection",
				r->connection == MODEL_ALL_TO_ONE ?
				"all_to_one" : "all_to_all"));
		}
	}
	out = json_pack("{s:o,s:o}", "nodes", nodes, "relationships", rels);
	text = json_dumps(out, JSON_INDENT(2));
	printf("%s\n", text);
	json_decref(out);
}

int cmd_graph(int argc, char **argv, struct cli_ctx *ctx)
{
	g_autofree char *format = NULL;
	/* Remember to update man/blueprint.1 when changing the options. */
	const GOptionEntry entries[] = {
		{ "format", 'f', 0, G_OPTION_ARG_STRING, &format,
		  "Output format: dot (default), json or mermaid", "FORMAT" },
		{ NULL }
	};
	struct cli_blueprint bp;
	struct bp_diags diags;

	if (!cli_parse_options(ctx, "graph", usage, summary, entries, &argc,
			       &argv))
		return CLI_EXIT_USAGE;
	if (argc != 2) {
		fprintf(stderr, "usage: %s graph %s\n", ctx->prog, usage);
		return CLI_EXIT_USAGE;
	}
	if (format && strcmp(format, "dot") && strcmp(format, "json") &&
	    strcmp(format, "mermaid")) {
		fprintf(stderr, "%s graph: unknown format '%s'; expected one "
			"of 'dot', 'json', 'mermaid'\n", ctx->prog, format);
		return CLI_EXIT_USAGE;
	}
	bp_diags_init(&diags, CLI_MAX_ERRORS);
	if (!cli_load(argv[1], NULL, false, &bp, &diags)) {
		cli_print_diags(ctx, &diags);
		cli_blueprint_release(&bp);
		bp_diags_release(&diags);
		return CLI_EXIT_USAGE;
	}
	if (!format || !strcmp(format, "dot"))
		print_dot(bp.model);
	else if (!strcmp(format, "json"))
		print_json(bp.model);
	else
		print_mermaid(bp.model);
	cli_blueprint_release(&bp);
	bp_diags_release(&diags);
	return CLI_EXIT_OK;
}
