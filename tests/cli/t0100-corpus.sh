#!/bin/sh
# t0100-corpus.sh: every blueprint of the third-party corpus
# (../shared/corpus/MANIFEST.tsv) gets its expected verdict: valid ones
# validate; invalid ones are rejected (exit 2) with an error at the place
# tests/corpus/expected-errors.tsv names, saying what it names.
#
# tests/corpus/deviations.tsv lists the few files the manifest calls valid
# that we reject on purpose, each with the error we give and why (the
# reason column); they must be rejected exactly so, so a change of mind
# shows up here.
. "$(dirname "$0")/../lib/tap.sh"

manifest="$SHARED/corpus/MANIFEST.tsv"
expected="$BP_SRC/tests/corpus/expected-errors.tsv"
deviations="$BP_SRC/tests/corpus/deviations.tsv"
if [ ! -f "$manifest" ]; then
	echo "1..0 # skip no corpus at $SHARED/corpus"
	exit 0
fi
tab=$(printf '\t')
out="${TMPDIR:-/tmp}/t0100.$$"
trap 'rm -f "$out"' EXIT

# The place and text recorded for `path` in a TSV file (path, where, what).
recorded() {
	awk -F'\t' -v p="$1" '$1 == p { print $2 "\t" $3; exit }' "$2"
}

# Checks that $err names `where` and says `what` on one line.
says() {
	printf '%s\n' "$err" | grep -F -- "$1" | grep -qF -- "$2"
}

# Passes when the file is rejected with the error recorded for it in `tsv`.
rejected_as() {
	file=$1 path=$2 tsv=$3
	line=$(recorded "$path" "$tsv")
	where=${line%%"$tab"*}
	what=${line#*"$tab"}
	if ! expect_exit 2 "$BLUEPRINT" validate "$file"; then
		not_ok "$path (not rejected)"
	elif [ -z "$line" ]; then
		not_ok "$path (no expected error recorded)"; diag "$err"
	elif ! says "$where" "$what"; then
		not_ok "$path (error not at $where saying '$what')"; diag "$err"
	else
		ok "$path"
	fi
}

# Empty fields become "-" so that `read` (which folds runs of tabs) keeps
# every column in its place.
tail -n +2 "$manifest" |
awk -F'\t' -v OFS='\t' '{ for (i = 1; i <= NF; i++) if ($i == "") $i = "-"; print }' |
while IFS="$tab" read -r path repo commit dialect verdict keyword notes; do
	file="$SHARED/corpus/$path"
	case "$verdict $notes" in
	"valid "*"no tosca_definitions_version"*)
		# a fragment: it is checked through the blueprint importing it
		skip "$path (import fragment)"; continue ;;
	esac
	if [ "$verdict" = valid ] && [ -n "$(recorded "$path" "$deviations")" ]; then
		rejected_as "$file" "$path" "$deviations"
	elif [ "$verdict" = valid ]; then
		if expect_exit 0 "$BLUEPRINT" validate "$file"; then
			ok "$path"
		else
			not_ok "$path"
		fi
	else
		rejected_as "$file" "$path" "$expected"
	fi
done > "$out"
cat "$out"
n=$(grep -c '^\(not \)\?ok' "$out")
failed=$(grep -c '^not ok' "$out")
echo "1..$n"
[ "$failed" -eq 0 ]
