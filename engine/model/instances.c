/* instances.c: instance counts written with functions, bound to a
 * deployment's inputs (model_bind_instances in model.h). The model keeps
 * counts it can read when it is built; `default_instances: {get_input:
 * workers}` waits here for the inputs, in a node's scalable capability
 * and in a scaling policy's properties alike. */
#include "model/model.h"
#include "model/func.h"
#include "model/value.h"

#include <limits.h>
#include <string.h>

static const char *const count_names[] = {
	"default_instances", "min_instances", "max_instances", NULL
};

/* The evaluated count `name` of `bound` into *out: true when it is a
 * count (or absent: *out unchanged); -1 and "UNBOUNDED" for a maximum. */
static bool count(const struct dsl_node *bound, const char *name,
		  unsigned *out, const char *what, struct bp_diags *d)
{
	const struct dsl_node *v = dsl_map_get(bound, name);
	int64_t x;

	if (!v)
		return true;
	if (!strcmp(name, "max_instances") &&
	    ((dsl_as_int(v, &x) && x == -1) ||
	     (dsl_str(v) && !strcmp(dsl_str(v), "UNBOUNDED")))) {
		*out = UINT_MAX;
		return true;
	}
	if (!dsl_as_int(v, &x) || x < 0 || x > INT32_MAX) {
		bp_diags_add(d, BP_ERR_INVALID, &v->mark, NULL, "expected a "
			     "non-negative integer for '%s' of %s, found %s",
			     name, what, dsl_type_name(v));
		return false;
	}
	*out = (unsigned)x;
	return true;
}

static bool has_call(const struct dsl_node *props)
{
	for (size_t k = 0; count_names[k]; k++)
		if (model_is_function_call(dsl_map_get(props, count_names[k])))
			return true;
	return false;
}

static bool check_bounds(unsigned dflt, unsigned min, unsigned max,
			 const struct dsl_node *at, const char *what,
			 struct bp_diags *d)
{
	if (dflt <= max && dflt >= min)
		return true;
	if (dsl_map_get(at, "default_instances"))
		at = dsl_map_get(at, "default_instances");
	bp_diags_add(d, BP_ERR_INVALID, &at->mark, NULL, "default_instances "
		     "(%u) of %s must be within min_instances (%u) and "
		     "max_instances (%u)", dflt, what, min, max);
	return false;
}

static const struct dsl_node *bind(const struct model *m,
				   const struct model_node *n,
				   GHashTable *inputs,
				   const struct dsl_node *props,
				   struct bp_diags *d)
{
	struct model_scope scope = { 0 };
	g_autoptr(bp_error) err = NULL;
	const struct dsl_node *out;

	scope.ctx = n ? MODEL_CTX_NODE : MODEL_CTX_POLICY;
	scope.node = n;
	scope.inputs = inputs;
	scope.doc = m->synth;
	out = model_eval_static(m, &scope, props, &err);
	if (!out)
		bp_diags_take(d, g_steal_pointer(&err));
	return out;
}

bool model_bind_instances(struct model *m, GHashTable *inputs,
			  struct bp_diags *d)
{
	bool ok = true;

	for (guint i = 0; i < m->node_order->len; i++) {
		struct model_node *n = m->node_order->pdata[i];
		g_autofree char *what = NULL;
		const struct dsl_node *b;
		unsigned c[3];

		if (!n->scalable || !has_call(n->scalable))
			continue;
		what = g_strdup_printf("node '%s'", n->name);
		if (!(b = bind(m, n, inputs, n->scalable, d))) {
			ok = false;
			continue;
		}
		c[0] = n->default_instances;
		c[1] = n->min_instances;
		c[2] = n->max_instances;
		for (size_t k = 0; count_names[k]; k++)
			ok &= count(b, count_names[k], &c[k], what, d);
		if (!check_bounds(c[0], c[1], c[2], n->scalable, what, d)) {
			ok = false;
			continue;
		}
		n->default_instances = c[0];
		n->min_instances = c[1];
		n->max_instances = c[2];
	}
	for (guint i = 0; i < m->policies->len; i++) {
		struct model_item *p = m->policies->pdata[i];
		const struct dsl_node *props = dsl_map_get(p->entry->def,
							   "properties");
		g_autofree char *what = NULL;
		unsigned c[3] = { 1, 0, UINT_MAX };

		if (!props || !has_call(props))
			continue;
		what = g_strdup_printf("policy '%s'", p->name);
		if (!(p->bound = bind(m, NULL, inputs, props, d))) {
			ok = false;
			continue;
		}
		for (size_t k = 0; count_names[k]; k++)
			ok &= count(p->bound, count_names[k], &c[k], what, d);
		ok &= check_bounds(c[0], c[1], c[2], props, what, d);
	}
	return ok;
}
