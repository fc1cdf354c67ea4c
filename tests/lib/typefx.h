/* typefx.h: a fixture for the value-checking tests: data types and
 * property definitions built by hand (no blueprint, no model_build), YAML
 * snippets as values, and tables of cases checked against them. Everything
 * it makes is freed by typefx_teardown().
 */
#ifndef BP_TYPEFX_H
#define BP_TYPEFX_H

#include <glib.h>

#include "model/value.h"

struct typefx {
	struct model m;               /* only m.svc is set (Cloudify) */
	GPtrArray *docs;              /* parsed snippets */
	GPtrArray *types;             /* struct model_type *, owned */
	GPtrArray *props;             /* struct model_prop *, owned */
	GHashTable *by_name;          /* the builtin types */
	struct dsl_entry entry;       /* stands for "defined in a file" */
	struct bp_diags d;            /* the last check's errors */
	char *dir;
};

/* GTest setup: `dialect` is "tosca" or "cloudify" (a blueprint of that
 * dialect is loaded so the checks follow its rules). Registers the
 * builtin types of both dialects. */
void typefx_setup(struct typefx *fx, gconstpointer dialect);
void typefx_teardown(struct typefx *fx, gconstpointer data);

/* The value written in `text` (a whole YAML document, file "t.yaml"). */
const struct dsl_node *typefx_val(struct typefx *fx, const char *text);

/* A data type; a user one (with an entry) unless `builtin`. A derived
 * type inherits its parent's kind and properties. */
struct model_type *typefx_type(struct typefx *fx, const char *name,
			       enum model_prim prim,
			       struct model_type *parent, bool builtin);
/* A builtin type by name ("integer", "scalar-unit.size", "regex"...). */
struct model_type *typefx_builtin(struct typefx *fx, const char *name);

/* A required property definition; `constraints` is YAML or NULL. */
struct model_prop *typefx_prop(struct typefx *fx, const char *name,
			       struct model_type *t,
			       const char *constraints);
/* The same, added to the properties of the data type `owner`. */
struct model_prop *typefx_field(struct typefx *fx, struct model_type *owner,
				const char *name, struct model_type *t,
				const char *constraints);

/* Checks the value in `text` against `p` (YAML path "props.p"); returns
 * (transfer full) every message, one per line ("" when valid). */
char *typefx_check(struct typefx *fx, const struct model_prop *p,
		   const char *text);
/* Checks the constraint definitions of `p`; returns them likewise. */
char *typefx_check_defs(struct typefx *fx, const struct model_prop *p);

/* A table case: the value is checked against a property of the type with
 * the constraints; without a value, the constraint definitions are. */
struct typefx_case {
	const char *type;         /* builtin type name, NULL = any */
	const char *constraints;  /* YAML list or NULL */
	const char *value;        /* YAML, or NULL */
	const char *error;        /* NULL = valid, else the whole message;
				     a final '*' matches any rest (for
				     messages quoting GLib's or jansson's) */
};

/* Runs the cases; each mismatch is logged and fails the test. */
void typefx_run(struct typefx *fx, const struct typefx_case *cases,
		size_t n);
#define TYPEFX_RUN(fx, cases) typefx_run(fx, cases, G_N_ELEMENTS(cases))

#define TYPEFX_SIZE_UNITS "B, kB, KiB, MB, MiB, GB, GiB, TB, TiB"

#endif
