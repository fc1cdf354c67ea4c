/* types.c: every type of a blueprint with its `derived_from` chain resolved
 * and what it inherits merged in: properties, attributes, interfaces,
 * requirements, capabilities, constraints. Unknown parents, inheritance
 * loops, redefined primitives and data type defaults that never end are
 * errors. */
#include "model/internal.h"
#include "model/value.h"

#include <limits.h>
#include <string.h>

static const struct {
	const char *name;
	enum model_prim prim;
} primitives[] = {
	{ "string", MODEL_PRIM_STRING }, { "integer", MODEL_PRIM_INTEGER },
	{ "float", MODEL_PRIM_FLOAT }, { "boolean", MODEL_PRIM_BOOLEAN },
	{ "timestamp", MODEL_PRIM_TIMESTAMP }, { "version", MODEL_PRIM_VERSION },
	{ "range", MODEL_PRIM_RANGE }, { "list", MODEL_PRIM_LIST },
	{ "map", MODEL_PRIM_MAP }, { "null", MODEL_PRIM_NULL },
	{ "scalar-unit.size", MODEL_PRIM_SIZE },
	{ "scalar-unit.time", MODEL_PRIM_TIME },
	{ "scalar-unit.frequency", MODEL_PRIM_FREQUENCY },
	{ "scalar-unit.bitrate", MODEL_PRIM_BITRATE },
	/* Cloudify's names */
	{ "dict", MODEL_PRIM_MAP }, { "regex", MODEL_PRIM_STRING },
	{ "textarea", MODEL_PRIM_STRING }, { "blueprint_id", MODEL_PRIM_STRING },
	{ "deployment_id", MODEL_PRIM_STRING }, { "node_id", MODEL_PRIM_STRING },
	{ "node_type", MODEL_PRIM_STRING },
	{ "node_instance", MODEL_PRIM_STRING },
	{ "capability_value", MODEL_PRIM_ANY },
	{ "secret_key", MODEL_PRIM_STRING },
	{ "scaling_group", MODEL_PRIM_STRING },
	{ "operation_name", MODEL_PRIM_STRING },
	{ "group_id", MODEL_PRIM_STRING },
};

/* Data types whose values are not what their parent says. */
static const struct {
	const char *name;
	enum model_prim prim;
} special_data_types[] = {
	{ "tosca.datatypes.json", MODEL_PRIM_JSON },
	{ "tosca.datatypes.xml", MODEL_PRIM_STRING },
};

void model__register_primitives(struct model *m)
{
	for (size_t i = 0; i < G_N_ELEMENTS(primitives); i++) {
		struct model_type *t = model__new(m, struct model_type);
		t->name = primitives[i].name;
		t->kind = MODEL_DATA_TYPE;
		t->prim = primitives[i].prim;
		g_hash_table_insert(m->types[MODEL_DATA_TYPE], (gpointer)t->name,
				    t);
	}
}

static const struct {
	enum dsl_section sec;
	enum model_kind kind;
} sections[] = {
	{ DSL_SEC_DATA_TYPES, MODEL_DATA_TYPE },
	{ DSL_SEC_ARTIFACT_TYPES, MODEL_ARTIFACT_TYPE },
	{ DSL_SEC_CAPABILITY_TYPES, MODEL_CAPABILITY_TYPE },
	{ DSL_SEC_INTERFACE_TYPES, MODEL_INTERFACE_TYPE },
	{ DSL_SEC_RELATIONSHIP_TYPES, MODEL_RELATIONSHIP_TYPE },
	{ DSL_SEC_NODE_TYPES, MODEL_NODE_TYPE },
	{ DSL_SEC_GROUP_TYPES, MODEL_GROUP_TYPE },
	{ DSL_SEC_POLICY_TYPES, MODEL_POLICY_TYPE },
};

