/* keypath.c: read, write and delete values at dotted paths in JSON. */
#include "plugin/keypath.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

/* Splits a path into segments; NULL when a segment is empty. */
static char **split(const char *path)
{
	char **segs = g_strsplit(path, ".", -1);

	for (char **s = segs; *s; s++) {
		if (!**s) {
			g_strfreev(segs);
			return NULL;
		}
	}
	return segs;
}

/* The array index a segment names, or -1 when it is not all digits. */
static long array_index(const char *seg)
{
	char *end;
	long i;

	if (!g_ascii_isdigit(*seg))
		return -1;
	i = strtol(seg, &end, 10);
	return *end ? -1 : i;
}

json_t *plugin_keypath_get(json_t *doc, const char *path)
{
	g_auto(GStrv) segs = NULL;
	json_t *v = doc;

	if (!path || !*path)
		return doc;
	segs = split(path);
	if (!segs)
		return NULL;
	for (char **s = segs; *s && v; s++) {
		if (json_is_object(v)) {
			v = json_object_get(v, *s);
		} else if (json_is_array(v)) {
			long i = array_index(*s);
			v = i < 0 ? NULL : json_array_get(v, (size_t)i);
		} else {
			v = NULL;
		}
	}
	return v;
}

/* (transfer full) the first n segments joined by '.'. */
static char *prefix(char **segs, guint n)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < n; i++)
		g_string_append_printf(s, "%s%s", i ? "." : "", segs[i]);
	return g_string_free(s, FALSE);
}

/* Checks the path for a write or a delete; returns its segments. */
static char **split_for_change(const char *path, struct bp_error **err)
{
	char **segs;

	if (!path || !*path) {
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL,
			     "empty path: expected a key or keys joined by '.'");
		return NULL;
	}
	segs = split(path);
	if (!segs)
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL,
			     "invalid path '%s': a segment is empty", path);
	return segs;
}

bool plugin_keypath_set(json_t *doc, const char *path, json_t *value,
			struct bp_error **err)
{
	g_auto(GStrv) segs = split_for_change(path, err);
	json_t *obj = doc;
	guint n;

	if (!segs) {
		json_decref(value);
		return false;
	}
	n = g_strv_length(segs);
	/* Check the whole way first, so a failure changes nothing. */
	for (guint i = 0; i < n && obj; i++) {
		if (!json_is_object(obj)) {
			g_autofree char *at = prefix(segs, i);
			bp_error_set(err, BP_ERR_INVALID, NULL, NULL,
				     "cannot set '%s': %s%s%s is not an object",
				     path, i ? "'" : "", i ? at : "the document",
				     i ? "'" : "");
			json_decref(value);
			return false;
		}
		obj = json_object_get(obj, segs[i]);
	}
	obj = doc;
	for (guint i = 0; i + 1 < n; i++) {
		json_t *next = json_object_get(obj, segs[i]);
		if (!next) {
			next = json_object();
			json_object_set_new(obj, segs[i], next);
		}
		obj = next;
	}
	json_object_set_new(obj, segs[n - 1], value);
	return true;
}

bool plugin_keypath_delete(json_t *doc, const char *path,
			   struct bp_error **err)
{
	g_auto(GStrv) segs = split_for_change(path, err);
	json_t *obj = doc;
	guint n;

	if (!segs)
		return false;
	n = g_strv_length(segs);
	for (guint i = 0; i + 1 < n && obj; i++)
		obj = json_is_object(obj) ? json_object_get(obj, segs[i]) : NULL;
	if (json_is_object(obj))
		json_object_del(obj, segs[n - 1]);
	return true;
}
