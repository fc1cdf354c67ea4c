/* test-dsl-fuzz-regress.c: every input under tests/data/fuzz/ (inputs the
 * fuzzer found, or that were written to reach the same corners) goes
 * through dsl_load() and model_build() with the shipped types. Most are
 * rejected; what is checked is that none crashes, leaks or trips a
 * sanitizer (run under `make check SAN=1`), and that each is rejected or
 * accepted consistently: a NULL model always comes with an error. */
#include "dsl/service.h"
#include "model/model.h"
#include "testlib.h"

#include <string.h>

static void run_one(gconstpointer data)
{
	const char *path = data;
	g_autofree char *types = test_src_path("types");
	const char *dirs[] = { types, NULL };
	struct dsl_load_options opts = { .types_dirs = dirs };
	struct bp_diags d;
	struct dsl_service *svc;
	struct model *m = NULL;

	bp_diags_init(&d, 100);
	svc = dsl_load(path, &opts, &d);
	if (svc)
		m = model_build(svc, &d);
	g_assert_true((m != NULL) == (bp_diags_count(&d) == 0));
	for (guint i = 0; i < d.errors->len; i++) {
		g_autofree char *s = bp_error_format(d.errors->pdata[i]);
		g_assert_nonnull(s);
		g_test_message("%s", s);
	}
	model_free(m);
	bp_diags_release(&d);
}

static int by_name(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	g_autofree char *dir = NULL;
	g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GDir) d = NULL;
	const char *name;

	test_init(&argc, &argv);
	dir = test_src_path("tests/data/fuzz");
	d = g_dir_open(dir, 0, NULL);
	g_assert_nonnull(d);
	while ((name = g_dir_read_name(d)))
		if (g_str_has_suffix(name, ".yaml"))
			g_ptr_array_add(paths, g_build_filename(dir, name, NULL));
	g_ptr_array_sort(paths, by_name);
	g_assert_cmpuint(paths->len, >, 0);
	for (guint i = 0; i < paths->len; i++) {
		g_autofree char *base = g_path_get_basename(paths->pdata[i]);
		g_autofree char *tname = g_strconcat("/dsl/fuzz-regress/", base,
						     NULL);
		g_test_add_data_func(tname, paths->pdata[i], run_one);
	}
	return g_test_run();
}
