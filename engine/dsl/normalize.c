/* normalize.c: the shapes both dialects share after loading (service.h):
 * operations and interfaces. The dialect front ends call these; the model
 * sees only the normalised form. */
#include "dsl/loader.h"

#include <string.h>

struct dsl_node *dsl__copy_map(struct dsl_loader *ld,
			       const struct dsl_node *map)
{
	struct dsl_doc *doc = ld->svc->synth;
	struct dsl_node *copy = dsl_new_map(doc, &map->mark, dsl_len(map) + 4);

	for (uint32_t i = 0; i < dsl_len(map); i++)
		dsl_map_put(doc, copy, map->u.map.items[i].key,
			    map->u.map.items[i].value);
	return copy;
}

static struct dsl_node *key_node(struct dsl_loader *ld,
				 const struct bp_mark *m, const char *name)
{
	return dsl_new_str(ld->svc->synth, m, name);
}

/* A TOSCA long-form implementation {primary, dependencies, timeout,
 * operation_host} is flattened into the operation. */
static bool flatten_implementation(struct dsl_loader *ld,
				   struct dsl_node *op,
				   const struct dsl_node *impl,
				   const char *path)
{
	static const char *const keys[] = {
		"primary", "dependencies", "timeout", "operation_host", NULL
	};
	struct dsl_doc *doc = ld->svc->synth;

	if (!dsl__check_keys(ld, impl, path, keys))
		return false;
	for (uint32_t i = 0; i < impl->u.map.n; i++) {
		const struct dsl_pair *p = &impl->u.map.items[i];
		const char *k = dsl_key(p);
		if (strcmp(k, "primary") == 0)
			k = "implementation";
		dsl_map_put(doc, op, key_node(ld, &p->key->mark, k), p->value);
	}
	if (!dsl_map_get(impl, "primary"))
		dsl_map_put(doc, op, key_node(ld, &impl->mark, "implementation"),
			    dsl_new_null(doc, &impl->mark));
	return true;
}

struct dsl_node *dsl__norm_operation(struct dsl_loader *ld,
				     struct dsl_node *op, const char *path)
{
	struct dsl_doc *doc = ld->svc->synth;
	struct dsl_node *out;
	const struct dsl_node *impl;

	if (dsl_is_null(op))
		return dsl_new_map(doc, op ? &op->mark : NULL, 0);
	if (dsl_is_scalar(op)) {
		out = dsl_new_map(doc, &op->mark, 1);
		dsl_map_put(doc, out, key_node(ld, &op->mark, "implementation"),
			    op);
		return out;
	}
	if (!dsl_is_map(op)) {
		dsl__error(ld, op, path, "expected an operation (a string or a "
			   "map) for '%s', found %s", path, dsl_type_name_a(op));
		return NULL;
	}
	impl = dsl_map_get(op, "implementation");
	if (!dsl_is_map(impl))
		return op;
	out = dsl__copy_map(ld, op);
	return flatten_implementation(ld, out, impl, path) ? out : NULL;
}

/* Keys of a TOSCA interface definition that are not operation names. */
static bool is_tosca_iface_key(const char *k)
{
	return !strcmp(k, "type") || !strcmp(k, "inputs") ||
	       !strcmp(k, "description") || !strcmp(k, "operations") ||
	       !strcmp(k, "notifications") || !strcmp(k, "derived_from") ||
	       !strcmp(k, "metadata");
}

/* Normalises every `name: operation` of `ops` into `into`. */
static bool norm_ops(struct dsl_loader *ld, struct dsl_node *into,
		     const struct dsl_node *ops, bool skip_iface_keys,
		     const char *path)
{
	bool ok = true;

	for (uint32_t i = 0; i < dsl_len(ops); i++) {
		const struct dsl_pair *p = &ops->u.map.items[i];
		g_autofree char *opath = NULL;
		struct dsl_node *op;

		if (skip_iface_keys && is_tosca_iface_key(dsl_key(p)))
			continue;
		opath = g_strconcat(path, ".", dsl_key(p), NULL);
		op = dsl__norm_operation(ld, p->value, opath);
		if (!op) {
			ok = false;
			continue;
		}
		dsl_map_put(ld->svc->synth, into, p->key, op);
	}
	return ok;
}

