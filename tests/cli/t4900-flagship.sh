#!/bin/sh
# t4900-flagship.sh: blueprints/k8s-mongo.yaml end to end, against the real
# test OpenStack (tests/env/openstack-up.sh), the real kube-apiserver
# (tests/env/k8s-up.sh) and a real sshd (tests/env/sshd-up.sh).
#
# The fake hypervisor's VMs run nothing, so every VM's SSH target is the
# local sshd (the blueprint's ssh_host and ssh_port inputs), and the VM
# scripts are the test versions in tests/flagship/scripts: they record
# what they were asked to do, and the master's configure step publishes
# the test API server as the cluster, so the microservice really lands on
# a Kubernetes API server. install, scale node_vm +2, scale node_vm -1,
# uninstall: servers in Nova, objects in Kubernetes, calls on the VMs.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
. "$BP_SRC/tests/env/openstack/testlib.sh"
. "$BP_SRC/tests/lib/fabric.sh"
if ! K8S_ENV=$("$BP_SRC/tests/env/k8s-up.sh" 2>"$TMP/k8s-up.log"); then
	echo "1..1"
	echo "not ok 1 - the test Kubernetes API server came up"
	sed 's/^/# /' "$TMP/k8s-up.log" | tail -30
	exit 1
fi
. "$K8S_ENV"

BPF="$BP_SRC/blueprints/k8s-mongo.yaml"
NS="$P"
kc() { kubectl --kubeconfig "$KUBECONFIG" "$@"; }

# The test versions of the VM scripts, pointed at this test's record.
S="$TMP/scripts"
REC="$TMP/record"
cp -R "$BP_SRC/tests/flagship/scripts" "$S"
find "$S" -name '*.sh' -exec sed -i "s#@RECORD@#$REC#; s#@DIR@#$S#" {} +
: >"$REC"
# What the master's test configure step publishes: the test API server,
# with a token and the CA, in the namespace of this test.
printf '%s' "$K8S_SERVER" >"$S/endpoint"
cat >"$S/kubeconfig" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: test
  cluster:
    server: $K8S_SERVER
    certificate-authority-data: $(base64 -w0 "$K8S_CA")
users:
- name: admin
  user:
    token: $K8S_TOKEN
contexts:
- name: test
  context: {cluster: test, user: admin, namespace: $NS}
current-context: test
YAML
kc create namespace "$NS" >/dev/null

node_port=$((30000 + $$ % 2700))
cat >"$TMP/inputs.yaml" <<YAML
auth_url: $OS_AUTH_URL
username: demo
password: $BP_OPENSTACK_DEMO_PASSWORD
project_name: demo
region_name: ${OS_REGION_NAME:-RegionOne}
image: cirros-fake
flavor: m1.nano
external_network_name: public
name_prefix: $P-
ssh_host: $SSHD_HOST
ssh_port: $SSHD_PORT
ssh_user: $SSHD_USER
ssh_public_key: "$(cat "$SSHD_KEY.pub" 2>/dev/null || ssh-keygen -y -f "$SSHD_KEY")"
scripts: $S
app_node_port: $node_port
YAML
run 0 "the private key as a secret" bp secret set k8s_mongo_ssh_key - <"$SSHD_KEY"

servers() { osc server list --all-projects -f value -c Name | grep -c "^$P-$1" || true; }
lines() { grep -c -- "$1" "$REC" || true; }
ids() { bp status --json | python3 -c 'import json,sys; [print(i["id"]) for i in json.load(sys.stdin)["instances"] if i["node"]==sys.argv[1]]' "$1" | sort; }

run 0 "install" bp install "$BPF" -d flagship -i "$TMP/inputs.yaml"
same "four servers in Nova: master, two workers, mongo" "1 2 1" \
	"$(servers master) $(servers node) $(servers mongo)"
check "all of them ACTIVE" sh -c \
	"! /usr/bin/python3 /usr/bin/openstack server list --all-projects -f value -c Name -c Status | grep '^$P-' | grep -v ' ACTIVE$'"
same "Kubernetes installed on the master and each worker" 3 "$(lines 'install.sh version=1.28')"
same "the control plane initialised once" 1 "$(lines 'master-init.sh')"
same "each worker joined, by the master's join command" 2 \
	"$(lines 'node-join.sh join=kubeadm join test:6443')"
