/* parse.c: libyaml events to the document tree of node.h.
 *
 * One pass over the event stream with an explicit stack (no recursion, so a
 * deeply nested file cannot overflow the C stack). Anchors map to the node
 * they name and aliases reuse it; `<<` merge keys are applied when their map
 * ends; duplicate keys and unknown tags are errors with both positions.
 * Alias expansion is bounded (a "billion laughs" file is rejected) and so is
 * nesting depth.
 */
#include "dsl/node.h"

#include <string.h>
#include <yaml.h>

#define MAX_DEPTH 512
/* Aliases may expand the document to at most this many times its size. */
#define MAX_EXPANSION 10
#define MIN_EXPANSION_CAP 1000000

struct anchor {
	struct dsl_node *node;
	guint64 weight;              /* node count with aliases expanded */
};

/* An open map or sequence. Its pairs or items wait in the builder's
 * shared `pairs`/`items` arrays from index `first` on (no allocation per
 * collection). */
struct frame {
	struct dsl_node *node;       /* map or seq being built */
	const char *anchor;          /* to register when complete, or NULL */
	guint first;                 /* its first pending pair or item */
	GPtrArray *merges;           /* maps: nodes named by `<<`, or NULL */
	struct dsl_node *key;        /* maps: key awaiting its value */
	bool key_is_merge;
	guint64 weight;
};

struct builder {
	struct dsl_doc *doc;
	GArray *stack;               /* of struct frame */
	GArray *pairs;               /* pending struct dsl_pair of open maps */
	GPtrArray *items;            /* pending items of open sequences */
	GHashTable *anchors;         /* name -> struct anchor *, owned */
	guint64 nodes;               /* physical nodes */
	guint64 weight;              /* nodes with aliases expanded */
	struct bp_error *err;
};

static struct bp_mark mark_of(struct builder *b, const yaml_mark_t *m)
{
	struct bp_mark mk = { b->doc->name, (unsigned)m->line + 1,
			      (unsigned)m->column + 1 };
	return mk;
}

static bool fail(struct builder *b, const struct bp_mark *m, const char *fmt,
		 ...) G_GNUC_PRINTF(3, 4);
static bool fail(struct builder *b, const struct bp_mark *m, const char *fmt,
		 ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (!b->err)
		bp_error_setv(&b->err, BP_ERR_SYNTAX, m, NULL, fmt, ap);
	va_end(ap);
	return false;
}

static struct frame *top(struct builder *b)
{
	return b->stack->len ? &g_array_index(b->stack, struct frame,
					      b->stack->len - 1) : NULL;
}

static void frame_release(struct frame *f)
{
	if (f->merges)
		g_ptr_array_unref(f->merges);
}

/* Records the anchor of a finished node. */
static void anchor_set(struct builder *b, const char *name,
		       struct dsl_node *n, guint64 weight)
{
	struct anchor *a;

	if (!name)
		return;
	a = g_new(struct anchor, 1);
	a->node = n;
	a->weight = weight;
	g_hash_table_replace(b->anchors, g_strdup(name), a);
}

/* Hands a finished node to the collection on top of the stack (or makes it
 * the document root). */
static bool add_node(struct builder *b, struct dsl_node *n, guint64 weight)
{
	struct frame *f = top(b);

	b->weight += weight;
	if (b->weight > MIN_EXPANSION_CAP &&
	    b->weight > b->nodes * MAX_EXPANSION)
		return fail(b, &n->mark, "aliases expand the document more "
			    "than %d times its size", MAX_EXPANSION);
	if (!f) {
		g_ptr_array_add(b->doc->roots, n);
		return true;
	}
	f->weight += weight;
	if (f->node->kind == DSL_SEQ) {
		g_ptr_array_add(b->items, n);
		return true;
	}
	if (!f->key) {
		if (n->kind != DSL_SCALAR && n->kind != DSL_NULL)
			return fail(b, &n->mark, "expected a scalar map key, "
				    "found %s (keys of blueprint maps are "
				    "strings)", dsl_type_name_a(n));
		if (n->kind == DSL_NULL) {
			/* `~: x` or `null: x`: keep the text as written. */
			n->kind = DSL_SCALAR;
			n->stype = DSL_STR;
		}
		f->key = n;
		f->key_is_merge = !n->quoted && strcmp(n->u.scalar.str, "<<") == 0;
		return true;
	}
	if (f->key_is_merge) {
		if (!f->merges)
			f->merges = g_ptr_array_new();
		if (n->kind == DSL_MAP) {
			g_ptr_array_add(f->merges, n);
		} else if (n->kind == DSL_SEQ) {
			for (uint32_t i = 0; i < n->u.seq.n; i++) {
				if (n->u.seq.items[i]->kind != DSL_MAP)
					return fail(b, &n->u.seq.items[i]->mark,
						    "expected a map to merge "
						    "with '<<', found %s",
						    dsl_type_name_a(n->u.seq.items[i]));
				g_ptr_array_add(f->merges, n->u.seq.items[i]);
			}
		} else {
			return fail(b, &n->mark, "expected a map or a list of "
				    "maps to merge with '<<', found %s",
				    dsl_type_name_a(n));
		}
	} else {
		struct dsl_pair p = { f->key, n };
		g_array_append_val(b->pairs, p);
	}
	f->key = NULL;
	return true;
}

