#!/bin/sh
# t4208-openstack-share-access.sh: a Manila share opened to a server's IP
# and to a subnet's CIDR by Cloudify's share_connected_to_server and
# share_connected_to_subnet relationships (share.allow on establish,
# share.deny on unlink), against the test OpenStack with
# tests/env/openstack-dns-share-up.sh's Manila: the openstack CLI lists
# both rules active at rw; installing again adds none; uninstall removes
# them before the share.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
. "$BP_SRC/tests/env/openstack/testlib.sh"

if ! "$BP_SRC/tests/env/openstack-dns-share-up.sh" >/dev/null 2>"$TMP/dns-share-up.log"; then
	echo "not ok 1 - Manila came up"
	sed 's/^/# /' "$TMP/dns-share-up.log" | tail -30
	echo "1..1"
	exit 1
fi

sed -n '/^node_templates:/,$p' "$BP_SRC/tests/env/openstack/bp/servers.yaml" |
	sed 1d >"$TMP/servers.part"
{
	sed -n '1,/^node_templates:/p' "$BP_SRC/tests/env/openstack/bp/servers.yaml"
	cat "$TMP/servers.part"
	cat <<'EOF2'
  share:
    type: cloudify.nodes.openstack.SharedFileSystem
    properties:
      resource_config:
        name: { concat: [ { get_input: p }, share ] }
        size: 1
        share_proto: NFS
        share_type: default
    relationships:
      - { type: cloudify.relationships.openstack.share_connected_to_server, target: server }
      - { type: cloudify.relationships.openstack.share_connected_to_subnet, target: subnet }
outputs:
  ip: { value: { get_attribute: [ server, ip ] } }
EOF2
} >"$TMP/bp.yaml"
# share_connected_to_subnet reads the subnet's resource_config.cidr property
sed -i 's/^  subnet:$/&\n    properties: { resource_config: { cidr: 10.43.8.0\/24 } }/' "$TMP/bp.yaml"
cleanup() {
	osc share delete "$P-share" >/dev/null 2>&1
	osc server delete "$P-server" >/dev/null 2>&1
	osc subnet delete "$P-subnet" >/dev/null 2>&1
	osc network delete "$P-net" >/dev/null 2>&1
}
trap 'cleanup; rm -rf "$TMP"' EXIT
both() { printf '%s\n' "$out" "$err" | grep "$@"; }
rules() {
	osc share access list "$P-share" -f value -c "Access To" -c "Access Level" -c State |
		sort | paste -sd' '
}

run 0 "install a server, a subnet and a share open to both" \
	bp install "$TMP/bp.yaml" -d access -i "p=$P-" -i cidr=10.43.8.0/24
run 0 "outputs" bp outputs -d access --json
ip=$(field ip | tr -d '"')
check "the server has an IP" test -n "$ip"
expected=$(printf '%s\n' "10.43.8.0/24 rw active" "$ip rw active" | sort | paste -sd' ')
same "the CLI lists both rules, active, rw" "$expected" "$(rules)"
run 0 "install again" bp install "$TMP/bp.yaml" -d access -i "p=$P-" -i cidr=10.43.8.0/24
same "no rule added twice" "$expected" "$(rules)"
run 0 "uninstall" bp uninstall -d access
check "the rules were removed (unlink)" both -q "share access for '10.43.8.0/24' removed"
check "and the server's" both -q "share access for '$ip' removed"
check "no share left" sh -c "! /usr/bin/python3 /usr/bin/openstack share show '$P-share' >/dev/null 2>&1"
done_testing
