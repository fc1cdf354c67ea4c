#!/bin/sh
# tests/run.sh: unit tests of the hello plugin's operations, without a
# deployment: `blueprint plugins run PLUGIN.so OPERATION --context FILE`
# builds an operation's context from JSON, runs it, and prints a report:
# the same JSON with the runtime properties as the operation left them,
# plus "result" (code, retry_after, message, outputs, logs). A report is a
# valid context, so the next operation can start from it, as the engine
# would. Output is TAP; `make check` runs it. Needs python3 to read JSON.
#
# Usage: sh tests/run.sh plugins/hello.so   (BLUEPRINT=path/to/blueprint)
set -u
SO=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
BLUEPRINT=${BLUEPRINT:-blueprint}
D=$(mktemp -d "${TMPDIR:-/tmp}/hello-test-XXXXXX")
trap 'rm -rf "$D"' EXIT
n=0
failed=0

# op NAME OPERATION CONTEXT_FILE: runs it; the report goes to $D/NAME.json
op() {
	if ! "$BLUEPRINT" plugins run "$SO" "$2" --context "$3" >"$D/$1.json"
	then
		echo "Bail out! 'blueprint plugins run $SO $2' failed"
		exit 1
	fi
}

# tap DESC GOT WANT: one TAP line, passing when GOT is WANT
tap() {
	n=$((n + 1))
	if [ "$2" = "$3" ]; then
		echo "ok $n - $1"
	else
		failed=$((failed + 1))
		echo "not ok $n - $1"
		echo "#   expected '$3', got '$2'"
	fi
}

# is DESC REPORT KEY.PATH WANT: the JSON value at KEY.PATH is WANT
is() {
	tap "$1" "$(python3 -c '
import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v[int(k)] if isinstance(v, list) else v.get(k)
print(json.dumps(v, sort_keys=True))' "$D/$2.json" "$3")" "$4"
}

# file_is DESC PATH WANT: the file holds WANT ("(none)": does not exist)
file_is() {
	tap "$1" "$(cat "$2" 2>/dev/null || echo "(none)")" "$3"
}

# --- file.create ----------------------------------------------------------
cat >"$D/ctx.json" <<JSON
{
  "node": {
    "name": "greeting",
    "type": "hello.nodes.File",
    "properties": { "path": "$D/files/greeting.txt", "content": "hi" }
  }
}
JSON
op create file.create "$D/ctx.json"
is "create succeeds" create result.code '"OK"'
file_is "create writes the file (and its directory)" "$D/files/greeting.txt" hi
is "create saves the path" create instance.runtime_properties.path \
	"\"$D/files/greeting.txt\""
is "create saves the size" create instance.runtime_properties.size 2
is "create outputs the path" create result.outputs.path \
	"\"$D/files/greeting.txt\""
is "create logs what it did" create result.logs.0.message \
	"\"created '$D/files/greeting.txt' (2 bytes)\""

op again file.create "$D/create.json"
is "create again: still OK (idempotent)" again result.code '"OK"'
is "create again: says it is already there" again result.logs.0.message \
	"\"'$D/files/greeting.txt' is already there\""

echo "someone else's" >"$D/files/other.txt"
sed "s|greeting.txt|other.txt|" "$D/ctx.json" >"$D/other-ctx.json"
op other file.create "$D/other-ctx.json"
is "create will not overwrite a file it did not make" other result.code \
	'"FAIL_FATAL"'
file_is "which is left alone" "$D/files/other.txt" "someone else's"

sed "s|\"$D/files/greeting.txt\"|\"relative.txt\"|" "$D/ctx.json" \
	>"$D/rel-ctx.json"
op relative file.create "$D/rel-ctx.json"
is "a relative path is refused for good" relative result.message \
	"\"property 'path' must be an absolute path\""

# --- file.update ----------------------------------------------------------
python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))
c["operation"] = {"inputs": {"content": "bye"}}
json.dump(c, open(sys.argv[2], "w"))' "$D/create.json" "$D/update-ctx.json"
op update file.update "$D/update-ctx.json"
is "update succeeds" update result.code '"OK"'
file_is "update rewrites the file" "$D/files/greeting.txt" bye
is "update counts revisions" update instance.runtime_properties.revision 1
is "update saves the new size" update instance.runtime_properties.size 3
op update2 file.update "$D/update.json"
is "the same update again changes nothing" update2 \
	instance.runtime_properties.revision 1

# --- file.wait: RETRY until the file appears ------------------------------
cat >"$D/wait-ctx.json" <<JSON
{
  "node": { "properties": { "path": "$D/files/greeting.txt",
                            "wait_for": "$D/flag" } },
  "operation": { "attempt": 1 }
}
JSON
op wait file.wait "$D/wait-ctx.json"
is "wait asks to be retried while the flag is missing" wait result.code \
	'"RETRY"'
is "in 2 seconds" wait result.retry_after 2
is "saying what it waits for" wait result.message \
	"\"waiting for '$D/flag' (attempt 1)\""
touch "$D/flag"
op wait2 file.wait "$D/wait.json"
is "wait is done once the flag exists" wait2 result.code '"OK"'

# --- index.add / index.remove: a relationship operation -------------------
cat >"$D/index-ctx.json" <<JSON
{ "node": { "name": "index", "type": "hello.nodes.Index",
            "properties": { "path": "$D/files/index.txt", "content": "" } } }
JSON
op index file.create "$D/index-ctx.json"
python3 -c '
import json, sys
src, tgt = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
json.dump({"source": {"node": src["node"], "instance": src["instance"]},
           "target": {"node": tgt["node"], "instance": tgt["instance"]}},
          open(sys.argv[3], "w"))' "$D/update.json" "$D/index.json" \
	"$D/link-ctx.json"
op link index.add "$D/link-ctx.json"
is "index.add succeeds" link result.code '"OK"'
file_is "the index lists the greeting" "$D/files/index.txt" \
	"$D/files/greeting.txt"
is "the source remembers its index" link \
	source.instance.runtime_properties.listed_in "\"$D/files/index.txt\""
op link2 index.add "$D/link.json"
file_is "adding again lists it once" "$D/files/index.txt" \
	"$D/files/greeting.txt"
op unlink index.remove "$D/link2.json"
is "index.remove succeeds" unlink result.code '"OK"'
file_is "the index is empty again" "$D/files/index.txt" ""
is "the source forgot its index" unlink \
	source.instance.runtime_properties.listed_in null
op notrel index.add "$D/ctx.json"
is "index.add outside a relationship fails for good" notrel result.code \
	'"FAIL_FATAL"'

# --- file.delete ----------------------------------------------------------
op delete file.delete "$D/update.json"
is "delete succeeds" delete result.code '"OK"'
file_is "delete removes the file" "$D/files/greeting.txt" "(none)"
is "delete forgets the runtime properties" delete \
	instance.runtime_properties '{}'
op delete2 file.delete "$D/delete.json"
is "delete again: nothing to do, still OK" delete2 result.code '"OK"'

echo "1..$n"
[ "$failed" = 0 ]
