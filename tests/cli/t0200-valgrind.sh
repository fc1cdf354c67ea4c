#!/bin/sh
# t0200-valgrind.sh: the plain build is valgrind-clean (memcheck: no invalid
# read or write, no use of uninitialised memory, no definitely lost block)
# on bad input, on validation of real blueprints and on every built-in
# workflow with plugins loaded and worker threads: install, scale out and
# in, heal, exec, a failing install and uninstall. The ASan build checks
# the same things its own way (every test), so there this test skips.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/workflow.sh"
wf_setup

if ldd "$BLUEPRINT" 2>/dev/null | grep -q libasan; then
	skip "an ASan build: valgrind cannot run it (the sanitizers check it)"
	done_testing
	exit
fi
command -v valgrind >/dev/null 2>&1 ||
	{ not_ok "valgrind is installed (scripts/deps.sh installs it)"; done_testing; exit; }

# vg CODE DESC ARGS...: blueprint ARGS under memcheck exits with CODE; 99
# is memcheck's own: an error it found (its report is in $err).
vg() {
	_want=$1 _desc=$2; shift 2
	run "$_want" "$_desc" valgrind -q --error-exitcode=99 \
		--leak-check=full --errors-for-leak-kinds=definite \
		--show-leak-kinds=definite --trace-children=no \
		"$BLUEPRINT" "$@"
}

printf '%s\n' "tosca_definitions_version: cloudify_dsl_1_3" \
	"node_templates:" "  a:" "    type: cloudify.nodes.Root" \
	"    properties: { x: [1, 2" >"$T/syntax.yaml"
vg 2 "a YAML syntax error" validate "$T/syntax.yaml"
check "names file:line:column" has err -q "^$T/syntax.yaml:6:1: error: did not find expected"

printf '%s\n' "tosca_definitions_version: cloudify_dsl_1_3" \
	"imports: [http://www.getcloudify.org/spec/cloudify/6.4.0/types.yaml]" \
	"node_templates:" "  a:" "    type: cloudify.nodes.Root" \
	"    properties: { x: 1 }" "  c:" "    type: cloudify.nodes.Nope" \
	>"$T/semantic.yaml"
vg 2 "semantic errors (unknown property, unknown type)" validate "$T/semantic.yaml"
same "both named" "$T/semantic.yaml:6:19: error: unknown property 'x' of node 'a' (type 'cloudify.nodes.Root') [at node_templates.a.properties.x]
$T/semantic.yaml:8:11: error: unknown node type 'cloudify.nodes.Nope' of node template 'c' [at node_templates.c]
2 errors" "$err"

for f in blueprints/k8s-mongo.yaml blueprints/gcp-virtual-studio.yaml \
	 examples/openstack/*.yaml; do
	vg 0 "validate $f" validate "$BP_SRC/$f"
done

wf_blueprint "$T/bp.yaml" <<'YAML'
node_templates:
  vm:
    type: recorder.nodes.Compute
    instances: { deploy: 2 }
  app:
    type: recorder.nodes.Node
    properties:
      behave:
        create: { set: { port: 8080 } }
    relationships:
      - { type: cloudify.relationships.contained_in, target: vm }
      - { type: recorder.relationships.connected_to, target: db }
  db:
    type: recorder.nodes.Node
    properties:
      behave:
        create: { set: { port: 5432 } }
outputs:
  db_port: { value: { get_attribute: [db, port] } }
YAML
vg 0 "install (plugin loaded, worker threads, relationships)" install "$T/bp.yaml" -d d
vg 0 "outputs" outputs -d d --json
same "with the runtime property" 5432 "$(field db_port)"
vg 0 "scale vm +2" scale vm +2 -d d
vg 0 "scale vm -1" scale vm -1 -d d
vg 0 "heal" heal "$(ids app | sed -n 1p)" -d d
vg 0 "exec an operation" exec cloudify.interfaces.lifecycle.configure --node db -d d
vg 0 "status --json" status -d d --json
vg 0 "events --json" events -d d --json
vg 0 "uninstall" uninstall -d d
same "every instance deleted" "deleted deleted deleted deleted deleted deleted deleted" "$(states)"

wf_blueprint "$T/fail.yaml" <<'YAML'
node_templates:
  a:
    type: recorder.nodes.Node
    properties:
      behave:
        create: { fatal: true, message: broken on purpose }
  b:
    type: recorder.nodes.Node
    relationships: [{ type: cloudify.relationships.depends_on, target: a }]
YAML
vg 1 "a failing install" install "$T/fail.yaml" -d f
check "reports the plugin's message" has err -q "broken on purpose"
done_testing
