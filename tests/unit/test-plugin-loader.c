/* test-plugin-loader.c: loading plugins and refusing bad ones (ABI
 * versions, missing entry point, dlopen failures, load hooks, bad
 * descriptors), the search path, and the registry: first on the path wins
 * with a warning, load once and unload once, failures remembered. The
 * plugins are built from tests/plugins/NAME/ into $BP_BUILD/tests/plugins. */
#include "plugin/registry.h"
#include "testlib.h"

#include <glib/gstdio.h>
#include <string.h>

/* (transfer full) the directory of the test plugins. */
static char *tplugin_dir(void)
{
	g_autofree char *d = test_build_path("tests/plugins");

	return g_canonicalize_filename(d, NULL);
}

static char *tplugin(const char *name)
{
	g_autofree char *dir = tplugin_dir();
	g_autofree char *so = g_strconcat(name, ".so", NULL);

	return g_build_filename(dir, so, NULL);
}

/* Copies the test plugin `name` to DIR/AS.so. */
static void copy_plugin(const char *name, const char *dir, const char *as)
{
	g_autofree char *from = tplugin(name);
	g_autofree char *so = g_strconcat(as, ".so", NULL);
	g_autofree char *to = g_build_filename(dir, so, NULL);
	g_autofree char *data = NULL;
	gsize len;

	g_assert_true(g_file_get_contents(from, &data, &len, NULL));
	g_assert_true(g_file_set_contents(to, data, (gssize)len, NULL));
}

/* Opens `file` expecting failure; returns the message. */
static char *open_fails(const char *file, const char *name)
{
	g_autoptr(bp_error) err = NULL;
	struct plugin *p = plugin_open(file, name, &err);

	g_assert_null(p);
	g_assert_nonnull(err);
	g_assert_cmpint(err->code, ==, BP_ERR_PLUGIN);
	return g_strdup(err->message);
}

static void test_open(void)
{
	g_autofree char *file = tplugin("probe");
	g_autoptr(bp_error) err = NULL;
	struct plugin *p = plugin_open(file, "probe", &err);
	g_autofree char *names = NULL;

	g_assert_null(err);
	g_assert_nonnull(p);
	g_assert_cmpstr(p->name, ==, "probe");
	g_assert_cmpstr(p->file, ==, file);
	g_assert_cmpstr(p->desc->version, ==, "0.3.1");
	g_assert_cmpuint(p->desc->abi_major, ==, BP_ABI_MAJOR);
	g_assert_cmpuint(p->desc->abi_minor, ==, BP_ABI_MINOR);
	g_assert_cmpuint(p->desc->struct_size, ==,
			 sizeof(struct bp_plugin_desc));
	g_assert_cmpuint(p->n_ops, ==, 16);
	g_assert_nonnull(p->state);
	g_assert_nonnull(plugin_find_op(p, "bad.result"));
	g_assert_null(plugin_find_op(p, "bad"));
	names = plugin_op_names(p, 3);
	g_assert_cmpstr(names, ==, "'echo', 'read', 'runtime', ...");
	plugin_close(p);
	plugin_close(NULL);
}

static void test_abi_major(void)
{
	g_autofree char *file = tplugin("future");
	g_autofree char *msg = open_fails(file, "future");
	g_autofree char *want = g_strdup_printf(
		"plugin 'future' (%s) was built for ABI %d.0; this engine "
		"provides %d.%d", file, BP_ABI_MAJOR + 1, BP_ABI_MAJOR,
		BP_ABI_MINOR);

	g_assert_cmpstr(msg, ==, want);
}

static void test_abi_minor(void)
{
	g_autofree char *file = tplugin("newer");
	g_autofree char *msg = open_fails(file, "newer");
	g_autofree char *want = g_strdup_printf(
		"plugin 'newer' (%s) was built for ABI %d.%d; this engine "
		"provides %d.%d", file, BP_ABI_MAJOR, BP_ABI_MINOR + 1,
		BP_ABI_MAJOR, BP_ABI_MINOR);

	g_assert_cmpstr(msg, ==, want);
}

