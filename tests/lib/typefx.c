/* typefx.c: hand-built data types and properties for the value-checking
 * tests (see typefx.h). */
#include "typefx.h"
#include "testlib.h"

#include <string.h>

static void type_free(struct model_type *t)
{
	g_hash_table_unref(t->props);
	g_ptr_array_unref(t->prop_order);
	g_free(t);
}

const struct dsl_node *typefx_val(struct typefx *fx, const char *text)
{
	struct bp_error *err = NULL;
	struct dsl_doc *doc = dsl_parse_string("t.yaml", text, strlen(text),
					       &err);

	if (err)
		g_error("bad test YAML '%s': %s", text, err->message);
	g_ptr_array_add(fx->docs, doc);
	return doc->root;
}

struct model_type *typefx_type(struct typefx *fx, const char *name,
			       enum model_prim prim,
			       struct model_type *parent, bool builtin)
{
	struct model_type *t = g_new0(struct model_type, 1);

	t->name = name;
	t->kind = MODEL_DATA_TYPE;
	t->parent = parent;
	t->prim = parent ? parent->prim : prim;
	t->entry = builtin ? NULL : &fx->entry;
	t->props = g_hash_table_new(g_str_hash, g_str_equal);
	t->prop_order = g_ptr_array_new();
	for (guint i = 0; parent && i < parent->prop_order->len; i++) {
		struct model_prop *p = parent->prop_order->pdata[i];
		g_ptr_array_add(t->prop_order, p);
		g_hash_table_insert(t->props, (gpointer)p->name, p);
	}
	g_ptr_array_add(fx->types, t);
	return t;
}

struct model_type *typefx_builtin(struct typefx *fx, const char *name)
{
	struct model_type *t = g_hash_table_lookup(fx->by_name, name);

	g_assert_nonnull(t);
	return t;
}

struct model_prop *typefx_prop(struct typefx *fx, const char *name,
			       struct model_type *t,
			       const char *constraints)
{
	struct model_prop *p = g_new0(struct model_prop, 1);

	p->name = name;
	p->type = t;
	p->required = true;
	p->constraints = constraints ? typefx_val(fx, constraints) : NULL;
	g_ptr_array_add(fx->props, p);
	return p;
}

struct model_prop *typefx_field(struct typefx *fx, struct model_type *owner,
				const char *name, struct model_type *t,
				const char *constraints)
{
	struct model_prop *p = typefx_prop(fx, name, t, constraints);

	g_ptr_array_add(owner->prop_order, p);
	g_hash_table_insert(owner->props, (gpointer)name, p);
	return p;
}

void typefx_setup(struct typefx *fx, gconstpointer dialect)
{
	static const struct {
		const char *name;
		enum model_prim prim;
	} builtins[] = {
		{ "string", MODEL_PRIM_STRING },
		{ "integer", MODEL_PRIM_INTEGER },
		{ "float", MODEL_PRIM_FLOAT },
		{ "boolean", MODEL_PRIM_BOOLEAN },
		{ "timestamp", MODEL_PRIM_TIMESTAMP },
		{ "version", MODEL_PRIM_VERSION },
		{ "range", MODEL_PRIM_RANGE },
		{ "list", MODEL_PRIM_LIST },
		{ "map", MODEL_PRIM_MAP },
		{ "null", MODEL_PRIM_NULL },
		{ "scalar-unit.size", MODEL_PRIM_SIZE },
		{ "scalar-unit.time", MODEL_PRIM_TIME },
		{ "scalar-unit.frequency", MODEL_PRIM_FREQUENCY },
		{ "scalar-unit.bitrate", MODEL_PRIM_BITRATE },
		{ "tosca.datatypes.json", MODEL_PRIM_JSON },
		{ "dict", MODEL_PRIM_MAP },
		{ "regex", MODEL_PRIM_STRING },
		{ "textarea", MODEL_PRIM_STRING },
		{ "deployment_id", MODEL_PRIM_STRING },
		{ "blueprint_id", MODEL_PRIM_STRING },
	};

	memset(fx, 0, sizeof(*fx));
	fx->docs = g_ptr_array_new_with_free_func((GDestroyNotify)dsl_doc_free);
	fx->types = g_ptr_array_new_with_free_func((GDestroyNotify)type_free);
	fx->props = g_ptr_array_new_with_free_func(g_free);
	fx->by_name = g_hash_table_new(g_str_hash, g_str_equal);
	bp_diags_init(&fx->d, 0);
	for (size_t i = 0; i < G_N_ELEMENTS(builtins); i++)
		g_hash_table_insert(fx->by_name, (gpointer)builtins[i].name,
				    typefx_type(fx, builtins[i].name,
						builtins[i].prim, NULL, true));
	if (dialect && strcmp(dialect, "cloudify") == 0) {
		g_autofree char *p = NULL;
		fx->dir = test_tmpdir();
		p = g_build_filename(fx->dir, "bp.yaml", NULL);
		g_assert_true(g_file_set_contents(
			p, "tosca_definitions_version: cloudify_dsl_1_5\n", -1,
			NULL));
		fx->m.svc = dsl_load(p, NULL, &fx->d);
		g_assert_nonnull(fx->m.svc);
	}
}

