/* value.c: checking a value against a property definition: its primitive
 * or data type, the entries and keys of lists and maps, the properties of
 * complex data types (recursively), then the constraints (constraint.c).
 *
 * The walk reports every problem it finds, each at the offending node with
 * the property path in the message ('a.b.c.d', 'contacts[1].phone') and the
 * YAML path in the error, and goes on with the siblings. Function calls
 * are left for after evaluation. The few dialect differences are described
 * in value.h.
 */
#include "model/value_internal.h"

#include <inttypes.h>
#include <string.h>

/* Every intrinsic function of both dialects: a one-key map with one of
 * these keys is a call, not a value. */
static const char *const function_names[] = {
	"get_input", "get_property", "get_attribute", "get_attributes_list",
	"get_attributes_dict", "get_operation_output", "get_secret",
	"get_capability", "get_sys", "get_label",
	"get_environment_capability", "get_group_capability", "concat",
	"join", "token", "merge", "string_find", "string_replace",
	"string_lower", "string_upper", "get_nodes_of_type", "get_artifact",
};

#define PORTSPEC "tosca.datatypes.network.PortSpec"
#define TEXT_MAX 80

const char *model_function_name(const struct dsl_node *v)
{
	const char *key;

	if (!dsl_is_map(v) || v->u.map.n != 1)
		return NULL;
	key = dsl_key(&v->u.map.items[0]);
	for (size_t i = 0; i < G_N_ELEMENTS(function_names); i++)
		if (strcmp(key, function_names[i]) == 0)
			return function_names[i];
	return NULL;
}

void model__vctx_init(struct model__vctx *c, const struct model *m,
		      struct bp_diags *d)
{
	const char *version = NULL;

	if (m && m->svc && m->svc->files->len)
		version = dsl_service_main(m->svc)->version;
	c->m = m;
	c->d = d;
	c->cfy = version && g_str_has_prefix(version, "cloudify_dsl");
}

bool model__type_named(const struct model_type *t, const char *name)
{
	for (; t; t = t->parent)
		if (t->name && strcmp(t->name, name) == 0)
			return true;
	return false;
}

/* Cloudify's `regex` type: a string that must compile. */
static bool is_cfy_regex(const struct model__vctx *c,
			 const struct model_type *t)
{
	return c->cfy && model__type_named(t, "regex");
}

enum model_prim model__prim_of(const struct model__vctx *c,
			       const struct model_type *t)
{
	if (!t)
		return MODEL_PRIM_ANY;
	if (c->cfy && t->prim == MODEL_PRIM_STRING && !is_cfy_regex(c, t))
		return MODEL_PRIM_ANY;
	return t->prim;
}

const char *model__prim_desc(enum model_prim p)
{
	static const char *const desc[MODEL_PRIM_LAST] = {
		[MODEL_PRIM_COMPLEX] = "a map", [MODEL_PRIM_ANY] = "any value",
		[MODEL_PRIM_STRING] = "a string",
		[MODEL_PRIM_INTEGER] = "an integer",
		[MODEL_PRIM_FLOAT] = "a float",
		[MODEL_PRIM_BOOLEAN] = "a boolean",
		[MODEL_PRIM_TIMESTAMP] = "a timestamp",
		[MODEL_PRIM_VERSION] = "a version",
		[MODEL_PRIM_RANGE] = "a range", [MODEL_PRIM_LIST] = "a list",
		[MODEL_PRIM_MAP] = "a map", [MODEL_PRIM_NULL] = "null",
		[MODEL_PRIM_SIZE] = "a scalar-unit.size",
		[MODEL_PRIM_TIME] = "a scalar-unit.time",
		[MODEL_PRIM_FREQUENCY] = "a scalar-unit.frequency",
		[MODEL_PRIM_BITRATE] = "a scalar-unit.bitrate",
		[MODEL_PRIM_JSON] = "JSON",
	};

	return p < MODEL_PRIM_LAST && desc[p] ? desc[p] : "a value";
}

/* --- rendering values for messages --- */

