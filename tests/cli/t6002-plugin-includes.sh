#!/bin/sh
# t6002-plugin-includes.sh: plugins include only the public plugin API:
# scripts/check-plugin-includes.sh passes on the source tree and names each
# engine include in a tree that has some.
. "$(dirname "$0")/../lib/tap.sh"
tmpdir
CHECK=$BP_SRC/scripts/check-plugin-includes.sh

run 0 "the source tree's plugins use only the public API" sh "$CHECK" "$BP_SRC"

# A tree with good and bad plugin sources.
mkdir -p "$T/tree/engine/util" "$T/tree/engine/plugin" \
	 "$T/tree/engine/include/blueprint" "$T/tree/plugins/good" \
	 "$T/tree/plugins/bad" "$T/tree/plugins/common" "$T/tree/examples/ex"
touch "$T/tree/engine/util/error.h" "$T/tree/engine/plugin/call.h" \
      "$T/tree/engine/include/blueprint/plugin.h"
cat >"$T/tree/plugins/good/good.c" <<'SRC'
#include "blueprint/plugin.h"
#include <blueprint/plugin.h>
#include "common/http.h"
#include "../common/json.h"
#include "good.h"
#include <jansson.h>
#include <string.h>
SRC
touch "$T/tree/plugins/good/good.h"
cat >"$T/tree/plugins/common/http.c" <<'SRC'
#include <curl/curl.h>
#include "http.h"
SRC
cat >"$T/tree/plugins/bad/bad.c" <<'SRC'
#include "blueprint/plugin.h"
#include "util/error.h"
  #  include <plugin/call.h>
#include "../../engine/dsl/node.h"
SRC
cat >"$T/tree/examples/ex/ex.h" <<'SRC'
#include "../x/secret.h"
SRC

run 1 "a tree with engine includes fails" sh "$CHECK" "$T/tree"
same "each engine include is named with its file and line" \
"plugins/bad/bad.c:2: includes 'util/error.h': a plugin may include only blueprint/plugin.h, plugins/common, its own and library headers
plugins/bad/bad.c:3: includes 'plugin/call.h': a plugin may include only blueprint/plugin.h, plugins/common, its own and library headers
plugins/bad/bad.c:4: includes '../../engine/dsl/node.h': a plugin may include only blueprint/plugin.h, plugins/common, its own and library headers
examples/ex/ex.h:1: includes '../x/secret.h': a plugin may include only blueprint/plugin.h, plugins/common, its own and library headers" \
	"$(printf '%s\n' "$out" | sort -t: -k1,1r -k2,2n)"

rm "$T/tree/plugins/bad/bad.c" "$T/tree/examples/ex/ex.h"
run 0 "the good sources alone pass" sh "$CHECK" "$T/tree"
done_testing
