#!/bin/sh
# t3009-secrets.sh: a secret given to an operation (get_secret in its
# inputs) appears in no event, no failure message and nowhere in the
# store's database, even when the plugin logs it and fails with it in its
# message: it is shown as ******.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/workflow.sh"
wf_setup

wf_blueprint "$T/bp.yaml" <<'YAML'
node_templates:
  api:
    type: recorder.nodes.Node
    interfaces:
      cloudify.interfaces.lifecycle:
        create:
          implementation: recorder.call
          inputs:
            log_inputs: true
            token: { get_secret: api_token }
        configure:
          implementation: recorder.call
          inputs:
            fatal: true
            message: { concat: ["bad token ", { get_secret: api_token }] }
YAML
value=Xy7-very-secret-Q9

run 0 "set the secret" "$BLUEPRINT" secret set api_token "$value"
run 1 "an install that logs it and fails with it" \
	"$BLUEPRINT" install "$T/bp.yaml"
check "its output shows it masked" has err -q 'bad token \*\*\*\*\*\*'
check "in the logged inputs too" has err -q '"token":"\*\*\*\*\*\*"'
check "and never the value" sh -c '! printf "%s%s" "$0" "$1" | grep -qF "$2"' \
	"$out" "$err" "$value"
run 0 "events" "$BLUEPRINT" events
check "show no value" sh -c '! printf "%s" "$0" | grep -qF "$1"' "$out" "$value"
run 0 "events --json" "$BLUEPRINT" events --json
check "show no value" sh -c '! printf "%s" "$0" | grep -qF "$1"' "$out" "$value"
check "the masked message is there" has out -q 'bad token \*\*\*\*\*\*'
run 0 "executions --json" "$BLUEPRINT" executions --json
check "show no value" sh -c '! printf "%s" "$0" | grep -qF "$1"' "$out" "$value"
check "the store's database holds no copy of it" sh -c \
	'! cat "$0"/state.db* | grep -qaF "$1"' "$BLUEPRINT_STATE" "$value"
done_testing
