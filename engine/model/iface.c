/* iface.c: interfaces and operations, merged down the type chain and then
 * with a template's overrides. An operation defined again keeps what it
 * does not redefine (implementation, inputs, retry settings); an interface
 * with a TOSCA interface type declares that type's operations, and a
 * template may not add operations the type does not declare. */
#include "model/internal.h"

#include <math.h>
#include <string.h>

static const char *const iface_type_keys[] = {
	"derived_from", "description", "inputs", "operations",
	"notifications", "metadata", "version", NULL
};

static bool is_reserved(const char *k)
{
	for (size_t i = 0; iface_type_keys[i]; i++)
		if (strcmp(iface_type_keys[i], k) == 0)
			return true;
	return false;
}

GHashTable *model__iface_type_ops(struct model_builder *b,
				  const char *type_name)
{
	struct model_type *t = model_type_find(b->m, MODEL_INTERFACE_TYPE,
					       type_name);
	GHashTable *ops;

	if (!t)
		return NULL;
	ops = model__table(b->m);
	for (; t && t->entry; t = t->parent) {
		const struct dsl_node *def = t->entry->def;
		const struct dsl_node *o = dsl_map_get(def, "operations");
		const struct dsl_node *n = dsl_map_get(def, "notifications");
		for (uint32_t i = 0; i < dsl_len(def); i++)
			if (!is_reserved(dsl_key(&def->u.map.items[i])))
				g_hash_table_add(ops, (gpointer)dsl_key(
							 &def->u.map.items[i]));
		for (uint32_t i = 0; i < dsl_len(o); i++)
			g_hash_table_add(ops, (gpointer)dsl_key(&o->u.map.items[i]));
		for (uint32_t i = 0; i < dsl_len(n); i++)
			g_hash_table_add(ops, (gpointer)dsl_key(&n->u.map.items[i]));
	}
	return ops;
}

static struct model_operation *op_copy(struct model *m,
				       const struct model_operation *src,
				       const char *name)
{
	struct model_operation *op = model__new(m, struct model_operation);

	if (src) {
		*op = *src;
	} else {
		op->name = name;
		op->max_retries = -1;
		op->retry_interval = -1;
		op->timeout = -1;
	}
	op->input_defs = model__table(m);
	op->inputs = model__table(m);
	if (src) {
		GHashTableIter it;
		gpointer k, v;
		g_hash_table_iter_init(&it, src->input_defs);
		while (g_hash_table_iter_next(&it, &k, &v))
			g_hash_table_insert(op->input_defs, k, v);
		g_hash_table_iter_init(&it, src->inputs);
		while (g_hash_table_iter_next(&it, &k, &v))
			g_hash_table_insert(op->inputs, k, v);
	}
	return op;
}

static bool int_field(struct model_builder *b, const struct dsl_node *op,
		      const char *key, int *out, const char *path)
{
	const struct dsl_node *n = dsl_map_get(op, key);
	int64_t v;

	if (!n || dsl_is_null(n))
		return true;
	if (!dsl_as_int(n, &v) || v < -1 || v > INT32_MAX)
		return model__error(b, n, path, "expected a whole number for "
				    "'%s', found %s", key, dsl_type_name_a(n));
	*out = (int)v;
	return true;
}

/* A number of seconds, whole or not (Cloudify takes both), at least 0;
 * -1 keeps meaning "not set". */
static bool seconds_field(struct model_builder *b, const struct dsl_node *op,
			  const char *key, double *out, const char *path)
{
	const struct dsl_node *n = dsl_map_get(op, key);
	double v;

	if (!n || dsl_is_null(n))
		return true;
	if (!dsl_as_float(n, &v) || !isfinite(v))
		return model__error(b, n, path, "expected a number of seconds "
				    "for '%s', found a %s", key,
				    dsl_type_name(n));
	if (v < 0 && v != -1)
		return model__error(b, n, path, "expected a number of seconds "
				    "for '%s', found %g", key, v);
	*out = v;
	return true;
}

/* Inputs of an operation or interface: values in templates; in types a
 * map that looks like a definition is one. */