/* A file whose version predates data_types (cloudify_dsl_1_0, 1_1). */
static bool check_data_types_allowed(struct model_builder *b)
{
	const GPtrArray *files = b->m->svc->files;
	bool ok = true;

	for (guint i = 0; i < files->len; i++) {
		const struct dsl_file *f = files->pdata[i];
		const struct dsl_pair *dt = dsl_map_pair(f->doc->root,
							 "data_types");
		if (dt && !(f->features & DSL_FEAT_DATA_TYPES))
			ok = model__error(b, dt->key, "data_types", "'data_types' "
					  "is not supported in %s; it was "
					  "added in cloudify_dsl_1_2",
					  f->version);
	}
	return ok;
}

static bool create_types(struct model_builder *b)
{
	struct model *m = b->m;
	bool ok = true;

	for (size_t s = 0; s < G_N_ELEMENTS(sections); s++) {
		const GPtrArray *es = dsl_service_entries(m->svc, sections[s].sec);
		for (guint i = 0; i < es->len; i++) {
			const struct dsl_entry *e = es->pdata[i];
			struct model_type *t;
			if (sections[s].kind == MODEL_DATA_TYPE &&
			    g_hash_table_lookup(m->types[MODEL_DATA_TYPE],
						e->name)) {
				ok = model__error_at(b, &e->mark, NULL, "cannot "
						     "redefine the primitive "
						     "type '%s'", e->name);
				continue;
			}
			t = model__new(m, struct model_type);
			t->name = e->name;
			t->kind = sections[s].kind;
			t->entry = e;
			t->prim = MODEL_PRIM_COMPLEX;
			g_hash_table_insert(m->types[t->kind], (gpointer)t->name,
					    t);
		}
	}
	return ok;
}

/* A type named inside a namespaced file is looked up in its namespace
 * first. */
static struct model_type *find_from(struct model *m, enum model_kind kind,
				    const struct dsl_entry *from,
				    const char *name)
{
	if (from && from->file->ns_prefix) {
		g_autofree char *full = g_strconcat(from->file->ns_prefix, name,
						    NULL);
		struct model_type *t = model_type_find(m, kind, full);
		if (t)
			return t;
	}
	return model_type_find(m, kind, name);
}

/* The one kind other than t's whose types include `parent`, or
 * MODEL_KIND_LAST. */
static enum model_kind other_kind_of(struct model *m, const struct model_type *t,
				     const char *parent)
{
	enum model_kind found = MODEL_KIND_LAST;

	for (int k = 0; k < MODEL_KIND_LAST; k++) {
		if (k == (int)t->kind || !find_from(m, k, t->entry, parent))
			continue;
		if (found != MODEL_KIND_LAST)
			return MODEL_KIND_LAST;
		found = k;
	}
	return found;
}

/* A type written in the wrong section (tosca-parser's test data declares
 * capability types under node_types) is of the kind of the type it derives
 * from, when its parent is of exactly one other kind and its name is free
 * there. Repeated until nothing moves, for chains of such types. */
static void adopt_misplaced(struct model_builder *b)
{
	struct model *m = b->m;
	bool moved = true;

	while (moved) {
		g_autoptr(GPtrArray) all = g_ptr_array_new();
		GHashTableIter it;
		gpointer v;

		moved = false;
		for (int k = 0; k < MODEL_KIND_LAST; k++) {
			g_hash_table_iter_init(&it, m->types[k]);
			while (g_hash_table_iter_next(&it, NULL, &v))
				if (((struct model_type *)v)->entry)
					g_ptr_array_add(all, v);
		}
		for (guint i = 0; i < all->len; i++) {
			struct model_type *t = all->pdata[i];
			const char *df = dsl_str(dsl_map_get(t->entry->def,
							     "derived_from"));
			enum model_kind k;

			if (!df || find_from(m, t->kind, t->entry, df))
				continue;
			k = other_kind_of(m, t, df);
			if (k == MODEL_KIND_LAST ||
			    g_hash_table_contains(m->types[k], t->name))
				continue;
			g_hash_table_remove(m->types[t->kind], t->name);
			t->kind = k;
			g_hash_table_insert(m->types[k], (gpointer)t->name, t);
			moved = true;
		}
	}
}

