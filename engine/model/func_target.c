/* func_target.c: what a call's arguments refer to: the node (or TOSCA
 * relationship) SELF, SOURCE, TARGET, HOST or a name stands for where the
 * call is written, and the property, attribute, capability, operation or
 * artifact named after it (func_path.c walks on from there). Shared by
 * the checker (on values as written) and the evaluators (on evaluated
 * values), so both judge a reference the same way. */
#include "model/func_internal.h"

#include <string.h>

static bool is_tosca(const struct func_call *c)
{
	return c->features & DSL_FEAT_TOSCA_FUNCS;
}

static const char *ctx_name(enum model_ctx ctx)
{
	switch (ctx) {
	case MODEL_CTX_NODE:
		return "a node template";
	case MODEL_CTX_RELATIONSHIP:
		return "a relationship";
	case MODEL_CTX_OUTPUTS:
		return "outputs";
	case MODEL_CTX_INPUTS:
		return "inputs";
	default:
		return "groups and policies";
	}
}

/* An attribute, or a property (TOSCA counts properties as attributes). */
static struct model_prop *attr_def(const struct model_type *t,
				   const char *name)
{
	struct model_prop *d = t && t->attrs && name ?
			       g_hash_table_lookup(t->attrs, name) : NULL;

	return d ? d : func__prop_def(t, name);
}

/* The index-th relationship of requirement `name` (0 = the first). */
static const struct model_rel *requirement_nth(const struct model_node *n,
					       const char *name, int64_t index)
{
	for (guint i = 0; name && i < n->rels->len; i++) {
		const struct model_rel *r = n->rels->pdata[i];
		if (!g_strcmp0(r->name, name) && index-- == 0)
			return r;
	}
	return NULL;
}

static const struct model_rel *requirement(const struct model_node *n,
					   const char *name)
{
	return requirement_nth(n, name, 0);
}

static struct model_capdef *capdef(const struct model_node *n,
				   const char *name)
{
	return n->type->caps && name ? g_hash_table_lookup(n->type->caps, name)
				     : NULL;
}

/* The target capability a relationship reaches: the one the requirement
 * names, else the one of the type its definition names, else the one
 * named like the requirement. */
static const char *rel_capability(const struct model *m,
				  const struct model_rel *r)
{
	const struct model_type *t = r->source->type;
	const char *want = NULL;
	struct model_type *ct;
	GHashTableIter it;
	gpointer v;

	if (r->capability)
		return r->capability;
	for (guint i = 0; t->reqs && i < t->reqs->len && !want; i++) {
		const struct model_reqdef *d = t->reqs->pdata[i];
		if (!g_strcmp0(d->name, r->name))
			want = d->capability;
	}
	if (capdef(r->target, want))
		return want;
	ct = want ? model_type_find(m, MODEL_CAPABILITY_TYPE, want) : NULL;
	if (ct && r->target->type->caps) {
		g_hash_table_iter_init(&it, r->target->type->caps);
		while (g_hash_table_iter_next(&it, NULL, &v))
			if (model_type_is(((struct model_capdef *)v)->type, ct))
				return ((struct model_capdef *)v)->name;
	}
	return capdef(r->target, r->name) ? r->name : NULL;
}

/* Does node `n` have what argv[1] names, for HOST to stop there? */
static bool has_name(const struct func_call *c, const struct model_node *n)
{
	const char *name = dsl_scalar(c->argv[1]);
	const struct dsl_file *file;
	bool via_cap = c->argc > 2 && (capdef(n, name) || requirement(n, name));

	switch (c->def->id) {
	case FUNC_GET_PROPERTY:
		return func__prop_def(n->type, name) || via_cap;
	case FUNC_GET_OPERATION_OUTPUT:
		return g_hash_table_contains(n->ifaces, name);
	case FUNC_GET_ARTIFACT:
		return func__artifact(n, name, &file) != NULL;
	default:
		return attr_def(n->type, name) || via_cap;
	}
}

static bool host_of(const struct model_scope *s, const struct func_call *c,
		    struct func_entity *out, const char *path,
		    struct bp_error **err)
{
	const struct dsl_node *a = c->argv[0];
	const struct model_node *start, *h;

	if (s->ctx == MODEL_CTX_NODE)
		start = s->node;
	else if (s->ctx == MODEL_CTX_RELATIONSHIP)
		start = s->side == MODEL_SIDE_TARGET ? s->rel->target :
		       s->rel->source;
	else
		return func__fail(err, a, path, "'HOST' cannot be used with "
				  "'%s' in %s: there is no node to start from",
				  c->def->name, ctx_name(s->ctx));
	if (!start->host)
		return func__fail(err, a, path, "'HOST' in '%s': node '%s' is "
				  "not hosted on another node (no "
				  "'tosca.relationships.HostedOn' or "
				  "'cloudify.relationships.contained_in' in its "
				  "relationship chain)", c->def->name,
				  start->name);
	out->node = start->host;
	if (model_is_function_call(c->argv[1]))
		return true;
	for (h = start->host; h; h = h->host)
		if (has_name(c, h)) {
			out->node = h;
			break;
		}
	return true;
}

