/* ops.c: where a lifecycle point's operation is found (wf-int.h):
 * Cloudify's lifecycle interfaces first, then TOSCA's Standard and
 * Configure, which map onto the same points. Only operations with an
 * implementation count: the base types declare every operation empty. */
#include "workflow/wf-int.h"

#include <string.h>

#define CFY_LIFECYCLE "cloudify.interfaces.lifecycle"
#define CFY_REL_LIFECYCLE "cloudify.interfaces.relationship_lifecycle"
#define TOSCA_STANDARD "tosca.interfaces.node.lifecycle.Standard"
#define TOSCA_CONFIGURE "tosca.interfaces.relationship.Configure"

/* Cloudify's name of each node point and TOSCA's (NULL: none). */
static const char *const node_ops[WF_POINT_LAST][2] = {
	[WF_PRECREATE]  = { "precreate", NULL },
	[WF_CREATE]     = { "create", "create" },
	[WF_CONFIGURE]  = { "configure", "configure" },
	[WF_START]      = { "start", "start" },
	[WF_POSTSTART]  = { "poststart", NULL },
	[WF_PRESTOP]    = { "prestop", NULL },
	[WF_STOP]       = { "stop", "stop" },
	[WF_DELETE]     = { "delete", "delete" },
	[WF_POSTDELETE] = { "postdelete", NULL },
};

/* Cloudify's name of each relationship point, and TOSCA's per side. */
static const char *const rel_ops[WF_REL_POINT_LAST][3] = {
	[WF_PRECONFIGURE]  = { "preconfigure", "pre_configure_source",
			       "pre_configure_target" },
	[WF_POSTCONFIGURE] = { "postconfigure", "post_configure_source",
			       "post_configure_target" },
	[WF_ESTABLISH]     = { "establish", "add_target", "add_source" },
	[WF_UNLINK]        = { "unlink", "remove_target", "remove_source" },
};

static bool implemented(const struct model_interface *i, const char *op,
			struct wf_opref *out)
{
	const struct model_operation *mop = i && op ?
		g_hash_table_lookup(i->ops, op) : NULL;

	if (!mop || !mop->implementation)
		return false;
	out->iface = i->name;
	out->op = mop->name;
	out->mop = mop;
	return true;
}

/* The TOSCA interface of a normative type in `ifaces`: by its short name,
 * its type name, or an interface whose type derives from it. */
static const struct model_interface *tosca_iface(const struct model *m,
						 GHashTable *ifaces,
						 const char *short_name,
						 const char *type_name)
{
	const struct model_interface *i;
	GHashTableIter it;
	gpointer v;

	if (!ifaces)
		return NULL;
	i = g_hash_table_lookup(ifaces, short_name);
	if (i || (i = g_hash_table_lookup(ifaces, type_name)))
		return i;
	g_hash_table_iter_init(&it, ifaces);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		const struct model_interface *x = v;
		const struct model_type *t = x->type_name ? model_type_find(
			m, MODEL_INTERFACE_TYPE, x->type_name) : NULL;
		if (t && model_type_is_named(t, type_name))
			return x;
	}
	return NULL;
}

bool wf__node_op(const struct model *m, const struct model_node *n,
		 enum wf_point pt, struct wf_opref *out)
{
	return implemented(g_hash_table_lookup(n->ifaces, CFY_LIFECYCLE),
			   node_ops[pt][0], out) ||
	       implemented(tosca_iface(m, n->ifaces, "Standard",
				       TOSCA_STANDARD), node_ops[pt][1], out);
}

bool wf__rel_op(const struct model *m, const struct model_rel *r,
		enum wf_side side, enum wf_rel_point pt, struct wf_opref *out)
{
	GHashTable *cfy = side == WF_SOURCE ? r->source_ifaces :
					      r->target_ifaces;

	return (cfy && implemented(g_hash_table_lookup(cfy, CFY_REL_LIFECYCLE),
				   rel_ops[pt][0], out)) ||
	       implemented(tosca_iface(m, r->ifaces, "Configure",
				       TOSCA_CONFIGURE),
			   rel_ops[pt][side == WF_SOURCE ? 1 : 2], out);
}

static bool declares(const struct model_interface *i, const char *op)
{
	return i && g_hash_table_contains(i->ops, op);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

unsigned wf__find_op(const struct model_node *n, const char *iface,
		     const char *op, struct wf_opref *out, bool *declared)
{
	const struct model_interface *life = g_hash_table_lookup(
		n->ifaces, iface ? iface : CFY_LIFECYCLE);
	g_autofree gpointer *names = NULL;
	struct wf_opref other;
	unsigned found = 0;
	guint len;

	if (declared)
		*declared = declares(life, op);
	if (implemented(life, op, out))
		return 1;
	if (iface)
		return 0;
	names = g_hash_table_get_keys_as_array(n->ifaces, &len);
	qsort(names, len, sizeof(gpointer), by_name);
	for (guint k = 0; k < len; k++) {
		const struct model_interface *i = g_hash_table_lookup(
			n->ifaces, names[k]);
		if (declared)
			*declared = *declared || declares(i, op);
		if (implemented(i, op, found ? &other : out))
			found++;
	}
	return found;
}
