/* prop.c: property, attribute, input and parameter definitions (struct
 * model_prop): their keys, their type resolved to a data type, entry and
 * key schemas. Checking values against them is value.c's job. */
#include "model/internal.h"
#include "model/value.h"

#include <string.h>

static const char *const def_keys[] = {
	"type", "description", "required", "default", "constraints",
	"entry_schema", "key_schema", "status", "value", "metadata",
	"external-schema", "display_label", "hidden", "item_type", "display",
	NULL
};

bool model__looks_like_def(const struct dsl_node *v)
{
	bool marker = false;

	if (!dsl_is_map(v) || v->u.map.n == 0)
		return false;
	for (uint32_t i = 0; i < v->u.map.n; i++) {
		const char *k = dsl_key(&v->u.map.items[i]);
		size_t j;
		for (j = 0; def_keys[j]; j++)
			if (strcmp(def_keys[j], k) == 0)
				break;
		if (!def_keys[j])
			return false;
		marker |= !strcmp(k, "type") || !strcmp(k, "default") ||
			  !strcmp(k, "required") || !strcmp(k, "description") ||
			  !strcmp(k, "constraints");
	}
	return marker;
}

static bool check_def_keys(struct model_builder *b, const struct dsl_node *def,
			   const char *name, const char *path)
{
	bool ok = true;

	for (uint32_t i = 0; i < def->u.map.n; i++) {
		const struct dsl_pair *p = &def->u.map.items[i];
		size_t j;
		for (j = 0; def_keys[j]; j++)
			if (strcmp(def_keys[j], dsl_key(p)) == 0)
				break;
		if (!def_keys[j]) {
			g_autofree char *list = g_strjoinv("', '",
							   (char **)def_keys);
			ok = model__error(b, p->key, path, "unknown key '%s' in "
					  "the definition of '%s'; expected "
					  "one of '%s'", dsl_key(p), name, list);
		}
	}
	return ok;
}

/* entry_schema / key_schema: a type name or a definition map. */
static struct model_prop *schema_new(struct model_builder *b,
				     const char *owner,
				     const struct dsl_node *s,
				     const char *path)
{
	g_autofree char *name = g_strconcat(owner, " entries", NULL);

	if (dsl_is_str(s)) {
		struct dsl_node *def = dsl_new_map(b->m->synth, &s->mark, 1);
		dsl_map_put(b->m->synth, def,
			    dsl_new_str(b->m->synth, &s->mark, "type"),
			    (struct dsl_node *)s);
		return model__prop_new(b, name, s, def, path);
	}
	if (!dsl_is_map(s)) {
		model__error(b, s, path, "expected a type name or a map for "
			     "the entry schema of '%s', found %s", owner,
			     dsl_type_name_a(s));
		return NULL;
	}
	return model__prop_new(b, name, s, s, path);
}

struct model_prop *model__prop_new(struct model_builder *b, const char *name,
				   const struct dsl_node *key,
				   const struct dsl_node *def,
				   const char *path)
{
	struct model *m = b->m;
	struct model_prop *p = model__new(m, struct model_prop);
	const struct dsl_node *type, *es, *ks, *req;

	p->name = model__strdup(m, name);
	p->mark = key ? key->mark : def ? def->mark : (struct bp_mark){ 0 };
	p->required = true;
	if (dsl_is_null(def))
		return p;
	if (!dsl_is_map(def)) {
		model__error(b, def, path, "expected a map defining '%s', found "
			     "a %s", name, dsl_type_name(def));
		return NULL;
	}
	if (!check_def_keys(b, def, name, path))
		return NULL;
	p->def = def;
	p->default_value = dsl_map_get(def, "default");
	p->value = dsl_map_get(def, "value");
	p->constraints = dsl_map_get(def, "constraints");
	req = dsl_map_get(def, "required");
	if (req && !dsl_as_bool(req, &p->required)) {
		model__error(b, req, path, "expected a boolean for 'required' of "
			     "'%s', found %s", name, dsl_type_name_a(req));
		return NULL;
	}
	type = dsl_map_get(def, "type");
	if (type) {
		p->type_name = dsl_str(type);
		if (!p->type_name) {
			model__error(b, type, path, "expected a type name for "
				     "'%s', found %s", name,
				     dsl_type_name_a(type));
			return NULL;
		}
		p->type = model_type_find(m, MODEL_DATA_TYPE, p->type_name);
		if (!p->type) {
			model__error(b, type, path, "unknown type '%s' of '%s'",
				     p->type_name, name);
			return NULL;
		}
	}
	es = dsl_map_get(def, "entry_schema");
	if (!es)
		es = dsl_map_get(def, "item_type");
	if (es && !(p->entry_schema = schema_new(b, name, es, path)))
		return NULL;
	ks = dsl_map_get(def, "key_schema");
	if (ks && !(p->key_schema = schema_new(b, name, ks, path)))
		return NULL;
	if (p->constraints) {
		g_autofree char *cpath = g_strconcat(path, ".constraints", NULL);
		model_check_constraint_defs(m, p, p->constraints, cpath,
					    b->diags);
	}
	return p;
}

/* True when `def` has none of the keys of a definition: it is a value. */
static bool is_value(const struct dsl_node *def)
{
	if (!dsl_is_map(def))
		return !dsl_is_null(def);
	for (uint32_t i = 0; i < def->u.map.n; i++)
		for (size_t j = 0; def_keys[j]; j++)
			if (!strcmp(def_keys[j], dsl_key(&def->u.map.items[i])))
				return false;
	return def->u.map.n > 0;
}

/* A derived type that gives an inherited property a value (as tosca-parser's
 * examples do: `credential: {user: x, token: y}` under a relationship type
 * derived from ConnectsTo) sets that property's default. The value is
 * checked against the inherited definition. */
static struct model_prop *default_override(struct model_builder *b,
					   const struct model_prop *old,
					   const struct dsl_pair *pr,
					   const char *path)
{
	struct model_prop *p = model__new(b->m, struct model_prop);

	*p = *old;
	p->default_value = pr->value;
	p->mark = pr->key->mark;
	return model_check_value(b->m, p, pr->value, path, b->diags) ? p : NULL;
}

bool model__props_parse(struct model_builder *b, const struct dsl_node *map,
			GHashTable *table, GPtrArray *order, const char *path)
{
	bool ok = true;

	if (dsl_is_null(map))
		return true;
	if (!dsl_is_map(map))
		return model__error(b, map, path, "expected a map for '%s', "
				    "found %s", path, dsl_type_name_a(map));
	for (uint32_t i = 0; i < map->u.map.n; i++) {
		const struct dsl_pair *pr = &map->u.map.items[i];
		g_autofree char *ppath = g_strconcat(path, ".", dsl_key(pr), NULL);
		struct model_prop *old = g_hash_table_lookup(table, dsl_key(pr));
		struct model_prop *p;

		if (old && is_value(pr->value))
			p = default_override(b, old, pr, ppath);
		else
			p = model__prop_new(b, dsl_key(pr), pr->key, pr->value,
					    ppath);
		if (!p) {
			ok = false;
			continue;
		}
		if (old) {
			for (guint k = 0; k < order->len; k++)
				if (order->pdata[k] == old)
					order->pdata[k] = p;
		} else {
			g_ptr_array_add(order, p);
		}
		g_hash_table_insert(table, (gpointer)p->name, p);
	}
	return ok;
}