static void test_no_entry(void)
{
	g_autofree char *file = tplugin("noentry");
	g_autofree char *msg = open_fails(file, "noentry");
	g_autofree char *want = g_strdup_printf(
		"no entry point 'bp_plugin_entry' in '%s'", file);

	g_assert_cmpstr(msg, ==, want);
}

static void test_dlopen_failure(void)
{
	g_autofree char *dir = test_tmpdir();
	g_autofree char *file = g_build_filename(dir, "broken.so", NULL);
	g_autofree char *msg = NULL;
	g_autofree char *start = g_strdup_printf("cannot load plugin '%s': ",
						 file);
	g_autofree char *hint = g_strdup_printf(
		"; the most common cause is a missing dependency: 'ldd %s' "
		"lists the libraries it needs and which are not found", file);

	g_assert_true(g_file_set_contents(file, "not a shared object", -1,
					  NULL));
	msg = open_fails(file, "broken");
	g_assert_true(g_str_has_prefix(msg, start));
	g_assert_true(g_str_has_suffix(msg, hint));
	test_rmtree(dir);
}

static void test_refused(void)
{
	g_autofree char *file = tplugin("refuse");
	g_autofree char *msg = open_fails(file, "refuse");
	g_autofree char *want = g_strdup_printf(
		"plugin 'refuse' (%s) refused to load: needs a licence file",
		file);

	g_assert_cmpstr(msg, ==, want);
}

static void test_duplicate_op(void)
{
	g_autofree char *file = tplugin("dupop");
	g_autofree char *msg = open_fails(file, "dupop");
	g_autofree char *want = g_strdup_printf(
		"plugin 'dupop' (%s) declares operation 'create' twice", file);

	g_assert_cmpstr(msg, ==, want);
}

static void test_name_mismatch(void)
{
	g_autofree char *dir = test_tmpdir();
	g_autofree char *file = g_build_filename(dir, "other.so", NULL);
	const char *dirs[] = { dir, NULL };
	struct plugin_registry *reg;
	g_autoptr(bp_error) err = NULL;
	g_autofree char *want = g_strdup_printf(
		"plugin file '%s' declares the name 'probe'; expected 'other' "
		"(rename the file to 'probe.so')", file);

	copy_plugin("probe", dir, "other");
	reg = plugin_registry_new(dirs);
	g_assert_null(plugin_registry_get(reg, "other", &err));
	g_assert_cmpstr(err->message, ==, want);
	plugin_registry_free(reg);
	test_rmtree(dir);
}

static void test_first_wins(void)
{
	g_autofree char *top = test_tmpdir();
	g_autofree char *a = g_build_filename(top, "a", NULL);
	g_autofree char *b = g_build_filename(top, "b", NULL);
	g_autofree char *a_so = g_build_filename(a, "probe.so", NULL);
	g_autofree char *b_so = g_build_filename(b, "probe.so", NULL);
	g_autofree char *missing = g_build_filename(top, "missing", NULL);
	/* a listed twice: scanned once, so no warning about itself */
	const char *dirs[] = { a, missing, b, a, NULL };
	struct plugin_registry *reg;
	const GPtrArray *w;
	const struct plugin *p;
	g_autoptr(bp_error) err = NULL;
	g_autofree char *want = g_strdup_printf(
		"plugin 'probe' in '%s' is hidden by '%s', found earlier in "
		"the plugin path", b_so, a_so);

	g_mkdir(a, 0700);
	g_mkdir(b, 0700);
	copy_plugin("probe", a, "probe");
	copy_plugin("probe", b, "probe");
	reg = plugin_registry_new(dirs);
	w = plugin_registry_warnings(reg);
	g_assert_cmpuint(w->len, ==, 1);
	g_assert_cmpstr(w->pdata[0], ==, want);
	g_assert_cmpstr(plugin_registry_dirs(reg)[0], ==, a);
	g_assert_cmpstr(plugin_registry_dirs(reg)[1], ==, missing);
	g_assert_cmpstr(plugin_registry_dirs(reg)[2], ==, b);
	g_assert_null(plugin_registry_dirs(reg)[3]);
	p = plugin_registry_get(reg, "probe", &err);
	g_assert_nonnull(p);
	g_assert_cmpstr(p->file, ==, a_so);
	g_assert_cmpuint(plugin_registry_load_all(reg)->len, ==, 1);
	plugin_registry_free(reg);
	test_rmtree(top);
}

