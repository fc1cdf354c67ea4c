/* error.h: errors as values, each carrying a message and a source mark.
 *
 * Every layer reports failure through a struct bp_error: a small code for the
 * failures callers may want to tell apart, a message in git's style
 * (lowercase, no final full stop, the subject in single quotes), the place in
 * a blueprint it is about (file:line:col) and the YAML path there.
 *
 * Rules, as GLib's GError: a fallible function takes `struct bp_error **err`
 * last and returns bool (true = ok) or a pointer (NULL = error). On failure it
 * sets *err (if err is not NULL); errors are never piled up (setting an error
 * that is already set is a bug). Context is added on the way up with
 * bp_error_prefix(), never by replacing the error.
 *
 * Validation reports more than one problem: struct bp_diags collects errors
 * (up to a cap) where going on after the first one is useful.
 */
#ifndef BP_UTIL_ERROR_H
#define BP_UTIL_ERROR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <glib.h>

/* Expected failures callers may act on. Numbers are stable. */
enum bp_error_code {
	BP_ERR_GENERIC   = 1,  /* anything else */
	BP_ERR_SYNTAX    = 2,  /* YAML or file format */
	BP_ERR_INVALID   = 3,  /* well-formed but wrong: types, values, refs */
	BP_ERR_NOT_FOUND = 4,  /* a named thing does not exist */
	BP_ERR_CONFLICT  = 5,  /* redefinition, duplicate, lock held */
	BP_ERR_IO        = 6,  /* files, sockets, the store */
	BP_ERR_PLUGIN    = 7,  /* a plugin failed to load or an operation failed */
	BP_ERR_CANCELLED = 8,  /* the user cancelled */
	BP_ERR_USAGE     = 9,  /* wrong arguments to a command */
	BP_ERR_CODE_LAST       /* never use */
};

/* A place in a source file. `file` is interned (g_intern_string) and lives
 * for the whole process, so marks are copied by value freely. line and col
 * are 1-based; 0 means unknown. */
struct bp_mark {
	const char *file;
	unsigned line;
	unsigned col;
};

struct bp_error {
	enum bp_error_code code;
	char *message;          /* owned */
	struct bp_mark mark;    /* file NULL when not about a source place */
	char *path;             /* owned, YAML path ("node_templates.vm"), or NULL */
};

/* Sets *err to a new error (if err is not NULL). `mark` and `path` may be
 * NULL. Setting an error on an already set *err is a bug: the new one is
 * dropped and a critical warning is logged. */
void bp_error_set(struct bp_error **err, enum bp_error_code code,
		  const struct bp_mark *mark, const char *path,
		  const char *fmt, ...) G_GNUC_PRINTF(5, 6);
void bp_error_setv(struct bp_error **err, enum bp_error_code code,
		   const struct bp_mark *mark, const char *path,
		   const char *fmt, va_list ap) G_GNUC_PRINTF(5, 0);

/* Prepends "PREFIX: " to the message of *err; no-op when err or *err is NULL.
 * Returns false, so `return bp_error_prefix(err, ...)` reads naturally. */
bool bp_error_prefix(struct bp_error **err, const char *fmt, ...)
	G_GNUC_PRINTF(2, 3);

/* Moves *src into *dst (dst may be NULL: then *src is freed). *src is NULL
 * afterwards. */
void bp_error_propagate(struct bp_error **dst, struct bp_error *src);

/* (transfer full) a deep copy. */
struct bp_error *bp_error_copy(const struct bp_error *e);

/* Frees an error; accepts NULL. */
void bp_error_free(struct bp_error *e);

/* Frees *err and sets it to NULL; accepts NULL and *err == NULL. */
void bp_error_clear(struct bp_error **err);

/* (transfer full) "file:line:col: error: message [at path]", the form
 * compilers and json-glib use. Unknown parts are left out. */
char *bp_error_format(const struct bp_error *e);
/* The same with another word than "error" ("warning"). */
char *bp_error_format_as(const struct bp_error *e, const char *level);

/* True when the mark is known. */
static inline bool bp_mark_known(const struct bp_mark *m)
{
	return m && m->file && m->line;
}

typedef struct bp_error bp_error;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(bp_error, bp_error_free)

/* A list of errors found by a validation pass that goes on after the first.
 * Holds at most `cap` errors; later ones are counted in `dropped`. */
struct bp_diags {
	GPtrArray *errors;   /* of struct bp_error *, owned */
	unsigned cap;
	unsigned dropped;
};

/* Initialises an empty list with the given cap (0 = unlimited). Can't fail. */
void bp_diags_init(struct bp_diags *d, unsigned cap);
/* Frees the errors and the list; bp_diags_init() makes it usable again. */
void bp_diags_release(struct bp_diags *d);

/* Adds an error. Returns false always (so a checker can `return
 * bp_diags_add(...)` to say "this value is bad"). */
bool bp_diags_add(struct bp_diags *d, enum bp_error_code code,
		  const struct bp_mark *mark, const char *path,
		  const char *fmt, ...) G_GNUC_PRINTF(5, 6);
/* Consumes `e`: appends it (or frees it when over the cap). */
void bp_diags_take(struct bp_diags *d, struct bp_error *e);

static inline unsigned bp_diags_count(const struct bp_diags *d)
{
	return d->errors ? d->errors->len + d->dropped : d->dropped;
}

/* Moves the first error of `d` into *err (a summary when there are several:
 * "N errors; the first: ..."); leaves `d` empty. No-op when `d` is empty. */
void bp_diags_to_error(struct bp_diags *d, struct bp_error **err);

/* Orders errors by file, line, column (stable); for reporting. */
void bp_diags_sort(struct bp_diags *d);

#endif
