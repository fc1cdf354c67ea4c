#!/bin/sh
# t4202-openstack-external.sh: use_external_resource adopts what exists (a
# network, an image, a flavor and a key pair, by name) and never deletes
# it; create_if_missing creates what does not; an image uploaded from a
# file beside the blueprint, a flavor with extra_specs, a server booted from
# a volume made from that image on a network named by name; uninstall
# removes exactly what the deployment created.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
. "$BP_SRC/tests/env/openstack/testlib.sh"

osc keypair create "$P-mine" >/dev/null
mkdir -p "$TMP/bp"
head -c 4096 /dev/urandom >"$TMP/bp/disk.img"
cat >"$TMP/bp/ext.yaml" <<'EOF2'
tosca_definitions_version: cloudify_dsl_1_3
imports:
  - http://www.getcloudify.org/spec/cloudify/6.4.0/types.yaml
  - plugin:cloudify-openstack-plugin
inputs:
  p: { type: string }
node_templates:
  public:
    type: cloudify.nodes.openstack.Network
    properties:
      use_external_resource: true
      resource_config: { id: public }
  cirros:
    type: cloudify.nodes.openstack.Image
    properties:
      use_external_resource: true
      resource_config: { name: cirros-fake }
  nano:
    type: cloudify.nodes.openstack.Flavor
    properties:
      use_external_resource: true
      resource_id: m1.nano
  mine:
    type: cloudify.nodes.openstack.KeyPair
    properties:
      use_external_resource: true
      resource_config: { name: { concat: [ { get_input: p }, mine ] } }
  missing:
    type: cloudify.nodes.openstack.Network
    properties:
      use_external_resource: true
      create_if_missing: true
      resource_config: { name: { concat: [ { get_input: p }, missing ] } }
  img:
    type: cloudify.nodes.openstack.Image
    properties:
      image_url: disk.img
      resource_config: { name: { concat: [ { get_input: p }, img ] } }
  flavor:
    type: cloudify.nodes.openstack.Flavor
    properties:
      extra_specs: { "hw:cpu_policy": shared }
      resource_config: { name: { concat: [ { get_input: p }, flavor ] }, ram: 64, vcpus: 1, disk: 0 }
  server:
    type: cloudify.nodes.openstack.Server
    properties:
      agent_config: { install_method: none }
    interfaces:
      cloudify.interfaces.lifecycle:
        create:
          inputs:
            resource_config:
              name: { concat: [ { get_input: p }, server ] }
              flavor_id: { get_attribute: [ flavor, id ] }
              key_name: { get_attribute: [ mine, id ] }
              networks: [ { network_id: { get_attribute: [ missing, name ] } } ]
              block_device_mapping_v2:
                - boot_index: 0
                  uuid: { get_attribute: [ img, id ] }
                  source_type: image
                  destination_type: volume
                  volume_size: 1
                  delete_on_termination: true
    relationships:
      - { type: cloudify.relationships.depends_on, target: img }
      - { type: cloudify.relationships.depends_on, target: flavor }
      - { type: cloudify.relationships.depends_on, target: mine }
      - { type: cloudify.relationships.depends_on, target: subnet }
  subnet:
    type: cloudify.nodes.openstack.Subnet
    interfaces:
      cloudify.interfaces.lifecycle:
        create:
          inputs:
            resource_config:
              name: { concat: [ { get_input: p }, subnet ] }
              network_id: { get_attribute: [ missing, id ] }
              cidr: 10.44.0.0/24
    relationships:
      - { type: cloudify.relationships.contained_in, target: missing }
outputs:
  public: { value: { get_attribute: [ public, external_resource ] } }
  missing: { value: { get_attribute: [ missing, external_resource ] } }
  image_status: { value: { get_attribute: [ img, status ] } }
EOF2

run 0 "install" bp install "$TMP/bp/ext.yaml" -d ext -i "p=$P-"
run 0 "outputs" bp outputs -d ext --json
same "the public network is adopted" true "$(field public)"
same "a missing network is created" false "$(field missing)"
same "the image is active" '"active"' "$(field image_status)"
same "Glance holds the file's bytes" "$(md5sum <"$TMP/bp/disk.img" | cut -d' ' -f1)" \
	"$(osc image show "$P-img" -f value -c checksum)"
check "the flavor has its extra_specs" sh -c \
	"/usr/bin/python3 /usr/bin/openstack flavor show $P-flavor -f json -c properties | grep -q cpu_policy"
same "the server is ACTIVE" ACTIVE "$(osc server show "$P-server" -f value -c status)"
# the boot volume: the one volume attached to the server (other tests
# make volumes at the same time, so none is counted globally)
bootvol=$(osc server show "$P-server" -f json -c volumes_attached |
	python3 -c 'import json,sys; v=json.load(sys.stdin)["volumes_attached"]; print(v[0]["id"] if len(v) == 1 else "")')
check "it booted from a volume" test -n "$bootvol"
check "it is on the network named by name" sh -c \
	"/usr/bin/python3 /usr/bin/openstack server show $P-server -f json -c addresses | grep -q '$P-missing'"
check "with the adopted key pair" sh -c \
	"/usr/bin/python3 /usr/bin/openstack server show $P-server -f value -c key_name | grep -qx '$P-mine'"

run 0 "uninstall" bp uninstall -d ext
check "the external network is still there" sh -c "/usr/bin/python3 /usr/bin/openstack network show public >/dev/null"
check "the external image is still there" sh -c "/usr/bin/python3 /usr/bin/openstack image show cirros-fake >/dev/null"
check "the external flavor is still there" sh -c "/usr/bin/python3 /usr/bin/openstack flavor show m1.nano >/dev/null"
check "the external key pair is still there" sh -c "/usr/bin/python3 /usr/bin/openstack keypair show $P-mine >/dev/null"
for what in "server $P-server" "image $P-img" "flavor $P-flavor" "network $P-missing" "subnet $P-subnet"; do
	set -- $what
	check "no $1 $2 left" sh -c "! /usr/bin/python3 /usr/bin/openstack $1 show $2 >/dev/null 2>&1"
done
check "the boot volume is gone too" sh -c \
	"! /usr/bin/python3 /usr/bin/openstack volume show '$bootvol' >/dev/null 2>&1"

cat >"$TMP/gone.yaml" <<'EOF2'
tosca_definitions_version: cloudify_dsl_1_3
imports:
  - http://www.getcloudify.org/spec/cloudify/6.4.0/types.yaml
  - plugin:cloudify-openstack-plugin
node_templates:
  net:
    type: cloudify.nodes.openstack.Network
    properties:
      use_external_resource: true
      resource_config: { name: no-such-network-anywhere }
EOF2
run 1 "adopting what does not exist fails" bp install "$TMP/gone.yaml" -d gone
check "naming it" has err -q "external network 'no-such-network-anywhere'.*no network"
osc keypair delete "$P-mine"
done_testing
