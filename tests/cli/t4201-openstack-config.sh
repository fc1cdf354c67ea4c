#!/bin/sh
# t4201-openstack-config.sh: where the plugin's credentials come from, as
# OpenStack users have them: the OS_* variables, OS_CLOUD with a
# clouds.yaml (given by OS_CLIENT_CONFIG_FILE, or ./clouds.yaml with the
# password in ./secure.yaml), the Cloudify client_config property, an
# application credential; a wrong password and a wrong region fail with
# the API's message, at once.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
. "$BP_SRC/tests/env/openstack/testlib.sh"

cat >"$TMP/net.yaml" <<'EOF2'
tosca_definitions_version: cloudify_dsl_1_3
imports:
  - http://www.getcloudify.org/spec/cloudify/6.4.0/types.yaml
  - plugin:cloudify-openstack-plugin
inputs:
  name: { type: string }
  client_config: { default: {} }
node_templates:
  net:
    type: cloudify.nodes.openstack.Network
    properties:
      client_config: { get_input: client_config }
      resource_config: { name: { get_input: name } }
outputs:
  id: { value: { get_attribute: [ net, id ] } }
EOF2
demo_project=$(osc project show demo -f value -c id)
admin_project=$(osc project show admin -f value -c id)
ADMIN_ENV="OS_AUTH_URL=$OS_AUTH_URL OS_USERNAME=admin OS_PASSWORD=$OS_PASSWORD OS_PROJECT_NAME=admin OS_USER_DOMAIN_NAME=Default OS_PROJECT_DOMAIN_NAME=Default OS_REGION_NAME=RegionOne"
CLOUDS=$OS_CLIENT_CONFIG_FILE

# bare NAME ENV... -- CMD: CMD with no OS_* variable but those given
bare() {
	_vars=""
	for v in $(env | sed -n 's/^\(OS_[A-Z_]*\)=.*/\1/p'); do _vars="$_vars -u $v"; done
	env $_vars "$@"
}
# owner NAME: the project of network NAME
owner() { osc network show "$1" -f value -c project_id; }
# cycle DESC PROJECT ENV...: install and uninstall a network with that
# environment; it belongs to PROJECT
cycle() {
	_d=$1; _p=$2; shift 2
	run 0 "install with $_d" bare "$@" "$BLUEPRINT" install "$TMP/net.yaml" -d "$_d" -i "name=$P-$_d"
	same "$_d: the network is in the right project" "$_p" "$(owner "$P-$_d")"
	run 0 "uninstall with $_d" bare "$@" "$BLUEPRINT" uninstall -d "$_d"
	check "$_d: the network is gone" sh -c "! /usr/bin/python3 /usr/bin/openstack network show $P-$_d >/dev/null 2>&1"
}

cycle env "$admin_project" $ADMIN_ENV
cycle cloud "$demo_project" OS_CLOUD=bp-demo OS_CLIENT_CONFIG_FILE="$CLOUDS"

# ./clouds.yaml without the password, ./secure.yaml with it
mkdir -p "$TMP/cwd"
sed '/password:/d' "$CLOUDS" >"$TMP/cwd/clouds.yaml"
cat >"$TMP/cwd/secure.yaml" <<EOF2
clouds:
  bp-demo:
    auth:
      password: $BP_OPENSTACK_DEMO_PASSWORD
EOF2
cd "$TMP/cwd"
cycle secure "$demo_project" OS_CLOUD=bp-demo HOME="$TMP/cwd"
cd - >/dev/null

# client_config wins over a wrong environment
cat >"$TMP/cc.yaml" <<EOF2
client_config:
  auth_url: $OS_AUTH_URL
  username: demo
  password: $BP_OPENSTACK_DEMO_PASSWORD
  project_name: demo
  user_domain_name: Default
  project_domain_name: Default
  region_name: RegionOne
EOF2
run 0 "install with client_config" bare OS_AUTH_URL=http://127.0.0.1:1/v3 OS_PASSWORD=wrong \
	"$BLUEPRINT" install "$TMP/net.yaml" -d cc -i "$TMP/cc.yaml" -i "name=$P-cc"
same "client_config: the network is in the demo project" "$demo_project" "$(owner "$P-cc")"
run 0 "uninstall with client_config" bare "$BLUEPRINT" uninstall -d cc

# an application credential of the demo user (Keystone may time out on a
# loaded machine: up to three tries, each under its own name)
acid=""
for try in 1 2 3; do
	ac="$P-ac$try"
	out=$(osc_demo application credential create "$ac" -f json) &&
		acid=$(field id | tr -d '"') && [ -n "$acid" ] && break
	sleep 5
done
check "an application credential of the demo user" test -n "$acid"
acsecret=$(field secret | tr -d '"')
cycle appcred "$demo_project" OS_AUTH_URL="$OS_AUTH_URL" OS_AUTH_TYPE=v3applicationcredential \
	OS_APPLICATION_CREDENTIAL_ID="$acid" OS_APPLICATION_CREDENTIAL_SECRET="$acsecret"
for try in 1 2 3; do
	osc_demo application credential delete "$P-ac$try" >/dev/null 2>&1
done

# failures say why, and are not retried
run 1 "a wrong password fails" bare $ADMIN_ENV OS_PASSWORD=wrong \
	"$BLUEPRINT" install "$TMP/net.yaml" -d badpw -i "name=$P-badpw"
check "with Keystone's answer" has err -q "Keystone refused to authenticate.*HTTP 401"
check "once" sh -c "[ \$(printf '%s' \"\$1\" | grep -c 'retry') = 0 ]" - "$err"
run 1 "a wrong region fails" bare $ADMIN_ENV OS_REGION_NAME=Nowhere \
	"$BLUEPRINT" install "$TMP/net.yaml" -d badregion -i "name=$P-badregion"
check "saying the catalog has no such endpoint" has err -q "no 'network' endpoint (region 'Nowhere'"
run 1 "no credentials at all fails" bare "$BLUEPRINT" install "$TMP/net.yaml" -d none -i "name=$P-none"
check "saying where credentials come from" has err -q "no OpenStack credentials"
done_testing
