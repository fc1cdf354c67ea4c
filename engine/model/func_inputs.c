/* func_inputs.c: a deployment's inputs: the values given (from -i files and
 * key=value pairs, already parsed to a YAML map), checked against the
 * blueprint's input definitions, with defaults for the rest. What
 * get_input returns during static evaluation. */
#include "model/func_internal.h"

static char *declared_list(const struct model *m)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < m->input_order->len; i++)
		g_string_append_printf(s, "%s'%s'", i ? ", " : "",
				       ((struct model_prop *)
					m->input_order->pdata[i])->name);
	return g_string_free(s, FALSE);
}

static bool take_given(const struct model *m, const struct dsl_node *given,
		       GHashTable *out, struct bp_diags *d)
{
	bool ok = true;

	if (dsl_is_null(given))
		return true;
	if (!dsl_is_map(given))
		return bp_diags_add(d, BP_ERR_INVALID, &given->mark, "inputs",
				    "expected a map of input values, found %s",
				    dsl_type_name_a(given));
	for (uint32_t i = 0; i < given->u.map.n; i++) {
		const struct dsl_pair *p = &given->u.map.items[i];
		const struct model_prop *def = g_hash_table_lookup(m->inputs,
								   dsl_key(p));
		g_autofree char *path = g_strconcat("inputs.", dsl_key(p), NULL);

		if (!def) {
			g_autofree char *known = declared_list(m);
			ok = bp_diags_add(d, BP_ERR_INVALID, &p->key->mark, path,
					  "unknown input '%s'; %s%s",
					  dsl_key(p), *known ?
					  "the blueprint declares " :
					  "the blueprint declares no inputs",
					  known);
			continue;
		}
		ok &= model_check_value(m, def, p->value, path, d);
		g_hash_table_insert(out, (gpointer)def->name, p->value);
	}
	return ok;
}

GHashTable *model_inputs_resolve(const struct model *m,
				 const struct dsl_node *given,
				 bool require_all, struct bp_diags *d)
{
	GHashTable *out = g_hash_table_new(g_str_hash, g_str_equal);
	bool ok = take_given(m, given, out, d);

	for (guint i = 0; i < m->input_order->len; i++) {
		const struct model_prop *def = m->input_order->pdata[i];
		g_autofree char *path = NULL;

		if (g_hash_table_contains(out, def->name))
			continue;
		if (def->default_value) {
			g_hash_table_insert(out, (gpointer)def->name,
					    (gpointer)def->default_value);
			continue;
		}
		if (!require_all)
			continue;
		if (!def->required) {
			g_hash_table_insert(out, (gpointer)def->name, NULL);
			continue;
		}
		path = g_strconcat("inputs.", def->name, NULL);
		ok = bp_diags_add(d, BP_ERR_INVALID, &def->mark, path, "input "
				  "'%s' is required and has no value; give it "
				  "with -i %s=VALUE", def->name, def->name);
	}
	if (!ok) {
		g_hash_table_unref(out);
		return NULL;
	}
	return out;
}
