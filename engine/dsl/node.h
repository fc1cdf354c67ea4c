/* node.h: the YAML document tree every layer above reads, with a source
 * mark on every node.
 *
 * A struct dsl_doc owns all its nodes and strings (an arena and a string
 * chunk that keeps one copy of each short string); nodes are
 * borrowed from their document and valid until dsl_doc_free(). Scalars are
 * resolved at parse time the way PyYAML (YAML 1.1) resolves them, which is
 * what the reference TOSCA and Cloudify parsers see: `yes`/`on` are booleans,
 * `0755` is octal, `1.5` a float, `"1.5"` a string. Aliases share the
 * anchored node, so the tree is a DAG; merge keys (`<<`) are resolved and
 * duplicate keys rejected during parsing.
 *
 * Nodes are read-only once built. The builder functions at the end create
 * new nodes in a document's arena (used when dialects are normalised).
 */
#ifndef BP_DSL_NODE_H
#define BP_DSL_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>

#include "util/arena.h"
#include "util/error.h"

enum dsl_kind {
	DSL_NULL,     /* ~, null, empty */
	DSL_SCALAR,   /* see enum dsl_stype */
	DSL_MAP,
	DSL_SEQ,
	DSL_KIND_LAST /* never use */
};

/* The resolved type of a scalar. */
enum dsl_stype {
	DSL_STR,
	DSL_INT,
	DSL_FLOAT,
	DSL_BOOL,
	DSL_STYPE_LAST /* never use */
};

struct dsl_node;

struct dsl_pair {
	struct dsl_node *key;     /* a scalar */
	struct dsl_node *value;
};

struct dsl_node {
	uint8_t kind;             /* enum dsl_kind */
	uint8_t stype;            /* enum dsl_stype, scalars only */
	uint8_t quoted;           /* scalar was quoted or a block scalar */
	struct bp_mark mark;      /* where the node starts */
	union {
		struct {
			const char *str;  /* NUL-terminated text as written */
			size_t len;
		} scalar;
		struct {
			struct dsl_pair *items;
			uint32_t n;
			uint32_t cap;      /* room in items (builders) */
			GHashTable *index; /* key -> pair index + 1; big maps only */
		} map;
		struct {
			struct dsl_node **items;
			uint32_t n;
		} seq;
	} u;
};

struct dsl_doc {
	const char *name;         /* interned file name (or "<string>") */
	struct dsl_node *root;    /* first document; a null node if empty */
	GPtrArray *roots;         /* every document in the stream, borrowed */
	struct bp_arena arena;    /* owns the nodes */
	GStringChunk *strings;    /* owns the strings; short ones are stored
				     once however often they occur */
	GPtrArray *indexes;       /* the GHashTables of big maps, owned */
};

/* Parses the YAML stream in `buf` (not necessarily NUL-terminated); `name`
 * goes into every mark. Returns (transfer full) the document or NULL with
 * *err set (BP_ERR_SYNTAX with the position libyaml reported, or a duplicate
 * key, an unknown tag, a bad merge, too much alias expansion). */
struct dsl_doc *dsl_parse_string(const char *name, const char *buf, size_t len,
				 struct bp_error **err);

/* (transfer full) an empty document named `name` (NULL: "<string>") whose
 * root is a null node, to build nodes in: what dsl_parse_string() of ""
 * gives, without a parser. Can't fail. */
struct dsl_doc *dsl_doc_new(const char *name);

/* Reads and parses a file; the mark names `path` as given. Errors as
 * dsl_parse_string(), plus BP_ERR_IO when the file cannot be read. */
struct dsl_doc *dsl_parse_file(const char *path, struct bp_error **err);

/* Frees the document and all its nodes; accepts NULL. */
void dsl_doc_free(struct dsl_doc *doc);
typedef struct dsl_doc dsl_doc;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(dsl_doc, dsl_doc_free)

/* --- Reading (all borrow from the document; NULL-safe) --- */

static inline bool dsl_is_map(const struct dsl_node *n)
{
	return n && n->kind == DSL_MAP;
}
static inline bool dsl_is_seq(const struct dsl_node *n)
{
	return n && n->kind == DSL_SEQ;
}
static inline bool dsl_is_scalar(const struct dsl_node *n)
{
	return n && n->kind == DSL_SCALAR;
}
static inline bool dsl_is_null(const struct dsl_node *n)
{
	return !n || n->kind == DSL_NULL;
}
/* True for a scalar resolved as a string. */
static inline bool dsl_is_str(const struct dsl_node *n)
{
	return n && n->kind == DSL_SCALAR && n->stype == DSL_STR;
}