static void render(GString *s, const struct dsl_node *v)
{
	if (s->len > TEXT_MAX)
		return;
	if (dsl_is_null(v)) {
		g_string_append(s, "null");
		return;
	}
	switch (v->kind) {
	case DSL_SCALAR:
		if (v->stype == DSL_STR)
			g_string_append_printf(s, "'%s'", v->u.scalar.str);
		else
			g_string_append(s, v->u.scalar.str);
		return;
	case DSL_SEQ:
		g_string_append_c(s, '[');
		for (uint32_t i = 0; i < v->u.seq.n && s->len <= TEXT_MAX; i++) {
			if (i)
				g_string_append(s, ", ");
			render(s, v->u.seq.items[i]);
		}
		g_string_append_c(s, ']');
		return;
	case DSL_MAP:
		g_string_append_c(s, '{');
		for (uint32_t i = 0; i < v->u.map.n && s->len <= TEXT_MAX; i++) {
			if (i)
				g_string_append(s, ", ");
			g_string_append_printf(s, "%s: ",
					       dsl_key(&v->u.map.items[i]));
			render(s, v->u.map.items[i].value);
		}
		g_string_append_c(s, '}');
		return;
	}
}

char *model__value_text(const struct dsl_node *v)
{
	GString *s = g_string_new(NULL);

	render(s, v);
	if (s->len > TEXT_MAX) {
		const char *end = s->str + TEXT_MAX - 3;
		/* cut on a UTF-8 character boundary */
		while (end > s->str && (*end & 0xC0) == 0x80)
			end--;
		g_string_truncate(s, (gsize)(end - s->str));
		g_string_append(s, "...");
	}
	return g_string_free(s, FALSE);
}

/* "null", "a map", "a string ('two')", "an integer (5)". */
static char *found_desc(const struct dsl_node *v)
{
	g_autofree char *text = NULL;
	const char *name = dsl_type_name(v);

	if (!dsl_is_scalar(v))
		return g_strdup_printf("%s%s", dsl_is_null(v) ? "" :
				       "a ", name);
	text = model__value_text(v);
	return g_strdup_printf("%s %s (%s)", name[0] == 'i' ? "an" : "a",
			       name, text);
}

static char *mismatch(const struct model__vctx *c, const struct model_type *t,
		      const struct dsl_node *v, const char *what)
{
	g_autofree char *found = found_desc(v);
	g_autofree char *named = t && t->entry ?
		g_strdup_printf(" of type '%s'", t->name) : g_strdup("");

	return g_strdup_printf("expected %s%s for %s, found %s",
			       model__prim_desc(model__prim_of(c, t)), named,
			       what, found);
}

/* --- primitive kinds --- */

/* The bounds of a TOSCA range [min, max] (max may be UNBOUNDED). */
static bool range_bounds(const struct dsl_node *v, int64_t *lo, int64_t *hi)
{
	const struct dsl_node *b;

	if (!dsl_is_seq(v) || v->u.seq.n != 2 ||
	    !dsl_as_int(v->u.seq.items[0], lo))
		return false;
	b = v->u.seq.items[1];
	if (dsl_is_str(b) && strcmp(dsl_str(b), "UNBOUNDED") == 0)
		*hi = INT64_MAX;
	else if (!dsl_as_int(b, hi))
		return false;
	return *lo <= *hi;
}

static char *scalar_unit_problem(const struct model__vctx *c,
				 const struct model_type *t,
				 const struct dsl_node *v, const char *what)
{
	enum model_prim p = t->prim;
	const char *text = dsl_scalar(v), *unit;

	if (!text || v->stype == DSL_BOOL)
		return mismatch(c, t, v, what);
	if (model_scalar_unit_parse(p, text, NULL, &unit))
		return NULL;
	if (!unit)
		return g_strdup_printf("invalid %s '%s' for %s: expected a "
				       "number and a unit, one of %s",
				       model__prim_desc(p) + 2, text, what,
				       model_scalar_unit_names(p));
	if (!*unit)
		return g_strdup_printf("missing unit in '%s' for %s: expected "
				       "%s with a unit, one of %s", text, what,
				       model__prim_desc(p),
				       model_scalar_unit_names(p));
	return g_strdup_printf("unknown unit '%s' in '%s' for %s: expected "
			       "one of %s", unit, text, what,
			       model_scalar_unit_names(p));
}

