#!/bin/sh
# t3001-parallelism.sh: the operations that run at once, seen in the
# recorder's call log: min(--parallelism, width of the graph), never more,
# on at most --parallelism threads; --plugin-parallelism caps one plugin,
# and so does the cap a plugin declares (recorder-capped: 3), which the
# option overrides.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/workflow.sh"
wf_setup

wf_blueprint "$T/bp.yaml" <<'YAML'
node_templates:
  n:
    type: recorder.nodes.Node
    instances: { deploy: 8 }
    properties:
      behave:
        create: { sleep_ms: 400 }
YAML

run 0 "install with --parallelism 3" \
	"$BLUEPRINT" install "$T/bp.yaml" -d three --parallelism 3
same "8 creates" 8 "$(reclog count op=create)"
same "3 at once, reached and never passed" 3 "$(reclog overlap op=create)"
check "on at most 3 threads" test "$(reclog threads)" -le 3

: >"$RECORDER_LOG"
run 0 "install with the default parallelism (20)" \
	"$BLUEPRINT" install "$T/bp.yaml" -d wide
same "all 8 at once: the graph is 8 wide" 8 "$(reclog overlap op=create)"
check "on at most 20 threads (the parallelism)" test "$(reclog threads)" -le 20

: >"$RECORDER_LOG"
run 0 "install with --plugin-parallelism recorder=2" \
	"$BLUEPRINT" install "$T/bp.yaml" -d capped --parallelism 10 \
	--plugin-parallelism recorder=2
same "2 at once: the plugin's cap" 2 "$(reclog overlap op=create)"
same "every create ran" 8 "$(reclog count op=create)"

wf_blueprint "$T/declared.yaml" <<'YAML'
plugins:
  recorder-capped:
    executor: central_deployment_agent
    install: false
node_templates:
  n:
    type: recorder.nodes.Node
    instances: { deploy: 8 }
    interfaces:
      cloudify.interfaces.lifecycle:
        create:
          implementation: recorder-capped.call
          inputs: { sleep_ms: 400 }
YAML

: >"$RECORDER_LOG"
run 0 "install where the plugin declares a cap of 3" \
	"$BLUEPRINT" install "$T/declared.yaml" -d declared --parallelism 10
same "3 at once: the cap the plugin declares" 3 "$(reclog overlap op=create)"
same "every create ran" 8 "$(reclog count op=create)"

: >"$RECORDER_LOG"
run 0 "--plugin-parallelism overrides the declared cap" \
	"$BLUEPRINT" install "$T/declared.yaml" -d declared-5 --parallelism 10 \
	--plugin-parallelism recorder-capped=5
same "5 at once" 5 "$(reclog overlap op=create)"

run 2 "a cap must be PLUGIN=N" "$BLUEPRINT" uninstall -d capped \
	--plugin-parallelism recorder
check "and says so" has err -q "expected PLUGIN=N"
done_testing
