#!/bin/sh
# t9000-man-commands.sh: every command of the command table has a section
# in man/blueprint.1 and answers --help with exit 0 (curl's test1139).
. "$(dirname "$0")/../lib/tap.sh"
commands=$(sed -n 's/^[[:space:]]*{ "\([a-z-]*\)",.*/\1/p' "$BP_SRC/engine/cli/commands.c")
[ -n "$commands" ] || { echo "1..0 # skip no command table"; exit 0; }
for c in $commands; do
	if grep -q "^\.SS $c\b" "$BP_SRC/man/blueprint.1"; then
		ok "man page documents '$c'"
	else
		not_ok "man page documents '$c'"
	fi
	run 0 "'$c --help' answers" "$BLUEPRINT" "$c" --help
done
run 0 "man page renders" sh -c "man -l '$BP_SRC/man/blueprint.1' >/dev/null 2>&1 || groff -man -Tutf8 '$BP_SRC/man/blueprint.1' >/dev/null 2>&1 || mandoc '$BP_SRC/man/blueprint.1' >/dev/null 2>&1 || ! command -v man >/dev/null"
done_testing
