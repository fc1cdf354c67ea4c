#!/bin/sh
# t3012-tosca-interfaces.sh: a TOSCA blueprint's interfaces run at the
# same points as Cloudify's, seen in the recorder's call log: Standard
# create, configure, start (and stop, delete) for the lifecycle;
# Configure's pre_configure_source/target around configure,
# post_configure_source/target after it, add_target/add_source once the
# source started, remove_target/remove_source between stop and delete;
# each relationship operation on its own side, once per pair.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/workflow.sh"
wf_setup

cat >"$T/bp.yaml" <<'YAML'
tosca_definitions_version: tosca_simple_yaml_1_3
relationship_types:
  Uses:
    derived_from: tosca.relationships.ConnectsTo
    interfaces:
      Configure:
        pre_configure_source: recorder.source
        pre_configure_target: recorder.target
        post_configure_source: recorder.source
        post_configure_target: recorder.target
        add_target: recorder.source
        add_source: recorder.target
        remove_target: recorder.source
        remove_source: recorder.target
node_types:
  Rec:
    derived_from: tosca.nodes.Root
    interfaces:
      Standard:
        create: recorder.call
        configure: recorder.call
        start: recorder.call
        stop: recorder.call
        delete: recorder.call
topology_template:
  node_templates:
    db:
      type: Rec
    app:
      type: Rec
      requirements:
        - dependency: { node: db, relationship: Uses }
YAML

run 0 "install" "$BLUEPRINT" install "$T/bp.yaml"
same "Standard create, configure, start on both" "2 2 2" \
	"$(reclog count op=Standard.create) $(reclog count op=Standard.configure) $(reclog count op=Standard.start)"
check "the target started before the source was created" \
	reclog before op=Standard.start,node=db op=Standard.create,node=app
for op in pre_configure_source:source pre_configure_target:target \
	  post_configure_source:source post_configure_target:target \
	  add_target:source add_source:target; do
	same "${op%:*} runs once, on the ${op#*:} side" "1 ${op#*:} db" \
		"$(reclog count op=${op%:*}) $(reclog values kind,tnode op=${op%:*})"
done
for pair in "Standard.create pre_configure_source" \
	    "Standard.create pre_configure_target" \
	    "pre_configure_source Standard.configure,kind=node" \
	    "pre_configure_target Standard.configure,kind=node" \
	    "Standard.configure,kind=node post_configure_source" \
	    "Standard.configure,kind=node post_configure_target" \
	    "post_configure_source Standard.start,kind=node" \
	    "post_configure_target Standard.start,kind=node" \
	    "Standard.start,kind=node add_target" \
	    "Standard.start,kind=node add_source"; do
	set -- $pair
	check "the source's ${1%%,*} before ${2%%,*}" \
		reclog before "op=$1,node=app" "op=$2,node=app"
done
same "every instance started" "started started" "$(states)"

: >"$RECORDER_LOG"
run 0 "uninstall" "$BLUEPRINT" uninstall
same "remove_target and remove_source, once each" "1 1" \
	"$(reclog count op=remove_target,kind=source) $(reclog count op=remove_source,kind=target)"
check "the source stopped before its relationship was removed" \
	reclog before op=Standard.stop,node=app,kind=node op=remove_target
for op in remove_target remove_source; do
	check "$op before the source was deleted" \
		reclog before op=$op,node=app op=Standard.delete,node=app,kind=node
done
check "the source deleted before the target stopped" \
	reclog before op=Standard.delete,node=app,kind=node op=Standard.stop,node=db
same "every instance deleted" "deleted deleted" "$(states)"
done_testing
