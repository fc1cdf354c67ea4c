# tap.sh: helpers for the TAP shell tests under tests/cli/ (sourced).
# Each test script calls `plan N` (or `done_testing`), then `ok`/`not_ok`
# per check. BP_BUILD and BP_SRC come from `make check`; a script run by
# hand from the source tree works too.

: "${BP_SRC:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${BP_BUILD:=$BP_SRC/build}"
BLUEPRINT="$BP_BUILD/blueprint"
SHARED="${BP_SHARED:-$BP_SRC/../shared}"
export BLUEPRINT_TYPES_DIR="${BLUEPRINT_TYPES_DIR:-$BP_SRC/types}"
# The system's Python: a version manager's shim on PATH costs a second or
# more per start, and some tests start it many times.
PYTHON=python3
[ -x /usr/bin/python3 ] && PYTHON=/usr/bin/python3
_tap_n=0
_tap_failed=0

plan() { echo "1..$1"; }
ok() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $*"; }
not_ok() {
	_tap_n=$((_tap_n + 1)); _tap_failed=$((_tap_failed + 1))
	echo "not ok $_tap_n - $*"
}
skip() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n # skip $*"; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
done_testing() { echo "1..$_tap_n"; [ "$_tap_failed" -eq 0 ]; }

# expect_exit CODE CMD...: runs CMD; passes when it exits with CODE, and
# never when it died of a signal or printed a sanitizer report (as git's
# test_must_fail). Output goes to $out / $err.
out=""; err=""
expect_exit() {
	want=$1; shift
	_o=$(mktemp); _e=$(mktemp)
	"$@" >"$_o" 2>"$_e"; rc=$?
	out=$(cat "$_o"); err=$(cat "$_e"); rm -f "$_o" "$_e"
	if [ $rc -gt 128 ]; then
		diag "killed by signal $((rc - 128)): $*"; return 1
	fi
	if printf '%s' "$err" | grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:'; then
		diag "sanitizer report: $*" "$err"; return 1
	fi
	[ "$rc" -eq "$want" ] || { diag "exit $rc, expected $want: $*" "$err"; return 1; }
	return 0
}

# One TAP line per check, for scripts that name each one:
#   run CODE DESC CMD...   expect_exit CODE CMD..., named DESC
#   check DESC CMD...      passes when CMD succeeds
#   same DESC WANT GOT     passes when the two strings are equal
#   has out|err GREP-ARGS  greps $out or $err of the last run (for check)
#   tmpdir                 sets T to a fresh directory, removed on exit
#   field PATH             the JSON at a dotted path of $out
run() {
	_desc=$2; _want=$1; shift 2
	if expect_exit "$_want" "$@"; then ok "$_desc"; else not_ok "$_desc"; fi
}
check() {
	_desc=$1; shift
	if "$@"; then ok "$_desc"; else not_ok "$_desc"; fi
}
same() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"; diag "expected: $2" "got:      $3"
	fi
}
has() {
	_stream=$1; shift
	if [ "$_stream" = err ]; then _text=$err; else _text=$out; fi
	printf '%s\n' "$_text" | grep "$@"
}
# field PATH: the JSON value at a dotted path of $out (a JSON document),
# printed compact with sorted keys.
field() {
	printf '%s' "$out" | python3 -c '
import json, sys
v = json.load(sys.stdin)
for k in filter(None, sys.argv[1].split(".")):
    v = v[int(k)] if isinstance(v, list) else v[k]
print(json.dumps(v, sort_keys=True))' "$1"
}
tmpdir() {
	T=$(mktemp -d "${TMPDIR:-/tmp}/bp-cli-XXXXXX")
	trap 'rm -rf "$T"' EXIT
}
