/* test-plugin-ref.c: operation references: Cloudify's PLUGIN.module.func
 * and PLUGIN.op, names declared in the blueprint's plugins: section,
 * scripts by extension, by path and by a file beside the blueprint, the
 * malformed ones; then resolution against the test plugins, with the
 * messages a blueprint author sees. */
#include "plugin/ref.h"
#include "plugin/registry.h"
#include "testlib.h"

#include <string.h>

struct ref_case {
	const char *text;
	enum plugin_ref_kind kind;   /* 0: must fail */
	const char *plugin;
	const char *op;
	const char *script;          /* relative to the blueprint dir */
};

/* (transfer full) declared plugin name -> .so name, from pairs. */
static GHashTable *aliases_new(const char *const *pairs)
{
	GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					      g_free);

	for (; pairs[0]; pairs += 2)
		g_hash_table_insert(h, g_strdup(pairs[0]), g_strdup(pairs[1]));
	return h;
}

static void check_case(const struct ref_case *c, const char *dir,
		       GHashTable *aliases)
{
	struct plugin_ref_env env = { .blueprint_dir = dir,
				      .aliases = aliases };
	struct plugin_ref ref = { 0 };
	g_autoptr(bp_error) err = NULL;
	bool ok = plugin_ref_parse(&ref, c->text, &env, &err);

	g_test_message("reference '%s'", c->text);
	if (!c->kind) {
		g_assert_false(ok);
		g_assert_cmpint(err->code, ==, BP_ERR_INVALID);
		g_assert_nonnull(strstr(err->message, "expected "
					"'PLUGIN.OPERATION' or a script path"));
		g_assert_null(ref.text);
		return;
	}
	g_assert_true(ok);
	g_assert_cmpint(ref.kind, ==, c->kind);
	g_assert_cmpstr(ref.text, ==, c->text);
	g_assert_cmpstr(ref.plugin, ==, c->plugin);
	g_assert_cmpstr(ref.op, ==, c->op);
	if (c->script) {
		g_autofree char *want = c->script[0] == '/' ?
			g_strdup(c->script) :
			g_build_filename(dir, c->script, NULL);
		g_assert_cmpstr(ref.script, ==, want);
	} else {
		g_assert_null(ref.script);
	}
	plugin_ref_release(&ref);
}

static void test_parse(void)
{
	static const struct ref_case cases[] = {
		{ "openstack.server.create", PLUGIN_REF_OPERATION,
		  "openstack", "server.create", NULL },
		{ "openstack.nova_plugin.server.create", PLUGIN_REF_OPERATION,
		  "openstack", "nova_plugin.server.create", NULL },
		{ "hello.create", PLUGIN_REF_OPERATION, "hello", "create",
		  NULL },
		{ "script.script_runner.tasks.run", PLUGIN_REF_OPERATION,
		  "script", "script_runner.tasks.run", NULL },
		{ "my-plugin_2.op", PLUGIN_REF_OPERATION, "my-plugin_2", "op",
		  NULL },
		/* a name declared in plugins: mapped to the .so's name */
		{ "os.server.create", PLUGIN_REF_OPERATION, "openstack",
		  "server.create", NULL },
		/* scripts */
		{ "scripts/create.sh", PLUGIN_REF_SCRIPT, "script", "run",
		  "scripts/create.sh" },
		{ "create.py", PLUGIN_REF_SCRIPT, "script", "run",
		  "create.py" },
		{ "configure.ps1", PLUGIN_REF_SCRIPT, "script", "run",
		  "configure.ps1" },
		{ "scripts\\start.bat", PLUGIN_REF_SCRIPT, "script", "run",
		  "scripts\\start.bat" },
		{ "/opt/hooks/stop", PLUGIN_REF_SCRIPT, "script", "run",
		  "/opt/hooks/stop" },
		{ "install", PLUGIN_REF_SCRIPT, "script", "run", "install" },
		{ "hooks.d", PLUGIN_REF_OPERATION, "hooks", "d", NULL },
		/* malformed */
		{ "", 0, NULL, NULL, NULL },
		{ "  ", 0, NULL, NULL, NULL },
		{ "uninstall", 0, NULL, NULL, NULL },
		{ ".create", 0, NULL, NULL, NULL },
		{ "hello.", 0, NULL, NULL, NULL },
		{ "hello..create", 0, NULL, NULL, NULL },
		{ "bad name.create", 0, NULL, NULL, NULL },
		{ ".sh", 0, NULL, NULL, NULL },
	};
	g_autofree char *dir = test_tmpdir();
	g_autofree char *install = g_build_filename(dir, "install", NULL);
	g_autofree char *hooks = g_build_filename(dir, "hooks.d", NULL);
	const char *pairs[] = { "os", "openstack", "hello", "hello", NULL };
	g_autoptr(GHashTable) aliases = aliases_new(pairs);

	/* "install" is a file beside the blueprint; "hooks.d" a directory */
	g_assert_true(g_file_set_contents(install, "#!/bin/sh\n", -1, NULL));
	g_assert_true(g_mkdir_with_parents(hooks, 0700) == 0);
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++)
		check_case(&cases[i], dir, aliases);
	test_rmtree(dir);
}

