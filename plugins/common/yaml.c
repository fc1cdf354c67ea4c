/*
 * yaml.c: YAML documents to jansson values (yaml.h), through libyaml's
 * document loader, which resolves anchors and aliases for us.
 */
#include "yaml.h"

#include <errno.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#define YAML_MAX_DEPTH 128

static json_t *scalar(const yaml_node_t *n)
{
	static const char *const yes[] = { "true", "yes", "on", NULL };
	static const char *const no[] = { "false", "no", "off", NULL };
	const char *s = (const char *)n->data.scalar.value;
	char *end;
	long long i;
	double d;

	if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return json_stringn(s, n->data.scalar.length);
	for (int k = 0; yes[k]; k++)
		if (!strcasecmp(s, yes[k]))
			return json_true();
	for (int k = 0; no[k]; k++)
		if (!strcasecmp(s, no[k]))
			return json_false();
	if (!*s || !strcmp(s, "~") || !strcasecmp(s, "null"))
		return json_null();
	errno = 0;
	i = strtoll(s, &end, 10);
	if (!errno && !*end && end != s)
		return json_integer(i);
	if (strspn(s, "+-0123456789.eE") == strlen(s) && strpbrk(s, "0123456789")) {
		d = g_ascii_strtod(s, &end);
		if (!*end)
			return json_real(d);
	}
	return json_stringn(s, n->data.scalar.length);
}

static json_t *convert(yaml_document_t *doc, yaml_node_t *n, int depth)
{
	json_t *out;

	if (!n || depth > YAML_MAX_DEPTH)
		return json_null();
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return scalar(n);
	case YAML_SEQUENCE_NODE:
		out = json_array();
		for (yaml_node_item_t *i = n->data.sequence.items.start;
		     i < n->data.sequence.items.top; i++)
			json_array_append_new(out, convert(doc,
				yaml_document_get_node(doc, *i), depth + 1));
		return out;
	case YAML_MAPPING_NODE:
		out = json_object();
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
		     p < n->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(doc, p->key);
			yaml_node_t *v = yaml_document_get_node(doc, p->value);

			if (!k || k->type != YAML_SCALAR_NODE)
				continue;
			if (!strcmp((const char *)k->data.scalar.value, "<<") &&
			    v && v->type == YAML_MAPPING_NODE) {
				/* merge key: the merged map's keys, ours win */
				json_t *m = convert(doc, v, depth + 1);
				json_object_update_missing(out, m);
				json_decref(m);
				continue;
			}
			json_object_set_new(out, (const char *)k->data.scalar.value,
					    convert(doc, v, depth + 1));
		}
		return out;
	default:
		return json_null();
	}
}

json_t *yaml_docs_to_json(const char *text, size_t len, char **errmsg)
{
	yaml_parser_t parser;
	json_t *docs = json_array();

	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text,
				     len ? len : strlen(text));
	for (;;) {
		yaml_document_t doc;
		yaml_node_t *root;

		if (!yaml_parser_load(&parser, &doc)) {
			*errmsg = g_strdup_printf("invalid YAML at line %zu, column %zu: %s",
						  parser.problem_mark.line + 1,
						  parser.problem_mark.column + 1,
						  parser.problem ? parser.problem : "syntax error");
			json_decref(docs);
			yaml_parser_delete(&parser);
			return NULL;
		}
		root = yaml_document_get_root_node(&doc);
		if (!root) {	/* the end of the stream */
			yaml_document_delete(&doc);
			break;
		}
		json_array_append_new(docs, convert(&doc, root, 0));
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	return docs;
}

json_t *yaml_to_json(const char *text, size_t len, char **errmsg)
{
	json_t *docs = yaml_docs_to_json(text, len, errmsg);
	json_t *first;

	if (!docs)
		return NULL;
	first = json_array_size(docs) ? json_incref(json_array_get(docs, 0)) : json_null();
	json_decref(docs);
	return first;
}
