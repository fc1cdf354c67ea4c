#!/bin/sh
# t4200-openstack-install.sh: examples/openstack/server-on-port.yaml
# against the real OpenStack: every resource is created and waited for
# (a server ACTIVE on a port with a security group and a floating IP, a
# volume attached, a router with a gateway and an interface), the
# openstack CLI sees each of them, get_attribute carries the server's IP
# into a rule and the outputs; uninstall leaves none of them.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
. "$BP_SRC/tests/env/openstack/testlib.sh"

BPF="$BP_SRC/examples/openstack/server-on-port.yaml"
KINDS="server network subnet router port keypair volume"
for k in $KINDS; do eval "before_$k=\$(count_named $k $P-)"; done
fips_before=$(osc floating ip list -f value -c ID | wc -l)

run 0 "install" bp install "$BPF" -d os -i "prefix=$P-"
check "the CLI sees the server ACTIVE" sh -c \
	"/usr/bin/python3 /usr/bin/openstack server show $P-server -f value -c status | grep -qx ACTIVE"
for k in network subnet router port keypair volume; do
	same "one $k named $P-" 1 "$(count_named $k $P-)"
done
same "security group" "$P-sg" "$(osc security group show $P-sg -f value -c name)"
same "server group" "$P-group" "$(osc server group show $P-group -f value -c name)"
same "the volume is attached" in-use "$(osc volume show $P-vol -f value -c status)"
run 0 "outputs" bp outputs -d os --json
ip=$(field server_ip | tr -d '"')
pub=$(field public_ip | tr -d '"')
fip=$(field fip_address | tr -d '"')
check "the server has a fixed IP" test -n "$ip"
check "the server's public_ip is the floating IP" test -n "$pub" -a "$pub" = "$fip"
check "the CLI shows the server's address" sh -c \
	"/usr/bin/python3 /usr/bin/openstack server show $P-server -f json -c addresses | grep -qF '$ip'"
check "the floating IP is bound to the server's port" sh -c \
	"/usr/bin/python3 /usr/bin/openstack floating ip show $fip -f value -c port_id | grep -q ."
check "get_attribute carried the IP into a rule" sh -c \
	"/usr/bin/python3 /usr/bin/openstack security group rule list $P-sg -f value -c 'IP Range' | grep -qx '$ip/32'"
check "the router has the subnet's interface" sh -c \
	"/usr/bin/python3 /usr/bin/openstack port list --router $P-router -f value -c ID | grep -q ."

run 0 "uninstall" bp uninstall -d os
for k in $KINDS; do
	eval "want=\$before_$k"
	same "no $k left" "$want" "$(count_named $k $P-)"
done
check "no security group left" sh -c "! /usr/bin/python3 /usr/bin/openstack security group show $P-sg >/dev/null 2>&1"
check "no server group left" sh -c "! /usr/bin/python3 /usr/bin/openstack server group show $P-group >/dev/null 2>&1"
same "no floating IP left" "$fips_before" "$(osc floating ip list -f value -c ID | wc -l)"
done_testing
