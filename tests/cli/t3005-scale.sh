#!/bin/sh
# t3005-scale.sh: `blueprint scale`, counted in the recorder's call log
# and the status: out installs only the new instances (a host with what
# it contains) and establishes the peers' new relationships; in unlinks
# the peers that stay and uninstalls what goes; the store's relationship
# instances follow (counted per source and target node); a contained
# node scales per host; min/max are enforced with a clear error; a failed
# scale out is rolled back, or kept with --no-rollback and finished by
# resume.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/workflow.sh"
wf_setup

wf_blueprint "$T/bp.yaml" <<YAML
node_templates:
  vm:
    type: recorder.nodes.Compute
    capabilities:
      scalable:
        properties: { default_instances: 2, min_instances: 1, max_instances: 4 }
  app:
    type: recorder.nodes.Node
    properties:
      behave: { create: { fatal_if: $T/broken } }
    relationships:
      - type: recorder.relationships.contained_in
        target: vm
  lb:
    type: recorder.nodes.Node
    relationships:
      - type: recorder.relationships.connected_to
        target: app
YAML

new_ids() {   # new_ids NODE OLD: ids of NODE not in the list OLD
	ids "$1" | grep -vxF -e "$(printf '%s\n' $2)" || :
}
touches() {   # touches IDS: calls on (or to) any of IDS
	reclog values inst,tgt | tr ' ' '\n' | grep -cxF -e "$(printf '%s\n' $1)"
}
rels() {   # rels: the store's relationship instances, "app>vm lb>app" counts
	"$PYTHON" - "$BLUEPRINT_STATE/state.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
rows = db.execute(
    "SELECT s.node, t.node, count(*) FROM relationship_instances r"
    " JOIN node_instances s ON s.deployment = r.deployment"
    " AND s.id = r.source_id JOIN node_instances t"
    " ON t.deployment = r.deployment AND t.id = r.target_id"
    " GROUP BY s.node, t.node ORDER BY s.node, t.node")
print(" ".join("%s>%s:%d" % row for row in rows))
PY
}

run 0 "install" "$BLUEPRINT" install "$T/bp.yaml"
vms=$(ids vm) apps=$(ids app)
same "relationships: each app in its vm, the balancer to each app" \
	"app>vm:2 lb>app:2" "$(rels)"
: >"$RECORDER_LOG"

run 0 "scale vm +1" "$BLUEPRINT" scale vm +1
same "3 vms and 3 apps, all started" "3 3 3 3" \
	"$(count vm) $(count app) $(count vm started) $(count app started)"
same "the new app's relationships are stored: its vm, the balancer's" \
	"app>vm:3 lb>app:3" "$(rels)"
vm3=$(new_ids vm "$vms") app3=$(new_ids app "$apps")
check "it says what it added" has out -qx "vm: added $vm3, $app3"
same "only the new vm and app were created" "$app3 $vm3" \
	"$(reclog values inst op=create | paste -sd' ')"
same "the balancer got no lifecycle call" 0 "$(reclog count node=lb,kind=node)"
same "it established its relationship to the new app, both sides" \
	"source $app3|target $app3" \
	"$(reclog values kind,tgt op=establish,node=lb | paste -sd'|')"
same "the old instances got no call" 0 "$(touches "$vms $apps")"

: >"$RECORDER_LOG"
run 0 "scale vm -1 naming the new one" "$BLUEPRINT" scale vm -1 \
	--instance "$vm3"
check "it says what it removed" has out -qx "vm: removed $vm3, $app3"
same "2 vms and 2 apps" "2 2" "$(count vm) $(count app)"
same "their relationships are gone, the peers' included" \
	"app>vm:2 lb>app:2" "$(rels)"
same "the vm and its app were deleted" "$app3 $vm3" \
	"$(reclog values inst op=delete | paste -sd' ')"
same "the balancer unlinked from that app, both sides" \
	"source $app3|target $app3" \
	"$(reclog values kind,tgt op=unlink,node=lb | paste -sd'|')"
same "the old instances got no call" 0 "$(touches "$vms $apps")"

: >"$RECORDER_LOG"
run 0 "scale app +1: one more on each vm" "$BLUEPRINT" scale app +1
same "4 apps" 4 "$(count app)"
same "each in its vm, each reached by the balancer" "app>vm:4 lb>app:4" \
	"$(rels)"
same "one create per vm" 2 "$(reclog count op=create,node=app)"
same "each new app on its own vm" 2 \
	"$(reclog values tgt op=establish,kind=source,node=app | sort -u | wc -l)"
run 0 "scale app -1: one fewer on each vm" "$BLUEPRINT" scale app -1
same "2 apps" 2 "$(count app)"
same "and 2 of each relationship" "app>vm:2 lb>app:2" "$(rels)"

run 2 "over max_instances" "$BLUEPRINT" scale vm +3
check "is refused clearly" has err -q \
	"cannot scale 'vm' to 5 instances: max_instances is 4"
run 2 "under min_instances" "$BLUEPRINT" scale vm -2
check "is refused clearly" has err -q \
	"cannot scale 'vm' to 0 instances: min_instances is 1"
run 2 "an unknown node" "$BLUEPRINT" scale nope +1
check "is named" has err -q "no node or scaling group named 'nope'"
run 2 "a delta of 0" "$BLUEPRINT" scale vm 0

touch "$T/broken"
vms=$(ids vm) apps=$(ids app)
: >"$RECORDER_LOG"
run 1 "a scale out whose app fails" "$BLUEPRINT" scale vm +1
check "is rolled back" has err -q "the new instances were rolled back"
same "back to 2 vms and 2 apps" "2 2" "$(count vm) $(count app)"
same "the new vm was uninstalled" 1 "$(reclog count op=delete,node=vm)"
same "the old instances got no call" 0 "$(touches "$vms $apps")"

: >"$RECORDER_LOG"
run 1 "with --no-rollback" "$BLUEPRINT" scale vm +1 --no-rollback
same "the new instances stay" "3 3" "$(count vm) $(count app)"
run 1 "another scale waits for it" "$BLUEPRINT" scale vm -1
check "saying how to go on" has err -q "run 'blueprint resume' first"
rm "$T/broken"
: >"$RECORDER_LOG"
run 0 "resume finishes the scale" "$BLUEPRINT" resume
same "all started" "3 3" "$(count vm started) $(count app started)"
same "only the app's create ran again" "app" \
	"$(reclog values node op=create | paste -sd' ')"
run 0 "and scaling works again" "$BLUEPRINT" scale vm -1
same "2 vms" 2 "$(count vm)"
done_testing
