#!/bin/sh
# t4207-openstack-dns-share.sh: Designate and Manila node types against the
# test OpenStack with tests/env/openstack-dns-share-up.sh's services: a
# zone (ACTIVE, with its email and TTL), a record set in it found through a
# relationship and one through resource_config.zone_id (the zone's name),
# an NFS share (available, its export locations as runtime properties) and
# a share network on a Neutron network from a relationship, each seen by
# the openstack CLI; a second install adopts what the first made (one of
# each); a record set adopted with use_external_resource survives the
# uninstall, which deletes everything else.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
. "$BP_SRC/tests/env/openstack/testlib.sh"

if ! "$BP_SRC/tests/env/openstack-dns-share-up.sh" >/dev/null 2>"$TMP/dns-share-up.log"; then
	echo "not ok 1 - Designate and Manila came up"
	sed 's/^/# /' "$TMP/dns-share-up.log" | tail -30
	echo "1..1"
	exit 1
fi
ZONE="$P.example.org."
cleanup() {
	osc zone delete "$ZONE" >/dev/null 2>&1
	osc share delete "$P-share" >/dev/null 2>&1
	osc share network delete "$P-sharenet" >/dev/null 2>&1
	osc subnet delete "$P-subnet" >/dev/null 2>&1
	osc network delete "$P-net" >/dev/null 2>&1
}
trap 'cleanup; rm -rf "$TMP"' EXIT

cat >"$TMP/bp.yaml" <<'EOF2'
tosca_definitions_version: cloudify_dsl_1_3
imports:
  - http://www.getcloudify.org/spec/cloudify/6.4.0/types.yaml
  - plugin:cloudify-openstack-plugin
inputs:
  p: { type: string }
node_templates:
  zone:
    type: cloudify.nodes.openstack.Zone
    properties:
      resource_config:
        name: { concat: [ { get_input: p }, .example.org ] }
        email: hostmaster@example.org
        ttl: 600
        description: t4207 zone
  www:
    type: cloudify.nodes.openstack.RecordSet
    properties:
      resource_config:
        name: www
        type: A
        ttl: 300
        records: [ 192.0.2.10, 192.0.2.11 ]
    relationships:
      - { type: cloudify.relationships.depends_on, target: zone }
  mail:
    type: cloudify.nodes.openstack.RecordSet
    properties:
      resource_config:
        zone_id: { concat: [ { get_input: p }, .example.org. ] }
        name: { concat: [ mail., { get_input: p }, .example.org. ] }
        type: CNAME
        records: [ { concat: [ www., { get_input: p }, .example.org. ] } ]
    relationships:
      - { type: cloudify.relationships.depends_on, target: www }
  net:
    type: cloudify.nodes.openstack.Network
    properties:
      resource_config: { name: { concat: [ { get_input: p }, -net ] } }
  subnet:
    type: cloudify.nodes.openstack.Subnet
    properties:
      resource_config:
        name: { concat: [ { get_input: p }, -subnet ] }
        cidr: 10.42.7.0/24
    relationships:
      - { type: cloudify.relationships.contained_in, target: net }
  sharenet:
    type: cloudify.nodes.openstack.NetworkShare
    properties:
      resource_config:
        name: { concat: [ { get_input: p }, -sharenet ] }
        description: t4207 share network
    relationships:
      - { type: cloudify.relationships.openstack.network_share_connected_to_network, target: net }
      - { type: cloudify.relationships.openstack.network_share_connected_to_subnet, target: subnet }
  share:
    type: cloudify.nodes.openstack.SharedFileSystem
    properties:
      resource_config:
        name: { concat: [ { get_input: p }, -share ] }
        size: 1
        share_proto: NFS
        share_type: default
outputs:
  zone_id: { value: { get_attribute: [ zone, id ] } }
  www_zone: { value: { get_attribute: [ www, zone_id ] } }
  www_name: { value: { get_attribute: [ www, name ] } }
  export: { value: { get_attribute: [ share, export_location ] } }
  exports: { value: { get_attribute: [ share, export_locations ] } }
  sharenet_net: { value: { get_attribute: [ sharenet, neutron_net_id ] } }
  sharenet_subnet: { value: { get_attribute: [ sharenet, neutron_subnet_id ] } }
EOF2

run 0 "install a zone, two record sets, a share network and a share" bp install "$TMP/bp.yaml" -d dns -i "p=$P"
same "the CLI sees the zone ACTIVE" ACTIVE "$(osc zone show "$ZONE" -f value -c status)"
same "with its email" hostmaster@example.org "$(osc zone show "$ZONE" -f value -c email)"
same "and its TTL" 600 "$(osc zone show "$ZONE" -f value -c ttl)"
same "the A record set (zone from the relationship)" "192.0.2.10 192.0.2.11" \
	"$(osc recordset show "$ZONE" "www.$ZONE" -f json -c records | $PYTHON -c 'import json,sys; r=json.load(sys.stdin)["records"]; r=r.split() if isinstance(r,str) else r; print(" ".join(sorted(r)))')"
