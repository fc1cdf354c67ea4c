/* teststore.h: fixtures for the store's unit tests: a store in a fresh
 * directory, a deployment, node instance records in bulk. Every helper
 * aborts the test on an unexpected error. */
#ifndef BP_TESTSTORE_H
#define BP_TESTSTORE_H

#include "store/store.h"

/* A store in a fresh temporary directory, for g_test_add(): */
struct store_fixture {
	char *dir;             /* removed by the teardown */
	struct store *s;       /* freed by the teardown, before the removal */
};
void store_fixture_setup(struct store_fixture *f, gconstpointer data);
void store_fixture_teardown(struct store_fixture *f, gconstpointer data);

/* Adds test `fn` (void fn(struct store_fixture *, gconstpointer)). */
#define STORE_TEST(path, fn) \
	g_test_add((path), struct store_fixture, NULL, store_fixture_setup, \
		   (fn), store_fixture_teardown)

/* (transfer full) the store opened on `dir`. */
struct store *test_store_open(const char *dir);

/* Creates deployment `id` (blueprint "bp.yaml", inputs {"n": 1}). */
void test_store_add_deployment(struct store *s, const char *id);

/* (transfer full) an instance record of node `node` in `deployment`,
 * state initial, runtime properties {} and no scaling groups. */
struct store_instance *test_instance_new(const char *id,
					 const char *deployment,
					 const char *node,
					 const char *host_id);

/* (transfer full) `n` instance records "PREFIX_000000"... of `node`, with
 * index 0..n-1. */
GPtrArray *test_instances_new(const char *deployment, const char *node,
			      const char *prefix, unsigned n);

/* Inserts one instance record made by test_instance_new(). */
void test_store_add_instance(struct store *s, const char *id,
			     const char *deployment, const char *node,
			     const char *host_id);

#endif
