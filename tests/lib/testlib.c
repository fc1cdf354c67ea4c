/* testlib.c: helpers shared by the unit test programs. */
#include "testlib.h"

#include <glib/gstdio.h>

const char *test_src_dir(void)
{
	static char *cwd;
	const char *s = g_getenv("BP_SRC");

	if (s && *s)
		return s;
	/* absolute, so that paths made from it survive a chdir or being
	 * joined to another directory */
	if (!cwd)
		cwd = g_get_current_dir();
	return cwd;
}

const char *test_build_dir(void)
{
	const char *s = g_getenv("BP_BUILD");

	return s && *s ? s : "build";
}

char *test_src_path(const char *rel)
{
	return g_build_filename(test_src_dir(), rel, NULL);
}

char *test_build_path(const char *rel)
{
	return g_build_filename(test_build_dir(), rel, NULL);
}

char *test_tmpdir(void)
{
	GError *e = NULL;
	char *d = g_dir_make_tmp("bp-test-XXXXXX", &e);

	g_assert_no_error(e);
	return d;
}

void test_rmtree(const char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;

	if (!d)
		return;
	while ((name = g_dir_read_name(d))) {
		g_autofree char *p = g_build_filename(dir, name, NULL);
		if (g_file_test(p, G_FILE_TEST_IS_DIR) &&
		    !g_file_test(p, G_FILE_TEST_IS_SYMLINK))
			test_rmtree(p);
		else
			g_unlink(p);
	}
	g_dir_close(d);
	g_rmdir(dir);
}

json_t *test_json_parse(const char *text)
{
	json_error_t e;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &e);

	if (!v)
		g_error("bad test JSON '%s': %s", text, e.text);
	return v;
}

void test_init(int *argc, char ***argv)
{
	g_test_init(argc, argv, NULL);
}
