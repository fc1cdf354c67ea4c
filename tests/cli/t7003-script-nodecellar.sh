#!/bin/sh
# t7003-script-nodecellar.sh: scripts of Cloudify's nodecellar example
# (../shared/corpus), run unchanged against fake contexts: the ctx calls
# real scripts make. They are read-only files in the corpus, so their
# "#!/bin/bash" lines pick the interpreter.
. "$(dirname "$0")/../lib/tap.sh"
tmpdir
. "$BP_SRC/tests/lib/script.sh"

NC=$SHARED/corpus/cloudify-cosmo__cloudify-nodecellar-example
if [ ! -d "$NC/scripts" ]; then
	echo "1..0 # skip no nodecellar example at $NC"
	exit 0
fi
cp -R "$NC/scripts" "$BPDIR/"

MONGO='"node": {"name": "mongod", "properties": {"port": 27017}}'

# relationship nodecellar -> mongod: the app learns where MongoDB is
for how in input host_ip; do
	if [ $how = input ]; then
		inputs='"mongo_ip_address": "10.1.1.1"' ip=10.1.1.1
	else
		inputs='"mongo_ip_address": ""' ip=10.2.2.2
	fi
	srun "set-mongo-url.sh, the address from $how" "{
		\"source\": {\"node\": {\"name\": \"nodecellar\"}, \"instance\": {}},
		\"target\": {$MONGO, \"instance\": {\"runtime_properties\": {\"ip\": \"10.2.2.2\"}}},
		\"operation\": {\"inputs\": {\"script_path\": \"scripts/mongo/set-mongo-url.sh\", $inputs}}}"
	same "saves it on the source" "OK: None {\"mongo_ip_address\": \"$ip\", \"mongo_port\": \"27017\"}" \
		"$(result) $(field source.instance.runtime_properties)"
done

srun "set-nodejs-root.sh" '{
	"source": {"node": {"name": "nodecellar"}, "instance": {}},
	"target": {"node": {"name": "nodejs"}, "instance": {"runtime_properties":
		{"nodejs_binaries_path": "/tmp/ex/nodejs/bin"}}},
	"operation": {"inputs": {"script_path": "scripts/nodejs/set-nodejs-root.sh"}}}'
same "copies the target's path to the source" \
	'OK: None {"nodejs_binaries_path": "/tmp/ex/nodejs/bin"}' \
	"$(result) $(field source.instance.runtime_properties)"

# stop-mongo.sh kills the pid that start saved
sleep 300 &
victim=$!
srun "stop-mongo.sh" "{$MONGO, \"instance\": {\"runtime_properties\": {\"pid\": \"$victim\"}},
	\"operation\": {\"inputs\": {\"script_path\": \"scripts/mongo/stop-mongo.sh\"}}}"
same "succeeds and logs" "OK: None info: Sucessfully stopped MongoDB ($victim)" "$(result) $(logs)"
wait "$victim" 2>/dev/null
same "the process it named is killed" 137 "$?"

srun "stop-mongo.sh without a saved pid" "{$MONGO, \"operation\": {\"inputs\": {\"script_path\": \"scripts/mongo/stop-mongo.sh\"}}}"
same "fails on the ctx error (set -e)" \
	"FAIL: script 'scripts/mongo/stop-mongo.sh' exited with status 1: ctx: no runtime property 'pid'" \
	"$(result)"

# haproxy/install.sh aborts on a system with neither yum nor apt-get
srun "haproxy/install.sh where no package manager is found" \
	'{"operation": {"inputs": {"script_path": "scripts/haproxy/install.sh",
		"process": {"env": {"PATH": "/nonexistent"}}}}}'
same "aborts the operation for good" "FAIL_FATAL: Unsupported distribution" "$(result)"
same "after logging" "info: Installing HAProxy
info: stderr: Unsupported distribution" "$(logs)"

# install-nodejs.sh's own ctx calls: the execution id in a path, a
# runtime property set from a shell variable
script calls.sh <<'SH'
#!/bin/bash
set -e
TEMP_DIR="/tmp"
NODEJS_ROOT=${TEMP_DIR}/$(ctx execution-id)/nodejs
NODEJS_BINARIES_PATH=${NODEJS_ROOT}/bin
ctx instance runtime_properties nodejs_binaries_path ${NODEJS_BINARIES_PATH}
ctx logger info "Sucessfully installed NodeJS"
SH
srun "install-nodejs.sh's ctx calls" '{"execution": {"id": "ex-42"},
	"operation": {"inputs": {"script_path": "calls.sh"}}}'
same "work" 'OK: None {"nodejs_binaries_path": "/tmp/ex-42/nodejs/bin"}' \
	"$(result) $(field instance.runtime_properties)"
done_testing
