/* test-dsl-parse.c: the YAML document tree: marks, scalar resolution as
 * PyYAML does it, anchors, merge keys, duplicate keys, errors. */
#include "dsl/node.h"
#include "testlib.h"

#include <string.h>

static struct dsl_doc *parse_ok(const char *text)
{
	struct bp_error *err = NULL;
	struct dsl_doc *doc = dsl_parse_string("t.yaml", text, strlen(text),
					       &err);

	if (err)
		g_error("unexpected error: %s", err->message);
	return doc;
}

/* Parses text that must fail; returns the formatted error. */
static char *parse_err(const char *text)
{
	struct bp_error *err = NULL;
	struct dsl_doc *doc = dsl_parse_string("t.yaml", text, strlen(text),
					       &err);
	char *s;

	g_assert_null(doc);
	g_assert_nonnull(err);
	s = bp_error_format(err);
	bp_error_free(err);
	return s;
}

static void test_marks(void)
{
	g_autoptr(dsl_doc) doc = parse_ok("a: 1\nb:\n  c: [x, y]\n");
	struct dsl_node *b = dsl_map_get(doc->root, "b");
	struct dsl_node *c = dsl_map_get(b, "c");

	g_assert_cmpstr(doc->root->mark.file, ==, "t.yaml");
	g_assert_cmpuint(b->mark.line, ==, 3);
	g_assert_cmpuint(b->mark.col, ==, 3);
	g_assert_cmpuint(c->u.seq.items[1]->mark.line, ==, 3);
	g_assert_cmpuint(c->u.seq.items[1]->mark.col, ==, 10);
	g_assert_cmpuint(dsl_map_pair(doc->root, "b")->key->mark.line, ==, 2);
}

