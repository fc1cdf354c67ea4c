/* yaml.c: clouds.yaml and secure.yaml to JSON, the only YAML files the
 * plugin reads, through the YAML reader the plugins share
 * (plugins/common/yaml.h). */
#include <errno.h>
#include <glib.h>

#include "common/yaml.h"
#include "os.h"

json_t *os_yaml_load(const char *path, char **errmsg)
{
	g_autofree char *text = NULL;
	g_autoptr(GError) gerr = NULL;
	char *perr = NULL;
	gsize len;
	json_t *out;

	*errmsg = NULL;
	if (!g_file_get_contents(path, &text, &len, &gerr)) {
		if (!g_error_matches(gerr, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			*errmsg = g_strdup_printf("cannot read '%s': %s", path,
						  gerr->message);
		return NULL;
	}
	out = len ? yaml_to_json(text, len, &perr) : json_null();
	if (!out) {
		*errmsg = g_strdup_printf("%s: %s", path, perr);
		g_free(perr);
	}
	return out;
}
