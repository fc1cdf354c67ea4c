#!/bin/sh
# t3006-all-to-one-groups.sh: an all_to_one relationship keeps its one
# target across scaling, of the sources and of the targets; a scaling
# group scales its members together, and no relationship crosses its
# instances.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/workflow.sh"
wf_setup

wf_blueprint "$T/bp.yaml" <<'YAML'
node_templates:
  db:
    type: recorder.nodes.Node
    instances: { deploy: 3 }
  web:
    type: recorder.nodes.Node
    instances: { deploy: 2 }
    relationships:
      - type: recorder.relationships.connected_to
        target: db
        properties: { connection_type: all_to_one }
  a:
    type: recorder.nodes.Node
  b:
    type: recorder.nodes.Node
    relationships:
      - type: recorder.relationships.connected_to
        target: a
groups:
  pair: { members: [a, b] }
policies:
  pair_scale:
    type: cloudify.policies.scaling
    targets: [pair]
    properties: { default_instances: 1 }
YAML

run 0 "install" "$BLUEPRINT" install "$T/bp.yaml"
same "each web has one relationship" 2 \
	"$(reclog count op=establish,kind=source,node=web)"
one=$(reclog values tgt op=establish,kind=source,node=web | sort -u)
same "both to the same db instance" 1 "$(printf '%s\n' "$one" | wc -l)"

: >"$RECORDER_LOG"
run 0 "scale web +2" "$BLUEPRINT" scale web +2
same "the new webs connect to that same db instance" "$one $one" \
	"$(reclog values tgt op=establish,kind=source,node=web | paste -sd' ')"
: >"$RECORDER_LOG"
run 0 "scale db +2" "$BLUEPRINT" scale db +2
same "two new dbs" 2 "$(reclog count op=create,node=db)"
same "no web gains a relationship" 0 "$(reclog count op=establish)"

as=$(ids a) bs=$(ids b)
: >"$RECORDER_LOG"
run 0 "scale the group pair +1" "$BLUEPRINT" scale pair +1
a2=$(ids a | grep -vxF "$as") b2=$(ids b | grep -vxF "$bs")
same "one new a and one new b" "$a2 $b2" \
	"$(reclog values inst op=create | paste -sd' ')"
same "the new b connects to the new a only" "$a2" \
	"$(reclog values tgt op=establish,kind=source,node=b)"
as=$(ids a) bs=$(ids b)
: >"$RECORDER_LOG"
run 0 "scaling a group member scales its group" "$BLUEPRINT" scale a +1
a3=$(ids a | grep -vxF "$as") b3=$(ids b | grep -vxF "$bs")
same "one new a and one new b" "$a3 $b3" \
	"$(reclog values inst op=create | paste -sd' ')"
check "saying it scaled the group" has out -q "^pair: added"
run 0 "scale a -1 naming the newest a" "$BLUEPRINT" scale a -1 \
	--instance "$a3"
: >"$RECORDER_LOG"
run 0 "scale pair -1 naming the new b" "$BLUEPRINT" scale pair -1 \
	--instance "$b2"
same "its group instance goes: the new a and b" "$a2 $b2" \
	"$(reclog values inst op=delete | paste -sd' ')"
done_testing
