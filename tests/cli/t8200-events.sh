#!/bin/sh
# t8200-events.sh: `blueprint events`: the line format, level and execution
# filters, JSON lines, secret values masked (by the store as events are
# written, and by the command for secrets set later), --follow until the
# execution ends or Ctrl-C, and the progress line on a terminal.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
plan 14

bp() { "$BLUEPRINT" "$@"; }
T0=1700000000   # 2023-11-14 22:13:20 UTC

mkstate deployment id=web blueprint=/srv/web.yaml
mkstate deployment id=db blueprint=/srv/db.yaml
e1=$(mkstate execution deployment=web workflow=install)
mkstate event deployment=web execution="$e1" type=workflow_started \
	message="workflow 'install' started" time=$T0
mkstate event deployment=web execution="$e1" instance=vm_a1 \
	operation=cloudify.interfaces.lifecycle.create type=task_started \
	message="creating" time=$((T0 + 1))
mkstate event deployment=web execution="$e1" instance=vm_a1 \
	operation=cloudify.interfaces.lifecycle.create type=log level=debug \
	message="request body" time=$((T0 + 2))
mkstate event deployment=web execution="$e1" instance=vm_a1 \
	operation=cloudify.interfaces.lifecycle.create type=task_retry \
	level=warning message="server still building" time=$((T0 + 3)) \
	'data={"retry_after": 30}'
mkstate execution-status id="$e1" status=succeeded
e2=$(mkstate execution deployment=web workflow=uninstall)
mkstate event deployment=web execution="$e2" instance=vm_a1 \
	operation=cloudify.interfaces.lifecycle.delete type=task_failed \
	level=error message="quota exceeded" time=$((T0 + 10))