static bool link_parent(struct model_builder *b, struct model_type *t)
{
	const struct dsl_node *df = dsl_map_get(t->entry->def, "derived_from");
	g_autofree char *path = g_strconcat(t->entry->name, ".derived_from",
					    NULL);

	if (!df || dsl_is_null(df))
		return true;
	if (!dsl_is_str(df))
		return model__error(b, df, path, "expected a type name (a "
				    "string) for 'derived_from' of %s '%s', "
				    "found %s", model_kind_name(t->kind),
				    t->name, dsl_type_name_a(df));
	t->parent = find_from(b->m, t->kind, t->entry, dsl_str(df));
	if (!t->parent)
		return model__error(b, df, path, "unknown parent %s '%s' of "
				    "'%s'", model_kind_name(t->kind),
				    dsl_str(df), t->name);
	return true;
}

/* Finds inheritance loops: a walk up from each type that comes back. */
static bool check_loops(struct model_builder *b, enum model_kind kind)
{
	GHashTableIter it;
	gpointer v;
	bool ok = true;

	g_hash_table_iter_init(&it, b->m->types[kind]);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct model_type *t = v, *slow = t, *fast = t;
		while (fast && fast->parent) {
			slow = slow->parent;
			fast = fast->parent->parent;
			if (slow == fast)
				break;
		}
		if (!fast || !fast->parent || slow != fast)
			continue;
		/* report the loop once, from the type it contains that
		 * sorts first */
		{
			struct model_type *first = slow, *p = slow->parent;
			GString *chain = g_string_new(NULL);
			for (; p != slow; p = p->parent)
				if (strcmp(p->name, first->name) < 0)
					first = p;
			if (first != t) {
				g_string_free(chain, TRUE);
				continue;
			}
			p = t;
			do {
				g_string_append_printf(chain, "%s -> ", p->name);
				p = p->parent;
			} while (p != t);
			g_string_append(chain, t->name);
			ok = model__error_at(b, &t->entry->mark, t->name,
					     "inheritance loop: %s", chain->str);
			g_string_free(chain, TRUE);
		}
	}
	return ok;
}

static unsigned occurrence_bound(const struct dsl_node *n, unsigned dflt)
{
	int64_t v;

	if (dsl_as_int(n, &v) && v >= 0)
		return (unsigned)MIN(v, (int64_t)UINT_MAX - 1);
	if (dsl_str(n) && strcmp(dsl_str(n), "UNBOUNDED") == 0)
		return UINT_MAX;
	return dflt;
}

static bool parse_occurrences(struct model_builder *b,
			      const struct dsl_node *occ, unsigned *min,
			      unsigned *max, const char *path)
{
	if (!occ)
		return true;
	if (!dsl_is_seq(occ) || occ->u.seq.n != 2)
		return model__error(b, occ, path, "expected [min, max] for "
				    "'occurrences', found %s",
				    dsl_type_name_a(occ));
	*min = occurrence_bound(occ->u.seq.items[0], *min);
	*max = occurrence_bound(occ->u.seq.items[1], *max);
	if (*min > *max)
		return model__error(b, occ, path, "'occurrences' minimum is "
				    "greater than its maximum");
	return true;
}

