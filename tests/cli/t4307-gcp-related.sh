#!/bin/sh
# t4307-gcp-related.sh: gcp resources take their links from generic
# relationships (cloudify.relationships.connected_to, depends_on,
# contained_in), as Cloudify's GCP plugin finds them by the target's
# type, with no link named in properties and no gcp relationship type: a
# SubNetwork contained_in a Network, a FirewallRule and a Filestore
# connected_to it, an Instance that depends_on the subnetwork (Cloudify's
# vm.yaml: the network follows from it) and is connected_to an Address, a
# Volume and an Image (made from a Volume it depends_on), an
# InstanceTemplate connected_to the subnetwork and the Filestore (its
# export in the metadata), an Instance in one of the template's sizes and
# a managed group, both connected_to the template. The fake (and the real
# gcloud) show every resource pointing at its related one; uninstall
# leaves nothing.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
. "$BP_SRC/tests/fakes/gcp/env.sh"

gcp_fake_start --allow-anonymous --op-seconds 0.2

cat >"$TMP/rel.yaml" <<'EOF'
tosca_definitions_version: cloudify_dsl_1_3
imports:
  - http://www.getcloudify.org/spec/cloudify/6.4.0/types.yaml
  - plugin:cloudify-gcp-plugin
dsl_definitions:
  cfg: &cfg {zone: us-central1-a}
node_templates:
  net:
    type: cloudify.gcp.nodes.Network
    properties: {gcp_config: *cfg, name: rel-net, auto_subnets: false}
  sub:
    type: cloudify.gcp.nodes.SubNetwork
    properties: {gcp_config: *cfg, name: rel-sub, region: us-central1, subnet: 10.20.0.0/24}
    relationships:
      - {type: cloudify.relationships.contained_in, target: net}
  fw:
    type: cloudify.gcp.nodes.FirewallRule
    properties: {gcp_config: *cfg, name: rel-fw, allowed: {tcp: [80]}, sources: [0.0.0.0/0]}
    relationships:
      - {type: cloudify.relationships.connected_to, target: net}
  share:
    type: cloudify.nodes.gcp.Filestore
    properties: {gcp_config: *cfg, name: rel-share, share_name: projects}
    relationships:
      - {type: cloudify.relationships.connected_to, target: net}
  ip:
    type: cloudify.gcp.nodes.Address
    properties: {gcp_config: *cfg, name: rel-ip, region: us-central1}
  data:
    type: cloudify.gcp.nodes.Volume
    properties: {gcp_config: *cfg, name: rel-data, size: 20}
  golden-disk:
    type: cloudify.gcp.nodes.Volume
    properties: {gcp_config: *cfg, name: rel-golden, image: debian-cloud/family/debian-12}
  golden:
    type: cloudify.gcp.nodes.Image
    properties: {gcp_config: *cfg, name: rel-image}
    relationships:
      - {type: cloudify.relationships.depends_on, target: golden-disk}
  host:
    type: cloudify.gcp.nodes.Instance
    properties: {gcp_config: *cfg, name: rel-host, instance_type: e2-small, external_ip: true}
    relationships:
      - {type: cloudify.relationships.depends_on, target: sub}
      - {type: cloudify.relationships.connected_to, target: ip}
      - {type: cloudify.relationships.connected_to, target: data}
      - {type: cloudify.relationships.connected_to, target: golden}
  tpl:
    type: cloudify.nodes.gcp.InstanceTemplate
    properties:
      gcp_config: *cfg
      name: rel-template
      image: debian-cloud/family/debian-12
      sizes: {small: {cpus: 4, memory_gb: 16}, large: {cpus: 16, memory_gb: 48}}
      default_size: large
    relationships:
      - {type: cloudify.relationships.connected_to, target: sub}
      - {type: cloudify.relationships.connected_to, target: share}
  ws:
    type: cloudify.nodes.gcp.Instance
    properties: {gcp_config: *cfg, name: rel-ws, size: small}
    relationships:
      - {type: cloudify.relationships.connected_to, target: tpl}
  farm:
    type: cloudify.nodes.gcp.ManagedInstanceGroup
    properties: {gcp_config: *cfg, name: rel-farm, size: 1}
    relationships:
      - {type: cloudify.relationships.connected_to, target: tpl}
