#!/bin/sh
# t3004-kill-resume.sh: an install killed with SIGKILL at a random point
# is finished by `blueprint resume` (or by running install again), and no
# operation that finished runs again: over the two runs, each instance's
# create is called once, or twice when it was in flight at the kill (the
# store did not record it done). The lock died with the killed process.
# The points are random: the log says which, to run a failure again.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/workflow.sh"
wf_setup

wf_blueprint "$T/bp.yaml" <<'YAML'
node_templates:
  n:
    type: recorder.nodes.Node
    instances: { deploy: 10 }
    properties:
      behave:
        create: { sleep_ms: 200 }
        configure: { sleep_ms: 50 }
        start: { sleep_ms: 50 }
YAML

# The instances whose create the store has as done, one per line.
done_creates() {
	"$PYTHON" - "$BLUEPRINT_STATE/state.db" "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
rows = db.execute(
    "SELECT t.instance_id FROM operation_tasks t JOIN executions e"
    " ON t.execution = e.id WHERE e.deployment = ? AND"
    " t.state = 'succeeded' AND t.operation LIKE '%.create'", (sys.argv[2],))
for (i,) in rows:
    print(i)
PY
}

# Checks the calls of both runs against what was done at the kill;
# prints what is wrong, nothing when all is right.
verify() {
	"$PYTHON" - "$T/run1.log" "$RECORDER_LOG" "$T/done" <<'PY'
import collections, json, sys
def creates(path):
    c = collections.Counter()
    for line in open(path):
        r = json.loads(line)
        if r["ev"] == "start" and r["op"].endswith(".create"):
            c[r["inst"]] += 1
    return c
one, two = creates(sys.argv[1]), creates(sys.argv[2])
done = set(open(sys.argv[3]).read().split())
for inst in sorted(set(one) | set(two)):
    want = 0 if inst in done else 1
    if two[inst] != want or one[inst] > 1:
        print("%s: create called %d then %d times (%s at the kill)" % (
            inst, one[inst], two[inst], "done" if inst in done else
            "not done"))
if len(set(one) | set(two)) != 10:
    print("creates of %d instances, expected 10" % len(set(one) | set(two)))
PY
}

for round in 1 2 3; do
	: >"$RECORDER_LOG"
	k=$(( $(od -An -N2 -tu2 /dev/urandom) % 35 + 1 ))
	diag "round $round: kill after $k calls started"
	"$BLUEPRINT" install "$T/bp.yaml" -d "d$round" --parallelism 3 \
		>/dev/null 2>&1 &
	pid=$!
	wait_for 60 calls "$k"
	check "round $round: killed while it ran" kill -9 "$pid"
	wait "$pid" 2>/dev/null
	cp "$RECORDER_LOG" "$T/run1.log"
	done_creates "d$round" >"$T/done"
	: >"$RECORDER_LOG"
	if [ "$round" = 3 ]; then
		run 0 "round 3: install again finishes it" \
			"$BLUEPRINT" install "$T/bp.yaml" -d "d$round"
	else
		run 0 "round $round: resume finishes it" \
			"$BLUEPRINT" resume -d "d$round"
	fi
	same "round $round: every instance is started" 10 \
		"$(DEPLOY=d$round count n started)"
	same "round $round: no create that finished ran again" "" "$(verify)"
done
run 0 "resume with nothing left to do" "$BLUEPRINT" resume -d d1
check "says so" has out -q "nothing to resume"
done_testing