static bool merge_reqs(struct model_builder *b, struct model_type *t)
{
	const struct dsl_node *reqs = dsl_map_get(t->entry->def, "requirements");
	g_autofree char *path = g_strconcat(t->name, ".requirements", NULL);
	bool ok = true;

	t->reqs = model__array(b->m);
	if (t->parent && t->parent->reqs)
		g_ptr_array_extend(t->reqs, t->parent->reqs, NULL, NULL);
	for (uint32_t i = 0; i < dsl_len(reqs); i++) {
		const struct dsl_node *r = reqs->u.seq.items[i];
		struct model_reqdef *d = model__new(b->m, struct model_reqdef);
		const struct dsl_node *rel = dsl_map_get(r, "relationship");

		d->name = dsl_str(dsl_map_get(r, "name"));
		d->capability = dsl_str(dsl_map_get(r, "capability"));
		d->node = dsl_str(dsl_map_get(r, "node"));
		d->relationship = dsl_str(dsl_map_get(rel, "type"));
		d->mark = r->mark;
		d->occ_min = 1;
		d->occ_max = 1;
		ok &= parse_occurrences(b, dsl_map_get(r, "occurrences"),
					&d->occ_min, &d->occ_max, path);
		for (guint k = 0; k < t->reqs->len; k++)
			if (!g_strcmp0(((struct model_reqdef *)
					t->reqs->pdata[k])->name, d->name)) {
				g_ptr_array_remove_index(t->reqs, k);
				break;
			}
		g_ptr_array_add(t->reqs, d);
	}
	return ok;
}

static GHashTable *copy_table(struct model *m, GHashTable *src)
{
	GHashTable *h = model__table(m);
	GHashTableIter it;
	gpointer k, v;

	if (!src)
		return h;
	g_hash_table_iter_init(&it, src);
	while (g_hash_table_iter_next(&it, &k, &v))
		g_hash_table_insert(h, k, v);
	return h;
}

static bool merge_caps(struct model_builder *b, struct model_type *t)
{
	const struct dsl_node *caps = dsl_map_get(t->entry->def, "capabilities");
	g_autofree char *path = g_strconcat(t->name, ".capabilities", NULL);
	bool ok = true;

	t->caps = copy_table(b->m, t->parent ? t->parent->caps : NULL);
	if (caps && !dsl_is_map(caps) && !dsl_is_null(caps))
		return model__error(b, caps, path, "expected a map for "
				    "'capabilities', found %s",
				    dsl_type_name_a(caps));
	for (uint32_t i = 0; i < dsl_len(caps); i++) {
		const struct dsl_pair *p = &caps->u.map.items[i];
		struct model_capdef *c = model__new(b->m, struct model_capdef);
		const struct dsl_node *type = dsl_is_str(p->value) ? p->value :
					      dsl_map_get(p->value, "type");
		struct model_capdef *old = g_hash_table_lookup(t->caps,
							       dsl_key(p));

		c->name = dsl_key(p);
		c->mark = p->key->mark;
		c->occ_min = 1;
		c->occ_max = UINT_MAX;
		c->props = model__table(b->m);
		c->type = find_from(b->m, MODEL_CAPABILITY_TYPE, t->entry,
				    dsl_str(type));
		if (!c->type && old && !type)
			c->type = old->type;
		if (!c->type) {
			ok = model__error(b, type ? type : p->key, path,
					  "unknown capability type '%s' of "
					  "capability '%s'", dsl_str(type) ?
					  dsl_str(type) : "", c->name);
			continue;
		}
		if (dsl_is_map(p->value)) {
			const struct dsl_node *props =
				dsl_map_get(p->value, "properties");
			for (uint32_t k = 0; k < dsl_len(props); k++)
				g_hash_table_insert(c->props,
					(gpointer)dsl_key(&props->u.map.items[k]),
					props->u.map.items[k].value);
			c->valid_source_types =
				dsl_map_get(p->value, "valid_source_types");
			ok &= parse_occurrences(b, dsl_map_get(p->value,
							       "occurrences"),
						&c->occ_min, &c->occ_max, path);
		}
		g_hash_table_insert(t->caps, (gpointer)c->name, c);
	}
	return ok;
}

/* Data types: constraints accumulate down the chain, the primitive kind
 * and entry schema are inherited. */
