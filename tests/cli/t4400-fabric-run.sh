#!/bin/sh
# t4400-fabric-run.sh: install and uninstall run scripts on a host over
# ssh (the test sshd): the host from the host instance's ip (no
# host_string), ctx from the remote script (runtime properties set there,
# read by get_attribute and by a later operation; node properties;
# host_ip; download-resource of a blueprint file onto the host), inputs as
# environment variables, the script's output in the events line by line,
# run_commands (with use_sudo), and nothing left in the remote directory.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
. "$(dirname "$0")/../lib/fabric.sh"

mkdir -p "$TMP/bp/scripts"
fabric_blueprint "$TMP/bp/app.yaml" <<'YAML'
inputs:
  sudo: {default: false}
node_types:
  app_t:
    derived_from: cloudify.nodes.Root
    properties:
      port: {type: integer}
node_templates:
  vm:
    type: cloudify.nodes.Compute
    properties: {ip: 127.0.0.1, agent_config: {install_method: none}}
  app:
    type: app_t
    properties: {port: 8080}
    relationships:
      - {type: cloudify.relationships.contained_in, target: vm}
    interfaces:
      cloudify.interfaces.lifecycle:
        create:
          implementation: fabric.fabric_plugin.tasks.run_script
          inputs:
            script_path: scripts/create.sh
            greeting: hello there
            settings: {a: 1}
            fabric_env: *fenv
        configure:
          implementation: fabric.fabric_plugin.tasks.run_commands
          inputs:
            commands:
              - echo first command
              - ctx instance runtime_properties configured "$(ctx node properties port)"
            fabric_env: *fenv
        start:
          implementation: fabric.fabric_plugin.tasks.run_commands
          inputs:
            commands: ['ctx instance runtime_properties sudo "${SUDO_USER:-none}"']
            use_sudo: {get_input: sudo}
            fabric_env: *fenv
        delete:
          implementation: fabric.fabric_plugin.tasks.run_script
          inputs:
            script_path: scripts/delete.sh
            process: {env: {MARK: MARKFILE}}
            fabric_env: *fenv
outputs:
  seen: {value: {get_attribute: [app, seen]}}
  resource: {value: {get_attribute: [app, resource]}}
  configured: {value: {get_attribute: [app, configured]}}
  where: {value: {get_attribute: [app, where]}}
  sudo: {value: {get_attribute: [app, sudo]}}
  host_ip: {value: {get_attribute: [app, host_ip]}}
YAML
sed -i "s|MARKFILE|$TMP/deleted|" "$TMP/bp/app.yaml"
cat >"$TMP/bp/scripts/create.sh" <<'EOF2'
#!/bin/sh
set -e
echo "line one"
echo "line two"
echo "a warning" >&2
ctx instance runtime_properties seen "$(ctx node name) $greeting $settings $(ctx node properties port)"
f=$(ctx download-resource scripts/data.txt)
ctx instance runtime_properties resource "$(cat "$f")"
ctx instance runtime_properties where "$(dirname "$CTX_SOCKET")"
ctx instance runtime_properties host_ip "$(ctx instance host_ip)"
EOF2
echo "from the blueprint" >"$TMP/bp/scripts/data.txt"
cat >"$TMP/bp/scripts/delete.sh" <<'EOF2'
#!/bin/sh
echo "deleting $(ctx instance runtime_properties seen)" >"$MARK"
EOF2

# use_sudo: tried where sudo lets this user in without a password
sudo=false
sudo -n true 2>/dev/null && sudo=true
run 0 "install runs the scripts on the host over ssh" \
	"$BLUEPRINT" install "$TMP/bp/app.yaml" -d app -i sudo=$sudo
run 0 "outputs" "$BLUEPRINT" outputs -d app --json
same "runtime properties set by the remote script, read by get_attribute" \
	'"app hello there {\"a\":1} 8080"' "$(field .seen)"
same "download-resource put the blueprint file on the host" \
	'"from the blueprint"' "$(field .resource)"
same "ctx instance host_ip is the host's ip (the default host too)" \
	'"127.0.0.1"' "$(field .host_ip)"
same "run_commands ran the commands, ctx included" '"8080"' \
	"$(field .configured)"
if [ $sudo = true ]; then
	same "use_sudo runs the commands under sudo" "\"$SSHD_USER\"" "$(field .sudo)"
else
	skip "use_sudo: sudo -n does not work here"
fi
where=$(field .where | tr -d '"')
check "the remote directory is gone after the run" test ! -e "$where"
check "and was a private one under /tmp" contains "$where" /tmp/blueprint-fabric-

run 0 "events" "$BLUEPRINT" events -d app
check "stdout lines are events, one each, in order" \
	sh -c 'printf "%s\n" "$0" | grep -A1 "create info: line one" | grep -q "create info: line two"' "$out"
check "stderr lines too" has out -q "create info: stderr: a warning"
check "the host it ran on is said" \
	has out -q "running script 'scripts/create.sh' on '$SSHD_USER@127.0.0.1:$SSHD_PORT'"
check "each command is said" has out -q "configure info: command: echo first command"
check "and its output logged" has out -q "configure info: first command"

run 0 "uninstall runs delete.sh on the host" "$BLUEPRINT" uninstall -d app
same "which read what create stored, with process.env" \
	"deleting app hello there {\"a\":1} 8080" "$(cat "$TMP/deleted" 2>/dev/null)"
done_testing