same "the CNAME record set (zone by name)" "www.$ZONE" "$(osc recordset show "$ZONE" "mail.$ZONE" -f value -c records)"
same "both ACTIVE" "ACTIVE ACTIVE" "$(for n in www mail; do osc recordset show "$ZONE" "$n.$ZONE" -f value -c status; done | paste -sd' ')"
same "the share is available" available "$(osc share show "$P-share" -f value -c status)"
same "NFS, 1 GiB" "NFS 1" "$(osc share show "$P-share" -f value -c share_proto -c size | paste -sd' ')"
net_id=$(osc network show "$P-net" -f value -c id)
subnet_id=$(osc subnet show "$P-subnet" -f value -c id)
same "the share network is on the blueprint's network and subnet" "$net_id $subnet_id" \
	"$(osc share network show "$P-sharenet" -f json | $PYTHON -c 'import json,sys; s=json.load(sys.stdin)["share_network_subnets"]; s=json.loads(s) if isinstance(s,str) else s; print(s[0]["neutron_net_id"], s[0]["neutron_subnet_id"])')"
run 0 "outputs" bp outputs -d dns --json
same "zone id" "\"$(osc zone show "$ZONE" -f value -c id)\"" "$(field zone_id)"
same "the record set keeps its zone" "$(field zone_id)" "$(field www_zone)"
same "the record set's name is relative to the zone" "\"www.$ZONE\"" "$(field www_name)"
same "share network's neutron_net_id" "\"$net_id\"" "$(field sharenet_net)"
same "and neutron_subnet_id" "\"$subnet_id\"" "$(field sharenet_subnet)"
cli_exports=$(osc share export location list "$P-share" -f value -c Path | sort | paste -sd' ')
check "the share has export locations" test -n "$cli_exports"
same "export_locations as the CLI lists them" "$cli_exports" \
	"$(field exports | $PYTHON -c 'import json,sys; print(" ".join(sorted(json.load(sys.stdin))))')"
preferred=$(osc share export location list "$P-share" -f value -c Path -c Preferred | awk '$2=="True"{print $1}')
same "export_location is the preferred one" "\"$preferred\"" "$(field export)"

run 0 "install again" bp install "$TMP/bp.yaml" -d dns -i "p=$P"
same "still one zone" 1 "$(osc zone list -f value -c name | grep -cx "$ZONE")"
same "still two record sets besides SOA and NS" 2 "$(osc recordset list "$ZONE" -f value -c type | grep -cvE '^(SOA|NS)$')"
same "still one share" 1 "$(osc share list -f value -c Name | grep -cx "$P-share")"
same "still one share network" 1 "$(osc share network list -f value -c Name | grep -cx "$P-sharenet")"

cat >"$TMP/ext.yaml" <<'EOF2'
tosca_definitions_version: cloudify_dsl_1_3
imports:
  - http://www.getcloudify.org/spec/cloudify/6.4.0/types.yaml
  - plugin:cloudify-openstack-plugin
inputs:
  p: { type: string }
node_templates:
  www:
    type: cloudify.nodes.openstack.RecordSet
    properties:
      use_external_resource: true
      resource_config:
        zone_id: { concat: [ { get_input: p }, .example.org. ] }
        name: { concat: [ www., { get_input: p }, .example.org. ] }
        records: []
outputs:
  id: { value: { get_attribute: [ www, id ] } }
EOF2
run 0 "adopt the A record set with use_external_resource" bp install "$TMP/ext.yaml" -d ext -i "p=$P"
run 0 "its outputs" bp outputs -d ext --json
same "the adopted record set's id" "\"$(osc recordset show "$ZONE" "www.$ZONE" -f value -c id)\"" "$(field id)"
run 0 "uninstall the adopting deployment" bp uninstall -d ext
same "the adopted record set is still there" ACTIVE "$(osc recordset show "$ZONE" "www.$ZONE" -f value -c status)"

run 0 "uninstall" bp uninstall -d dns
check "no zone left" sh -c "! /usr/bin/python3 /usr/bin/openstack zone show '$ZONE' >/dev/null 2>&1"
check "no share left" sh -c "! /usr/bin/python3 /usr/bin/openstack share show '$P-share' >/dev/null 2>&1"
check "no share network left" sh -c "! /usr/bin/python3 /usr/bin/openstack share network show '$P-sharenet' >/dev/null 2>&1"
check "no network left" sh -c "! /usr/bin/python3 /usr/bin/openstack network show '$P-net' >/dev/null 2>&1"

done_testing
