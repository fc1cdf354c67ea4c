/* store-insert.c: how fast the store takes what an install writes.
 *
 * Prints, for a state directory in $TMPDIR (a real disk unless TMPDIR says
 * otherwise): inserting 10,000 node instances in one call (best and median
 * of 5), their relationship instances, listing them back, and the rate of
 * single-commit writes the executor makes (runtime properties, events).
 * Numbers only: nothing here passes or fails on time.
 */
#include "store/store.h"
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>

#define INSTANCES 10000
#define RUNS 5
#define COMMITS 500

static void die_on(struct bp_error *err)
{
	if (!err)
		return;
	fprintf(stderr, "store-insert: %s\n", err->message);
	exit(1);
}

/* Instances "R_vm_000000"... of run R: half hosts, half hosted on them,
 * with a few runtime properties each, as a plan makes them. */
static GPtrArray *make_instances(const char *dep, unsigned run)
{
	GPtrArray *all = g_ptr_array_new_with_free_func(
		(GDestroyNotify)store_instance_free);

	for (unsigned k = 0; k < INSTANCES; k++) {
		struct store_instance *i = g_new0(struct store_instance, 1);
		bool host = k < INSTANCES / 2;

		i->id = g_strdup_printf("%u_%s_%06u", run, host ? "vm" : "app",
					k);
		i->deployment = g_strdup(dep);
		i->node = g_strdup(host ? "vm" : "app");
		i->host_id = host ? NULL : g_strdup_printf("%u_vm_%06u", run,
							   k - INSTANCES / 2);
		i->runtime_props = json_pack("{s:s,s:i}", "image", "debian-12",
					     "k", k);
		i->index = k;
		g_ptr_array_add(all, i);
	}
	return all;
}

/* One contained_in relationship per hosted instance. */
static GPtrArray *make_relationships(GPtrArray *instances)
{
	GPtrArray *all = g_ptr_array_new_with_free_func(
		(GDestroyNotify)store_relationship_free);

	for (guint k = 0; k < instances->len; k++) {
		struct store_instance *i = instances->pdata[k];
		struct store_relationship *r;

		if (!i->host_id)
			continue;
		r = g_new0(struct store_relationship, 1);
		r->deployment = g_strdup(i->deployment);
		r->source_id = g_strdup(i->id);
		r->target_id = g_strdup(i->host_id);
		r->type = g_strdup("cloudify.relationships.contained_in");
		g_ptr_array_add(all, r);
	}
	return all;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double ms_since(gint64 start)
{
	return (double)(g_get_monotonic_time() - start) / 1000.0;
}

static void bench_bulk(struct store *s)
{
	struct bp_error *err = NULL;
	double ms[RUNS], rel_ms = 0, list_ms = 0;

	for (unsigned run = 0; run < RUNS; run++) {
		g_autofree char *dep = g_strdup_printf("bench%u", run);
		struct store_deployment d = { .id = dep, .blueprint_path = "b",
					      .blueprint_hash = "h" };
		g_autoptr(GPtrArray) inst = make_instances(dep, run);
		g_autoptr(GPtrArray) rels = make_relationships(inst);
		g_autoptr(GPtrArray) back = NULL;
		gint64 t;

		store_deployment_create(s, &d, &err);
		die_on(err);
		t = g_get_monotonic_time();
		store_instance_insert(s, inst, &err);
		ms[run] = ms_since(t);
		die_on(err);
		t = g_get_monotonic_time();
		store_relationship_insert(s, rels, &err);
		rel_ms += ms_since(t);
		die_on(err);
		t = g_get_monotonic_time();
		store_instance_list(s, dep, NULL, &back, &err);
		list_ms += ms_since(t);
		die_on(err);
	}
	qsort(ms, RUNS, sizeof(ms[0]), cmp_double);
	printf("insert %d node instances (one call):  best %.1f ms, "
	       "median %.1f ms\n", INSTANCES, ms[0], ms[RUNS / 2]);
	printf("insert %d relationship instances:     mean %.1f ms\n",
	       INSTANCES / 2, rel_ms / RUNS);
	printf("list %d node instances:               mean %.1f ms\n",
	       INSTANCES, list_ms / RUNS);
}

static void bench_commits(struct store *s)
{
	struct bp_error *err = NULL;
	json_t *props = json_pack("{s:s}", "ip", "10.0.0.1");
	struct store_event ev = { .deployment = "bench0", .type = "log",
				  .message = "a plugin says hello" };
	gint64 t = g_get_monotonic_time();
	double ms;

	for (unsigned k = 0; k < COMMITS; k++) {
		store_instance_set_props(s, "bench0", "0_vm_000000", props,
					 STORE_ANY_VERSION, NULL, &err);
		die_on(err);
	}
	ms = ms_since(t);
	printf("set runtime properties, one commit each: %.0f/s "
	       "(%.3f ms each)\n", COMMITS / ms * 1000, ms / COMMITS);
	t = g_get_monotonic_time();
	for (unsigned k = 0; k < COMMITS; k++) {
		store_event_append(s, &ev, NULL, &err);
		die_on(err);
	}
	ms = ms_since(t);
	printf("append an event, one commit each:        %.0f/s "
	       "(%.3f ms each)\n", COMMITS / ms * 1000, ms / COMMITS);
	json_decref(props);
}

int main(void)
{
	g_autofree char *dir = test_tmpdir();
	struct bp_error *err = NULL;
	struct store *s = NULL;

	store_open(dir, &s, &err);
	die_on(err);
	printf("state directory %s\n", dir);
	bench_bulk(s);
	bench_commits(s);
	store_free(s);
	test_rmtree(dir);
	return 0;
}