static void merge_data(struct model_builder *b, struct model_type *t)
{
	const struct dsl_node *own = dsl_map_get(t->entry->def, "constraints");
	const struct dsl_node *up = t->parent ? t->parent->constraints : NULL;
	const struct dsl_node *es = dsl_map_get(t->entry->def, "entry_schema");

	if (t->parent)
		t->prim = t->parent->prim;
	if (own) {
		struct model_prop self = { .name = t->name, .type = t };
		g_autofree char *path = g_strconcat(t->name, ".constraints",
						    NULL);
		model_check_constraint_defs(b->m, &self, own, path, b->diags);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(special_data_types); i++)
		if (strcmp(t->name, special_data_types[i].name) == 0)
			t->prim = special_data_types[i].prim;
	if (dsl_len(own) && dsl_len(up)) {
		struct dsl_node *all = dsl_new_seq(b->m->synth, &own->mark,
						   dsl_len(up) + dsl_len(own));
		memcpy(all->u.seq.items, up->u.seq.items,
		       dsl_len(up) * sizeof(struct dsl_node *));
		memcpy(all->u.seq.items + dsl_len(up), own->u.seq.items,
		       dsl_len(own) * sizeof(struct dsl_node *));
		t->constraints = all;
	} else {
		t->constraints = dsl_len(own) ? own : up;
	}
	t->entry_schema = t->parent ? t->parent->entry_schema : NULL;
	if (es) {
		struct dsl_node *def = (struct dsl_node *)es;
		if (dsl_is_str(es)) {
			def = dsl_new_map(b->m->synth, &es->mark, 1);
			dsl_map_put(b->m->synth, def,
				    dsl_new_str(b->m->synth, &es->mark, "type"),
				    (struct dsl_node *)es);
		}
		t->entry_schema = model__prop_new(b, t->name, es, def, t->name);
	}
}

/* Merges one type after its parent. */
static bool merge_type(struct model_builder *b, struct model_type *t)
{
	struct model *m = b->m;
	const struct dsl_node *def = t->entry->def;
	g_autofree char *ppath = g_strconcat(t->name, ".properties", NULL);
	g_autofree char *apath = g_strconcat(t->name, ".attributes", NULL);
	g_autofree char *ipath = g_strconcat(t->name, ".interfaces", NULL);
	struct model_type *up = t->parent;
	bool ok = true;

	t->depth = up ? up->depth + 1 : 0;
	t->props = copy_table(m, up ? up->props : NULL);
	t->prop_order = model__array(m);
	t->attrs = copy_table(m, up ? up->attrs : NULL);
	t->attr_order = model__array(m);
	if (up && up->prop_order)
		g_ptr_array_extend(t->prop_order, up->prop_order, NULL, NULL);
	if (up && up->attr_order)
		g_ptr_array_extend(t->attr_order, up->attr_order, NULL, NULL);
	ok &= model__props_parse(b, dsl_map_get(def, "properties"), t->props,
				 t->prop_order, ppath);
	ok &= model__props_parse(b, dsl_map_get(def, "attributes"), t->attrs,
				 t->attr_order, apath);
	switch (t->kind) {
	case MODEL_NODE_TYPE:
		ok &= merge_reqs(b, t) & merge_caps(b, t);
		/* fall through */
	case MODEL_RELATIONSHIP_TYPE:
	case MODEL_GROUP_TYPE:
		t->ifaces = model__ifaces_merge(b, up ? up->ifaces : NULL,
						dsl_map_get(def, "interfaces"),
						false, ipath);
		ok &= t->ifaces != NULL;
		break;
	case MODEL_DATA_TYPE:
		merge_data(b, t);
		break;
	default:
		break;
	}
	if (t->kind == MODEL_RELATIONSHIP_TYPE) {
		t->source_ifaces = model__ifaces_merge(b,
			up ? up->source_ifaces : NULL,
			dsl_map_get(def, "source_interfaces"), false, ipath);
		t->target_ifaces = model__ifaces_merge(b,
			up ? up->target_ifaces : NULL,
			dsl_map_get(def, "target_interfaces"), false, ipath);
		ok &= t->source_ifaces && t->target_ifaces;
	}
	return ok;
}

