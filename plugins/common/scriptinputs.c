/* scriptinputs.c: what an operation that runs a script says about it, as
 * Cloudify's script and fabric plugins read it: the script_path input (the
 * file) and every other input as an environment variable of the script.
 *
 *   script_path  a path relative to the blueprint's directory
 *                (bp_blueprint_dir; the working directory when there is
 *                none), an absolute path, or a file:// URL. The engine's
 *                reference resolver passes a path implementation this way,
 *                already absolute.
 *   other inputs environment variables: a string as it is, any other
 *                value as compact JSON (Cloudify does the same, except
 *                that it writes None/True for null/true); process.env wins
 *                over an input of the same name.
 */
#include "scriptrun.h"

#include <stdlib.h>
#include <string.h>

char *script_env_value(const json_t *v)
{
	char *text;
	char *out;

	if (json_is_string(v))
		return g_strdup(json_string_value(v));
	text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	out = g_strdup(text);
	free(text);
	return out;
}

/* Sets every member of `vars` (an object, or NULL) in env, but for the
 * names in `skip`. Returns the new env (consumes env). */
static char **set_vars(char **env, const json_t *vars,
		       const char *const *skip)
{
	const char *name;
	json_t *v;

	json_object_foreach((json_t *)vars, name, v) {
		g_autofree char *value = NULL;
		if (!*name || strchr(name, '=') ||
		    (skip && g_strv_contains(skip, name)))
			continue;
		value = script_env_value(v);
		env = g_environ_setenv(env, name, value, TRUE);
	}
	return env;
}

char **script_env_inputs(char **env, bp_ctx *ctx, const json_t *process,
			 const char *const *own)
{
	json_t *inputs = script_parse(bp_get_json(ctx, BP_SCOPE_INPUTS, NULL));

	env = set_vars(env, inputs, own);
	env = set_vars(env, json_object_get(process, "env"), NULL);
	json_decref(inputs);
	return env;
}

char *script_in_blueprint(bp_ctx *ctx, const char *rel)
{
	const char *dir = bp_blueprint_dir(ctx);

	if (g_path_is_absolute(rel) || !dir)
		return g_strdup(rel);
	return g_build_filename(dir, rel, NULL);
}

bool script_locate(bp_ctx *ctx, char **shown, char **path, char **errmsg)
{
	const char *p = bp_get_string(ctx, BP_SCOPE_INPUTS, "script_path");
	char *abs;

	if (!p || !*p) {
		*errmsg = g_strdup("no 'script_path' input: expected the path "
				   "of the script to run");
		return false;
	}
	*shown = g_strdup(p);
	if (g_str_has_prefix(p, "file://")) {
		p += strlen("file://");
	} else if (strstr(p, "://")) {
		*errmsg = g_strdup_printf("cannot run script '%s': expected a "
					  "path or a file:// URL", *shown);
		return false;
	}
	*path = script_in_blueprint(ctx, p);
	if (!g_path_is_absolute(*path)) {
		abs = g_canonicalize_filename(*path, NULL);
		g_free(*path);
		*path = abs;
	}
	if (!g_file_test(*path, G_FILE_TEST_IS_REGULAR)) {
		*errmsg = g_strdup_printf("script '%s' not found (no file "
					  "'%s')", *shown, *path);
		return false;
	}
	return true;
}