static void test_declared_name_kept(void)
{
	const char *pairs[] = { "os", "openstack", "k8s", "k8s", NULL };
	g_autoptr(GHashTable) aliases = aliases_new(pairs);
	struct plugin_ref_env env = { .aliases = aliases };
	struct plugin_ref ref = { 0 };

	g_assert_true(plugin_ref_parse(&ref, "os.server.create", &env, NULL));
	g_assert_cmpstr(ref.declared, ==, "os");
	plugin_ref_release(&ref);
	g_assert_true(plugin_ref_parse(&ref, "k8s.resource.create", &env,
				       NULL));
	g_assert_null(ref.declared);
	plugin_ref_release(&ref);
	plugin_ref_release(NULL);
}

static void test_no_env(void)
{
	struct plugin_ref ref = { 0 };
	g_autoptr(bp_error) err = NULL;

	g_assert_true(plugin_ref_parse(&ref, "scripts/x.sh", NULL, NULL));
	g_assert_cmpstr(ref.script, ==, "scripts/x.sh");
	plugin_ref_release(&ref);
	g_assert_false(plugin_ref_parse(&ref, "nodot", NULL, &err));
	g_assert_cmpstr(err->message, ==, "invalid operation reference "
			"'nodot': expected 'PLUGIN.OPERATION' or a script path");
}

/* Resolves `text` against the test plugins (and, with `extra`, another
 * directory first); returns the error message, or NULL on success. */
static char *resolve(const char *text, const char *extra,
		     struct plugin_op *out)
{
	g_autofree char *dir = test_build_path("tests/plugins");
	const char *dirs[] = { extra ? extra : dir, dir, NULL };
	struct plugin_registry *reg = plugin_registry_new(dirs);
	struct plugin_ref ref = { 0 };
	g_autoptr(bp_error) err = NULL;
	char *msg = NULL;

	g_assert_true(plugin_ref_parse(&ref, text, NULL, NULL));
	if (plugin_registry_resolve(out, reg, &ref, &err))
		g_assert_cmpstr(out->op->name, ==, ref.op);
	else
		msg = g_strdup(err->message);
	plugin_ref_release(&ref);
	plugin_registry_free(reg);
	return msg;
}

static void test_resolve(void)
{
	struct plugin_op op = { 0 };
	g_autofree char *m1 = resolve("probe.echo", NULL, &op);
	g_autofree char *m2 = resolve("probe.ech", NULL, &op);
	g_autofree char *m3 = resolve("openstack.server.create", NULL, &op);
	g_autofree char *m4 = resolve("script.run", NULL, &op);
	g_autofree char *m5 = resolve("refuse.never", NULL, &op);
	g_autofree char *empty = test_tmpdir();
	g_autofree char *m6 = NULL;

	g_assert_null(m1);
	g_assert_nonnull(strstr(m2, "no plugin provides 'probe.ech': plugin "
				"'probe' ("));
	g_assert_true(g_str_has_suffix(m2, "probe.so) has no operation 'ech'; "
		      "it has 'echo', 'read', 'runtime', 'delete', 'retry', "
		      "'fail', 'fatal', 'bad.result', 'silent.fail', "
		      "'mind.change', 'cancel', 'secret', ..."));
	g_assert_true(g_str_has_prefix(m3, "no plugin provides "
		      "'openstack.server.create': no plugin 'openstack' in the "
		      "plugin path ("));
	g_assert_null(m4);
	g_assert_nonnull(strstr(m5, "refused to load: needs a licence file"));

	/* a script, with no script runner on the path */
	{
		struct plugin_ref ref = { 0 };
		const char *dirs[] = { empty, NULL };
		struct plugin_registry *reg = plugin_registry_new(dirs);
		g_autoptr(bp_error) err = NULL;
		g_autofree char *want = g_strdup_printf(
			"script 'scripts/x.sh' needs the script runner: no "
			"plugin 'script' in the plugin path (%s)", empty);

		g_assert_true(plugin_ref_parse(&ref, "scripts/x.sh", NULL,
					       NULL));
		g_assert_false(plugin_registry_resolve(&op, reg, &ref, &err));
		m6 = g_strdup(err->message);
		g_assert_cmpstr(m6, ==, want);
		plugin_ref_release(&ref);
		plugin_registry_free(reg);
	}
	test_rmtree(empty);
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
	g_test_add_func("/plugin/ref/parse", test_parse);
	g_test_add_func("/plugin/ref/declared-name", test_declared_name_kept);
	g_test_add_func("/plugin/ref/no-env", test_no_env);
	g_test_add_func("/plugin/ref/resolve", test_resolve);
	return g_test_run();
}