static bool push(struct builder *b, struct dsl_node *n, const char *anchor)
{
	struct frame f = { .node = n };

	if (b->stack->len >= MAX_DEPTH)
		return fail(b, &n->mark, "nesting deeper than %d levels",
			    MAX_DEPTH);
	f.anchor = anchor ? g_strdup(anchor) : NULL;
	f.first = n->kind == DSL_MAP ? b->pairs->len : b->items->len;
	f.weight = 1;
	b->nodes++;
	g_array_append_val(b->stack, f);
	return true;
}

/* Finds a key among `n` pairs: via `seen` when present. */
static struct dsl_pair *find_pair(struct dsl_pair *pairs, guint n,
				  GHashTable *seen, const char *key)
{
	if (seen) {
		gpointer v = g_hash_table_lookup(seen, key);
		return v ? &pairs[GPOINTER_TO_UINT(v) - 1] : NULL;
	}
	for (guint i = 0; i < n; i++)
		if (strcmp(dsl_key(&pairs[i]), key) == 0)
			return &pairs[i];
	return NULL;
}

/* Closes the map on top of the stack: duplicate check, merges, layout.
 * Its explicit pairs are the pending ones from f->first on; merged pairs
 * go after them, so that explicit keys win and earlier merge sources win
 * over later ones. */
static bool finish_map(struct builder *b, struct frame *f)
{
	struct dsl_node *map = f->node;
	guint n = b->pairs->len - f->first, all;
	g_autoptr(GHashTable) seen = NULL;
	struct dsl_pair *pairs;

	if (n > 8 || f->merges)
		seen = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < n; i++) {
		struct dsl_pair *p = &g_array_index(b->pairs, struct dsl_pair,
						    f->first + i);
		struct dsl_pair *dup = find_pair(&g_array_index(
			b->pairs, struct dsl_pair, f->first), i, seen,
			dsl_key(p));
		if (dup)
			return fail(b, &p->key->mark, "duplicate key '%s' (first "
				    "defined at line %u, column %u)", dsl_key(p),
				    dup->key->mark.line, dup->key->mark.col);
		if (seen)
			g_hash_table_insert(seen, (gpointer)dsl_key(p),
					    GUINT_TO_POINTER(i + 1));
	}
	for (guint m = 0; f->merges && m < f->merges->len; m++) {
		const struct dsl_node *src = f->merges->pdata[m];
		for (uint32_t i = 0; i < src->u.map.n; i++) {
			const struct dsl_pair *p = &src->u.map.items[i];
			if (g_hash_table_contains(seen, dsl_key(p)))
				continue;
			g_array_append_val(b->pairs, *p);
			g_hash_table_insert(seen, (gpointer)dsl_key(p),
					    GUINT_TO_POINTER(b->pairs->len -
							     f->first));
		}
	}
	all = b->pairs->len - f->first;
	if (all) {
		/* (the array has no storage before its first pair) */
		pairs = &g_array_index(b->pairs, struct dsl_pair, f->first);
		map->u.map.n = map->u.map.cap = all;
		map->u.map.items = bp_arena_alloc(&b->doc->arena,
						  all * sizeof(struct dsl_pair));
		memcpy(map->u.map.items, pairs, all * sizeof(struct dsl_pair));
		dsl__map_index(b->doc, map);
	}
	g_array_set_size(b->pairs, f->first);
	return true;
}

