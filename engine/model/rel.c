/* rel.c: requirements fulfilled into relationships. A requirement names a
 * node template, or a node type or capability type that exactly one other
 * template provides and its node filter admits (TOSCA requirement
 * fulfilment; a filtered requirement nothing here meets is left to the
 * orchestrator); its relationship type
 * comes from the requirement, a relationship template, or the node type's
 * requirement definition. Relationship properties are assigned like node
 * properties, interfaces merged like node interfaces. */
#include "model/internal.h"

#include <stdio.h>
#include <string.h>

static const char *const contained_types[] = {
	"cloudify.relationships.contained_in", "tosca.relationships.HostedOn",
	NULL
};

/* TOSCA's relationships that order the install; the others derive from
 * tosca.relationships.Root with no ordering (TOSCA defines the workflow
 * weaving for these only). */
static const char *const tosca_ordering_types[] = {
	"tosca.relationships.DependsOn", "tosca.relationships.HostedOn",
	"tosca.relationships.ConnectsTo", "tosca.relationships.AttachesTo",
	NULL
};

static bool is_named_any(const struct model_type *t,
			 const char *const *names)
{
	for (size_t i = 0; names[i]; i++)
		if (model_type_is_named(t, names[i]))
			return true;
	return false;
}

static bool is_contained(const struct model_type *t)
{
	return is_named_any(t, contained_types);
}

static bool orders_install(const struct model_type *t)
{
	return !model_type_is_named(t, "tosca.relationships.Root") ||
	       is_named_any(t, tosca_ordering_types);
}

static const struct model_reqdef *reqdef_find(const struct model_type *t,
					      const char *name)
{
	for (guint i = 0; t->reqs && i < t->reqs->len; i++) {
		const struct model_reqdef *d = t->reqs->pdata[i];
		if (!g_strcmp0(d->name, name))
			return d;
	}
	return NULL;
}

const struct model_capdef *model__node_cap(const struct model *m,
					   const struct model_node *target,
					   const char *cap)
{
	struct model_type *ct;
	GHashTableIter it;
	gpointer v;

	if (!cap || !target->type->caps)
		return NULL;
	v = g_hash_table_lookup(target->type->caps, cap);
	if (v)
		return v;
	ct = model_type_find(m, MODEL_CAPABILITY_TYPE, cap);
	if (!ct)
		return NULL;
	g_hash_table_iter_init(&it, target->type->caps);
	while (g_hash_table_iter_next(&it, NULL, &v))
		if (model_type_is(((struct model_capdef *)v)->type, ct))
			return v;
	return NULL;
}

/* Templates other than `self` that fit a node type and/or capability and
 * meet the node filter `nf` (or NULL). */
static GPtrArray *candidates(struct model *m, const struct model_node *self,
			     const char *node_type, const char *cap,
			     const struct dsl_node *nf)
{
	struct model_type *nt = model_type_find(m, MODEL_NODE_TYPE, node_type);
	GPtrArray *out = g_ptr_array_new();

	for (guint i = 0; i < m->node_order->len; i++) {
		struct model_node *n = m->node_order->pdata[i];
		if (n == self)
			continue;
		if (node_type && (!nt || !model_type_is(n->type, nt)))
			continue;
		if (cap && !model__node_cap(m, n, cap))
			continue;
		if (nf && !model__node_filter_match(m, n, nf))
			continue;
		g_ptr_array_add(out, n);
	}
	return out;
}

/* The node a requirement names or the one template that fulfils it. NULL
 * with *dangling set for a requirement with a node filter that no
 * template meets: the orchestrator selects that node from outside the
 * blueprint (TOSCA's abstract requirement), so there is no relationship
 * here. NULL after reporting otherwise. */