static struct dsl_node *norm_interface(struct dsl_loader *ld,
				       const struct dsl_node *iface,
				       enum dsl_dialect dialect,
				       const char *path)
{
	struct dsl_doc *doc = ld->svc->synth;
	struct dsl_node *out = dsl_new_map(doc, &iface->mark, 4);
	struct dsl_node *ops = dsl_new_map(doc, &iface->mark, dsl_len(iface));
	bool ok = true;

	if (dialect == DSL_DIALECT_CLOUDIFY) {
		ok = norm_ops(ld, ops, iface, false, path);
	} else {
		static const char *const copied[] = {
			"type", "inputs", "description", "derived_from",
			"metadata", NULL
		};
		for (size_t k = 0; copied[k]; k++) {
			const struct dsl_pair *p = dsl_map_pair(iface, copied[k]);
			if (p)
				dsl_map_put(doc, out, p->key, p->value);
		}
		ok = norm_ops(ld, ops, iface, true, path);
		if (dsl_map_get(iface, "operations")) {
			const struct dsl_node *o = dsl_map_get(iface, "operations");
			ok &= dsl__expect_map(ld, o, path, true) &&
			      norm_ops(ld, ops, o, false, path);
		}
		if (dsl_map_get(iface, "notifications")) {
			const struct dsl_pair *np =
				dsl_map_pair(iface, "notifications");
			struct dsl_node *n = dsl_new_map(doc, &np->value->mark,
							 dsl_len(np->value));
			ok &= dsl__expect_map(ld, np->value, path, true) &&
			      norm_ops(ld, n, np->value, false, path);
			dsl_map_put(doc, out, np->key, n);
		}
	}
	dsl_map_put(doc, out, key_node(ld, &iface->mark, "operations"), ops);
	return ok ? out : NULL;
}

struct dsl_node *dsl__norm_interfaces(struct dsl_loader *ld,
				      struct dsl_node *ifaces,
				      enum dsl_dialect dialect,
				      const char *path)
{
	struct dsl_doc *doc = ld->svc->synth;
	struct dsl_node *out;
	bool ok = true;

	if (dsl_is_null(ifaces))
		return dsl_new_map(doc, ifaces ? &ifaces->mark : NULL, 0);
	if (!dsl__expect_map(ld, ifaces, path, false))
		return NULL;
	out = dsl_new_map(doc, &ifaces->mark, dsl_len(ifaces));
	for (uint32_t i = 0; i < ifaces->u.map.n; i++) {
		const struct dsl_pair *p = &ifaces->u.map.items[i];
		g_autofree char *ipath = g_strconcat(path, ".", dsl_key(p), NULL);
		struct dsl_node *iface;

		if (dsl_is_null(p->value)) {
			iface = norm_interface(ld, dsl_new_map(doc, &p->key->mark,
							       0),
					       dialect, ipath);
		} else if (!dsl__expect_map(ld, p->value, ipath, false)) {
			ok = false;
			continue;
		} else {
			iface = norm_interface(ld, p->value, dialect, ipath);
		}
		if (!iface) {
			ok = false;
			continue;
		}
		dsl_map_put(doc, out, p->key, iface);
	}
	return ok ? out : NULL;
}

/* relationship: STRING -> {type: STRING}; a map keeps its keys with its
 * `interfaces` normalised. */
static struct dsl_node *norm_req_relationship(struct dsl_loader *ld,
					      struct dsl_node *rel,
					      const char *path)
{
	struct dsl_doc *doc = ld->svc->synth;
	struct dsl_node *out;
	const struct dsl_pair *ifp;

	if (dsl_is_scalar(rel)) {
		out = dsl_new_map(doc, &rel->mark, 1);
		dsl_map_put(doc, out, key_node(ld, &rel->mark, "type"), rel);
		return out;
	}
	if (!dsl__expect_map(ld, rel, path, false))
		return NULL;
	out = dsl__copy_map(ld, rel);
	ifp = dsl_map_pair(rel, "interfaces");
	if (ifp) {
		struct dsl_node *ifs = dsl__norm_interfaces(ld, ifp->value,
							    DSL_DIALECT_TOSCA,
							    path);
		if (!ifs)
			return NULL;
		dsl_map_put(doc, out, ifp->key, ifs);
	}
	return out;
}

