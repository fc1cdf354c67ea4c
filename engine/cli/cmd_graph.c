/* cmd_graph.c: `blueprint graph FILE [--format dot|json|mermaid]`: the
 * blueprint's node templates and the relationships between them, for
 * Graphviz, scripts or Markdown. Containment edges are drawn bold. Names
 * are any YAML key, so each format escapes them its own way. */
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

/* Prints `s` for a double-quoted dot string: '"' and '\\' escaped, line
 * breaks as dot's \\n (names may be any YAML key). */
static void put_dot(const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", stdout);
		else if (*s != '\r')
			putchar(*s);
	}
}

/* Prints `s` for a quoted Mermaid label, which is HTML: the characters
 * that end the label or start markup as entity codes. */
static void put_mermaid(const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '"': fputs("#quot;", stdout); break;
		case '<': fputs("#lt;", stdout); break;
		case '>': fputs("#gt;", stdout); break;
		case '&': fputs("#amp;", stdout); break;
		case '#': fputs("#35;", stdout); break;
		case '|': fputs("#124;", stdout); break;
		case '\n': fputs("<br/>", stdout); break;
		case '\r': break;
		default: putchar(*s);
		}
	}
}

static void print_dot(const struct model *m)
{
	printf("digraph blueprint {\n  rankdir=BT;\n"
	       "  node [shape=box, style=rounded, fontname=\"sans\"];\n"
	       "  edge [fontname=\"sans\", fontsize=10];\n");
	for (guint i = 0; i < m->node_order->len; i++) {
		const struct model_node *n = m->node_order->pdata[i];
		fputs("  \"", stdout);
		put_dot(n->name);
		fputs("\" [label=\"", stdout);
		put_dot(n->name);
		fputs("\\n", stdout);
		put_dot(n->type->name);
		if (n->default_instances != 1)
			printf("\\n%u instances", n->default_instances);
		printf("\"];\n");
	}
	for (guint i = 0; i < m->node_order->len; i++) {
		const struct model_node *n = m->node_order->pdata[i];
		for (guint k = 0; k < n->rels->len; k++) {
			const struct model_rel *r = n->rels->pdata[k];
			fputs("  \"", stdout);
			put_dot(n->name);
			fputs("\" -> \"", stdout);
			put_dot(r->target->name);
			fputs("\" [label=\"", stdout);
			put_dot(short_name(r->type->name));
			printf("\"%s];\n", r->contained ? ", style=bold" : "");
		}
	}
	printf("}\n");
}

/* Nodes are n<index> (Mermaid ids cannot hold every name); names and
 * types go in quoted labels. */
static void print_mermaid(const struct model *m)
{
	printf("graph BT\n");
	for (guint i = 0; i < m->node_order->len; i++) {
		const struct model_node *n = m->node_order->pdata[i];
		printf("  n%u[\"", n->index);
		put_mermaid(n->name);
		fputs("<br/>", stdout);
		put_mermaid(n->type->name);
		printf("\"]\n");
	}
	for (guint i = 0; i < m->node_order->len; i++) {
		const struct model_node *n = m->node_order->pdata[i];
		for (guint k = 0; k < n->rels->len; k++) {
			const struct model_rel *r = n->rels->pdata[k];
			printf("  n%u %s|\"", n->index,
			       r->contained ? "==>" : "-->");
			put_mermaid(short_name(r->type->name));
			printf("\"| n%u\n", r->target->index);
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
