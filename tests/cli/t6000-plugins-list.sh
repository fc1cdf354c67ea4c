#!/bin/sh
# t6000-plugins-list.sh: `blueprint plugins [list]`: what it shows for good
# and broken plugins, --json, the search path (BLUEPRINT_PLUGIN_PATH, the
# blueprint's plugins/ folder, the build tree), first-wins duplicates.
. "$(dirname "$0")/../lib/tap.sh"
tmpdir
unset BLUEPRINT_PLUGIN_PATH
TP=$BP_BUILD/tests/plugins
# BP_BUILD=$T/nowhere keeps the build tree's own plugins (the real script
# runner hides the test one) out of the runs that check exact output.
H=$BP_SRC/engine/include/blueprint/plugin.h
MAJOR=$(sed -n 's/^#define BP_ABI_MAJOR //p' "$H")
MINOR=$(sed -n 's/^#define BP_ABI_MINOR //p' "$H")
ABI=$MAJOR.$MINOR NEXT=$MAJOR.$((MINOR + 1))

BP_BUILD=$T/nowhere BLUEPRINT_PLUGIN_PATH=$TP run 1 "broken plugins make the list fail" \
	"$BLUEPRINT" plugins
check "a good plugin: name, version, ABI, file" \
	has out -qx "probe 0.3.1 (ABI $ABI) $TP/probe.so"
check "its operations, one per line" has out -qx "  bad.result"
check "a plugin's declared parallelism (ABI 1.4)" \
	has out -qx "recorder-capped 1.0.0 (ABI $ABI, at most 3 at once) $TP/recorder-capped.so"
same "each broken plugin says why on stderr" \
"error: plugin 'dupop' ($TP/dupop.so) declares operation 'create' twice
error: plugin 'future' ($TP/future.so) was built for ABI 2.0; this engine provides $ABI
error: plugin 'newer' ($TP/newer.so) was built for ABI $NEXT; this engine provides $ABI
error: no entry point 'bp_plugin_entry' in '$TP/noentry.so'
error: plugin 'refuse' ($TP/refuse.so) refused to load: needs a licence file" \
	"$err"

BP_BUILD=$T/nowhere BLUEPRINT_PLUGIN_PATH=$TP run 1 "--json" "$BLUEPRINT" plugins list --json
same "--json: plugins, errors, the path first" \
"httpget 1.0.0 $ABI $TP/httpget.so 0 1
probe 0.3.1 $ABI $TP/probe.so 0 16
recorder-capped 1.0.0 $ABI $TP/recorder-capped.so 3 4
recorder 1.0.0 $ABI $TP/recorder.so 0 4
script 0.0.1 $ABI $TP/script.so 0 1
errors: dupop future newer noentry refuse
path: $TP" \
	"$(printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
for p in d["plugins"]:
    print(p["name"], p["version"], p["abi"], p["file"], p["parallelism"],
          len(p["operations"]))
print("errors:", " ".join(e["name"] for e in d["errors"]))
print("path:", d["path"][0])')"

# first on the path wins; the hidden one is a warning
mkdir -p "$T/a" "$T/b"
cp "$TP/probe.so" "$T/a/" && cp "$TP/probe.so" "$TP/script.so" "$T/b/"
BP_BUILD=$T/nowhere BLUEPRINT_PLUGIN_PATH=$T/a:$T/b run 0 "duplicates are not an error" \
	"$BLUEPRINT" plugins
check "the first one is listed" has out -qx "probe 0.3.1 (ABI $ABI) $T/a/probe.so"
check "the later one is not" sh -c "! printf '%s' \"\$0\" | grep -q '$T/b/probe.so'" "$out"
same "a warning names both" \
	"warning: plugin 'probe' in '$T/b/probe.so' is hidden by '$T/a/probe.so', found earlier in the plugin path" \
	"$err"
BP_BUILD=$T/nowhere BLUEPRINT_PLUGIN_PATH=$T/a:$T/b run 0 "--json carries the warning" \
	"$BLUEPRINT" plugins --json
check "in 'warnings'" has out -q "is hidden by '$T/a/probe.so'"

# the plugins/ folder beside a blueprint
mkdir -p "$T/bp/plugins"
cp "$TP/script.so" "$T/bp/plugins/"
touch "$T/bp/blueprint.yaml"
BP_BUILD=$T/nowhere run 0 "-b: the plugins/ folder beside the blueprint" \
	"$BLUEPRINT" plugins -b "$T/bp/blueprint.yaml"
check "is searched" has out -qx "script 0.0.1 (ABI $ABI) $T/bp/plugins/script.so"

# a binary in a build tree (a .build-tree file beside it) finds plugins/
mkdir -p "$T/tree/plugins"
cp "$BLUEPRINT" "$T/tree/blueprint"
cp "$TP/probe.so" "$T/tree/plugins/"
run 0 "a binary outside a build tree" env -u BP_BUILD "$T/tree/blueprint" plugins
check "does not look beside itself" sh -c "! printf '%s' \"\$0\" | grep -q probe" "$out"
touch "$T/tree/.build-tree"
run 0 "a binary in a build tree" env -u BP_BUILD "$T/tree/blueprint" plugins
check "finds the build tree's plugins" \
	has out -qx "probe 0.3.1 (ABI $ABI) $T/tree/plugins/probe.so"

run 0 "the build's own plugins" "$BLUEPRINT" plugins list --json
same "the cloud plugins declare their caps" "gcp 10
kubernetes 0
openstack 10" "$(printf '%s' "$out" | python3 -c '
import json, sys
for p in json.load(sys.stdin)["plugins"]:
    if p["name"] in ("gcp", "kubernetes", "openstack"):
        print(p["name"], p["parallelism"])')"

run 2 "an unknown plugins command" "$BLUEPRINT" plugins frobnicate
same "says which exist" \
	"blueprint plugins: 'frobnicate' is not a plugins command; expected 'list' or 'run'" \
	"$err"
run 2 "list takes no arguments" "$BLUEPRINT" plugins list extra
run 0 "plugins --help" "$BLUEPRINT" plugins --help
check "names the subcommands" has out -q "^  run "
run 0 "plugins list --help" "$BLUEPRINT" plugins list --help
done_testing
