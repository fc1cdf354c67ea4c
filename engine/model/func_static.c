/* func_static.c: static evaluation. A value is rebuilt bottom-up: the
 * arguments of a call are evaluated first, then get_input, get_property,
 * get_nodes_of_type, get_artifact and the pure functions of static
 * arguments are replaced by their results; runtime calls stay. A value
 * taken from another node (get_property) is evaluated in that node's
 * scope, linked to the referring one, which is how reference loops are
 * told from legitimate chains. Unchanged subtrees are shared, not copied. */
#include "model/func_internal.h"

#include <string.h>

static struct dsl_node *eval(const struct model *m, const struct model_scope *s,
			     const struct dsl_node *v, struct bp_error **err);

struct dsl_doc *model_eval_doc_new(void)
{
	return dsl_doc_new("<evaluated>");
}

static struct dsl_node *null_at(const struct model_scope *s,
				const struct bp_mark *mark)
{
	return dsl_new_null(s->doc, mark);
}

/* The call with other arguments (the call itself when they are the ones
 * it was written with). */
static struct dsl_node *rebuild(const struct model_scope *s,
				const struct func_call *c,
				struct dsl_node *args)
{
	const struct dsl_pair *p = &c->node->u.map.items[0];
	struct dsl_node *call;

	if (args == p->value)
		return (struct dsl_node *)c->node;
	call = dsl_new_map(s->doc, &c->node->mark, 1);
	dsl_map_put(s->doc, call, p->key, args);
	return call;
}

static struct dsl_node *eval_map(const struct model *m,
				 const struct model_scope *s,
				 const struct dsl_node *v, struct bp_error **err)
{
	struct dsl_node **vals = g_new0(struct dsl_node *, v->u.map.n + 1);
	struct dsl_node *out = (struct dsl_node *)v;
	bool changed = false;

	for (uint32_t i = 0; i < v->u.map.n; i++) {
		vals[i] = eval(m, s, v->u.map.items[i].value, err);
		if (!vals[i]) {
			g_free(vals);
			return NULL;
		}
		changed |= vals[i] != v->u.map.items[i].value;
	}
	if (changed) {
		out = dsl_new_map(s->doc, &v->mark, v->u.map.n);
		for (uint32_t i = 0; i < v->u.map.n; i++)
			dsl_map_put(s->doc, out, v->u.map.items[i].key, vals[i]);
	}
	g_free(vals);
	return out;
}

static struct dsl_node *eval_seq(const struct model *m,
				 const struct model_scope *s,
				 const struct dsl_node *v, struct bp_error **err)
{
	struct dsl_node *out = (struct dsl_node *)v;

	for (uint32_t i = 0; i < v->u.seq.n; i++) {
		struct dsl_node *e = eval(m, s, v->u.seq.items[i], err);
		if (!e)
			return NULL;
		if (e == v->u.seq.items[i])
			continue;
		if (out == v) {
			out = dsl_new_seq(s->doc, &v->mark, v->u.seq.n);
			memcpy(out->u.seq.items, v->u.seq.items,
			       v->u.seq.n * sizeof(struct dsl_node *));
		}
		out->u.seq.items[i] = e;
	}
	return out;
}

/* --- following references --- */

static bool same_place(const struct model_scope *a, const struct model_scope *b)
{
	return a->value == b->value && a->node == b->node && a->rel == b->rel &&
	       a->ctx == b->ctx;
}

/* Reports the loop `in` closes: the places from the one it repeats down
 * to `in`, started at the least path so that the loop reads (and is
 * marked) the same wherever it is found. */