static void test_resolution(void)
{
	static const struct {
		const char *text;
		const char *type;
	} cases[] = {
		{ "yes", "boolean" }, { "Off", "boolean" }, { "TRUE", "boolean" },
		{ "y", "string" }, { "12", "integer" }, { "-0x1F", "integer" },
		{ "0755", "integer" }, { "0b101", "integer" }, { "1_000", "integer" },
		{ "1:30", "integer" }, { "1.5", "float" }, { "1e3", "string" },
		{ "1.0e+3", "float" }, { ".inf", "float" }, { "-.Inf", "float" },
		{ ".nan", "float" }, { "~", "null" }, { "null", "null" },
		{ "", "null" }, { "'12'", "string" }, { "\"yes\"", "string" },
		{ "!!str 12", "string" }, { "1.2.3", "string" }, { "09", "string" },
		{ "2 GB", "string" }, { "!!int 7", "integer" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = g_strdup_printf("v: %s\n", cases[i].text);
		g_autoptr(dsl_doc) doc = parse_ok(text);
		g_assert_cmpstr(dsl_type_name(dsl_map_get(doc->root, "v")), ==,
				cases[i].type);
	}
}

static void test_values(void)
{
	g_autoptr(dsl_doc) doc = parse_ok(
		"a: 0755\nb: -0x10\nc: 1:30\nd: 2.5\ne: on\nf: No\ng: 1_000\n");
	int64_t i;
	double d;
	bool b;

	g_assert_true(dsl_as_int(dsl_map_get(doc->root, "a"), &i));
	g_assert_cmpint(i, ==, 0755);
	g_assert_true(dsl_as_int(dsl_map_get(doc->root, "b"), &i));
	g_assert_cmpint(i, ==, -16);
	g_assert_true(dsl_as_int(dsl_map_get(doc->root, "c"), &i));
	g_assert_cmpint(i, ==, 90);
	g_assert_true(dsl_as_int(dsl_map_get(doc->root, "g"), &i));
	g_assert_cmpint(i, ==, 1000);
	g_assert_true(dsl_as_float(dsl_map_get(doc->root, "d"), &d));
	g_assert_cmpfloat(d, ==, 2.5);
	g_assert_true(dsl_as_bool(dsl_map_get(doc->root, "e"), &b));
	g_assert_true(b);
	g_assert_true(dsl_as_bool(dsl_map_get(doc->root, "f"), &b));
	g_assert_false(b);
	g_assert_false(dsl_as_int(dsl_map_get(doc->root, "d"), &i));
}

static void test_anchors_and_merge(void)
{
	g_autoptr(dsl_doc) doc = parse_ok(
		"base: &b {x: 1, y: 2}\n"
		"other: &o {y: 3, z: 4}\n"
		"m:\n  <<: [*b, *o]\n  x: 9\n"
		"alias: *b\n");
	struct dsl_node *m = dsl_map_get(doc->root, "m");
	int64_t v;

	g_assert_cmpuint(dsl_len(m), ==, 3);
	g_assert_true(dsl_as_int(dsl_map_get(m, "x"), &v));
	g_assert_cmpint(v, ==, 9);           /* explicit key wins */
	g_assert_true(dsl_as_int(dsl_map_get(m, "y"), &v));
	g_assert_cmpint(v, ==, 2);           /* earlier merge source wins */
	g_assert_true(dsl_as_int(dsl_map_get(m, "z"), &v));
	g_assert_cmpint(v, ==, 4);
	g_assert_true(dsl_map_get(doc->root, "alias") ==
		      dsl_map_get(doc->root, "base"));
	g_assert_null(dsl_map_get(m, "<<"));
}

static void test_big_map_index(void)
{
	GString *s = g_string_new(NULL);
	int64_t v;

	for (int i = 0; i < 1000; i++)
		g_string_append_printf(s, "k%d: %d\n", i, i);
	{
		g_autoptr(dsl_doc) doc = parse_ok(s->str);
		g_assert_nonnull(doc->root->u.map.index);
		g_assert_true(dsl_as_int(dsl_map_get(doc->root, "k777"), &v));
		g_assert_cmpint(v, ==, 777);
		g_assert_null(dsl_map_get(doc->root, "k1000"));
	}
	g_string_free(s, TRUE);
}

static void test_errors(void)
{
	static const struct {
		const char *text;
		const char *want;
	} cases[] = {
		{ "a: 1\nb: 2\na: 3\n",
		  "t.yaml:3:1: error: duplicate key 'a' (first defined at line 1, column 1)" },
		{ "a: [1, 2\nb: 3\n", "t.yaml:2:2: error: did not find expected ',' or ']'" },
		{ "a: *nope\n", "t.yaml:1:4: error: unknown alias '*nope'" },
		{ "a: !custom x\n", "t.yaml:1:4: error: unknown tag '!custom'" },
		{ "a: !!int x\n", "t.yaml:1:4: error: 'x' is not a valid !!int" },
		{ "? [1]\n: 2\n", "t.yaml:1:3: error: expected a scalar map key, found a list" },
		{ "a:\n  <<: 3\n", "t.yaml:2:7: error: expected a map or a list of maps to merge" },
		{ "\tkey: 1\n", "t.yaml:1:1: error: found character that cannot start any token" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *msg = parse_err(cases[i].text);
		if (!g_str_has_prefix(msg, cases[i].want))
			g_error("case %zu: got '%s', want prefix '%s'", i, msg,
				cases[i].want);
	}
}

static void test_billion_laughs(void)
{
	GString *s = g_string_new("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
	g_autofree char *msg = NULL;

	for (int i = 1; i < 9; i++)
		g_string_append_printf(s, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, "
				       "*a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n",
				       i, i, i - 1, i - 1, i - 1, i - 1, i - 1,
				       i - 1, i - 1, i - 1, i - 1, i - 1);
	msg = parse_err(s->str);
	g_assert_nonnull(strstr(msg, "aliases expand the document"));
	g_string_free(s, TRUE);
}

static void test_deep_nesting(void)
{
	GString *s = g_string_new("a: ");
	g_autofree char *msg = NULL;

	for (int i = 0; i < 2000; i++)
		g_string_append_c(s, '[');
	msg = parse_err(s->str);
	g_assert_nonnull(strstr(msg, "nesting deeper than"));
	g_string_free(s, TRUE);
}

static void test_equal(void)
{
	g_autoptr(dsl_doc) doc = parse_ok(
		"a: {x: 1, y: [1, 2.0]}\nb: {y: [1, 2], x: 1}\nc: {x: '1'}\n"
		"d: {x: 1}\n");

	g_assert_true(dsl_equal(dsl_map_get(doc->root, "a"),
				dsl_map_get(doc->root, "b")));
	g_assert_false(dsl_equal(dsl_map_get(doc->root, "c"),
				 dsl_map_get(doc->root, "d")));
}

static void test_file_io_error(void)
{
	struct bp_error *err = NULL;

	g_assert_null(dsl_parse_file("/nonexistent/x.yaml", &err));
	g_assert_cmpint(err->code, ==, BP_ERR_IO);
	g_assert_nonnull(strstr(err->message, "cannot read '/nonexistent/x.yaml'"));
	bp_error_free(err);
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
	g_test_add_func("/dsl/parse/marks", test_marks);
	g_test_add_func("/dsl/parse/resolution", test_resolution);
	g_test_add_func("/dsl/parse/values", test_values);
	g_test_add_func("/dsl/parse/anchors-merge", test_anchors_and_merge);
	g_test_add_func("/dsl/parse/big-map-index", test_big_map_index);
	g_test_add_func("/dsl/parse/errors", test_errors);
	g_test_add_func("/dsl/parse/billion-laughs", test_billion_laughs);
	g_test_add_func("/dsl/parse/deep-nesting", test_deep_nesting);
	g_test_add_func("/dsl/parse/equal", test_equal);
	g_test_add_func("/dsl/parse/file-io-error", test_file_io_error);
	return g_test_run();
}
