# tap.sh: TAP helpers for the tests/cli/tNNNN-*.sh scripts; source it.
#
#   run CODE DESC CMD...   runs CMD with stdout in $T/out and stderr in
#                          $T/err; passes when it exits with CODE and was
#                          not killed by a signal and printed no sanitizer
#                          report (git's test_must_fail: a crash is never
#                          an expected failure)
#   check DESC CMD...      passes when CMD succeeds
#   same DESC WANT GOT     passes when the two strings are equal
#   tap_end                prints the plan; the script's exit status
#
# $T is a fresh temporary directory, removed on exit. $BP is the binary.
set -u
: "${BP_BUILD:?run me from make check (BP_BUILD is not set)}"
: "${BP_SRC:?run me from make check (BP_SRC is not set)}"
BP=$BP_BUILD/blueprint
T=$(mktemp -d "${TMPDIR:-/tmp}/bp-cli-XXXXXX")
trap 'rm -rf "$T"' EXIT
tap_n=0
tap_failed=0

tap_result() {   # OK DESC [DIAGNOSTIC LINES...]
	tap_n=$((tap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $tap_n - $2"
		return 0
	fi
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $2"
	shift 2
	for line in "$@"; do
		printf '%s\n' "$line" | sed 's/^/#   /'
	done
	return 0
}

run() {
	want=$1 desc=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" -gt 128 ] || grep -q -e 'Sanitizer' -e 'runtime error:' \
			"$T/err"; then
		tap_result 1 "$desc" "crashed or sanitizer report (exit $got)" \
			"$(cat "$T/err")"
	elif [ "$got" != "$want" ]; then
		tap_result 1 "$desc" "exit $got, expected $want" \
			"stdout: $(cat "$T/out")" "stderr: $(cat "$T/err")"
	else
		tap_result 0 "$desc"
	fi
}

check() {
	desc=$1
	shift
	if "$@"; then tap_result 0 "$desc"; else tap_result 1 "$desc"; fi
}

same() {
	if [ "$2" = "$3" ]; then
		tap_result 0 "$1"
	else
		tap_result 1 "$1" "expected: $2" "got:      $3"
	fi
}

tap_end() {
	echo "1..$tap_n"
	[ "$tap_failed" = 0 ]
}