static char *json_problem(const struct dsl_node *v, const char *what)
{
	json_error_t e;
	json_t *j;

	if (!dsl_is_str(v))
		return NULL;       /* maps, lists, numbers... are JSON values */
	j = json_loads(dsl_str(v), JSON_DECODE_ANY, &e);
	if (j) {
		json_decref(j);
		return NULL;
	}
	return g_strdup_printf("invalid JSON text for %s: %s at line %d, "
			       "column %d", what, e.text, e.line, e.column);
}

static char *regex_problem(const struct dsl_node *v, const char *what)
{
	g_autoptr(GError) ge = NULL;
	g_autoptr(GRegex) re = g_regex_new(dsl_str(v), 0, 0, &ge);

	if (re)
		return NULL;
	return g_strdup_printf("invalid regular expression '%s' for %s: %s",
			       dsl_str(v), what, ge->message);
}

char *model__prim_problem(const struct model__vctx *c,
			  const struct model_type *t,
			  const struct dsl_node *v, const char *what)
{
	g_autofree char *text = NULL;
	int64_t lo, hi;

	switch (model__prim_of(c, t)) {
	case MODEL_PRIM_ANY:
		return NULL;
	case MODEL_PRIM_NULL:
		return dsl_is_null(v) ? NULL : mismatch(c, t, v, what);
	case MODEL_PRIM_STRING:
		if (!dsl_is_str(v))
			return mismatch(c, t, v, what);
		return is_cfy_regex(c, t) ? regex_problem(v, what) : NULL;
	case MODEL_PRIM_INTEGER:
		if (!dsl_is_scalar(v) || v->stype != DSL_INT)
			return mismatch(c, t, v, what);
		if (!dsl_as_int(v, &lo))
			return g_strdup_printf("integer %s for %s is out of the "
					       "64-bit range", dsl_scalar(v),
					       what);
		return NULL;
	case MODEL_PRIM_FLOAT:
		return dsl_is_scalar(v) && (v->stype == DSL_INT ||
					    v->stype == DSL_FLOAT) ?
			NULL : mismatch(c, t, v, what);
	case MODEL_PRIM_BOOLEAN:
		return dsl_is_scalar(v) && v->stype == DSL_BOOL ?
			NULL : mismatch(c, t, v, what);
	case MODEL_PRIM_TIMESTAMP:
		if (!dsl_is_str(v))
			return mismatch(c, t, v, what);
		if (model_timestamp_parse(dsl_str(v), NULL))
			return NULL;
		return g_strdup_printf("invalid timestamp '%s' for %s: "
				       "expected a date or a date and time "
				       "such as 2001-12-14T21:59:43.10-05:00",
				       dsl_str(v), what);
	case MODEL_PRIM_VERSION: {
		struct model_version ver;
		if (!dsl_is_scalar(v) || v->stype == DSL_BOOL)
			return mismatch(c, t, v, what);
		if (model_version_parse(dsl_scalar(v), &ver))
			return NULL;
		return g_strdup_printf("invalid version '%s' for %s: expected "
				       "major.minor[.fix[.qualifier[-build]]]",
				       dsl_scalar(v), what);
	}
	case MODEL_PRIM_RANGE:
		if (!dsl_is_seq(v))
			return mismatch(c, t, v, what);
		if (range_bounds(v, &lo, &hi))
			return NULL;
		text = model__value_text(v);
		return g_strdup_printf("invalid range %s for %s: expected "
				       "[min, max], integers with min <= max "
				       "(max may be UNBOUNDED)", text, what);
	case MODEL_PRIM_LIST:
		return dsl_is_seq(v) ? NULL : mismatch(c, t, v, what);
	case MODEL_PRIM_MAP:
	case MODEL_PRIM_COMPLEX:
		return dsl_is_map(v) ? NULL : mismatch(c, t, v, what);
	case MODEL_PRIM_SIZE:
	case MODEL_PRIM_TIME:
	case MODEL_PRIM_FREQUENCY:
	case MODEL_PRIM_BITRATE:
		return scalar_unit_problem(c, t, v, what);
	case MODEL_PRIM_JSON:
		return json_problem(v, what);
	case MODEL_PRIM_LAST:
		break;
	}
	return NULL;
}

/* --- the walk --- */

static bool check(struct model__vctx *c, const struct model_prop *prop,
		  const struct dsl_node *v, const char *subject,
		  const char *path, bool top);

static char *child_key(const char *base, const char *key)
{
	return base && *base ? g_strconcat(base, ".", key, NULL)
			     : g_strdup(key);
}

