/* func_path.c: walking a path of keys and indexes into a value and its
 * definition, as get_input, get_property and get_attribute do after the
 * name they start from: a map by key (a complex data type also by its
 * declared properties, which may have defaults), a list by index, and
 * where the value is not known (an attribute, an input given later) by
 * what the definition allows. A function call on the way makes the rest
 * unknowable before evaluation, which is not an error. */
#include "model/func_internal.h"

#include <string.h>

struct model_prop *func__prop_def(const struct model_type *t,
				  const char *name)
{
	return t && t->props && name ? g_hash_table_lookup(t->props, name)
				     : NULL;
}

void func__cursor_init(struct func_cursor *cur, const char *kind,
		       const char *name, const struct dsl_node *value,
		       const struct model_prop *def)
{
	cur->value = value;
	cur->def = def;
	cur->opaque = false;
	cur->kind = kind;
	cur->name = g_string_new(name);
}

void func__cursor_clear(struct func_cursor *cur)
{
	if (cur->name)
		g_string_free(cur->name, TRUE);
	cur->name = NULL;
}

static const char *article(const char *word)
{
	return word[0] && strchr("aeiou", word[0]) ? "an" : "a";
}

/* The definition of a list's or a map's entries. */
static const struct model_prop *entries(const struct model_prop *def)
{
	if (!def)
		return NULL;
	if (def->entry_schema)
		return def->entry_schema;
	return def->type ? def->type->entry_schema : NULL;
}

static bool by_index(struct func_cursor *cur, const struct dsl_node *key,
		     const char *path, struct bp_error **err)
{
	const struct dsl_node *v = cur->value;
	int64_t i;

	if (!dsl_as_int(key, &i))
		return func__fail(err, key, path, "expected an index (an "
				  "integer) into %s '%s' (a list), found '%s'",
				  cur->kind, cur->name->str, dsl_scalar(key) ?
				  dsl_scalar(key) : dsl_type_name(key));
	if (dsl_is_seq(v) && (i < 0 || i >= v->u.seq.n))
		return func__fail(err, key, path, "index %" G_GINT64_FORMAT
				  " is out of range for %s '%s' (a list of %u)",
				  i, cur->kind, cur->name->str, v->u.seq.n);
	cur->value = dsl_is_seq(v) ? v->u.seq.items[i] : NULL;
	cur->def = entries(cur->def);
	g_string_append_printf(cur->name, "[%" G_GINT64_FORMAT "]", i);
	return true;
}

static bool scalar_in_the_way(struct func_cursor *cur,
			      const struct dsl_node *key, const char *type,
			      const char *k, const char *path,
			      struct bp_error **err)
{
	return func__fail(err, key, path, "%s '%s' is %s %s; cannot take '%s' "
			  "from it", cur->kind, cur->name->str, article(type),
			  type, k);
}

/* A property of a complex data type: its value in `map` if set there,
 * else its default. */
static bool member(struct func_cursor *cur, const struct dsl_node *key,
		   const char *k, const struct dsl_node *map, const char *path,
		   struct bp_error **err)
{
	const struct model_type *t = cur->def->type;
	const struct model_prop *sub = func__prop_def(t, k);
	const struct dsl_node *child = dsl_map_get(map, k);

	if (!sub)
		return func__fail(err, key, path, "%s '%s' (of data type '%s') "
				  "has no property '%s'", cur->kind,
				  cur->name->str, t->name, k);
	cur->value = child ? child : sub->default_value;
	cur->def = sub;
	g_string_append_printf(cur->name, ".%s", k);
	return true;
}

/* Unknown value: the definition says what may follow. */
static bool by_def(struct func_cursor *cur, const struct dsl_node *key,
		   const char *k, const char *path, struct bp_error **err)
{
	const struct model_type *t = cur->def ? cur->def->type : NULL;

	if (!t) {
		cur->def = NULL;
		return true;
	}
	switch (t->prim) {
	case MODEL_PRIM_COMPLEX:
		return member(cur, key, k, NULL, path, err);
	case MODEL_PRIM_LIST:
		return by_index(cur, key, path, err);
	case MODEL_PRIM_MAP:
		cur->def = entries(cur->def);
		break;
	case MODEL_PRIM_ANY:
	case MODEL_PRIM_JSON:
		cur->def = NULL;
		break;
	default:
		return scalar_in_the_way(cur, key, t->name, k, path, err);
	}
	g_string_append_printf(cur->name, ".%s", k);
	return true;
}

static bool step(struct func_cursor *cur, const struct dsl_node *key,
		 const char *path, struct bp_error **err)
{
	const struct dsl_node *v = cur->value;
	const struct model_type *t = cur->def ? cur->def->type : NULL;
	const char *k = dsl_scalar(key);

	if (cur->opaque)
		return true;
	if (model_is_function_call(v) || model_is_function_call(key)) {
		cur->opaque = true;
		return true;
	}
	if (!k)
		return func__fail(err, key, path, "expected a key or index "
				  "into %s '%s', found %s", cur->kind,
				  cur->name->str, dsl_type_name_a(key));
	if (dsl_is_seq(v))
		return by_index(cur, key, path, err);
	if (dsl_is_null(v))
		return by_def(cur, key, k, path, err);
	if (!dsl_is_map(v))
		return scalar_in_the_way(cur, key, dsl_type_name(v), k, path,
					 err);
	if (t && t->prim == MODEL_PRIM_COMPLEX)
		return member(cur, key, k, v, path, err);
	if (!dsl_map_get(v, k))
		return func__fail(err, key, path, "%s '%s' has no key '%s'",
				  cur->kind, cur->name->str, k);
	cur->value = dsl_map_get(v, k);
	cur->def = entries(cur->def);
	g_string_append_printf(cur->name, ".%s", k);
	return true;
}

bool func__walk(struct func_cursor *cur, struct dsl_node *const *keys,
		uint32_t n, const char *path, struct bp_error **err)
{
	for (uint32_t i = 0; i < n; i++)
		if (!step(cur, keys[i], path, err))
			return false;
	return true;
}
