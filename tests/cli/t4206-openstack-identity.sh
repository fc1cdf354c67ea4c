#!/bin/sh
# t4206-openstack-identity.sh: the admin kinds against the real OpenStack:
# a project with quotas (Nova, Neutron, Cinder) and a user and a group
# given a role in it, an RBAC policy sharing a network with that project, a
# host aggregate holding the fake compute host, a volume type. The
# openstack CLI sees each as a user would (the new user logs in to the new
# project and sees the shared network); use_external_resource adopts a
# project and a role the test made and uninstall leaves them; install run
# again keeps every id (no twins), also when the state lost the ids (each
# found by its marker); uninstall leaves none of the others.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
. "$BP_SRC/tests/env/openstack/testlib.sh"

host=$(osc compute service list --service nova-compute -f value -c Host | head -n1)
osc project create "$P-ext" >/dev/null
osc role create "$P-extrole" >/dev/null
cat >"$TMP/id.yaml" <<'EOF2'
tosca_definitions_version: cloudify_dsl_1_3
imports:
  - http://www.getcloudify.org/spec/cloudify/6.4.0/types.yaml
  - plugin:cloudify-openstack-plugin
inputs:
  p: { type: string }
  host: { type: string }
node_templates:
  role:
    type: cloudify.nodes.openstack.Role
    properties:
      resource_config: { name: { concat: [ { get_input: p }, role ] } }
  ext_role:
    type: cloudify.nodes.openstack.Role
    properties:
      use_external_resource: true
      resource_id: { concat: [ { get_input: p }, extrole ] }
  user:
    type: cloudify.nodes.openstack.User
    properties:
      resource_config:
        name: { concat: [ { get_input: p }, user ] }
        password: user-secret
        email: user@example.org
  group:
    type: cloudify.nodes.openstack.Group
    properties:
      resource_config:
        name: { concat: [ { get_input: p }, group ] }
        description: the test's group
  project:
    type: cloudify.nodes.openstack.Project
    properties:
      resource_config:
        name: { concat: [ { get_input: p }, proj ] }
        description: the test's project
      users:
        - name: { concat: [ { get_input: p }, user ] }
          roles: [ { concat: [ { get_input: p }, role ] }, member ]
      groups:
        - name: { concat: [ { get_input: p }, group ] }
          roles: [ { concat: [ { get_input: p }, extrole ] } ]
      quota:
        compute: { instances: 7 }
        network: { port: 33 }
        volume: { volumes: 5 }
    relationships:
      - { type: cloudify.relationships.depends_on, target: user }
      - { type: cloudify.relationships.depends_on, target: group }
      - { type: cloudify.relationships.depends_on, target: role }
      - { type: cloudify.relationships.depends_on, target: ext_role }
  ext_project:
    type: cloudify.nodes.openstack.Project
    properties:
      use_external_resource: true
      resource_config: { name: { concat: [ { get_input: p }, ext ] } }
  net:
    type: cloudify.nodes.openstack.Network
    properties:
      resource_config: { name: { concat: [ { get_input: p }, net ] } }
  share:
    type: cloudify.nodes.openstack.RBACPolicy
    properties:
      resource_config: { action: access_as_shared }
    relationships:
      - { type: cloudify.relationships.openstack.rbac_policy_applied_to, target: net }
      - { type: cloudify.relationships.depends_on, target: project }
  aggregate:
    type: cloudify.nodes.openstack.HostAggregate
    properties:
      resource_config: { name: { concat: [ { get_input: p }, agg ] } }
      metadata: { ssd: "true" }
      hosts: [ { get_input: host } ]
  vtype:
    type: cloudify.nodes.openstack.VolumeType
    properties:
      resource_config:
        name: { concat: [ { get_input: p }, vtype ] }
        description: the test's volume type
        extra_specs: { "bp:purpose": test }
outputs:
  ids:
    value:
      - { get_attribute: [ role, id ] }
      - { get_attribute: [ user, id ] }
      - { get_attribute: [ group, id ] }
      - { get_attribute: [ project, id ] }
      - { get_attribute: [ share, id ] }
      - { get_attribute: [ aggregate, id ] }
      - { get_attribute: [ vtype, id ] }
  share_target: { value: { get_attribute: [ share, target_tenant ] } }
  project_id: { value: { get_attribute: [ project, id ] } }
  quota: { value: { get_attribute: [ project, quota ] } }
  hosts: { value: { get_attribute: [ aggregate, hosts ] } }
  ext: { value: [ { get_attribute: [ ext_project, external_resource ] }, { get_attribute: [ ext_role, external_resource ] } ] }
EOF2

run 0 "install" bp install "$TMP/id.yaml" -d ident -i "p=$P-" -i "host=$host"
[ "$_tap_failed" -eq 0 ] || diag "$out" "$err"
run 0 "outputs" bp outputs -d ident --json
ids=$(field ids)
pid=$(field project_id | tr -d '"')
same "the RBAC policy targets the project" "\"$pid\"" "$(field share_target)"
same "the project's quota runtime property holds the three services" \
	"7 33 5" "$(field quota | python3 -c 'import json,sys; q=json.load(sys.stdin); print(q["compute"]["instances"], q["network"]["port"], q["volume"]["volumes"])')"
