#!/bin/sh
# t3015-default-deployment.sh: the deployment a workflow command works on
# without -d: install names it after the blueprint file (its base name
# without the extension); the other commands take the only deployment in
# the state directory, and with several they name them all, ask for -d
# and run nothing.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/workflow.sh"
wf_setup

wf_blueprint "$T/web.app.yaml" <<'YAML'
node_templates:
  n:
    type: recorder.nodes.Node
YAML
cp "$T/web.app.yaml" "$T/db.yaml"

# deployments: the names in the state directory, space-separated
deployments() {
	"$BLUEPRINT" deployments --json | "$PYTHON" -c '
import json, sys
doc = json.load(sys.stdin)
rows = doc["deployments"] if isinstance(doc, dict) else doc
print(" ".join(sorted(d["id"] for d in rows)))'
}

run 0 "install without -d" "$BLUEPRINT" install "$T/web.app.yaml"
same "names the deployment after the file" "web.app" "$(deployments)"
: >"$RECORDER_LOG"
run 0 "uninstall without -d: the only deployment" "$BLUEPRINT" uninstall
same "it was uninstalled" 1 "$(reclog count op=delete)"
run 0 "install it again" "$BLUEPRINT" install "$T/web.app.yaml"

run 0 "install a second blueprint" "$BLUEPRINT" install "$T/db.yaml"
same "two deployments" "db web.app" "$(deployments)"
: >"$RECORDER_LOG"
for cmd in uninstall "scale n +1" "exec create" "heal n_000000" resume; do
	run 2 "$cmd without -d, with two deployments" "$BLUEPRINT" $cmd
	check "names both and asks for -d" has err -q \
		"several deployments in .*'db', 'web.app'.*-d NAME"
done
same "nothing ran" 0 "$(reclog count)"
run 0 "uninstall -d db" "$BLUEPRINT" uninstall -d db
same "only db's instance was deleted" "db" \
	"$(reclog values dep op=delete)"
done_testing
