#!/bin/sh
# t5100-secret.sh: `blueprint secret set|get|list|delete`: values from the
# command line or stdin, the 0600 file, names only in lists, exact
# subcommand names, and the exit codes.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
plan 17

bp() { "$BLUEPRINT" "$@"; }

if expect_exit 0 bp secret set api_key k-123 && [ -z "$out" ] &&
   contains "$err" "set secret 'api_key'"; then
	ok "set from the command line"
else
	not_ok "set from the command line"; diag "$out" "$err"
fi

if expect_exit 0 sh -c "printf 'from-stdin\n' | '$BLUEPRINT' secret set pw" &&
   expect_exit 0 bp secret get pw && [ "$out" = from-stdin ]; then
	ok "set from stdin, less the final newline"
else
	not_ok "set from stdin"; diag "$out"
fi

if expect_exit 0 sh -c "printf 'line1\nline2' | '$BLUEPRINT' -q secret set key -" &&
   [ -z "$err" ] && expect_exit 0 bp secret get key &&
   [ "$out" = "$(printf 'line1\nline2')" ]; then
	ok "set from stdin with '-', several lines, quiet"
else
	not_ok "set from stdin with '-'"; diag "$out" "$err"
fi

if expect_exit 0 bp secret get api_key && [ "$out" = k-123 ]; then
	ok "get prints the value"
else
	not_ok "get prints the value"; diag "$out"
fi

if expect_exit 0 bp secret set api_key k-456 && expect_exit 0 bp secret get api_key &&
   [ "$out" = k-456 ]; then
	ok "set replaces a value"
else
	not_ok "set replaces a value"; diag "$out"
fi

mode=$(stat -c %a "$BLUEPRINT_STATE/secrets.db")
if [ "$mode" = 600 ]; then ok "secrets.db is mode 0600"; else not_ok "secrets.db is mode $mode"; fi

if expect_exit 0 bp secret list && [ "$out" = "$(printf 'api_key\nkey\npw')" ] &&
   ! contains "$out" k-456 && ! contains "$out" from-stdin; then
	ok "list prints the names, sorted, and no value"
else
	not_ok "list prints the names"; diag "$out"
fi

if expect_exit 0 bp secret list --json &&
   [ "$(printf '%s' "$out" | tr -d ' \n')" = '["api_key","key","pw"]' ]; then
	ok "list --json"
else
	not_ok "list --json"; diag "$out"
fi

if expect_exit 1 bp secret get nope && contains "$err" "secret 'nope' not found"; then
	ok "get of a missing secret fails with exit 1"
else
	not_ok "get of a missing secret"; diag "$err"
fi

if expect_exit 0 bp secret delete pw && contains "$err" "deleted secret 'pw'" &&
   expect_exit 1 bp secret get pw; then
	ok "delete"
else
	not_ok "delete"; diag "$err"
fi

if expect_exit 1 bp secret delete pw && contains "$err" "secret 'pw' not found"; then
	ok "delete of a missing secret fails with exit 1"
else
	not_ok "delete of a missing secret"; diag "$err"
fi

if expect_exit 2 bp secret del key && contains "$err" "'del' is not a subcommand" &&
   expect_exit 2 bp secret rm key && expect_exit 0 bp secret get key; then
	ok "no abbreviation or alias for delete"
else
	not_ok "no abbreviation or alias for delete"; diag "$err"
fi

if expect_exit 2 bp secret && contains "$err" "usage: blueprint secret SUBCOMMAND"; then
	ok "no subcommand is a usage error listing them"
else
	not_ok "no subcommand"; diag "$err"
fi

if expect_exit 0 bp secret --help && contains "$out" "delete" &&
   expect_exit 0 bp help secret && contains "$out" "list"; then
	ok "secret --help and help secret list the subcommands"
else
	not_ok "secret --help"; diag "$out"
fi

if expect_exit 2 bp secret get && expect_exit 2 bp secret set a b c &&
   expect_exit 2 bp secret get x --bogus; then
	ok "wrong arguments are usage errors"
else
	not_ok "wrong arguments are usage errors"; diag "$err"
fi

other="$TMP/other"
if expect_exit 0 bp secret set --state-dir "$other" only-there v &&
   expect_exit 0 bp secret list --state-dir "$other" && [ "$out" = only-there ] &&
   expect_exit 0 bp secret list && ! contains "$out" only-there; then
	ok "--state-dir picks the directory"
else
	not_ok "--state-dir picks the directory"; diag "$out"
fi

if expect_exit 0 bp secret set empty "" && expect_exit 0 bp secret get empty &&
   [ -z "$out" ]; then
	ok "an empty value is kept"
else
	not_ok "an empty value is kept"; diag "$out"
fi
