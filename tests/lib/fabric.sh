# fabric.sh: for the fabric plugin's tests (t44xx; sourced after tap.sh
# and state.sh): brings up the test sshd (tests/env/sshd-up.sh, left
# running for the next test; .ci/run stops it) and writes blueprints that
# run scripts on it. The test fails when the sshd cannot come up; only
# BLUEPRINT_SKIP_CLOUD=1 skips it.

if [ "${BLUEPRINT_SKIP_CLOUD:-}" = 1 ]; then
	echo "1..0 # SKIP BLUEPRINT_SKIP_CLOUD=1"
	exit 0
fi
if ! _sshd_env=$(sh "$BP_SRC/tests/env/sshd-up.sh"); then
	echo "1..1"
	echo "not ok 1 - the test sshd comes up (tests/env/sshd-up.sh)"
	exit 1
fi
eval "$_sshd_env"

# fabric_blueprint FILE: writes a blueprint head to FILE, then what stdin
# holds (node templates and outputs, indented as top-level keys): the
# Cloudify and fabric imports, and in dsl_definitions the anchor `fenv`:
# a fabric_env reaching the sshd with the generated key, checking the host
# key given. It names no host: the tests' nodes are contained in a Compute
# `vm` with the property ip: 127.0.0.1 (the sshd's address), the plugin's
# default host. Blueprint files it names are relative to FILE's directory.
fabric_blueprint() {
	{
		cat <<YAML
tosca_definitions_version: cloudify_dsl_1_3
imports:
  - http://www.getcloudify.org/spec/cloudify/6.4.0/types.yaml
  - plugin:cloudify-fabric-plugin
dsl_definitions:
  fenv: &fenv
    port: $SSHD_PORT
    user: $SSHD_USER
    key_filename: $SSHD_KEY
    host_key: "$SSHD_HOST_KEY"
YAML
		cat
	} >"$1"
}

# fabric_app_blueprint FILE: fabric_blueprint FILE with the usual pair:
# `vm`, a Compute at the sshd's address, and `app` contained in it, whose
# create runs fabric.fabric_plugin.tasks.run_script; stdin holds the rest
# of that create operation (its keys indented by 10: inputs, timeout) and
# any further top-level keys (outputs).
fabric_app_blueprint() {
	{
		cat <<'YAML'
node_templates:
  vm:
    type: cloudify.nodes.Compute
    properties: {ip: 127.0.0.1, agent_config: {install_method: none}}
  app:
    type: cloudify.nodes.Root
    relationships:
      - {type: cloudify.relationships.contained_in, target: vm}
    interfaces:
      cloudify.interfaces.lifecycle:
        create:
          implementation: fabric.fabric_plugin.tasks.run_script
YAML
		cat
	} | fabric_blueprint "$1"
}

# remote_gone PIDFILE: no process of the pids in PIDFILE is alive.
remote_gone() {
	for _p in $(cat "$1"); do
		kill -0 "$_p" 2>/dev/null && return 1
	done
	return 0
}
