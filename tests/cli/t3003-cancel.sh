#!/bin/sh
# t3003-cancel.sh: Ctrl-C (SIGINT) cancels a running install: no new
# operation starts, the running ones are told and stop, the execution
# ends `cancelled` and the state stays sound: installing again finishes
# the job, each create running once more only where it had not finished.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/workflow.sh"
wf_setup

wf_blueprint "$T/bp.yaml" <<'YAML'
node_templates:
  n:
    type: recorder.nodes.Node
    instances: { deploy: 6 }
    properties:
      behave:
        create: { hold: HOLD }
YAML
sed -i "s|HOLD|$T/hold|" "$T/bp.yaml"
touch "$T/hold"

"$BLUEPRINT" install "$T/bp.yaml" --parallelism 2 >"$T/out" 2>"$T/err" &
pid=$!
check "two creates start" wait_for 30 calls 2 op=create
kill -INT "$pid"
wait "$pid"
same "the install ends with exit status 1" 1 "$?"
check "it says it was cancelled" grep -q "install was cancelled" "$T/err"
same "the execution is cancelled" cancelled "$("$BLUEPRINT" executions --json |
	"$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)[-1]["status"])')"
same "no operation started after the two running ones" 2 \
	"$(reclog count op=create)"
same "no call was left running" "" "$(reclog open)"
same "the running ones were told and stopped" 2 \
	"$(reclog count --ev end op=create,result=fail)"
same "no instance got past creating" "" \
	"$(states | tr ' ' '\n' | grep -v -e initial -e creating)"

rm "$T/hold"
: >"$RECORDER_LOG"
run 0 "installing again finishes the job" "$BLUEPRINT" install "$T/bp.yaml"
same "every instance created once more: none had finished" \
	"1 1 1 1 1 1" "$(reclog values inst op=create | uniq -c |
	awk '{printf "%s%s", sep, $1; sep=" "}')"
same "all started" 6 "$(count n started)"
done_testing
