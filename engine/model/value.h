/* value.h: checking values (YAML nodes) against property definitions, data
 * types and constraints, in both dialects.
 *
 * A value is a struct dsl_node with its mark, its scalars already resolved
 * as PyYAML resolves them (a plain `123456789` is an integer, `"1.5"` a
 * string). model_check_value() checks one value against a property
 * definition: the primitive or data type, entry_schema/key_schema of lists
 * and maps, the properties of complex data types (recursively), and every
 * constraint of the property and of its data type chain. Each problem is
 * reported into a struct bp_diags with the mark of the offending node and
 * its YAML path, so one pass shows them all.
 *
 * The dialect matters in a few places, decided by the blueprint's main file
 * (tosca_definitions_version cloudify_dsl_*): Cloudify's `string` (and its
 * string-valued types: textarea, blueprint_id, deployment_id, ...) accepts
 * any value, `pattern` matches at the start of a value (Python re.match)
 * where TOSCA matches the whole value, and constraints may carry an
 * `error_message`. TOSCA follows its reference parser at the top level of
 * a value: any scalar is taken for a string, a boolean for an integer;
 * nested values are strict. Everything else is common.
 *
 * Function calls ({get_input: x}, {concat: [...]}) are not checked here:
 * they are checked once evaluated. Ownership: everything here borrows its
 * arguments; the few constructors say (transfer full).
 */
#ifndef BP_MODEL_VALUE_H
#define BP_MODEL_VALUE_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "dsl/node.h"
#include "model/model.h"

/* --- Function calls --- */

/* The intrinsic function called by `v`, or NULL when `v` is not a call. A
 * call is a map with exactly one key, and that key names a function of
 * either dialect (get_input, get_property, get_attribute, concat, ...; the
 * one list of them is in value.c). The result is a static string. */
const char *model_function_name(const struct dsl_node *v);

/* True when `v` is an intrinsic function call (see model_function_name). */
static inline bool model_is_function_call(const struct dsl_node *v)
{
	return model_function_name(v) != NULL;
}

/* --- Checking values --- */

/* Checks `v` against the definition `prop`: its type (prop->type NULL
 * means any value), entry_schema/key_schema, nested data type properties
 * (unknown keys and missing required ones without a default are errors
 * naming the full path, 'a.b.c.d' or 'contacts[1].phone'), a PortSpec's
 * ports within their ranges, and the constraints of the property and of
 * its data type and ancestors. Null is accepted where the property is not
 * required (it stands for no value) and constraints skip it.
 * Function calls, at the top or nested, are skipped. `path` is the YAML
 * path of `v` (for the errors; may be NULL). `m` may be NULL (then TOSCA
 * rules apply). Returns true when `v` is valid; false after adding one
 * error per problem to `d`. */
bool model_check_value(const struct model *m, const struct model_prop *prop,
		       const struct dsl_node *v, const char *path,
		       struct bp_diags *d);

/* Checks a `constraints` list as written in a definition of `prop` (whose
 * type must be resolved): each item is a map with one known operator
 * (equal, greater_than, greater_or_equal, less_than, less_or_equal,
 * in_range, valid_values, length, min_length, max_length, pattern; and for
 * Cloudify's special types filter_id, labels, tenants, name_pattern,
 * deployment_id) plus, in Cloudify, an optional error_message; its
 * argument has the right shape (in_range a list of two ascending bounds,
 * valid_values a list, lengths non-negative integers, pattern a valid
 * regular expression) and is a valid value of the property's type
 * ("4 GB" for a size); the operator applies to that type. `constraints`
 * NULL or null is fine. Returns true when all is well; false after adding
 * each problem to `d`. */
bool model_check_constraint_defs(const struct model *m,
				 const struct model_prop *prop,
				 const struct dsl_node *constraints,
				 const char *path, struct bp_diags *d);

/* --- TOSCA special types --- */

