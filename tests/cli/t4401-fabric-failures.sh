#!/bin/sh
# t4401-fabric-failures.sh: a remote script that fails fails its
# operation with its stderr in the message; the operation's timeout and
# a cancel (Ctrl-C) kill the remote command and everything it started on
# the host (the session's process group), and remove the remote directory.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
. "$(dirname "$0")/../lib/fabric.sh"

mkdir -p "$TMP/bp/scripts"
fabric_app_blueprint "$TMP/bp/fail.yaml" <<'YAML'
          inputs: {script_path: scripts/fail.sh, fabric_env: *fenv}
YAML
cat >"$TMP/bp/scripts/fail.sh" <<'EOF2'
#!/bin/sh
echo "checking the disk"
echo "no space left on /var" >&2
exit 3
EOF2
run 1 "a failing remote script fails the install" \
	"$BLUEPRINT" install "$TMP/bp/fail.yaml" -d fail --max-retries 0
check "with its exit status and stderr in the message" \
	has err -q "script 'scripts/fail.sh' exited with status 3: no space left on /var"

# a script that starts children (one ignoring SIGTERM) and waits: all must go
fabric_app_blueprint "$TMP/bp/hang.yaml" <<'YAML'
          timeout: 40
          inputs: {script_path: scripts/hang.sh, fabric_env: *fenv}
YAML
# the same without a timeout, to cancel
sed '/timeout: 40/d' "$TMP/bp/hang.yaml" >"$TMP/bp/cancel.yaml"
cat >"$TMP/bp/scripts/hang.sh" <<EOF2
#!/bin/sh
sleep 300 &
echo \$! >"$TMP/pids"
sh -c 'trap "" TERM; exec sleep 302' &
echo \$! >>"$TMP/pids"
echo \$\$ >>"$TMP/pids"
ctx instance runtime_properties where "\$(dirname "\$CTX_SOCKET")"
echo started
sleep 301
EOF2

run 1 "a remote script past the operation's timeout fails the install" \
	"$BLUEPRINT" install "$TMP/bp/hang.yaml" -d hang --max-retries 0
# the engine's deadline, or the plugin's own kill at the time left of it
# (whichever comes first on a loaded machine)
check "saying it timed out" has err -qE \
	"create: timed out after 40 s|script 'scripts/hang.sh' timed out after [0-9]+ s"
check "the script and its children had started" test -s "$TMP/pids"
check "all three are killed on the host (SIGKILL after the grace)" wait_for 100 remote_gone "$TMP/pids"
where=$(BLUEPRINT_STATE=$BLUEPRINT_STATE "$BLUEPRINT" status -d hang --json 2>/dev/null |
	grep -o '/tmp/blueprint-fabric-[0-9a-f]*' | head -1)
check "the remote directory was recorded" test -n "$where"
check "and is removed" wait_for 100 test ! -e "${where:-/}"

rm -f "$TMP/pids"
"$BLUEPRINT" install "$TMP/bp/cancel.yaml" -d cancel >"$TMP/out" 2>"$TMP/err" &
pid=$!
check "a second install's script starts" wait_for 600 \
	sh -c '[ -f "$0" ] && [ "$(wc -l <"$0")" -ge 3 ]' "$TMP/pids"
kill -INT "$pid"
wait "$pid"
same "Ctrl-C cancels the install" 1 "$?"
check "it says it was cancelled" grep -q "install was cancelled" "$TMP/err"
check "the remote script and its children are killed" wait_for 100 remote_gone "$TMP/pids"
done_testing