static bool pop(struct builder *b)
{
	struct frame f = *top(b);
	struct dsl_node *n = f.node;
	bool ok = true;

	g_array_set_size(b->stack, b->stack->len - 1);
	if (n->kind == DSL_MAP) {
		ok = finish_map(b, &f);
	} else {
		guint len = b->items->len - f.first;
		n->u.seq.n = len;
		if (len) {
			n->u.seq.items = bp_arena_alloc(&b->doc->arena,
				len * sizeof(struct dsl_node *));
			memcpy(n->u.seq.items, b->items->pdata + f.first,
			       len * sizeof(struct dsl_node *));
		}
		g_ptr_array_set_size(b->items, f.first);
	}
	if (ok)
		anchor_set(b, f.anchor, n, f.weight);
	g_free((char *)f.anchor);
	frame_release(&f);
	return ok && add_node(b, n, f.weight);
}

/* Applies an explicit tag to a scalar; false for tags we do not know. */
static bool apply_tag(struct builder *b, struct dsl_node *n, const char *tag)
{
	static const char core[] = "tag:yaml.org,2002:";
	bool is_null;
	enum dsl_stype t;

	if (!tag || !strcmp(tag, "!"))
		return true;
	if (strncmp(tag, core, sizeof(core) - 1) != 0)
		return fail(b, &n->mark, "unknown tag '%s'", tag);
	tag += sizeof(core) - 1;
	if (!strcmp(tag, "str")) {
		n->kind = DSL_SCALAR;
		n->stype = DSL_STR;
		n->quoted = 1;
		return true;
	}
	t = dsl_resolve_plain(n->u.scalar.str, n->u.scalar.len, &is_null);
	if (!strcmp(tag, "null") && is_null) {
		n->kind = DSL_NULL;
		return true;
	}
	if ((!strcmp(tag, "int") && t == DSL_INT && !is_null) ||
	    (!strcmp(tag, "bool") && t == DSL_BOOL && !is_null) ||
	    (!strcmp(tag, "float") && (t == DSL_FLOAT || t == DSL_INT) &&
	     !is_null)) {
		n->kind = DSL_SCALAR;
		n->stype = t;
		return true;
	}
	return fail(b, &n->mark, "'%s' is not a valid !!%s", n->u.scalar.str,
		    tag);
}

static bool on_scalar(struct builder *b, const yaml_event_t *ev)
{
	struct bp_mark m = mark_of(b, &ev->start_mark);
	const char *text = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	struct dsl_node *n;
	bool is_null = false;

	if (memchr(text, '\0', len))
		return fail(b, &m, "NUL character in a scalar");
	n = dsl__node_new(b->doc, &m, DSL_SCALAR);
	n->u.scalar.str = dsl__strdup(b->doc, text, len);
	n->u.scalar.len = len;
	n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
	if (!n->quoted && !ev->data.scalar.tag) {
		n->stype = dsl_resolve_plain(n->u.scalar.str, len, &is_null);
		if (is_null)
			n->kind = DSL_NULL;
	}
	if (!apply_tag(b, n, (const char *)ev->data.scalar.tag))
		return false;
	b->nodes++;
	anchor_set(b, (const char *)ev->data.scalar.anchor, n, 1);
	return add_node(b, n, 1);
}

static bool on_alias(struct builder *b, const yaml_event_t *ev)
{
	struct bp_mark m = mark_of(b, &ev->start_mark);
	const char *name = (const char *)ev->data.alias.anchor;
	struct anchor *a = g_hash_table_lookup(b->anchors, name);

	if (!a)
		return fail(b, &m, "unknown alias '*%s'", name);
	return add_node(b, a->node, a->weight);
}

static bool check_collection_tag(struct builder *b, const struct bp_mark *m,
				 const char *tag, const char *want)
{
	if (!tag || !strcmp(tag, "!") || !strcmp(tag, want))
		return true;
	return fail(b, m, "unknown tag '%s'", tag);
}

