/* node.c: reading and building the YAML document tree of node.h. */
#include "dsl/node.h"

#include <math.h>
#include <string.h>

/* Maps with more entries than this get a hash index for dsl_map_get. */
#define INDEX_MIN 12

const char *dsl_scalar(const struct dsl_node *n)
{
	return n && n->kind == DSL_SCALAR ? n->u.scalar.str : NULL;
}

const char *dsl_str(const struct dsl_node *n)
{
	return dsl_is_str(n) ? n->u.scalar.str : NULL;
}

uint32_t dsl_len(const struct dsl_node *n)
{
	if (!n)
		return 0;
	if (n->kind == DSL_MAP)
		return n->u.map.n;
	if (n->kind == DSL_SEQ)
		return n->u.seq.n;
	return 0;
}

const struct dsl_pair *dsl_map_pair(const struct dsl_node *n, const char *key)
{
	if (!dsl_is_map(n))
		return NULL;
	if (n->u.map.index) {
		gpointer v = g_hash_table_lookup(n->u.map.index, key);
		return v ? &n->u.map.items[GPOINTER_TO_UINT(v) - 1] : NULL;
	}
	for (uint32_t i = 0; i < n->u.map.n; i++)
		if (strcmp(dsl_key(&n->u.map.items[i]), key) == 0)
			return &n->u.map.items[i];
	return NULL;
}

struct dsl_node *dsl_map_get(const struct dsl_node *n, const char *key)
{
	const struct dsl_pair *p = dsl_map_pair(n, key);

	return p ? p->value : NULL;
}

bool dsl_as_int(const struct dsl_node *n, int64_t *out)
{
	if (!n || n->kind != DSL_SCALAR || n->stype != DSL_INT)
		return false;
	return dsl_parse_int(n->u.scalar.str, out);
}

bool dsl_as_float(const struct dsl_node *n, double *out)
{
	int64_t i;

	if (dsl_as_int(n, &i)) {
		*out = (double)i;
		return true;
	}
	if (!n || n->kind != DSL_SCALAR || n->stype != DSL_FLOAT)
		return false;
	return dsl_parse_float(n->u.scalar.str, out);
}

bool dsl_as_bool(const struct dsl_node *n, bool *out)
{
	const char *s;

	if (!n || n->kind != DSL_SCALAR || n->stype != DSL_BOOL)
		return false;
	s = n->u.scalar.str;
	*out = strchr("yYtTOo", s[0]) && g_ascii_strcasecmp(s, "off") != 0;
	return true;
}

const char *dsl_type_name(const struct dsl_node *n)
{
	static const char *const stypes[] = {
		[DSL_STR] = "string", [DSL_INT] = "integer",
		[DSL_FLOAT] = "float", [DSL_BOOL] = "boolean",
	};

	if (!n)
		return "null";
	switch (n->kind) {
	case DSL_NULL:   return "null";
	case DSL_MAP:    return "map";
	case DSL_SEQ:    return "list";
	case DSL_SCALAR: return stypes[n->stype];
	}
	return "unknown";
}

const char *dsl_type_name_a(const struct dsl_node *n)
{
	static const char *const stypes[] = {
		[DSL_STR] = "a string", [DSL_INT] = "an integer",
		[DSL_FLOAT] = "a float", [DSL_BOOL] = "a boolean",
	};

	if (!n)
		return "null";
	switch (n->kind) {
	case DSL_NULL:   return "null";
	case DSL_MAP:    return "a map";
	case DSL_SEQ:    return "a list";
	case DSL_SCALAR: return stypes[n->stype];
	}
	return "an unknown node";
}

static bool scalar_equal(const struct dsl_node *a, const struct dsl_node *b)
{
	double x, y;
	bool p, q;

	if (a->stype == DSL_STR || b->stype == DSL_STR)
		return a->stype == b->stype &&
		       strcmp(a->u.scalar.str, b->u.scalar.str) == 0;
	if (dsl_as_bool(a, &p) || dsl_as_bool(b, &q))
		return dsl_as_bool(a, &p) && dsl_as_bool(b, &q) && p == q;
	return dsl_as_float(a, &x) && dsl_as_float(b, &y) && x == y;
}

bool dsl_equal(const struct dsl_node *a, const struct dsl_node *b)
{
	if (dsl_is_null(a) || dsl_is_null(b))
		return dsl_is_null(a) && dsl_is_null(b);
	if (a == b)
		return true;
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case DSL_SCALAR:
		return scalar_equal(a, b);
	case DSL_SEQ:
		if (a->u.seq.n != b->u.seq.n)
			return false;
		for (uint32_t i = 0; i < a->u.seq.n; i++)
			if (!dsl_equal(a->u.seq.items[i], b->u.seq.items[i]))
				return false;
		return true;
	case DSL_MAP:
		if (a->u.map.n != b->u.map.n)
			return false;
		for (uint32_t i = 0; i < a->u.map.n; i++) {
			const struct dsl_pair *p = &a->u.map.items[i];
			const struct dsl_pair *q = dsl_map_pair(b, dsl_key(p));
			if (!q || !dsl_equal(p->value, q->value))
				return false;
		}
		return true;
	}
	return false;
}