static char *child_index(const char *base, uint32_t i)
{
	return g_strdup_printf("%s[%" PRIu32 "]", base ? base : "", i);
}

static const struct bp_mark *mark_of(const struct dsl_node *v)
{
	return v ? &v->mark : NULL;
}

/* The entry schema of a list or map: the property's own, else the one its
 * data type (or an ancestor) declares. */
static const struct model_prop *entry_schema_of(const struct model_prop *p)
{
	if (p->entry_schema)
		return p->entry_schema;
	for (const struct model_type *t = p->type; t; t = t->parent)
		if (t->entry_schema)
			return t->entry_schema;
	return NULL;
}

static bool check_list(struct model__vctx *c, const struct model_prop *prop,
		       const struct dsl_node *v, const char *subject,
		       const char *path)
{
	const struct model_prop *es = entry_schema_of(prop);
	bool ok = true;

	for (uint32_t i = 0; es && i < v->u.seq.n; i++) {
		g_autofree char *sub = child_index(subject, i);
		g_autofree char *p = path ? child_index(path, i) : NULL;
		ok &= check(c, es, v->u.seq.items[i], sub, p, false);
	}
	return ok;
}

static bool check_map(struct model__vctx *c, const struct model_prop *prop,
		      const struct dsl_node *v, const char *subject,
		      const char *path)
{
	const struct model_prop *es = entry_schema_of(prop);
	const struct model_prop *ks = prop->key_schema;
	bool ok = true;

	for (uint32_t i = 0; (es || ks) && i < v->u.map.n; i++) {
		const struct dsl_pair *pair = &v->u.map.items[i];
		g_autofree char *sub = child_key(subject, dsl_key(pair));
		g_autofree char *p = path ? child_key(path, dsl_key(pair))
					  : NULL;
		if (ks)
			ok &= check(c, ks, pair->key, sub, p, false);
		if (es)
			ok &= check(c, es, pair->value, sub, p, false);
	}
	return ok;
}

/* "'a', 'b', 'c'": the property names of a data type. */
static char *prop_names(const struct model_type *t)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; t->prop_order && i < t->prop_order->len; i++) {
		const struct model_prop *p = t->prop_order->pdata[i];
		g_string_append_printf(s, "%s'%s'", i ? ", " : "", p->name);
	}
	return g_string_free(s, FALSE);
}

static bool unknown_property(struct model__vctx *c,
			     const struct model_type *t,
			     const struct dsl_pair *pair, const char *sub,
			     const char *path)
{
	g_autofree char *names = prop_names(t);

	return bp_diags_add(c->d, BP_ERR_INVALID, &pair->key->mark, path,
			    "unknown property '%s' of data type '%s': "
			    "expected %s%s", sub, t->name,
			    *names ? "one of " : "no properties", names);
}

static bool check_complex(struct model__vctx *c, const struct model_type *t,
			  const struct dsl_node *v, const char *subject,
			  const char *path)
{
	bool ok = true;

	for (uint32_t i = 0; i < v->u.map.n; i++) {
		const struct dsl_pair *pair = &v->u.map.items[i];
		const struct model_prop *p = t->props ?
			g_hash_table_lookup(t->props, dsl_key(pair)) : NULL;
		g_autofree char *sub = child_key(subject, dsl_key(pair));
		g_autofree char *ypath = path ? child_key(path, dsl_key(pair))
					      : NULL;
		if (p)
			ok &= check(c, p, pair->value, sub, ypath,
				    false);
		else
			ok = unknown_property(c, t, pair, sub, ypath);
	}
	for (guint i = 0; t->prop_order && i < t->prop_order->len; i++) {
		const struct model_prop *p = t->prop_order->pdata[i];
		g_autofree char *sub = NULL;
		if (!p->required || p->default_value ||
		    dsl_map_pair(v, p->name))
			continue;
		sub = child_key(subject, p->name);
		ok = bp_diags_add(c->d, BP_ERR_INVALID, &v->mark, path,
				  "missing required property '%s' of data "
				  "type '%s'", sub, t->name);
	}
	return ok;
}

