#!/bin/sh
# t4301-gcp-resources.sh: every gcp node type against the fake GCP: a
# network, subnetwork, firewall rule, regional and global addresses, a
# disk, an image from the disk and one copied from an image family, an
# instance template with sizes, an instance
# from the template in a size, a fully described instance with the disk and
# address, a managed instance group resized with `exec resize`, Filestore
# and a GKE cluster. Runtime properties say what was made; the real gcloud
# lists and describes it; uninstall leaves nothing; signing was real (the
# fake verified the JWT).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
. "$BP_SRC/tests/fakes/gcp/env.sh"

gcp_fake_start --allow-anonymous --op-seconds 0.3

cat >"$TMP/all.yaml" <<'EOF'
tosca_definitions_version: cloudify_dsl_1_3
imports:
  - http://www.getcloudify.org/spec/cloudify/6.4.0/types.yaml
  - plugin:cloudify-gcp-plugin
dsl_definitions:
  cfg: &cfg {zone: us-central1-a}
node_templates:
  net:
    type: cloudify.nodes.gcp.Network
    properties: {gcp_config: *cfg, name: studio, auto_subnets: false}
  subnet:
    type: cloudify.nodes.gcp.SubNetwork
    properties: {gcp_config: *cfg, name: studio-sub, subnet: 10.10.0.0/24}
    relationships:
      - {type: cloudify.relationships.gcp.contained_in_network, target: net}
  rdp:
    type: cloudify.nodes.gcp.FirewallRule
    properties:
      gcp_config: *cfg
      name: studio-rdp
      allowed: {tcp: [3389, 22], udp: ["4172"]}
      sources: [10.0.0.0/8]
      target_tags: [workstation]
    relationships:
      - {type: cloudify.relationships.gcp.contained_in_network, target: net}
  ip:
    type: cloudify.nodes.gcp.Address
    properties: {gcp_config: *cfg, name: studio-ip}
  gip:
    type: cloudify.nodes.gcp.GlobalAddress
    properties: {gcp_config: *cfg, name: studio-gip}
  data:
    type: cloudify.nodes.gcp.Volume
    properties: {gcp_config: *cfg, name: data, size: 20, image: debian-cloud/family/debian-12}
  golden:
    type: cloudify.nodes.gcp.Volume
    properties: {gcp_config: *cfg, name: golden, image: debian-cloud/family/debian-12}
  snap:
    type: cloudify.nodes.gcp.Image
    properties: {gcp_config: *cfg, name: data-image, family: data}
    relationships:
      - {type: cloudify.relationships.gcp.uses, target: golden}
  copy:
    type: cloudify.nodes.gcp.Image
    properties: {gcp_config: *cfg, name: copy-image, family: copies, source_image: debian-cloud/family/debian-12}
  tpl:
    type: cloudify.nodes.gcp.InstanceTemplate
    properties:
      gcp_config: *cfg
      name: ws-template
      image: debian-cloud/family/debian-12
      sizes:
        small: {cpus: 4, memory_gb: 16}
        medium: {cpus: 8, memory_gb: 32}
        large: {machine_type: n2-standard-16}
      default_size: medium
      tags: [workstation]
    relationships:
      - {type: cloudify.relationships.gcp.uses, target: subnet}
  ws:
    type: cloudify.nodes.gcp.Instance
    properties: {gcp_config: *cfg, name: ws-one, size: small, labels: {team: fx}}
    relationships:
      - {type: cloudify.relationships.gcp.uses, target: tpl}
  vm:
    type: cloudify.nodes.gcp.Instance
    properties:
      gcp_config: *cfg
      name: render
      image_id: ubuntu-os-cloud/family/ubuntu-2204-lts
      instance_type: e2-standard-4
      tags: "render,workstation"
      startup_script: "echo hello"
      spot: true
    relationships:
      - {type: cloudify.relationships.gcp.instance_connected_to_disk, target: data}
      - {type: cloudify.relationships.gcp.instance_connected_to_ip, target: ip}
      - {type: cloudify.relationships.gcp.instance_contained_in_network, target: net}
  farm:
    type: cloudify.nodes.gcp.ManagedInstanceGroup
    properties: {gcp_config: *cfg, name: farm, size: 2}
    relationships:
      - {type: cloudify.relationships.gcp.uses, target: tpl}
  share:
    type: cloudify.nodes.gcp.Filestore
    properties: {gcp_config: *cfg, name: projects-share, share_name: projects}
    relationships:
      - {type: cloudify.relationships.gcp.uses, target: net}
  gke:
    type: cloudify.nodes.gcp.KubernetesCluster
    properties: {gcp_config: *cfg, name: render-gke, initial_node_count: 2}
outputs:
  rt:
    value:
      net: {get_attribute: [net, selfLink]}
      subnet: {get_attribute: [subnet, ipCidrRange]}
      ip: {get_attribute: [ip, address]}
      vm_public: {get_attribute: [vm, public_ip]}
      ws_ip: {get_attribute: [ws, ip]}
      ws_type: {get_attribute: [ws, machine_type]}
      vm_type: {get_attribute: [vm, machine_type]}
      image_family: {get_attribute: [snap, family]}
      nfs: {get_attribute: [share, nfs_export]}
      gke_endpoint: {get_attribute: [gke, api_server]}
      gke_ca: {get_attribute: [gke, ca_cert]}
      gke_host: {get_attribute: [gke, api_options, host]}
      farm_size: {get_attribute: [farm, size]}
