/* arena.h: a bump allocator for objects that die together.
 *
 * A parsed YAML document allocates hundreds of thousands of small nodes and
 * strings that are all freed at once with the document; an arena makes that
 * one pointer bump per allocation and a handful of free() calls at the end.
 * Not thread-safe: one arena belongs to one builder at a time.
 */
#ifndef BP_UTIL_ARENA_H
#define BP_UTIL_ARENA_H

#include <stddef.h>

struct bp_arena_chunk;

struct bp_arena {
	struct bp_arena_chunk *head;   /* chunk being filled, newest first */
	size_t used;                   /* bytes used in head */
	size_t total;                  /* bytes handed out, for statistics */
};

/* Initialises an empty arena; allocates nothing. Can't fail. */
void bp_arena_init(struct bp_arena *a);
/* Frees every chunk; the arena is empty and usable again. */
void bp_arena_release(struct bp_arena *a);

/* Returns `size` zeroed bytes aligned for any object, valid until
 * bp_arena_release(). Aborts on out-of-memory, as g_malloc does. */
void *bp_arena_alloc(struct bp_arena *a, size_t size);
/* Copies `len` bytes of `s` and a terminating NUL into the arena. */
char *bp_arena_strndup(struct bp_arena *a, const char *s, size_t len);
char *bp_arena_strdup(struct bp_arena *a, const char *s);

#endif