static void test_invalid_file_name(void)
{
	g_autofree char *dir = test_tmpdir();
	g_autofree char *file = g_build_filename(dir, "bad name.so", NULL);
	const char *dirs[] = { dir, NULL };
	struct plugin_registry *reg;
	g_autofree char *want = g_strdup_printf(
		"ignoring '%s': 'bad name' is not a plugin name (letters, "
		"digits, '_' and '-')", file);

	copy_plugin("probe", dir, "bad name");
	reg = plugin_registry_new(dirs);
	g_assert_cmpuint(plugin_registry_warnings(reg)->len, ==, 1);
	g_assert_cmpstr(plugin_registry_warnings(reg)->pdata[0], ==, want);
	g_assert_cmpuint(plugin_registry_load_all(reg)->len, ==, 0);
	plugin_registry_free(reg);
	test_rmtree(dir);
}

static void test_load_once(void)
{
	g_autofree char *tmp = test_tmpdir();
	g_autofree char *trace = g_build_filename(tmp, "trace", NULL);
	g_autofree char *dir = tplugin_dir();
	const char *dirs[] = { dir, NULL };
	struct plugin_registry *reg;
	g_autofree char *text = NULL;
	const struct plugin *p1, *p2;

	g_setenv("PROBE_TRACE", trace, TRUE);
	reg = plugin_registry_new(dirs);
	p1 = plugin_registry_get(reg, "probe", NULL);
	p2 = plugin_registry_get(reg, "probe", NULL);
	g_assert_nonnull(p1);
	g_assert_true(p1 == p2);
	plugin_registry_load_all(reg);
	plugin_registry_free(reg);
	g_unsetenv("PROBE_TRACE");
	g_assert_true(g_file_get_contents(trace, &text, NULL, NULL));
	g_assert_cmpstr(text, ==, "load\nunload\n");
	test_rmtree(tmp);
}

static void test_missing_and_cached_failure(void)
{
	g_autofree char *dir = tplugin_dir();
	const char *dirs[] = { dir, "/nonexistent", NULL };
	struct plugin_registry *reg = plugin_registry_new(dirs);
	g_autoptr(bp_error) e1 = NULL;
	g_autoptr(bp_error) e2 = NULL;
	g_autoptr(bp_error) e3 = NULL;
	g_autofree char *want = g_strdup_printf(
		"no plugin 'nothere' in the plugin path (%s:/nonexistent)", dir);

	g_assert_null(plugin_registry_get(reg, "nothere", &e1));
	g_assert_cmpint(e1->code, ==, BP_ERR_NOT_FOUND);
	g_assert_cmpstr(e1->message, ==, want);
	g_assert_null(plugin_registry_get(reg, "refuse", &e2));
	g_assert_null(plugin_registry_get(reg, "refuse", &e3));
	g_assert_cmpint(e2->code, ==, BP_ERR_PLUGIN);
	g_assert_cmpstr(e2->message, ==, e3->message);
	plugin_registry_free(reg);
}

static void test_load_all(void)
{
	g_autofree char *dir = tplugin_dir();
	const char *dirs[] = { dir, NULL };
	struct plugin_registry *reg = plugin_registry_new(dirs);
	const GPtrArray *all = plugin_registry_load_all(reg);
	GString *seen = g_string_new(NULL);

	for (guint i = 0; i < all->len; i++) {
		const struct plugin_found *f = all->pdata[i];
		g_assert_true((f->plugin == NULL) != (f->error == NULL));
		g_string_append_printf(seen, "%s%s ", f->name,
				       f->plugin ? "+" : "-");
	}
	g_assert_cmpstr(seen->str, ==, "dupop- future- httpget+ newer- noentry- "
			"probe+ recorder-capped+ recorder+ refuse- script+ ");
	g_string_free(seen, TRUE);
	plugin_registry_free(reg);
}

