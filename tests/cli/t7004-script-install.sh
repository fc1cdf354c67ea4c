#!/bin/sh
# t7004-script-install.sh: scripts run by `blueprint install` and
# `uninstall`, not by the harness: the path resolved beside the blueprint
# (run from another directory), the execution id and the blueprint
# directory reaching ctx, runtime properties stored and read by a later
# operation and by the outputs, a relationship script, and a failing script
# failing the install.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"

mkdir -p "$TMP/bp/scripts" "$TMP/elsewhere"
cat >"$TMP/bp/app.yaml" <<'EOF'
tosca_definitions_version: cloudify_dsl_1_3
imports:
  - http://www.getcloudify.org/spec/cloudify/6.4.0/types.yaml
node_types:
  db_t:
    derived_from: cloudify.nodes.Root
    properties:
      port: {type: integer}
node_templates:
  db:
    type: db_t
    properties: {port: 5432}
    interfaces:
      cloudify.interfaces.lifecycle:
        create: scripts/create.sh
  app:
    type: cloudify.nodes.Root
    interfaces:
      cloudify.interfaces.lifecycle:
        create:
          implementation: scripts/create.sh
          inputs: {greeting: hello}
        delete: scripts/delete.sh
    relationships:
      - type: cloudify.relationships.connected_to
        target: db
        source_interfaces:
          cloudify.interfaces.relationship_lifecycle:
            establish: scripts/link.sh
outputs:
  seen:
    value: {get_attribute: [app, seen]}
  db_port:
    value: {get_attribute: [app, db_port]}
  resource:
    value: {get_attribute: [app, resource]}
EOF
cat >"$TMP/bp/scripts/create.sh" <<'EOF'
#!/bin/sh
set -e
ctx instance runtime_properties seen "$(ctx node name) ${greeting:-none} $(ctx execution-id)"
ctx instance runtime_properties resource "$(ctx get-resource scripts/data.txt)"
EOF
echo "from the blueprint" >"$TMP/bp/scripts/data.txt"
cat >"$TMP/bp/scripts/link.sh" <<'EOF'
#!/bin/sh
set -e
ctx source instance runtime_properties db_port "$(ctx target node properties port)"
EOF
cat >"$TMP/bp/scripts/delete.sh" <<'EOF'
#!/bin/sh
echo "deleting $(ctx instance runtime_properties seen)" >"$DELETED"
EOF
chmod +x "$TMP/bp/scripts/"*.sh

cd "$TMP/elsewhere"
run 0 "install runs the scripts, found beside the blueprint" \
	"$BLUEPRINT" install ../bp/app.yaml -d app
exec_id=$(printf '%s\n' "$out" | sed -n 's/.*(execution \([^)]*\)).*/\1/p')
check "the execution id is printed" test -n "$exec_id"
run 0 "outputs" "$BLUEPRINT" outputs -d app --json
same "ctx saw the node, the inputs, the execution id, the blueprint's files; the relationship script the target" \
	"{\"db_port\": \"5432\", \"resource\": \"from the blueprint\", \"seen\": \"app hello $exec_id\"}" "$(field .)"

export DELETED="$TMP/deleted"
run 0 "uninstall runs delete.sh" "$BLUEPRINT" uninstall -d app
same "which read what create stored" "deleting app hello $exec_id" \
	"$(cat "$DELETED" 2>/dev/null)"

cat >"$TMP/bp/scripts/create.sh" <<'EOF'
#!/bin/sh
echo "no disk left" >&2
exit 4
EOF
run 1 "a failing script fails the install" "$BLUEPRINT" install ../bp/app.yaml -d broken \
	--max-retries 0
check "saying why" has err -q "script '.*create.sh' exited with status 4: no disk left"
done_testing
