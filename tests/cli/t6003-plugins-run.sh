#!/bin/sh
# t6003-plugins-run.sh: `blueprint plugins run`, the harness a plugin
# author tests operations with: a plugin by path or by name, a context from
# a file or standard input, the report, a report fed back as the next
# context, and the exit codes (0 ran, 1 could not run, 2 bad usage).
. "$(dirname "$0")/../lib/tap.sh"
tmpdir
unset BLUEPRINT_PLUGIN_PATH
TP=$BP_BUILD/tests/plugins

cat >"$T/ctx.json" <<'JSON'
{
  "node": { "name": "web", "properties": { "name": "n1" } },
  "instance": { "runtime_properties": { "gone": 1 } },
  "operation": { "inputs": { "value": "v" }, "attempt": 2 }
}
JSON
run 0 "a plugin by path, a context from a file" \
	"$BLUEPRINT" plugins run "$TP/probe.so" runtime --context "$T/ctx.json"
same "the runtime properties it left" '{"a": 1, "b": {"c": "v"}, "n": 42}' \
	"$(field instance.runtime_properties)"
same "the result" '"OK"' "$(field result.code)"
same "the defaults are filled in" '"web_1"' "$(field instance.id)"
same "what the API refused is in the logs" 3 \
	"$(field result.logs | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
printf '%s\n' "$out" >"$T/after-create.json"

run 0 "the report is the next context" "$BLUEPRINT" plugins run "$TP/probe.so" \
	read -c "$T/after-create.json"
same "the next operation sees what the first saved" \
	'"{\"a\":1,\"b\":{\"c\":\"v\"},\"n\":42}"' "$(field result.outputs.runtime)"
same "and the attempt given" 2 "$(field result.outputs.attempt)"

BLUEPRINT_PLUGIN_PATH=$TP run 0 "a plugin by name, the context on stdin" \
	sh -c "echo '{\"operation\": {\"inputs\": {\"seconds\": 3, \"what\": \"x\"}}}' |
	       '$BLUEPRINT' plugins run probe retry --context -"
same "RETRY with its delay and message" '"RETRY" 3 "waiting for '"'x'"'"' \
	"$(field result.code) $(field result.retry_after) $(field result.message)"

run 0 "without --context: an empty context" "$BLUEPRINT" plugins run "$TP/probe.so" fatal
same "FAIL_FATAL is a result, not a harness failure" '"FAIL_FATAL"' \
	"$(field result.code)"

run 1 "an operation the plugin lacks" "$BLUEPRINT" plugins run "$TP/probe.so" nope
check "names the operations it has" has err -q "has no operation 'nope'; it has 'echo'"
run 1 "a plugin that will not load" "$BLUEPRINT" plugins run "$TP/future.so" x
check "says why" has err -q "was built for ABI 2.0; this engine provides 1\."
run 1 "a missing .so" "$BLUEPRINT" plugins run "$T/none.so" x
same "names it" "error: no plugin file '$T/none.so'" "$err"
BLUEPRINT_PLUGIN_PATH=$T run 1 "a name not on the path" "$BLUEPRINT" plugins run nothere x
check "names the path, the installed directory last" has err -q \
	"^error: no plugin provides 'nothere.x': no plugin 'nothere' in the plugin path ($T:$BP_BUILD/plugins:/.*/lib/blueprint/plugins)\$"

echo '{"node": {"propertes": {}}}' >"$T/bad.json"
run 2 "a context with a typo" "$BLUEPRINT" plugins run "$TP/probe.so" read -c "$T/bad.json"
same "is named" "error: unknown key 'node.propertes' in the context: expected one of 'name', 'type', 'properties'" \
	"$err"
echo '{"node": ' >"$T/broken.json"
run 2 "a context that is not JSON" "$BLUEPRINT" plugins run "$TP/probe.so" read -c "$T/broken.json"
check "says where" has err -q "cannot read the context '$T/broken.json': .*(line 2, column 0)"
run 2 "missing arguments" "$BLUEPRINT" plugins run "$TP/probe.so"
done_testing
