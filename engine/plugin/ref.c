/* ref.c: parse an operation reference into plugin and operation names. */
#include "plugin/ref.h"

#include <string.h>

#include "plugin/loader.h"

static const char *const script_exts[] = {
	".sh", ".bash", ".ksh", ".zsh", ".py", ".ps1", ".bat", ".cmd", ".rb",
	".pl", NULL,
};

/* True when the text itself says it is a path to a script. */
static bool looks_like_script(const char *text)
{
	if (strchr(text, '/') || strchr(text, '\\'))
		return true;
	for (const char *const *e = script_exts; *e; e++)
		if (g_str_has_suffix(text, *e) && strlen(text) > strlen(*e))
			return true;
	return false;
}

/* (transfer full) the file `text` names beside the blueprint, when it is a
 * regular file there; else NULL. */
static char *beside_blueprint(const char *text, const char *dir)
{
	char *p;

	if (!dir || g_path_is_absolute(text))
		return NULL;
	p = g_build_filename(dir, text, NULL);
	if (g_file_test(p, G_FILE_TEST_IS_REGULAR))
		return p;
	g_free(p);
	return NULL;
}

static void parse_script(struct plugin_ref *out, const char *text,
			 const char *dir, char *found)
{
	out->kind = PLUGIN_REF_SCRIPT;
	out->plugin = g_strdup(PLUGIN_SCRIPT_NAME);
	out->op = g_strdup(PLUGIN_SCRIPT_OP);
	if (found)
		out->script = found;
	else if (dir && !g_path_is_absolute(text))
		out->script = g_build_filename(dir, text, NULL);
	else
		out->script = g_strdup(text);
}

/* True when text is NULL or only white space. */
static bool blank(const char *text)
{
	for (const char *c = text; c && *c; c++)
		if (!g_ascii_isspace(*c))
			return false;
	return true;
}

/* True when every '.'-separated segment of `op` is non-empty. */
static bool op_valid(const char *op)
{
	size_t n = strlen(op);

	return n && op[0] != '.' && op[n - 1] != '.' && !strstr(op, "..");
}

bool plugin_ref_parse(struct plugin_ref *out, const char *text,
		      const struct plugin_ref_env *env, struct bp_error **err)
{
	const char *dir = env ? env->blueprint_dir : NULL;
	struct plugin_ref r = { 0 };
	g_autofree char *name = NULL;
	const char *dot;
	char *found;

	if (blank(text)) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL,
			     "empty operation reference: expected "
			     "'PLUGIN.OPERATION' or a script path");
		return false;
	}
	r.text = g_strdup(text);
	found = looks_like_script(text) ? NULL : beside_blueprint(text, dir);
	if (found || looks_like_script(text)) {
		parse_script(&r, text, dir, found);
		*out = r;
		return true;
	}
	dot = strchr(text, '.');
	name = dot ? g_strndup(text, (size_t)(dot - text)) : NULL;
	if (!dot || !plugin_name_valid(name) || !op_valid(dot + 1)) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL,
			     "invalid operation reference '%s': expected "
			     "'PLUGIN.OPERATION' or a script path", text);
		plugin_ref_release(&r);
		return false;
	}
	r.kind = PLUGIN_REF_OPERATION;
	r.op = g_strdup(dot + 1);
	if (env && env->aliases && g_hash_table_contains(env->aliases, name)) {
		r.plugin = g_strdup(g_hash_table_lookup(env->aliases, name));
		if (strcmp(r.plugin, name) != 0)
			r.declared = g_steal_pointer(&name);
	} else {
		r.plugin = g_steal_pointer(&name);
	}
	*out = r;
	return true;
}

void plugin_ref_release(struct plugin_ref *ref)
{
	if (!ref)
		return;
	g_free(ref->text);
	g_free(ref->plugin);
	g_free(ref->declared);
	g_free(ref->op);
	g_free(ref->script);
	g_strfreev(ref->types);
	memset(ref, 0, sizeof(*ref));
}

/* The artifact type whose file_ext lists the extension of `file`, the most
 * derived when several do; NULL when none. */
static const struct model_type *type_by_ext(const struct model *m,
					    const char *file)
{
	const char *dot = strrchr(file, '.');
	const struct model_type *best = NULL;
	GHashTableIter it;
	gpointer v;

	if (!dot || strchr(dot, '/') || !m->types[MODEL_ARTIFACT_TYPE])
		return NULL;
	g_hash_table_iter_init(&it, m->types[MODEL_ARTIFACT_TYPE]);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		const struct model_type *t = v;
		const struct dsl_node *exts = t->entry ?
			dsl_map_get(t->entry->def, "file_ext") : NULL;
		for (uint32_t i = 0; dsl_is_seq(exts) && i < exts->u.seq.n; i++)
			if (g_strcmp0(dsl_str(exts->u.seq.items[i]), dot + 1)
			    == 0 && (!best || t->depth > best->depth))
				best = t;
	}
	return best;
}

/* Fills *r as the artifact `def` (a map {file, type} or a path): its file
 * made absolute against dir and its type chain. */
static bool parse_artifact(struct plugin_ref *r, const struct dsl_node *def,
			   const char *dir, const struct model *m,
			   struct bp_error **err)
{
	const char *file = dsl_str(def) ? dsl_str(def) :
		dsl_str(dsl_map_get(def, "file"));
	const char *tname = dsl_str(dsl_map_get(def, "type"));
	const struct model_type *t = NULL;
	g_autoptr(GPtrArray) chain = g_ptr_array_new();

	if (!file || !*file) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL,
			     "artifact '%s' has no file: expected a 'file' "
			     "path", r->text);
		return false;
	}
	if (m)
		t = tname ? model_type_find(m, MODEL_ARTIFACT_TYPE, tname) :
			type_by_ext(m, file);
	if (!t && !tname) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL,
			     "artifact '%s' has no type and its file '%s' has "
			     "no known artifact file extension", r->text, file);
		return false;
	}
	if (!t)
		g_ptr_array_add(chain, g_strdup(tname));
	for (; t; t = t->parent)
		g_ptr_array_add(chain, g_strdup(t->name));
	g_ptr_array_add(chain, NULL);
	r->kind = PLUGIN_REF_ARTIFACT;
	r->types = (char **)g_ptr_array_free(g_steal_pointer(&chain), FALSE);
	if (dir && !g_path_is_absolute(file) && !strstr(file, "://"))
		r->script = g_build_filename(dir, file, NULL);
	else
		r->script = g_strdup(file);
	return true;
}

bool plugin_ref_parse_op(struct plugin_ref *out,
			 const struct model_operation *op,
			 const struct plugin_ref_env *env,
			 struct bp_error **err)
{
	const struct model *m = env ? env->model : NULL;
	const struct model_node *n = env ? env->node : NULL;
	const struct dsl_node *def = NULL;
	struct plugin_ref r = { 0 };

	if (dsl_is_map(op->impl_node))
		def = op->impl_node;
	else if (n && op->implementation)
		def = dsl_map_get(n->artifacts, op->implementation);
	if (!def)
		return plugin_ref_parse(out, op->implementation, env, err);
	r.text = g_strdup(op->implementation);
	if (!parse_artifact(&r, def, env ? env->blueprint_dir : NULL, m,
			    err)) {
		plugin_ref_release(&r);
		return false;
	}
	*out = r;
	return true;
}
