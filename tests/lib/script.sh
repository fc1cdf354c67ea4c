# script.sh: helpers for the script runner's shell tests
# (tests/cli/t7*-script-*.sh), sourced after tap.sh and tmpdir. Scripts go
# in $BPDIR, the blueprint directory of every run.
#   script NAME [MODE]   writes standard input to $BPDIR/NAME (mode 755
#                        unless MODE says otherwise)
#   srun DESC JSON [ARGS...]
#                        runs operation `run` of the script plugin with the
#                        context JSON (its deployment.blueprint_dir defaults
#                        to $BPDIR); the report is in $out; ARGS go to
#                        `plugins run` first
#   result               "CODE: MESSAGE" of the last run
#   logs                 its log lines, "level: message" each
#   pid_gone PID         waits (at most 10 s) until PID has exited; true
#                        when it has
unset BLUEPRINT_PLUGIN_PATH
BPDIR=$T/bp
mkdir -p "$BPDIR"

script() {
	mkdir -p "$(dirname "$BPDIR/$1")"
	cat >"$BPDIR/$1"
	chmod "${2:-755}" "$BPDIR/$1"
}

srun() {
	_desc=$1 _json=$2
	shift 2
	printf '%s' "$_json" | python3 -c '
import json, sys
c = json.load(sys.stdin)
c.setdefault("deployment", {}).setdefault("blueprint_dir", sys.argv[1])
print(json.dumps(c))' "$BPDIR" >"$T/context.json"
	run 0 "$_desc" "$BLUEPRINT" plugins run "$@" script run \
		--context "$T/context.json"
}

result() {
	printf '%s' "$out" | python3 -c '
import json, sys
r = json.load(sys.stdin)["result"]
print("%s: %s" % (r["code"], r["message"]))'
}

logs() {
	printf '%s' "$out" | python3 -c '
import json, sys
for l in json.load(sys.stdin)["result"]["logs"]:
    if not l["message"].startswith("running script"):
        print("%s: %s" % (l["level"], l["message"]))'
}

pid_gone() {
	_i=0
	while [ $_i -lt 100 ]; do
		# gone, or a zombie waiting for its new parent to reap it
		if ! [ -e "/proc/$1" ] ||
		   [ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)" = Z ]; then
			return 0
		fi
		_i=$((_i + 1))
		sleep 0.1
	done
	return 1
}
