/* inputs.h: deployment inputs given on the command line (`-i FILE`,
 * `-i KEY=VALUE,KEY2=VALUE2`, `-i '{"key": 1}'`), gathered into one YAML
 * map whose every value keeps a mark, so input errors point at the file
 * line or the command-line argument they came from.
 */
#ifndef BP_MODEL_INPUTS_H
#define BP_MODEL_INPUTS_H

#include "dsl/node.h"

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
