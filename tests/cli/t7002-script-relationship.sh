#!/bin/sh
# t7002-script-relationship.sh: a script as a relationship operation:
# `ctx source ...` and `ctx target ...` read and write the two instances;
# `ctx node` and `ctx instance` are not there. Also blueprint resources
# (get-resource, download-resource).
. "$(dirname "$0")/../lib/tap.sh"
tmpdir
. "$BP_SRC/tests/lib/script.sh"

REL='"source": {"node": {"name": "app", "type": "t.App", "properties": {"port": 3000}},
		"instance": {"id": "app_1", "runtime_properties": {"ip": "10.0.0.5"}}},
	"target": {"node": {"name": "db", "properties": {"port": 27017, "ip": "10.0.0.9"}},
		"instance": {"id": "db_1", "runtime_properties": {"path": "/opt/db"}}}'

script link.sh <<'SH'
#!/bin/sh
exec 2>&1
echo "type=$(ctx type)"
echo "source=$(ctx source node id)/$(ctx source instance id) $(ctx source node type) port $(ctx source node properties port)"
echo "target=$(ctx target node name)/$(ctx target instance id) port $(ctx target node properties port)"
echo "ips: $(ctx source instance host_ip) $(ctx target instance host_ip)"
ctx source instance runtime_properties db_path "$(ctx target instance runtime_properties path)"
ctx target instance runtime-properties clients.app_1 '@{"port": 3000}'
ctx node id; echo "node: $?"
ctx instance runtime_properties x 1; echo "instance: $?"
ctx source; echo "source alone: $?"
SH
srun "a relationship operation" "{$REL, \"operation\": {\"inputs\": {\"script_path\": \"link.sh\"}}}"
same "succeeds" "OK: None" "$(result)"
same "ctx source and ctx target" \
"info: type=relationship-instance
info: source=app/app_1 t.App port 3000
info: target=db/db_1 port 27017
info: ips: 10.0.0.5 10.0.0.9
info: ctx: 'node' is not available in a relationship operation: use 'source node' or 'target node'
info: node: 1
info: ctx: 'instance' is not available in a relationship operation: use 'source instance' or 'target instance'
info: instance: 1
info: ctx: incomplete ctx command 'source': expected one of 'node', 'instance' next
info: source alone: 1" "$(logs)"
same "the source's runtime properties" '{"db_path": "/opt/db", "ip": "10.0.0.5"}' \
	"$(field source.instance.runtime_properties)"
same "the target's" '{"clients": {"app_1": {"port": 3000}}, "path": "/opt/db"}' \
	"$(field target.instance.runtime_properties)"

# resources from the blueprint's directory
mkdir -p "$BPDIR/templates"
printf 'listen %s\n' '{{ port }}' >"$BPDIR/templates/app.conf"
script resources.sh <<'SH'
#!/bin/sh
set -e
echo "content: $(ctx get-resource templates/app.conf)"
copy=$(ctx download-resource templates/app.conf)
echo "copied to a private directory: $(stat -c %a "$(dirname "$copy")") $(basename "$copy") $(cat "$copy")"
rm -r "$(dirname "$copy")"
ctx download-resource templates/app.conf "$TARGET" >/dev/null
ctx download-resource missing.conf 2>&1 || echo "missing: $?"
SH
srun "blueprint resources" "{\"operation\": {\"inputs\": {\"script_path\": \"resources.sh\", \"TARGET\": \"$T/app.conf\"}}}"
same "get-resource and download-resource" \
"OK: None info: content: listen {{ port }}
info: copied to a private directory: 700 app.conf listen {{ port }}
info: ctx: no resource 'missing.conf' in the blueprint directory '$BPDIR'
info: missing: 1" "$(result) $(logs)"
same "download-resource PATH TARGET" "listen {{ port }}" "$(cat "$T/app.conf")"
done_testing
