/* searchpath.c: where plugins are looked for, in order (see registry.h):
 * $BLUEPRINT_PLUGIN_PATH, the blueprint's plugins/ folder, the build tree
 * when running from the source tree, and the installed plugin directory. */
#include "plugin/registry.h"

#include <string.h>

#ifndef BP_PLUGINDIR
#error "BP_PLUGINDIR must be defined by the Makefile"
#endif

/* (transfer full) the build tree's plugin directory, or NULL when the
 * program does not run from a build tree. */
static char *build_tree_plugins(void)
{
	const char *env = g_getenv("BP_BUILD");
	g_autofree char *exe = NULL;
	g_autofree char *dir = NULL;
	g_autofree char *marker = NULL;

	if (env && *env)
		return g_build_filename(env, "plugins", NULL);
	exe = g_file_read_link("/proc/self/exe", NULL);
	if (!exe)
		return NULL;
	dir = g_path_get_dirname(exe);
	marker = g_build_filename(dir, ".build-tree", NULL);
	if (!g_file_test(marker, G_FILE_TEST_IS_REGULAR))
		return NULL;
	return g_build_filename(dir, "plugins", NULL);
}

char **plugin_search_path(const char *blueprint_dir)
{
	GPtrArray *dirs = g_ptr_array_new();
	const char *env = g_getenv("BLUEPRINT_PLUGIN_PATH");
	char *build;

	if (env && *env) {
		g_auto(GStrv) parts = g_strsplit(env, ":", -1);
		for (char **p = parts; *p; p++)
			if (**p)
				g_ptr_array_add(dirs, g_strdup(*p));
	}
	if (blueprint_dir)
		g_ptr_array_add(dirs, g_build_filename(blueprint_dir,
						       "plugins", NULL));
	build = build_tree_plugins();
	if (build)
		g_ptr_array_add(dirs, build);
	g_ptr_array_add(dirs, g_strdup(BP_PLUGINDIR));
	g_ptr_array_add(dirs, NULL);
	return (char **)g_ptr_array_free(dirs, FALSE);
}
