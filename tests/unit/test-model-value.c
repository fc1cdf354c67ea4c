/* test-model-value.c: checking values against types and data types
 * (model/value.h) with types built by hand (tests/lib/typefx.h): every
 * primitive valid and invalid in both dialects, lists and maps with
 * entry_schema and key_schema, nested data types with the full path in
 * messages, required and unknown properties, PortSpec, function calls. */
#include "model/value.h"
#include "testlib.h"
#include "typefx.h"

#include <string.h>

static void test_tosca_primitives(struct typefx *fx, gconstpointer data)
{
	static const struct typefx_case cases[] = {
		{ "string", NULL, "hello", NULL },
		{ "string", NULL, "'123'", NULL },
		/* at the top level, any scalar is taken as its text, as
		 * tosca-parser does (nested ones are strict: see below) */
		{ "string", NULL, "123456789", NULL },
		{ "string", "[{max_length: 2}]", "123",
		  "value 123 of 'p' is "
		  "too long: length 3, expected at most 2" },
		{ "string", "[{pattern: '[0-9]+'}]", "1.5",
		  "value 1.5 of 'p' "
		  "does not match pattern '[0-9]+'" },
		{ "string", NULL, "[a]",
		  "expected a string for 'p', found a "
		  "list" },
		{ "string", NULL, "~",
		  "expected a string for 'p', found null" },
		{ "integer", NULL, "5", NULL },
		{ "integer", NULL, "-0x10", NULL },
		{ "integer", NULL, "two",
		  "expected an integer for 'p', found "
		  "a string ('two')" },
		{ "integer", NULL, "'5'",
		  "expected an integer for 'p', found "
		  "a string ('5')" },
		{ "integer", NULL, "1.5",
		  "expected an integer for 'p', found "
		  "a float (1.5)" },
		{ "integer", NULL, "99999999999999999999",
		  "integer "
		  "99999999999999999999 for 'p' is out of the 64-bit range" },
		{ "float", NULL, "1.5", NULL },
		{ "float", NULL, "3", NULL },
		{ "float", NULL, "-.inf", NULL },
		{ "float", NULL, "'1.5'",
		  "expected a float for 'p', found a "
		  "string ('1.5')" },
		{ "integer", NULL, "yes", NULL },
		{ "boolean", NULL, "yes", NULL },
		{ "boolean", NULL, "false", NULL },
		{ "boolean", NULL, "1",
		  "expected a boolean for 'p', found an "
		  "integer (1)" },
		{ "null", NULL, "~", NULL },
		{ "null", NULL, "0",
		  "expected null for 'p', found an integer "
		  "(0)" },
		{ "timestamp", NULL, "2001-12-14", NULL },
		{ "timestamp", NULL, "2001-12-14t21:59:43.10-05:00", NULL },
		{ "timestamp", NULL, "2001-12-14 21:59:43.10 -5", NULL },
		{ "timestamp", NULL, "2000-02-29T00:00:00Z", NULL },
		{ "timestamp", NULL, "2001-02-29",
		  "invalid timestamp "
		  "'2001-02-29' for 'p': expected a date or a date and time "
		  "such as 2001-12-14T21:59:43.10-05:00" },
		{ "timestamp", NULL, "2001-12-14 25:00:00",
		  "invalid timestamp "
		  "'2001-12-14 25:00:00' for 'p': expected a date or a date "
		  "and time such as 2001-12-14T21:59:43.10-05:00" },
		{ "timestamp", NULL, "20011214",
		  "expected a timestamp for "
		  "'p', found an integer (20011214)" },
		{ "version", NULL, "1.0", NULL },
		{ "version", NULL, "2.1.3", NULL },
		{ "version", NULL, "1.2.3.beta-4", NULL },
		{ "version", NULL, "2",
		  "invalid version '2' for 'p': expected "
		  "major.minor[.fix[.qualifier[-build]]]" },
		{ "version", NULL, "1.2.3.beta-",
		  "invalid version "
		  "'1.2.3.beta-' for 'p': expected "
		  "major.minor[.fix[.qualifier[-build]]]" },
		{ "version", NULL, "{a: 1}",
		  "expected a version for 'p', "
		  "found a map" },
		{ "range", NULL, "[1, 5]", NULL },
		{ "range", NULL, "[1, UNBOUNDED]", NULL },
		{ "range", NULL, "[5, 1]",
		  "invalid range [5, 1] for 'p': "
		  "expected [min, max], integers with min <= max (max may be "
		  "UNBOUNDED)" },
		{ "range", NULL, "[UNBOUNDED, 1]",
		  "invalid range ['UNBOUNDED', "
		  "1] for 'p': expected [min, max], integers with min <= max "
		  "(max may be UNBOUNDED)" },
		{ "range", NULL, "5",
		  "expected a range for 'p', found an "
		  "integer (5)" },
		{ "list", NULL, "[1, a]", NULL },
		{ "list", NULL, "{a: 1}",
		  "expected a list for 'p', found a "
		  "map" },
		{ "map", NULL, "{a: 1}", NULL },
		{ "map", NULL, "[1]", "expected a map for 'p', found a list" },
		{ "scalar-unit.size", NULL, "4 GB", NULL },
		{ "scalar-unit.size", NULL, "1.5kib", NULL },
		{ "scalar-unit.size", NULL, "10",
		  "missing unit in '10' for "
		  "'p': expected a scalar-unit.size with a unit, one "
		  "of " TYPEFX_SIZE_UNITS },
		{ "scalar-unit.size", NULL, "10 XB",
		  "unknown unit 'XB' in "
		  "'10 XB' for 'p': expected one of " TYPEFX_SIZE_UNITS },
		{ "scalar-unit.size", NULL, "GB",
		  "invalid scalar-unit.size "
		  "'GB' for 'p': expected a number and a unit, one "
		  "of " TYPEFX_SIZE_UNITS },
		{ "scalar-unit.time", NULL, "10.5m", NULL },
		{ "scalar-unit.time", NULL, "2 D", NULL },
		{ "scalar-unit.frequency", NULL, "123e3 kHz", NULL },
		{ "scalar-unit.bitrate", NULL, "1.23 KiBps", NULL },
		{ "scalar-unit.bitrate", NULL, "10 kbps", NULL },
		{ "scalar-unit.bitrate", NULL, "true",
		  "expected a "
		  "scalar-unit.bitrate for 'p', found a boolean (true)" },
		{ "tosca.datatypes.json", NULL, "'{\"a\": [1, 2]}'", NULL },
		{ "tosca.datatypes.json", NULL, "{a: [1, 2]}", NULL },
		{ "tosca.datatypes.json", NULL, "'{\"a\": [1, 2'",
		  "invalid "
		  "JSON text for 'p': ']' expected near end of file at line 1, "
		  "column 11" },
		{ NULL, NULL, "{anything: [goes]}", NULL },
		{ NULL, NULL, "~", NULL },
		/* function calls are checked once evaluated */
		{ "integer", NULL, "{get_input: port}", NULL },
		{ "string", NULL, "{concat: [a, b]}", NULL },
		/* not a call: two keys */
		{ "string", NULL, "{get_input: a, b: 1}",
		  "expected a string "
		  "for 'p', found a map" },
	};

	TYPEFX_RUN(fx, cases);
}