static struct model_node *find_target(struct model_builder *b,
				      struct model_node *n,
				      const struct dsl_node *req,
				      const struct model_reqdef *d,
				      bool *dangling, const char *path)
{
	const struct dsl_node *node = dsl_map_get(req, "node");
	const struct dsl_node *nf = dsl_map_get(req, "node_filter");
	const char *name = dsl_str(dsl_map_get(req, "name"));
	const char *cap = dsl_str(dsl_map_get(req, "capability"));
	const char *ntype;
	struct model_node *t;
	g_autoptr(GPtrArray) c = NULL;

	*dangling = false;
	if (node && !dsl_str(node)) {
		model__error(b, node, path, "expected a node template or type "
			     "name for 'node' of requirement '%s'", name);
		return NULL;
	}
	if (nf) {
		g_autofree char *what = g_strdup_printf(
			"the node filter of requirement '%s'", name);
		if (!model__check_node_filter(b, nf, what, path))
			return NULL;
	}
	t = model_node_find(b->m, dsl_str(node));
	if (t)
		return t;
	ntype = dsl_str(node) ? dsl_str(node) : d ? d->node : NULL;
	if (dsl_str(node) && !model_type_find(b->m, MODEL_NODE_TYPE, ntype)) {
		model__error(b, node, path, "requirement '%s' of node '%s' "
			     "names '%s', which is neither a node template nor "
			     "a node type", name, n->name, ntype);
		return NULL;
	}
	if (!cap && d)
		cap = d->capability;
	c = candidates(b->m, n, ntype, cap, dsl_is_map(nf) ? nf : NULL);
	if (c->len == 1)
		return c->pdata[0];
	if (c->len == 0 && dsl_is_map(nf)) {
		*dangling = true;
		return NULL;
	}
	model__error(b, req, path, "%s requirement '%s' of node '%s': %s "
		     "node template provides %s%s%s%s", c->len ? "ambiguous" :
		     "unfulfilled", name, n->name, c->len ? "more than one" :
		     "no", ntype ? "type '" : "", ntype ? ntype : "",
		     ntype ? "'" : "", cap ? (ntype ? " with the capability" :
					      "the capability") : "");
	return NULL;
}

/* relationship: {type: X}: X may name a relationship template. */
static bool rel_type(struct model_builder *b, struct model_rel *r,
		     const struct dsl_node *rdef,
		     const struct model_reqdef *d,
		     const struct dsl_node **tmpl_out, const char *path)
{
	const struct dsl_node *tn = dsl_map_get(rdef, "type");
	const char *name = dsl_str(tn) ? dsl_str(tn) : d ? d->relationship : NULL;
	const struct dsl_entry *tmpl = dsl_service_get(
		b->m->svc, DSL_SEC_RELATIONSHIP_TEMPLATES, name);

	*tmpl_out = NULL;
	if (tmpl) {
		*tmpl_out = tmpl->def;
		name = dsl_str(dsl_map_get(tmpl->def, "type"));
	}
	if (!name)
		name = r->name && !strcmp(r->name, "host") ?
		       "tosca.relationships.HostedOn" :
		       "tosca.relationships.DependsOn";
	r->type = model_type_find(b->m, MODEL_RELATIONSHIP_TYPE, name);
	if (!r->type)
		return model__error_at(b, tn ? &tn->mark : &r->mark, path,
				       "unknown relationship type '%s' of "
				       "requirement '%s' of node '%s'", name,
				       r->name, r->source->name);
	return true;
}

static bool connection(struct model_builder *b, struct model_rel *r,
		       const char *path)
{
	const struct dsl_node *ct = g_hash_table_lookup(r->props,
							"connection_type");
	const char *s = dsl_str(ct);

	r->connection = MODEL_ALL_TO_ALL;
	if (!ct)
		return true;
	if (!s)
		return model__error(b, ct, path, "expected a string for "
				    "'connection_type', found %s",
				    dsl_type_name_a(ct));
	if (!strcmp(s, "all_to_all"))
		return true;
	if (!strcmp(s, "all_to_one")) {
		r->connection = MODEL_ALL_TO_ONE;
		return true;
	}
	return model__error(b, ct, path, "unknown connection_type '%s'; "
			    "expected one of 'all_to_all', 'all_to_one'", s);
}

/* depends_on_lifecycle_operation waits for one operation of the target,
 * which must exist there. */
static bool lifecycle_operation(struct model_builder *b,
				const struct model_rel *r, const char *path)
{
	const struct dsl_node *opn = g_hash_table_lookup(r->props, "operation");
	const struct model_operation *op;

	if (!model_type_is_named(r->type,
				 "cloudify.relationships.depends_on_lifecycle_operation"))
		return true;
	if (!dsl_str(opn))
		return model__error_at(b, &r->mark, path, "expected the "
				       "'operation' property (a string) of "
				       "relationship '%s'", r->type->name);
	op = model_node_operation(r->target, NULL, dsl_str(opn));
	if (!op || !op->implementation)
		return model__error(b, opn, path, "define operation '%s' on "
				    "the target node '%s' for the relationship "
				    "'%s' of node '%s'", dsl_str(opn),
				    r->target->name, r->type->name,
				    r->source->name);
	return true;
}

