#!/bin/sh
# t3013-lifecycle-operation.sh: a depends_on_lifecycle_operation source
# waits only for the named operation of its target, seen in the recorder's
# call log: the source is installed while the target's start is still
# running (held open by a file), and not before the target's configure
# ended.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/workflow.sh"
wf_setup

wf_blueprint "$T/bp.yaml" <<YAML
node_templates:
  t:
    type: recorder.nodes.Node
    properties:
      behave:
        configure: { sleep_ms: 300 }
        start: { hold: $T/hold }
  s:
    type: recorder.nodes.Node
    relationships:
      - type: cloudify.relationships.depends_on_lifecycle_operation
        target: t
        properties: { operation: configure }
YAML
touch "$T/hold"

"$BLUEPRINT" install "$T/bp.yaml" >"$T/out" 2>"$T/err" &
pid=$!
check "the source is installed while the target's start runs" \
	wait_for 60 calls 1 op=poststart,node=s
same "the target's start is still running then" 1 \
	"$(reclog open op=start,node=t | wc -l)"
check "the source started after the target's configure ended" \
	reclog before op=configure,node=t op=precreate,node=s
rm "$T/hold"
wait "$pid"
same "the install succeeds" 0 "$?"
same "both started" "started started" "$(states)"
done_testing
