/* func_check.c: the model_build() step that checks every function call
 * written in a blueprint, nested ones included, where it is written: its
 * arguments' shape, then what it refers to (input, node template,
 * property, attribute, capability, operation, artifact, type) and the
 * nested keys into those. A runtime call may not hide inside the
 * arguments of a static one. When all calls are sound, every value is
 * evaluated once without inputs, which finds reference loops and keys
 * that lead nowhere through other nodes' values. The same problem met
 * through a value many nodes share (a type's default) is reported once. */
#include "model/func_internal.h"

#include <string.h>

struct checker {
	struct model_builder *b;
	GHashTable *seen;               /* "file:line:col message", owned */
	struct dsl_doc *doc;            /* for the dry evaluation */
};

static bool report(struct checker *ck, struct bp_error *e)
{
	char *key = g_strdup_printf("%s:%u:%u %s", e->mark.file ? e->mark.file :
				    "", e->mark.line, e->mark.col, e->message);

	if (g_hash_table_contains(ck->seen, key)) {
		g_free(key);
		bp_error_free(e);
		return false;
	}
	g_hash_table_add(ck->seen, key);
	bp_diags_take(ck->b->diags, e);
	return false;
}

static bool unknown_input(const struct model *m, const struct func_call *c,
			  const char *name, const char *path,
			  struct bp_error **err)
{
	GString *known = g_string_new(NULL);
	bool ok;

	for (guint i = 0; i < m->input_order->len; i++)
		g_string_append_printf(known, "%s'%s'", i ? ", " : "",
				       ((struct model_prop *)
					m->input_order->pdata[i])->name);
	ok = func__fail(err, c->argv[0], path, "unknown input '%s' in "
			"'get_input'; %s%s", name, known->len ?
			"declared inputs: " : "no inputs are declared",
			known->str);
	g_string_free(known, TRUE);
	return ok;
}

static bool check_input(const struct model *m, const struct func_call *c,
			const char *path, struct bp_error **err)
{
	const char *name = dsl_scalar(c->argv[0]);
	const struct model_prop *def;
	struct func_cursor cur;
	bool ok;

	if (model_is_function_call(c->argv[0]))
		return true;
	def = g_hash_table_lookup(m->inputs, name);
	if (!def)
		return unknown_input(m, c, name, path, err);
	/* the value comes with the deployment: judge keys by the type */
	func__cursor_init(&cur, "input", name, NULL, def);
	ok = func__walk(&cur, c->argv + 1, c->argc - 1, path, err);
	func__cursor_clear(&cur);
	return ok;
}

static bool check_property(const struct model *m, const struct model_scope *s,
			   const struct func_call *c, bool attribute,
			   struct bp_error **err)
{
	struct func_entity e;
	struct func_prop_ref ref;
	struct func_cursor cur = { 0 };
	bool ok;

	if (model_is_function_call(c->argv[0]))
		return true;
	if (!func__entity(m, s, c, &e, err))
		return false;
	if (c->def->id == FUNC_GET_ATTRIBUTES_DICT)
		return true;
	ok = attribute ? func__attribute(m, c, &e, &cur, &ref, s->path, err) :
	     func__property(m, c, &e, &cur, &ref, s->path, err);
	ok = ok && func__walk(&cur, c->argv + ref.rest, c->argc - ref.rest,
			      s->path, err);
	func__cursor_clear(&cur);
	return ok;
}

static bool check_refs(const struct model *m, const struct model_scope *s,
		       const struct func_call *c, struct bp_error **err)
{
	struct func_entity e;
	const struct dsl_file *file;
	const char *name;

	switch (c->def->id) {
	case FUNC_GET_INPUT:
		return check_input(m, c, s->path, err);
	case FUNC_GET_PROPERTY:
		return check_property(m, s, c, false, err);
	case FUNC_GET_ATTRIBUTE:
	case FUNC_GET_ATTRIBUTES_LIST:
	case FUNC_GET_ATTRIBUTES_DICT:
		return check_property(m, s, c, true, err);
	case FUNC_GET_OPERATION_OUTPUT:
		if (func__has_call(m, c->args))
			return true;
		return func__entity(m, s, c, &e, err) &&
		       func__operation(c, &e, s->path, err);
	case FUNC_GET_NODES_OF_TYPE:
		name = dsl_str(c->argv[0]);
		if (!name || model_type_find(m, MODEL_NODE_TYPE, name))
			return true;
		return func__fail(err, c->argv[0], s->path, "unknown node type "
				  "'%s' in 'get_nodes_of_type'", name);
	case FUNC_GET_ARTIFACT:
		if (func__has_call(m, c->args))
			return true;
		if (!func__entity(m, s, c, &e, err))
			return false;
		if (!e.node)
			return func__fail(err, c->argv[0], s->path,
					  "relationships have no artifacts");
		name = dsl_scalar(c->argv[1]);
		if (func__artifact(e.node, name, &file))
			return true;
		return func__fail(err, c->argv[1], s->path, "node '%s' (type "
				  "'%s') has no artifact '%s'", e.node->name,
				  e.node->type->name, name);
	default:
		return true;
	}
}

