/* imports.c: where an import points on this machine.
 *
 * A relative path is looked up beside the importing file (for TOSCA also
 * with tosca-parser's reading of a directory part the importing file's
 * directory already ends in), then beside the main blueprint (as
 * tosca-parser does), then in the types directories,
 * then in the import map. A URL or `plugin:NAME` cannot be fetched
 * (blueprint works offline), so types/import-map.yaml maps them to
 * shipped files:
 *
 *   map:
 *     - pattern: "http://www.getcloudify.org/spec/cloudify/?.?/types.yaml"
 *       file: cloudify.yaml
 *
 * The first matching pattern wins ('*' any run of characters, '?' one);
 * `file` is relative to the directory holding the map. An import nothing
 * maps is an error naming the URL.
 */
#include "dsl/loader.h"

#include <string.h>

#define IMPORT_MAP "import-map.yaml"

struct dsl_import_map {
	GPtrArray *patterns;         /* of GPatternSpec * */
	GPtrArray *files;            /* of char *, absolute */
};

void dsl__import_map_free(struct dsl_import_map *map)
{
	if (!map)
		return;
	g_ptr_array_unref(map->patterns);
	g_ptr_array_unref(map->files);
	g_free(map);
}

/* Reads the first import-map.yaml found in the types directories. A broken
 * map is reported once; then nothing maps. */
static struct dsl_import_map *import_map(struct dsl_loader *ld)
{
	const char *const *dirs = ld->opts ? ld->opts->types_dirs : NULL;

	if (ld->map_read)
		return ld->map;
	ld->map_read = true;
	for (size_t i = 0; dirs && dirs[i]; i++) {
		g_autofree char *p = g_build_filename(dirs[i], IMPORT_MAP, NULL);
		struct bp_error *err = NULL;
		g_autoptr(dsl_doc) doc = NULL;
		const struct dsl_node *list;

		if (!g_file_test(p, G_FILE_TEST_IS_REGULAR))
			continue;
		doc = dsl_parse_file(p, &err);
		if (!doc) {
			bp_diags_take(ld->diags, err);
			return NULL;
		}
		list = dsl_map_get(doc->root, "map");
		if (!dsl_is_seq(list)) {
			dsl__error(ld, doc->root, "map", "expected a list under "
				   "'map' in the import map");
			return NULL;
		}
		ld->map = g_new0(struct dsl_import_map, 1);
		ld->map->patterns = g_ptr_array_new_with_free_func(
			(GDestroyNotify)g_pattern_spec_free);
		ld->map->files = g_ptr_array_new_with_free_func(g_free);
		for (uint32_t k = 0; k < list->u.seq.n; k++) {
			const struct dsl_node *e = list->u.seq.items[k];
			const char *pat = dsl_str(dsl_map_get(e, "pattern"));
			const char *file = dsl_str(dsl_map_get(e, "file"));
			if (!pat || !file) {
				dsl__error(ld, e, "map", "expected 'pattern' "
					   "and 'file' strings in an import "
					   "map entry");
				continue;
			}
			g_ptr_array_add(ld->map->patterns, g_pattern_spec_new(pat));
			g_ptr_array_add(ld->map->files,
					g_build_filename(dirs[i], file, NULL));
		}
		return ld->map;
	}
	return NULL;
}

static const char *map_lookup(struct dsl_loader *ld, const char *uri)
{
	struct dsl_import_map *map = import_map(ld);

	for (guint i = 0; map && i < map->patterns->len; i++)
		if (g_pattern_spec_match_string(map->patterns->pdata[i], uri))
			return map->files->pdata[i];
	return NULL;
}

static bool is_url(const char *uri)
{
	return strstr(uri, "://") || g_str_has_prefix(uri, "plugin:");
}

/* tosca-parser reads `dir/name.yaml` as `name.yaml` beside a file whose
 * directory already ends in `dir` (its own test data imports
 * `custom_types/x.yaml` from inside custom_types/). Returns (transfer full)
 * that path when it names a file, else NULL. */
static char *suffix_dir_path(const char *base, const char *uri)
{
	const char *slash = strrchr(uri, '/');
	g_autofree char *dir = NULL;
	g_autofree char *tail = NULL;
	char *p;

	if (!slash || slash == uri || g_path_is_absolute(uri))
		return NULL;
	dir = g_strndup(uri, (size_t)(slash - uri));
	tail = g_strconcat("/", dir, NULL);
	if (!g_str_has_suffix(base, tail))
		return NULL;
	p = g_build_filename(base, slash + 1, NULL);
	if (g_file_test(p, G_FILE_TEST_IS_REGULAR))
		return p;
	g_free(p);
	return NULL;
}

char *dsl__resolve_import(struct dsl_loader *ld, const struct dsl_file *from,
			  const char *uri, const struct dsl_node *at)
{
	const char *const *dirs = ld->opts ? ld->opts->types_dirs : NULL;
	g_autofree char *base = g_path_get_dirname(from->path);
	g_autofree char *beside = NULL;
	GString *looked;

	if (g_str_has_prefix(uri, "file://"))
		uri += strlen("file://");
	else if (is_url(uri)) {
		const char *file = map_lookup(ld, uri);
		if (file && g_file_test(file, G_FILE_TEST_IS_REGULAR))
			return g_strdup(file);
		dsl__error(ld, at, "imports", file ?
			   "import '%s' maps to a missing file" :
			   "cannot resolve import '%s' offline: no entry in "
			   "the import map matches it", uri);
		return NULL;
	}
	beside = g_path_is_absolute(uri) ? g_strdup(uri) :
		 g_build_filename(base, uri, NULL);
	if (g_file_test(beside, G_FILE_TEST_IS_REGULAR))
		return g_steal_pointer(&beside);
	if (dsl__version_find(from->version)->dialect == DSL_DIALECT_TOSCA) {
		char *p = suffix_dir_path(base, uri);
		if (p)
			return p;
	}
	looked = g_string_new(base);
	/* tosca-parser also reads imports relative to the main blueprint */
	if (!g_path_is_absolute(uri) && ld->svc->files->len) {
		g_autofree char *top = g_path_get_dirname(
			dsl_service_main(ld->svc)->path);
		g_autofree char *p = g_build_filename(top, uri, NULL);
		if (g_file_test(p, G_FILE_TEST_IS_REGULAR)) {
			g_string_free(looked, TRUE);
			return g_steal_pointer(&p);
		}
		g_string_append_printf(looked, ", %s", top);
	}
	for (size_t i = 0; dirs && dirs[i] && !g_path_is_absolute(uri); i++) {
		g_autofree char *p = g_build_filename(dirs[i], uri, NULL);
		g_autofree char *name = g_path_get_basename(uri);
		g_autofree char *q = g_build_filename(dirs[i], name, NULL);
		if (g_file_test(p, G_FILE_TEST_IS_REGULAR)) {
			g_string_free(looked, TRUE);
			return g_steal_pointer(&p);
		}
		if (g_file_test(q, G_FILE_TEST_IS_REGULAR)) {
			g_string_free(looked, TRUE);
			return g_steal_pointer(&q);
		}
		g_string_append_printf(looked, ", %s", dirs[i]);
	}
	if (map_lookup(ld, uri) &&
	    g_file_test(map_lookup(ld, uri), G_FILE_TEST_IS_REGULAR)) {
		g_string_free(looked, TRUE);
		return g_strdup(map_lookup(ld, uri));
	}
	dsl__error(ld, at, "imports", "cannot find import '%s' (looked in %s)",
		   uri, looked->str);
	g_string_free(looked, TRUE);
	return NULL;
}
