/* yaml.c: clouds.yaml and secure.yaml to JSON (libyaml's document API),
 * the only YAML the plugin reads. Plain scalars are typed as YAML 1.1
 * reads them where it matters to clouds.yaml (booleans, integers, null);
 * anchors and aliases are resolved by libyaml. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <glib.h>
#include <yaml.h>

#include "os.h"

static json_t *scalar(const yaml_node_t *n)
{
	const char *s = (const char *)n->data.scalar.value;
	static const char *const yes[] = { "true", "yes", "on", NULL };
	static const char *const no[] = { "false", "no", "off", NULL };
	char *end;
	long long v;

	if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return json_string(s);
	for (int i = 0; yes[i]; i++)
		if (!strcasecmp(s, yes[i]))
			return json_true();
	for (int i = 0; no[i]; i++)
		if (!strcasecmp(s, no[i]))
			return json_false();
	if (!*s || !strcmp(s, "~") || !strcmp(s, "null"))
		return json_null();
	errno = 0;
	v = strtoll(s, &end, 10);
	if (!errno && !*end)
		return json_integer(v);
	return json_string(s);
}

static json_t *convert(yaml_document_t *doc, yaml_node_t *n, int depth)
{
	json_t *out;

	if (!n || depth > 64)
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
			if (!k || k->type != YAML_SCALAR_NODE)
				continue;
			json_object_set_new(out,
				(const char *)k->data.scalar.value,
				convert(doc, yaml_document_get_node(doc,
						p->value), depth + 1));
		}
		return out;
	default:
		return json_null();
	}
}

json_t *os_yaml_load(const char *path, char **errmsg)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	json_t *out = NULL;
	FILE *f;

	*errmsg = NULL;
	f = fopen(path, "rb");
	if (!f) {
		if (errno != ENOENT)
			*errmsg = g_strdup_printf("cannot read '%s': %s", path,
					     strerror(errno));
		return NULL;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	if (!yaml_parser_load(&parser, &doc)) {
		*errmsg = g_strdup_printf("%s:%zu:%zu: %s", path,
				     parser.problem_mark.line + 1,
				     parser.problem_mark.column + 1,
				     parser.problem ? parser.problem
						    : "invalid YAML");
	} else {
		out = convert(&doc, yaml_document_get_root_node(&doc), 0);
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	fclose(f);
	return out;
}
