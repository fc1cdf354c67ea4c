/* test-model-inputs.c: inputs from the command line (model/value.h): files,
 * inline maps and KEY=VALUE pairs merged with marks; and values as the
 * JSON plugins receive (model_value_to_json). */
#include "model/value.h"
#include "testlib.h"

#include <string.h>

static struct dsl_doc *parse_ok(const char *const *args)
{
	struct bp_error *err = NULL;
	struct dsl_doc *doc = model_inputs_parse(args, &err);

	if (err)
		g_error("unexpected error: %s", err->message);
	g_assert_true(dsl_is_map(doc->root));
	return doc;
}

/* The inputs as compact JSON, to compare whole results at once. */
static char *as_json(const struct dsl_node *v)
{
	json_t *j = model_value_to_json(v);
	char *s = json_dumps(j, JSON_COMPACT);

	json_decref(j);
	return s;
}

static void assert_mark(const struct dsl_node *n, const char *file,
			unsigned line, unsigned col)
{
	g_assert_nonnull(n);
	g_assert_cmpstr(n->mark.file, ==, file);
	g_assert_cmpuint(n->mark.line, ==, line);
	g_assert_cmpuint(n->mark.col, ==, col);
}

static void test_pairs(void)
{
	const char *args[] = { "port=80,name=web;debug=true,empty=,q='80',"
			       "ratio=0.5,ports=80,443", NULL };
	g_autoptr(dsl_doc) doc = parse_ok(args);
	g_autofree char *json = as_json(doc->root);

	g_assert_cmpstr(json, ==, "{\"port\":80,\"name\":\"web\",\"debug\":true,"
			"\"empty\":null,\"q\":\"80\",\"ratio\":0.5,"
			"\"ports\":\"80,443\"}");
	assert_mark(dsl_map_get(doc->root, "port"), MODEL_INPUTS_CMDLINE, 1,
		    6);
	assert_mark(dsl_map_pair(doc->root, "name")->key, MODEL_INPUTS_CMDLINE,
		    1, 9);
	assert_mark(dsl_map_get(doc->root, "debug"), MODEL_INPUTS_CMDLINE, 1,
		    24);
}

static void test_merge_later_wins(void)
{
	g_autofree char *dir = test_tmpdir();
	g_autofree char *file = g_build_filename(dir, "in.yaml", NULL);
	g_autofree char *empty = g_build_filename(dir, "empty.yaml", NULL);
	const char *args[] = { file, "b=3,c=x", "{\"c\": [1, {d: 2}]}", empty,
			       NULL };

	g_assert_true(g_file_set_contents(file, "a: 1\nb:\n  - 1\n  - 2\n", -1,
					  NULL));
	g_assert_true(g_file_set_contents(empty, "", -1, NULL));
	g_autoptr(dsl_doc) doc = parse_ok(args);
	g_autofree char *json = as_json(doc->root);
	g_assert_cmpstr(json, ==, "{\"a\":1,\"b\":3,\"c\":[1,{\"d\":2}]}");
	/* values keep the marks of where they were written */
	assert_mark(dsl_map_get(doc->root, "a"), file, 1, 4);
	assert_mark(dsl_map_get(doc->root, "b"), MODEL_INPUTS_CMDLINE, 2, 3);
	/* the third -i argument: line 3 */
	assert_mark(dsl_map_get(doc->root, "c"), MODEL_INPUTS_CMDLINE, 3, 7);
	test_rmtree(dir);
}

static void test_no_inputs(void)
{
	g_autoptr(dsl_doc) none = parse_ok(NULL);
	const char *empty[] = { NULL };
	g_autoptr(dsl_doc) none2 = parse_ok(empty);

	g_assert_cmpuint(dsl_len(none->root), ==, 0);
	g_assert_cmpuint(dsl_len(none2->root), ==, 0);
}

