#!/bin/sh
# t6001-plugin-header.sh: the public plugin header keeps its promises: it
# compiles as C99 and C++ with every warning an error, includes only the
# four standard headers, declares only bp_/BP_ names (curl's test1167), keeps
# the frozen ABI 1.0 declarations as the start of its structs, exports
# nothing but bp_plugin_entry from a plugin, and man/blueprint-plugin.7
# documents every slot, wrapper and constant.
. "$(dirname "$0")/../lib/tap.sh"
tmpdir
H=$BP_SRC/engine/include/blueprint/plugin.h
CHK=$BP_SRC/tests/abi/check-header.py
INC=$BP_SRC/engine/include

# A plugin that calls every wrapper, for the compilers.
cat >"$T/every.c" <<'SRC'
#include <blueprint/plugin.h>

static bool load(const struct bp_api *api, void **state, char **errmsg)
{
	*state = 0;
	*errmsg = api->strdupf("%d", BP_API_HAS(json_quote) ? 1 : 0);
	return true;
}

static void unload(void *state)
{
	(void)state;
}

static int op(bp_ctx *ctx)
{
	int64_t i;
	bool b;
	double d;
	bp_ctx *s = bp_source(ctx), *t = bp_target(ctx);
	char *x = bp_strdupf("%s%s", bp_node_name(ctx), bp_node_type(ctx));
	char *q = bp_json_quote(bp_instance_id(ctx));

	bp_log(ctx, BP_LOG_INFO, "%s %s %s %u %lld %d %p %p %p", x, q,
	       bp_deployment_id(ctx), (unsigned)bp_attempt(ctx),
	       (long long)bp_deadline(ctx), bp_cancelled(ctx), bp_state(ctx),
	       (void *)s, (void *)t);
	bp_free(x);
	bp_free(q);
	bp_get_json(ctx, BP_SCOPE_PROPERTIES, "a");
	bp_get_string(ctx, BP_SCOPE_INPUTS, "a");
	bp_get_int(ctx, BP_SCOPE_RUNTIME, "a", &i);
	bp_get_bool(ctx, BP_SCOPE_DEPLOYMENT_INPUTS, "a", &b);
	bp_get_double(ctx, BP_SCOPE_PROPERTIES, "a", &d);
	bp_runtime_set(ctx, "a", "1");
	bp_runtime_set_string(ctx, "b", bp_secret(ctx, "s"));
	bp_runtime_set_int(ctx, "c", 3);
	bp_runtime_delete(ctx, "a");
	bp_output_set(ctx, "o", "{}");
	bp_output_set_string(ctx, NULL, bp_operation_name(ctx));
	if (bp_attempt(ctx) > 3)
		return bp_fail_fatal(ctx, "%s", "no");
	if (bp_attempt(ctx) > 2)
		return bp_fail(ctx, "%d", 2);
	return bp_retry(ctx, 1, "%s", "wait");
}

static const struct bp_op ops[] = { { "op", op }, { NULL, NULL } };

BP_PLUGIN_DEFINE("every", "1.0.0", ops, load, unload);
SRC
mkdir "$T/cxx" && cp "$T/every.c" "$T/every.cc"
WARN="-Wall -Wextra -Werror -Wshadow -Wconversion -Wno-sign-conversion"
run 0 "plugin.h compiles as C99 (pedantic, warnings are errors)" \
	${CC:-cc} -std=c99 -pedantic-errors $WARN -Wstrict-prototypes \
	-Wmissing-prototypes -fPIC -shared -fvisibility=hidden -I"$INC" \
	-o "$T/every.so" "$T/every.c"
run 0 "plugin.h compiles as C++11 (pedantic, warnings are errors)" \
	${CXX:-c++} -std=c++11 -pedantic-errors $WARN -fPIC -shared \
	-fvisibility=hidden -I"$INC" -o "$T/cxx/every.so" "$T/every.cc"
same "a plugin exports bp_plugin_entry and nothing else" "bp_plugin_entry" \
	"$(nm -D --defined-only "$T/every.so" | awk '$2 == "T" || $2 == "D" { print $3 }')"
same "so does a C++ one (not mangled)" "bp_plugin_entry" \
	"$(nm -D --defined-only "$T/cxx/every.so" | awk '$2 == "T" || $2 == "D" { print $3 }')"
run 0 "the C++ plugin loads" "$BLUEPRINT" plugins run "$T/cxx/every.so" op
check "and runs" has out -q '"code": "RETRY"'

run 0 "plugin.h includes only the four standard headers" \
	python3 "$CHK" includes "$H"
run 0 "every name plugin.h declares starts with bp_ or BP_" \
	python3 "$CHK" names "$H"
cat >"$T/bad.h" <<'SRC'
#define NOT_OURS 1
struct bad_tag;
enum bp_e { BP_A = 1, WRONG = 2 };
typedef int (*bad_fn)(int);
int bad_function(int x);
extern int bad_var;
SRC
run 1 "the names check finds names without the prefix" \
	python3 "$CHK" names "$T/bad.h"
same "all of them" "macro NOT_OURS
tag bad_tag
name bad_tag
enumerator WRONG
typedef bad_fn
function bad_function
name bad_var" "$(printf '%s\n' "$out" | sed -n "s/.*: \([a-z]*\) '\([A-Za-z_]*\)' does not.*/\1 \2/p")"

for v in 1.0 1.1 1.2 1.3; do
	run 0 "the ABI $v declarations still start the structs" \
		python3 "$CHK" frozen "$BP_SRC/tests/abi/plugin-$v.h" "$H"
done
sed 's/uint32_t (\*attempt)(bp_ctx \*ctx);/uint64_t (*attempt)(bp_ctx *ctx);/' \
	"$H" >"$T/changed.h"
run 1 "a changed slot type is caught" \
	python3 "$CHK" frozen "$BP_SRC/tests/abi/plugin-1.0.h" "$T/changed.h"
check "and named" has out -q "struct bp_api: the ABI 1.0 declarations changed near"
sed 's/^#define BP_PLUGIN_ENTRY .*/#define BP_PLUGIN_ENTRY "entry"/' \
	"$H" >"$T/renamed.h"
run 1 "a changed macro value is caught" \
	python3 "$CHK" frozen "$BP_SRC/tests/abi/plugin-1.0.h" "$T/renamed.h"

run 0 "man/blueprint-plugin.7 documents every slot, wrapper and constant" \
	python3 "$CHK" man "$H" "$BP_SRC/man/blueprint-plugin.7"
sed 's/bp_fail_fatal/bp_gone/g' "$BP_SRC/man/blueprint-plugin.7" >"$T/page.7"
run 1 "a page that misses one" python3 "$CHK" man "$H" "$T/page.7"
same "is told which" "$T/page.7: does not mention 'bp_fail_fatal'" "$out"
done_testing