static bool add_inputs(struct model_builder *b, struct model_operation *op,
		       const struct dsl_node *inputs, bool in_template,
		       const char *path)
{
	bool ok = true;

	if (dsl_is_null(inputs))
		return true;
	if (!dsl_is_map(inputs))
		return model__error(b, inputs, path, "expected a map for "
				    "'inputs', found %s",
				    dsl_type_name_a(inputs));
	for (uint32_t i = 0; i < inputs->u.map.n; i++) {
		const struct dsl_pair *p = &inputs->u.map.items[i];
		if (!in_template && model__looks_like_def(p->value)) {
			g_autofree char *ipath = g_strconcat(path, ".inputs.",
							     dsl_key(p), NULL);
			struct model_prop *d = model__prop_new(b, dsl_key(p),
							       p->key, p->value,
							       ipath);
			if (!d) {
				ok = false;
				continue;
			}
			g_hash_table_insert(op->input_defs, (gpointer)d->name, d);
			g_hash_table_remove(op->inputs, d->name);
		} else {
			g_hash_table_insert(op->inputs, (gpointer)dsl_key(p),
					    p->value);
		}
	}
	return ok;
}

static bool op_merge(struct model_builder *b, struct model_operation *op,
		     const struct dsl_node *def, bool in_template,
		     const char *path)
{
	const struct dsl_pair *impl = dsl_map_pair(def, "implementation");
	const struct dsl_node *ex = dsl_map_get(def, "executor");
	const struct dsl_node *tr = dsl_map_get(def, "timeout_recoverable");
	bool ok = true;

	op->def = def;
	op->mark = def->mark;
	if (impl && dsl_is_map(impl->value)) {
		/* TOSCA 1.3 inline artifact {file, type}: plugin/ref.c runs
		 * it; the file stands for it where a string is wanted. */
		op->implementation = dsl_str(dsl_map_get(impl->value, "file"));
		if (!op->implementation || !*op->implementation)
			return model__error(b, impl->value, path, "expected "
					    "a 'file' in the inline artifact "
					    "of operation '%s'", op->name);
		op->impl_node = impl->value;
	} else if (impl) {
		if (!dsl_is_null(impl->value) && !dsl_scalar(impl->value))
			return model__error(b, impl->value, path, "expected a "
					    "string for 'implementation' of "
					    "operation '%s', found %s",
					    op->name,
					    dsl_type_name_a(impl->value));
		op->implementation = dsl_scalar(impl->value);
		if (op->implementation && !*op->implementation)
			op->implementation = NULL;
		op->impl_node = impl->value;
	}
	if (dsl_str(ex))
		op->executor = dsl_str(ex);
	if (tr && !dsl_as_bool(tr, &op->timeout_recoverable))
		ok = model__error(b, tr, path, "expected a boolean for "
				  "'timeout_recoverable', found %s",
				  dsl_type_name_a(tr));
	ok &= int_field(b, def, "max_retries", &op->max_retries, path);
	ok &= seconds_field(b, def, "retry_interval", &op->retry_interval,
			    path);
	ok &= seconds_field(b, def, "timeout", &op->timeout, path);
	ok &= add_inputs(b, op, dsl_map_get(def, "inputs"), in_template, path);
	return ok;
}

static struct model_interface *iface_copy(struct model *m,
					  const struct model_interface *src,
					  const char *name)
{
	struct model_interface *i = model__new(m, struct model_interface);

	i->name = src ? src->name : name;
	i->type_name = src ? src->type_name : NULL;
	i->has_inputs = src && src->has_inputs;
	i->ops = model__table(m);
	i->op_order = model__array(m);
	if (src) {
		for (guint k = 0; k < src->op_order->len; k++) {
			struct model_operation *o = src->op_order->pdata[k];
			g_hash_table_insert(i->ops, (gpointer)o->name, o);
			g_ptr_array_add(i->op_order, o);
		}
	}
	return i;
}