same "the hosts runtime property" "[\"$host\"]" "$(field hosts)"
same "the external project and role are adopted" '[true, true]' "$(field ext)"

# as the admin sees them
same "the CLI sees the project, with its description" "$pid the test's project" \
	"$(osc project show "$P-proj" -f json | python3 -c '
import json,sys; p=json.load(sys.stdin); print(p["id"], p["description"])')"
same "the user, with its email" "user@example.org" "$(osc user show "$P-user" -f value -c email)"
same "the group" "the test's group" "$(osc group show "$P-group" -f value -c description)"
same "the role" "$P-role" "$(osc role show "$P-role" -f value -c name)"
same "the user's roles in the project" "member $P-role" "$(osc role assignment list --project "$P-proj" --user "$P-user" --names -f value -c Role | sort | xargs)"
same "the group's role in the project" "$P-extrole" "$(osc role assignment list --project "$P-proj" --group "$P-group" --names -f value -c Role | xargs)"
same "Nova's, Neutron's and Cinder's quotas" "7 33 5" "$(osc quota show "$P-proj" -f json | python3 -c '
import json,sys; q=json.load(sys.stdin)
if not isinstance(q, dict): q = {r["Resource"]: r["Limit"] for r in q}
print(q["instances"], q["ports"], q["volumes"])')"
netid=$(osc network show "$P-net" -f value -c id)
rbac=$(printf '%s' "$ids" | python3 -c 'import json,sys; print(json.load(sys.stdin)[4])')
same "the RBAC policy shares the network with the project" "access_as_shared $netid $pid" \
	"$(osc network rbac show "$rbac" -f json | python3 -c '
import json,sys; r=json.load(sys.stdin); print(r["action"], r["object_id"], r["target_project_id"])')"
same "the aggregate holds the compute host and has its metadata" "[\"$host\"] true" \
	"$(osc aggregate show "$P-agg" -f json | python3 -c '
import json,sys; a=json.load(sys.stdin); print(json.dumps(a["hosts"]), a["properties"].get("ssd"))')"
same "the volume type, with its extra spec" "the test's volume type test" \
	"$(osc volume type show "$P-vtype" -f json | python3 -c '
import json,sys; t=json.load(sys.stdin); print(t["description"], t["properties"].get("bp:purpose"))')"

# as the new user: it logs in to the new project, which sees the network
# the RBAC policy shares with it
as_user() {
	OS_USERNAME="$P-user" OS_PASSWORD=user-secret OS_PROJECT_NAME="$P-proj" \
	OS_CLOUD= osc "$@"
}
same "the user logs in to the project" "$pid" "$(as_user token issue -f value -c project_id)"
same "and sees the shared network" "$netid" "$(as_user network show "$P-net" -f value -c id)"

run 0 "install again" bp install "$TMP/id.yaml" -d ident -i "p=$P-" -i "host=$host"
run 0 "outputs again" bp outputs -d ident --json
same "every id is the same: nothing made twice" "$ids" "$(field ids)"
same "one RBAC policy on the network" 1 \
	"$(osc network rbac list --long -f value -c 'Object ID' | grep -c "$netid")"
same "one aggregate" 1 "$(osc aggregate list -f value -c Name | grep -cx "$P-agg")"

# a crash between the API's answer and the store's write: the state
# forgets the ids the deployment made (the store's own table, through
# python's sqlite3), and install run again finds each by its marker
# (Keystone attribute, aggregate metadata, volume type extra spec; the RBAC
# policy by its values) instead of making another
python3 - "$BLUEPRINT_STATE/state.db" <<'EOF2'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("select id, runtime_props from node_instances"
                  " where deployment = 'ident'").fetchall()
for iid, props in rows:
    p = json.loads(props)
    if p.get("type") != "network" and not p.get("external_resource"):
        p.pop("id", None)
    db.execute("update node_instances set runtime_props = ?, state = 'initial'"
               " where deployment = 'ident' and id = ?", (json.dumps(p), iid))
db.commit()
EOF2
run 0 "install with the ids forgotten" bp install "$TMP/id.yaml" -d ident -i "p=$P-" -i "host=$host"
same "each of the seven found again by its marker" 7 \
	"$(printf '%s\n' "$out" "$err" | grep -c 'this instance created before: not creating another')"
run 0 "outputs once more" bp outputs -d ident --json
same "with the same ids" "$ids" "$(field ids)"

run 0 "uninstall" bp uninstall -d ident
for what in "project:$P-proj" "user:$P-user" "group:$P-group" "role:$P-role" \
	"aggregate:$P-agg" "volume type:$P-vtype" "network:$P-net"; do
	check "no ${what%%:*} ${what#*:} left" sh -c \
		"! /usr/bin/python3 /usr/bin/openstack ${what%%:*} show '${what#*:}' >/dev/null 2>&1"
done
same "no RBAC policy left on the network" 0 \
	"$(osc network rbac list --long -f value -c 'Object ID' | grep -c "$netid")"
check "the external project is still there" sh -c \
	"/usr/bin/python3 /usr/bin/openstack project show '$P-ext' >/dev/null"
check "the external role is still there" sh -c \
	"/usr/bin/python3 /usr/bin/openstack role show '$P-extrole' >/dev/null"
osc project delete "$P-ext"
osc role delete "$P-extrole"
done_testing
