#!/bin/sh
# t3011-scale-resume.sh: a scale killed with SIGKILL is finished by
# `blueprint resume` from its modification: out, in, and the rollback of
# a failed scale out; what was done before the kill is not done again.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/workflow.sh"
wf_setup

wf_blueprint "$T/bp.yaml" <<YAML
node_templates:
  vm:
    type: recorder.nodes.Compute
    capabilities:
      scalable: { properties: { default_instances: 1, max_instances: 5 } }
    properties:
      behave:
        delete: { hold: $T/hold-delete }
  app:
    type: recorder.nodes.Node
    properties:
      behave:
        create: { hold: $T/hold-create, fatal_if: $T/broken }
    relationships:
      - type: recorder.relationships.contained_in
        target: vm
YAML

# kill_when FILTER: runs the rest of the line in the background, kills it
# once a call matching FILTER started; true when it was killed running.
kill_when() {
	_f=$1; shift
	"$@" >/dev/null 2>&1 &
	_p=$!
	wait_for 30 calls 1 "$_f"
	kill -9 "$_p"
	_k=$?
	wait "$_p" 2>/dev/null
	return $_k
}

run 0 "install" "$BLUEPRINT" install "$T/bp.yaml"

touch "$T/hold-create"
: >"$RECORDER_LOG"
check "a scale out killed while an app is created" \
	kill_when op=create,node=app "$BLUEPRINT" scale vm +2
rm "$T/hold-create"
cp "$RECORDER_LOG" "$T/before.log"
: >"$RECORDER_LOG"
run 0 "resume" "$BLUEPRINT" resume
check "resumes the scale" has out -q "^resuming the scale of modification"
same "3 vms and 3 apps" "3 3" "$(count vm) $(count app)"
same "the new vms were not created again" 0 "$(reclog count op=create,node=vm)"
same "the apps were created (the one in flight again)" 2 \
	"$(reclog count op=create,node=app)"
run 0 "nothing more to resume" "$BLUEPRINT" resume
check "says so" has out -q "nothing to resume"

touch "$T/hold-delete"
: >"$RECORDER_LOG"
check "a scale in killed while a vm is deleted" \
	kill_when op=delete,node=vm "$BLUEPRINT" scale vm -2
rm "$T/hold-delete"
: >"$RECORDER_LOG"
run 0 "resume" "$BLUEPRINT" resume
same "1 vm and 1 app left" "1 1" "$(count vm) $(count app)"
same "the apps were not deleted again" 0 "$(reclog count op=delete,node=app)"

touch "$T/broken" "$T/hold-delete"
: >"$RECORDER_LOG"
check "a failed scale out killed during its rollback" \
	kill_when op=delete,node=vm "$BLUEPRINT" scale vm +1
rm "$T/hold-delete" "$T/broken"
run 0 "resume" "$BLUEPRINT" resume
check "resumes the rollback" has out -q "^resuming the rollback of modification"
same "back to 1 vm and 1 app" "1 1" "$(count vm) $(count app)"
done_testing
