/* test-plugin-keypath.c: dotted paths into JSON as the plugin API uses
 * them: reading through objects and arrays, writing that creates objects
 * on the way, failures that change nothing, deleting. */
#include "plugin/keypath.h"
#include "testlib.h"

static void assert_doc(json_t *doc, const char *want_text)
{
	json_t *want = test_json_parse(want_text);

	g_assert_true(json_equal(doc, want));
	json_decref(want);
}

static void test_get(void)
{
	json_t *doc = test_json_parse("{\"a\": {\"b\": [10, {\"c\": \"x\"}]}, \"d.e\": 1}");

	g_assert_true(plugin_keypath_get(doc, NULL) == doc);
	g_assert_true(plugin_keypath_get(doc, "") == doc);
	g_assert_cmpint(json_integer_value(plugin_keypath_get(doc, "a.b.0")),
			==, 10);
	g_assert_cmpstr(json_string_value(plugin_keypath_get(doc, "a.b.1.c")),
			==, "x");
	g_assert_null(plugin_keypath_get(doc, "a.b.2"));
	g_assert_null(plugin_keypath_get(doc, "a.b.x"));
	g_assert_null(plugin_keypath_get(doc, "a.b.-1"));
	g_assert_null(plugin_keypath_get(doc, "a.b.0.z"));
	g_assert_null(plugin_keypath_get(doc, "a..b"));
	g_assert_null(plugin_keypath_get(doc, "d.e"));   /* keys with '.' */
	g_assert_null(plugin_keypath_get(NULL, "a"));
	json_decref(doc);
}

static void test_set(void)
{
	json_t *doc = test_json_parse("{\"a\": {\"s\": \"str\"}}");
	g_autoptr(bp_error) e1 = NULL;
	g_autoptr(bp_error) e2 = NULL;
	g_autoptr(bp_error) e3 = NULL;

	g_assert_true(plugin_keypath_set(doc, "x", json_integer(1), NULL));
	g_assert_true(plugin_keypath_set(doc, "a.b.c", json_true(), NULL));
	g_assert_true(plugin_keypath_set(doc, "a.s", json_null(), NULL));
	assert_doc(doc, "{\"a\": {\"s\": null, \"b\": {\"c\": true}}, "
		   "\"x\": 1}");
	g_assert_true(plugin_keypath_set(doc, "a.s", json_string("t"), NULL));
	g_assert_false(plugin_keypath_set(doc, "a.s.deeper.still",
					  json_integer(2), &e1));
	g_assert_cmpstr(e1->message, ==,
			"cannot set 'a.s.deeper.still': 'a.s' is not an object");
	g_assert_false(plugin_keypath_set(doc, "", json_integer(2), &e2));
	g_assert_cmpstr(e2->message, ==,
			"empty path: expected a key or keys joined by '.'");
	g_assert_false(plugin_keypath_set(doc, "a.", json_integer(2), &e3));
	g_assert_cmpstr(e3->message, ==, "invalid path 'a.': a segment is "
			"empty");
	/* nothing changed by the failures */
	assert_doc(doc, "{\"a\": {\"s\": \"t\", \"b\": {\"c\": true}}, "
		   "\"x\": 1}");
	json_decref(doc);
}

static void test_set_into_non_object(void)
{
	json_t *arr = test_json_parse("[1]");
	g_autoptr(bp_error) err = NULL;

	g_assert_false(plugin_keypath_set(arr, "k", json_integer(1), &err));
	g_assert_cmpstr(err->message, ==,
			"cannot set 'k': the document is not an object");
	json_decref(arr);
}

static void test_delete(void)
{
	json_t *doc = test_json_parse("{\"a\": {\"b\": 1, \"c\": 2}, \"s\": \"x\"}");
	g_autoptr(bp_error) err = NULL;

	g_assert_true(plugin_keypath_delete(doc, "a.b", NULL));
	g_assert_true(plugin_keypath_delete(doc, "a.zz", NULL));
	g_assert_true(plugin_keypath_delete(doc, "no.such.thing", NULL));
	g_assert_true(plugin_keypath_delete(doc, "s.x", NULL));
	assert_doc(doc, "{\"a\": {\"c\": 2}, \"s\": \"x\"}");
	g_assert_true(plugin_keypath_delete(doc, "a", NULL));
	assert_doc(doc, "{\"s\": \"x\"}");
	g_assert_false(plugin_keypath_delete(doc, NULL, &err));
	json_decref(doc);
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
	g_test_add_func("/plugin/keypath/get", test_get);
	g_test_add_func("/plugin/keypath/set", test_set);
	g_test_add_func("/plugin/keypath/set-non-object",
			test_set_into_non_object);
	g_test_add_func("/plugin/keypath/delete", test_delete);
	return g_test_run();
}
