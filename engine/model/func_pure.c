/* func_pure.c: the functions whose result depends on their arguments
 * alone: concat, join, token, merge and Cloudify's string_find,
 * string_replace, string_lower, string_upper. They work on JSON values so
 * that static evaluation (on YAML trees, converted) and runtime evaluation
 * (on JSON) share one implementation. Also the conversion of a result
 * back into a tree.
 *
 * Text of a value (concat, join): a string as it is, anything else as its
 * JSON text (1, 1.5, true, null, [1,2]). Strings are UTF-8; string_find
 * counts characters, as Cloudify (Python) does. */
#include "model/func_internal.h"

#include <string.h>

static const char *json_type_name(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT:
		return "map";
	case JSON_ARRAY:
		return "list";
	case JSON_STRING:
		return "string";
	case JSON_INTEGER:
		return "integer";
	case JSON_REAL:
		return "float";
	case JSON_TRUE:
	case JSON_FALSE:
		return "boolean";
	default:
		return "null";
	}
}

/* The shortest text that reads back as the same double. */
static char *real_text(double d)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];

	for (int prec = 15; prec <= 17; prec++) {
		char fmt[8];
		g_snprintf(fmt, sizeof(fmt), "%%.%dg", prec);
		g_ascii_formatd(buf, sizeof(buf), fmt, d);
		if (g_ascii_strtod(buf, NULL) == d)
			break;
	}
	return g_strdup(buf);
}

static int dump_to_gstring(const char *buf, size_t size, void *data)
{
	g_string_append_len(data, buf, (gssize)size);
	return 0;
}

/* (transfer full) the text of a value. */
static char *text_of(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_STRING:
		return g_strndup(json_string_value(j), json_string_length(j));
	case JSON_INTEGER:
		return g_strdup_printf("%" JSON_INTEGER_FORMAT,
				       json_integer_value(j));
	case JSON_REAL:
		return real_text(json_real_value(j));
	default: {
		GString *s = g_string_new(NULL);
		json_dump_callback(j, dump_to_gstring, s,
				   JSON_COMPACT | JSON_ENCODE_ANY);
		return g_string_free(s, FALSE);
	}
	}
}

static bool want_string(const struct func_call *c, json_t *args, size_t i,
			const char *what, const char *path,
			struct bp_error **err)
{
	json_t *a = json_array_get(args, i);

	if (json_is_string(a))
		return true;
	return func__fail(err, c->node, path, "expected a string for the %s "
			  "of '%s', found a %s", what, c->def->name,
			  json_type_name(a));
}

static json_t *concat(json_t *items)
{
	GString *s = g_string_new(NULL);
	size_t i;
	json_t *a, *out;

	json_array_foreach(items, i, a) {
		g_autofree char *t = text_of(a);
		g_string_append(s, t);
	}
	out = json_stringn(s->str, s->len);
	g_string_free(s, TRUE);
	return out;
}

static json_t *join(const struct func_call *c, json_t *args, const char *path,
		    struct bp_error **err)
{
	json_t *items = json_array_get(args, 0);
	const char *sep = "";
	GString *s;
	size_t i;
	json_t *a, *out;

	if (!json_is_array(items)) {
		func__fail(err, c->node, path, "expected a list of values for "
			   "'join', found a %s", json_type_name(items));
		return NULL;
	}
	if (json_array_size(args) > 1) {
		if (!want_string(c, args, 1, "delimiter", path, err))
			return NULL;
		sep = json_string_value(json_array_get(args, 1));
	}
	s = g_string_new(NULL);
	json_array_foreach(items, i, a) {
		g_autofree char *t = text_of(a);
		if (i)
			g_string_append(s, sep);
		g_string_append(s, t);
	}
	out = json_stringn(s->str, s->len);
	g_string_free(s, TRUE);
	return out;
}

/* The index-th piece of a string cut at any of the separator characters
 * (empty pieces count). */
static json_t *token(const struct func_call *c, json_t *args, const char *path,
		     struct bp_error **err)
{
	const char *str, *seps, *p, *start;
	json_int_t want, n = 0;

	if (!want_string(c, args, 0, "string", path, err) ||
	    !want_string(c, args, 1, "separators", path, err))
		return NULL;
	if (!json_is_integer(json_array_get(args, 2))) {
		func__fail(err, c->node, path, "expected an integer for the "
			   "index of 'token', found a %s",
			   json_type_name(json_array_get(args, 2)));
		return NULL;
	}
	str = json_string_value(json_array_get(args, 0));
	seps = json_string_value(json_array_get(args, 1));
	want = json_integer_value(json_array_get(args, 2));
	for (start = p = str;; p = g_utf8_next_char(p)) {
		bool end = !*p;
		if (!end && !g_utf8_strchr(seps, -1, g_utf8_get_char(p)))
			continue;
		if (n++ == want)
			return json_stringn(start, (size_t)(p - start));
		if (end)
			break;
		start = g_utf8_next_char(p);
	}
	func__fail(err, c->node, path, "index %" JSON_INTEGER_FORMAT " is out "
		   "of range for 'token': '%s' has %" JSON_INTEGER_FORMAT
		   " pieces", want, str, n);
	return NULL;
}

static json_t *merge(const struct func_call *c, json_t *args,
		     const char *path, struct bp_error **err)
{
	json_t *out = json_object(), *a;
	size_t i;

	json_array_foreach(args, i, a) {
		if (!json_is_object(a)) {
			json_decref(out);
			func__fail(err, c->node, path, "expected a map for "
				   "every argument of 'merge', found a %s",
				   json_type_name(a));
			return NULL;
		}
		json_object_update(out, a);
	}
	return out;
}