static bool port_out_of_range(struct model__vctx *c,
			      const struct dsl_node *port, int64_t n,
			      const struct dsl_node *range, const char *side,
			      const char *subject, const char *path)
{
	g_autofree char *sub = child_key(subject, side);
	g_autofree char *p = path ? child_key(path, side) : NULL;
	g_autofree char *rtext = model__value_text(range);

	return bp_diags_add(c->d, BP_ERR_INVALID, &port->mark, p,
			    "value %" PRId64 " of '%s' is out of range %s",
			    n, sub, rtext);
}

/* TOSCA's additional requirements on a PortSpec: at least one of its four
 * properties, and each port within its range when both are given. */
static bool check_portspec(struct model__vctx *c, const struct dsl_node *v,
			   const char *subject, const char *path)
{
	static const char *const sides[][2] = {
		{ "source", "source_range" }, { "target", "target_range" },
	};
	bool ok = true, any = false;

	for (size_t i = 0; i < G_N_ELEMENTS(sides); i++) {
		const struct dsl_node *port = dsl_map_get(v, sides[i][0]);
		const struct dsl_node *range = dsl_map_get(v, sides[i][1]);
		int64_t n, lo, hi;
		any |= port || range;
		if (dsl_as_int(port, &n) && range_bounds(range, &lo, &hi) &&
		    (n < lo || n > hi))
			ok = port_out_of_range(c, port, n, range, sides[i][0],
					       subject, path);
	}
	if (!any)
		ok = bp_diags_add(c->d, BP_ERR_INVALID, &v->mark, path,
				  "'%s' needs at least one of 'source', "
				  "'source_range', 'target' or 'target_range' "
				  "(a " PORTSPEC ")", subject);
	return ok;
}

/* Null stands for "no value": fine where not required, and for the types
 * whose values include null. */
static bool null_ok(const struct model__vctx *c, const struct model_prop *p)
{
	enum model_prim prim = model__prim_of(c, p->type);

	return !p->required || prim == MODEL_PRIM_ANY ||
	       prim == MODEL_PRIM_NULL || prim == MODEL_PRIM_JSON;
}

/* tosca-parser, the reference for TOSCA, takes the text of any scalar
 * written for a string property (it does str(value)) and, Python's
 * booleans being integers, a boolean for an integer; blueprints rely on
 * both, so the top level of a TOSCA value accepts them too. Inside lists,
 * maps and data types the types are strict, as they are there. */
static bool tosca_lenient(const struct model__vctx *c,
			  const struct model_type *t, const struct dsl_node *v)
{
	enum model_prim p = model__prim_of(c, t);

	if (c->cfy || !dsl_is_scalar(v))
		return false;
	return p == MODEL_PRIM_STRING ||
	       (p == MODEL_PRIM_INTEGER && v->stype == DSL_BOOL);
}

static bool check(struct model__vctx *c, const struct model_prop *prop,
		  const struct dsl_node *v, const char *subject,
		  const char *path, bool top)
{
	const struct model_type *t = prop->type;
	g_autofree char *what = NULL, *problem = NULL;
	bool ok = true;

	if (model_is_function_call(v))
		return true;
	if (dsl_is_null(v) && null_ok(c, prop))
		return true;
	what = g_strdup_printf("'%s'", subject);
	if (!top || !tosca_lenient(c, t, v))
		problem = model__prim_problem(c, t, v, what);
	if (problem)
		return bp_diags_add(c->d, BP_ERR_INVALID, mark_of(v), path,
				    "%s", problem);
	switch (model__prim_of(c, t)) {
	case MODEL_PRIM_LIST:
		ok = check_list(c, prop, v, subject, path);
		break;
	case MODEL_PRIM_MAP:
		ok = check_map(c, prop, v, subject, path);
		break;
	case MODEL_PRIM_COMPLEX:
		ok = check_complex(c, t, v, subject, path);
		if (model__type_named(t, PORTSPEC))
			ok &= check_portspec(c, v, subject, path);
		break;
	default:
		break;
	}
	return model__check_constraints(c, prop, v, subject, path) && ok;
}

bool model_check_value(const struct model *m, const struct model_prop *prop,
		       const struct dsl_node *v, const char *path,
		       struct bp_diags *d)
{
	struct model__vctx c;
	const char *subject = prop->name;

	model__vctx_init(&c, m, d);
	if (!subject && path) {
		const char *dot = strrchr(path, '.');
		subject = dot ? dot + 1 : path;
	}
	return check(&c, prop, v, subject ? subject : "value", path, true);
}