static void test_cloudify_primitives(struct typefx *fx, gconstpointer data)
{
	static const struct typefx_case cases[] = {
		/* Cloudify's string (and its string-valued types) take
		 * anything */
		{ "string", NULL, "123", NULL },
		{ "string", NULL, "[1, 2]", NULL },
		{ "textarea", NULL, "{a: b}", NULL },
		{ "deployment_id", NULL, "5", NULL },
		{ "integer", NULL, "1.5",
		  "expected an integer for 'p', found "
		  "a float (1.5)" },
		{ "float", NULL, "1", NULL },
		{ "boolean", NULL, "'yes'",
		  "expected a boolean for 'p', found "
		  "a string ('yes')" },
		{ "dict", NULL, "{a: 1}", NULL },
		{ "dict", NULL, "[{'0_o': ~}]",
		  "expected a map for 'p', found "
		  "a list" },
		{ "list", NULL, "{'0_o': ~}",
		  "expected a list for 'p', found a "
		  "map" },
		{ "regex", NULL, "'^a+$'", NULL },
		{ "regex", NULL, "'(a'",
		  "invalid regular expression '(a' for "
		  "'p': *" },
		{ "regex", NULL, "5",
		  "expected a string for 'p', found an "
		  "integer (5)" },
	};

	TYPEFX_RUN(fx, cases);
}