static void iface_put_op(struct model_interface *i, struct model_operation *o)
{
	struct model_operation *old = g_hash_table_lookup(i->ops, o->name);

	if (old) {
		for (guint k = 0; k < i->op_order->len; k++)
			if (i->op_order->pdata[k] == old)
				i->op_order->pdata[k] = o;
	} else {
		g_ptr_array_add(i->op_order, o);
	}
	g_hash_table_insert(i->ops, (gpointer)o->name, o);
}

static bool merge_iface(struct model_builder *b, struct model_interface *i,
			const struct dsl_node *src, bool in_template,
			const char *path)
{
	const struct dsl_node *type = dsl_map_get(src, "type");
	const struct dsl_node *ops = dsl_map_get(src, "operations");
	const struct dsl_node *inputs = dsl_map_get(src, "inputs");
	GHashTable *declared = NULL;
	bool ok = true;

	if (dsl_str(type))
		i->type_name = dsl_str(type);
	if (i->type_name) {
		declared = model__iface_type_ops(b, i->type_name);
		if (!declared && type)
			return model__error(b, type, path, "unknown interface "
					    "type '%s'", i->type_name);
	}
	if (declared) {
		GHashTableIter it;
		gpointer k;
		g_hash_table_iter_init(&it, declared);
		while (g_hash_table_iter_next(&it, &k, NULL))
			if (!g_hash_table_lookup(i->ops, k))
				iface_put_op(i, op_copy(b->m, NULL, k));
	}
	for (uint32_t n = 0; n < dsl_len(ops); n++) {
		const struct dsl_pair *p = &ops->u.map.items[n];
		g_autofree char *opath = g_strconcat(path, ".", i->name, ".",
						     dsl_key(p), NULL);
		struct model_operation *op;

		/* a template may define the operations its node type's
		 * interface declares (the interface type's, and any the node
		 * type added), not new ones */
		if (in_template && declared &&
		    !g_hash_table_contains(i->ops, dsl_key(p))) {
			ok = model__error(b, p->key, opath, "unknown operation "
					  "'%s' in interface '%s' (of type "
					  "'%s')", dsl_key(p), i->name,
					  i->type_name);
			continue;
		}
		op = op_copy(b->m, g_hash_table_lookup(i->ops, dsl_key(p)),
			     dsl_key(p));
		op->name = dsl_key(p);
		if (!op_merge(b, op, p->value, in_template, opath)) {
			ok = false;
			continue;
		}
		iface_put_op(i, op);
	}
	/* interface-level inputs reach every operation of the interface */
	for (guint n = 0; inputs && n < i->op_order->len; n++) {
		struct model_operation *op = op_copy(b->m, i->op_order->pdata[n],
						     NULL);
		ok &= add_inputs(b, op, inputs, in_template, path);
		iface_put_op(i, op);
	}
	i->has_inputs = false;
	for (guint n = 0; n < i->op_order->len; n++) {
		const struct model_operation *op = i->op_order->pdata[n];
		i->has_inputs |= g_hash_table_size(op->inputs) ||
				 g_hash_table_size(op->input_defs);
	}
	return ok;
}

GHashTable *model__ifaces_merge(struct model_builder *b, GHashTable *base,
				const struct dsl_node *src, bool in_template,
				const char *path)
{
	GHashTable *out;
	GHashTableIter it;
	gpointer k, v;
	bool ok = true;

	/* nothing to merge: share the base (tables are read-only once
	 * built), so that templates that override nothing cost nothing */
	if (!dsl_len(src))
		return base ? base : model__empty(b);
	out = model__table(b->m);
	if (base) {
		g_hash_table_iter_init(&it, base);
		while (g_hash_table_iter_next(&it, &k, &v))
			g_hash_table_insert(out, k, v);
	}
	for (uint32_t n = 0; n < dsl_len(src); n++) {
		const struct dsl_pair *p = &src->u.map.items[n];
		struct model_interface *i = iface_copy(b->m,
			g_hash_table_lookup(out, dsl_key(p)), dsl_key(p));
		ok &= merge_iface(b, i, p->value, in_template, path);
		g_hash_table_insert(out, (gpointer)i->name, i);
	}
	return ok ? out : NULL;
}
