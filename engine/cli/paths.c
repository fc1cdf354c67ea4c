/* paths.c: where the CLI finds what ships with blueprint: the type files
 * (and their import map) and the plugins. Running from the source tree
 * (build/blueprint) finds ./types and build/plugins; an installed binary
 * finds PREFIX/share/blueprint/types and PREFIX/lib/blueprint/plugins. */
#include "cli/cli.h"

#include <glib.h>

/* The directory holding the running executable, or NULL. */
static char *exe_dir(void)
{
	g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);

	return exe ? g_path_get_dirname(exe) : NULL;
}

static void add_dir(GPtrArray *dirs, char *dir)
{
	if (dir && g_file_test(dir, G_FILE_TEST_IS_DIR))
		g_ptr_array_add(dirs, dir);
	else
		g_free(dir);
}

char **cli_types_dirs(void)
{
	GPtrArray *dirs = g_ptr_array_new();
	const char *env = g_getenv("BLUEPRINT_TYPES_DIR");
	g_autofree char *bin = exe_dir();

	if (env && *env) {
		g_auto(GStrv) parts = g_strsplit(env, ":", -1);
		for (size_t i = 0; parts[i]; i++)
			if (*parts[i])
				add_dir(dirs, g_strdup(parts[i]));
	}
	if (bin)
		add_dir(dirs, g_build_filename(bin, "..", "types", NULL));
	add_dir(dirs, g_build_filename(BP_DATADIR, "types", NULL));
	g_ptr_array_add(dirs, NULL);
	return (char **)g_ptr_array_free(dirs, FALSE);
}