/* Two errors at once, with marks and YAML paths. */
static void test_marks_and_paths(struct typefx *fx, gconstpointer data)
{
	struct model_prop *p =
		typefx_prop(fx, "ports", typefx_builtin(fx, "list"), NULL);
	struct bp_error *e;

	p->entry_schema = typefx_prop(fx, NULL, typefx_builtin(fx, "integer"),
				      "[{in_range: [1, 65535]}]");
	g_autofree char *got = typefx_check(fx, p, "- 80\n- http\n- 0\n");
	g_assert_cmpstr(got, ==,
			"expected an integer for 'ports[1]', found "
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
static struct model_type *people_type(struct typefx *fx)
{
	struct model_type *str = typefx_builtin(fx, "string");
	struct model_type *base, *people, *contact;
	struct model_prop *p;

	base = typefx_type(fx, "tosca.my.datatypes.PeopleBase",
			   MODEL_PRIM_COMPLEX, NULL, false);
	typefx_field(fx, base, "name", str, "[{min_length: 2}]");
	p = typefx_field(fx, base, "gender", str, NULL);
	p->required = false;
	p->default_value = typefx_val(fx, "unknown");
	contact = typefx_type(fx, "tosca.my.datatypes.ContactInfo",
			      MODEL_PRIM_COMPLEX, NULL, false);
	typefx_field(fx, contact, "contact_name", str, "[{min_length: 2}]");
	typefx_field(fx, contact, "contact_email", str, NULL)->required = false;
	typefx_field(fx, contact, "contact_phone", str, NULL)->required = false;
	people = typefx_type(fx, "tosca.my.datatypes.People", 0, base, false);
	p = typefx_field(fx, people, "addresses", typefx_builtin(fx, "map"),
			 NULL);
	p->required = false;
	p->entry_schema = typefx_prop(fx, NULL, str, NULL);
	p = typefx_field(fx, people, "contacts", typefx_builtin(fx, "list"),
			 NULL);
	p->required = false;
	p->entry_schema = typefx_prop(fx, NULL, contact, NULL);
	return people;
}

static void test_nested_data_types(struct typefx *fx, gconstpointer data)
{
	struct model_prop *p = typefx_prop(fx, "people", people_type(fx), NULL);
	struct bp_error *e;
	g_autofree char *ok = typefx_check(
		fx, p,
		"name: Mike\ngender: male\n"
		"addresses: {Home: 1 foo street, Office: 9 bar avenue}\n"
		"contacts:\n"
		"  - {contact_name: Jerry, contact_phone: '321654987'}\n");
	g_assert_cmpstr(ok, ==, "");

	/* tosca-parser's test_custom_datatypes_nested_datatype_error */
	g_autofree char *bad = typefx_check(fx, p,
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
	g_autofree char *notmap = typefx_check(
		fx, p, "name: Mike\naddresses: [1 foo street, 9 bar avenue]\n");
	g_assert_cmpstr(notmap, ==, "expected a map for 'people.addresses', "
			"found a list");

	/* everything at once: unknown, missing, constraint */
	g_autofree char *many = typefx_check(
		fx, p,
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
	g_autofree char *fn =
		typefx_check(fx, p,
			     "name: {get_input: n}\naddresses: ~\n"
			     "contacts: [{contact_name: {concat: [a, b]}}]\n");
	g_assert_cmpstr(fn, ==, "");
}

/* cloudify's test_nested_type_error: property 'a.b.c.d' */
static void test_cloudify_nested(struct typefx *fx, gconstpointer data)
{
	struct model_type *a =
		typefx_type(fx, "a", MODEL_PRIM_COMPLEX, NULL, false);
	struct model_type *b =
		typefx_type(fx, "b", MODEL_PRIM_COMPLEX, NULL, false);
	struct model_type *c =
		typefx_type(fx, "c", MODEL_PRIM_COMPLEX, NULL, false);
	struct model_prop *p = typefx_prop(fx, "a", a, NULL);

	typefx_field(fx, a, "b", b, NULL);
	typefx_field(fx, b, "c", c, NULL);
	typefx_field(fx, c, "d", typefx_builtin(fx, "integer"), NULL);
	g_autofree char *got =
		typefx_check(fx, p, "b:\n  c:\n    d: should_be_int\n");
	g_assert_cmpstr(got, ==,
			"expected an integer for 'a.b.c.d', found a "
			"string ('should_be_int')");
	g_autofree char *missing = typefx_check(fx, p, "b:\n  c: {}\n");
	g_assert_cmpstr(missing, ==,
			"missing required property 'a.b.c.d' of "
			"data type 'c'");
	g_autofree char *empty = typefx_check(
		fx,
		typefx_prop(fx, "e",
			    typefx_type(fx, "empty", MODEL_PRIM_COMPLEX, NULL,
					false),
			    NULL),
		"{x: 1}");
	g_assert_cmpstr(empty, ==, "unknown property 'e.x' of data type "
			"'empty': expected no properties");
}

static void test_schemas(struct typefx *fx, gconstpointer data)
{
	struct model_type *lower = typefx_type(
		fx, "LowerCase", 0, typefx_builtin(fx, "string"), false);
	struct model_type *timemap =
		typefx_type(fx, "TimeMap", 0, typefx_builtin(fx, "map"), false);
	struct model_prop *p;

	lower->constraints = typefx_val(fx, "[{pattern: '[a-z]*'}]");
	timemap->entry_schema = typefx_prop(
		fx, NULL, typefx_builtin(fx, "scalar-unit.time"), NULL);

	p = typefx_prop(fx, "m", typefx_builtin(fx, "map"), NULL);
	p->key_schema = typefx_prop(fx, NULL, lower, NULL);
	p->entry_schema =
		typefx_prop(fx, NULL, typefx_builtin(fx, "string"), NULL);
	g_autofree char *keys = typefx_check(fx, p,
					     "{greeting: Hello, Name: x, "
					     "n: 1}");
	g_assert_cmpstr(keys, ==,
		"value 'Name' of 'm.Name' does not match pattern '[a-z]*'\n"
		"expected a string for 'm.n', found an integer (1)");

	/* entry_schema inherited from the data type */
	p = typefx_prop(fx, "t", timemap, NULL);
	g_autofree char *times =
		typefx_check(fx, p, "{first: 100 s, second: 5}");
	g_assert_cmpstr(times, ==,
			"missing unit in '5' for 't.second': "
			"expected a scalar-unit.time with a unit, one of d, h, "
			"m, s, ms, us, ns");

	/* a user type derived from a primitive names itself */
	p = typefx_prop(fx, "l", lower, NULL);
	g_autofree char *named = typefx_check(fx, p, "[a]");
	g_assert_cmpstr(named, ==,
			"expected a string of type 'LowerCase' for "
			"'l', found a list");

	/* list-level constraints apply to the list, entry ones to entries */
	p = typefx_prop(fx, "fl", typefx_builtin(fx, "list"),
			"[{min_length: 2}]");
	p->entry_schema = typefx_prop(fx, NULL, typefx_builtin(fx, "float"),
				      "[{in_range: [-1.0, 1.0]}]");
	g_autofree char *list = typefx_check(fx, p, "[1.5]");
	g_assert_cmpstr(list, ==,
			"value 1.5 of 'fl[0]' is out of range [-1.0, 1.0]\n"
			"value [1.5] of 'fl' is too short: length 1, expected "
			"at "
			"least 2");
}

/* TOSCA's PortSpec: a port within its range (tosca-parser's
 * test_datatype_portspec_add_req). */
static void test_portspec(struct typefx *fx, gconstpointer data)
{
	struct model_type *range = typefx_builtin(fx, "range");
	struct model_type *portdef, *spec;
	struct model_prop *p;

	portdef = typefx_type(fx, "tosca.datatypes.network.PortDef", 0,
			      typefx_builtin(fx, "integer"), false);
	portdef->constraints = typefx_val(fx, "[{in_range: [1, 65535]}]");
	spec = typefx_type(fx, "tosca.datatypes.network.PortSpec",
			   MODEL_PRIM_COMPLEX, NULL, false);
	typefx_field(fx, spec, "protocol", typefx_builtin(fx, "string"),
		     NULL)->required = false;
	typefx_field(fx, spec, "source", portdef, NULL)->required = false;
	typefx_field(fx, spec, "source_range", range, NULL)->required = false;
	typefx_field(fx, spec, "target", portdef, NULL)->required = false;
	typefx_field(fx, spec, "target_range", range, NULL)->required = false;
	p = typefx_prop(fx, "test_port", spec, NULL);
	g_autofree char *zero =
		typefx_check(fx, p, "{protocol: tcp, source: 0}");
	g_assert_cmpstr(zero, ==,
			"value 0 of 'test_port.source' is out of "
			"range [1, 65535]");
	g_autofree char *over = typefx_check(fx, p,
					     "{protocol: tcp, source: 65535, "
					     "source_range: [2, 65534]}");
	g_assert_cmpstr(over, ==, "value 65535 of 'test_port.source' is out "
			"of range [2, 65534]");
	g_autofree char *under = typefx_check(fx, p,
					      "{protocol: tcp, source: 1, "
					      "source_range: [2, 65534]}");
	g_assert_cmpstr(under, ==, "value 1 of 'test_port.source' is out of "
			"range [2, 65534]");
	g_autofree char *ok = typefx_check(fx, p,
					   "{target: 80, target_range: [1, "
					   "UNBOUNDED]}");
	g_assert_cmpstr(ok, ==, "");
	g_autofree char *none = typefx_check(fx, p, "{protocol: tcp}");
	g_assert_cmpstr(none, ==,
			"'test_port' needs at least one of "
			"'source', 'source_range', 'target' or 'target_range' "
			"(a tosca.datatypes.network.PortSpec)");
}

static void test_function_names(struct typefx *fx, gconstpointer data)
{
	g_assert_cmpstr(model_function_name(typefx_val(fx, "{get_input: x}")),
			==, "get_input");
	g_assert_cmpstr(model_function_name(typefx_val(fx, "{get_artifact: "
							   "[a]}")),
			==, "get_artifact");
	g_assert_true(model_is_function_call(typefx_val(fx, "{get_secret: "
							    "s}")));
	g_assert_false(model_is_function_call(typefx_val(fx, "{get_inputs: "
							     "x}")));
	g_assert_false(model_is_function_call(typefx_val(fx, "{concat: a, b: "
							     "c}")));
	g_assert_false(model_is_function_call(typefx_val(fx, "[get_input]")));
	g_assert_false(model_is_function_call(typefx_val(fx, "get_input")));
	g_assert_false(model_is_function_call(NULL));
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
#define ADD(name, dialect, fn) g_test_add("/model/value/" name, \
					  struct typefx, dialect, \
					  typefx_setup, fn, typefx_teardown)
	ADD("tosca-primitives", "tosca", test_tosca_primitives);
	ADD("cloudify-primitives", "cloudify", test_cloudify_primitives);
	ADD("marks-and-paths", "tosca", test_marks_and_paths);
	ADD("nested-data-types", "tosca", test_nested_data_types);
	ADD("cloudify-nested", "cloudify", test_cloudify_nested);
	ADD("schemas", "tosca", test_schemas);
	ADD("portspec", "tosca", test_portspec);
	ADD("function-names", "tosca", test_function_names);
	return g_test_run();
}