static bool check_value(struct checker *ck, const struct model_scope *at,
			const struct dsl_node *v, GString *path,
			const char *in_static);

static bool check_call(struct checker *ck, const struct model_scope *at,
		       const struct func_call *c, GString *path,
		       const char *in_static)
{
	const struct model *m = ck->b->m;
	struct model_scope s = *at;
	struct bp_error *e = NULL;
	gsize len = path->len;
	bool ok;

	s.path = path->str;
	if (in_static && c->def->kind == FUNC_RUNTIME) {
		func__fail(&e, c->node, s.path, "'%s' cannot be used in the "
			   "arguments of '%s': those are evaluated before run "
			   "time", c->def->name, in_static);
		return report(ck, e);
	}
	if (!func__check_shape(c, s.path, &e))
		return report(ck, e);
	ok = check_refs(m, &s, c, &e) || report(ck, e);
	/* the arguments' path goes through the function's key */
	g_string_append_c(path, '.');
	g_string_append(path, c->def->name);
	ok &= check_value(ck, at, c->args, path, c->def->kind == FUNC_STATIC ?
			  c->def->name : in_static);
	g_string_truncate(path, len);
	return ok;
}

static bool check_value(struct checker *ck, const struct model_scope *at,
			const struct dsl_node *v, GString *path,
			const char *in_static)
{
	struct func_call c;
	gsize len = path->len;
	bool ok = true;

	if (func__call(ck->b->m, v, &c))
		return check_call(ck, at, &c, path, in_static);
	if (!func__has_call(ck->b->m, v))
		return true;
	if (dsl_is_map(v)) {
		for (uint32_t i = 0; i < v->u.map.n; i++) {
			g_string_append_c(path, '.');
			g_string_append(path, dsl_key(&v->u.map.items[i]));
			ok &= check_value(ck, at, v->u.map.items[i].value, path,
					  in_static);
			g_string_truncate(path, len);
		}
	} else if (dsl_is_seq(v)) {
		for (uint32_t i = 0; i < v->u.seq.n; i++) {
			g_string_append_printf(path, "[%u]", i);
			ok &= check_value(ck, at, v->u.seq.items[i], path,
					  in_static);
			g_string_truncate(path, len);
		}
	}
	return ok;
}

static bool check_site(void *data, const struct func_site *site)
{
	struct checker *ck = data;
	GString *path = g_string_new(site->scope.path);
	bool ok = check_value(ck, &site->scope, site->value, path, NULL);

	g_string_free(path, TRUE);
	return ok;
}

/* Evaluates a value as far as it can be without inputs: reference loops
 * and keys that lead nowhere through other nodes' values show up. */
static bool dry_run(void *data, const struct func_site *site)
{
	struct checker *ck = data;
	struct model_scope s = site->scope;
	struct bp_error *e = NULL;

	if (!func__has_call(ck->b->m, site->value))
		return true;
	s.doc = ck->doc;
	return model_eval_static(ck->b->m, &s, site->value, &e) ||
	       report(ck, e);
}

bool model__check_functions(struct model_builder *b)
{
	struct checker ck = { b, g_hash_table_new_full(g_str_hash, g_str_equal,
						       g_free, NULL), NULL };
	bool ok = func__each_value(b->m, FUNC_SITE_ALL, check_site, &ck);

	if (ok) {
		ck.doc = model_eval_doc_new();
		ok = func__each_value(b->m, FUNC_SITE_ALL, dry_run, &ck);
		dsl_doc_free(ck.doc);
	}
	g_hash_table_unref(ck.seen);
	return ok;
}
