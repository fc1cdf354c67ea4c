/* test-plugin-abi.c: the plugin ABI stays compatible, checked at compile
 * time. tests/abi/plugin-X.Y.h is the header as released for ABI X.Y; the
 * Makefile copies it to build/gen/abi/ with every bp_/BP_ name prefixed
 * abi_X_Y_, so all can be included here. Every 1.0 and 1.1 field of every public
 * struct must keep its offset and size, and every public number its value;
 * a change fails the build. The field lists prove themselves complete:
 * the structs have no padding, so the sizes of the fields listed must add
 * up to the size of the frozen struct.
 *
 * At run time: BP_PLUGIN_DEFINE fills the ABI fields from the header and
 * hands the plugin the table; the engine's table fills every slot and
 * states its own version and size; BP_API_HAS follows the size. */
#include "abi/plugin-1.0.h"
#include "abi/plugin-1.1.h"
#include "blueprint/plugin.h"
#include "plugin/loader.h"
#include "testlib.h"

#include <string.h>

#define OLD(V, S) struct abi_##V##_bp_##S
#define NEW(S) struct bp_##S
#define FSIZE(T, f) sizeof(((T *)0)->f)

/* Field f of struct bp_S is where and as large as it was in ABI V. */
#define SAME(V, S, f)                                                       \
	_Static_assert(offsetof(OLD(V, S), f) == offsetof(NEW(S), f),       \
		       "struct bp_" #S "." #f " moved");                    \
	_Static_assert(FSIZE(OLD(V, S), f) == FSIZE(NEW(S), f),             \
		       "struct bp_" #S "." #f " changed size");
#define PLUS_SIZE(V, S, f) + FSIZE(OLD(V, S), f)

/* Checks every field a list names, and that the list names them all: the
 * frozen structs have no padding, so their sizes must add up to the
 * struct. */
#define CHECK_STRUCT(V, S, FIELDS)                                          \
	FIELDS(SAME, V, S)                                                  \
	_Static_assert(0 FIELDS(PLUS_SIZE, V, S) == sizeof(OLD(V, S)),      \
		       "struct bp_" #S ": a " #V " field is not listed");   \
	_Static_assert(sizeof(NEW(S)) >= sizeof(OLD(V, S)),                 \
		       "struct bp_" #S " shrank")

#define SAME_VALUE(name)                                                    \
	_Static_assert((long)abi_1_0_##name == (long)name,                  \
		       #name " changed its value since 1.0");               \
	_Static_assert((long)abi_1_1_##name == (long)name,                  \
		       #name " changed its value since 1.1")

SAME_VALUE(BP_ABI_MAJOR);
_Static_assert(BP_ABI_MINOR >= abi_1_0_BP_ABI_MINOR, "the minor went back");
_Static_assert(BP_ABI_MINOR >= abi_1_1_BP_ABI_MINOR, "the minor went back");
SAME_VALUE(BP_OK);
SAME_VALUE(BP_RETRY);
SAME_VALUE(BP_FAIL);
SAME_VALUE(BP_FAIL_FATAL);
SAME_VALUE(BP_LOG_DEBUG);
SAME_VALUE(BP_LOG_INFO);
SAME_VALUE(BP_LOG_WARNING);
SAME_VALUE(BP_LOG_ERROR);
SAME_VALUE(BP_SCOPE_PROPERTIES);
SAME_VALUE(BP_SCOPE_RUNTIME);
SAME_VALUE(BP_SCOPE_INPUTS);
SAME_VALUE(BP_SCOPE_DEPLOYMENT_INPUTS);

#define OP_1_0(X, V, S) X(V, S, name) X(V, S, fn)

#define DESC_1_0(X, V, S)                                                      \
	X(V, S, abi_major) X(V, S, abi_minor) X(V, S, struct_size) X(V, S, reserved0)   \
	X(V, S, name) X(V, S, version) X(V, S, ops) X(V, S, load) X(V, S, unload)          \
	X(V, S, reserved)

#define API_1_0(X, V, S)                                                       \
	X(V, S, abi_major) X(V, S, abi_minor) X(V, S, size) X(V, S, reserved0)          \
	X(V, S, strdupf) X(V, S, vstrdupf) X(V, S, free)                             \
	X(V, S, deployment_id) X(V, S, operation_name) X(V, S, attempt)              \
	X(V, S, deadline) X(V, S, cancelled) X(V, S, state)                          \
	X(V, S, node_name) X(V, S, node_type) X(V, S, instance_id)                   \
	X(V, S, source) X(V, S, target)                                           \
	X(V, S, get_json) X(V, S, get_string) X(V, S, get_int) X(V, S, get_bool)        \
	X(V, S, get_double)                                                    \
	X(V, S, runtime_set) X(V, S, runtime_delete) X(V, S, output_set)             \
	X(V, S, secret) X(V, S, vlog) X(V, S, vresult) X(V, S, json_quote)

#define API_1_1(X, V, S)                                                    \
	API_1_0(X, V, S) X(V, S, blueprint_dir) X(V, S, execution_id)

CHECK_STRUCT(1_0, op, OP_1_0);
CHECK_STRUCT(1_0, plugin_desc, DESC_1_0);
CHECK_STRUCT(1_0, api, API_1_0);
CHECK_STRUCT(1_1, op, OP_1_0);
CHECK_STRUCT(1_1, plugin_desc, DESC_1_0);
CHECK_STRUCT(1_1, api, API_1_1);
_Static_assert(sizeof(NEW(op)) == sizeof(OLD(1_0, op)),
	       "struct bp_op is an array element: its size is fixed");

/* A plugin defined in this program, as a plugin author would write it. */
static int loads;

static bool abi_load(const struct bp_api *api, void **state, char **errmsg)
{
	loads++;
	*state = &loads;
	return true;
}

static int op_nothing(bp_ctx *ctx)
{
	return BP_OK;
}

static const struct bp_op abi_ops[] = {
	{ "nothing", op_nothing },
	{ NULL, NULL },
};

BP_PLUGIN_DEFINE("abi-test", "1.2.3", abi_ops, abi_load, NULL);

static void test_define_fills_abi_fields(void)
{
	const struct bp_plugin_desc *d = bp_plugin_entry();
	void *state = NULL;
	char *msg = NULL;

	g_assert_cmpuint(d->abi_major, ==, BP_ABI_MAJOR);
	g_assert_cmpuint(d->abi_minor, ==, BP_ABI_MINOR);
	g_assert_cmpuint(d->struct_size, ==, sizeof(struct bp_plugin_desc));
	g_assert_cmpuint(d->reserved0, ==, 0);
	g_assert_cmpstr(d->name, ==, "abi-test");
	g_assert_cmpstr(d->version, ==, "1.2.3");
	g_assert_true(d->ops == abi_ops);
	g_assert_null(d->unload);
	for (size_t i = 0; i < G_N_ELEMENTS(d->reserved); i++)
		g_assert_null(d->reserved[i]);
	g_assert_null(d->artifacts);
	g_assert_cmpuint(d->parallelism, ==, 0);
	g_assert_cmpuint(d->reserved1, ==, 0);
	/* the load wrapper stores the table, then runs the author's hook */
	g_assert_nonnull(d->load);
	g_assert_true(d->load(&plugin_api, &state, &msg));
	g_assert_true(bp_plugin_api == &plugin_api);
	g_assert_cmpint(loads, ==, 1);
	g_assert_true(state == &loads);
	g_assert_null(msg);
}

/* The loader reads a descriptor's artifact claims (ABI 1.2) only when the
 * plugin says it was built for 1.2 or later, with a descriptor that large:
 * a 1.0 or 1.1 plugin claims nothing, whatever follows its descriptor. */
static void test_artifact_claims_need_1_2(void)
{
	static const struct bp_artifact_claim claims[] = {
		{ "tosca.artifacts.Implementation.Bash", "nothing" },
		{ NULL, NULL },
	};
	struct bp_plugin_desc d = {
		BP_ABI_MAJOR, 2, (uint32_t)sizeof(d), 0, "claims", "1.0.0",
		abi_ops, NULL, NULL, { NULL }, claims,
	};
	struct plugin p = { .name = (char *)"claims", .desc = &d };

	g_assert_cmpstr(plugin_artifact_op(&p,
		"tosca.artifacts.Implementation.Bash"), ==, "nothing");
	g_assert_null(plugin_artifact_op(&p,
		"tosca.artifacts.Implementation.Python"));
	d.abi_minor = 1;
	g_assert_null(plugin_artifact_op(&p,
		"tosca.artifacts.Implementation.Bash"));
	d.abi_minor = 2;
	d.struct_size = (uint32_t)offsetof(struct bp_plugin_desc, artifacts);
	g_assert_null(plugin_artifact_op(&p,
		"tosca.artifacts.Implementation.Bash"));
}

/* The parallelism a descriptor declares (ABI 1.4) is read only from a
 * plugin built for 1.4 or later, with a descriptor that large. */
static void test_parallelism_needs_1_4(void)
{
	struct bp_plugin_desc d = {
		BP_ABI_MAJOR, 4, (uint32_t)sizeof(d), 0, "capped", "1.0.0",
		abi_ops, NULL, NULL, { NULL }, NULL, 7, 0,
	};
	struct plugin p = { .name = (char *)"capped", .desc = &d };

	g_assert_cmpuint(plugin_parallelism(&p), ==, 7);
	d.abi_minor = 3;
	g_assert_cmpuint(plugin_parallelism(&p), ==, 0);
	d.abi_minor = 4;
	d.struct_size = (uint32_t)offsetof(struct bp_plugin_desc, parallelism);
	g_assert_cmpuint(plugin_parallelism(&p), ==, 0);
}

static void test_engine_table(void)
{
	const char *base = (const char *)&plugin_api;
	size_t first = offsetof(struct bp_api, strdupf);

	g_assert_cmpuint(plugin_api.abi_major, ==, BP_ABI_MAJOR);
	g_assert_cmpuint(plugin_api.abi_minor, ==, BP_ABI_MINOR);
	g_assert_cmpuint(plugin_api.size, ==, sizeof(struct bp_api));
	/* every slot after the ABI fields is filled */
	for (size_t off = first; off < sizeof(struct bp_api);
	     off += sizeof(void (*)(void))) {
		void (*slot)(void);
		memcpy(&slot, base + off, sizeof(slot));
		if (!slot)
			g_error("slot at offset %zu of plugin_api is NULL", off);
	}
}

static void test_api_has(void)
{
	struct bp_api older = plugin_api;

	bp_plugin_api = &plugin_api;
	g_assert_true(BP_API_HAS(json_quote));
	older.size = (uint32_t)offsetof(struct bp_api, json_quote);
	bp_plugin_api = &older;
	g_assert_false(BP_API_HAS(json_quote));
	g_assert_true(BP_API_HAS(vresult));
	bp_plugin_api = &plugin_api;
}

static void test_memory_helpers(void)
{
	char *s, *q, *n;

	bp_plugin_api = &plugin_api;
	s = bp_strdupf("%s-%d", "x", 7);
	q = bp_json_quote("a\"b\n\xff");
	n = bp_json_quote(NULL);
	g_assert_cmpstr(s, ==, "x-7");
	g_assert_cmpstr(q, ==, "\"a\\\"b\\n\xef\xbf\xbd\"");
	g_assert_cmpstr(n, ==, "null");
	bp_free(s);
	bp_free(q);
	bp_free(n);
	bp_free(NULL);
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
	g_test_add_func("/plugin/abi/define", test_define_fills_abi_fields);
	g_test_add_func("/plugin/abi/artifact-claims",
			test_artifact_claims_need_1_2);
	g_test_add_func("/plugin/abi/parallelism", test_parallelism_needs_1_4);
	g_test_add_func("/plugin/abi/engine-table", test_engine_table);
	g_test_add_func("/plugin/abi/api-has", test_api_has);
	g_test_add_func("/plugin/abi/memory-helpers", test_memory_helpers);
	return g_test_run();
}