/* One `- name: value` of a TOSCA requirements list. */
static struct dsl_node *norm_requirement(struct dsl_loader *ld,
					 const struct dsl_node *item,
					 bool is_template, const char *path)
{
	struct dsl_doc *doc = ld->svc->synth;
	const struct dsl_pair *p;
	struct dsl_node *out;
	const struct dsl_pair *rel;

	if (!dsl_is_map(item) || item->u.map.n != 1) {
		dsl__error(ld, item, path, "expected a requirement as a map "
			   "with one key (its name), found %s%s",
			   dsl_type_name_a(item), dsl_is_map(item) ?
			   " with several keys" : "");
		return NULL;
	}
	p = &item->u.map.items[0];
	if (dsl_is_map(p->value)) {
		out = dsl__copy_map(ld, p->value);
	} else {
		out = dsl_new_map(doc, &p->key->mark, 2);
		if (dsl_is_scalar(p->value))
			dsl_map_put(doc, out, key_node(ld, &p->value->mark,
						       is_template ? "node" :
						       "capability"), p->value);
		else if (!dsl_is_null(p->value)) {
			dsl__error(ld, p->value, path, "expected a string or a "
				   "map for requirement '%s', found %s",
				   dsl_key(p), dsl_type_name_a(p->value));
			return NULL;
		}
	}
	dsl_map_put(doc, out, key_node(ld, &p->key->mark, "name"), p->key);
	rel = dsl_map_pair(out, "relationship");
	if (rel) {
		struct dsl_node *r = norm_req_relationship(ld, rel->value, path);
		if (!r)
			return NULL;
		dsl_map_put(doc, out, rel->key, r);
	}
	return out;
}

struct dsl_node *dsl__norm_requirements(struct dsl_loader *ld,
					const struct dsl_node *reqs,
					bool is_template, const char *path)
{
	struct dsl_doc *doc = ld->svc->synth;
	struct dsl_node *out;
	bool ok = true;

	if (dsl_is_null(reqs))
		return dsl_new_seq(doc, reqs ? &reqs->mark : NULL, 0);
	if (!dsl_is_seq(reqs)) {
		dsl__error(ld, reqs, path, "expected a list for '%s', found a "
			   "%s", path, dsl_type_name(reqs));
		return NULL;
	}
	out = dsl_new_seq(doc, &reqs->mark, reqs->u.seq.n);
	for (uint32_t i = 0; i < reqs->u.seq.n; i++) {
		out->u.seq.items[i] = norm_requirement(ld, reqs->u.seq.items[i],
						       is_template, path);
		ok &= out->u.seq.items[i] != NULL;
	}
	return ok ? out : NULL;
}

struct dsl_node *dsl__norm_definition(struct dsl_loader *ld,
				      struct dsl_node *def,
				      enum dsl_dialect dialect,
				      bool is_template, const char *path)
{
	static const char *const iface_keys[] = {
		"interfaces", "source_interfaces", "target_interfaces", NULL
	};
	struct dsl_doc *doc = ld->svc->synth;
	struct dsl_node *out;
	const struct dsl_pair *rp;
	bool ok = true;

	if (dsl_is_null(def))
		return dsl_new_map(doc, def ? &def->mark : NULL, 0);
	if (!dsl__expect_map(ld, def, path, false))
		return NULL;
	out = dsl__copy_map(ld, def);
	for (size_t k = 0; iface_keys[k]; k++) {
		const struct dsl_pair *p = dsl_map_pair(def, iface_keys[k]);
		g_autofree char *ipath = NULL;
		struct dsl_node *n;

		if (!p)
			continue;
		ipath = g_strconcat(path, ".", iface_keys[k], NULL);
		n = dsl__norm_interfaces(ld, p->value, dialect, ipath);
		if (!n) {
			ok = false;
			continue;
		}
		dsl_map_put(doc, out, p->key, n);
	}
	rp = dsl_map_pair(def, "requirements");
	if (rp && dialect == DSL_DIALECT_TOSCA) {
		g_autofree char *rpath = g_strconcat(path, ".requirements", NULL);
		struct dsl_node *n = dsl__norm_requirements(ld, rp->value,
							    is_template, rpath);
		if (n)
			dsl_map_put(doc, out, rp->key, n);
		ok &= n != NULL;
	}
	return ok ? out : NULL;
}

void dsl__add_definitions(struct dsl_loader *ld, enum dsl_section sec,
			  const struct dsl_node *map,
			  const struct dsl_file *file,
			  enum dsl_dialect dialect, bool is_template)
{
	const char *what = dsl_section_name(sec);

	if (!map || !dsl__expect_map(ld, map, what, true))
		return;
	for (uint32_t i = 0; i < dsl_len(map); i++) {
		const struct dsl_pair *p = &map->u.map.items[i];
		g_autofree char *path = g_strconcat(what, ".", dsl_key(p), NULL);
		struct dsl_node *def = dsl__norm_definition(ld, p->value,
							    dialect,
							    is_template, path);
		if (def)
			dsl__add_entry(ld, sec, dsl_key(p), p->key, def, file);
	}
}
