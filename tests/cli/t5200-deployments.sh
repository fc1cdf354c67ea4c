#!/bin/sh
# t5200-deployments.sh: `blueprint deployments [list]` and `deployments
# delete NAME [--force]`: the list in text and JSON, the refusal while
# instances are live, --force, the execution lock, and what is left after.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
plan 12

bp() { "$BLUEPRINT" "$@"; }

if expect_exit 0 bp deployments && contains "$out" "no deployments in"; then
	ok "an empty state directory has no deployments"
else
	not_ok "empty list"; diag "$out" "$err"
fi

mkstate deployment id=web blueprint=/srv/web.yaml
mkstate deployment id=db blueprint=/srv/db.yaml
mkstate deployment id=fresh blueprint=/srv/fresh.yaml
mkstate instance deployment=web id=vm_1 node=vm state=started
mkstate instance deployment=web id=vm_2 node=vm state=deleted
mkstate instance deployment=db id=db_1 node=db state=initial
mkstate instance deployment=db id=db_2 node=db state=deleted
exec_id=$(mkstate execution deployment=web workflow=install)
mkstate execution-status id="$exec_id" status=succeeded
mkstate event deployment=web execution="$exec_id" type=log message=hello

if expect_exit 0 bp deployments &&
   printf '%s\n' "$out" | head -n 1 | grep -q '^DEPLOYMENT  *BLUEPRINT  *CREATED  *INSTANCES  *LAST EXECUTION$' &&
   printf '%s\n' "$out" | grep -q '^web  *\/srv\/web.yaml  *[0-9-]* [0-9:]*  *2  *install succeeded$' &&
   printf '%s\n' "$out" | grep -q '^fresh  *\/srv\/fresh.yaml  .*  0  *-$'; then
	ok "list: blueprint, created, instance count, last execution"
else
	not_ok "list"; diag "$out"
fi

if expect_exit 0 bp deployments list --json &&
   printf '%s' "$out" | python3 -c '
import json, sys
d = {x["id"]: x for x in json.load(sys.stdin)}
assert sorted(d) == ["db", "fresh", "web"], d
assert d["web"]["instances"] == 2 and d["web"]["blueprint"] == "/srv/web.yaml"
assert d["web"]["last_execution"]["workflow"] == "install"
assert d["web"]["last_execution"]["status"] == "succeeded"
assert d["fresh"]["last_execution"] is None
assert d["web"]["created"].endswith("Z")
'; then
	ok "list --json"
else
	not_ok "list --json"; diag "$out"
fi

if expect_exit 1 bp deployments delete web &&
   contains "$err" "deployment 'web' has 1 live instance ('vm_1' started)" &&
   contains "$err" "--force" && expect_exit 0 bp status -d web; then
	ok "delete refuses while an instance is live, and keeps everything"
else
	not_ok "delete refuses with live instances"; diag "$err"
fi

if expect_exit 0 bp deployments delete db && contains "$err" "deleted deployment 'db'"; then
	ok "delete of a deployment whose instances are initial or deleted"
else
	not_ok "delete without live instances"; diag "$err"
fi

# Another process holds the execution lock: delete does not wait.
mkfifo "$TMP/hold"
"$MKSTATE" "$BLUEPRINT_STATE" lock deployment=web <"$TMP/hold" >"$TMP/locked" &
holder=$!
exec 3>"$TMP/hold"
if wait_for 100 grep -q locked "$TMP/locked" &&
   expect_exit 1 bp deployments delete --force web &&
   contains "$err" "deployment 'web' is locked by pid $holder"; then
	ok "delete refuses while the execution lock is held"
else
	not_ok "delete and the lock"; diag "$err"
fi
exec 3>&-
wait "$holder"

if expect_exit 0 bp -q deployments delete web --force && [ -z "$err" ] &&
   expect_exit 1 bp status -d web && contains "$err" "deployment 'web' not found"; then
	ok "delete --force forgets live instances (quiet)"
else
	not_ok "delete --force"; diag "$err"
fi

if expect_exit 0 bp deployments && ! contains "$out" web && contains "$out" fresh &&
   expect_exit 1 bp events -d web; then
	ok "the deleted deployment and its events are gone"
else
	not_ok "deleted deployment gone"; diag "$out"
fi

if expect_exit 1 bp deployments delete nope && contains "$err" "deployment 'nope' not found"; then
	ok "delete of an unknown deployment fails with exit 1"
else
	not_ok "delete of an unknown deployment"; diag "$err"
fi

if expect_exit 2 bp deployments remove fresh && contains "$err" "'remove' is not a subcommand" &&
   expect_exit 2 bp deployments delete && expect_exit 2 bp deployments list extra; then
	ok "unknown subcommands and wrong arguments are usage errors"
else
	not_ok "usage errors"; diag "$err"
fi

if expect_exit 0 bp deployments --help && contains "$out" "delete" &&
   expect_exit 0 bp deployments delete --help && contains "$out" "--force"; then
	ok "help for deployments and deployments delete"
else
	not_ok "help"; diag "$out"
fi

if expect_exit 0 bp status -d fresh && contains "$out" "deployment 'fresh' has no node instances"; then
	ok "status of a deployment without instances"
else
	not_ok "status without instances"; diag "$out"
fi
