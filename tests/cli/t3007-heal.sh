#!/bin/sh
# t3007-heal.sh: `blueprint heal INSTANCE`: the node's heal operation when
# it has one; else, or when it fails, the reinstall of the instance's host
# (its Compute) and everything on it, with the relationships that reach
# them from outside unlinked before and established again after.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/workflow.sh"
wf_setup

wf_blueprint "$T/bp.yaml" <<'YAML'
node_templates:
  vm:
    type: recorder.nodes.Compute
  app:
    type: recorder.nodes.Node
    relationships:
      - type: recorder.relationships.contained_in
        target: vm
  lb:
    type: recorder.nodes.Node
    relationships:
      - type: recorder.relationships.connected_to
        target: app
  fixable:
    type: recorder.nodes.Healable
  stubborn:
    type: recorder.nodes.Healable
    properties:
      behave: { heal: { fatal: true } }
YAML

run 0 "install" "$BLUEPRINT" install "$T/bp.yaml"
app=$(ids app) vm=$(ids vm)

: >"$RECORDER_LOG"
run 0 "heal the app: it has no heal operation" "$BLUEPRINT" heal "$app"
same "its vm and the app were deleted and created again" \
	"$app $vm|$app $vm" \
	"$(reclog values inst op=delete | paste -sd' ')|$(reclog values inst op=create | paste -sd' ')"
same "the balancer was unlinked and linked again, both sides" "2 2" \
	"$(reclog count op=unlink,node=lb) $(reclog count op=establish,node=lb)"
check "unlinked before the app stopped" \
	reclog before op=unlink,node=lb op=stop,node=app,kind=node
check "linked again once the app was started" \
	reclog before op=poststart,node=app,kind=node op=establish,node=lb
same "the balancer itself got no lifecycle call" 0 \
	"$(reclog count node=lb,kind=node)"

: >"$RECORDER_LOG"
run 0 "heal an instance whose heal operation works" \
	"$BLUEPRINT" heal "$(ids fixable)"
same "only its heal operation ran" "heal" \
	"$(reclog values op | sed 's/.*\.//' | paste -sd' ')"

: >"$RECORDER_LOG"
run 0 "heal an instance whose heal operation fails" \
	"$BLUEPRINT" heal "$(ids stubborn)"
check "says it reinstalls instead" has out -q "reinstalling instead"
same "heal, then delete and create" "1 1 1" \
	"$(reclog count op=heal) $(reclog count op=delete) $(reclog count op=create)"
check "in that order" reclog before op=heal op=prestop

: >"$RECORDER_LOG"
run 0 "--dry-run shows both graphs" "$BLUEPRINT" heal "$(ids stubborn)" \
	--dry-run
check "the heal operation first" has out -q "^first the heal operation:"
check "then the reinstall" has out -q "^then, if it fails, the reinstall:"
same "and runs nothing" 0 "$(reclog count)"
run 1 "an unknown instance" "$BLUEPRINT" heal nope_123456
check "is named" has err -q "no node instance 'nope_123456'"
done_testing
