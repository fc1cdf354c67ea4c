#!/bin/sh
# t4402-fabric-hostkeys.sh: the fabric plugin's host-key policy. By
# default (strict) a host whose key the blueprint did not give is refused,
# and so is one whose key differs from the one given, before anything runs
# there; a known_hosts file given is used; with host_key_policy accept-new
# an unknown host's key is accepted and pinned in the instance's runtime
# property fabric_known_hosts, and a changed key is still refused.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
. "$(dirname "$0")/../lib/fabric.sh"

mkdir -p "$TMP/bp/scripts"
cat >"$TMP/bp/scripts/mark.sh" <<'EOF2'
#!/bin/sh
echo ran >"$MARK"
EOF2
ssh-keygen -q -t ed25519 -N '' -f "$TMP/other"
other=$(cut -d' ' -f1,2 "$TMP/other.pub")

# hostkey_bp NAME YAML: a blueprint whose create runs mark.sh (writing
# $TMP/NAME.ran) with fabric_env *fenv merged with YAML (a flow mapping's
# members).
hostkey_bp() {
	fabric_app_blueprint "$TMP/bp/$1.yaml" <<YAML
          inputs:
            script_path: scripts/mark.sh
            MARK: $TMP/$1.ran
            fabric_env: {<<: *fenv, $2}
outputs:
  pinned: {value: {get_attribute: [app, fabric_known_hosts]}}
YAML
}

hostkey_bp unknown 'host_key: ""'
run 1 "strict by default: a host whose key was not given is refused" \
	"$BLUEPRINT" install "$TMP/bp/unknown.yaml" -d unknown --max-retries 0
check "saying why" has err -q "host key of '$SSHD_USER@127.0.0.1:$SSHD_PORT' is not trusted (host_key_policy strict)"
check "nothing ran there" test ! -e "$TMP/unknown.ran"

hostkey_bp mismatch "host_key: \"$other\""
run 1 "a host key other than the one given is refused" \
	"$BLUEPRINT" install "$TMP/bp/mismatch.yaml" -d mismatch --max-retries 0
check "as not trusted" has err -q "is not trusted"
check "nothing ran there" test ! -e "$TMP/mismatch.ran"

printf '[127.0.0.1]:%s %s\n' "$SSHD_PORT" "$SSHD_HOST_KEY" >"$TMP/known_hosts"
hostkey_bp file "host_key: \"\", known_hosts: $TMP/known_hosts"
run 0 "a known_hosts file given is used" \
	"$BLUEPRINT" install "$TMP/bp/file.yaml" -d file
check "the script ran" test -e "$TMP/file.ran"

hostkey_bp tofu 'host_key: "", host_key_policy: accept-new'
run 0 "accept-new: an unknown host is accepted" \
	"$BLUEPRINT" install "$TMP/bp/tofu.yaml" -d tofu
check "the script ran" test -e "$TMP/tofu.ran"
run 0 "outputs" "$BLUEPRINT" outputs -d tofu --json
same "its key is pinned in fabric_known_hosts" \
	"[\"[127.0.0.1]:$SSHD_PORT $SSHD_HOST_KEY\"]" "$(field .pinned)"

hostkey_bp changed "host_key: \"\", host_key_policy: accept-new, known_hosts: \"[127.0.0.1]:$SSHD_PORT $other\""
run 1 "accept-new still refuses a key that changed" \
	"$BLUEPRINT" install "$TMP/bp/changed.yaml" -d changed --max-retries 0
check "as not trusted" has err -q "is not trusted (host_key_policy accept-new)"
check "nothing ran there" test ! -e "$TMP/changed.ran"
done_testing