bool func__entity(const struct model *m, const struct model_scope *s,
		  const struct func_call *c, struct func_entity *out,
		  struct bp_error **err)
{
	const struct dsl_node *a = c->argv[0];
	const char *name = dsl_scalar(a);
	const char *path = s->path;

	memset(out, 0, sizeof(*out));
	if (!name)
		return func__fail(err, a ? a : c->node, path, "expected a node "
				  "name or keyword for '%s', found %s",
				  c->def->name, dsl_type_name_a(a));
	if (!strcmp(name, "SELF")) {
		if (s->ctx == MODEL_CTX_NODE) {
			out->node = s->node;
			return true;
		}
		if (s->ctx == MODEL_CTX_RELATIONSHIP && is_tosca(c)) {
			out->rel = s->rel;
			return true;
		}
		if (s->ctx == MODEL_CTX_RELATIONSHIP)
			return func__fail(err, a, path, "'SELF' cannot be used "
					  "with '%s' in a relationship (of node "
					  "'%s'); use 'SOURCE' or 'TARGET'",
					  c->def->name, s->rel->source->name);
		return func__fail(err, a, path, "'SELF' cannot be used with "
				  "'%s' in %s: there is no node template there",
				  c->def->name, ctx_name(s->ctx));
	}
	if (!strcmp(name, "SOURCE") || !strcmp(name, "TARGET")) {
		if (s->ctx != MODEL_CTX_RELATIONSHIP)
			return func__fail(err, a, path, "'%s' can only be used "
					  "in a relationship, not in %s", name,
					  ctx_name(s->ctx));
		out->node = name[0] == 'S' ? s->rel->source : s->rel->target;
		return true;
	}
	if (!strcmp(name, "HOST"))
		return host_of(s, c, out, path, err);
	out->node = model_node_find(m, name);
	if (!out->node)
		return func__fail(err, a, path, "unknown node template '%s' in "
				  "'%s'", name, c->def->name);
	return true;
}

/* --- properties and attributes --- */

static void opaque(struct func_cursor *cur, struct func_prop_ref *ref,
		   const struct func_call *c, const struct func_entity *e)
{
	func__cursor_init(cur, "value", "?", NULL, NULL);
	cur->opaque = true;
	ref->owner = *e;
	ref->capability = NULL;
	ref->rest = c->argc;
}

/* The node and capability argv[1] names (directly, or as a requirement
 * leading to a target's capability), for the capability forms. */
static bool capability_of(const struct model *m, const struct func_call *c,
			  const struct model_node *n, struct func_prop_ref *ref,
			  const struct model_capdef **cd_out, const char *path,
			  struct bp_error **err)
{
	const char *name = dsl_scalar(c->argv[1]);
	const struct model_rel *r = requirement(n, name);

	ref->owner.node = r ? r->target : n;
	ref->owner.rel = NULL;
	ref->capability = r ? rel_capability(m, r) : name;
	ref->rest = 3;
	*cd_out = capdef(ref->owner.node, ref->capability);
	if (*cd_out)
		return true;
	if (r)
		return func__fail(err, c->argv[1], path, "requirement '%s' of "
				  "node '%s' leads to node '%s', which has no "
				  "capability for it", name, n->name,
				  r->target->name);
	return func__fail(err, c->argv[1], path, "node '%s' (type '%s') has no "
			  "property, requirement or capability '%s'", n->name,
			  n->type->name, name);
}

/* TOSCA's SELF in a relationship: a property or attribute of the
 * relationship. */
static bool relationship_member(const struct func_call *c,
				const struct func_entity *e, bool attribute,
				struct func_cursor *cur, const char *path,
				struct bp_error **err)
{
	const char *kind = attribute ? "attribute" : "property";
	const char *name = dsl_scalar(c->argv[1]);
	const struct model_type *t = e->rel->type;
	const struct model_prop *d = attribute ? attr_def(t, name) :
				     func__prop_def(t, name);

	if (!d)
		return func__fail(err, c->argv[1], path, "relationship '%s' of "
				  "node '%s' has no %s '%s'", t->name,
				  e->rel->source->name, kind, name);
	func__cursor_init(cur, kind, name, attribute ? NULL :
			  g_hash_table_lookup(e->rel->props, name), d);
	return true;
}

/* The capability forms [entity, req-or-cap, name, ...]: property or
 * attribute `name` of the capability argv[1] names. */
