/* mask.c: hiding secret values in text and JSON (see mask.h).
 *
 * The values are kept longest first, with a bitmap of the bytes they start
 * with, so a text is scanned once and only positions that can start a
 * value are compared.
 */
#include "util/mask.h"

#include <string.h>

struct bp_mask {
	GHashTable *known;     /* value -> itself, owned: no duplicates */
	GPtrArray *values;     /* borrowed from `known`, longest first */
	guint32 starts[8];     /* bit b set: some value starts with byte b */
};

struct bp_mask *bp_mask_new(void)
{
	struct bp_mask *m = g_new0(struct bp_mask, 1);

	m->known = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					 NULL);
	m->values = g_ptr_array_new();
	return m;
}

void bp_mask_free(struct bp_mask *m)
{
	if (!m)
		return;
	g_ptr_array_unref(m->values);
	g_hash_table_unref(m->known);
	g_free(m);
}

static gint longest_first(gconstpointer a, gconstpointer b)
{
	size_t la = strlen(*(const char *const *)a);
	size_t lb = strlen(*(const char *const *)b);

	return la < lb ? 1 : la > lb ? -1 : 0;
}

static bool blank(const char *s)
{
	for (; *s; s++)
		if (!g_ascii_isspace(*s))
			return false;
	return true;
}

/* Adds one value; blank ones would hide every space of every text. */
static void add_one(struct bp_mask *m, const char *value)
{
	char *copy;
	guint8 b;

	if (blank(value) || g_hash_table_contains(m->known, value))
		return;
	copy = g_strdup(value);
	g_hash_table_add(m->known, copy);
	g_ptr_array_add(m->values, copy);
	g_ptr_array_sort(m->values, longest_first);
	b = (guint8)copy[0];
	m->starts[b / 32] |= 1u << (b % 32);
}

void bp_mask_add(struct bp_mask *m, const char *value)
{
	g_auto(GStrv) lines = NULL;

	if (!value)
		return;
	add_one(m, value);
	if (!strchr(value, '\n'))
		return;
	lines = g_strsplit(value, "\n", -1);
	for (size_t i = 0; lines[i]; i++) {
		size_t n = strlen(lines[i]);
		if (n && lines[i][n - 1] == '\r')
			lines[i][n - 1] = '\0';
		add_one(m, lines[i]);
	}
}

bool bp_mask_is_empty(const struct bp_mask *m)
{
	return !m || m->values->len == 0;
}

/* The length of the value found at text[at], or 0 when none starts there. */
static size_t match_at(const struct bp_mask *m, const char *text, size_t len,
		       size_t at)
{
	guint8 b = (guint8)text[at];

	if (!(m->starts[b / 32] & (1u << (b % 32))))
		return 0;
	for (guint i = 0; i < m->values->len; i++) {
		const char *v = m->values->pdata[i];
		size_t n = strlen(v);
		if (n <= len - at && memcmp(text + at, v, n) == 0)
			return n;
	}
	return 0;
}

bool bp_mask_hits(const struct bp_mask *m, const char *text)
{
	size_t len;

	if (bp_mask_is_empty(m) || !text)
		return false;
	len = strlen(text);
	for (size_t i = 0; i < len; i++)
		if (match_at(m, text, len, i))
			return true;
	return false;
}

/* (transfer full) `text` (`len` bytes, NULs allowed) masked. */
static GString *mask_bytes(const struct bp_mask *m, const char *text,
			   size_t len)
{
	GString *out = g_string_sized_new(len);
	size_t copied = 0;

	for (size_t i = 0; !bp_mask_is_empty(m) && i < len;) {
		size_t n = match_at(m, text, len, i);
		if (!n) {
			i++;
			continue;
		}
		g_string_append_len(out, text + copied, (gssize)(i - copied));
		g_string_append(out, BP_MASK_HIDDEN);
		i += n;
		copied = i;
	}
	g_string_append_len(out, text + copied, (gssize)(len - copied));
	return out;
}

char *bp_mask_text(const struct bp_mask *m, const char *text)
{
	if (!text)
		return NULL;
	return g_string_free(mask_bytes(m, text, strlen(text)), FALSE);
}

json_t *bp_mask_json(const struct bp_mask *m, json_t *v)
{
	json_t *out;

	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING: {
		GString *s = mask_bytes(m, json_string_value(v),
					json_string_length(v));
		out = json_stringn_nocheck(s->str, s->len);
		g_string_free(s, TRUE);
		return out;
	}
	case JSON_OBJECT: {
		const char *key;
		json_t *member;
		out = json_object();
		json_object_foreach(v, key, member) {
			g_autofree char *k = bp_mask_text(m, key);
			json_object_set_new_nocheck(out, k,
						    bp_mask_json(m, member));
		}
		return out;
	}
	case JSON_ARRAY: {
		size_t i;
		json_t *item;
		out = json_array();
		json_array_foreach(v, i, item)
			json_array_append_new(out, bp_mask_json(m, item));
		return out;
	}
	default:
		return v ? json_copy(v) : NULL;
	}
}
