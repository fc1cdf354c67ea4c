#!/bin/sh
# t3014-retry-timing.sh: when retries happen, seen in the recorder's call
# log: an operation that asks for a RETRY is called again no sooner than
# its retry_interval, and holds no worker meanwhile (with one worker,
# another operation runs in the wait); a recoverable failure is retried
# after the exponential backoff (1 s, then 2 s). Only lower bounds are
# checked: a retry may come late on a busy machine, never early.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/workflow.sh"
wf_setup

wf_blueprint "$T/bp.yaml" <<'YAML'
node_templates:
  r:
    type: recorder.nodes.Node
    interfaces:
      cloudify.interfaces.lifecycle:
        create:
          implementation: recorder.call
          retry_interval: 0.4
          inputs: { retry: 2 }
  f:
    type: recorder.nodes.Node
    interfaces:
      cloudify.interfaces.lifecycle:
        create: { implementation: recorder.call, inputs: { fail: 2 } }
  o:
    type: recorder.nodes.Node
YAML

# gaps NODE: seconds from the end of each attempt of NODE's create to the
# start of the next, space-separated
gaps() {
	"$PYTHON" - "$RECORDER_LOG" "$1" <<'PY'
import json, sys
calls = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["node"] == sys.argv[2] and r["op"].endswith(".create"):
        calls.setdefault(r["attempt"], {})[r["ev"]] = r["t"]
n = sorted(calls)
print(" ".join("%.3f" % ((calls[b]["start"] - calls[a]["end"]) / 1e6)
               for a, b in zip(n, n[1:])))
PY
}
# ran_in_wait NODE: "yes" when a call of another node started between
# the end of NODE's first create attempt and the start of its second
ran_in_wait() {
	"$PYTHON" - "$RECORDER_LOG" "$1" <<'PY'
import json, sys
recs = [json.loads(line) for line in open(sys.argv[1])]
mine = {(r["ev"], r["attempt"]): r["t"] for r in recs
        if r["node"] == sys.argv[2] and r["op"].endswith(".create")}
lo, hi = mine[("end", 1)], mine[("start", 2)]
print("yes" if any(lo < r["t"] < hi for r in recs
                   if r["node"] != sys.argv[2] and r["ev"] == "start")
      else "no")
PY
}
# at_least MIN GAPS...: every gap is MIN or more
at_least() {
	_min=$1; shift
	[ $# -gt 0 ] || return 1
	for _g; do
		awk -v g="$_g" -v m="$_min" 'BEGIN { exit !(g >= m) }' || return 1
	done
}

run 0 "install with one worker" "$BLUEPRINT" install "$T/bp.yaml" \
	--parallelism 1
same "RETRY: three attempts" "1 retry|2 retry|3 ok" \
	"$(reclog values --ev end attempt,result node=r,op=create | paste -sd'|')"
g=$(gaps r)
diag "retry gaps: $g"
check "each retry came after retry_interval (0.4 s) or later" \
	at_least 0.39 $g
same "another operation ran in the wait: no worker was held" yes \
	"$(ran_in_wait r)"
same "a recoverable failure: retried until it worked" "1 fail|2 fail|3 ok" \
	"$(reclog values --ev end attempt,result node=f,op=create | paste -sd'|')"
g=$(gaps f)
diag "backoff gaps: $g"
set -- $g
check "the first retry after the backoff base (1 s) or later" at_least 0.99 "$1"
check "the second after twice that (2 s) or later" at_least 1.99 "$2"
done_testing
