#!/bin/sh
# t6020-validate-plugins.sh: an operation no plugin provides is found by
# `blueprint validate` (a warning at the implementation's place: plugins may
# come later) and stops `blueprint install` before anything runs: a
# missing plugin, a plugin built for another ABI, one without an entry
# point, one that lacks the operation.
. "$(dirname "$0")/../lib/tap.sh"
tmpdir
export BLUEPRINT_PLUGIN_PATH="$BP_BUILD/tests/plugins"
export BLUEPRINT_STATE="$T/state"

cat > "$T/bp.yaml" <<'YAML'
tosca_definitions_version: cloudify_dsl_1_3
node_types:
  t:
    interfaces:
      cloudify.interfaces.lifecycle:
        create: nosuch.create
        configure: future.echo
        start: noentry.echo
        stop: probe.nosuchop
        delete: probe.echo
plugins:
  nosuch: { executor: central_deployment_agent, install: false }
  future: { executor: central_deployment_agent, install: false }
  noentry: { executor: central_deployment_agent, install: false }
  probe: { executor: central_deployment_agent, install: false }
node_templates:
  n: { type: t }
YAML

run 0 "validate passes with warnings" "$BLUEPRINT" validate "$T/bp.yaml"
check "says valid" has out -qx valid
check "missing plugin at its place" has err -q "bp.yaml:6:17: warning: operation 'cloudify.interfaces.lifecycle.create' of node 'n': .*nosuch"
check "ABI mismatch names both versions" has err -q "bp.yaml:7:20: warning: .*future.*was built for ABI 2\.[0-9]*; this engine provides 1\."
check "missing entry point" has err -q "bp.yaml:8:16: warning: .*no entry point 'bp_plugin_entry'"
check "missing operation" has err -q "bp.yaml:9:15: warning: .*nosuchop"
check "a good operation is not reported" sh -c "! printf '%s' \"\$1\" | grep -q 'probe.echo'" - "$err"
run 2 "install refuses to start" "$BLUEPRINT" install "$T/bp.yaml"
check "install names the problems" has err -q "bp.yaml:6:17: error: operation 'cloudify.interfaces.lifecycle.create'"
run 0 "validate --json lists the warnings" "$BLUEPRINT" validate --json "$T/bp.yaml"
check "four warnings in JSON" sh -c "printf '%s' \"\$1\" | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d[\"valid\"] and len(d[\"warnings\"]) == 4 else 1)'" - "$out"
done_testing
