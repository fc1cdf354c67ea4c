/* inputs.c: deployment inputs from the command line (-i), merged into one
 * YAML map with marks. See value.h for the accepted forms.
 *
 * Files and inline maps are parsed with dsl/ and their nodes copied into
 * the result document (a document owns its nodes, and the result outlives
 * the parsed pieces); KEY=VALUE pairs become scalars resolved as YAML
 * resolves plain scalars.
 */
#include "model/value.h"

#include <string.h>

/* A copy of `n` in `doc`, marks kept, lines shifted by `shift`. */
static struct dsl_node *copy_node(struct dsl_doc *doc,
				  const struct dsl_node *n, unsigned shift)
{
	struct bp_mark m = n->mark;
	struct dsl_node *out;

	m.line += shift;
	switch (n->kind) {
	case DSL_SCALAR:
		out = dsl_new_scalar(doc, &m, n->stype, n->u.scalar.str);
		out->quoted = n->quoted;
		return out;
	case DSL_SEQ:
		out = dsl_new_seq(doc, &m, n->u.seq.n);
		for (uint32_t i = 0; i < n->u.seq.n; i++)
			out->u.seq.items[i] = copy_node(doc, n->u.seq.items[i],
							shift);
		return out;
	case DSL_MAP:
		out = dsl_new_map(doc, &m, n->u.map.n);
		for (uint32_t i = 0; i < n->u.map.n; i++)
			dsl_map_put(doc, out,
				    copy_node(doc, n->u.map.items[i].key, shift),
				    copy_node(doc, n->u.map.items[i].value,
					      shift));
		return out;
	default:
		return dsl_new_null(doc, &m);
	}
}

/* Merges the map at the root of `src` into the result, key by key. */
static bool merge_doc(struct dsl_doc *out, const struct dsl_doc *src,
		      const char *what, unsigned shift, struct bp_error **err)
{
	const struct dsl_node *root = src->root;

	if (dsl_is_null(root))
		return true;
	if (!dsl_is_map(root)) {
		struct bp_mark m = root->mark;
		m.line += shift;
		bp_error_set(err, BP_ERR_INVALID, &m, NULL, "expected a map of "
			     "inputs in %s, found %s", what,
			     dsl_type_name_a(root));
		return false;
	}
	for (uint32_t i = 0; i < root->u.map.n; i++)
		dsl_map_put(out, out->root,
			    copy_node(out, root->u.map.items[i].key, shift),
			    copy_node(out, root->u.map.items[i].value, shift));
	return true;
}

static bool is_key_char(char c)
{
	return g_ascii_isalnum(c) || c == '_' || c == '-' || c == '.';
}

/* True when `p` starts with KEY=. */
static bool at_key(const char *p)
{
	const char *q = p;

	while (is_key_char(*q))
		q++;
	return q > p && *q == '=';
}

/* The end of the value that starts at `p`: the next ',' or ';' followed by
 * KEY=, or the end of the text. */
static const char *value_end(const char *p)
{
	for (; *p; p++)
		if ((*p == ',' || *p == ';') && at_key(p + 1))
			return p;
	return p;
}

/* A scalar (or null) node for the text of one VALUE. */
static struct dsl_node *value_node(struct dsl_doc *doc, const char *s,
				   size_t len, const struct bp_mark *m)
{
	g_autofree char *text = g_strndup(s, len);
	enum dsl_stype stype;
	bool is_null;

	if (len >= 2 && (s[0] == '"' || s[0] == '\'') && s[len - 1] == s[0]) {
		text[len - 1] = '\0';
		return dsl_new_str(doc, m, text + 1);
	}
	stype = dsl_resolve_plain(text, len, &is_null);
	if (is_null)
		return dsl_new_null(doc, m);
	return dsl_new_scalar(doc, m, stype, text);
}

static bool add_pairs(struct dsl_doc *out, const char *arg, unsigned line,
		      struct bp_error **err)
{
	const char *p = arg;
	const char *cmdline = g_intern_static_string(MODEL_INPUTS_CMDLINE);

	while (*p) {
		const char *eq = p, *end;
		struct bp_mark km = { cmdline, line, (unsigned)(p - arg) + 1 };
		struct bp_mark vm = km;
		g_autofree char *key = NULL;

		while (is_key_char(*eq))
			eq++;
		if (eq == p || *eq != '=') {
			bp_error_set(err, BP_ERR_USAGE, &km, NULL, "invalid "
				     "input '%s' on the command line: expected "
				     "KEY=VALUE", p);
			return false;
		}
		end = value_end(eq + 1);
		key = g_strndup(p, (gsize)(eq - p));
		vm.col = (unsigned)(eq + 1 - arg) + 1;
		dsl_map_put(out, out->root, dsl_new_str(out, &km, key),
			    value_node(out, eq + 1, (size_t)(end - eq - 1),
				       &vm));
		p = *end ? end + 1 : end;
	}
	return true;
}

static bool add_arg(struct dsl_doc *out, const char *arg, unsigned line,
		    struct bp_error **err)
{
	g_autoptr(dsl_doc) doc = NULL;
	g_autofree char *what = NULL;

	if (arg[0] == '{') {
		doc = dsl_parse_string(MODEL_INPUTS_CMDLINE, arg, strlen(arg),
				       err);
		return doc && merge_doc(out, doc, "the command line", line - 1,
					err);
	}
	if (strchr(arg, '=') && !g_file_test(arg, G_FILE_TEST_EXISTS))
		return add_pairs(out, arg, line, err);
	doc = dsl_parse_file(arg, err);
	what = g_strdup_printf("'%s'", arg);
	return doc && merge_doc(out, doc, what, 0, err);
}

struct dsl_doc *model_inputs_parse(const char *const *args,
				   struct bp_error **err)
{
	g_autoptr(dsl_doc) out = dsl_parse_string(MODEL_INPUTS_CMDLINE, "{}", 2,
						  err);

	if (!out)
		return NULL;
	for (unsigned i = 0; args && args[i]; i++)
		if (!add_arg(out, args[i], i + 1, err))
			return NULL;
	return g_steal_pointer(&out);
}