static void loop_error(const struct model_scope *in, struct bp_error **err)
{
	g_autoptr(GPtrArray) loop = g_ptr_array_new();
	GString *chain = g_string_new("reference loop: ");
	const struct model_scope *t, *first;
	guint min = 0;

	for (t = in->up; t; t = t->up) {
		g_ptr_array_insert(loop, 0, (gpointer)t);
		if (same_place(t, in))
			break;
	}
	for (guint i = 1; i < loop->len; i++) {
		const struct model_scope *a = loop->pdata[i];
		const struct model_scope *b = loop->pdata[min];
		if (g_strcmp0(a->path, b->path) < 0)
			min = i;
	}
	for (guint i = 0; i <= loop->len; i++) {
		t = loop->pdata[(min + i) % loop->len];
		g_string_append_printf(chain, "%s%s", i ? " -> " : "",
				       t->path ? t->path : "?");
	}
	first = loop->pdata[min];
	func__fail(err, first->value, first->path, "%s", chain->str);
	g_string_free(chain, TRUE);
}

/* Evaluates `value` in scope `in` (linked to the referring scope), after
 * making sure it is not already being evaluated up the chain. */
static struct dsl_node *follow(const struct model *m,
			       const struct model_scope *in,
			       const struct dsl_node *at, struct bp_error **err)
{
	const struct model_scope *t;

	if (!in->value)
		return null_at(in, &at->mark);
	for (t = in->up; t && !same_place(t, in); t = t->up)
		;
	if (!t)
		return eval(m, in, in->value, err);
	loop_error(in, err);
	return NULL;
}

/* Walks the rest of a call's arguments into an evaluated value. */
static struct dsl_node *walk_result(const struct model_scope *s,
				    const struct func_call *c,
				    struct func_cursor *cur, uint32_t from,
				    struct bp_error **err)
{
	if (!func__walk(cur, c->argv + from, c->argc - from, s->path, err))
		return NULL;
	if (cur->opaque) {
		func__fail(err, c->node, s->path, "cannot take keys from %s "
			   "'%s' before run time: its value is a runtime "
			   "function call", cur->kind, cur->name->str);
		return NULL;
	}
	if (!cur->value)
		return null_at(s, &c->node->mark);
	return func__remark(s->doc, cur->value, &c->node->mark);
}

static struct dsl_node *eval_input(const struct model *m,
				   const struct model_scope *s,
				   const struct func_call *c,
				   struct bp_error **err)
{
	const char *name = dsl_scalar(c->argv[0]);
	const struct model_prop *def = g_hash_table_lookup(m->inputs, name);
	g_autofree char *path = g_strconcat("inputs.", name, NULL);
	struct model_scope in = { .ctx = MODEL_CTX_INPUTS, .inputs = s->inputs,
				  .doc = s->doc, .path = path, .up = s };
	struct func_cursor cur;
	struct dsl_node *v, *out;

	if (!def) {
		func__fail(err, c->argv[0], s->path, "unknown input '%s' in "
			   "'get_input'", name);
		return NULL;
	}
	if (!g_hash_table_lookup_extended(s->inputs, name, NULL,
					  (gpointer *)&in.value))
		return rebuild(s, c, c->args);
	v = follow(m, &in, c->argv[0], err);
	if (!v)
		return NULL;
	func__cursor_init(&cur, "input", name, v, def);
	out = walk_result(s, c, &cur, 1, err);
	func__cursor_clear(&cur);
	return out;
}

static char *owner_path(const struct func_prop_ref *ref, const char *prop)
{
	const struct func_entity *o = &ref->owner;

	if (o->rel)
		return g_strdup_printf("node_templates.%s.requirements[%u]."
				       "relationship.properties.%s",
				       o->rel->source->name, o->rel->index,
				       prop);
	if (ref->capability)
		return g_strdup_printf("node_templates.%s.capabilities.%s."
				       "properties.%s", o->node->name,
				       ref->capability, prop);
	return g_strdup_printf("node_templates.%s.properties.%s", o->node->name,
			       prop);
}

static struct dsl_node *eval_property(const struct model *m,
				      const struct model_scope *s,
				      const struct func_call *c,
				      struct bp_error **err)
{
	struct func_entity e;
	struct func_prop_ref ref;
	struct func_cursor cur = { 0 };
	struct model_scope in;
	struct dsl_node *v, *out = NULL;
	g_autofree char *path = NULL;

