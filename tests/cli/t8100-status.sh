#!/bin/sh
# t8100-status.sh: `blueprint status` and `blueprint executions`: the
# instance table (key runtime properties; all with -v), JSON, the
# deployment chosen by -d or as the only one, and secret values masked in
# everything shown.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
plan 13

bp() { "$BLUEPRINT" "$@"; }

if expect_exit 1 bp status && contains "$err" "no deployment in"; then
	ok "status without deployments says so"
else
	not_ok "status without deployments"; diag "$err"
fi

mkstate deployment id=web blueprint=/srv/web.yaml
mkstate instance deployment=web id=vm_a1 node=vm state=started \
	'props={"ip": "10.0.0.5", "public_ip": "203.0.113.9", "password": "hunter2", "ports": [80, 443], "notes": "admin pw is hunter2"}'
mkstate instance deployment=web id=app_b2 node=app state=configuring host=vm_a1 \
	'props={"name": "shop"}'
bp -q secret set admin_pw hunter2

if expect_exit 0 bp status &&
   [ "$(printf '%s\n' "$out" | sed -n 1p)" = "NODE  INSTANCE  STATE        HOST   PROPERTIES" ] &&
   [ "$(printf '%s\n' "$out" | sed -n 2p)" = "app   app_b2    configuring  vm_a1  name=shop" ] &&
   [ "$(printf '%s\n' "$out" | sed -n 3p)" = "vm    vm_a1     started      -      ip=10.0.0.5 public_ip=203.0.113.9" ]; then
	ok "status: node, instance, state, host, key properties"
else
	not_ok "status table"; diag "$out"
fi

if expect_exit 0 bp status -v &&
   contains "$out" 'ip=10.0.0.5 public_ip=203.0.113.9 password=****** ports=[80,443] notes=admin pw is ******' &&
   ! contains "$out" hunter2; then
	ok "status -v: every runtime property, secret values masked"
else
	not_ok "status -v"; diag "$out"
fi

if expect_exit 0 bp status --json && ! contains "$out" hunter2 &&
   printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["deployment"] == "web"
i = {x["id"]: x for x in d["instances"]}
assert i["vm_a1"]["state"] == "started" and i["vm_a1"]["host"] is None
assert i["app_b2"]["host"] == "vm_a1" and i["app_b2"]["node"] == "app"
p = i["vm_a1"]["runtime_properties"]
assert p["password"] == "******" and p["ports"] == [80, 443], p
assert p["notes"] == "admin pw is ******"
'; then
	ok "status --json, masked"
else
	not_ok "status --json"; diag "$out"
fi

mkstate deployment id=db blueprint=/srv/db.yaml
mkstate instance deployment=db id=db_c3 node=db state=created

if expect_exit 2 bp status && contains "$err" "several deployments in" &&
   contains "$err" "'db', 'web'" && contains "$err" "-d NAME"; then
	ok "several deployments: status asks for -d and names them"
else
	not_ok "several deployments"; diag "$err"
fi

if expect_exit 0 bp status -d db && contains "$out" "db_c3" && ! contains "$out" vm_a1 &&
   expect_exit 0 bp status --deployment=web && contains "$out" vm_a1; then
	ok "status -d NAME / --deployment=NAME"
else
	not_ok "status -d"; diag "$out"
fi

if expect_exit 1 bp status -d nope && contains "$err" "deployment 'nope' not found"; then
	ok "status -d of an unknown deployment fails with exit 1"
else
	not_ok "status -d unknown"; diag "$err"
fi

if expect_exit 0 bp executions -d web && contains "$out" "deployment 'web' has no executions"; then
	ok "executions: none yet"
else
	not_ok "executions none"; diag "$out"
fi

first=$(mkstate execution deployment=web workflow=install)
mkstate execution-status id="$first" status=failed error="login refused for hunter2
second line"
second=$(mkstate execution deployment=web workflow=uninstall status=pending)

if expect_exit 0 bp executions -d web &&
   printf '%s\n' "$out" | sed -n 1p | grep -q '^EXECUTION  *WORKFLOW  *STATUS  *STARTED  *ENDED  *ERROR$' &&
   printf '%s\n' "$out" | sed -n 2p | grep -q "^$first  install  *failed  *[0-9-]* [0-9:]*  *[0-9-]* [0-9:]*  *login refused for \*\*\*\*\*\*\$" &&
   printf '%s\n' "$out" | sed -n 3p | grep -q "^$second  uninstall  pending  *-  *-  *-\$" &&
   ! contains "$out" "second line" && ! contains "$out" hunter2; then
	ok "executions: id, workflow, status, times, first line of the error, masked"
else
	not_ok "executions table"; diag "$out"
fi

if expect_exit 0 bp executions -d web --json && ! contains "$out" hunter2 &&
   printf '%s' "$out" | FIRST="$first" python3 -c '
import json, os, sys
e = json.load(sys.stdin)
assert [x["workflow"] for x in e] == ["install", "uninstall"]
assert e[0]["id"] == os.environ["FIRST"] and e[0]["status"] == "failed"
assert e[0]["error"] == "login refused for ******\nsecond line", e[0]
assert e[0]["started"].endswith("Z") and e[0]["ended"].endswith("Z")
assert e[1]["started"] is None and e[1]["error"] is None
'; then
	ok "executions --json"
else
	not_ok "executions --json"; diag "$out"
fi

if expect_exit 0 bp deployments --json && ! contains "$out" hunter2 &&
   expect_exit 0 bp secret list && ! contains "$out" hunter2; then
	ok "deployments and secret list never show a secret value"
else
	not_ok "no value in deployments or secret list"; diag "$out"
fi

# The store masks the error as it writes it: a secret deleted since is
# still hidden (the command's own masking no longer knows it).
bp -q secret set token tok-777
third=$(mkstate execution deployment=web workflow=heal)
mkstate execution-status id="$third" status=failed error="token tok-777 expired"
bp -q secret delete token
if expect_exit 0 bp executions -d web && contains "$out" "token ****** expired" &&
   ! contains "$out" tok-777; then
	ok "the error was stored masked"
else
	not_ok "the error was stored masked"; diag "$out"
fi

if expect_exit 2 bp status extra && expect_exit 2 bp executions --bogus &&
   contains "$err" "Try 'blueprint executions --help'"; then
	ok "usage errors exit 2"
else
	not_ok "usage errors"; diag "$err"
fi
