/* value_json.c: values as JSON (jansson), the form plugins receive them
 * in. Scalars keep the type YAML resolved them to; maps keep their order. */
#include "model/value.h"

#include <math.h>

static json_t *scalar_to_json(const struct dsl_node *v)
{
	int64_t i;
	double f;
	bool b;

	switch (v->stype) {
	case DSL_INT:
		if (dsl_as_int(v, &i))
			return json_integer((json_int_t)i);
		break;           /* beyond 64 bits: keep the text */
	case DSL_FLOAT:
		if (dsl_as_float(v, &f) && isfinite(f))
			return json_real(f);
		break;           /* .inf and .nan: JSON has no such numbers */
	case DSL_BOOL:
		if (dsl_as_bool(v, &b))
			return json_boolean(b);
		break;
	default:
		break;
	}
	return json_stringn(v->u.scalar.str, v->u.scalar.len);
}

json_t *model_value_to_json(const struct dsl_node *v)
{
	json_t *out, *item;

	if (dsl_is_null(v))
		return json_null();
	switch (v->kind) {
	case DSL_SCALAR:
		return scalar_to_json(v);
	case DSL_SEQ:
		out = json_array();
		for (uint32_t i = 0; out && i < v->u.seq.n; i++) {
			item = model_value_to_json(v->u.seq.items[i]);
			if (!item || json_array_append_new(out, item)) {
				json_decref(out);
				return NULL;
			}
		}
		return out;
	case DSL_MAP:
		out = json_object();
		for (uint32_t i = 0; out && i < v->u.map.n; i++) {
			const struct dsl_pair *p = &v->u.map.items[i];
			item = model_value_to_json(p->value);
			if (!item ||
			    json_object_set_new(out, dsl_key(p), item)) {
				json_decref(out);
				return NULL;
			}
		}
		return out;
	}
	return json_null();
}
