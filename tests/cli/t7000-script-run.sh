#!/bin/sh
# t7000-script-run.sh: the script runner runs a script: found relative to
# the blueprint, shebang honoured (or an interpreter picked), inputs as
# environment variables, output as log lines, and the `ctx` command
# reading the node and setting runtime properties and outputs.
. "$(dirname "$0")/../lib/tap.sh"
tmpdir
. "$BP_SRC/tests/lib/script.sh"

script scripts/env.sh <<'SH'
#!/bin/sh
echo "greeting=$GREETING count=$COUNT flag=$FLAG obj=$OBJ none=$NONE"
echo "script_path=${script_path-unset} process=${process-unset}"
echo "over=$OVER"
echo "a warning" >&2
case ":$PATH:" in *"$(dirname "$(command -v ctx)")"*) echo "ctx on PATH" ;; esac
test -S "$CTX_SOCKET" && echo "socket there"
SH
srun "a script beside the blueprint runs" '{"operation": {"inputs": {
	"script_path": "scripts/env.sh", "GREETING": "hi there",
	"COUNT": 3, "FLAG": true, "OBJ": {"a": [1]}, "NONE": null,
	"OVER": "input", "process": {"env": {"OVER": "process.env"}}}}}'
same "it succeeded" "OK: None" "$(result)"
same "inputs are variables: strings as they are, the rest as JSON; stdout at info, stderr prefixed" \
"info: greeting=hi there count=3 flag=true obj={\"a\":[1]} none=null
info: script_path=unset process=unset
info: over=process.env
info: stderr: a warning
info: ctx on PATH
info: socket there" "$(logs)"

script ctx.sh <<'SH'
#!/bin/sh
set -e
echo "node=$(ctx node id) name=$(ctx node name) type=$(ctx node type)"
echo "instance=$(ctx instance id) deployment=$(ctx deployment id)"
echo "execution=$(ctx execution-id) op=$(ctx operation name) retry=$(ctx operation retry_number)"
echo "type=$(ctx type)"
echo "port=$(ctx node properties port) first=$(ctx node properties db.hosts[0]) second=$(ctx node properties db.hosts.1)"
echo "all=$(ctx node properties)"
echo "on=$(ctx node properties on) off=[$(ctx node properties off)] zero=[$(ctx node properties zero)]"
echo "json=$(ctx -j node properties on) $(ctx -j node properties db)"
ctx instance runtime_properties pid 4242
ctx instance runtime-properties conf.port '@8080'
ctx instance runtime_properties conf.tags '@["a", "b"]'
ctx instance runtime_properties neg -5
echo "read back=$(ctx instance runtime_properties conf.port) kept=$(ctx instance runtime_properties old)"
ctx logger debug "a debug line"
ctx logger info "an" "info" "line"
ctx logger warning "a warning"
ctx logger error "an error"
ctx returns '@{"url": "http://localhost:8080"}'
SH
srun "ctx reads the context and writes runtime properties" '{
	"node": {"name": "web", "type": "t.Web", "properties": {"port": 8080,
		"db": {"hosts": ["h1", "h2"]}, "on": true, "off": false,
		"zero": 0}},
	"instance": {"id": "web_7", "runtime_properties": {"old": "x"}},
	"deployment": {"id": "dep"}, "execution": {"id": "ex-1"},
	"operation": {"name": "cloudify.interfaces.lifecycle.start",
		"attempt": 3, "inputs": {"script_path": "ctx.sh"}}}'