static json_t *string_find(const char *hay, const char *needle)
{
	const char *p = strstr(hay, needle);

	return json_integer(p ? g_utf8_pointer_to_offset(hay, p) : -1);
}

/* Python's str.replace: a negative count replaces all; an empty `old`
 * matches before every character and at the end. */
static json_t *string_replace(const char *s, const char *old, const char *new,
			      json_int_t count)
{
	GString *out = g_string_new(NULL);
	size_t olen = strlen(old);
	json_int_t done = 0;
	json_t *j;

	while (*s) {
		const char *p = olen ? strstr(s, old) : s;
		if (!p || (count >= 0 && done >= count))
			break;
		g_string_append_len(out, s, p - s);
		g_string_append(out, new);
		done++;
		if (olen) {
			s = p + olen;
		} else {
			const char *next = g_utf8_next_char(p);
			g_string_append_len(out, p, next - p);
			s = next;
		}
	}
	g_string_append(out, s);
	if (!olen && !*s && (count < 0 || done < count))
		g_string_append(out, new);
	j = json_stringn(out->str, out->len);
	g_string_free(out, TRUE);
	return j;
}

static json_t *strings(const struct func_call *c, json_t *args,
		       const char *path, struct bp_error **err)
{
	const char *what[] = { "string", "substring", "new substring" };
	size_t n = c->def->id == FUNC_STRING_REPLACE ? 3 :
		   c->def->id == FUNC_STRING_FIND ? 2 : 1;
	json_int_t count = -1;
	g_autofree char *changed = NULL;

	for (size_t i = 0; i < n; i++)
		if (!want_string(c, args, i, what[i], path, err))
			return NULL;
	switch (c->def->id) {
	case FUNC_STRING_FIND:
		return string_find(json_string_value(json_array_get(args, 0)),
				   json_string_value(json_array_get(args, 1)));
	case FUNC_STRING_REPLACE:
		if (json_array_size(args) > 3) {
			json_t *cnt = json_array_get(args, 3);
			if (!json_is_integer(cnt)) {
				func__fail(err, c->node, path, "expected an "
					   "integer for the count of "
					   "'string_replace', found a %s",
					   json_type_name(cnt));
				return NULL;
			}
			count = json_integer_value(cnt);
		}
		return string_replace(json_string_value(json_array_get(args, 0)),
				      json_string_value(json_array_get(args, 1)),
				      json_string_value(json_array_get(args, 2)),
				      count);
	case FUNC_STRING_LOWER:
		changed = g_utf8_strdown(json_string_value(json_array_get(args,
									0)),
					 -1);
		return json_string(changed);
	default:
		changed = g_utf8_strup(json_string_value(json_array_get(args,
								      0)), -1);
		return json_string(changed);
	}
}

json_t *func__pure(const struct func_call *c, json_t *args, const char *path,
		   struct bp_error **err)
{
	switch (c->def->id) {
	case FUNC_CONCAT:
		return concat(args);
	case FUNC_JOIN:
		return join(c, args, path, err);
	case FUNC_TOKEN:
		return token(c, args, path, err);
	case FUNC_MERGE:
		return merge(c, args, path, err);
	case FUNC_STRING_FIND:
	case FUNC_STRING_REPLACE:
	case FUNC_STRING_LOWER:
	case FUNC_STRING_UPPER:
		return strings(c, args, path, err);
	default:
		func__fail(err, c->node, path, "'%s' is not a pure function",
			   c->def->name);
		return NULL;
	}
}

struct dsl_node *func__from_json(struct dsl_doc *doc, const struct bp_mark *mark,
				 json_t *j)
{
	g_autofree char *t = NULL;
	struct dsl_node *out;
	const char *key;
	json_t *v;
	size_t i;

	switch (json_typeof(j)) {
	case JSON_STRING:
		t = g_strndup(json_string_value(j), json_string_length(j));
		return dsl_new_str(doc, mark, t);
	case JSON_INTEGER:
		t = text_of(j);
		return dsl_new_scalar(doc, mark, DSL_INT, t);
	case JSON_REAL:
		t = text_of(j);
		return dsl_new_scalar(doc, mark, DSL_FLOAT, t);
	case JSON_TRUE:
		return dsl_new_scalar(doc, mark, DSL_BOOL, "true");
	case JSON_FALSE:
		return dsl_new_scalar(doc, mark, DSL_BOOL, "false");
	case JSON_ARRAY:
		out = dsl_new_seq(doc, mark, (uint32_t)json_array_size(j));
		json_array_foreach(j, i, v)
			out->u.seq.items[i] = func__from_json(doc, mark, v);
		return out;
	case JSON_OBJECT:
		out = dsl_new_map(doc, mark, (uint32_t)json_object_size(j));
		json_object_foreach(j, key, v)
			dsl_map_put(doc, out, dsl_new_str(doc, mark, key),
				    func__from_json(doc, mark, v));
		return out;
	default:
		return dsl_new_null(doc, mark);
	}
}

struct dsl_node *func__remark(struct dsl_doc *doc, const struct dsl_node *v,
			      const struct bp_mark *mark)
{
	struct dsl_node *out = bp_arena_alloc(&doc->arena, sizeof(*out));

	*out = *v;
	out->mark = *mark;
	return out;
}
