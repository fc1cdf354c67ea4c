#!/bin/sh
# t8300-outputs.sh: `blueprint outputs`: the deployment opened again (its
# unchanged blueprint, its stored inputs), runtime functions answered from
# the store (runtime properties, a node's property when the instance has
# none, secrets; TOSCA's operation outputs from the tasks), text and JSON,
# and the error for a node that has several instances.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
plan 8

bp() { "$BLUEPRINT" "$@"; }

mkdir -p "$TMP/bp"
cat >"$TMP/bp/web.yaml" <<'EOF'
tosca_definitions_version: cloudify_dsl_1_3
inputs:
  port: {default: 80}
node_types:
  vm_t:
    properties:
      flavor: {default: small}
  worker_t: {}
node_templates:
  vm: {type: vm_t}
  worker:
    type: worker_t
    instances: {deploy: 2}
outputs:
  url:
    value: {concat: ['http://', {get_attribute: [vm, ip]}, ':', {get_input: port}]}
  flavor:
    value: {get_attribute: [vm, flavor]}
  missing:
    value: {get_attribute: [vm, nothing]}
  networks:
    value: {get_attribute: [vm, networks]}
  admin:
    value: {get_secret: admin_pw}
EOF
sed -e '$a\
  worker_ip:\
    value: {get_attribute: [worker, ip]}' "$TMP/bp/web.yaml" >"$TMP/bp/workers.yaml"

mkstate deployment id=web blueprint="$TMP/bp/web.yaml" 'inputs={"port": 8080}'
mkstate instance deployment=web id=vm_a1 node=vm state=started \
	'props={"ip": "10.0.0.5", "networks": {"lan": ["10.0.0.5"]}}'
mkstate instance deployment=web id=worker_w1 node=worker state=started
mkstate instance deployment=web id=worker_w2 node=worker state=started
bp -q secret set admin_pw s3cret

if expect_exit 0 bp outputs && [ "$out" = 'url: http://10.0.0.5:8080
flavor: small
missing: null
networks: {"lan":["10.0.0.5"]}
admin: s3cret' ]; then
	ok "outputs from runtime properties, node properties, stored inputs, secrets"
else
	not_ok "outputs"; diag "$out" "$err"
fi

if expect_exit 0 bp outputs --json &&
   printf '%s' "$out" | python3 -c '
import json, sys
o = json.load(sys.stdin)
assert list(o) == ["url", "flavor", "missing", "networks", "admin"]
assert o["url"] == "http://10.0.0.5:8080" and o["missing"] is None
assert o["networks"] == {"lan": ["10.0.0.5"]} and o["admin"] == "s3cret"
'; then
	ok "outputs --json"
else
	not_ok "outputs --json"; diag "$out" "$err"
fi

# The values come from the store at the time of asking.
mkstate instance deployment=web id=vm_a2 node=vm state=creating
if expect_exit 1 bp outputs && contains "$err" "node 'vm' has 2 instances; get_attribute in outputs needs one" &&
   contains "$out" "admin: s3cret"; then
	ok "a node with two instances: that output fails, the rest print, exit 1"
else
	not_ok "two instances"; diag "$out" "$err"
fi

mkstate deployment id=workers blueprint="$TMP/bp/workers.yaml"
mkstate instance deployment=workers id=vm_z9 node=vm state=started 'props={"ip": "10.1.1.1"}'
mkstate instance deployment=workers id=worker_x1 node=worker state=started
mkstate instance deployment=workers id=worker_x2 node=worker state=started
if expect_exit 1 bp outputs -d workers && contains "$err" "node 'worker' has 2 instances" &&
   contains "$out" "url: http://10.1.1.1:80"; then
	ok "default inputs when the deployment stored none; -d"
else
	not_ok "default inputs"; diag "$out" "$err"
fi

bp -q secret delete admin_pw
mkstate deployment id=nosecret blueprint="$TMP/bp/web.yaml"
mkstate instance deployment=nosecret id=vm_n1 node=vm state=started
if expect_exit 1 bp outputs -d nosecret && contains "$err" "secret 'admin_pw' not found" &&
   contains "$out" "url: http://null:80"; then
	ok "a missing secret fails that output"
else
	not_ok "missing secret"; diag "$out" "$err"
fi

# TOSCA: get_operation_output reads the outputs of the newest succeeded
# task of that operation ("Interface.operation") on the instance.
cat >"$TMP/bp/tosca.yaml" <<'EOF'
tosca_definitions_version: tosca_simple_yaml_1_3
topology_template:
  node_templates:
    server:
      type: tosca.nodes.Compute
      interfaces:
        Standard:
          create: create.sh
  outputs:
    address:
      value: {get_attribute: [server, private_address]}
    token:
      value: {get_operation_output: [server, Standard, create, token]}
EOF
: >"$TMP/bp/create.sh"
mkstate deployment id=tosca blueprint="$TMP/bp/tosca.yaml"
mkstate instance deployment=tosca id=server_s1 node=server state=started \
	'props={"private_address": "192.168.1.4"}'
exec_id=$(mkstate execution deployment=tosca workflow=install)
mkstate task execution="$exec_id" key=server_s1/create instance=server_s1 \
	operation=Standard.create state=succeeded 'outputs={"token": "tk-1"}'
if expect_exit 0 bp outputs -d tosca &&
   [ "$out" = "$(printf 'address: 192.168.1.4\ntoken: tk-1')" ]; then
	ok "TOSCA: attributes and operation outputs"
else
	not_ok "TOSCA outputs"; diag "$out" "$err"
fi

mkstate deployment id=gone blueprint="$TMP/bp/removed.yaml"
cp "$TMP/bp/web.yaml" "$TMP/bp/edited.yaml"
mkstate deployment id=edited blueprint="$TMP/bp/edited.yaml"
echo "# edited" >>"$TMP/bp/edited.yaml"
if expect_exit 1 bp outputs -d gone && contains "$err" "cannot read '$TMP/bp/removed.yaml'" &&
   expect_exit 1 bp outputs -d edited && contains "$err" "changed since it was installed"; then
	ok "a blueprint removed or changed since install is reported, exit 1"
else
	not_ok "missing or changed blueprint"; diag "$err"
fi

if expect_exit 2 bp outputs -d web extra && expect_exit 2 bp outputs; then
	ok "usage errors and an unnamed deployment among several exit 2"
else
	not_ok "usage"; diag "$err"
fi
