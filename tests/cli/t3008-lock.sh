#!/bin/sh
# t3008-lock.sh: one mutating execution per deployment: while an install
# runs, a second install, a scale or an uninstall of the same deployment
# is refused naming the holder (pid, command, start time); another
# deployment is not held up; the lock dies with its process, even killed.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/workflow.sh"
wf_setup

wf_blueprint "$T/bp.yaml" <<YAML
node_templates:
  n:
    type: recorder.nodes.Node
    properties:
      behave:
        create: { hold: $T/hold }
YAML
touch "$T/hold"

"$BLUEPRINT" install "$T/bp.yaml" -d busy >/dev/null 2>&1 &
pid=$!
check "the first install runs" wait_for 30 calls 1 op=create
run 1 "a second install is refused" "$BLUEPRINT" install "$T/bp.yaml" -d busy
check "naming the holder: pid, command and start time" has err -qE \
	"deployment 'busy' is locked by pid $pid \\('blueprint install .*bp.yaml -d busy'\\) since [0-9-]+T[0-9:]+"
run 1 "so is a scale" "$BLUEPRINT" scale n +1 -d busy
run 1 "and an uninstall" "$BLUEPRINT" uninstall -d busy
run 0 "a dry run is not (it changes nothing)" \
	"$BLUEPRINT" uninstall -d busy --dry-run
sed "s|$T/hold|$T/nothing|" "$T/bp.yaml" >"$T/free.yaml"
run 0 "another deployment is not held up" \
	"$BLUEPRINT" install "$T/free.yaml" -d other
check "the first install still runs" kill -0 "$pid"
kill -9 "$pid"
wait "$pid" 2>/dev/null
rm "$T/hold"
run 0 "killed, the holder leaves no stale lock: resume" \
	"$BLUEPRINT" resume -d busy
done_testing