/* Parses a scalar-unit of the given kind (MODEL_PRIM_SIZE, _TIME,
 * _FREQUENCY or _BITRATE): `<number> <unit>`, any spaces (or none) in
 * between. Units are matched case-insensitively (except the b/B of
 * bitrates, which tells bits from bytes): size B kB KiB MB MiB GB GiB TB
 * TiB; time d h m s ms us ns; frequency Hz kHz MHz GHz; bitrate bps Kbps
 * Kibps Mbps Mibps Gbps Gibps Tbps Tibps and the same with Bps (bytes).
 * On success sets *base_out to the value in the base unit (bytes, seconds,
 * Hz, bits per second), *unit_out to the unit's canonical spelling (a
 * static string) and returns true. On failure returns false and sets
 * *unit_out to where the unit starts in `text` ("" when there is none)
 * when the number was fine, or to NULL when the number itself is bad.
 * Either out pointer may be NULL. */
bool model_scalar_unit_parse(enum model_prim kind, const char *text,
			     double *base_out, const char **unit_out);

/* The valid units of a scalar-unit kind, "B, kB, KiB, ...", for messages
 * (a static string); "" for other kinds. */
const char *model_scalar_unit_names(enum model_prim kind);

/* A TOSCA version: major.minor[.fix[.qualifier[-build]]]. */
struct model_version {
	uint64_t major, minor, fix;
	const char *qualifier;   /* into the parsed text, or NULL */
	size_t qualifier_len;
	uint64_t build;
};

/* Parses a version. Returns true and fills *out (its qualifier points into
 * `text`); false when `text` is not a version (nothing written). */
bool model_version_parse(const char *text, struct model_version *out);

/* Orders two versions: the numbers left to right; with equal numbers a
 * version with a qualifier is older than one without, qualifiers compare
 * as strings, then builds as numbers. Returns <0, 0 or >0. */
int model_version_cmp(const struct model_version *a,
		      const struct model_version *b);

/* Parses a timestamp in the YAML 1.1 forms (ISO 8601): `2001-12-14`,
 * `2001-12-14t21:59:43.10-05:00`, `2001-12-14 21:59:43.10 -5`,
 * `2001-12-15T02:59:43.1Z`. Returns true and sets *epoch_out to seconds
 * since 1970-01-01T00:00:00Z (fractions kept); false when `text` is not a
 * valid timestamp (a bad form or a day, hour... out of range). */
bool model_timestamp_parse(const char *text, double *epoch_out);

/* --- Plugins see values as JSON --- */

/* (transfer full) `v` as JSON: integers as integers, floats as reals
 * (.inf and .nan, which JSON lacks, as their YAML text), booleans, null,
 * strings, lists as arrays and maps as objects in their key order. Map
 * keys are the keys' text; a NULL `v` is null. Returns NULL only when
 * out of memory. */
json_t *model_value_to_json(const struct dsl_node *v);

/* --- Inputs from the command line (inputs.c) --- */

/* The file name in the marks of values given inline on the command line;
 * their line is the number of the -i argument (1 for the first), their
 * column the byte in it (1-based). */
#define MODEL_INPUTS_CMDLINE "<command line>"

/* Gathers the NULL-terminated `args` (each the argument of one -i; `args`
 * may be NULL) into one map, later arguments overriding earlier ones key
 * by key. An argument is:
 *  - the path of a YAML (or JSON) file holding a map (an empty file is an
 *    empty map);
 *  - an inline YAML/JSON map when it starts with '{';
 *  - else KEY=VALUE pairs separated by ',' or ';' (a separator counts only
 *    when a KEY= follows it, so `ports=80,443;name=x` gives the string
 *    '80,443'). Each VALUE is resolved as a plain YAML scalar (`port=80`
 *    is the integer 80, `debug=true` a boolean, `name=` null); a VALUE in
 *    matching quotes is the string inside.
 * Returns (transfer full) a document whose root is that map, or NULL with
 * *err set: BP_ERR_IO (a file cannot be read), BP_ERR_SYNTAX (bad YAML),
 * BP_ERR_INVALID (a file or inline value that is not a map), BP_ERR_USAGE
 * (a pair without KEY=). */
struct dsl_doc *model_inputs_parse(const char *const *args,
				   struct bp_error **err);

#endif
