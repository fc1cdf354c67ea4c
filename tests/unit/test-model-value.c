/* test-model-value.c: checking values against types, data types and
 * constraints (model/value.h), with types built by hand: every primitive
 * valid and invalid, both dialects, lists and maps with entry_schema and
 * key_schema, nested data types with the full path in messages, required
 * and unknown properties, each constraint passing and failing, and
 * constraint definitions. */
#include "model/value.h"
#include "testlib.h"

#include <string.h>

struct fx {
	struct model m;               /* only m.svc is used */
	GPtrArray *docs;              /* parsed snippets */
	GPtrArray *types;             /* struct model_type *, owned */
	GPtrArray *props;             /* struct model_prop *, owned */
	GHashTable *by_name;          /* builtin types */
	struct dsl_entry entry;       /* stands for "defined in a file" */
	struct bp_diags d;
	char *dir;
};

static void type_free(struct model_type *t)
{
	g_hash_table_unref(t->props);
	g_ptr_array_unref(t->prop_order);
	g_free(t);
}

/* The value written in `text` (a whole YAML document). */
static const struct dsl_node *val(struct fx *fx, const char *text)
{
	struct bp_error *err = NULL;
	struct dsl_doc *doc = dsl_parse_string("t.yaml", text, strlen(text),
					       &err);

	if (err)
		g_error("bad test YAML '%s': %s", text, err->message);
	g_ptr_array_add(fx->docs, doc);
	return doc->root;
}

/* A data type; a user one (with an entry) unless `builtin`. A derived
 * type inherits its parent's kind and properties. */
