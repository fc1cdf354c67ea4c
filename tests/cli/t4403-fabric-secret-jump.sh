#!/bin/sh
# t4403-fabric-secret-jump.sh: the private key from a secret
# (fabric_env.key: {get_secret: ...}), never shown in the output; and a
# jump host (fabric_env.gateway: ssh's ProxyJump, here the same sshd),
# whose host key is checked the same way: the run goes through it, and
# fails when it cannot be reached.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
. "$(dirname "$0")/../lib/fabric.sh"

mkdir -p "$TMP/bp/scripts"
cat >"$TMP/bp/scripts/where.sh" <<'EOF2'
#!/bin/sh
ctx instance runtime_properties user "$(id -un)"
echo "on the host"
EOF2

# secret_bp NAME YAML: create runs where.sh with fabric_env *fenv, less
# its key_filename, merged with YAML (a flow mapping's members).
secret_bp() {
	fabric_app_blueprint "$TMP/bp/$1.yaml" <<YAML
          inputs:
            script_path: scripts/where.sh
            fabric_env: {<<: *fenv, key_filename: "", key: {get_secret: vm_key}, $2}
outputs:
  user: {value: {get_attribute: [app, user]}}
YAML
}

run 0 "the private key is stored as a secret" \
	"$BLUEPRINT" secret set vm_key - <"$SSHD_KEY"
secret_bp secret 'timeout: 10'
run 0 "install with the key from the secret" \
	"$BLUEPRINT" install "$TMP/bp/secret.yaml" -d secret -v
check "the script ran on the host" has err -q "create info: on the host"
key_line=$(sed -n 2p "$SSHD_KEY")
check "the key is never shown" sh -c '! printf "%s%s" "$0" "$1" | grep -qF "$2"' \
	"$out" "$err" "$key_line"
run 0 "outputs" "$BLUEPRINT" outputs -d secret --json
same "as the user given" "\"$SSHD_USER\"" "$(field .user)"

# ssh refuses a jump host that is the target itself: the target is named
# localhost, which the jump host resolves; host_key is the target's, the
# jump host's key is given in known_hosts
jump_known="known_hosts: \"[127.0.0.1]:$SSHD_PORT $SSHD_HOST_KEY\""
secret_bp jump "host_string: localhost, $jump_known, gateway: \"$SSHD_USER@127.0.0.1:$SSHD_PORT\""
run 0 "install through a jump host" \
	"$BLUEPRINT" install "$TMP/bp/jump.yaml" -d jump
check "the log names it" has err -q "on '$SSHD_USER@localhost:$SSHD_PORT' through $SSHD_USER@127.0.0.1:$SSHD_PORT"
check "the script ran on the host" has err -q "create info: on the host"

closed=$(python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
secret_bp nojump "host_string: localhost, $jump_known, gateway: \"$SSHD_USER@127.0.0.1:$closed\""
run 1 "a jump host that cannot be reached fails the run" \
	"$BLUEPRINT" install "$TMP/bp/nojump.yaml" -d nojump --max-retries 0
check "saying so" has err -q "cannot run script 'scripts/where.sh' on '$SSHD_USER@localhost:$SSHD_PORT' over ssh: .*port $closed.*"
check "nothing ran" sh -c '! printf "%s" "$0" | grep -q "on the host"' "$err"
done_testing
