#!/bin/sh
# t4205-openstack-errors.sh: what fails says why, and at once: a quota of
# zero servers (Nova's 403) and of zero networks (Neutron's 409 OverQuota)
# fail with the API's message and no retry; a server Nova cannot place
# goes to ERROR and the install fails with Nova's fault message; its
# uninstall deletes it.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
. "$BP_SRC/tests/env/openstack/testlib.sh"

osc project create "$P-q" >/dev/null
osc user create --password "$P-pw" --project "$P-q" "$P-u" >/dev/null
osc role add --project "$P-q" --user "$P-u" member >/dev/null
osc quota set --instances 0 --networks 0 "$P-q" >/dev/null
cleanup() {
	osc user delete "$P-u" >/dev/null 2>&1
	osc project delete "$P-q" >/dev/null 2>&1
	osc flavor delete "$P-huge" >/dev/null 2>&1
}
trap 'cleanup; rm -rf "$TMP"' EXIT
USER_ENV="OS_USERNAME=$P-u OS_PASSWORD=$P-pw OS_PROJECT_NAME=$P-q"

cat >"$TMP/net.yaml" <<'EOF2'
tosca_definitions_version: cloudify_dsl_1_3
imports:
  - http://www.getcloudify.org/spec/cloudify/6.4.0/types.yaml
  - plugin:cloudify-openstack-plugin
inputs:
  p: { type: string }
node_templates:
  net:
    type: cloudify.nodes.openstack.Network
    properties:
      resource_config: { name: { concat: [ { get_input: p }, net ] } }
EOF2
cat >"$TMP/server.yaml" <<'EOF2'
tosca_definitions_version: cloudify_dsl_1_3
imports:
  - http://www.getcloudify.org/spec/cloudify/6.4.0/types.yaml
  - plugin:cloudify-openstack-plugin
inputs:
  p: { type: string }
  flavor: { type: string, default: m1.nano }
node_templates:
  server:
    type: cloudify.nodes.openstack.Server
    properties:
      agent_config: { install_method: none }
      image: cirros-fake
      flavor: { get_input: flavor }
      resource_config: { name: { concat: [ { get_input: p }, server ] } }
EOF2

run 1 "a network over quota fails" env $USER_ENV "$BLUEPRINT" install "$TMP/net.yaml" -d qnet -i "p=$P-"
check "with Neutron's quota message" has err -q "creating network: quota exceeded: Quota exceeded for resources: \['network'\]"
check "not retried" sh -c "! printf '%s' \"\$1\" | grep -q 'retrying'" - "$err"
run 1 "a server over quota fails" env $USER_ENV "$BLUEPRINT" install "$TMP/server.yaml" -d qserver -i "p=$P-"
check "with Nova's quota message" has err -q "creating server: quota exceeded: Quota exceeded for instances"

osc quota set --instances 5 --networks 5 --ram -1 "$P-q" >/dev/null
osc flavor create --ram 99000000 --vcpus 1 --disk 1 "$P-huge" >/dev/null
run 1 "a server Nova cannot place fails" env $USER_ENV "$BLUEPRINT" install "$TMP/server.yaml" -d huge -i "p=$P-huge-" -i "flavor=$P-huge"
check "with Nova's fault message" has err -q "server '.*' went to ERROR: No valid host was found"
run 0 "its uninstall deletes it" env $USER_ENV "$BLUEPRINT" uninstall -d huge
same "no server left" 0 "$(count_named server "$P-huge-")"

done_testing