EOF

# res PATH EXPR: EXPR (Python, over the resource r) of the fake's
# resource at compute/v1/projects/test-project/PATH (or file/v1/... when
# PATH starts with "file:").
res() {
	case $1 in
	file:*) _u="$GCP_URL/file/v1/projects/$GCP_PROJECT/${1#file:}" ;;
	*) _u="$GCP_URL/compute/v1/projects/$GCP_PROJECT/$1" ;;
	esac
	curl -sf "$_u" | python3 -c '
import json, sys
r = json.load(sys.stdin)
v = eval(sys.argv[1])
print(v if isinstance(v, str) else json.dumps(v, sort_keys=True))' "$2"
}
link() { printf '%s/compute/v1/projects/%s/%s' "$GCP_URL" "$GCP_PROJECT" "$1"; }
NET=$(link global/networks/rel-net)
SUB=$(link regions/us-central1/subnetworks/rel-sub)
TPL=$(link global/instanceTemplates/rel-template)

run 0 "install with generic relationships only" "$BLUEPRINT" install "$TMP/rel.yaml" -d rel
same "the subnetwork is in the network it is contained in" "$NET" \
	"$(res regions/us-central1/subnetworks/rel-sub 'r["network"]')"
same "the firewall rule is on the network it is connected to" "$NET" \
	"$(res global/firewalls/rel-fw 'r["network"]')"
same "Filestore is on that network" rel-net \
	"$(res file:locations/us-central1-a/instances/rel-share 'r["networks"][0]["network"]')"
same "the instance is in the subnetwork it depends on" "$SUB" \
	"$(res zones/us-central1-a/instances/rel-host 'r["networkInterfaces"][0]["subnetwork"]')"
same "and so in its network" "$NET" \
	"$(res zones/us-central1-a/instances/rel-host 'r["networkInterfaces"][0]["network"]')"
same "it has the connected address" \
	"$(res regions/us-central1/addresses/rel-ip 'r["address"]')" \
	"$(res zones/us-central1-a/instances/rel-host 'r["networkInterfaces"][0]["accessConfigs"][0]["natIP"]')"
same "the connected volume attached" "$(link zones/us-central1-a/disks/rel-data)" \
	"$(res zones/us-central1-a/instances/rel-host '[d["source"] for d in r["disks"] if not d["boot"]][0]')"
same "the image is of the disk it depends on" "$(link zones/us-central1-a/disks/rel-golden)" \
	"$(res global/images/rel-image 'r["sourceDisk"]')"
same "the instance booted from the connected image" "$(link global/images/rel-image)" \
	"$(res zones/us-central1-a/disks/rel-host 'r["sourceImage"]')"
same "the template is on the subnetwork it is connected to" "$SUB" \
	"$(res global/instanceTemplates/rel-template 'r["properties"]["networkInterfaces"][0]["subnetwork"]')"
same "the instance from the connected template (its subnetwork)" "$SUB" \
	"$(res zones/us-central1-a/instances/rel-ws 'r["networkInterfaces"][0]["subnetwork"]')"
same "in the template's size it names" custom-4-16384 \
	"$(res zones/us-central1-a/instances/rel-ws 'r["machineType"].rsplit("/", 1)[1]')"
check "with the Filestore export the template is connected to" contains \
	"$(res zones/us-central1-a/instances/rel-ws '[m["value"] for m in r["metadata"]["items"] if m["key"] == "nfs-export"]')" \
	":/projects"
same "the group from the connected template" "$TPL" \
	"$(res zones/us-central1-a/instanceGroupManagers/rel-farm 'r["instanceTemplate"]')"
run 0 "gcloud describes the instance" gcp_gcloud compute instances describe rel-host \
	--zone us-central1-a --format='value(networkInterfaces[0].subnetwork.basename(),networkInterfaces[0].network.basename())'
same "in the related subnetwork and network" "rel-sub	rel-net" "$out"

run 0 "uninstall" "$BLUEPRINT" uninstall -d rel
same "nothing is left" "" "$(gcp_stats "' '.join(s['live'])")"
done_testing
