#!/bin/sh
# t4215-openstack-twins.sh: a run that dies after creating a resource and
# before saving its id leaves it behind; the next run must find it, not make
# a twin, for the kinds without a name and tag lookup.
# - Floating IP, a real crash: a fault proxy in front of Neutron holds the
#   tag request that follows the create, `blueprint install` is killed with
#   SIGKILL once Neutron answered the create, and the re-run finds the
#   address by the marker the create put in its description: one floating
#   IP, whose id the deployment now holds.
# - Key pair, flavor, server group: made beforehand as the plugin would have
#   made them (same name and public key, same specs, same policy and no
#   member), then installed: each is adopted as the deployment's own (no
#   second server group; uninstall deletes all three).
# - Not ours: a key pair of the same name with another key, a flavor of the
#   same name with other specs make the install fail with a message saying
#   so, and stay as they were.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
. "$BP_SRC/tests/env/openstack/testlib.sh"

trap 'kill $os_proxy_pids 2>/dev/null; rm -rf "$TMP"' EXIT
os_proxy neutron http://127.0.0.1:9696
export OS_NETWORK_ENDPOINT_OVERRIDE="http://127.0.0.1:$neutron_port"

# marker DEPLOYMENT NODE: the marker of the node's only instance, as
# os_res_marker makes it ("bp-" and sha1(deployment/instance)[:20])
marker() {
	bp status -d "$1" --json | python3 -c '
import hashlib, json, sys
doc = json.load(sys.stdin)
items = doc if isinstance(doc, list) else doc.get("instances", doc.get("node_instances", []))
ids = [i["id"] for i in items if i.get("node", i.get("node_id")) == sys.argv[2]]
print("bp-" + hashlib.sha1(("%s/%s" % (sys.argv[1], ids[0])).encode()).hexdigest()[:20])' "$1" "$2"
}
groups() { osc server group list -f value -c Name | grep -cx "$1" || true; }
# fips_described TEXT: how many floating IPs have that description
fips_described() {
	osc floating ip list --long -f value -c Description | grep -cx "$1" || true
}
fip_created() {
	grep -q '"method": "POST", "path": "/v2.0/floatingips", "fault": null, "status": 201' "$TMP/neutron.log"
}

cat >"$TMP/fip.yaml" <<'EOF'
tosca_definitions_version: cloudify_dsl_1_3
imports:
  - http://www.getcloudify.org/spec/cloudify/6.4.0/types.yaml
  - plugin:cloudify-openstack-plugin
node_templates:
  fip:
    type: cloudify.nodes.openstack.FloatingIP
    properties:
      resource_config: { floating_network_name: public }
EOF
cat >"$TMP/neutron.rules" <<'EOF'
[{"method": "PUT", "path": "/floatingips/[0-9a-f-]+/tags/", "fault": "delay", "delay_ms": 600000}]
EOF
"$BLUEPRINT" install "$TMP/fip.yaml" -d fip >"$TMP/first.out" 2>&1 &
pid=$!
check "Neutron made the floating IP" wait_for 3000 fip_created
kill -9 $pid
wait $pid
echo '[]' >"$TMP/neutron.rules"
m=$(marker fip fip)
same "the killed run left one floating IP, described by its marker" 1 "$(fips_described "$m")"
run 0 "install again" bp install "$TMP/fip.yaml" -d fip
check "it found the floating IP the first run made" has err -q "found floating IP .* this instance created before"
same "still one floating IP" 1 "$(fips_described "$m")"
fip_id=$(osc floating ip list --long -f value -c ID -c Description | awk -v m="$m" '$2 == m {print $1}')
check "the deployment holds its id ($fip_id)" sh -c "[ -n '$fip_id' ] && \"$BLUEPRINT\" status -d fip -v | grep -q '$fip_id'"
run 0 "uninstall" bp uninstall -d fip
same "no floating IP left" 0 "$(fips_described "$m")"

# made beforehand, as the plugin would have
ssh-keygen -q -t ed25519 -N '' -C first-comment -f "$TMP/k" >/dev/null
ssh-keygen -q -t ed25519 -N '' -f "$TMP/other" >/dev/null
osc keypair create --public-key "$TMP/k.pub" "$P-kp" >/dev/null
osc flavor create --ram 64 --vcpus 1 --disk 0 "$P-flavor" >/dev/null
osc server group create --policy anti-affinity "$P-group" >/dev/null
# the blueprint's copy of the key has another comment
pub=$(cut -d' ' -f1,2 "$TMP/k.pub")
cat >"$TMP/nova.yaml" <<EOF
tosca_definitions_version: cloudify_dsl_1_3
imports:
  - http://www.getcloudify.org/spec/cloudify/6.4.0/types.yaml
  - plugin:cloudify-openstack-plugin
node_templates:
  kp:
    type: cloudify.nodes.openstack.KeyPair
    properties:
      resource_config: { name: $P-kp, public_key: "$pub other-comment" }
  flavor:
    type: cloudify.nodes.openstack.Flavor
    properties:
      resource_config: { name: $P-flavor, ram: 64, vcpus: 1, disk: 0 }
  group:
    type: cloudify.nodes.openstack.ServerGroup
    properties:
      resource_config: { name: $P-group, policies: [ anti-affinity ] }
EOF
run 0 "install over what a killed run left" bp install "$TMP/nova.yaml" -d nova
for what in "key pair '$P-kp'" "flavor '[0-9a-f-]*'" "server group '[0-9a-f-]*'"; do
	check "found $what" has err -q "found $what this instance created before"
done
same "one server group of that name" 1 "$(groups "$P-group")"
same "one key pair" 1 "$(count_named keypair "$P-kp")"
same "one flavor" 1 "$(osc flavor list --all -f value -c Name | grep -cx "$P-flavor")"
run 0 "uninstall" bp uninstall -d nova
same "the key pair was ours: deleted" 0 "$(count_named keypair "$P-kp")"
same "the flavor was ours: deleted" 0 "$(osc flavor list --all -f value -c Name | grep -cx "$P-flavor" || true)"
same "the server group was ours: deleted" 0 "$(groups "$P-group")"

# not ours: same names, other key and specs
osc keypair create --public-key "$TMP/other.pub" "$P-kp2" >/dev/null
osc flavor create --ram 128 --vcpus 1 --disk 0 "$P-flavor2" >/dev/null
sed -e "s/$P-kp\b/$P-kp2/" -e "s/$P-flavor\b/$P-flavor2/" -e "/group:/,\$d" \
	"$TMP/nova.yaml" >"$TMP/notours.yaml"
run 1 "install with names taken by others fails" bp install "$TMP/notours.yaml" -d notours
check "it says the key pair is not ours" has err -q "key pair '$P-kp2' already exists with another public key: not adopting it"
check "it says the flavor differs" has err -q "flavor '$P-flavor2' already exists with ram 128, not 64: not adopting it"
same "the other key pair kept its key" "$(ssh-keygen -l -E md5 -f "$TMP/other.pub" | cut -d' ' -f2 | sed 's/^MD5://')" \
	"$(osc keypair show "$P-kp2" -f value -c fingerprint)"
run 0 "uninstall it" bp uninstall -d notours
same "the other key pair is still there" 1 "$(count_named keypair "$P-kp2")"
same "the other flavor is still there" 1 "$(osc flavor list --all -f value -c Name | grep -cx "$P-flavor2")"
osc keypair delete "$P-kp2"
osc flavor delete "$P-flavor2"
done_testing