void dsl_doc_free(struct dsl_doc *doc)
{
	if (!doc)
		return;
	if (doc->indexes)
		g_ptr_array_unref(doc->indexes);
	if (doc->roots)
		g_ptr_array_unref(doc->roots);
	bp_arena_release(&doc->arena);
	if (doc->strings)
		g_string_chunk_free(doc->strings);
	g_free(doc);
}

/* --- building --- */

/* Strings longer than this are not worth looking up to share. */
#define SHARE_MAX 64

const char *dsl__strdup(struct dsl_doc *doc, const char *s, size_t len)
{
	if (!doc->strings)
		doc->strings = g_string_chunk_new(64 * 1024);
	if (len <= SHARE_MAX)
		return g_string_chunk_insert_const(doc->strings, s);
	return g_string_chunk_insert_len(doc->strings, s, (gssize)len);
}

struct dsl_node *dsl__node_new(struct dsl_doc *doc, const struct bp_mark *m,
			       enum dsl_kind kind)
{
	struct dsl_node *n = bp_arena_alloc(&doc->arena, sizeof(*n));

	n->kind = kind;
	if (m)
		n->mark = *m;
	return n;
}

struct dsl_node *dsl_new_null(struct dsl_doc *doc, const struct bp_mark *m)
{
	return dsl__node_new(doc, m, DSL_NULL);
}

struct dsl_node *dsl_new_scalar(struct dsl_doc *doc, const struct bp_mark *m,
				enum dsl_stype t, const char *s)
{
	struct dsl_node *n = dsl__node_new(doc, m, DSL_SCALAR);
	size_t len = strlen(s);

	n->stype = t;
	n->u.scalar.str = dsl__strdup(doc, s, len);
	n->u.scalar.len = len;
	return n;
}

struct dsl_node *dsl_new_str(struct dsl_doc *doc, const struct bp_mark *m,
			     const char *s)
{
	struct dsl_node *n = dsl_new_scalar(doc, m, DSL_STR, s);

	n->quoted = 1;
	return n;
}

struct dsl_node *dsl_new_map(struct dsl_doc *doc, const struct bp_mark *m,
			     uint32_t cap)
{
	struct dsl_node *n = dsl__node_new(doc, m, DSL_MAP);

	n->u.map.cap = cap;
	if (cap)
		n->u.map.items = bp_arena_alloc(&doc->arena,
						cap * sizeof(struct dsl_pair));
	return n;
}

void dsl__map_index(struct dsl_doc *doc, struct dsl_node *map)
{
	GHashTable *h;

	if (map->u.map.index || map->u.map.n <= INDEX_MIN)
		return;
	h = g_hash_table_new(g_str_hash, g_str_equal);
	for (uint32_t i = 0; i < map->u.map.n; i++)
		g_hash_table_insert(h, (gpointer)dsl_key(&map->u.map.items[i]),
				    GUINT_TO_POINTER(i + 1));
	if (!doc->indexes)
		doc->indexes = g_ptr_array_new_with_free_func(
			(GDestroyNotify)g_hash_table_unref);
	g_ptr_array_add(doc->indexes, h);
	map->u.map.index = h;
}

struct dsl_pair *dsl_map_put(struct dsl_doc *doc, struct dsl_node *map,
			     struct dsl_node *key, struct dsl_node *value)
{
	struct dsl_pair *p = (struct dsl_pair *)dsl_map_pair(map, dsl_scalar(key));

	if (p) {
		p->value = value;
		return p;
	}
	if (map->u.map.n == map->u.map.cap) {
		uint32_t cap = map->u.map.cap ? map->u.map.cap * 2 : 4;
		struct dsl_pair *items = bp_arena_alloc(&doc->arena,
							cap * sizeof(*items));
		if (map->u.map.n)
			memcpy(items, map->u.map.items,
			       map->u.map.n * sizeof(*items));
		map->u.map.items = items;
		map->u.map.cap = cap;
	}
	p = &map->u.map.items[map->u.map.n++];
	p->key = key;
	p->value = value;
	if (map->u.map.index)
		g_hash_table_insert(map->u.map.index, (gpointer)dsl_key(p),
				    GUINT_TO_POINTER(map->u.map.n));
	else
		dsl__map_index(doc, map);
	return p;
}

struct dsl_node *dsl_new_seq(struct dsl_doc *doc, const struct bp_mark *m,
			     uint32_t n)
{
	struct dsl_node *s = dsl__node_new(doc, m, DSL_SEQ);

	s->u.seq.n = n;
	if (n)
		s->u.seq.items = bp_arena_alloc(&doc->arena,
						n * sizeof(struct dsl_node *));
	return s;
}