static void test_errors(void)
{
	g_autofree char *dir = test_tmpdir();
	g_autofree char *list = g_build_filename(dir, "list.yaml", NULL);
	g_autofree char *missing = g_build_filename(dir, "nope.yaml", NULL);
	static const struct {
		const char *arg;
		enum bp_error_code code;
		const char *message;    /* start of the message */
		unsigned line, col;
	} cases[] = {
		{ "=5", BP_ERR_USAGE, "invalid input '=5' on the command line: "
		  "expected KEY=VALUE", 1, 1 },
		{ "a b=1", BP_ERR_USAGE, "invalid input 'a b=1' on the "
		  "command line: expected KEY=VALUE", 1, 1 },
		{ "{a: [1, 2}", BP_ERR_SYNTAX, NULL, 1, 0 },
		{ "{}", 0, NULL, 0, 0 },
	};

	g_assert_true(g_file_set_contents(list, "- a\n- b\n", -1, NULL));
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		const char *args[] = { cases[i].arg, NULL };
		struct bp_error *err = NULL;
		struct dsl_doc *doc = model_inputs_parse(args, &err);
		if (!cases[i].code) {
			g_assert_nonnull(doc);
			dsl_doc_free(doc);
			continue;
		}
		g_assert_null(doc);
		g_assert_nonnull(err);
		g_assert_cmpint(err->code, ==, cases[i].code);
		g_assert_cmpstr(err->mark.file, ==, MODEL_INPUTS_CMDLINE);
		if (cases[i].message)
			g_assert_cmpstr(err->message, ==, cases[i].message);
		if (cases[i].line)
			g_assert_cmpuint(err->mark.line, ==, cases[i].line);
		if (cases[i].col)
			g_assert_cmpuint(err->mark.col, ==, cases[i].col);
		bp_error_free(err);
	}

	/* a separator counts only before KEY=: ",b c=2" and ",=3" are part
	 * of the value */
	const char *spaced[] = { "a=1,b c=2,=3;k.e-y_=4", NULL };
	g_autoptr(dsl_doc) doc = parse_ok(spaced);
	g_assert_cmpstr(dsl_str(dsl_map_get(doc->root, "a")), ==, "1,b c=2,=3");
	g_assert_cmpuint(dsl_len(doc->root), ==, 2);

	const char *notmap[] = { "x=1", list, NULL };
	struct bp_error *err = NULL;
	g_assert_null(model_inputs_parse(notmap, &err));
	g_assert_cmpint(err->code, ==, BP_ERR_INVALID);
	g_autofree char *want = g_strdup_printf("expected a map of inputs in "
						"'%s', found a list", list);
	g_assert_cmpstr(err->message, ==, want);
	g_assert_cmpstr(err->mark.file, ==, list);
	bp_error_clear(&err);

	const char *gone[] = { missing, NULL };
	g_assert_null(model_inputs_parse(gone, &err));
	g_assert_cmpint(err->code, ==, BP_ERR_IO);
	g_assert_nonnull(strstr(err->message, "nope.yaml"));
	bp_error_clear(&err);
	test_rmtree(dir);
}

static void test_json(void)
{
	const char *text =
		"i: 5\nneg: -0x10\nf: 1.5\nb: yes\nn: ~\ns: 'x'\nl: [1, two]\n"
		"m: {z: 1, a: 2, m: 3}\ninf: .inf\nnan: .nan\n"
		"big: 99999999999999999999\nq: '5'\n";
	struct bp_error *err = NULL;
	g_autoptr(dsl_doc) doc = dsl_parse_string("t.yaml", text, strlen(text),
						  &err);
	g_autofree char *json = NULL;
	json_t *j;

	g_assert_null(err);
	json = as_json(doc->root);
	g_assert_cmpstr(json, ==, "{\"i\":5,\"neg\":-16,\"f\":1.5,\"b\":true,"
			"\"n\":null,\"s\":\"x\",\"l\":[1,\"two\"],"
			"\"m\":{\"z\":1,\"a\":2,\"m\":3},\"inf\":\".inf\","
			"\"nan\":\".nan\",\"big\":\"99999999999999999999\","
			"\"q\":\"5\"}");
	j = model_value_to_json(NULL);
	g_assert_true(json_is_null(j));
	json_decref(j);
	j = model_value_to_json(dsl_map_get(doc->root, "i"));
	g_assert_true(json_is_integer(j));
	json_decref(j);
	j = model_value_to_json(dsl_map_get(doc->root, "f"));
	g_assert_true(json_is_real(j));
	json_decref(j);
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
	g_test_add_func("/model/inputs/pairs", test_pairs);
	g_test_add_func("/model/inputs/merge-later-wins", test_merge_later_wins);
	g_test_add_func("/model/inputs/none", test_no_inputs);
	g_test_add_func("/model/inputs/errors", test_errors);
	g_test_add_func("/model/inputs/json", test_json);
	return g_test_run();
}
