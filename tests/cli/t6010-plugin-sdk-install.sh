#!/bin/sh
# t6010-plugin-sdk-install.sh: the plugin SDK as an author gets it.
# `make install` into a temporary prefix (its own build directory, without
# sanitizers: the installed program loads plugins built without them), then
# examples/plugin-hello is copied out of the tree, built against nothing
# but what was installed (PKG_CONFIG_PATH to the prefix), tested with the
# installed harness, installed into the SDK's plugin directory and found
# there by the installed program.
. "$(dirname "$0")/../lib/tap.sh"
tmpdir
unset BLUEPRINT_PLUGIN_PATH MAKEFLAGS MFLAGS MAKELEVEL
P=$T/prefix
B=$T/build
PC="env PKG_CONFIG_PATH=$P/lib/pkgconfig pkg-config"
H=$BP_SRC/engine/include/blueprint/plugin.h
ABI=$(sed -n 's/^#define BP_ABI_MAJOR //p' "$H").$(sed -n 's/^#define BP_ABI_MINOR //p' "$H")

run 0 "make install PREFIX=..." make -C "$BP_SRC" -j2 install PREFIX="$P" \
	BUILD="$B" SAN= WERROR=1
for f in bin/blueprint include/blueprint/plugin.h \
	 lib/pkgconfig/blueprint-plugin.pc share/man/man7/blueprint-plugin.7; do
	check "installs $f" test -f "$P/$f"
done
check "installs the plugin directory" test -d "$P/lib/blueprint/plugins"
check "installs the types directory" test -d "$P/share/blueprint/types"
check "the installed header is the SDK header" \
	cmp -s "$P/include/blueprint/plugin.h" \
	"$BP_SRC/engine/include/blueprint/plugin.h"
same "pkg-config: the header's directory, no library" "-I$P/include" \
	"$($PC --cflags --libs blueprint-plugin | sed 's/ *$//')"
same "pkg-config: plugindir, typesdir, abi" \
	"$P/lib/blueprint/plugins $P/share/blueprint/types $ABI" \
	"$($PC --variable=plugindir blueprint-plugin) $($PC --variable=typesdir blueprint-plugin) $($PC --variable=abi blueprint-plugin)"

BPI=$P/bin/blueprint
run 0 "the installed program" env -u BP_BUILD "$BPI" plugins --json
check "looks in the installed plugin directory only" python3 -c '
import json, sys
sys.exit(json.loads(sys.argv[1])["path"] != [sys.argv[2]])' \
	"$out" "$P/lib/blueprint/plugins"

# the example, out of the tree, against the installed SDK only
cp -R "$BP_SRC/examples/plugin-hello" "$T/hello"
rm -rf "$T/hello/plugins"
run 0 "the example builds with pkg-config blueprint-plugin" \
	env PKG_CONFIG_PATH="$P/lib/pkgconfig" make -C "$T/hello" CFLAGS="-O2 -Wall -Wextra -Werror"
check "against the installed header" has out -q -- "-I$P/include"
check "and no engine header" sh -c "! printf '%s' \"\$0\" | grep -q '$BP_SRC'" "$out"
same "it exports bp_plugin_entry only" bp_plugin_entry \
	"$(nm -D --defined-only "$T/hello/plugins/hello.so" | awk '$2 == "T" || $2 == "D" { print $3 }')"

run 0 "its tests pass with the installed harness" env -u BP_BUILD \
	PATH="$P/bin:$PATH" PKG_CONFIG_PATH="$P/lib/pkgconfig" \
	make -C "$T/hello" check
same "all of them" "0 ok, 32 tests" \
	"$(has out -c '^not ok') ok, $(has out '^1\.\.' | sed 's/^1\.\.//') tests"

run 0 "make install of the example" env PKG_CONFIG_PATH="$P/lib/pkgconfig" \
	make -C "$T/hello" install