	if (!func__entity(m, s, c, &e, err) ||
	    !func__property(m, c, &e, &cur, &ref, s->path, err)) {
		func__cursor_clear(&cur);
		return NULL;
	}
	path = owner_path(&ref, cur.name->str);
	func__owner_scope(&in, s, &ref.owner, path, cur.value);
	v = follow(m, &in, c->argv[1], err);
	if (v) {
		cur.value = v;
		out = walk_result(s, c, &cur, ref.rest, err);
	}
	func__cursor_clear(&cur);
	return out;
}

static struct dsl_node *eval_nodes_of_type(const struct model *m,
					   const struct model_scope *s,
					   const struct func_call *c,
					   struct bp_error **err)
{
	const char *name = dsl_scalar(c->argv[0]);
	const struct model_type *t = model_type_find(m, MODEL_NODE_TYPE, name);
	GPtrArray *found;
	struct dsl_node *out;

	if (!t) {
		func__fail(err, c->argv[0], s->path, "unknown node type '%s' "
			   "in 'get_nodes_of_type'", name);
		return NULL;
	}
	found = g_ptr_array_new();
	for (guint i = 0; i < m->node_order->len; i++) {
		const struct model_node *n = m->node_order->pdata[i];
		if (model_type_is(n->type, t))
			g_ptr_array_add(found, (gpointer)n->name);
	}
	out = dsl_new_seq(s->doc, &c->node->mark, found->len);
	for (guint i = 0; i < found->len; i++)
		out->u.seq.items[i] = dsl_new_str(s->doc, &c->node->mark,
						  found->pdata[i]);
	g_ptr_array_free(found, TRUE);
	return out;
}

/* The artifact's file, beside the file that declares it. Operations run
 * on this machine, so that is where the artifact is. */
static struct dsl_node *eval_artifact(const struct model *m,
				      const struct model_scope *s,
				      const struct func_call *c,
				      struct bp_error **err)
{
	struct func_entity e;
	const struct dsl_file *file;
	const struct dsl_node *a;
	const char *name = dsl_scalar(c->argv[1]), *f;
	g_autofree char *dir = NULL;
	g_autofree char *full = NULL;

	if (!func__entity(m, s, c, &e, err))
		return NULL;
	if (!e.node) {
		func__fail(err, c->argv[0], s->path, "relationships have no "
			   "artifacts");
		return NULL;
	}
	a = func__artifact(e.node, name, &file);
	f = dsl_str(a) ? dsl_str(a) : dsl_str(dsl_map_get(a, "file"));
	if (!f) {
		func__fail(err, c->argv[1], s->path, "node '%s' has no "
			   "artifact '%s' with a file", e.node->name, name);
		return NULL;
	}
	if (g_path_is_absolute(f) || strstr(f, "://"))
		return dsl_new_str(s->doc, &c->node->mark, f);
	dir = g_path_get_dirname(file->path);
	full = g_build_filename(dir, f, NULL);
	return dsl_new_str(s->doc, &c->node->mark, full);
}

/* A runtime call taken into another node's value: its keyword becomes the
 * node's name, so it means the same where it lands. */
static struct dsl_node *rebind(const struct model *m,
			       const struct model_scope *s, struct func_call *c,
			       struct dsl_node *args, struct bp_error **err)
{
	static const char *const keywords[] = { "SELF", "SOURCE", "TARGET",
						"HOST" };
	const char *first = dsl_str(c->argv[0]);
	struct func_entity e;
	struct dsl_node *out;
	size_t k;

	for (k = 0; first && k < G_N_ELEMENTS(keywords); k++)
		if (!strcmp(first, keywords[k]))
			break;
	if (!first || k == G_N_ELEMENTS(keywords) || !dsl_is_seq(args) ||
	    c->def->id == FUNC_GET_SECRET)
		return rebuild(s, c, args);
	if (!func__entity(m, s, c, &e, err))
		return NULL;
	if (!e.node)
		return rebuild(s, c, args);
	out = dsl_new_seq(s->doc, &args->mark, args->u.seq.n);
	memcpy(out->u.seq.items, args->u.seq.items,
	       args->u.seq.n * sizeof(struct dsl_node *));
	out->u.seq.items[0] = dsl_new_str(s->doc, &c->argv[0]->mark,
					  e.node->name);
	return rebuild(s, c, out);
}

