#!/bin/sh
# t3010-exec-run.sh: `blueprint exec` runs one operation on chosen
# instances with parameters read as YAML scalars, all at once or in
# dependency order; `blueprint run` runs a declared workflow (a plugin
# operation for the whole deployment, its parameters checked and
# defaulted) or a built-in one by name with Cloudify's parameters;
# `resume` finishes a killed exec without repeating what it did.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/workflow.sh"
wf_setup

wf_blueprint "$T/bp.yaml" <<YAML
node_templates:
  db:
    type: recorder.nodes.Node
    instances: { deploy: 2 }
    interfaces:
      custom:
        poke: { implementation: recorder.call, inputs: { hold: $T/hold } }
  web:
    type: recorder.nodes.Node
    instances: { deploy: 2 }
    relationships:
      - type: recorder.relationships.connected_to
        target: db
workflows:
  backup:
    mapping: recorder.call
    parameters:
      log_inputs: { default: true }
      dest: { description: where to }
YAML
run 0 "install" "$BLUEPRINT" install "$T/bp.yaml"
db1=$(ids db | sed -n 1p)

: >"$RECORDER_LOG"
run 0 "exec configure on web with parameters" "$BLUEPRINT" exec \
	cloudify.interfaces.lifecycle.configure --node web -p log_inputs=true \
	-p n=42 -p flag=yes -p ratio=0.5 -p "name=a b" -p "list=[1, 2]"
same "on each web instance only" "web web" \
	"$(reclog values node op=configure | paste -sd' ')"
for v in '"flag":true' '"list":[1,2]' '"n":42' '"name":"a b"' '"ratio":0.5'; do
	check "the values arrive as YAML scalars: $v" has err -qF "$v"
done

: >"$RECORDER_LOG"
run 0 "exec by short name on one instance" "$BLUEPRINT" exec create \
	--instance "$db1"
same "that instance only" "$db1" "$(reclog values inst)"

: >"$RECORDER_LOG"
run 0 "exec on every instance, in dependency order" "$BLUEPRINT" exec \
	start --dependency-order
same "four calls" 4 "$(reclog count)"
check "the dbs before the webs" reclog before node=db node=web
run 1 "an operation nobody has" "$BLUEPRINT" exec nothing
check "is named" has err -q "no node has operation 'nothing'"

: >"$RECORDER_LOG"
run 2 "a declared workflow checks its parameters" "$BLUEPRINT" run backup
check "naming the missing one" has err -q \
	"workflow 'backup' needs the parameter 'dest' (-p dest=VALUE)"
run 2 "and refuses unknown ones" "$BLUEPRINT" run backup -p dest=/x -p y=1
check "naming it" has err -q "workflow 'backup' has no parameter 'y'"
run 0 "run backup" "$BLUEPRINT" run backup -p dest=/var/backups
same "one call for the whole deployment" "workflow.backup None" \
	"$(reclog values op,inst)"
check "with the parameters and their defaults as inputs" has err -q \
	'inputs: {"dest":"/var/backups","log_inputs":true}'
run 2 "an unknown workflow" "$BLUEPRINT" run nope
check "is named" has err -q "no workflow 'nope'"

: >"$RECORDER_LOG"
run 0 "run a built-in one with Cloudify's parameters" "$BLUEPRINT" run \
	execute_operation -p operation=create -p "node_ids=[db]"
same "on the dbs" "db db" "$(reclog values node | paste -sd' ')"
run 0 "run scale" "$BLUEPRINT" run scale -p scalable_entity_name=web \
	-p delta=1
same "three webs" 3 "$(ids web | wc -l)"
run 0 "run uninstall" "$BLUEPRINT" run uninstall
run 0 "run install" "$BLUEPRINT" run install

touch "$T/hold"
: >"$RECORDER_LOG"
"$BLUEPRINT" exec poke --parallelism 1 >/dev/null 2>&1 &
pid=$!
check "an exec runs" wait_for 30 calls 1 op=poke
kill -9 "$pid"
wait "$pid" 2>/dev/null
rm "$T/hold"
: >"$RECORDER_LOG"
run 0 "resume finishes the killed exec" "$BLUEPRINT" resume
check "saying what it resumes" has out -q "^resuming execute_operation"
same "the call in flight runs again, then the other" 2 \
	"$(reclog count op=poke)"
done_testing