/* Merges parents before children: a type is merged once its parent is. */
static bool merge_all(struct model_builder *b, enum model_kind kind)
{
	GHashTable *done = g_hash_table_new(NULL, NULL);
	GHashTableIter it;
	gpointer v;
	bool ok = true;

	g_hash_table_iter_init(&it, b->m->types[kind]);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		GPtrArray *chain = g_ptr_array_new();
		struct model_type *t;
		for (t = v; t && t->entry && !g_hash_table_contains(done, t);
		     t = t->parent)
			g_ptr_array_add(chain, t);
		for (guint i = chain->len; i-- > 0;) {
			t = chain->pdata[i];
			ok &= merge_type(b, t);
			g_hash_table_add(done, t);
		}
		g_ptr_array_free(chain, TRUE);
	}
	g_hash_table_unref(done);
	return ok;
}

enum { WHITE, GREY, BLACK };

/* Follows the properties of data type `t` that have a default of a complex
 * data type; coming back to a type on the way is a default that never
 * ends (a list_type whose `tail` defaults to a list_type...). */
static bool endless_default(struct model_builder *b, struct model_type *t,
			    GHashTable *color)
{
	bool ok = true;

	g_hash_table_insert(color, t, GINT_TO_POINTER(GREY));
	for (guint i = 0; i < t->prop_order->len; i++) {
		const struct model_prop *p = t->prop_order->pdata[i];
		int c;
		if (!p->default_value || !p->type || !p->type->entry ||
		    p->type->prim != MODEL_PRIM_COMPLEX)
			continue;
		c = GPOINTER_TO_INT(g_hash_table_lookup(color, p->type));
		if (c == GREY) {
			g_autofree char *path = g_strconcat(t->name,
				".properties.", p->name, NULL);
			ok = model__error_at(b, &p->mark, path, "circular "
					     "default: the default of '%s.%s' "
					     "is a '%s', whose own defaults "
					     "lead back to '%s' and never end",
					     t->name, p->name, p->type->name,
					     t->name);
		} else if (c == WHITE) {
			ok &= endless_default(b, p->type, color);
		}
	}
	g_hash_table_insert(color, t, GINT_TO_POINTER(BLACK));
	return ok;
}

static bool check_endless_defaults(struct model_builder *b)
{
	g_autoptr(GHashTable) color = g_hash_table_new(NULL, NULL);
	GHashTableIter it;
	gpointer v;
	bool ok = true;

	g_hash_table_iter_init(&it, b->m->types[MODEL_DATA_TYPE]);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct model_type *t = v;
		if (t->entry && t->prop_order &&
		    !g_hash_table_contains(color, t))
			ok &= endless_default(b, t, color);
	}
	return ok;
}

bool model__build_types(struct model_builder *b)
{
	GHashTableIter it;
	gpointer v;
	bool allowed = check_data_types_allowed(b);
	bool ok;

	if (!create_types(b))
		return false;
	adopt_misplaced(b);
	ok = true;
	for (int k = 0; k < MODEL_KIND_LAST; k++) {
		g_hash_table_iter_init(&it, b->m->types[k]);
		while (g_hash_table_iter_next(&it, NULL, &v))
			if (((struct model_type *)v)->entry)
				ok &= link_parent(b, v);
		ok &= check_loops(b, k);
	}
	if (!ok)
		return false;
	/* data and interface types first: the others refer to them */
	ok &= merge_all(b, MODEL_DATA_TYPE);
	ok &= ok && check_endless_defaults(b);
	ok &= merge_all(b, MODEL_INTERFACE_TYPE);
	for (int k = 0; k < MODEL_KIND_LAST; k++)
		if (k != MODEL_DATA_TYPE && k != MODEL_INTERFACE_TYPE)
			ok &= merge_all(b, k);
	return ok && allowed;
}