static bool capability_member(const struct model *m, const struct func_call *c,
			      const struct func_entity *e, bool attribute,
			      struct func_cursor *cur,
			      struct func_prop_ref *ref, const char *path,
			      struct bp_error **err)
{
	const char *kind = attribute ? "attribute" : "property";
	const char *name = dsl_scalar(c->argv[2]);
	const struct model_capdef *cd;
	const struct model_prop *d;
	const struct dsl_node *v = NULL;
	GHashTable *vals;

	if (!capability_of(m, c, e->node, ref, &cd, path, err))
		return false;
	if (model_is_function_call(c->argv[2])) {
		opaque(cur, ref, c, e);
		return true;
	}
	d = attribute ? attr_def(cd->type, name) :
	    func__prop_def(cd->type, name);
	if (!d)
		return func__fail(err, c->argv[2], path, "capability '%s' of "
				  "node '%s' has no %s '%s'", ref->capability,
				  ref->owner.node->name, kind,
				  name ? name : "");
	if (!attribute) {
		vals = g_hash_table_lookup(ref->owner.node->caps,
					   ref->capability);
		v = vals ? g_hash_table_lookup(vals, name) : NULL;
		if (!v)
			v = g_hash_table_lookup(cd->props, name);
		if (!v)
			v = d->default_value;
	}
	func__cursor_init(cur, kind, name, v, d);
	return true;
}

/* [entity, requirement, (index,) property, ...]: the property of the
 * requirement's relationship (the index-th of that name), as Puccini reads
 * it; when the relationship has no such property, the property of the
 * capability the requirement reaches on its target, as tosca-parser
 * reads it. */
static bool requirement_property(const struct model *m,
				 const struct func_call *c,
				 const struct func_entity *e,
				 struct func_cursor *cur,
				 struct func_prop_ref *ref, const char *path,
				 struct bp_error **err)
{
	const char *rname = dsl_scalar(c->argv[1]);
	const struct model_rel *r = requirement(e->node, rname);
	const struct model_prop *d;
	const char *name;
	uint32_t at = 2;
	int64_t index;

	if (c->argc > 3 && dsl_as_int(c->argv[2], &index)) {
		at = 3;
		r = requirement_nth(e->node, rname, index);
		if (!r)
			return func__fail(err, c->argv[2], path, "node '%s' has "
					  "no requirement '%s' number %"
					  G_GINT64_FORMAT, e->node->name, rname,
					  index);
	}
	if (model_is_function_call(c->argv[at])) {
		opaque(cur, ref, c, e);
		return true;
	}
	name = dsl_scalar(c->argv[at]);
	d = func__prop_def(r->type, name);
	if (!d && at == 2)
		return capability_member(m, c, e, false, cur, ref, path, err);
	if (!d)
		return func__fail(err, c->argv[at], path, "relationship '%s' of "
				  "node '%s' has no property '%s'",
				  r->type->name, e->node->name, name);
	ref->owner.node = NULL;
	ref->owner.rel = r;
	ref->capability = NULL;
	ref->rest = at + 1;
	func__cursor_init(cur, "property", name,
			  g_hash_table_lookup(r->props, name), d);
	return true;
}

bool func__property(const struct model *m, const struct func_call *c,
		    const struct func_entity *e, struct func_cursor *cur,
		    struct func_prop_ref *ref, const char *path,
		    struct bp_error **err)
{
	const char *name = dsl_scalar(c->argv[1]);
	const struct model_node *n = e->node;
	const struct model_prop *d;

	if (model_is_function_call(c->argv[1])) {
		opaque(cur, ref, c, e);
		return true;
	}
	ref->owner = *e;
	ref->capability = NULL;
	ref->rest = 2;
	if (e->rel)
		return relationship_member(c, e, false, cur, path, err);
	d = func__prop_def(n->type, name);
	if (d) {
		func__cursor_init(cur, "property", name,
				  g_hash_table_lookup(n->props, name), d);
		return true;
	}
	if (c->argc < 3 || !is_tosca(c))
		return func__fail(err, c->argv[1], path, "node '%s' (type '%s') "
				  "has no property '%s'", n->name,
				  n->type->name, name);
	if (requirement(n, name))
		return requirement_property(m, c, e, cur, ref, path, err);
	return capability_member(m, c, e, false, cur, ref, path, err);
}

/* A bare attribute name no node attribute has: one capability that
 * declares it (tosca-parser's examples rely on this). */
