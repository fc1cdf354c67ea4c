/* teststore.c: fixtures for the store's unit tests. See teststore.h. */
#include "teststore.h"
#include "testerr.h"
#include "testlib.h"

struct store *test_store_open(const char *dir)
{
	struct bp_error *err = NULL;
	struct store *s = NULL;

	TEST_OK(store_open(dir, &s, &err), &err);
	return s;
}

void store_fixture_setup(struct store_fixture *f, gconstpointer data)
{
	f->dir = test_tmpdir();
	f->s = test_store_open(f->dir);
}

void store_fixture_teardown(struct store_fixture *f, gconstpointer data)
{
	store_free(f->s);
	test_rmtree(f->dir);
	g_free(f->dir);
}

void test_store_add_deployment(struct store *s, const char *id)
{
	struct bp_error *err = NULL;
	json_t *inputs = json_pack("{s:i}", "n", 1);
	struct store_deployment d = {
		.id = id,
		.blueprint_path = "bp.yaml",
		.blueprint_hash = "0123abcd",
		.inputs = inputs,
	};

	TEST_OK(store_deployment_create(s, &d, &err), &err);
	json_decref(inputs);
}

struct store_instance *test_instance_new(const char *id,
					 const char *deployment,
					 const char *node,
					 const char *host_id)
{
	struct store_instance *i = g_new0(struct store_instance, 1);

	i->id = g_strdup(id);
	i->deployment = g_strdup(deployment);
	i->node = g_strdup(node);
	i->host_id = g_strdup(host_id);
	i->state = STORE_INSTANCE_INITIAL;
	i->runtime_props = json_object();
	return i;
}

GPtrArray *test_instances_new(const char *deployment, const char *node,
			      const char *prefix, unsigned n)
{
	GPtrArray *all = g_ptr_array_new_with_free_func(
		(GDestroyNotify)store_instance_free);

	for (unsigned k = 0; k < n; k++) {
		g_autofree char *id = g_strdup_printf("%s_%06u", prefix, k);
		struct store_instance *i = test_instance_new(id, deployment,
							     node, NULL);

		i->index = k;
		g_ptr_array_add(all, i);
	}
	return all;
}

void test_store_add_instance(struct store *s, const char *id,
			     const char *deployment, const char *node,
			     const char *host_id)
{
	struct bp_error *err = NULL;
	g_autoptr(GPtrArray) one = g_ptr_array_new_with_free_func(
		(GDestroyNotify)store_instance_free);

	g_ptr_array_add(one, test_instance_new(id, deployment, node, host_id));
	TEST_OK(store_instance_insert(s, one, &err), &err);
}
