#!/bin/sh
# t4102-k8s-workload.sh: the workload shortcut (blueprints/k8s-workload.yaml)
# on the real API server: name + image become a Deployment and a Service
# that kubectl sees, install waits for the rollout, the outputs carry the
# cluster IP and ports; server-side apply makes a second install of the
# same objects change nothing; scale_replicas changes the pods, not the
# node instances; update applies a changed definition; an invalid name
# fails with the API server's own validation message; uninstall of
# objects that are already gone is done.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
. "$(dirname "$0")/../lib/k8s.sh"

BP="$BP_SRC/blueprints/k8s-workload.yaml"
kc create namespace "$NS" >/dev/null

run 0 "install of the workload" "$BLUEPRINT" install "$BP" -d w1 \
	-i name=web -i image=nginx:1.25 -i replicas=2 -i "namespace=$NS"
check "kubectl sees the deployment" k8s_exists deployment web "$NS"
check "and the service" k8s_exists service web "$NS"
same "install waited for the rollout" "2" \
	"$(kc -n "$NS" get deployment web -o jsonpath='{.status.availableReplicas}')"
same "the container runs the image" "nginx:1.25" \
	"$(kc -n "$NS" get deployment web -o jsonpath='{.spec.template.spec.containers[0].image}')"
run 0 "outputs" "$BLUEPRINT" outputs -d w1 --json
same "the cluster IP is the service's" \
	"\"$(kc -n "$NS" get service web -o jsonpath='{.spec.clusterIP}')\"" "$(field .cluster_ip)"
same "the port" "80" "$(field .ports.0.port)"
same "ready replicas" "2" "$(field .ready_replicas)"

rv=$(kc -n "$NS" get deployment web -o jsonpath='{.metadata.resourceVersion}/{.metadata.generation}')
svc_rv=$(kc -n "$NS" get service web -o jsonpath='{.metadata.resourceVersion}')
run 0 "a second install of the same objects (another deployment)" "$BLUEPRINT" install "$BP" \
	-d w2 -i name=web -i image=nginx:1.25 -i replicas=2 -i "namespace=$NS"
same "changes nothing in the Deployment" "$rv" \
	"$(kc -n "$NS" get deployment web -o jsonpath='{.metadata.resourceVersion}/{.metadata.generation}')"
same "nor in the Service" "$svc_rv" \
	"$(kc -n "$NS" get service web -o jsonpath='{.metadata.resourceVersion}')"

run 0 "scale_replicas" "$BLUEPRINT" exec scale_replicas -d w1 -p replicas=3
same "the deployment has 3 replicas, available" "3/3" \
	"$(kc -n "$NS" get deployment web -o jsonpath='{.spec.replicas}/{.status.availableReplicas}')"
run 0 "status" "$BLUEPRINT" status -d w1 --json
same "still one node instance" "1" \
	"$(printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d if isinstance(d, list) else d.get("instances", d.get("node_instances", []))))')"

run 0 "uninstall of one deployment" "$BLUEPRINT" uninstall -d w2
check "deletes the objects" k8s_wait_gone deployment web "$NS"
run 0 "uninstall of the other: already gone is done" "$BLUEPRINT" uninstall -d w1

run 1 "an upper-case name fails" "$BLUEPRINT" install "$BP" -d bad \
	-i name=Web -i image=nginx:1.25 -i "namespace=$NS"
check "with the API server's validation message" has err -q \
	'Deployment.apps "Web" is invalid: \[metadata.name: Invalid value: "Web": a lowercase RFC 1123 subdomain'
check "with its status and reason" has err -q 'HTTP 422 Invalid: '
same "nothing was created" "" "$(kc -n "$NS" get deployments -o name)"
done_testing