static bool attribute_in_capabilities(const struct func_call *c,
				      const struct model_node *n,
				      struct func_cursor *cur,
				      struct func_prop_ref *ref,
				      const char *path, struct bp_error **err)
{
	const char *name = dsl_scalar(c->argv[1]);
	const struct model_capdef *found = NULL;
	GHashTableIter it;
	gpointer v;

	if (n->type->caps) {
		g_hash_table_iter_init(&it, n->type->caps);
		while (g_hash_table_iter_next(&it, NULL, &v)) {
			const struct model_capdef *cd = v;
			if (!attr_def(cd->type, name))
				continue;
			if (found)
				return func__fail(err, c->argv[1], path,
						  "ambiguous attribute '%s' of "
						  "node '%s': capabilities '%s' "
						  "and '%s' both have it; name "
						  "the capability", name,
						  n->name, found->name,
						  cd->name);
			found = cd;
		}
	}
	if (!found)
		return func__fail(err, c->argv[1], path, "node '%s' (type '%s') "
				  "has no attribute '%s'", n->name,
				  n->type->name, name);
	ref->capability = found->name;
	func__cursor_init(cur, "attribute", name, NULL,
			  attr_def(found->type, name));
	return true;
}

bool func__attribute(const struct model *m, const struct func_call *c,
		     const struct func_entity *e, struct func_cursor *cur,
		     struct func_prop_ref *ref, const char *path,
		     struct bp_error **err)
{
	const char *name = dsl_scalar(c->argv[1]);
	const struct model_node *n = e->node;
	const struct model_prop *d;

	ref->owner = *e;
	ref->capability = NULL;
	ref->rest = 2;
	if (!is_tosca(c)) {
		func__cursor_init(cur, "attribute", name ? name : "?", NULL,
				  NULL);
		cur->opaque = !name;
		return true;
	}
	if (model_is_function_call(c->argv[1])) {
		opaque(cur, ref, c, e);
		return true;
	}
	if (e->rel)
		return relationship_member(c, e, true, cur, path, err);
	d = attr_def(n->type, name);
	if (d) {
		func__cursor_init(cur, "attribute", name, NULL, d);
		return true;
	}
	if (c->argc < 3 || !(requirement(n, name) || capdef(n, name)))
		return attribute_in_capabilities(c, n, cur, ref, path, err);
	return capability_member(m, c, e, true, cur, ref, path, err);
}

/* --- operations and artifacts --- */

static struct model_interface *interface(GHashTable *ifaces, const char *name)
{
	struct model_interface *i = g_hash_table_lookup(ifaces, name);
	GHashTableIter it;
	gpointer v;

	if (i)
		return i;
	g_hash_table_iter_init(&it, ifaces);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		const char *t = ((struct model_interface *)v)->type_name;
		if (t && (!strcmp(t, name) || (g_str_has_suffix(t, name) &&
		    t[strlen(t) - strlen(name) - 1] == '.')))
			return v;
	}
	return NULL;
}

const struct model_operation *func__operation(const struct func_call *c,
					      const struct func_entity *e,
					      const char *path,
					      struct bp_error **err)
{
	GHashTable *ifaces = e->rel ? e->rel->ifaces : e->node->ifaces;
	const char *owner = e->rel ? e->rel->name : e->node->name;
	const char *iname = dsl_scalar(c->argv[1]);
	const char *oname = dsl_scalar(c->argv[2]);
	const struct model_interface *i = interface(ifaces, iname);
	const struct model_operation *op;

	if (!i) {
		func__fail(err, c->argv[1], path, "%s '%s' has no interface "
			   "'%s'", e->rel ? "relationship" : "node", owner,
			   iname);
		return NULL;
	}
	op = g_hash_table_lookup(i->ops, oname);
	if (!op)
		func__fail(err, c->argv[2], path, "interface '%s' of %s '%s' "
			   "has no operation '%s'", iname, e->rel ?
			   "relationship" : "node", owner, oname);
	return op;
}

const struct dsl_node *func__artifact(const struct model_node *n,
				      const char *name,
				      const struct dsl_file **file_out)
{
	const struct dsl_node *a = dsl_map_get(n->artifacts, name);
	const struct model_type *t;

	*file_out = n->entry->file;
	for (t = n->type; !a && t && t->entry; t = t->parent) {
		a = dsl_map_get(dsl_map_get(t->entry->def, "artifacts"), name);
		*file_out = t->entry->file;
	}
	return a;
}

void func__owner_scope(struct model_scope *out, const struct model_scope *from,
		       const struct func_entity *e, const char *path,
		       const struct dsl_node *value)
{
	memset(out, 0, sizeof(*out));
	out->ctx = e->rel ? MODEL_CTX_RELATIONSHIP : MODEL_CTX_NODE;
	out->node = e->rel ? e->rel->source : e->node;
	out->rel = e->rel;
	out->side = MODEL_SIDE_NONE;
	out->inputs = from->inputs;
	out->doc = from->doc;
	out->path = path;
	out->up = from;
	out->value = value;
}
