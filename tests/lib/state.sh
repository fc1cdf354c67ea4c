# state.sh: for the CLI tests that read a state directory (sourced after
# tap.sh). Each script gets a fresh one in $BLUEPRINT_STATE, removed on
# exit, and fills it with `mkstate RECORD KEY=VALUE...` (tests/tools/
# mkstate.c: the records only a running workflow would write otherwise).

MKSTATE="$BP_BUILD/tools/mkstate"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/bp-state-XXXXXX")
trap 'rm -rf "$TMP"' EXIT
BLUEPRINT_STATE="$TMP/state"
export BLUEPRINT_STATE
# Times in human output are local: make them predictable.
TZ=UTC
export TZ

mkstate() { "$MKSTATE" "$BLUEPRINT_STATE" "$@"; }

# wait_for TENTHS CMD...: runs CMD every tenth of a second until it
# succeeds; fails after TENTHS tries (a bounded wait, never a fixed sleep).
wait_for() {
	_tries=$1; shift
	until "$@"; do
		_tries=$((_tries - 1))
		[ "$_tries" -gt 0 ] || return 1
		sleep 0.1
	done
}

# contains TEXT PATTERN: TEXT holds the fixed string PATTERN.
contains() { printf '%s\n' "$1" | grep -qF -- "$2"; }