same "MongoDB installed, configured, started" "1 1 1" \
	"$(lines ' install.sh $') $(lines 'configure.sh address=') $(lines ' start.sh $')"

run 0 "outputs" bp outputs -d flagship --json
mongo=$(field mongodb | tr -d '"')
same "the API endpoint is the test API server" "\"$K8S_SERVER\"" "$(field kubernetes_api)"
check "the app's URL is a floating IP and the node port" sh -c \
	"printf '%s' '$(field app_url)' | grep -Eq '^\"http://192\.0\.2\.[0-9]+:$node_port\"$'"
same "two worker addresses, floating IPs" 2 \
	"$(field worker_addresses | grep -Eo '192\.0\.2\.[0-9]+' | sort -u | wc -l)"
check "mongo's address is its private IP and port" sh -c \
	"printf '%s' '$mongo' | grep -Eq '^10\.10\.0\.[0-9]+:27017$'"
env=$(kc -n "$NS" get deployment nodecellar -o jsonpath='{range .spec.template.spec.containers[0].env[*]}{.name}={.value} {end}')
same "the Deployment got MongoDB's address" "MONGO_HOST=${mongo%:*} MONGO_PORT=${mongo#*:} " "$env"
same "the Service has the node port" "$node_port" \
	"$(kc -n "$NS" get service nodecellar -o jsonpath='{.spec.ports[0].nodePort}')"
same "the Deployment's replicas are ready" 2 \
	"$(kc -n "$NS" get deployment nodecellar -o jsonpath='{.status.readyReplicas}')"

old=$(ids node_vm)
: >"$REC"
run 0 "scale node_vm +2" bp scale -d flagship node_vm +2
same "two more workers in Nova" 4 "$(servers node)"
same "Kubernetes installed on exactly two new VMs" 2 "$(lines 'install.sh version=')"
same "exactly two joins" 2 "$(lines 'node-join.sh')"
same "and nothing else ran" 4 "$(wc -l <"$REC")"
new=$(ids node_vm | grep -vxF "$old")
same "two new node_vm instances" 2 "$(printf '%s\n' "$new" | grep -c .)"
joined=$(sed -n 's/^\(k8s_node_[a-z0-9]*\) node-join.sh .*/\1/p' "$REC" | sort)
hosts=$(for k in $joined; do bp status --json | python3 -c 'import json,sys; print([i["host"] for i in json.load(sys.stdin)["instances"] if i["id"]==sys.argv[1]][0])' "$k"; done | sort)
same "the joins ran for the new workers" "$(printf '%s\n' "$new" | sort)" "$hosts"

: >"$REC"
run 0 "scale node_vm -1" bp scale -d flagship node_vm -1
same "one worker fewer in Nova" 3 "$(servers node)"
same "one worker drained and removed, on the master" 1 "$(lines 'node-remove.sh drain=host-k8s_node_')"
same "and nothing else ran" 1 "$(wc -l <"$REC")"

net=$(osc network show "$P-network" -f value -c id)
: >"$REC"
run 0 "uninstall" bp uninstall -d flagship
same "every remaining worker drained" 3 "$(lines 'node-remove.sh')"
same "MongoDB stopped" 1 "$(lines ' stop.sh')"
same "no server left" 0 "$(osc server list --all-projects -f value -c Name | grep -c "^$P-" || true)"
same "no network, subnet, router, port or key pair left" "0 0 0 0 0" \
	"$(count_named network "$P-") $(count_named subnet "$P-") $(count_named router "$P-") $(count_named port "$P-") $(count_named keypair "$P-")"
same "no port left on the test's network" 0 "$(osc port list --network "$net" -f value -c ID 2>/dev/null | wc -l)"
same "no security group left" 0 "$(osc security group list -f value -c Name | grep -c "^$P-" || true)"
same "no Kubernetes object left in the namespace" "" \
	"$(kc -n "$NS" get deployments,services,replicasets,pods -o name 2>/dev/null | grep -v '^service/kubernetes$')"
kc delete namespace "$NS" --wait=false >/dev/null 2>&1
done_testing
