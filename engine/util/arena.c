/* arena.c: the bump allocator of arena.h. Chunks grow geometrically up to
 * 2 MiB; a request larger than a chunk gets a chunk of its own. Chunks are
 * zeroed when made, so every allocation starts zeroed. Chunks of 2 MiB and
 * more are aligned to 2 MiB and offered to the kernel as huge pages: a big
 * blueprint's tree is tens of megabytes, and touching it a 4 KiB page at a
 * time costs more than building it (where transparent huge pages are off,
 * this changes nothing). */
#include "util/arena.h"

#include <glib.h>
#include <string.h>
#include <sys/mman.h>

struct bp_arena_chunk {
	struct bp_arena_chunk *next;
	size_t size;                     /* usable bytes in data */
	max_align_t data[];
};

/* malloc's alignment: enough for every object the engine keeps here.
 * (sizeof(max_align_t) is 32 on x86-64, its alignment 16.) */
#define ALIGN (_Alignof(max_align_t))
#define FIRST_CHUNK (16 * 1024)
#define HUGE_PAGE (2 * 1024 * 1024)
#define MAX_CHUNK (HUGE_PAGE - sizeof(struct bp_arena_chunk))

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
		if (c->size >= MAX_CHUNK)
			g_aligned_free(c);
		else
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
	if (size >= MAX_CHUNK) {
		/* whole huge pages, header included */
		size_t bytes = (sizeof(*c) + size + HUGE_PAGE - 1) &
			       ~(size_t)(HUGE_PAGE - 1);
		c = g_aligned_alloc(1, bytes, HUGE_PAGE);
#ifdef MADV_HUGEPAGE
		madvise(c, bytes, MADV_HUGEPAGE);
#endif
		memset(c, 0, bytes);
		size = bytes - sizeof(*c);
	} else {
		/* zeroed once here (big blocks come zeroed from the kernel),
		 * so allocations need no memset: an arena never reuses
		 * memory */
		c = g_malloc0(sizeof(*c) + size);
	}
	c->size = size;
	c->next = a->head;
	a->head = c;
	a->used = 0;
}

/* `size` bytes aligned to `align` (a power of two). */
static void *arena_take(struct bp_arena *a, size_t size, size_t align)
{
	size_t at = a->head ? (a->used + align - 1) & ~(align - 1) : 0;
	void *p;

	if (!a->head || at > a->head->size || a->head->size - at < size) {
		arena_grow(a, size);
		at = 0;
	}
	p = (char *)a->head->data + at;
	a->used = at + size;
	a->total += size;
	return p;
}

void *bp_arena_alloc(struct bp_arena *a, size_t size)
{
	return arena_take(a, size ? size : 1, ALIGN);
}

char *bp_arena_strndup(struct bp_arena *a, const char *s, size_t len)
{
	char *p = arena_take(a, len + 1, 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *bp_arena_strdup(struct bp_arena *a, const char *s)
{
	return bp_arena_strndup(a, s, strlen(s));
}