static struct dsl_node *eval_pure(const struct model_scope *s,
				  const struct func_call *c,
				  struct bp_error **err)
{
	json_t *args = json_array(), *res;
	struct dsl_node *out;

	for (uint32_t i = 0; i < c->argc; i++)
		json_array_append_new(args, model_value_to_json(c->argv[i]));
	res = func__pure(c, args, s->path, err);
	json_decref(args);
	if (!res)
		return NULL;
	out = func__from_json(s->doc, &c->node->mark, res);
	json_decref(res);
	return out;
}

static struct dsl_node *eval_call(const struct model *m,
				  const struct model_scope *s,
				  const struct func_call *call,
				  struct bp_error **err)
{
	struct func_call c = *call;
	struct dsl_node *args;

	if (!func__check_shape(call, s->path, err))
		return NULL;
	args = eval(m, s, call->args, err);
	if (!args)
		return NULL;
	func__call_args(&c, args);
	if (c.def->kind == FUNC_RUNTIME)
		return s->up ? rebind(m, s, &c, args, err) :
		       rebuild(s, &c, args);
	if (c.def->kind == FUNC_STATIC && func__has_runtime_call(m, args)) {
		func__fail(err, call->node, s->path, "the arguments of '%s' "
			   "cannot hold a runtime function: they are evaluated "
			   "before run time", c.def->name);
		return NULL;
	}
	if (func__has_call(m, args))
		return rebuild(s, &c, args);
	switch (c.def->id) {
	case FUNC_GET_INPUT:
		return s->inputs ? eval_input(m, s, &c, err) :
		       rebuild(s, &c, args);
	case FUNC_GET_PROPERTY:
		return eval_property(m, s, &c, err);
	case FUNC_GET_NODES_OF_TYPE:
		return eval_nodes_of_type(m, s, &c, err);
	case FUNC_GET_ARTIFACT:
		return eval_artifact(m, s, &c, err);
	default:
		return eval_pure(s, &c, err);
	}
}

static struct dsl_node *eval(const struct model *m, const struct model_scope *s,
			     const struct dsl_node *v, struct bp_error **err)
{
	struct func_call c;

	if (!v)
		return null_at(s, NULL);
	if (func__call(m, v, &c))
		return eval_call(m, s, &c, err);
	if (dsl_is_map(v))
		return eval_map(m, s, v, err);
	if (dsl_is_seq(v))
		return eval_seq(m, s, v, err);
	return (struct dsl_node *)v;
}

struct dsl_node *model_eval_static(const struct model *m,
				   const struct model_scope *scope,
				   const struct dsl_node *v,
				   struct bp_error **err)
{
	struct model_scope top = *scope;

	top.value = v;
	return eval(m, &top, v, err);
}

/* --- input-dependent values --- */

struct with_inputs {
	const struct model *m;
	GHashTable *inputs;
	struct dsl_doc *doc;
	struct bp_diags *d;
};

static bool check_site(void *data, const struct func_site *site)
{
	struct with_inputs *w = data;
	struct model_scope s = site->scope;
	struct bp_error *e = NULL;
	struct dsl_node *v;

	if (!func__has_call(w->m, site->value))
		return true;
	s.inputs = w->inputs;
	s.doc = w->doc;
	v = model_eval_static(w->m, &s, site->value, &e);
	if (!v) {
		bp_diags_take(w->d, e);
		return false;
	}
	return !site->def || model_check_value(w->m, site->def, v, s.path, w->d);
}

bool model_check_with_inputs(const struct model *m, GHashTable *inputs,
			     struct bp_diags *d)
{
	struct with_inputs w = { m, inputs, model_eval_doc_new(), d };
	bool ok = func__each_value(m, FUNC_SITE_PROPERTIES, check_site, &w);

	dsl_doc_free(w.doc);
	return ok;
}
