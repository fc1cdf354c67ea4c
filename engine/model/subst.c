/* subst.c: TOSCA substitution mappings: a topology template that implements
 * a node type. Checked for the main file's topology and for every imported
 * file's (which TOSCA keeps apart as a possible implementation): the node
 * type exists; the mapped properties, attributes, interfaces, capabilities
 * and requirements are the node type's; mappings name inputs and node
 * templates of that topology and capabilities and requirements they have;
 * the substitution filter is a node filter; and each required property of
 * the node type without a default can be given, by a property mapping or
 * an input of the same name (tosca-parser's MissingRequiredInputError).
 * The keys were checked for the file's version by dsl/. */
#include "model/internal.h"
#include "model/value.h"

#include <string.h>

/* The topology a mapping belongs to: the blueprint's own (in the model) or
 * an imported file's (as written). */
struct scope {
	const struct dsl_file *file;
	const struct dsl_node *inputs;     /* imported: the inputs map */
	const struct dsl_node *templates;  /* imported: node_templates */
	bool main;
};

static bool has_input(const struct model *m, const struct scope *s,
		      const char *name)
{
	if (!name)
		return false;
	return s->main ? g_hash_table_contains(m->inputs, name) :
	       dsl_map_get(s->inputs, name) != NULL;
}

/* The type of node template `name` of the scope; NULL when there is no
 * such template (or its type is unknown). */
static struct model_type *template_type(const struct model *m,
					const struct scope *s,
					const char *name)
{
	const char *type;
	struct model_type *t = NULL;

	if (!name)
		return NULL;
	if (s->main) {
		struct model_node *n = model_node_find(m, name);
		return n ? n->type : NULL;
	}
	type = dsl_str(dsl_map_get(dsl_map_get(s->templates, name), "type"));
	if (type && s->file->ns_prefix) {
		g_autofree char *full = g_strconcat(s->file->ns_prefix, type,
						    NULL);
		t = model_type_find(m, MODEL_NODE_TYPE, full);
	}
	return t ? t : model_type_find(m, MODEL_NODE_TYPE, type);
}

static bool has_req(const struct model_type *t, const char *name)
{
	for (guint i = 0; t && t->reqs && i < t->reqs->len; i++)
		if (!g_strcmp0(((struct model_reqdef *)t->reqs->pdata[i])->name,
			       name))
			return true;
	return false;
}

/* `name: [template, member]` of capabilities or requirements. */
static bool check_member_map(struct model_builder *b, const struct scope *s,
			     const struct dsl_node *map,
			     const struct model_type *nt, bool caps,
			     const char *path)
{
	const char *what = caps ? "capability" : "requirement";
	bool ok = true;

	if (dsl_is_null(map))
		return true;
	if (!dsl_is_map(map))
		return model__error(b, map, path, "expected a map of %s "
				    "mappings, found %s", what,
				    dsl_type_name_a(map));
	for (uint32_t i = 0; i < map->u.map.n; i++) {
		const struct dsl_pair *p = &map->u.map.items[i];
		const struct dsl_node *v = p->value;
		const char *tname, *member;
		struct model_type *tt;

		if (caps ? !g_hash_table_contains(nt->caps, dsl_key(p)) :
		    !has_req(nt, dsl_key(p)))
			ok = model__error(b, p->key, path, "node type '%s' has "
					  "no %s '%s' to map", nt->name, what,
					  dsl_key(p));
		if (!dsl_is_seq(v) || v->u.seq.n != 2 ||
		    !dsl_str(v->u.seq.items[0]) || !dsl_str(v->u.seq.items[1])) {
			ok = model__error(b, v, path, "expected [node template, "
					  "%s] for the mapping of %s '%s'",
					  what, what, dsl_key(p));
			continue;
		}
		tname = dsl_str(v->u.seq.items[0]);
		member = dsl_str(v->u.seq.items[1]);
		tt = template_type(b->m, s, tname);
		if (!tt) {
			ok = model__error(b, v->u.seq.items[0], path, "unknown "
					  "node template '%s' in the mapping of "
					  "%s '%s'", tname, what, dsl_key(p));
			continue;
		}
		if (caps ? !g_hash_table_contains(tt->caps, member) :
		    !has_req(tt, member))
			ok = model__error(b, v->u.seq.items[1], path, "node "
					  "template '%s' (type '%s') has no %s "
					  "'%s'", tname, tt->name, what, member);
	}
	return ok;
}

/* [input_name] */
static bool is_input_ref(const struct model *m, const struct scope *s,
			 const struct dsl_node *v)
{
	return dsl_is_seq(v) && v->u.seq.n == 1 &&
	       has_input(m, s, dsl_str(v->u.seq.items[0]));
}

/* [node_template_name, property_name] */
static bool is_template_ref(const struct model *m, const struct scope *s,
			    const struct dsl_node *v)
{
	return dsl_is_seq(v) && v->u.seq.n == 2 &&
	       dsl_str(v->u.seq.items[1]) &&
	       template_type(m, s, dsl_str(v->u.seq.items[0]));
}