check "puts the .so in the plugin directory" test -f "$P/lib/blueprint/plugins/hello.so"
check "and its types in the types directory" test -f "$P/share/blueprint/types/hello.yaml"
run 0 "the installed program finds it" env -u BP_BUILD "$BPI" plugins
check "there" has out -qx "hello 1.0.0 (ABI $ABI) $P/lib/blueprint/plugins/hello.so"
run 0 "the copy beside a blueprint comes first" env -u BP_BUILD "$BPI" \
	plugins -b "$T/hello/blueprint.yaml"
check "listed" has out -qx "hello 1.0.0 (ABI $ABI) $T/hello/plugins/hello.so"
same "the installed one is hidden" \
	"warning: plugin 'hello' in '$P/lib/blueprint/plugins/hello.so' is hidden by '$T/hello/plugins/hello.so', found earlier in the plugin path" \
	"$err"
echo "{\"node\": {\"properties\": {\"path\": \"$T/by-name.txt\", \"content\": \"hi\"}}}" >"$T/ctx.json"
run 0 "an installed plugin runs by name" env -u BP_BUILD "$BPI" plugins run \
	hello file.create --context "$T/ctx.json"
same "and does its work" "hi" "$(cat "$T/by-name.txt")"

run 0 "DESTDIR stages an install" make -C "$BP_SRC" install PREFIX="$P" \
	BUILD="$B" SAN= WERROR=1 DESTDIR="$T/stage"
check "under DESTDIR" test -f "$T/stage$P/bin/blueprint"
check "with the real prefix in the .pc" \
	grep -qx "prefix=$P" "$T/stage$P/lib/pkgconfig/blueprint-plugin.pc"
run 0 "the same PREFIX again" make -C "$BP_SRC" -n all PREFIX="$P" BUILD="$B" SAN=
check "rebuilds nothing" sh -c "! printf '%s' \"\$0\" | grep -q -- ' -c -o '" "$out"
run 0 "another PREFIX" make -C "$BP_SRC" -n all PREFIX="$T/other" BUILD="$B" SAN=
check "rebuilds (the plugin directory is compiled in)" \
	has out -q -- "-DBP_PLUGINDIR=\\\\\"$T/other/lib/blueprint/plugins"

# The example's blueprint, installed and uninstalled with nothing but what
# was installed: the plugin's runtime properties reach get_attribute (in an
# output, and in another node's operation input), and its relationship
# operation sees both ends.
export BLUEPRINT_STATE="$T/state"
run 0 "install of the example's blueprint" env -u BP_BUILD "$BPI" install \
	"$T/hello/blueprint.yaml" -i "dir=$T/files"
same "the greeting is written" "Hello from a blueprint!" "$(cat "$T/files/greeting.txt")"
check "the relationship operation listed it in the index" \
	grep -qx "$T/files/greeting.txt" "$T/files/index.txt"
run 0 "outputs" env -u BP_BUILD "$BPI" outputs -d blueprint
check "get_attribute reads what the plugin saved" \
	has out -qx "greeting_file: $T/files/greeting.txt"
cat > "$T/hello/copy.yaml" <<YAML
tosca_definitions_version: cloudify_dsl_1_3
imports: [types/hello.yaml]
node_templates:
  original:
    type: hello.nodes.File
    properties: { path: $T/files/original.txt, content: original }
  copy:
    type: hello.nodes.File
    properties: { path: $T/files/copy.txt }
    interfaces:
      cloudify.interfaces.lifecycle:
        configure:
          inputs:
            content: { get_attribute: [original, path] }
    relationships:
      - { type: cloudify.relationships.depends_on, target: original }
YAML
run 0 "install of a blueprint reading another node's attribute" \
	env -u BP_BUILD "$BPI" install "$T/hello/copy.yaml"
same "the input got the other node's runtime property" \
	"$T/files/original.txt" "$(cat "$T/files/copy.txt")"
run 0 "uninstall of the example" env -u BP_BUILD "$BPI" uninstall -d blueprint
run 0 "uninstall of the copy" env -u BP_BUILD "$BPI" uninstall -d copy
same "leaves no file" "" "$(ls "$T/files")"
done_testing