/* A node has one host. TOSCA lets a second HostedOn name the same host;
 * Cloudify allows one contained_in relationship only. */
static bool set_host(struct model_builder *b, struct model_node *n,
		     const struct model_rel *r, const struct dsl_node *req,
		     const char *path)
{
	const struct model_rel *first = NULL;

	if (!n->host) {
		n->host = r->target;
		return true;
	}
	for (guint i = 0; !first && i < n->rels->len; i++)
		if (((const struct model_rel *)n->rels->pdata[i])->contained)
			first = n->rels->pdata[i];
	if (n->host != r->target)
		return model__error(b, req, path, "node '%s' is contained in "
				    "more than one host ('%s', at %s:%u:%u, and "
				    "'%s')", n->name, n->host->name,
				    first->mark.file, first->mark.line,
				    first->mark.col, r->target->name);
	if (n->entry->file->features & DSL_FEAT_ONE_CONTAINER)
		return model__error(b, req, path, "node '%s' has more than one "
				    "containment relationship (a second '%s' "
				    "to '%s'; the first is at %s:%u:%u); a node "
				    "has at most one", n->name, r->type->name,
				    r->target->name, first->mark.file,
				    first->mark.line, first->mark.col);
	return true;
}

static bool build_rel(struct model_builder *b, struct model_node *n,
		      const struct dsl_node *req, unsigned index)
{
	struct model *m = b->m;
	struct model_rel *r = model__new(m, struct model_rel);
	const struct dsl_node *rdef = dsl_map_get(req, "relationship");
	const struct dsl_node *tmpl;
	char num[16];
	g_autofree char *path = NULL;
	g_autofree char *owner = NULL;
	const struct model_reqdef *d;
	const struct model_capdef *cap;
	bool dangling;
	bool ok = true;

	snprintf(num, sizeof(num), "[%u]", index);
	path = g_strconcat("node_templates.", n->name, ".requirements", num,
			   NULL);
	r->name = dsl_str(dsl_map_get(req, "name"));
	r->source = n;
	r->index = index;
	r->mark = req->mark;
	d = reqdef_find(n->type, r->name);
	r->target = find_target(b, n, req, d, &dangling, path);
	if (!r->target)
		return dangling;
	if (r->target == n)
		return model__error(b, req, path, "node '%s' has a "
				    "relationship to itself", n->name);
	if (!rel_type(b, r, rdef, d, &tmpl, path))
		return false;
	cap = model__node_cap(m, r->target, dsl_str(dsl_map_get(req, "capability")));
	r->capability = cap ? cap->name : NULL;
	r->contained = is_contained(r->type);
	r->orders = r->contained || orders_install(r->type);
	r->props = model__table(m);
	owner = g_strconcat("relationship '", r->type->name, "' of node '",
			    n->name, "'", NULL);
	if (tmpl)
		ok &= model__assign(b, r->props, r->type->props, NULL,
				    dsl_map_get(tmpl, "properties"), NULL,
				    false, "property", owner, path);
	ok &= model__assign(b, r->props, r->type->props, r->type->prop_order,
			    dsl_map_get(rdef, "properties"), req, true,
			    "property", owner, path);
	r->ifaces = model__ifaces_merge(b, r->type->ifaces,
					dsl_map_get(rdef, "interfaces"), true,
					path);
	r->source_ifaces = model__ifaces_merge(b, r->type->source_ifaces,
					       dsl_map_get(rdef, "source_interfaces"),
					       true, path);
	r->target_ifaces = model__ifaces_merge(b, r->type->target_ifaces,
					       dsl_map_get(rdef, "target_interfaces"),
					       true, path);
	if (!r->ifaces || !r->source_ifaces || !r->target_ifaces)
		return false;
	ok &= connection(b, r, path) && lifecycle_operation(b, r, path);
	if (r->contained)
		ok &= set_host(b, n, r, req, path);
	g_ptr_array_add(n->rels, r);
	return ok;
}

bool model__build_rels(struct model_builder *b, struct model_node *n)
{
	const struct dsl_node *reqs = dsl_map_get(n->entry->def, "requirements");
	bool ok = true;

	for (uint32_t i = 0; i < dsl_len(reqs); i++)
		ok &= build_rel(b, n, reqs->u.seq.items[i], i);
	return ok;
}
