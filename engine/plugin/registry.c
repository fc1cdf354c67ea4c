/* registry.c: scan the plugin path, load plugins on demand, resolve
 * operation references. First on the path wins; later twins are warnings. */
#include "plugin/registry.h"

#include <string.h>

struct plugin_registry {
	GMutex lock;            /* guards loading (found->plugin, ->error) */
	GPtrArray *found;       /* struct plugin_found *, search order */
	GHashTable *by_name;    /* name -> struct plugin_found * (borrowed) */
	GPtrArray *dirs;        /* char *, NULL-terminated */
	GPtrArray *warnings;    /* char * */
};

static void found_free(struct plugin_found *f)
{
	plugin_close(f->plugin);
	bp_error_free(f->error);
	g_free(f->name);
	g_free(f->file);
	g_free(f);
}

static struct plugin_found *found_new(const char *name, const char *file)
{
	struct plugin_found *f = g_new0(struct plugin_found, 1);

	f->name = g_strdup(name);
	f->file = g_strdup(file);
	return f;
}

/* Adds the plugin file `file` called `name` unless the name is taken. */
static void add_found(struct plugin_registry *reg, const char *name,
		      const char *file)
{
	struct plugin_found *first = g_hash_table_lookup(reg->by_name, name);
	struct plugin_found *f;

	if (first) {
		g_ptr_array_add(reg->warnings,
				g_strdup_printf("plugin '%s' in '%s' is hidden "
						"by '%s', found earlier in the "
						"plugin path", name, file,
						first->file));
		return;
	}
	f = found_new(name, file);
	g_ptr_array_add(reg->found, f);
	g_hash_table_insert(reg->by_name, f->name, f);
}

static int cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds every NAME.so in `dir`, in name order (a stable result). */
static void scan_dir(struct plugin_registry *reg, const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const char *n;

	if (!d)
		return;
	while ((n = g_dir_read_name(d)))
		if (g_str_has_suffix(n, ".so"))
			g_ptr_array_add(names, g_strdup(n));
	g_ptr_array_sort(names, cmp_str);
	for (guint i = 0; i < names->len; i++) {
		const char *base = names->pdata[i];
		g_autofree char *file = g_build_filename(dir, base, NULL);
		g_autofree char *name = g_strndup(base, strlen(base) - 3);

		if (!g_file_test(file, G_FILE_TEST_IS_REGULAR))
			continue;
		if (!plugin_name_valid(name)) {
			g_ptr_array_add(reg->warnings,
					g_strdup_printf("ignoring '%s': '%s' is "
							"not a plugin name "
							"(letters, digits, '_' "
							"and '-')", file, name));
			continue;
		}
		add_found(reg, name, file);
	}
}

struct plugin_registry *plugin_registry_new(const char *const *dirs)
{
	struct plugin_registry *reg = g_new0(struct plugin_registry, 1);
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash,
							   g_str_equal,
							   g_free, NULL);

	g_mutex_init(&reg->lock);
	reg->found = g_ptr_array_new_with_free_func((GDestroyNotify)found_free);
	reg->by_name = g_hash_table_new(g_str_hash, g_str_equal);
	reg->dirs = g_ptr_array_new_with_free_func(g_free);
	reg->warnings = g_ptr_array_new_with_free_func(g_free);
	for (const char *const *d = dirs; d && *d; d++) {
		char *canon = g_canonicalize_filename(*d, NULL);

		if (!g_hash_table_add(seen, canon))
			continue;
		g_ptr_array_add(reg->dirs, g_strdup(*d));
		scan_dir(reg, *d);
	}
	g_ptr_array_add(reg->dirs, NULL);
	return reg;
}

void plugin_registry_free(struct plugin_registry *reg)
{
	if (!reg)
		return;
	/* Unload in reverse order of the path, the newest-added first. */
	while (reg->found->len)
		g_ptr_array_remove_index(reg->found, reg->found->len - 1);
	g_ptr_array_unref(reg->found);
	g_hash_table_unref(reg->by_name);
	g_ptr_array_unref(reg->dirs);
	g_ptr_array_unref(reg->warnings);
	g_mutex_clear(&reg->lock);
	g_free(reg);
}