EOF

t0=$(date +%s)
run 0 "install creates every kind of resource" "$BLUEPRINT" install "$TMP/all.yaml" -d all
diag "install took $(( $(date +%s) - t0 )) s"
run 0 "outputs" "$BLUEPRINT" outputs -d all --json
rt=$out
o() { out=$rt; field ".rt.$1" | tr -d '"'; }
check "the network's selfLink" contains "$(o net)" "/compute/v1/projects/test-project/global/networks/studio"
same "the subnetwork's range" 10.10.0.0/24 "$(o subnet)"
check "the address" test -n "$(o ip)"
same "the instance with the address uses it" "$(o ip)" "$(o vm_public)"
same "the instance from the template has its size's machine" custom-4-16384 "$(o ws_type)"
same "the described one its own" e2-standard-4 "$(o vm_type)"
check "an internal IP" contains "$(o ws_ip)" "10.128."
same "the image joined its family" data "$(o image_family)"
check "Filestore's export" contains "$(o nfs)" ":/projects"
same "GKE's API server" https://127.0.0.1 "$(o gke_endpoint)"
same "and api_options for the kubernetes plugin" https://127.0.0.1 "$(o gke_host)"
same "the group's size" 2 "$(o farm_size)"

live() { gcp_stats "' '.join(s['live'])"; }
for r in global/networks/studio regions/us-central1/subnetworks/studio-sub \
	global/firewalls/studio-rdp regions/us-central1/addresses/studio-ip \
	global/addresses/studio-gip zones/us-central1-a/disks/data \
	global/images/data-image global/images/copy-image \
	global/instanceTemplates/ws-template \
	zones/us-central1-a/instances/ws-one zones/us-central1-a/instances/render \
	zones/us-central1-a/instanceGroupManagers/farm \
	locations/us-central1-a/instances/projects-share \
	locations/us-central1-a/clusters/render-gke; do
	check "the fake holds $r" contains "$(live)" "projects/test-project/$r"
done
same "the group made 2 instances" 2 \
	"$(gcp_stats "len([x for x in s['live'] if '/instances/farm-' in x])")"
same "one token for the whole install (cached, shared by threads)" 1 "$(gcp_stats "s['token_grants']")"

run 0 "gcloud lists the instances" gcp_gcloud compute instances list --format='value(name)'
same "all four" "farm farm render ws-one" "$(printf '%s\n' "$out" | sed 's/^farm-.*/farm/' | sort | tr '\n' ' ' | sed 's/ $//')"
run 0 "gcloud describes the workstation" gcp_gcloud compute instances describe ws-one \
	--zone us-central1-a --format='value(labels.team,labels.blueprint-deployment,tags.items[0])'
same "with its labels, the deployment's, and the template's tag" "fx	all	workstation" "$out"
run 0 "gcloud describes the firewall" gcp_gcloud compute firewall-rules describe studio-rdp \
	--format='value(allowed[0].IPProtocol,allowed[0].ports[0],sourceRanges[0],targetTags[0])'
same "the remote-desktop ports" "tcp	3389	10.0.0.0/8	workstation" "$out"
run 0 "gcloud lists the templates" gcp_gcloud compute instance-templates list --format='value(name,properties.machineType)'
same "the template in its default size" "ws-template	custom-8-32768" "$out"
run 0 "gcloud describes the image" gcp_gcloud compute images describe data-image --format='value(family,status)'
same "in its family, READY" "data	READY" "$out"
run 0 "gcloud describes the image copied from a family" gcp_gcloud compute images describe copy-image \
	--format='value(family,status,sourceImage.basename())'
same "the family's newest image, READY" "copies	READY	$(gcp_gcloud compute images describe-from-family debian-12 \
	--project debian-cloud --format='value(name)')" "$out"
run 0 "gcloud lists Filestore" gcp_gcloud filestore instances list --location us-central1-a --format='value(name.basename(),state)'
same "the share, READY" "projects-share	READY" "$out"
run 0 "gcloud describes the GKE cluster" gcp_gcloud container clusters describe render-gke \
	--location us-central1-a --format='value(status,currentNodeCount)'
same "RUNNING with its nodes" "RUNNING	2" "$out"

run 0 "exec resize -p size=4 on the group" "$BLUEPRINT" exec resize --node farm -p size=4 -d all
same "it has 4 instances" 4 \
	"$(gcp_stats "len([x for x in s['live'] if '/instances/farm-' in x])")"
run 0 "outputs" "$BLUEPRINT" outputs -d all --json
rt=$out
same "and says so" 4 "$(o farm_size)"

run 0 "install again: nothing new" "$BLUEPRINT" install "$TMP/all.yaml" -d all
run 0 "uninstall" "$BLUEPRINT" uninstall -d all
same "nothing is left" "" "$(live)"
same "every insert has its delete" \
	"$(gcp_stats "sorted(k[7:] for k in s['counts'] if k.startswith('insert:'))")" \
	"$(gcp_stats "sorted(k[7:] for k in s['counts'] if k.startswith('delete:'))")"
done_testing