static void test_add_file(void)
{
	g_autofree char *tmp = test_tmpdir();
	g_autofree char *mine = g_build_filename(tmp, "probe.so", NULL);
	g_autofree char *dir = tplugin_dir();
	const char *dirs[] = { dir, NULL };
	struct plugin_registry *reg = plugin_registry_new(dirs);
	g_autoptr(bp_error) err = NULL;
	const struct plugin *p;
	guint probes = 0;
	const GPtrArray *all;

	copy_plugin("probe", tmp, "probe");
	g_assert_cmpstr(plugin_registry_add_file(reg, mine, NULL), ==, "probe");
	p = plugin_registry_get(reg, "probe", NULL);
	g_assert_cmpstr(p->file, ==, mine);
	all = plugin_registry_load_all(reg);
	for (guint i = 0; i < all->len; i++)
		probes += !strcmp(((struct plugin_found *)all->pdata[i])->name,
				  "probe");
	g_assert_cmpuint(probes, ==, 1);
	g_assert_null(plugin_registry_add_file(reg, "/nonexistent/x.so",
					       &err));
	g_assert_cmpstr(err->message, ==, "no plugin file '/nonexistent/x.so'");
	plugin_registry_free(reg);
	test_rmtree(tmp);
}

static void test_search_path(void)
{
	g_auto(GStrv) path = NULL;
	g_auto(GStrv) bare = NULL;

	g_setenv("BLUEPRINT_PLUGIN_PATH", "/one::/two", TRUE);
	g_setenv("BP_BUILD", "/src/build", TRUE);
	path = plugin_search_path("/bp/dir");
	g_assert_cmpuint(g_strv_length(path), ==, 5);
	g_assert_cmpstr(path[0], ==, "/one");
	g_assert_cmpstr(path[1], ==, "/two");
	g_assert_cmpstr(path[2], ==, "/bp/dir/plugins");
	g_assert_cmpstr(path[3], ==, "/src/build/plugins");
	g_assert_cmpstr(path[4], ==, BP_PLUGINDIR);

	/* Without the variables, and with a test program that is not
	 * DIR/blueprint beside a .build-tree: only the installed directory. */
	g_unsetenv("BLUEPRINT_PLUGIN_PATH");
	g_unsetenv("BP_BUILD");
	bare = plugin_search_path(NULL);
	g_assert_cmpuint(g_strv_length(bare), ==, 1);
	g_assert_cmpstr(bare[0], ==, BP_PLUGINDIR);
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
	g_test_add_func("/plugin/loader/open", test_open);
	g_test_add_func("/plugin/loader/abi-major", test_abi_major);
	g_test_add_func("/plugin/loader/abi-minor", test_abi_minor);
	g_test_add_func("/plugin/loader/no-entry", test_no_entry);
	g_test_add_func("/plugin/loader/dlopen-failure", test_dlopen_failure);
	g_test_add_func("/plugin/loader/refused", test_refused);
	g_test_add_func("/plugin/loader/duplicate-op", test_duplicate_op);
	g_test_add_func("/plugin/loader/name-mismatch", test_name_mismatch);
	g_test_add_func("/plugin/registry/first-wins", test_first_wins);
	g_test_add_func("/plugin/registry/invalid-file-name",
			test_invalid_file_name);
	g_test_add_func("/plugin/registry/load-once", test_load_once);
	g_test_add_func("/plugin/registry/missing",
			test_missing_and_cached_failure);
	g_test_add_func("/plugin/registry/load-all", test_load_all);
	g_test_add_func("/plugin/registry/add-file", test_add_file);
	/* last: it changes the environment */
	g_test_add_func("/plugin/registry/search-path", test_search_path);
	return g_test_run();
}