static bool on_event(struct builder *b, const yaml_event_t *ev)
{
	struct bp_mark m = mark_of(b, &ev->start_mark);

	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return on_scalar(b, ev);
	case YAML_ALIAS_EVENT:
		return on_alias(b, ev);
	case YAML_MAPPING_START_EVENT:
		return check_collection_tag(b, &m,
				(const char *)ev->data.mapping_start.tag,
				"tag:yaml.org,2002:map") &&
		       push(b, dsl_new_map(b->doc, &m, 0),
			    (const char *)ev->data.mapping_start.anchor);
	case YAML_SEQUENCE_START_EVENT:
		return check_collection_tag(b, &m,
				(const char *)ev->data.sequence_start.tag,
				"tag:yaml.org,2002:seq") &&
		       push(b, dsl_new_seq(b->doc, &m, 0),
			    (const char *)ev->data.sequence_start.anchor);
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		return pop(b);
	case YAML_DOCUMENT_START_EVENT:
		/* Anchors are local to a document. */
		g_hash_table_remove_all(b->anchors);
		return true;
	default:
		return true;
	}
}

static void syntax_error(struct builder *b, const yaml_parser_t *p)
{
	struct bp_mark m = mark_of(b, &p->problem_mark);
	const char *problem = p->problem ? p->problem : "invalid YAML";

	if (p->error == YAML_READER_ERROR) {
		m.line = 0;
		fail(b, &m, "%s at byte %zu", problem, p->problem_offset);
	} else if (p->context) {
		fail(b, &m, "%s (%s at line %zu, column %zu)", problem,
		     p->context, p->context_mark.line + 1,
		     p->context_mark.column + 1);
	} else {
		fail(b, &m, "%s", problem);
	}
}

/* An empty document: no roots yet, root unset. */
static struct dsl_doc *doc_alloc(const char *name)
{
	struct dsl_doc *doc = g_new0(struct dsl_doc, 1);

	doc->name = g_intern_string(name ? name : "<string>");
	doc->roots = g_ptr_array_new();
	bp_arena_init(&doc->arena);
	return doc;
}

/* Gives `doc` a null root when it has none. */
static void doc_finish(struct dsl_doc *doc)
{
	if (doc->roots->len == 0) {
		struct bp_mark m = { doc->name, 1, 1 };
		g_ptr_array_add(doc->roots, dsl_new_null(doc, &m));
	}
	doc->root = doc->roots->pdata[0];
}

struct dsl_doc *dsl_doc_new(const char *name)
{
	struct dsl_doc *doc = doc_alloc(name);

	doc_finish(doc);
	return doc;
}

struct dsl_doc *dsl_parse_string(const char *name, const char *buf, size_t len,
				 struct bp_error **err)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	struct builder b = { 0 };
	bool done = false;

	b.doc = doc_alloc(name);
	b.stack = g_array_new(FALSE, FALSE, sizeof(struct frame));
	b.pairs = g_array_new(FALSE, FALSE, sizeof(struct dsl_pair));
	b.items = g_ptr_array_new();
	b.anchors = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					  g_free);
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	while (!done && !b.err) {
		if (!yaml_parser_parse(&parser, &ev)) {
			syntax_error(&b, &parser);
			break;
		}
		on_event(&b, &ev);
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	while (b.stack->len) {
		struct frame *f = top(&b);
		g_free((char *)f->anchor);
		frame_release(f);
		g_array_set_size(b.stack, b.stack->len - 1);
	}
	g_array_unref(b.stack);
	g_array_unref(b.pairs);
	g_ptr_array_unref(b.items);
	g_hash_table_unref(b.anchors);
	if (b.err) {
		bp_error_propagate(err, b.err);
		dsl_doc_free(b.doc);
		return NULL;
	}
	doc_finish(b.doc);
	return b.doc;
}

struct dsl_doc *dsl_parse_file(const char *path, struct bp_error **err)
{
	GMappedFile *mf;
	GError *gerr = NULL;
	struct dsl_doc *doc;

	/* mapped, not read: the pages come from the page cache as the parser
	 * reaches them */
	mf = g_mapped_file_new(path, FALSE, &gerr);
	if (!mf) {
		struct bp_mark m = { g_intern_string(path), 0, 0 };
		bp_error_set(err, BP_ERR_IO, &m, NULL, "cannot read '%s': %s",
			     path, gerr->message);
		g_error_free(gerr);
		return NULL;
	}
	doc = dsl_parse_string(path, g_mapped_file_get_contents(mf) ?
			       g_mapped_file_get_contents(mf) : "",
			       g_mapped_file_get_length(mf), err);
	g_mapped_file_unref(mf);
	return doc;
}
