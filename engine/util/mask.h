/* mask.h: hiding secret values in text that is stored or shown.
 *
 * A struct bp_mask is a set of secret values. bp_mask_text() copies a text
 * with every occurrence of any of them replaced by BP_MASK_HIDDEN; the
 * store runs event messages, task messages and execution errors through it
 * before they are written, and the CLI runs what it prints (status values,
 * events) through it, so a secret's value appears in no event, log, status
 * line or error message. One implementation for both.
 *
 * Matching is on bytes, case-sensitive. Longer values are tried first, so a
 * secret that contains another is hidden whole. A value of several lines
 * also hides each of its lines on its own (plugins log a key line by line).
 * Every non-empty value is masked, however short: a leak is worse than an
 * over-masked message. Does not parse anything: a value written in another
 * form (base64, JSON-escaped) is not recognised.
 *
 * Not thread-safe: a mask being added to must not be used by another
 * thread at the same time (the store keeps its own under its mutex).
 */
#ifndef BP_UTIL_MASK_H
#define BP_UTIL_MASK_H

#include <stdbool.h>
#include <glib.h>
#include <jansson.h>

/* What a hidden value is replaced with. */
#define BP_MASK_HIDDEN "******"

struct bp_mask;

/* (transfer full) an empty mask (it hides nothing), freed with
 * bp_mask_free(). Can't fail. */
struct bp_mask *bp_mask_new(void);

/* Frees the mask and its copies of the values; accepts NULL. */
void bp_mask_free(struct bp_mask *m);

/* Adds secret `value` (copied) and, when it has several lines, each
 * non-empty line of it. NULL, an empty value or one already known are
 * ignored. Can't fail. */
void bp_mask_add(struct bp_mask *m, const char *value);

/* True when the mask hides nothing (no value was added). */
bool bp_mask_is_empty(const struct bp_mask *m);

/* True when `text` (or NULL) contains a value of the mask. */
bool bp_mask_hits(const struct bp_mask *m, const char *text);

/* (transfer full, g_free) a copy of `text` with every occurrence of a
 * value replaced by BP_MASK_HIDDEN; NULL for NULL. `m` may be NULL (a copy
 * unchanged). Can't fail. */
char *bp_mask_text(const struct bp_mask *m, const char *text);

/* (transfer full, json_decref) a deep copy of `v` in which every string,
 * and every object key, is masked as bp_mask_text() does; NULL for NULL.
 * Two keys that become equal once masked keep the later one. Can't fail
 * (aborts on out-of-memory, as g_malloc does). */
json_t *bp_mask_json(const struct bp_mask *m, json_t *v);

typedef struct bp_mask bp_mask;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(bp_mask, bp_mask_free)

#endif
