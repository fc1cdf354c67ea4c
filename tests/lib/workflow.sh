# workflow.sh: helpers for the workflow tests under tests/cli/ (t3*),
# sourced after tap.sh. They run blueprints of the recorder test plugin
# (tests/plugins/recorder/) and ask its call log questions with
# tests/tools/reclog.py.
#
#   wf_setup            T, a state directory and a call log for this test
#   wf_blueprint FILE   writes stdin to FILE after the header that imports
#                       the Cloudify types and the recorder's
#   reclog ARGS...      reclog.py on this test's call log
#   ids NODE            the ids of NODE's instances, one per line
#   states              the states of all instances, space-separated
#   count NODE [STATE]  how many instances NODE has (in STATE)
# (these three read `blueprint status` of deployment $DEPLOY, or the only
# one)
#   wait_for SECS CMD   polls CMD every 50 ms until it succeeds (false
#                       after SECS seconds)
#   calls N [FILTER]    true once N calls (matching FILTER) have started

export BLUEPRINT_PLUGIN_PATH="$BP_BUILD/tests/plugins"
RECORDER_TYPES="$BP_SRC/tests/plugins/recorder/types.yaml"

wf_setup() {
	tmpdir
	export BLUEPRINT_STATE="$T/state" RECORDER_LOG="$T/calls.log"
	: >"$RECORDER_LOG"
}

wf_blueprint() {
	{
		echo "tosca_definitions_version: cloudify_dsl_1_3"
		echo "imports:"
		echo "  - http://www.getcloudify.org/spec/cloudify/6.4.0/types.yaml"
		echo "  - $RECORDER_TYPES"
		cat
	} >"$1"
}

reclog() {
	"$PYTHON" "$BP_SRC/tests/tools/reclog.py" "$RECORDER_LOG" "$@"
}

# status_py CODE ARGS...: runs Python CODE on the status (as `insts`)
status_py() {
	_code=$1; shift
	"$BLUEPRINT" status ${DEPLOY:+-d "$DEPLOY"} --json | "$PYTHON" -c "
import json, sys
insts = json.load(sys.stdin)['instances']
$_code" "$@"
}

ids() {
	status_py 'print("\n".join(i["id"] for i in insts
                if i["node"] == sys.argv[1]))' "$1"
}

states() {
	status_py 'print(" ".join(i["state"] for i in insts))'
}

count() {
	status_py 'print(sum(i["node"] == sys.argv[1] and
                sys.argv[2] in ("", i["state"]) for i in insts))' \
		"$1" "${2:-}"
}

wait_for() {
	_limit=$(( $1 * 20 )); shift
	_i=0
	until "$@"; do
		_i=$((_i + 1))
		[ "$_i" -ge "$_limit" ] && return 1
		sleep 0.05
	done
}

calls() {
	if [ -z "${2:-}" ]; then   # quicker than Python, for tight polls
		[ "$(grep -c '"ev":"start"' "$RECORDER_LOG")" -ge "$1" ]
	else
		[ "$(reclog count "$2")" -ge "$1" ]
	fi
}
