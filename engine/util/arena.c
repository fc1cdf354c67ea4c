/* arena.c: the bump allocator of arena.h. Chunks grow geometrically up to
 * 1 MiB; a request larger than a chunk gets a chunk of its own. Chunks are
 * zeroed when made, so every allocation starts zeroed. */
#include "util/arena.h"

#include <glib.h>
#include <string.h>

struct bp_arena_chunk {
	struct bp_arena_chunk *next;
	size_t size;                     /* usable bytes in data */
	max_align_t data[];
};

#define ALIGN (sizeof(max_align_t))
#define FIRST_CHUNK (16 * 1024)
#define MAX_CHUNK (1024 * 1024)

void bp_arena_init(struct bp_arena *a)
{
	a->head = NULL;
	a->used = 0;
	a->total = 0;
}

void bp_arena_release(struct bp_arena *a)
{
	struct bp_arena_chunk *c = a->head;

	while (c) {
		struct bp_arena_chunk *next = c->next;
		g_free(c);
		c = next;
	}
	bp_arena_init(a);
}

static void arena_grow(struct bp_arena *a, size_t need)
{
	size_t size = a->head ? a->head->size * 2 : FIRST_CHUNK;
	struct bp_arena_chunk *c;

	if (size > MAX_CHUNK)
		size = MAX_CHUNK;
	if (size < need)
		size = need;
	/* zeroed once here (big blocks come zeroed from the kernel), so
	 * allocations need no memset: an arena never reuses memory */
	c = g_malloc0(sizeof(*c) + size);
	c->size = size;
	c->next = a->head;
	a->head = c;
	a->used = 0;
}

void *bp_arena_alloc(struct bp_arena *a, size_t size)
{
	void *p;

	size = (size + ALIGN - 1) & ~(ALIGN - 1);
	if (size == 0)
		size = ALIGN;
	if (!a->head || a->head->size - a->used < size)
		arena_grow(a, size);
	p = (char *)a->head->data + a->used;
	a->used += size;
	a->total += size;
	return p;
}

char *bp_arena_strndup(struct bp_arena *a, const char *s, size_t len)
{
	char *p = bp_arena_alloc(a, len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *bp_arena_strdup(struct bp_arena *a, const char *s)
{
	return bp_arena_strndup(a, s, strlen(s));
}