static struct model_type *new_type(struct fx *fx, const char *name,
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

static struct model_type *T(struct fx *fx, const char *name)
{
	struct model_type *t = g_hash_table_lookup(fx->by_name, name);

	g_assert_nonnull(t);
	return t;
}

static struct model_prop *new_prop(struct fx *fx, const char *name,
				   struct model_type *t,
				   const char *constraints)
{
	struct model_prop *p = g_new0(struct model_prop, 1);

	p->name = name;
	p->type = t;
	p->required = true;
	p->constraints = constraints ? val(fx, constraints) : NULL;
	g_ptr_array_add(fx->props, p);
	return p;
}

/* Adds a property to a data type. */
static struct model_prop *field(struct fx *fx, struct model_type *owner,
				const char *name, struct model_type *t,
				const char *constraints)
{
	struct model_prop *p = new_prop(fx, name, t, constraints);

	g_ptr_array_add(owner->prop_order, p);
	g_hash_table_insert(owner->props, (gpointer)name, p);
	return p;
}

static void setup(struct fx *fx, gconstpointer dialect)
{
	static const struct {
		const char *name;
		enum model_prim prim;
	} builtins[] = {
		{ "string", MODEL_PRIM_STRING },
		{ "integer", MODEL_PRIM_INTEGER },
		{ "float", MODEL_PRIM_FLOAT }, { "boolean", MODEL_PRIM_BOOLEAN },
		{ "timestamp", MODEL_PRIM_TIMESTAMP },
		{ "version", MODEL_PRIM_VERSION }, { "range", MODEL_PRIM_RANGE },
		{ "list", MODEL_PRIM_LIST }, { "map", MODEL_PRIM_MAP },
		{ "null", MODEL_PRIM_NULL },
		{ "scalar-unit.size", MODEL_PRIM_SIZE },
		{ "scalar-unit.time", MODEL_PRIM_TIME },
		{ "scalar-unit.frequency", MODEL_PRIM_FREQUENCY },
		{ "scalar-unit.bitrate", MODEL_PRIM_BITRATE },
		{ "tosca.datatypes.json", MODEL_PRIM_JSON },
		{ "dict", MODEL_PRIM_MAP }, { "regex", MODEL_PRIM_STRING },
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
				    new_type(fx, builtins[i].name,
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

static void teardown(struct fx *fx, gconstpointer data)
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
static char *messages(struct fx *fx)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < fx->d.errors->len; i++) {
		struct bp_error *e = fx->d.errors->pdata[i];
		g_string_append_printf(s, "%s%s", i ? "\n" : "", e->message);
	}
	return g_string_free(s, FALSE);
}

static void reset(struct fx *fx)
{
	bp_diags_release(&fx->d);
	bp_diags_init(&fx->d, 0);
}

/* Checks the value in `text` against `p`; returns every message ("" when
 * the value is valid). */
static char *check(struct fx *fx, const struct model_prop *p,
		   const char *text)
{
	bool ok;

	reset(fx);
	ok = model_check_value(&fx->m, p, val(fx, text), "props.p", &fx->d);
	g_assert_cmpint(ok, ==, bp_diags_count(&fx->d) == 0);
	return messages(fx);
}

static char *check_defs(struct fx *fx, const struct model_prop *p)
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

/* A table case: the value is checked against a property of the type with
 * the constraints; without a value, the constraint definitions are. */
struct vcase {
	const char *type;         /* builtin type name, NULL = any */
	const char *constraints;  /* YAML list or NULL */
	const char *value;        /* YAML, or NULL */
	const char *error;        /* NULL = valid, else the whole message */
};

static void run_cases(struct fx *fx, const struct vcase *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct vcase *c = &cases[i];
		struct model_prop *p = new_prop(
			fx, "p", c->type ? T(fx, c->type) : NULL,
			c->constraints);
		g_autofree char *got = c->value ? check(fx, p, c->value)
						: check_defs(fx, p);
		if (matches(got, c->error ? c->error : ""))
			continue;
		g_test_message("case %zu (%s: %s): expected \"%s\", got "
			       "\"%s\"", i, c->type ? c->type : "any",
			       c->value ? c->value : c->constraints,
			       c->error ? c->error : "", got);
		g_test_fail();
	}
}

#define RUN(fx, cases) run_cases(fx, cases, G_N_ELEMENTS(cases))
#define SIZE_UNITS "B, kB, KiB, MB, MiB, GB, GiB, TB, TiB"

static void test_tosca_primitives(struct fx *fx, gconstpointer data)
{
	static const struct vcase cases[] = {
		{ "string", NULL, "hello", NULL },
		{ "string", NULL, "'123'", NULL },
		/* at the top level, any scalar is taken as its text, as
		 * tosca-parser does (nested ones are strict: see below) */
		{ "string", NULL, "123456789", NULL },
		{ "string", "[{max_length: 2}]", "123", "value 123 of 'p' is "
		  "too long: length 3, expected at most 2" },
		{ "string", "[{pattern: '[0-9]+'}]", "1.5", "value 1.5 of 'p' "
		  "does not match pattern '[0-9]+'" },
		{ "string", NULL, "[a]", "expected a string for 'p', found a "
		  "list" },
		{ "string", NULL, "~", "expected a string for 'p', found null" },
		{ "integer", NULL, "5", NULL },
		{ "integer", NULL, "-0x10", NULL },
		{ "integer", NULL, "two", "expected an integer for 'p', found "
		  "a string ('two')" },
		{ "integer", NULL, "'5'", "expected an integer for 'p', found "
		  "a string ('5')" },
		{ "integer", NULL, "1.5", "expected an integer for 'p', found "
		  "a float (1.5)" },
		{ "integer", NULL, "99999999999999999999", "integer "
		  "99999999999999999999 for 'p' is out of the 64-bit range" },
		{ "float", NULL, "1.5", NULL },
		{ "float", NULL, "3", NULL },
		{ "float", NULL, "-.inf", NULL },
		{ "float", NULL, "'1.5'", "expected a float for 'p', found a "
		  "string ('1.5')" },
		{ "integer", NULL, "yes", NULL },
		{ "boolean", NULL, "yes", NULL },
		{ "boolean", NULL, "false", NULL },
		{ "boolean", NULL, "1", "expected a boolean for 'p', found an "
		  "integer (1)" },
		{ "null", NULL, "~", NULL },
		{ "null", NULL, "0", "expected null for 'p', found an integer "
		  "(0)" },
		{ "timestamp", NULL, "2001-12-14", NULL },
		{ "timestamp", NULL, "2001-12-14t21:59:43.10-05:00", NULL },
		{ "timestamp", NULL, "2001-12-14 21:59:43.10 -5", NULL },
		{ "timestamp", NULL, "2000-02-29T00:00:00Z", NULL },
		{ "timestamp", NULL, "2001-02-29", "invalid timestamp "
		  "'2001-02-29' for 'p': expected a date or a date and time "
		  "such as 2001-12-14T21:59:43.10-05:00" },
		{ "timestamp", NULL, "2001-12-14 25:00:00", "invalid timestamp "
		  "'2001-12-14 25:00:00' for 'p': expected a date or a date "
		  "and time such as 2001-12-14T21:59:43.10-05:00" },
		{ "timestamp", NULL, "20011214", "expected a timestamp for "
		  "'p', found an integer (20011214)" },
		{ "version", NULL, "1.0", NULL },
		{ "version", NULL, "2.1.3", NULL },
		{ "version", NULL, "1.2.3.beta-4", NULL },
		{ "version", NULL, "2", "invalid version '2' for 'p': expected "
		  "major.minor[.fix[.qualifier[-build]]]" },
		{ "version", NULL, "1.2.3.beta-", "invalid version "
		  "'1.2.3.beta-' for 'p': expected "
		  "major.minor[.fix[.qualifier[-build]]]" },
		{ "version", NULL, "{a: 1}", "expected a version for 'p', "
		  "found a map" },
		{ "range", NULL, "[1, 5]", NULL },
		{ "range", NULL, "[1, UNBOUNDED]", NULL },
		{ "range", NULL, "[5, 1]", "invalid range [5, 1] for 'p': "
		  "expected [min, max], integers with min <= max (max may be "
		  "UNBOUNDED)" },
		{ "range", NULL, "[UNBOUNDED, 1]", "invalid range ['UNBOUNDED', "
		  "1] for 'p': expected [min, max], integers with min <= max "
		  "(max may be UNBOUNDED)" },
		{ "range", NULL, "5", "expected a range for 'p', found an "
		  "integer (5)" },
		{ "list", NULL, "[1, a]", NULL },
		{ "list", NULL, "{a: 1}", "expected a list for 'p', found a "
		  "map" },
		{ "map", NULL, "{a: 1}", NULL },
		{ "map", NULL, "[1]", "expected a map for 'p', found a list" },
		{ "scalar-unit.size", NULL, "4 GB", NULL },
		{ "scalar-unit.size", NULL, "1.5kib", NULL },
		{ "scalar-unit.size", NULL, "10", "missing unit in '10' for "
		  "'p': expected a scalar-unit.size with a unit, one of "
		  SIZE_UNITS },
		{ "scalar-unit.size", NULL, "10 XB", "unknown unit 'XB' in "
		  "'10 XB' for 'p': expected one of " SIZE_UNITS },
		{ "scalar-unit.size", NULL, "GB", "invalid scalar-unit.size "
		  "'GB' for 'p': expected a number and a unit, one of "
		  SIZE_UNITS },
		{ "scalar-unit.time", NULL, "10.5m", NULL },
		{ "scalar-unit.time", NULL, "2 D", NULL },
		{ "scalar-unit.frequency", NULL, "123e3 kHz", NULL },
		{ "scalar-unit.bitrate", NULL, "1.23 KiBps", NULL },
		{ "scalar-unit.bitrate", NULL, "10 kbps", NULL },
		{ "scalar-unit.bitrate", NULL, "true", "expected a "
		  "scalar-unit.bitrate for 'p', found a boolean (true)" },
		{ "tosca.datatypes.json", NULL, "'{\"a\": [1, 2]}'", NULL },
		{ "tosca.datatypes.json", NULL, "{a: [1, 2]}", NULL },
		{ "tosca.datatypes.json", NULL, "'{\"a\": [1, 2'", "invalid "
		  "JSON text for 'p': ']' expected near end of file at line 1, "
		  "column 11" },
		{ NULL, NULL, "{anything: [goes]}", NULL },
		{ NULL, NULL, "~", NULL },
		/* function calls are checked once evaluated */
		{ "integer", NULL, "{get_input: port}", NULL },
		{ "string", NULL, "{concat: [a, b]}", NULL },
		/* not a call: two keys */
		{ "string", NULL, "{get_input: a, b: 1}", "expected a string "
		  "for 'p', found a map" },
	};

	RUN(fx, cases);
}

static void test_cloudify_primitives(struct fx *fx, gconstpointer data)
{
	static const struct vcase cases[] = {
		/* Cloudify's string (and its string-valued types) take
		 * anything */
		{ "string", NULL, "123", NULL },
		{ "string", NULL, "[1, 2]", NULL },
		{ "textarea", NULL, "{a: b}", NULL },
		{ "deployment_id", NULL, "5", NULL },
		{ "integer", NULL, "1.5", "expected an integer for 'p', found "
		  "a float (1.5)" },
		{ "float", NULL, "1", NULL },
		{ "boolean", NULL, "'yes'", "expected a boolean for 'p', found "
		  "a string ('yes')" },
		{ "dict", NULL, "{a: 1}", NULL },
		{ "dict", NULL, "[{'0_o': ~}]", "expected a map for 'p', found "
		  "a list" },
		{ "list", NULL, "{'0_o': ~}", "expected a list for 'p', found a "
		  "map" },
		{ "regex", NULL, "'^a+$'", NULL },
		{ "regex", NULL, "'(a'", "invalid regular expression '(a' for "
		  "'p': *" },
		{ "regex", NULL, "5", "expected a string for 'p', found an "
		  "integer (5)" },
	};

	RUN(fx, cases);
}

/* Two errors at once, with marks and YAML paths. */
static void test_marks_and_paths(struct fx *fx, gconstpointer data)
{
	struct model_prop *p = new_prop(fx, "ports", T(fx, "list"), NULL);
	struct bp_error *e;

	p->entry_schema = new_prop(fx, NULL, T(fx, "integer"),
				   "[{in_range: [1, 65535]}]");
	g_autofree char *got = check(fx, p, "- 80\n- http\n- 0\n");
	g_assert_cmpstr(got, ==, "expected an integer for 'ports[1]', found "
			"a string ('http')\n"
			"value 0 of 'ports[2]' is out of range [1, 65535]");
	e = fx->d.errors->pdata[0];
	g_assert_cmpuint(e->mark.line, ==, 2);
	g_assert_cmpuint(e->mark.col, ==, 3);
	g_assert_cmpstr(e->path, ==, "props.p[1]");
	e = fx->d.errors->pdata[1];
	g_assert_cmpuint(e->mark.line, ==, 3);
	g_assert_cmpstr(e->path, ==, "props.p[2]");
}

/* The data types of tosca-parser's custom_datatype_def.yaml. */
static struct model_type *people_type(struct fx *fx)
{
	struct model_type *base = new_type(fx, "tosca.my.datatypes.PeopleBase",
					   MODEL_PRIM_COMPLEX, NULL, false);
	struct model_type *people, *contact;
	struct model_prop *p;

	field(fx, base, "name", T(fx, "string"), "[{min_length: 2}]");
	p = field(fx, base, "gender", T(fx, "string"), NULL);
	p->required = false;
	p->default_value = val(fx, "unknown");
	contact = new_type(fx, "tosca.my.datatypes.ContactInfo",
			   MODEL_PRIM_COMPLEX, NULL, false);
	field(fx, contact, "contact_name", T(fx, "string"),
	      "[{min_length: 2}]");
	field(fx, contact, "contact_email", T(fx, "string"), NULL)->required =
		false;
	field(fx, contact, "contact_phone", T(fx, "string"), NULL)->required =
		false;
	people = new_type(fx, "tosca.my.datatypes.People", 0, base, false);
	p = field(fx, people, "addresses", T(fx, "map"), NULL);
	p->required = false;
	p->entry_schema = new_prop(fx, NULL, T(fx, "string"), NULL);
	p = field(fx, people, "contacts", T(fx, "list"), NULL);
	p->required = false;
	p->entry_schema = new_prop(fx, NULL, contact, NULL);
	return people;
}

static void test_nested_data_types(struct fx *fx, gconstpointer data)
{
	struct model_prop *p = new_prop(fx, "people", people_type(fx), NULL);
	struct bp_error *e;
	g_autofree char *ok = check(fx, p,
		"name: Mike\ngender: male\n"
		"addresses: {Home: 1 foo street, Office: 9 bar avenue}\n"
		"contacts:\n"
		"  - {contact_name: Jerry, contact_phone: '321654987'}\n");
	g_assert_cmpstr(ok, ==, "");

	/* tosca-parser's test_custom_datatypes_nested_datatype_error */
	g_autofree char *bad = check(fx, p,
		"name: Mike\n"
		"contacts:\n"
		"  - {contact_name: Tom,\n"
		"     contact_phone: 123456789}\n");
	g_assert_cmpstr(bad, ==, "expected a string for "
			"'people.contacts[0].contact_phone', found an integer "
			"(123456789)");
	e = fx->d.errors->pdata[0];
	g_assert_cmpuint(e->mark.line, ==, 4);
	g_assert_cmpuint(e->mark.col, ==, 21);
	g_assert_cmpstr(e->path, ==, "props.p.contacts[0].contact_phone");

	/* test_custom_datatypes_value_error */
	g_autofree char *notmap = check(fx, p,
		"name: Mike\naddresses: [1 foo street, 9 bar avenue]\n");
	g_assert_cmpstr(notmap, ==, "expected a map for 'people.addresses', "
			"found a list");

	/* everything at once: unknown, missing, constraint */
	g_autofree char *many = check(fx, p,
		"gender: x\nnickname: M\ncontacts: [{contact_name: T}]\n");
	g_assert_cmpstr(many, ==,
		"unknown property 'people.nickname' of data type "
		"'tosca.my.datatypes.People': expected one of 'name', "
		"'gender', 'addresses', 'contacts'\n"
		"value 'T' of 'people.contacts[0].contact_name' is too short: "
		"length 1, expected at least 2\n"
		"missing required property 'people.name' of data type "
		"'tosca.my.datatypes.People'");
	e = fx->d.errors->pdata[0];
	g_assert_cmpuint(e->mark.line, ==, 2);   /* the key */
	e = fx->d.errors->pdata[2];
	g_assert_cmpuint(e->mark.line, ==, 1);   /* the map */
	g_assert_cmpstr(e->path, ==, "props.p");

	/* a null optional property, a function call inside */
	g_autofree char *fn = check(fx, p,
		"name: {get_input: n}\naddresses: ~\n"
		"contacts: [{contact_name: {concat: [a, b]}}]\n");
	g_assert_cmpstr(fn, ==, "");
}

/* cloudify's test_nested_type_error: property 'a.b.c.d' */
static void test_cloudify_nested(struct fx *fx, gconstpointer data)
{
	struct model_type *a = new_type(fx, "a", MODEL_PRIM_COMPLEX, NULL,
					false);
	struct model_type *b = new_type(fx, "b", MODEL_PRIM_COMPLEX, NULL,
					false);
	struct model_type *c = new_type(fx, "c", MODEL_PRIM_COMPLEX, NULL,
					false);
	struct model_prop *p = new_prop(fx, "a", a, NULL);

	field(fx, a, "b", b, NULL);
	field(fx, b, "c", c, NULL);
	field(fx, c, "d", T(fx, "integer"), NULL);
	g_autofree char *got = check(fx, p, "b:\n  c:\n    d: should_be_int\n");
	g_assert_cmpstr(got, ==, "expected an integer for 'a.b.c.d', found a "
			"string ('should_be_int')");
	g_autofree char *missing = check(fx, p, "b:\n  c: {}\n");
	g_assert_cmpstr(missing, ==, "missing required property 'a.b.c.d' of "
			"data type 'c'");
	g_autofree char *empty = check(fx, new_prop(fx, "e", new_type(
		fx, "empty", MODEL_PRIM_COMPLEX, NULL, false), NULL), "{x: 1}");
	g_assert_cmpstr(empty, ==, "unknown property 'e.x' of data type "
			"'empty': expected no properties");
}

static void test_schemas(struct fx *fx, gconstpointer data)
{
	struct model_type *lower = new_type(fx, "LowerCase", 0,
					    T(fx, "string"), false);
	struct model_type *timemap = new_type(fx, "TimeMap", 0, T(fx, "map"),
					      false);
	struct model_prop *p;

	lower->constraints = val(fx, "[{pattern: '[a-z]*'}]");
	timemap->entry_schema = new_prop(fx, NULL, T(fx, "scalar-unit.time"),
					 NULL);

	p = new_prop(fx, "m", T(fx, "map"), NULL);
	p->key_schema = new_prop(fx, NULL, lower, NULL);
	p->entry_schema = new_prop(fx, NULL, T(fx, "string"), NULL);
	g_autofree char *keys = check(fx, p, "{greeting: Hello, Name: x, "
				      "n: 1}");
	g_assert_cmpstr(keys, ==,
		"value 'Name' of 'm.Name' does not match pattern '[a-z]*'\n"
		"expected a string for 'm.n', found an integer (1)");

	/* entry_schema inherited from the data type */
	p = new_prop(fx, "t", timemap, NULL);
	g_autofree char *times = check(fx, p, "{first: 100 s, second: 5}");
	g_assert_cmpstr(times, ==, "missing unit in '5' for 't.second': "
			"expected a scalar-unit.time with a unit, one of d, h, "
			"m, s, ms, us, ns");

	/* a user type derived from a primitive names itself */
	p = new_prop(fx, "l", lower, NULL);
	g_autofree char *named = check(fx, p, "[a]");
	g_assert_cmpstr(named, ==, "expected a string of type 'LowerCase' for "
			"'l', found a list");

	/* list-level constraints apply to the list, entry ones to entries */
	p = new_prop(fx, "fl", T(fx, "list"), "[{min_length: 2}]");
	p->entry_schema = new_prop(fx, NULL, T(fx, "float"),
				   "[{in_range: [-1.0, 1.0]}]");
	g_autofree char *list = check(fx, p, "[1.5]");
	g_assert_cmpstr(list, ==,
		"value 1.5 of 'fl[0]' is out of range [-1.0, 1.0]\n"
		"value [1.5] of 'fl' is too short: length 1, expected at "
		"least 2");
}

static void test_constraints(struct fx *fx, gconstpointer data)
{
	static const struct vcase cases[] = {
		{ "integer", "[{equal: 5}]", "5", NULL },
		{ "integer", "[{equal: 5}]", "6", "value 6 of 'p' is not equal "
		  "to 5" },
		{ "float", "[{equal: 5}]", "5.0", NULL },
		{ "string", "[{equal: a}]", "b", "value 'b' of 'p' is not "
		  "equal to 'a'" },
		{ "integer", "[{greater_than: 5}]", "6", NULL },
		{ "integer", "[{greater_than: 5}]", "5", "value 5 of 'p' is not "
		  "greater than 5" },
		{ "integer", "[{greater_or_equal: 5}]", "5", NULL },
		{ "integer", "[{greater_or_equal: 5}]", "4", "value 4 of 'p' is "
		  "not greater than or equal to 5" },
		{ "float", "[{less_than: 1.5}]", "1.4", NULL },
		{ "float", "[{less_than: 1.5}]", "1.5", "value 1.5 of 'p' is "
		  "not less than 1.5" },
		{ "integer", "[{less_or_equal: 5}]", "5", NULL },
		{ "integer", "[{less_or_equal: 5}]", "6", "value 6 of 'p' is "
		  "not less than or equal to 5" },
		{ "integer", "[{in_range: [2, 65534]}]", "2", NULL },
		{ "integer", "[{in_range: [2, 65534]}]", "1", "value 1 of 'p' "
		  "is out of range [2, 65534]" },
		{ "integer", "[{in_range: [2, 65534]}]", "65535", "value 65535 "
		  "of 'p' is out of range [2, 65534]" },
		/* a range is in range when both its bounds are */
		{ "range", "[{in_range: [1, 65535]}]", "[2, 80]", NULL },
		{ "range", "[{in_range: [1, 65535]}]", "[0, 80]", "value [0, "
		  "80] of 'p' is out of range [1, 65535]" },
		{ "range", "[{in_range: [1, UNBOUNDED]}]", "[5, UNBOUNDED]",
		  NULL },
		/* 64-bit integers compare exactly */
		{ "integer", "[{less_than: 9007199254740993}]",
		  "9007199254740992", NULL },
		{ "string", "[{valid_values: [hi, ab]}]", "ab", NULL },
		{ "string", "[{valid_values: [hi, ab]}]", "lorem", "value "
		  "'lorem' of 'p' is not one of ['hi', 'ab']" },
		{ "string", "[{length: 2}]", "hi", NULL },
		{ "string", "[{length: 2}]", "héé", "value 'héé' of 'p' has "
		  "length 3, expected 2" },
		{ "list", "[{length: 2}]", "[1, 2]", NULL },
		{ "map", "[{min_length: 1}]", "{}", "value {} of 'p' is too "
		  "short: length 0, expected at least 1" },
		{ "string", "[{max_length: 1}]", "hi", "value 'hi' of 'p' is "
		  "too long: length 2, expected at most 1" },
		/* TOSCA patterns match the whole value */
		{ "string", "[{pattern: '(hi)|(ab)'}]", "ab", NULL },
		{ "string", "[{pattern: hi}]", "hip", "value 'hip' of 'p' does "
		  "not match pattern 'hi'" },
		/* every clause is checked */
		{ "string", "[{max_length: 1}, {min_length: 2}, "
		  "{valid_values: [hi]}, {length: 2}, {pattern: hi}]", "hi",
		  "value 'hi' of 'p' is too long: length 2, expected at most "
		  "1" },
		/* scalar-units compare normalised */
		{ "scalar-unit.size", "[{greater_than: 1024 MB}]", "4 GB",
		  NULL },
		{ "scalar-unit.size", "[{greater_than: 1024 MB}]", "1000 MB",
		  "value '1000 MB' of 'p' is not greater than '1024 MB'" },
		{ "scalar-unit.size", "[{equal: 1 KiB}]", "1024 B", NULL },
		{ "scalar-unit.size", "[{valid_values: [1 kB, 2 kB]}]",
		  "1000 B", NULL },
		{ "scalar-unit.time", "[{in_range: [1m, 1h]}]", "10.5m", NULL },
		{ "scalar-unit.time", "[{in_range: [1m, 1h]}]", "2 h", "value "
		  "'2 h' of 'p' is out of range ['1m', '1h']" },
		{ "scalar-unit.bitrate", "[{less_than: 1 Mbps}]", "1 KBps",
		  NULL },
		{ "scalar-unit.bitrate", "[{less_than: 1 Mbps}]", "1 MBps",
		  "value '1 MBps' of 'p' is not less than '1 Mbps'" },
		/* versions by their parts */
		{ "version", "[{in_range: [1.2.3.beta-3, 1.2.3.beta-5]}]",
		  "1.2.3.beta-4", NULL },
		{ "version", "[{in_range: [1.2.3.beta-3, 1.2.3.beta-5]}]",
		  "1.2.3", "value '1.2.3' of 'p' is out of range "
		  "['1.2.3.beta-3', '1.2.3.beta-5']" },
		{ "version", "[{greater_than: 1.9}]", "1.10", NULL },
		{ "version", "[{equal: 1.0.0}]", "1.0", NULL },
		/* timestamps by the instant */
		{ "timestamp", "[{greater_or_equal: 2020-01-01}]",
		  "2019-12-31T23:00:00-02:00", NULL },
		{ "timestamp", "[{less_than: 2020-01-01}]",
		  "2019-12-31 23:00:00 -2", "value '2019-12-31 23:00:00 -2' of "
		  "'p' is not less than '2020-01-01'" },
		/* a function call as argument is checked once evaluated */
		{ "integer", "[{greater_than: {get_input: min}}]", "1", NULL },
		/* untyped values */
		{ NULL, "[{greater_than: 5}]", "abc", "value 'abc' of 'p' "
		  "cannot be compared with 5: expected a number" },
		{ NULL, "[{max_length: 2}]", "5", "value 5 of 'p' has no "
		  "length: expected a string, a list or a map" },
		{ NULL, "[{pattern: a}]", "5", "value 5 of 'p' cannot match "
		  "pattern 'a': expected a string" },
		/* null is no value: constraints do not apply */
		{ NULL, "[{min_length: 2}]", "~", NULL },
	};

	RUN(fx, cases);
}

static void test_cloudify_constraints(struct fx *fx, gconstpointer data)
{
	static const struct vcase cases[] = {
		/* test_constraints_successful */
		{ NULL, "[{max_length: 2}, {min_length: 2}, "
		  "{valid_values: [hi, ab]}, {length: 2}, "
		  "{pattern: '(hi)|(ab)'}]", "hi", NULL },
		/* test_constraints_not_successful_with_default */
		{ NULL, "[{max_length: 1}, {min_length: 2}]", "hi",
		  "value 'hi' of 'p' is too long: length 2, expected at most "
		  "1" },
		/* test_input_pattern_error_message_content */
		{ NULL, "[{pattern: '(hi)|(ab)', error_message: 'The value "
		  "should be either `hi` or `ab`'}, {max_length: 2}]",
		  "lorem ipsum", "value 'lorem ipsum' of 'p' is invalid: The "
		  "value should be either `hi` or `ab`\n"
		  "value 'lorem ipsum' of 'p' is too long: length 11, expected "
		  "at most 2" },
		/* Cloudify's pattern matches at the start (re.match) */
		{ "string", "[{pattern: hi}]", "hip", NULL },
		{ "string", "[{pattern: hi}]", "ship", "value 'ship' of 'p' "
		  "does not match pattern 'hi'" },
		/* string takes anything, so constraints see the value */
		{ "string", "[{valid_values: [1, 2]}]", "2", NULL },
		{ "deployment_id", "[{name_pattern: {starts_with: prod}}, "
		  "{filter_id: f}, {labels: [{env: prod}]}]", "prod-1", NULL },
		{ "deployment_id", "[{name_pattern: {starts_with: prod}}]",
		  "dev-1", "value 'dev-1' of 'p' does not match name_pattern "
		  "starts_with 'prod'" },
	};

	RUN(fx, cases);
}

/* Constraints come from the property, its type and the type's ancestors,
 * each clause once. */
static void test_inherited_constraints(struct fx *fx, gconstpointer data)
{
	struct model_type *portdef = new_type(fx, "PortDef", 0,
					      T(fx, "integer"), false);
	struct model_type *high = new_type(fx, "HighPort", 0, portdef, false);
	struct dsl_node *merged;
	struct model_prop *p;

	portdef->constraints = val(fx, "[{in_range: [1, 65535]}]");
	high->constraints = val(fx, "[{greater_than: 1023}]");
	p = new_prop(fx, "port", high, "[{less_than: 60000}]");
	g_autofree char *ok = check(fx, p, "8080");
	g_assert_cmpstr(ok, ==, "");
	g_autofree char *low = check(fx, p, "0");
	g_assert_cmpstr(low, ==, "value 0 of 'port' is not greater than 1023\n"
			"value 0 of 'port' is out of range [1, 65535]");
	g_autofree char *top = check(fx, p, "65536");
	g_assert_cmpstr(top, ==, "value 65536 of 'port' is not less than 60000"
			"\nvalue 65536 of 'port' is out of range [1, 65535]");

	/* a type's list that repeats its parent's clause (merged own and
	 * inherited): the same clause reached twice is checked once */
	merged = (struct dsl_node *)val(fx, "[~, {greater_than: 1023}]");
	merged->u.seq.items[0] = portdef->constraints->u.seq.items[0];
	high->constraints = merged;
	g_autofree char *once = check(fx, p, "0");
	g_assert_cmpstr(once, ==, "value 0 of 'port' is out of range [1, 65535]"
			"\nvalue 0 of 'port' is not greater than 1023");
}

/* TOSCA's PortSpec: a port within its range (tosca-parser's
 * test_datatype_portspec_add_req). */
static void test_portspec(struct fx *fx, gconstpointer data)
{
	struct model_type *portdef = new_type(fx, "tosca.datatypes.network."
					      "PortDef", 0, T(fx, "integer"),
					      false);
	struct model_type *spec = new_type(fx, "tosca.datatypes.network."
					   "PortSpec", MODEL_PRIM_COMPLEX, NULL,
					   false);
	struct model_prop *p;
	const char *names[] = { "source", "target" };

	portdef->constraints = val(fx, "[{in_range: [1, 65535]}]");
	field(fx, spec, "protocol", T(fx, "string"), NULL)->required = false;
	for (size_t i = 0; i < 2; i++) {
		g_autofree char *range = g_strconcat(names[i], "_range", NULL);
		field(fx, spec, names[i], portdef, NULL)->required = false;
		field(fx, spec, g_intern_string(range), T(fx, "range"),
		      NULL)->required = false;
	}
	p = new_prop(fx, "test_port", spec, NULL);
	g_autofree char *zero = check(fx, p, "{protocol: tcp, source: 0}");
	g_assert_cmpstr(zero, ==, "value 0 of 'test_port.source' is out of "
			"range [1, 65535]");
	g_autofree char *over = check(fx, p, "{protocol: tcp, source: 65535, "
				      "source_range: [2, 65534]}");
	g_assert_cmpstr(over, ==, "value 65535 of 'test_port.source' is out "
			"of range [2, 65534]");
	g_autofree char *under = check(fx, p, "{protocol: tcp, source: 1, "
				       "source_range: [2, 65534]}");
	g_assert_cmpstr(under, ==, "value 1 of 'test_port.source' is out of "
			"range [2, 65534]");
	g_autofree char *ok = check(fx, p, "{target: 80, target_range: [1, "
				    "UNBOUNDED]}");
	g_assert_cmpstr(ok, ==, "");
	g_autofree char *none = check(fx, p, "{protocol: tcp}");
	g_assert_cmpstr(none, ==, "'test_port' needs at least one of "
			"'source', 'source_range', 'target' or 'target_range' "
			"(a tosca.datatypes.network.PortSpec)");
}

#define TOSCA_OPS "'equal', 'greater_than', 'greater_or_equal', " \
	"'less_than', 'less_or_equal', 'in_range', 'valid_values', 'length', " \
	"'min_length', 'max_length', 'pattern'"

/* Cases without a value: the constraint definitions are checked. */
#define DEF(type, constraints, error) { type, constraints, NULL, error }

static void test_constraint_defs(struct fx *fx, gconstpointer data)
{
	static const struct vcase cases[] = {
		DEF("integer", "[{in_range: [1, 5]}, {valid_values: [1, 2]}, "
		    "{equal: 3}, {greater_than: {get_input: x}}]", NULL),
		DEF("string", "[{pattern: '^[a-z]+$'}, {min_length: 0}]",
		    NULL),
		DEF("scalar-unit.size", "[{in_range: [1 GB, 2 GiB]}]", NULL),
		DEF("version", "[{greater_or_equal: 1.0}]", NULL),
		DEF(NULL, "~", NULL),
		DEF("integer", "{min_length: 1}", "expected a list for the "
		    "constraints of 'p', found {min_length: 1}"),
		DEF("integer", "[5]", "expected a map {operator: argument} "
		    "for constraint 1 of 'p', found 5"),
		DEF("integer", "[{equal: 1}, {bigger: 1}]", "unknown "
		    "constraint operator 'bigger' for 'p': expected one of "
		    TOSCA_OPS),
		DEF("integer", "[{equal: 1, less_than: 2}]", "constraint 1 of "
		    "'p' has two operators, 'equal' and 'less_than': expected "
		    "one per list item"),
		DEF("string", "[{pattern: a, error_message: m}]", "unknown "
		    "constraint operator 'error_message' for 'p': expected "
		    "one of " TOSCA_OPS),
		DEF("integer", "[{in_range: 5}]", "invalid argument 5 for "
		    "constraint 'in_range' of 'p': expected a list of two "
		    "values [lower, upper]"),
		DEF("integer", "[{in_range: [5, 1]}]", "invalid argument "
		    "[5, 1] for constraint 'in_range' of 'p': expected a lower "
		    "bound not greater than the upper bound"),
		DEF("scalar-unit.size", "[{in_range: [1 GB, 2 XB]}]", "unknown "
		    "unit 'XB' in '2 XB' for constraint 'in_range' of 'p': "
		    "expected one of " SIZE_UNITS),
		DEF("integer", "[{greater_than: abc}]", "expected an integer "
		    "for constraint 'greater_than' of 'p', found a string "
		    "('abc')"),
		DEF("integer", "[{valid_values: 5}]", "invalid argument 5 for "
		    "constraint 'valid_values' of 'p': expected a list of "
		    "values"),
		DEF("integer", "[{valid_values: [1, two]}]", "expected an "
		    "integer for constraint 'valid_values' of 'p', found a "
		    "string ('two')"),
		DEF("range", "[{in_range: [1, UNBOUNDED]}]", NULL),
		DEF("range", "[{in_range: [1, x]}]", "invalid argument 'x' for "
		    "constraint 'in_range' of 'p': expected an integer or "
		    "UNBOUNDED"),
		DEF("range", "[{greater_than: 1}]", "constraint "
		    "'greater_than' does not apply to 'p' of type 'range'"),
		DEF("string", "[{min_length: -1}]", "invalid argument -1 for "
		    "constraint 'min_length' of 'p': expected a non-negative "
		    "integer"),
		DEF("string", "[{pattern: '('}]", "invalid regular expression "
		    "'(' for constraint 'pattern' of 'p': *"),
		DEF("string", "[{pattern: 5}]", "invalid argument 5 for "
		    "constraint 'pattern' of 'p': expected a regular "
		    "expression (a string)"),
		DEF("integer", "[{pattern: a}]", "constraint 'pattern' does "
		    "not apply to 'p' of type 'integer'"),
		DEF("integer", "[{max_length: 1}]", "constraint 'max_length' "
		    "does not apply to 'p' of type 'integer'"),
		DEF("string", "[{greater_than: a}]", "constraint "
		    "'greater_than' does not apply to 'p' of type 'string'"),
		DEF(NULL, "[{greater_than: a}]", "invalid argument 'a' for "
		    "constraint 'greater_than' of 'p': expected a number"),
		DEF("string", "[{filter_id: x}]", "unknown constraint "
		    "operator 'filter_id' for 'p': expected one of "
		    TOSCA_OPS),
		/* every problem is reported */
		DEF("integer", "[{pattern: a}, {in_range: [1]}]", "constraint "
		    "'pattern' does not apply to 'p' of type 'integer'\n"
		    "invalid argument [1] for constraint 'in_range' of 'p': "
		    "expected a list of two values [lower, upper]"),
	};

	RUN(fx, cases);
}

static void test_cloudify_constraint_defs(struct fx *fx, gconstpointer d)
{
	static const struct vcase cases[] = {
		/* test_bad_constraint_argument */
		DEF(NULL, "[{max_length: some_string}]", "invalid argument "
		    "'some_string' for constraint 'max_length' of 'p': "
		    "expected a non-negative integer"),
		DEF(NULL, "[{pattern: '(hi)|(ab)', error_message: m}]", NULL),
		DEF(NULL, "[{pattern: a, error_message: [m]}]", "expected a "
		    "string for 'error_message' of constraint 1 of 'p'"),
		DEF(NULL, "[{error_message: m}]", "constraint 1 of 'p' has no "
		    "operator"),
		DEF("deployment_id", "[{filter_id: f}, {labels: [{a: b}]}, "
		    "{tenants: [t]}, {name_pattern: {contains: x}}]", NULL),
		DEF("deployment_id", "[{labels: x}]", "invalid argument 'x' "
		    "for constraint 'labels' of 'p': expected a list"),
		DEF("deployment_id", "[{name_pattern: {has: x}}]", "invalid "
		    "argument {has: 'x'} for constraint 'name_pattern' of "
		    "'p': expected a map of 'contains', 'starts_with', "
		    "'ends_with' or 'equals_to' to strings"),
		DEF("integer", "[{filter_id: f}]", "constraint 'filter_id' "
		    "does not apply to 'p' of type 'integer'"),
		DEF("blueprint_id", "[{deployment_id: d}]", "constraint "
		    "'deployment_id' does not apply to 'p' of type "
		    "'blueprint_id'"),
	};

	RUN(fx, cases);
}

static void test_function_names(struct fx *fx, gconstpointer data)
{
	g_assert_cmpstr(model_function_name(val(fx, "{get_input: x}")), ==,
			"get_input");
	g_assert_cmpstr(model_function_name(val(fx, "{get_artifact: [a]}")),
			==, "get_artifact");
	g_assert_true(model_is_function_call(val(fx, "{get_secret: s}")));
	g_assert_false(model_is_function_call(val(fx, "{get_inputs: x}")));
	g_assert_false(model_is_function_call(val(fx, "{concat: a, b: c}")));
	g_assert_false(model_is_function_call(val(fx, "[get_input]")));
	g_assert_false(model_is_function_call(val(fx, "get_input")));
	g_assert_false(model_is_function_call(NULL));
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
#define ADD(name, dialect, fn) g_test_add("/model/value/" name, struct fx, \
					  dialect, setup, fn, teardown)
	ADD("tosca-primitives", "tosca", test_tosca_primitives);
	ADD("cloudify-primitives", "cloudify", test_cloudify_primitives);
	ADD("marks-and-paths", "tosca", test_marks_and_paths);
	ADD("nested-data-types", "tosca", test_nested_data_types);
	ADD("cloudify-nested", "cloudify", test_cloudify_nested);
	ADD("schemas", "tosca", test_schemas);
	ADD("constraints", "tosca", test_constraints);
	ADD("cloudify-constraints", "cloudify", test_cloudify_constraints);
	ADD("inherited-constraints", "tosca", test_inherited_constraints);
	ADD("portspec", "tosca", test_portspec);
	ADD("constraint-defs", "tosca", test_constraint_defs);
	ADD("cloudify-constraint-defs", "cloudify",
	    test_cloudify_constraint_defs);
	ADD("function-names", "tosca", test_function_names);
	return g_test_run();
}
