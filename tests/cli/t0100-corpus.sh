#!/bin/sh
# t0100-corpus.sh: every blueprint of the third-party corpus
# (../shared/corpus/MANIFEST.tsv) gets its expected verdict: valid ones
# validate; invalid ones are rejected (exit 2) with an error at the place
# tests/corpus/expected-errors.tsv names, saying what it names.
. "$(dirname "$0")/../lib/tap.sh"

manifest="$SHARED/corpus/MANIFEST.tsv"
expected="$BP_SRC/tests/corpus/expected-errors.tsv"
if [ ! -f "$manifest" ]; then
	echo "1..0 # skip no corpus at $SHARED/corpus"
	exit 0
fi

tail -n +2 "$manifest" | while IFS="$(printf '\t')" read -r path repo commit dialect verdict keyword notes; do
	file="$SHARED/corpus/$path"
	case "$notes" in
	*"no tosca_definitions_version"*)
		# a fragment: it is checked through the blueprint importing it
		skip "$path (import fragment)"; continue ;;
	esac
	if [ "$verdict" = valid ]; then
		if expect_exit 0 "$BLUEPRINT" validate "$file"; then
			ok "$path"
		else
			not_ok "$path"
		fi
		continue
	fi
	line=$(awk -F'\t' -v p="$path" '$1 == p { print $2 "\t" $3 }' "$expected")
	where=${line%%"$(printf '\t')"*}
	what=${line#*"$(printf '\t')"}
	if ! expect_exit 2 "$BLUEPRINT" validate "$file"; then
		not_ok "$path (not rejected)"
	elif [ -z "$line" ]; then
		not_ok "$path (no expected error recorded)"; diag "$err"
	elif ! printf '%s\n' "$err" | grep -F -- "$where" | grep -qF -- "$what"; then
		not_ok "$path (error not at $where saying '$what')"; diag "$err"
	else
		ok "$path"
	fi
done > "${TMPDIR:-/tmp}/t0100.$$"
cat "${TMPDIR:-/tmp}/t0100.$$"
n=$(grep -c '^\(not \)\?ok' "${TMPDIR:-/tmp}/t0100.$$")
failed=$(grep -c '^not ok' "${TMPDIR:-/tmp}/t0100.$$")
rm -f "${TMPDIR:-/tmp}/t0100.$$"
echo "1..$n"
[ "$failed" -eq 0 ]