same "it succeeded" "OK: None" "$(result)"
same "what ctx printed and logged" \
"info: node=web name=web type=t.Web
info: instance=web_7 deployment=dep
info: execution=ex-1 op=cloudify.interfaces.lifecycle.start retry=2
info: type=node-instance
info: port=8080 first=h1 second=h2
info: all={\"port\":8080,\"db\":{\"hosts\":[\"h1\",\"h2\"]},\"on\":true,\"off\":false,\"zero\":0}
info: on=True off=[False] zero=[0]
info: json=true {\"hosts\":[\"h1\",\"h2\"]}
info: read back=8080 kept=x
debug: a debug line
info: an info line
warning: a warning
error: an error" "$(logs)"
same "runtime properties: strings, '@' JSON, nested paths, old ones kept" \
	'{"conf": {"port": 8080, "tags": ["a", "b"]}, "neg": "-5", "old": "x", "pid": "4242"}' \
	"$(field instance.runtime_properties)"
same "ctx returns is the operation's output" \
	'{"url": "http://localhost:8080"}' "$(field result.outputs)"

script outside.sh <<'SH'
#!/bin/sh
exec 2>&1
ctx node properties nope; echo "missing: $?"
ctx node propertys; echo "typo: $?"
ctx frobnicate; echo "unknown: $?"
ctx node properties port 80; echo "read-only: $?"
ctx source node id; echo "source: $?"
ctx instance runtime_properties a '@{bad'; echo "bad json: $?"
ctx; echo "no arguments: $?"
ctx execution-id; echo "no execution: $?"
ctx instance host_ip; echo "no ip: $?"
env -u CTX_SOCKET ctx node id; echo "no socket: $?"
SH
srun "ctx refuses what it cannot do" \
	'{"operation": {"inputs": {"script_path": "outside.sh"}}}'
same "and the script goes on" "OK: None" "$(result)"
same "each refusal says why on stderr and exits non-zero" \
"info: ctx: no node property 'nope'
info: missing: 1
info: ctx: 'node' has no 'propertys': expected one of 'id', 'name', 'type', 'properties'
info: typo: 1
info: ctx: unknown ctx command 'frobnicate': expected one of 'node', 'instance', 'source', 'target', 'logger', 'deployment', 'execution-id', 'operation', 'type', 'returns', 'abort-operation', 'retry-operation', 'get-resource', 'download-resource'
info: unknown: 1
info: ctx: node properties are read-only: set runtime properties ('instance runtime_properties KEY VALUE')
info: read-only: 1
info: ctx: 'source' is only available in a relationship operation
info: source: 1
info: ctx: argument '@{bad' is not valid JSON after '@': ...
info: bad json: 2
info: usage: ctx [-j|--json-output] [--json-arg-prefix P] [-t|--timeout SECONDS]
info:            [--socket-url PATH] ARG...
info: Talks to the operation running this script, e.g.
info:   ctx node properties port
info:   ctx instance runtime_properties pid \$\$
info:   ctx logger info 'installed'
info: An argument that starts with '@' is JSON: ctx returns '@{\"a\": 1}'
info: no arguments: 2
info: ctx: no execution id: the operation runs outside an execution
info: no execution: 1
info: ctx: no host ip for instance 'node_1': neither it nor its host has an 'ip' runtime property or property
info: no ip: 1
info: ctx: CTX_SOCKET is not set: ctx works in a script that blueprint runs
info: no socket: 2" "$(logs | sed "s/after '@': .*/after '@': .../")"

# how a script is started
script py-exec.py <<'PY'
#!/usr/bin/env python3
import os, subprocess
print("python", os.environ["N"], subprocess.check_output(["ctx", "node", "name"]).decode())
PY
script py-plain.py 644 <<'PY'
import sys
print("no shebang, not executable: python", sys.version_info[0])
PY
script sh-plain.sh 644 <<'SH'
echo "no shebang, not executable: $(ctx node name)"
SH
script bash-arg.sh 644 <<'SH'
#!/bin/bash -e
case $- in *e*) echo "shebang with an argument: errexit" ;; esac
false
echo "not reached"
SH
script exec-noshebang 755 <<'SH'
echo "executable without a shebang"
SH
for s in py-exec.py py-plain.py sh-plain.sh bash-arg.sh exec-noshebang; do
	srun "$s runs" "{\"node\": {\"name\": \"n\"}, \"operation\": {\"inputs\": {\"script_path\": \"$s\", \"N\": 1}}}"
	eval "r_$(echo "$s" | tr -c 'a-z\n' _)=\"\$(result) \$(logs)\""
done
same "an executable with a shebang" "OK: None info: python 1 n" "$r_py_exec_py"
same "a .py without either: python3" "OK: None info: no shebang, not executable: python 3" "$r_py_plain_py"
same "anything else without either: /bin/sh" "OK: None info: no shebang, not executable: n" "$r_sh_plain_sh"
same "a shebang's interpreter and its argument, when not executable" \
	"FAIL: script 'bash-arg.sh' exited with status 1 info: shebang with an argument: errexit" \
	"$r_bash_arg_sh"
same "an executable text without a shebang: /bin/sh" "OK: None info: executable without a shebang" "$r_exec_noshebang"

# where the script is
script sub/where.sh <<'SH'
#!/bin/sh
echo "cwd=$(pwd) arg1=$1 arg2=$2"
SH
mkdir -p "$BPDIR/work"
srun "an absolute path" "{\"operation\": {\"inputs\": {\"script_path\": \"$BPDIR/sub/where.sh\",
	\"process\": {\"cwd\": \"work\", \"args\": [\"a b\", 2]}}}}"
same "process.cwd (relative to the blueprint) and process.args" \
	"OK: None info: cwd=$BPDIR/work arg1=a b arg2=2" "$(result) $(logs)"
srun "a file:// URL" "{\"operation\": {\"inputs\": {\"script_path\": \"file://$BPDIR/sub/where.sh\",
	\"process\": {\"command_prefix\": \"/bin/sh -x\"}}}}"
check "process.command_prefix runs it" has out -q 'stderr: + echo cwd='
cd "$BPDIR/sub"
srun "a relative blueprint directory: made absolute" \
	'{"deployment": {"blueprint_dir": ".."}, "operation": {"inputs": {"script_path": "sub/where.sh"}}}'
cd "$T"
same "found" "OK: None $BPDIR" "$(result) $(field deployment.blueprint_dir | tr -d '"')"
cat >"$T/ctx.json" <<'JSON'
{"operation": {"inputs": {"script_path": "sub/where.sh"}}}
JSON
touch "$BPDIR/blueprint.yaml"
run 0 "plugins run -b: the blueprint's directory" "$BLUEPRINT" plugins run \
	-b "$BPDIR/blueprint.yaml" script run --context "$T/ctx.json"
same "found there" "OK: None" "$(result)"
cd "$BPDIR"
run 0 "no blueprint directory" "$BLUEPRINT" plugins run script run --context "$T/ctx.json"
cd "$T"
same "relative to the working directory" "OK: None" "$(result)"
run 0 "Cloudify's name for the operation" "$BLUEPRINT" plugins run \
	-b "$BPDIR/blueprint.yaml" script script_runner.tasks.run --context "$T/ctx.json"
same "runs it too" "OK: None" "$(result)"

srun "a script that is not there" '{"operation": {"inputs": {"script_path": "nope.sh"}}}'
same "fails for good" "FAIL_FATAL: script 'nope.sh' not found (no file '$BPDIR/nope.sh')" "$(result)"
srun "no script_path" '{}'
same "fails for good" "FAIL_FATAL: no 'script_path' input: expected the path of the script to run" "$(result)"
srun "an http URL" '{"operation": {"inputs": {"script_path": "http://example.com/x.sh"}}}'
same "is not fetched" "FAIL_FATAL: cannot run script 'http://example.com/x.sh': expected a path or a file:// URL" "$(result)"
srun "a bad process input" '{"operation": {"inputs": {"script_path": "ctx.sh", "process": {"args": "x"}}}}'
same "fails for good" "FAIL_FATAL: 'process.args' must be a list" "$(result)"
done_testing
