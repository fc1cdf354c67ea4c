#!/bin/sh
# t7001-script-results.sh: what a script's run returns: its exit status,
# `ctx abort-operation`, `ctx retry-operation`, `ctx returns` once only, a
# signal, and the operation's timeout, which kills the whole process group.
. "$(dirname "$0")/../lib/tap.sh"
tmpdir
. "$BP_SRC/tests/lib/script.sh"

op() {
	printf '{"operation": {"inputs": {"script_path": "%s"}%s}}' "$1" "$2"
}

script fails.sh <<'SH'
#!/bin/sh
ctx instance runtime_properties id created-1
echo "line one" >&2
echo "line two" >&2
echo "" >&2
echo "line three" >&2
echo "line four" >&2
exit 3
SH
srun "a non-zero exit" "$(op fails.sh)"
same "fails, may pass next time, with the last lines of stderr" \
	"FAIL: script 'fails.sh' exited with status 3: line two; line three; line four" \
	"$(result)"
same "runtime properties set before the failure are kept" \
	'"created-1"' "$(field instance.runtime_properties.id)"

script abort.sh <<'SH'
#!/bin/sh
ctx abort-operation "flavor 'huge' does not exist"
echo "ctx exited $?"
SH
srun "ctx abort-operation" "$(op abort.sh)"
same "fails for good with its message, though the exit status is 0" \
	"FAIL_FATAL: flavor 'huge' does not exist" "$(result)"
same "the ctx command exits 1, printing the message" \
	"info: stderr: flavor 'huge' does not exist
info: ctx exited 1" "$(logs | sort -r)"

script retry.sh <<'SH'
#!/bin/bash
set -e
if [ "$(ctx operation retry_number)" -lt 2 ]; then
	ctx retry-operation "server still BUILD" 30
fi
echo "ready"
SH
srun "ctx retry-operation MESSAGE SECONDS" "$(op retry.sh)"
same "asks for a retry after SECONDS" "RETRY: server still BUILD" "$(result)"
same "of 30 s" "30" "$(field result.retry_after)"
check "the script stopped there (set -e)" sh -c '! printf "%s" "$0" | grep -q ready' "$out"
srun "the third attempt" "$(op retry.sh ', "attempt": 3')"
same "is done" "OK: None info: ready" "$(result) $(logs)"

script retry-default.sh <<'SH'
ctx operation retry '@"not yet"'
SH
srun "ctx operation retry, without SECONDS" "$(op retry-default.sh)"
same "the operation's default interval" "RETRY: not yet 0" \
	"$(result) $(field result.retry_after)"

script twice.sh <<'SH'
ctx returns 1
ctx abort-operation "too late"
exit 0
SH
srun "returns, then abort" "$(op twice.sh)"
same "fails for good" \
	"FAIL_FATAL: script 'twice.sh': ctx may only abort, retry or return once" \
	"$(result)"

script returns.sh <<'SH'
ctx returns "a string"
exit 1
SH
srun "ctx returns, then a failure" "$(op returns.sh)"
same "the failure counts" "FAIL: script 'returns.sh' exited with status 1" "$(result)"
same "and no output" "null" "$(field result.outputs)"

script segv.sh <<'SH'
echo "about to die" >&2
kill -SEGV $$
SH
srun "a script killed by a signal" "$(op segv.sh)"
same "fails" "FAIL: script 'segv.sh' was killed by signal 11 (Segmentation fault): about to die" \
	"$(result)"

# a timeout kills the script and everything it started
script slow.sh <<'SH'
#!/bin/sh
sleep 300 &
echo $! >"$PIDS/child"
sh -c 'trap "" TERM; echo $$ >"$PIDS/stubborn"; exec sleep 300' &
while [ ! -s "$PIDS/stubborn" ]; do sleep 0.05; done
echo started
wait
SH
mkdir "$T/pids"
srun "a script past the operation's timeout" \
	"{\"operation\": {\"timeout\": 1, \"inputs\": {\"script_path\": \"slow.sh\", \"PIDS\": \"$T/pids\"}}}"
check "fails, may pass next time" sh -c \
	'printf "%s\n" "$0" | grep -qx "FAIL: script '"'slow.sh'"' timed out after [0-9.]* s"' "$(result)"
check "it had started" has out -q '"message": "started"'
check "its child is gone" pid_gone "$(cat "$T/pids/child")"
check "so is one that ignored SIGTERM" pid_gone "$(cat "$T/pids/stubborn")"

srun "a cancelled execution" "{\"cancelled\": true, $(op slow.sh | sed 's/^{//')"
same "runs nothing" "FAIL_FATAL: the execution was cancelled before the script started" \
	"$(result)"
done_testing