if expect_exit 0 bp events -d web &&
   [ "$out" = "2023-11-14 22:13:20 info: workflow 'install' started
2023-11-14 22:13:21 vm_a1 cloudify.interfaces.lifecycle.create info: creating
2023-11-14 22:13:23 vm_a1 cloudify.interfaces.lifecycle.create warning: server still building
2023-11-14 22:13:30 vm_a1 cloudify.interfaces.lifecycle.delete error: quota exceeded" ]; then
	ok "one line per event: time, instance, operation, level, message; no debug"
else
	not_ok "event lines"; diag "$out"
fi

if expect_exit 0 bp events -d web -v && contains "$out" "debug: request body" &&
   expect_exit 0 bp -v events -d web --level warning && [ "$(printf '%s\n' "$out" | wc -l)" = 2 ] &&
   contains "$out" "warning: server still building" && contains "$out" "error: quota exceeded"; then
	ok "-v adds debug events; --level keeps that level and above"
else
	not_ok "levels"; diag "$out"
fi

if expect_exit 2 bp events -d web --level loud && contains "$err" "unknown level 'loud'"; then
	ok "an unknown level is a usage error"
else
	not_ok "unknown level"; diag "$err"
fi

if expect_exit 0 bp events --execution "$e2" && [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] &&
   contains "$out" "quota exceeded"; then
	ok "--execution: that execution's events (its deployment implied)"
else
	not_ok "--execution"; diag "$out" "$err"
fi

if expect_exit 2 bp events -d db --execution "$e2" &&
   contains "$err" "execution '$e2' is of deployment 'web', not 'db'" &&
   expect_exit 1 bp events --execution nope; then
	ok "--execution of another deployment, or unknown, is refused"
else
	not_ok "--execution mismatch"; diag "$err"
fi

if expect_exit 0 bp events -d web --json &&
   printf '%s\n' "$out" | E1="$e1" python3 -c '
import json, os, sys
lines = [json.loads(l) for l in sys.stdin]
assert len(lines) == 4, lines
w = lines[2]
assert w["time"] == "2023-11-14T22:13:23.000Z", w
assert w["deployment"] == "web" and w["execution"] == os.environ["E1"]
assert w["instance"] == "vm_a1" and w["level"] == "warning"
assert w["operation"] == "cloudify.interfaces.lifecycle.create"
assert w["type"] == "task_retry" and w["message"] == "server still building"
assert w["data"] == {"retry_after": 30}
assert lines[0]["instance"] is None and lines[0]["data"] is None
assert [l["id"] for l in lines] == sorted(l["id"] for l in lines)
'; then
	ok "--json: one JSON object per line with every field"
else
	not_ok "--json"; diag "$out"
fi

# A plugin logs a secret it was given: the store masks it on the way in,
# so it stays hidden after the secret is deleted.
bp -q secret set os_password 'pa$$w0rd'
mkstate event deployment=db type=log message='auth with pa$$w0rd failed' \
	'data={"argv": ["--password", "pa$$w0rd"]}'
bp -q secret delete os_password
if expect_exit 0 bp events -d db --json && contains "$out" 'auth with ****** failed' &&
   contains "$out" '["--password","******"]' && ! contains "$out" 'pa$$w0rd'; then
	ok "an event's message and data are stored masked"
else
	not_ok "stored masked"; diag "$out"
fi

# A value that became a secret after the event was written is masked when
# shown.
mkstate event deployment=db type=log message="token is tk-5150"
bp -q secret set token tk-5150
if expect_exit 0 bp events -d db && contains "$out" "token is ******" &&
   expect_exit 0 bp events -d db --json && ! contains "$out" tk-5150; then
	ok "events masks secrets set since"
else
	not_ok "masked when shown"; diag "$out"
fi

if expect_exit 0 bp events -d web --follow --execution "$e1" &&
   [ "$(printf '%s\n' "$out" | wc -l)" = 3 ]; then
	ok "--follow of an ended execution prints its events and returns"
else
	not_ok "--follow of an ended execution"; diag "$out"
fi

# --follow waits for new events until the execution ends.
e3=$(mkstate execution deployment=db workflow=install)
mkstate event deployment=db execution="$e3" type=log message="step one"
"$BLUEPRINT" events -d db --follow >"$TMP/follow.out" 2>"$TMP/follow.err" &
follower=$!
if wait_for 100 grep -q "step one" "$TMP/follow.out"; then
	ok "--follow prints what is there"
else
	not_ok "--follow prints what is there"; diag "$(cat "$TMP/follow.err")"
fi
mkstate event deployment=db execution="$e3" type=log message="step two"
mkstate event deployment=db execution="$e3" type=workflow_succeeded message="done"
mkstate execution-status id="$e3" status=succeeded
if wait_for 100 sh -c "! kill -0 $follower 2>/dev/null" && wait "$follower" &&
   grep -q "step two" "$TMP/follow.out" && grep -q "info: done" "$TMP/follow.out" &&
   [ ! -s "$TMP/follow.err" ]; then
	ok "--follow prints new events and ends with the execution"
else
	not_ok "--follow ends with the execution"; diag "$(cat "$TMP/follow.out" "$TMP/follow.err")"
	kill "$follower" 2>/dev/null
fi

# Ctrl-C stops following cleanly.
e4=$(mkstate execution deployment=db workflow=scale)
mkstate event deployment=db execution="$e4" type=log message="scaling"
"$BLUEPRINT" events --follow --execution "$e4" --json >"$TMP/int.out" 2>"$TMP/int.err" &
follower=$!
wait_for 100 grep -q scaling "$TMP/int.out"
kill -INT "$follower"
if wait_for 100 sh -c "! kill -0 $follower 2>/dev/null" && wait "$follower" &&
   [ ! -s "$TMP/int.err" ]; then
	ok "--follow stops on SIGINT with exit 0"
else
	not_ok "--follow and SIGINT"; diag "$(cat "$TMP/int.err")"
	kill "$follower" 2>/dev/null
fi

# On a terminal a progress line is drawn on stderr while following.
e5=$(mkstate execution deployment=db workflow=install)
mkstate task execution="$e5" key=a operation=create state=succeeded
mkstate task execution="$e5" key=b operation=create state=retrying attempt=3
mkstate task execution="$e5" key=c operation=create state=sent
mkstate task execution="$e5" key=d operation=create state=failed
screen=$(MKSTATE="$MKSTATE" EXEC="$e5" python3 - "$BLUEPRINT" events --follow --execution "$e5" <<'EOF'
import os, pty, subprocess, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
seen, deadline = b"", time.monotonic() + 10
while b"failure" not in seen and time.monotonic() < deadline:
    seen += os.read(fd, 4096)
subprocess.run([os.environ["MKSTATE"], os.environ["BLUEPRINT_STATE"],
                "execution-status", "id=" + os.environ["EXEC"],
                "status=failed"], check=True)
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    seen += chunk
os.waitpid(pid, 0)
sys.stdout.write(repr(seen.decode()))
EOF
)
if contains "$screen" '\r' && contains "$screen" '2/4 done  1 running  1 waiting  2 retries  1 failure' &&
   contains "$screen" '\x1b[K'; then
	ok "a progress line, redrawn in place, on a terminal"
else
	not_ok "progress line on a terminal"; diag "$screen"
fi
if ! grep -q 'done ' "$TMP/follow.err" "$TMP/follow.out"; then
	ok "no progress line when not on a terminal"
else
	not_ok "progress line off a terminal"; diag "$(cat "$TMP/follow.err")"
fi
