/* test-util-mask.c: secret values hidden in text and JSON (util/mask.h). */
#include "util/mask.h"
#include "testlib.h"

#include <string.h>

static void assert_masked(const struct bp_mask *m, const char *text,
			  const char *want)
{
	g_autofree char *got = bp_mask_text(m, text);

	g_assert_cmpstr(got, ==, want);
}

static void test_text(void)
{
	g_autoptr(bp_mask) m = bp_mask_new();

	g_assert_true(bp_mask_is_empty(m));
	assert_masked(m, "password hunter2", "password hunter2");
	bp_mask_add(m, "hunter2");
	bp_mask_add(m, "hunter2");
	bp_mask_add(m, "");
	bp_mask_add(m, "  \t");
	bp_mask_add(m, NULL);
	g_assert_false(bp_mask_is_empty(m));
	assert_masked(m, "password hunter2", "password ******");
	assert_masked(m, "hunter2hunter2 and hunter", "************ and hunter");
	assert_masked(m, "hunter2", "******");
	assert_masked(m, "", "");
	assert_masked(m, "  spaces stay  ", "  spaces stay  ");
	g_assert_null(bp_mask_text(m, NULL));
	g_assert_true(bp_mask_hits(m, "x hunter2 y"));
	g_assert_false(bp_mask_hits(m, "x hunter y"));
	g_assert_false(bp_mask_hits(m, NULL));
	/* No mask: a copy. */
	assert_masked(NULL, "hunter2", "hunter2");
	g_assert_false(bp_mask_hits(NULL, "hunter2"));
}

/* A secret containing another is hidden whole, not as the shorter one
 * plus a visible rest. */
static void test_longest_first(void)
{
	g_autoptr(bp_mask) m = bp_mask_new();

	bp_mask_add(m, "abc");
	bp_mask_add(m, "abcdef");
	assert_masked(m, "xabcdefx abcx", "x******x ******x");
}

/* A key logged line by line is still hidden; blank lines hide nothing. */
static void test_lines(void)
{
	g_autoptr(bp_mask) m = bp_mask_new();

	bp_mask_add(m, "-----BEGIN KEY-----\r\nMIIEow\n\nQ2FmZQ==\n");
	assert_masked(m, "line: MIIEow", "line: ******");
	assert_masked(m, "Q2FmZQ== end", "****** end");
	assert_masked(m, "a\n\nb", "a\n\nb");
	assert_masked(m, "-----BEGIN KEY-----\r\nMIIEow\n\nQ2FmZQ==\n!",
		      "******!");
}

static void test_json(void)
{
	g_autoptr(bp_mask) m = bp_mask_new();
	json_error_t je;
	json_t *in = json_loads("{\"user\": \"admin\", \"pw\": \"s3cr3t\","
				" \"s3cr3t\": 1, \"list\": [\"x s3cr3t\", 2,"
				" true, null, {\"deep\": \"s3cr3t\"}],"
				" \"n\": 1.5}", 0, &je);
	json_t *out;
	g_autofree char *text = NULL;
	g_autofree char *orig = NULL;

	g_assert_nonnull(in);
	bp_mask_add(m, "s3cr3t");
	out = bp_mask_json(m, in);
	text = json_dumps(out, JSON_COMPACT);
	g_assert_cmpstr(text, ==, "{\"user\":\"admin\",\"pw\":\"******\","
			"\"******\":1,\"list\":[\"x ******\",2,true,null,"
			"{\"deep\":\"******\"}],\"n\":1.5}");
	/* The input is untouched. */
	orig = json_dumps(in, JSON_COMPACT);
	g_assert_nonnull(strstr(orig, "\"pw\":\"s3cr3t\""));
	g_assert_null(bp_mask_json(m, NULL));
	json_decref(out);
	json_decref(in);
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
	g_test_add_func("/util/mask/text", test_text);
	g_test_add_func("/util/mask/longest-first", test_longest_first);
	g_test_add_func("/util/mask/lines", test_lines);
	g_test_add_func("/util/mask/json", test_json);
	return g_test_run();
}
