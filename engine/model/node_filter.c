/* node_filter.c: TOSCA node filters. Their shape is checked where they are
 * written (a requirement, a node template, a substitution filter), and a
 * candidate node is matched against one when a requirement is fulfilled.
 *
 *   node_filter:
 *     properties:
 *       - num_cpus: { in_range: [1, 4] }         # one constraint,
 *       - mem_size: [ {greater_or_equal: 2 GB} ] # a list of them,
 *       - name: db1                              # or a value (equal)
 *     capabilities:
 *       - host:                                  # a name or a type
 *           properties: [ ... as above ... ]
 *
 * A value that is a function call cannot be judged before deployment; it
 * matches. */
#include "model/internal.h"
#include "model/value.h"

#include <string.h>

static const char *const filter_keys[] = { "properties", "capabilities", NULL };
static const char *const cap_filter_keys[] = { "properties", NULL };

static bool check_keys(struct model_builder *b, const struct dsl_node *map,
		       const char *const *valid, const char *what,
		       const char *path)
{
	bool ok = true;

	for (uint32_t i = 0; i < dsl_len(map); i++) {
		const struct dsl_pair *p = &map->u.map.items[i];
		size_t k;
		for (k = 0; valid[k]; k++)
			if (!strcmp(valid[k], dsl_key(p)))
				break;
		if (!valid[k]) {
			g_autofree char *list = g_strjoinv("', '", (char **)valid);
			ok = model__error(b, p->key, path, "unknown key '%s' in "
					  "%s; expected one of '%s'", dsl_key(p),
					  what, list);
		}
	}
	return ok;
}

/* A list whose items are maps with one key (a name). */
static bool check_named_list(struct model_builder *b,
			     const struct dsl_node *list, const char *key,
			     const char *what, const char *path)
{
	bool ok = true;

	if (dsl_is_null(list))
		return true;
	if (!dsl_is_seq(list))
		return model__error(b, list, path, "expected a list for '%s' of "
				    "%s, found %s", key, what,
				    dsl_type_name_a(list));
	for (uint32_t i = 0; i < list->u.seq.n; i++) {
		const struct dsl_node *it = list->u.seq.items[i];
		if (dsl_is_map(it) && it->u.map.n != 1)
			ok = model__error(b, it, path, "expected each item of "
					  "'%s' of %s to be a map with one key "
					  "(a name), found a map with %u keys",
					  key, what, it->u.map.n);
		else if (!dsl_is_map(it))
			ok = model__error(b, it, path, "expected each item of "
					  "'%s' of %s to be a map with one key "
					  "(a name), found %s", key, what,
					  dsl_type_name_a(it));
	}
	return ok;
}

bool model__check_node_filter(struct model_builder *b,
			      const struct dsl_node *nf, const char *what,
			      const char *path)
{
	const struct dsl_node *caps;
	bool ok;

	if (dsl_is_null(nf))
		return true;
	if (!dsl_is_map(nf))
		return model__error(b, nf, path, "expected a map for %s, found "
				    "a %s", what, dsl_type_name(nf));
	ok = check_keys(b, nf, filter_keys, what, path);
	ok &= check_named_list(b, dsl_map_get(nf, "properties"), "properties",
			       what, path);
	caps = dsl_map_get(nf, "capabilities");
	if (!check_named_list(b, caps, "capabilities", what, path))
		return false;
	for (uint32_t i = 0; i < dsl_len(caps); i++) {
		const struct dsl_pair *p = &caps->u.seq.items[i]->u.map.items[0];
		g_autofree char *cwhat = g_strdup_printf(
			"the filter of capability '%s'", dsl_key(p));
		if (dsl_is_null(p->value))
			continue;
		if (!dsl_is_map(p->value)) {
			ok = model__error(b, p->value, path, "expected a map "
					  "for %s, found %s", cwhat,
					  dsl_type_name_a(p->value));
			continue;
		}
		ok &= check_keys(b, p->value, cap_filter_keys, cwhat, path);
		ok &= check_named_list(b, dsl_map_get(p->value, "properties"),
				       "properties", cwhat, path);
	}
	return ok;
}

/* A constraint clause as a `constraints` list: a list stays, one operator
 * map is wrapped, a plain value means `equal`. */
static const struct dsl_node *clause_list(struct model *m,
					  const struct dsl_node *c)
{
	struct dsl_node *list;

	if (dsl_is_seq(c))
		return c;
	list = dsl_new_seq(m->synth, &c->mark, 1);
	if (dsl_is_map(c) && !model_is_function_call(c)) {
		list->u.seq.items[0] = (struct dsl_node *)c;
	} else {
		struct dsl_node *eq = dsl_new_map(m->synth, &c->mark, 1);
		dsl_map_put(m->synth, eq, dsl_new_str(m->synth, &c->mark,
						      "equal"),
			    (struct dsl_node *)c);
		list->u.seq.items[0] = eq;
	}
	return list;
}

/* True when `value` of a property defined by `def` meets `clause`. */
static bool meets(struct model *m, const struct model_prop *def,
		  const struct dsl_node *value, const struct dsl_node *clause)
{
	struct model_prop p = *def;
	struct bp_diags d;
	bool ok;

	if (!value)
		return false;
	if (model_is_function_call(value))
		return true;
	p.constraints = clause_list(m, clause);
	p.required = true;
	bp_diags_init(&d, 1);
	ok = model_check_value(m, &p, value, NULL, &d);
	bp_diags_release(&d);
	return ok;
}

/* Every `- name: clause` of `filters` holds, with values looked up in
 * `values` (name -> dsl_node), defaults in `defs` (name -> model_prop). */
static bool props_match(struct model *m, const struct dsl_node *filters,
			GHashTable *values, GHashTable *defs,
			GHashTable *fallback)
{
	for (uint32_t i = 0; i < dsl_len(filters); i++) {
		const struct dsl_pair *p =
			&filters->u.seq.items[i]->u.map.items[0];
		const struct model_prop *def = defs ? g_hash_table_lookup(
			defs, dsl_key(p)) : NULL;
		const struct dsl_node *v = NULL;

		if (!def)
			return false;
		if (values)
			v = g_hash_table_lookup(values, dsl_key(p));
		if (!v && fallback)
			v = g_hash_table_lookup(fallback, dsl_key(p));
		if (!v)
			v = def->default_value;
		if (!meets(m, def, v, p->value))
			return false;
	}
	return true;
}

bool model__node_filter_match(struct model *m, const struct model_node *n,
			      const struct dsl_node *nf)
{
	const struct dsl_node *caps = dsl_map_get(nf, "capabilities");

	if (!props_match(m, dsl_map_get(nf, "properties"), n->props,
			 n->type->props, NULL))
		return false;
	for (uint32_t i = 0; i < dsl_len(caps); i++) {
		const struct dsl_pair *p = &caps->u.seq.items[i]->u.map.items[0];
		const struct model_capdef *c = model__node_cap(m, n, dsl_key(p));

		if (!c)
			return false;
		if (!props_match(m, dsl_map_get(p->value, "properties"),
				 n->caps ? g_hash_table_lookup(n->caps, c->name) :
				 NULL, c->type->props, c->props))
			return false;
	}
	return true;
}