const char *plugin_registry_add_file(struct plugin_registry *reg,
				     const char *file, struct bp_error **err)
{
	g_autofree char *base = g_path_get_basename(file);
	struct plugin_found *f, *hidden;
	size_t n = strlen(base);

	if (!g_file_test(file, G_FILE_TEST_IS_REGULAR)) {
		bp_error_set(err, BP_ERR_NOT_FOUND, NULL, NULL,
			     "no plugin file '%s'", file);
		return NULL;
	}
	if (g_str_has_suffix(base, ".so"))
		base[n - 3] = 0;
	hidden = g_hash_table_lookup(reg->by_name, base);
	if (hidden) {
		g_hash_table_remove(reg->by_name, base);
		g_ptr_array_remove(reg->found, hidden);
	}
	f = found_new(base, file);
	g_ptr_array_insert(reg->found, 0, f);
	g_hash_table_insert(reg->by_name, f->name, f);
	return f->name;
}

const char *const *plugin_registry_dirs(const struct plugin_registry *reg)
{
	return (const char *const *)reg->dirs->pdata;
}

const GPtrArray *plugin_registry_warnings(const struct plugin_registry *reg)
{
	return reg->warnings;
}

/* Loads f once; the caller holds the lock. */
static void load_found(struct plugin_found *f)
{
	if (!f->plugin && !f->error)
		f->plugin = plugin_open(f->file, f->name, &f->error);
}

/* (transfer full) the directories joined by ':', for messages. */
static char *dirs_joined(const struct plugin_registry *reg)
{
	return g_strjoinv(":", (char **)reg->dirs->pdata);
}

const struct plugin *plugin_registry_get(struct plugin_registry *reg,
					 const char *name,
					 struct bp_error **err)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&reg->lock);
	struct plugin_found *f = g_hash_table_lookup(reg->by_name, name);

	if (!f) {
		g_autofree char *path = dirs_joined(reg);
		bp_error_set(err, BP_ERR_NOT_FOUND, NULL, NULL,
			     "no plugin '%s' in the plugin path (%s)", name,
			     path);
		return NULL;
	}
	load_found(f);
	if (f->error)
		bp_error_propagate(err, bp_error_copy(f->error));
	return f->plugin;
}

const GPtrArray *plugin_registry_load_all(struct plugin_registry *reg)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&reg->lock);

	for (guint i = 0; i < reg->found->len; i++)
		load_found(reg->found->pdata[i]);
	return reg->found;
}

/* Resolves an artifact to the first plugin (search order) that claims its
 * type or, failing that, the nearest type it derives from. */
static bool resolve_artifact(struct plugin_op *out,
			     struct plugin_registry *reg,
			     const struct plugin_ref *ref,
			     struct bp_error **err)
{
	const GPtrArray *found = plugin_registry_load_all(reg);

	for (char **t = ref->types; t && *t; t++) {
		for (guint i = 0; i < found->len; i++) {
			const struct plugin_found *f = found->pdata[i];
			const char *name = f->plugin ?
				plugin_artifact_op(f->plugin, *t) : NULL;
			if (!name)
				continue;
			out->plugin = f->plugin;
			out->op = plugin_find_op(f->plugin, name);
			if (out->op)
				return true;
			bp_error_set(err, BP_ERR_NOT_FOUND, NULL, NULL,
				     "plugin '%s' (%s) claims artifact type "
				     "'%s' for operation '%s', which it does "
				     "not have", f->plugin->name,
				     f->plugin->file, *t, name);
			return false;
		}
	}
	bp_error_set(err, BP_ERR_NOT_FOUND, NULL, NULL,
		     "no plugin runs artifact '%s' of type '%s'", ref->text,
		     ref->types && ref->types[0] ? ref->types[0] : "?");
	return false;
}

bool plugin_registry_resolve(struct plugin_op *out,
			     struct plugin_registry *reg,
			     const struct plugin_ref *ref,
			     struct bp_error **err)
{
	const struct plugin *p;

	if (ref->kind == PLUGIN_REF_ARTIFACT)
		return resolve_artifact(out, reg, ref, err);
	p = plugin_registry_get(reg, ref->plugin, err);
	const struct bp_op *op;
	g_autofree char *ops = NULL;

	if (!p) {
		if (ref->kind == PLUGIN_REF_SCRIPT)
			return bp_error_prefix(err, "script '%s' needs the "
					       "script runner", ref->text);
		return bp_error_prefix(err, "no plugin provides '%s'",
				       ref->text);
	}
	op = plugin_find_op(p, ref->op);
	if (!op) {
		ops = plugin_op_names(p, 12);
		bp_error_set(err, BP_ERR_NOT_FOUND, NULL, NULL,
			     "no plugin provides '%s': plugin '%s' (%s) has no "
			     "operation '%s'; it has %s", ref->text, p->name,
			     p->file, ref->op, *ops ? ops : "none");
		return false;
	}
	out->plugin = p;
	out->op = op;
	return true;
}
