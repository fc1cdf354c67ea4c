/* test-util-arena.c: the bump allocator: objects aligned for any type
 * after unaligned strings, zeroed, requests bigger than a chunk, and the
 * huge-page chunks a big arena grows into, all freed by release (run
 * under `make check SAN=1` for the leaks). */
#include "util/arena.h"
#include "testlib.h"

#include <stdalign.h>
#include <stdint.h>
#include <string.h>

static void test_alignment(void)
{
	struct bp_arena a;

	bp_arena_init(&a);
	for (int i = 0; i < 1000; i++) {
		char *s = bp_arena_strndup(&a, "abcdefgh", (size_t)(i % 7));
		unsigned char *p = bp_arena_alloc(&a, (size_t)(i % 50) + 1);
		g_assert_cmpuint(strlen(s), ==, (size_t)(i % 7));
		g_assert_cmpuint((uintptr_t)p % alignof(max_align_t), ==, 0);
		for (int k = 0; k < i % 50 + 1; k++)
			g_assert_cmpuint(p[k], ==, 0);
		memset(p, 0xff, (size_t)(i % 50) + 1);
	}
	bp_arena_release(&a);
}

static void test_big(void)
{
	struct bp_arena a;
	size_t total = 0;

	bp_arena_init(&a);
	/* one request bigger than any chunk, then enough small ones to grow
	 * through 2 MiB chunks */
	memset(bp_arena_alloc(&a, 5 * 1024 * 1024), 1, 5 * 1024 * 1024);
	while (total < 12 * 1024 * 1024) {
		char *p = bp_arena_alloc(&a, 1000);
		g_assert_cmpuint(p[999], ==, 0);
		memset(p, 2, 1000);
		total += 1000;
	}
	g_assert_cmpuint(a.total, >=, total + 5 * 1024 * 1024);
	bp_arena_release(&a);
	g_assert_null(a.head);
	/* usable again */
	g_assert_nonnull(bp_arena_strdup(&a, "again"));
	bp_arena_release(&a);
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
	g_test_add_func("/util/arena/alignment", test_alignment);
	g_test_add_func("/util/arena/big", test_big);
	return g_test_run();
}
