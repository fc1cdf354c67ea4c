/* test-plugin-abi.c: the plugin ABI stays compatible, checked at compile
 * time. tests/abi/plugin-1.0.h is the header as released for ABI 1.0; the
 * Makefile copies it to build/gen/abi/ with every bp_/BP_ name prefixed
 * abi_1_0_, so both can be included here. Every 1.0 field of every public
 * struct must keep its offset and size, and every public number its value;
 * a change fails the build. The field lists prove themselves complete:
 * the structs have no padding, so the sizes of the fields listed must add
 * up to the size of the frozen struct.
 *
 * At run time: BP_PLUGIN_DEFINE fills the ABI fields from the header and
 * hands the plugin the table; the engine's table fills every slot and
 * states its own version and size; BP_API_HAS follows the size. */
#include "abi/plugin-1.0.h"
#include "blueprint/plugin.h"
#include "plugin/loader.h"
#include "testlib.h"

#include <string.h>

#define OLD(S) struct abi_1_0_bp_##S
#define NEW(S) struct bp_##S
#define FSIZE(T, f) sizeof(((T *)0)->f)

/* Field f of struct bp_S is where and as large as it was in 1.0. */
#define SAME(S, f)                                                          \
	_Static_assert(offsetof(OLD(S), f) == offsetof(NEW(S), f),          \
		       "struct bp_" #S "." #f " moved");                    \
	_Static_assert(FSIZE(OLD(S), f) == FSIZE(NEW(S), f),                \
		       "struct bp_" #S "." #f " changed size");
#define PLUS_SIZE(S, f) + FSIZE(OLD(S), f)

/* Checks every field a list names, and that the list names them all: the
 * 1.0 structs have no padding, so their sizes must add up to the struct. */
#define CHECK_STRUCT(S, FIELDS)                                             \
	FIELDS(SAME, S)                                                     \
	_Static_assert(0 FIELDS(PLUS_SIZE, S) == sizeof(OLD(S)),            \
		       "struct bp_" #S ": a 1.0 field is not listed here"); \
	_Static_assert(sizeof(NEW(S)) >= sizeof(OLD(S)),                    \
		       "struct bp_" #S " shrank")

#define SAME_VALUE(name)                                                    \
	_Static_assert((long)abi_1_0_##name == (long)name,                  \
		       #name " changed its value")

SAME_VALUE(BP_ABI_MAJOR);
_Static_assert(BP_ABI_MINOR >= abi_1_0_BP_ABI_MINOR, "the minor went back");
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

#define OP_1_0(X, S) X(S, name) X(S, fn)

#define DESC_1_0(X, S)                                                      \
	X(S, abi_major) X(S, abi_minor) X(S, struct_size) X(S, reserved0)   \
	X(S, name) X(S, version) X(S, ops) X(S, load) X(S, unload)          \
	X(S, reserved)

#define API_1_0(X, S)                                                       \
	X(S, abi_major) X(S, abi_minor) X(S, size) X(S, reserved0)          \
	X(S, strdupf) X(S, vstrdupf) X(S, free)                             \
	X(S, deployment_id) X(S, operation_name) X(S, attempt)              \
	X(S, deadline) X(S, cancelled) X(S, state)                          \
	X(S, node_name) X(S, node_type) X(S, instance_id)                   \
	X(S, source) X(S, target)                                           \
	X(S, get_json) X(S, get_string) X(S, get_int) X(S, get_bool)        \
	X(S, get_double)                                                    \
	X(S, runtime_set) X(S, runtime_delete) X(S, output_set)             \
	X(S, secret) X(S, vlog) X(S, vresult) X(S, json_quote)

CHECK_STRUCT(op, OP_1_0);
CHECK_STRUCT(plugin_desc, DESC_1_0);
CHECK_STRUCT(api, API_1_0);
_Static_assert(sizeof(NEW(op)) == sizeof(OLD(op)),
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
	/* the load wrapper stores the table, then runs the author's hook */
	g_assert_nonnull(d->load);
	g_assert_true(d->load(&plugin_api, &state, &msg));
	g_assert_true(bp_plugin_api == &plugin_api);
	g_assert_cmpint(loads, ==, 1);
	g_assert_true(state == &loads);
	g_assert_null(msg);
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
	g_test_add_func("/plugin/abi/engine-table", test_engine_table);
	g_test_add_func("/plugin/abi/api-has", test_api_has);
	g_test_add_func("/plugin/abi/memory-helpers", test_memory_helpers);
	return g_test_run();
}
