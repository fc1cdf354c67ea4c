#!/bin/sh
# t7010-script-artifacts.sh: a TOSCA operation whose implementation names
# an artifact runs in the plugin that claims the artifact's type (ABI 1.2):
# the script runner claims tosca.artifacts.Implementation.Bash and .Python.
# Named artifacts (long form, and the short form typed by file_ext), an
# inline TOSCA 1.3 artifact in `primary`, a type derived from a claimed
# one; an artifact type no plugin claims is a validate warning at the
# implementation and stops install.
. "$(dirname "$0")/../lib/tap.sh"
tmpdir
export BLUEPRINT_STATE="$T/state"
OUT="$T/out"
mkdir -p "$T/scripts" "$OUT"

cat > "$T/scripts/create.sh" <<SH
#!/bin/sh
echo "created by \$0" > "$OUT/create"
SH
cat > "$T/scripts/configure.sh" <<SH
#!/bin/sh
echo configured > "$OUT/configure"
SH
cat > "$T/scripts/start.sh" <<SH
#!/bin/sh
echo started > "$OUT/start"
SH
cat > "$T/scripts/delete.sh" <<SH
#!/bin/sh
rm -f "$OUT/create"
echo deleted > "$OUT/delete"
SH
cat > "$T/scripts/stop.py" <<PY
open("$OUT/stop", "w").write("stopped\n")
PY

cat > "$T/bp.yaml" <<'YAML'
tosca_definitions_version: tosca_simple_yaml_1_3
artifact_types:
  my.Shell:
    derived_from: tosca.artifacts.Implementation.Bash
topology_template:
  node_templates:
    app:
      type: tosca.nodes.Root
      artifacts:
        install_script:
          type: tosca.artifacts.Implementation.Bash
          file: scripts/create.sh
        remove: scripts/delete.sh
        stopper: scripts/stop.py
        derived: { type: my.Shell, file: scripts/start.sh }
      interfaces:
        Standard:
          create: install_script
          configure:
            implementation:
              primary:
                file: scripts/configure.sh
                type: tosca.artifacts.Implementation.Bash
          start:
            implementation: { primary: derived }
          stop: stopper
          delete: remove
YAML

run 0 "validate is clean" "$BLUEPRINT" validate "$T/bp.yaml"
same "no warnings" "" "$err"
run 0 "install runs the artifacts" "$BLUEPRINT" install "$T/bp.yaml"
same "create ran the named artifact with its absolute path" \
	"created by $T/scripts/create.sh" "$(cat "$OUT/create" 2>&1)"
same "configure ran the inline artifact" configured "$(cat "$OUT/configure" 2>&1)"
same "start ran an artifact of a type derived from a claimed one" \
	started "$(cat "$OUT/start" 2>&1)"
run 0 "uninstall runs the delete artifact" "$BLUEPRINT" uninstall
same "stop ran the short-form .py artifact" stopped "$(cat "$OUT/stop" 2>&1)"
same "delete ran the short-form .sh artifact" deleted "$(cat "$OUT/delete" 2>&1)"
check "delete removed what create wrote" test ! -e "$OUT/create"

cat > "$T/bad.yaml" <<'YAML'
tosca_definitions_version: tosca_simple_yaml_1_3
artifact_types:
  my.Ansible:
    derived_from: tosca.artifacts.Implementation
topology_template:
  node_templates:
    app:
      type: tosca.nodes.Root
      artifacts:
        play: { type: my.Ansible, file: site.yml }
      interfaces:
        Standard:
          create: play
YAML
run 0 "validate passes an unclaimed artifact type with a warning" \
	"$BLUEPRINT" validate "$T/bad.yaml"
check "the warning is at the implementation" has err -q \
	"bad.yaml:13:19: warning: operation 'Standard.create' of node 'app': no plugin runs artifact 'play' of type 'my.Ansible'"
run 2 "install refuses to start" "$BLUEPRINT" install "$T/bad.yaml" -d bad
check "install names the artifact type" has err -q \
	"bad.yaml:13:19: error: .*no plugin runs artifact 'play' of type 'my.Ansible'"
done_testing