/* Properties: `name: [input]`, `name: [template, property]` or a value. */
static bool check_properties(struct model_builder *b, const struct scope *s,
			     const struct dsl_node *map,
			     const struct model_type *nt, const char *path)
{
	bool ok = true;

	if (dsl_is_null(map))
		return true;
	if (!dsl_is_map(map))
		return model__error(b, map, path, "expected a map of property "
				    "mappings, found %s", dsl_type_name_a(map));
	for (uint32_t i = 0; i < map->u.map.n; i++) {
		const struct dsl_pair *p = &map->u.map.items[i];
		const struct dsl_node *v = p->value;
		const struct model_prop *d = g_hash_table_lookup(nt->props,
								 dsl_key(p));
		g_autofree char *vpath = g_strconcat(path, ".", dsl_key(p), NULL);

		if (!d) {
			ok = model__error(b, p->key, path, "node type '%s' has "
					  "no property '%s' to map", nt->name,
					  dsl_key(p));
			continue;
		}
		if (is_input_ref(b->m, s, v) || is_template_ref(b->m, s, v))
			continue;
		if (dsl_is_seq(v) && v->u.seq.n == 1 &&
		    dsl_str(v->u.seq.items[0]) &&
		    !(d->type && d->type->prim == MODEL_PRIM_LIST)) {
			ok = model__error(b, v->u.seq.items[0], vpath, "unknown "
					  "input '%s' in the mapping of "
					  "property '%s'",
					  dsl_str(v->u.seq.items[0]), dsl_key(p));
			continue;
		}
		ok &= model_check_value(b->m, d, v, vpath, b->diags);
	}
	return ok;
}

/* Attributes and interfaces: the names must be the node type's. */
static bool check_names(struct model_builder *b, const struct dsl_node *map,
			GHashTable *known, const char *what,
			const struct model_type *nt, const char *path)
{
	bool ok = true;

	if (dsl_is_null(map))
		return true;
	if (!dsl_is_map(map))
		return model__error(b, map, path, "expected a map of %s "
				    "mappings, found %s", what,
				    dsl_type_name_a(map));
	for (uint32_t i = 0; i < map->u.map.n; i++)
		if (!known || !g_hash_table_contains(known,
						     dsl_key(&map->u.map.items[i])))
			ok = model__error(b, map->u.map.items[i].key, path,
					  "node type '%s' has no %s '%s' to "
					  "map", nt->name, what,
					  dsl_key(&map->u.map.items[i]));
	return ok;
}

/* Every required property without a default must be settable. */
static bool check_required(struct model_builder *b, const struct scope *s,
			   const struct dsl_node *sm,
			   const struct model_type *nt,
			   const struct dsl_node *at, const char *path)
{
	const struct dsl_node *mapped = dsl_map_get(sm, "properties");
	bool ok = true;

	for (guint i = 0; i < nt->prop_order->len; i++) {
		const struct model_prop *d = nt->prop_order->pdata[i];
		if (!d->required || d->default_value ||
		    dsl_map_get(mapped, d->name) ||
		    has_input(b->m, s, d->name))
			continue;
		ok = model__error(b, at, path, "missing required input '%s': "
				  "the topology implements node type '%s', "
				  "whose property '%s' is required and has no "
				  "default; declare an input '%s' or map the "
				  "property", d->name, nt->name, d->name,
				  d->name);
	}
	return ok;
}

static bool check_mapping(struct model_builder *b, const struct scope *s,
			  const struct dsl_node *sm)
{
	const struct dsl_node *type = dsl_map_get(sm, "node_type");
	const char *path = "substitution_mappings.node_type";
	struct model_type *nt = NULL;
	bool ok;

	if (dsl_str(type)) {
		if (s->file->ns_prefix) {
			g_autofree char *full = g_strconcat(s->file->ns_prefix,
							    dsl_str(type), NULL);
			nt = model_type_find(b->m, MODEL_NODE_TYPE, full);
		}
		if (!nt)
			nt = model_type_find(b->m, MODEL_NODE_TYPE,
					     dsl_str(type));
	}
	if (!type)
		return model__error(b, sm, "substitution_mappings", "missing "
				    "required 'node_type' in substitution "
				    "mappings");
	if (!nt)
		return model__error(b, type, path, "unknown node type '%s' in "
				    "substitution mappings", dsl_scalar(type) ?
				    dsl_scalar(type) : dsl_type_name(type));
	ok = check_required(b, s, sm, nt, type, path);
	ok &= check_properties(b, s, dsl_map_get(sm, "properties"), nt,
			       "substitution_mappings.properties");
	ok &= check_member_map(b, s, dsl_map_get(sm, "capabilities"), nt, true,
			       "substitution_mappings.capabilities");
	ok &= check_member_map(b, s, dsl_map_get(sm, "requirements"), nt,
			       false, "substitution_mappings.requirements");
	ok &= check_names(b, dsl_map_get(sm, "attributes"), nt->attrs,
			  "attribute", nt, "substitution_mappings.attributes");
	ok &= check_names(b, dsl_map_get(sm, "interfaces"), nt->ifaces,
			  "interface", nt, "substitution_mappings.interfaces");
	ok &= model__check_node_filter(b, dsl_map_get(sm, "substitution_filter"),
				       "the substitution filter",
				       "substitution_mappings.substitution_filter");
	return ok;
}

bool model__check_substitutions(struct model_builder *b)
{
	const GPtrArray *files = b->m->svc->files;
	bool ok = true;

	for (guint i = 0; i < files->len; i++) {
		const struct dsl_file *f = files->pdata[i];
		struct scope s = { f, NULL, NULL, i == 0 };

		if (!f->substitution_mappings)
			continue;
		if (!s.main) {
			s.inputs = dsl_map_get(f->topology, "inputs");
			s.templates = dsl_map_get(f->topology, "node_templates");
		}
		ok &= check_mapping(b, &s, f->substitution_mappings);
	}
	return ok;
}
