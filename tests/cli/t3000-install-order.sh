#!/bin/sh
# t3000-install-order.sh: install and uninstall follow Cloudify's order,
# seen in the recorder's call log: a source's install starts once every
# target instance finished its own; per instance create, preconfigure
# (both sides), configure, postconfigure, start, poststart, establish;
# uninstall in reverse with unlink between stop and delete; relationship
# operations fan out over every source-target pair and both sides.
# --dry-run prints the steps and runs nothing.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/workflow.sh"
wf_setup

wf_blueprint "$T/bp.yaml" <<'YAML'
node_templates:
  db:
    type: recorder.nodes.Node
    instances: { deploy: 2 }
  web:
    type: recorder.nodes.Node
    instances: { deploy: 3 }
    relationships:
      - type: recorder.relationships.connected_to
        target: db
YAML

run 0 "--dry-run prints the steps" "$BLUEPRINT" install "$T/bp.yaml" --dry-run
check "in waves that say what runs in parallel" \
	has out -q "^install: 64 steps in 14 waves"
check "the targets' first steps come first" \
	sh -c 'printf "%s\n" "$0" | sed -n 2,4p | grep -q "^  db_.*precreate"' "$out"
same "--dry-run calls nothing" "" "$(cat "$RECORDER_LOG")"
run 1 "--dry-run creates no deployment" "$BLUEPRINT" status

run 0 "install" "$BLUEPRINT" install "$T/bp.yaml"
same "every instance is started" "started started started started started" \
	"$(states)"
same "one create per instance" 5 "$(reclog count op=create)"
check "db finished installing before web started" \
	reclog before node=db,kind=node node=web
for pair in "create preconfigure" "preconfigure configure" \
	    "configure postconfigure" "postconfigure start" \
	    "start poststart" "poststart establish"; do
	set -- $pair
	a=$1 b=$2
	[ "$a" = create ] || [ "$a" = configure ] || [ "$a" = start ] ||
		[ "$a" = poststart ] && a="$a,kind=node"
	[ "$b" = configure ] || [ "$b" = start ] || [ "$b" = poststart ] &&
		b="$b,kind=node"
	check "per web instance, $1 before $2" \
		reclog each-before "op=$a,node=web" "op=$b,node=web" inst
done
for op in preconfigure postconfigure establish; do
	same "$op: both sides of each of the 6 pairs" "6 6" \
		"$(reclog count op=$op,kind=source) $(reclog count op=$op,kind=target)"
done
same "establish reaches every db instance from every web" 6 \
	"$(reclog values inst,tgt op=establish,kind=source | sort -u | wc -l)"

: >"$RECORDER_LOG"
run 0 "install again does nothing" "$BLUEPRINT" install "$T/bp.yaml"
same "no call" 0 "$(reclog count)"

run 0 "uninstall" "$BLUEPRINT" uninstall
check "web finished uninstalling before db started" \
	reclog before node=web node=db,kind=node
check "per web instance, stop before unlink" \
	reclog each-before op=stop,kind=node,node=web op=unlink inst
check "per web instance, unlink before delete" \
	reclog each-before op=unlink op=delete,kind=node,node=web inst
same "unlink: both sides of each pair" "6 6" \
	"$(reclog count op=unlink,kind=source) $(reclog count op=unlink,kind=target)"
same "one delete per instance" 5 "$(reclog count op=delete)"
same "every instance is deleted" "deleted deleted deleted deleted deleted" \
	"$(states)"
done_testing
