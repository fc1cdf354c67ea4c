/* test-model-constraint.c: constraints (model/value.h) with types built
 * by hand (tests/lib/typefx.h): each operator passing and failing, on
 * numbers, strings, lists, maps, scalar-units, versions, timestamps and
 * ranges; Cloudify's error_message and special types; constraints
 * inherited through data types; and constraint definitions. */
#include "model/value.h"
#include "testlib.h"
#include "typefx.h"

#include <string.h>

/* Cases without a value: the constraint definitions are checked. */
#define DEF(type, constraints, error) { type, constraints, NULL, error }

#define TOSCA_OPS "'equal', 'greater_than', 'greater_or_equal', " \
	"'less_than', 'less_or_equal', 'in_range', 'valid_values', 'length', " \
	"'min_length', 'max_length', 'pattern'"

static void test_constraints(struct typefx *fx, gconstpointer data)
{
	static const struct typefx_case cases[] = {
		{ "integer", "[{equal: 5}]", "5", NULL },
		{ "integer", "[{equal: 5}]", "6",
		  "value 6 of 'p' is not equal "
		  "to 5" },
		{ "float", "[{equal: 5}]", "5.0", NULL },
		{ "string", "[{equal: a}]", "b",
		  "value 'b' of 'p' is not "
		  "equal to 'a'" },
		{ "integer", "[{greater_than: 5}]", "6", NULL },
		{ "integer", "[{greater_than: 5}]", "5",
		  "value 5 of 'p' is not "
		  "greater than 5" },
		{ "integer", "[{greater_or_equal: 5}]", "5", NULL },
		{ "integer", "[{greater_or_equal: 5}]", "4",
		  "value 4 of 'p' is "
		  "not greater than or equal to 5" },
		{ "float", "[{less_than: 1.5}]", "1.4", NULL },
		{ "float", "[{less_than: 1.5}]", "1.5",
		  "value 1.5 of 'p' is "
		  "not less than 1.5" },
		{ "integer", "[{less_or_equal: 5}]", "5", NULL },
		{ "integer", "[{less_or_equal: 5}]", "6",
		  "value 6 of 'p' is "
		  "not less than or equal to 5" },
		{ "integer", "[{in_range: [2, 65534]}]", "2", NULL },
		{ "integer", "[{in_range: [2, 65534]}]", "1",
		  "value 1 of 'p' "
		  "is out of range [2, 65534]" },
		{ "integer", "[{in_range: [2, 65534]}]", "65535",
		  "value 65535 "
		  "of 'p' is out of range [2, 65534]" },
		/* a range is in range when both its bounds are */
		{ "range", "[{in_range: [1, 65535]}]", "[2, 80]", NULL },
		{ "range", "[{in_range: [1, 65535]}]", "[0, 80]",
		  "value [0, "
		  "80] of 'p' is out of range [1, 65535]" },
		{ "range", "[{in_range: [1, UNBOUNDED]}]", "[5, UNBOUNDED]",
		  NULL },
		{ "range", "[{valid_values: [[1, 2], [3, 4]]}]", "[3, 4]",
		  NULL },
		/* 64-bit integers compare exactly */
		{ "integer", "[{less_than: 9007199254740993}]",
		  "9007199254740992", NULL },
		{ "string", "[{valid_values: [hi, ab]}]", "ab", NULL },
		{ "string", "[{valid_values: [hi, ab]}]", "lorem",
		  "value "
		  "'lorem' of 'p' is not one of ['hi', 'ab']" },
		{ "string", "[{length: 2}]", "hi", NULL },
		{ "string", "[{length: 2}]", "héé",
		  "value 'héé' of 'p' has "
		  "length 3, expected 2" },
		{ "list", "[{length: 2}]", "[1, 2]", NULL },
		{ "map", "[{min_length: 1}]", "{}",
		  "value {} of 'p' is too "
		  "short: length 0, expected at least 1" },
		{ "string", "[{max_length: 1}]", "hi",
		  "value 'hi' of 'p' is "
		  "too long: length 2, expected at most 1" },
		/* TOSCA patterns match the whole value */
		{ "string", "[{pattern: '(hi)|(ab)'}]", "ab", NULL },
		{ "string", "[{pattern: hi}]", "hip",
		  "value 'hip' of 'p' does "
		  "not match pattern 'hi'" },
		/* every clause is checked */
		{ "string",
		  "[{max_length: 1}, {min_length: 2}, "
		  "{valid_values: [hi]}, {length: 2}, {pattern: hi}]",
		  "hi",
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
		{ "scalar-unit.time", "[{in_range: [1m, 1h]}]", "2 h",
		  "value "
		  "'2 h' of 'p' is out of range ['1m', '1h']" },
		{ "scalar-unit.bitrate", "[{less_than: 1 Mbps}]", "1 KBps",
		  NULL },
		{ "scalar-unit.bitrate", "[{less_than: 1 Mbps}]", "1 MBps",
		  "value '1 MBps' of 'p' is not less than '1 Mbps'" },
		/* versions by their parts */
		{ "version", "[{in_range: [1.2.3.beta-3, 1.2.3.beta-5]}]",
		  "1.2.3.beta-4", NULL },
		{ "version", "[{in_range: [1.2.3.beta-3, 1.2.3.beta-5]}]",
		  "1.2.3",
		  "value '1.2.3' of 'p' is out of range "
		  "['1.2.3.beta-3', '1.2.3.beta-5']" },
		{ "version", "[{greater_than: 1.9}]", "1.10", NULL },
		{ "version", "[{equal: 1.0.0}]", "1.0", NULL },
		/* timestamps by the instant */
		{ "timestamp", "[{greater_or_equal: 2020-01-01}]",
		  "2019-12-31T23:00:00-02:00", NULL },
		{ "timestamp", "[{less_than: 2020-01-01}]",
		  "2019-12-31 23:00:00 -2",
		  "value '2019-12-31 23:00:00 -2' of "
		  "'p' is not less than '2020-01-01'" },
		/* a function call as argument is checked once evaluated */
		{ "integer", "[{greater_than: {get_input: min}}]", "1", NULL },
		/* untyped values */
		{ NULL, "[{greater_than: 5}]", "abc",
		  "value 'abc' of 'p' "
		  "cannot be compared with 5: expected a number" },
		{ NULL, "[{max_length: 2}]", "5",
		  "value 5 of 'p' has no "
		  "length: expected a string, a list or a map" },
		{ NULL, "[{pattern: a}]", "5",
		  "value 5 of 'p' cannot match "
		  "pattern 'a': expected a string" },
		/* null is no value: constraints do not apply */
		{ NULL, "[{min_length: 2}]", "~", NULL },
	};

	TYPEFX_RUN(fx, cases);
}

static void test_cloudify_constraints(struct typefx *fx, gconstpointer data)
{
	static const struct typefx_case cases[] = {
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

	TYPEFX_RUN(fx, cases);
}

/* Constraints come from the property, its type and the type's ancestors,
 * each clause once. */
static void test_inherited_constraints(struct typefx *fx, gconstpointer data)
{
	struct model_type *portdef = typefx_type(
		fx, "PortDef", 0, typefx_builtin(fx, "integer"), false);
	struct model_type *high =
		typefx_type(fx, "HighPort", 0, portdef, false);
	struct dsl_node *merged;
	struct model_prop *p;

	portdef->constraints = typefx_val(fx, "[{in_range: [1, 65535]}]");
	high->constraints = typefx_val(fx, "[{greater_than: 1023}]");
	p = typefx_prop(fx, "port", high, "[{less_than: 60000}]");
	g_autofree char *ok = typefx_check(fx, p, "8080");
	g_assert_cmpstr(ok, ==, "");
	g_autofree char *low = typefx_check(fx, p, "0");
	g_assert_cmpstr(low, ==,
			"value 0 of 'port' is not greater than 1023\n"
			"value 0 of 'port' is out of range [1, 65535]");
	g_autofree char *top = typefx_check(fx, p, "65536");
	g_assert_cmpstr(top, ==,
			"value 65536 of 'port' is not less than 60000"
			"\nvalue 65536 of 'port' is out of range [1, 65535]");

	/* a type's list that repeats its parent's clause (merged own and
	 * inherited): the same clause reached twice is checked once */
	merged = (struct dsl_node *)typefx_val(fx, "[~, {greater_than: 1023}]");
	merged->u.seq.items[0] = portdef->constraints->u.seq.items[0];
	high->constraints = merged;
	g_autofree char *once = typefx_check(fx, p, "0");
	g_assert_cmpstr(once, ==,
			"value 0 of 'port' is out of range [1, 65535]"
			"\nvalue 0 of 'port' is not greater than 1023");
}

static void test_constraint_defs(struct typefx *fx, gconstpointer data)
{
	static const struct typefx_case cases[] = {
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
		    "expected one of " TYPEFX_SIZE_UNITS),
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
		DEF("range", "[{valid_values: [[1, 2], [3, UNBOUNDED]]}]",
		    NULL),
		DEF("range", "[{equal: 5}]", "expected a range for constraint "
		    "'equal' of 'p', found an integer (5)"),
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

	TYPEFX_RUN(fx, cases);
}

static void test_cloudify_constraint_defs(struct typefx *fx, gconstpointer d)
{
	static const struct typefx_case cases[] = {
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

	TYPEFX_RUN(fx, cases);
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
#define ADD(name, dialect, fn) g_test_add("/model/constraint/" name, \
					  struct typefx, dialect, \
					  typefx_setup, fn, typefx_teardown)
	ADD("values", "tosca", test_constraints);
	ADD("cloudify-values", "cloudify", test_cloudify_constraints);
	ADD("inherited", "tosca", test_inherited_constraints);
	ADD("definitions", "tosca", test_constraint_defs);
	ADD("cloudify-definitions", "cloudify",
	    test_cloudify_constraint_defs);
	return g_test_run();
}
