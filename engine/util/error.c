/* error.c: struct bp_error and struct bp_diags, errors as values with marks.
 * See error.h for the rules every fallible function follows. */
#include "util/error.h"

#include <string.h>

static struct bp_error *error_new(enum bp_error_code code,
				  const struct bp_mark *mark, const char *path,
				  char *message)
{
	struct bp_error *e = g_new0(struct bp_error, 1);

	e->code = code;
	e->message = message;
	if (mark)
		e->mark = *mark;
	e->path = g_strdup(path);
	return e;
}

void bp_error_setv(struct bp_error **err, enum bp_error_code code,
		   const struct bp_mark *mark, const char *path,
		   const char *fmt, va_list ap)
{
	if (!err)
		return;
	if (*err) {
		g_critical("bp_error_set over an error already set: '%s'",
			   (*err)->message);
		return;
	}
	*err = error_new(code, mark, path, g_strdup_vprintf(fmt, ap));
}

void bp_error_set(struct bp_error **err, enum bp_error_code code,
		  const struct bp_mark *mark, const char *path,
		  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	bp_error_setv(err, code, mark, path, fmt, ap);
	va_end(ap);
}

bool bp_error_prefix(struct bp_error **err, const char *fmt, ...)
{
	va_list ap;
	g_autofree char *prefix = NULL;
	char *joined;

	if (!err || !*err)
		return false;
	va_start(ap, fmt);
	prefix = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	joined = g_strconcat(prefix, ": ", (*err)->message, NULL);
	g_free((*err)->message);
	(*err)->message = joined;
	return false;
}

void bp_error_propagate(struct bp_error **dst, struct bp_error *src)
{
	if (!src)
		return;
	if (!dst) {
		bp_error_free(src);
		return;
	}
	if (*dst) {
		g_critical("bp_error_propagate over an error already set");
		bp_error_free(src);
		return;
	}
	*dst = src;
}

struct bp_error *bp_error_copy(const struct bp_error *e)
{
	return error_new(e->code, &e->mark, e->path, g_strdup(e->message));
}

void bp_error_free(struct bp_error *e)
{
	if (!e)
		return;
	g_free(e->message);
	g_free(e->path);
	g_free(e);
}

void bp_error_clear(struct bp_error **err)
{
	if (err && *err) {
		bp_error_free(*err);
		*err = NULL;
	}
}

char *bp_error_format(const struct bp_error *e)
{
	return bp_error_format_as(e, "error");
}

char *bp_error_format_as(const struct bp_error *e, const char *level)
{
	GString *s = g_string_new(NULL);

	if (e->mark.file) {
		g_string_append(s, e->mark.file);
		if (e->mark.line)
			g_string_append_printf(s, ":%u:%u", e->mark.line,
					       e->mark.col);
		g_string_append(s, ": ");
	}
	g_string_append_printf(s, "%s: %s", level, e->message);
	if (e->path && *e->path)
		g_string_append_printf(s, " [at %s]", e->path);
	return g_string_free(s, FALSE);
}

void bp_diags_init(struct bp_diags *d, unsigned cap)
{
	d->errors = g_ptr_array_new_with_free_func((GDestroyNotify)bp_error_free);
	d->cap = cap;
	d->dropped = 0;
}

void bp_diags_release(struct bp_diags *d)
{
	if (d->errors)
		g_ptr_array_unref(d->errors);
	d->errors = NULL;
	d->dropped = 0;
}

void bp_diags_take(struct bp_diags *d, struct bp_error *e)
{
	if (d->cap && d->errors->len >= d->cap) {
		d->dropped++;
		bp_error_free(e);
		return;
	}
	g_ptr_array_add(d->errors, e);
}

bool bp_diags_add(struct bp_diags *d, enum bp_error_code code,
		  const struct bp_mark *mark, const char *path,
		  const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	bp_diags_take(d, error_new(code, mark, path, msg));
	return false;
}

void bp_diags_to_error(struct bp_diags *d, struct bp_error **err)
{
	struct bp_error *first;
	unsigned n = bp_diags_count(d);

	if (!d->errors || d->errors->len == 0)
		return;
	first = g_ptr_array_steal_index(d->errors, 0);
	if (n > 1) {
		char *m = g_strdup_printf("%s (and %u more errors)",
					  first->message, n - 1);
		g_free(first->message);
		first->message = m;
	}
	g_ptr_array_set_size(d->errors, 0);
	d->dropped = 0;
	bp_error_propagate(err, first);
}

static int mark_cmp(gconstpointer a, gconstpointer b)
{
	const struct bp_error *x = *(struct bp_error *const *)a;
	const struct bp_error *y = *(struct bp_error *const *)b;
	int c = g_strcmp0(x->mark.file, y->mark.file);

	if (c)
		return c;
	if (x->mark.line != y->mark.line)
		return x->mark.line < y->mark.line ? -1 : 1;
	if (x->mark.col != y->mark.col)
		return x->mark.col < y->mark.col ? -1 : 1;
	return 0;
}

void bp_diags_sort(struct bp_diags *d)
{
	/* g_ptr_array_sort is a merge sort in GLib >= 2.32: stable. */
	g_ptr_array_sort(d->errors, mark_cmp);
}
