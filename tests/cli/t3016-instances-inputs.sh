#!/bin/sh
# t3016-instances-inputs.sh: instance counts written with get_input, in a
# node's scalable capability and in a scaling policy, take the
# deployment's inputs: plan and install make that many, scale keeps the
# bounds they give, and a count out of bounds is an error at its place.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"

cat >"$TMP/bp.yaml" <<'YAML'
tosca_definitions_version: cloudify_dsl_1_4
imports: [https://cloudify.co/spec/cloudify/6.4.0/types.yaml]
inputs:
  n: { type: integer, default: 3 }
  g: { type: integer, default: 2 }
  top: { type: integer, default: 5 }
node_templates:
  web:
    type: cloudify.nodes.Root
    capabilities:
      scalable:
        properties:
          default_instances: { get_input: n }
          max_instances: { get_input: top }
  a: { type: cloudify.nodes.Root }
groups:
  grp: { members: [a] }
policies:
  p:
    type: cloudify.policies.scaling
    targets: [grp]
    properties: { default_instances: { get_input: g } }
YAML
count() { printf '%s\n' "$out" | grep -c "^  $1_" || true; }

run 0 "plan with the inputs' defaults" "$BLUEPRINT" plan "$TMP/bp.yaml"
same "three webs and two a's" "3 2" "$(count web) $(count a)"
run 0 "plan with other inputs" "$BLUEPRINT" plan "$TMP/bp.yaml" -i n=1,g=4
same "one web and four a's" "1 4" "$(count web) $(count a)"
run 2 "a count over its maximum" "$BLUEPRINT" plan "$TMP/bp.yaml" -i n=9
check "is an error at the count" has err -q \
	"bp.yaml:13:30: error: default_instances (9) of node 'web' must be within min_instances (0) and max_instances (5)"
run 0 "install with n=2" "$BLUEPRINT" install "$TMP/bp.yaml" -i n=2,top=3
run 0 "status" "$BLUEPRINT" status
same "two webs, two a's" "2 2" \
	"$(printf '%s\n' "$out" | grep -c '^web ') $(printf '%s\n' "$out" | grep -c '^a ')"
run 2 "scale past the maximum from the inputs" "$BLUEPRINT" scale web +2
check "says so" has err -q "cannot scale 'web' to 4 instances: max_instances is 3"
run 0 "scale within it" "$BLUEPRINT" scale web +1
done_testing
