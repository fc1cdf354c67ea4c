#!/bin/sh
# t3002-failures.sh: what operations that do not succeed do to a run, seen
# in the recorder's call log: RETRY calls again without using up the
# failure budget; a recoverable failure is retried (with backoff) up to
# max_retries; a fatal one is not; a timeout fails the call (fatal, or
# retried with timeout_recoverable); a failed instance's dependents are
# skipped while independent branches finish; --fail-fast starts nothing
# new; uninstall --ignore-failure goes on and lists what failed. Only
# attempts are counted, never durations.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/workflow.sh"
wf_setup

op() {   # op NAME SPEC: a node whose create is the recorder with SPEC
	printf '  %s:\n    type: recorder.nodes.Node\n    interfaces:\n' "$1"
	printf '      cloudify.interfaces.lifecycle:\n'
	printf '        create: { implementation: recorder.call, %s }\n' "$2"
}

{ op r "retry_interval: 0.05, max_retries: 1, inputs: { retry: 3 }"
  op f "inputs: { fail: 1 }"
  op m "max_retries: 1, inputs: { fail: 5 }"
} | { echo "node_templates:"; cat; } | wf_blueprint "$T/retry.yaml"

run 1 "an install with a failing operation fails" \
	"$BLUEPRINT" install "$T/retry.yaml" -d retry
same "RETRY: called again until it is done, past max_retries (1)" \
	"1 retry|2 retry|3 retry|4 ok" \
	"$(reclog values --ev end attempt,result node=r,op=create | paste -sd'|')"
same "a recoverable failure is retried" "1 fail|2 ok" \
	"$(reclog values --ev end attempt,result node=f,op=create | paste -sd'|')"
same "up to max_retries (1): two attempts" 2 "$(reclog count node=m,op=create)"
same "then its instance goes no further" 0 "$(reclog count node=m,op=configure)"
check "the others finished their install" \
	test "$(reclog count op=poststart)" = 2
check "the failure is listed with the plugin's message" \
	has err -q "failed: m_[a-z0-9]* cloudify.interfaces.lifecycle.create: failure 2 of 5"

wf_blueprint "$T/fatal.yaml" <<'YAML'
node_templates:
  base:
    type: recorder.nodes.Node
    properties:
      behave: { create: { fatal: true } }
  dependent:
    type: recorder.nodes.Node
    relationships:
      - type: recorder.relationships.depends_on
        target: base
  other:
    type: recorder.nodes.Node
    properties:
      behave: { create: { sleep_ms: 500 } }
  timed:
    type: recorder.nodes.Node
    interfaces:
      cloudify.interfaces.lifecycle:
        create:
          implementation: recorder.call
          timeout: 1
          inputs: { sleep_ms: 20000 }
  again:
    type: recorder.nodes.Node
    interfaces:
      cloudify.interfaces.lifecycle:
        create:
          implementation: recorder.call
          timeout: 1
          timeout_recoverable: true
          max_retries: 1
          inputs: { sleep_ms: 20000 }
YAML

: >"$RECORDER_LOG"
run 1 "an install with a fatal failure fails" \
	"$BLUEPRINT" install "$T/fatal.yaml" -d fatal
same "fatal: called once" 1 "$(reclog count node=base,op=create)"
same "its dependents are skipped" 0 "$(reclog count node=dependent)"
same "the independent branch finished" 1 \
	"$(reclog count node=other,op=poststart)"
check "the skipped steps are reported" has err -q "skipped"
same "a timeout fails the call: once" 1 "$(reclog count node=timed,op=create)"
check "which was stopped at its deadline" \
	test "$(reclog count --ev end node=timed,op=create,result=fail)" = 1
check "and reported as timed out" has err -q "timed out after 1 s"
same "timeout_recoverable: retried up to max_retries" 2 \
	"$(reclog count node=again,op=create)"

: >"$RECORDER_LOG"
run 1 "--fail-fast (one call at a time)" "$BLUEPRINT" install \
	"$T/fatal.yaml" -d fast --fail-fast --parallelism 1
same "nothing starts after the first failure" 0 \
	"$(reclog after node=base,op=create)"
check "which was the fifth call" test "$(reclog count)" = 5

wf_blueprint "$T/down.yaml" <<'YAML'
node_templates:
  a:
    type: recorder.nodes.Node
    properties:
      behave: { delete: { fatal: true } }
  b:
    type: recorder.nodes.Node
    relationships:
      - type: recorder.relationships.depends_on
        target: a
YAML
run 0 "install" "$BLUEPRINT" install "$T/down.yaml" -d down
: >"$RECORDER_LOG"
run 0 "uninstall --ignore-failure goes on past a failed delete" \
	"$BLUEPRINT" uninstall -d down --ignore-failure
check "and lists it" has err -q "failed: a_[a-z0-9]* cloudify.interfaces.lifecycle.delete: told to fail for good"
same "the steps after it ran" 1 "$(reclog count node=a,op=postdelete)"
done_testing