/* The text of a scalar (any stype), or NULL for other kinds. */
const char *dsl_scalar(const struct dsl_node *n);
/* The text of a string scalar, or NULL for anything else. */
const char *dsl_str(const struct dsl_node *n);

/* The value under `key` in a map, or NULL when `n` is not a map or the key
 * is absent. O(1) for big maps. */
struct dsl_node *dsl_map_get(const struct dsl_node *n, const char *key);
/* The pair under `key` (to reach the key's own mark), or NULL. */
const struct dsl_pair *dsl_map_pair(const struct dsl_node *n, const char *key);
/* The text of a map key. */
static inline const char *dsl_key(const struct dsl_pair *p)
{
	return p->key->u.scalar.str;
}

/* Number of entries of a map or items of a sequence; 0 for other kinds. */
uint32_t dsl_len(const struct dsl_node *n);

/* Typed scalar readers: true and *out set when `n` is a scalar of that
 * resolved type; false (nothing written) otherwise. An integer is also
 * accepted by dsl_as_float. */
bool dsl_as_int(const struct dsl_node *n, int64_t *out);
bool dsl_as_float(const struct dsl_node *n, double *out);
bool dsl_as_bool(const struct dsl_node *n, bool *out);

/* A name for the node's kind for messages: "string", "integer", "float",
 * "boolean", "null", "map", "list". Can't fail. */
const char *dsl_type_name(const struct dsl_node *n);
/* The same with its article, for "found %s": "a string", "an integer",
 * ..., "null". Can't fail. */
const char *dsl_type_name_a(const struct dsl_node *n);

/* Structural equality (scalars by resolved value, maps ignoring order). */
bool dsl_equal(const struct dsl_node *a, const struct dsl_node *b);

/* --- Scalar resolution (scalar.c) --- */

/* Resolves a plain scalar's text to its YAML 1.1 type as PyYAML does. */
enum dsl_stype dsl_resolve_plain(const char *s, size_t len, bool *is_null);
/* Parses the text of a DSL_INT scalar (decimal, 0x, 0o/0 octal, 0b, '_'
 * separators, sexagesimal). False on overflow. */
bool dsl_parse_int(const char *s, int64_t *out);
/* Parses the text of a DSL_FLOAT scalar (incl. .inf, .nan). */
bool dsl_parse_float(const char *s, double *out);

/* --- Building (nodes live in `doc`'s arena) --- */

struct dsl_node *dsl_new_null(struct dsl_doc *doc, const struct bp_mark *m);
struct dsl_node *dsl_new_scalar(struct dsl_doc *doc, const struct bp_mark *m,
				enum dsl_stype t, const char *s);
/* A string scalar (quoted = 1). */
struct dsl_node *dsl_new_str(struct dsl_doc *doc, const struct bp_mark *m,
			     const char *s);
/* A map with room for `cap` pairs; fill with dsl_map_put(). */
struct dsl_node *dsl_new_map(struct dsl_doc *doc, const struct bp_mark *m,
			     uint32_t cap);
/* Appends a pair to a map made by dsl_new_map (within its capacity), or
 * replaces the value of an existing key. Returns the pair. */
struct dsl_pair *dsl_map_put(struct dsl_doc *doc, struct dsl_node *map,
			     struct dsl_node *key, struct dsl_node *value);
struct dsl_node *dsl_new_seq(struct dsl_doc *doc, const struct bp_mark *m,
			     uint32_t n);
/* A node of `kind` in `doc`, zeroed but for kind and mark. */
struct dsl_node *dsl__node_new(struct dsl_doc *doc, const struct bp_mark *m,
			       enum dsl_kind kind);
/* A copy of `s` (NUL-terminated, `len` bytes) owned by `doc`. */
const char *dsl__strdup(struct dsl_doc *doc, const char *s, size_t len);
/* Builds the key index of a map with many entries (done by the parser and
 * dsl_map_put as maps grow). */
void dsl__map_index(struct dsl_doc *doc, struct dsl_node *map);

#endif