void typefx_teardown(struct typefx *fx, gconstpointer data)
{
	dsl_service_free(fx->m.svc);
	if (fx->dir)
		test_rmtree(fx->dir);
	g_free(fx->dir);
	bp_diags_release(&fx->d);
	g_ptr_array_unref(fx->docs);
	g_ptr_array_unref(fx->types);
	g_ptr_array_unref(fx->props);
	g_hash_table_unref(fx->by_name);
}

/* Joins the messages of the errors found, one per line. */
static char *messages(struct typefx *fx)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < fx->d.errors->len; i++) {
		struct bp_error *e = fx->d.errors->pdata[i];
		g_string_append_printf(s, "%s%s", i ? "\n" : "", e->message);
	}
	return g_string_free(s, FALSE);
}

static void reset(struct typefx *fx)
{
	bp_diags_release(&fx->d);
	bp_diags_init(&fx->d, 0);
}

char *typefx_check(struct typefx *fx, const struct model_prop *p,
		   const char *text)
{
	bool ok;

	reset(fx);
	ok = model_check_value(&fx->m, p, typefx_val(fx, text), "props.p",
			       &fx->d);
	g_assert_cmpint(ok, ==, bp_diags_count(&fx->d) == 0);
	return messages(fx);
}

char *typefx_check_defs(struct typefx *fx, const struct model_prop *p)
{
	bool ok;

	reset(fx);
	ok = model_check_constraint_defs(&fx->m, p, p->constraints,
					 "props.p.constraints", &fx->d);
	g_assert_cmpint(ok, ==, bp_diags_count(&fx->d) == 0);
	return messages(fx);
}

/* True when `got` is `want`, or starts with it when it ends with '*'
 * (for messages that quote GLib's or jansson's own). */
static bool matches(const char *got, const char *want)
{
	size_t n = strlen(want);

	if (n && want[n - 1] == '*')
		return strncmp(got, want, n - 1) == 0;
	return strcmp(got, want) == 0;
}

void typefx_run(struct typefx *fx, const struct typefx_case *cases,
		size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct typefx_case *c = &cases[i];
		struct model_prop *p = typefx_prop(
			fx, "p", c->type ? typefx_builtin(fx, c->type) : NULL,
			c->constraints);
		g_autofree char *got = c->value ? typefx_check(fx, p, c->value)
						: typefx_check_defs(fx, p);
		if (matches(got, c->error ? c->error : ""))
			continue;
		g_test_message("case %zu (%s: %s): expected \"%s\", got "
			       "\"%s\"", i, c->type ? c->type : "any",
			       c->value ? c->value : c->constraints,
			       c->error ? c->error : "", got);
		g_test_fail();
	}
}
