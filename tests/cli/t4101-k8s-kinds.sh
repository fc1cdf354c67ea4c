#!/bin/sh
# t4101-k8s-kinds.sh: every named kind of types/kubernetes.yaml against the
# real API server (tests/data/k8s/kinds.yaml): install applies each one and
# waits until kubectl would call it ready (Deployment, StatefulSet and
# DaemonSet rolled out, Job complete, Pod Ready, LoadBalancer address,
# PVC Bound, Namespace Active), kubectl sees them, their runtime
# properties reach the outputs; uninstall leaves nothing of them in any
# namespace or the cluster.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
. "$(dirname "$0")/../lib/k8s.sh"

before=$(k8s_objects)
same "nothing of this test exists before" "" "$before"

run 0 "install of every kind" "$BLUEPRINT" install "$BP_SRC/tests/data/k8s/kinds.yaml" \
	-d kinds -i "ns=$NS"
for o in configmap/settings secret/creds serviceaccount/runner role/reader \
	rolebinding/runner-reads deployment/web statefulset/db daemonset/agent \
	service/web pod/single job/migrate cronjob/nightly pvc/data ingress/web; do
	check "kubectl sees $o" k8s_exists "${o%/*}" "${o#*/}" "$NS"
done
check "kubectl sees the cluster role" k8s_exists clusterrole "$NS-nodes"
check "kubectl sees the cluster role binding" k8s_exists clusterrolebinding "$NS-nodes"
same "the deployment is rolled out" "2" \
	"$(kc -n "$NS" get deployment web -o jsonpath='{.status.availableReplicas}')"
same "the statefulset is ready" "2" \
	"$(kc -n "$NS" get statefulset db -o jsonpath='{.status.readyReplicas}')"
same "the daemonset runs on the node" "1" \
	"$(kc -n "$NS" get daemonset agent -o jsonpath='{.status.numberAvailable}')"
same "the job completed" "True" \
	"$(kc -n "$NS" get job migrate -o jsonpath='{.status.conditions[?(@.type=="Complete")].status}')"
same "the pvc is bound" "Bound" "$(kc -n "$NS" get pvc data -o jsonpath='{.status.phase}')"
same "the objects are managed by apply as 'blueprint'" "blueprint" \
	"$(kc -n "$NS" get configmap settings -o jsonpath='{.metadata.managedFields[0].manager}')"

run 0 "outputs" "$BLUEPRINT" outputs -d kinds --json
same "ready replicas" "2" "$(field .ready_replicas)"
same "cluster IP" "\"$(kc -n "$NS" get service web -o jsonpath='{.spec.clusterIP}')\"" \
	"$(field .cluster_ip)"
same "load balancer address" \
	"\"$(kc -n "$NS" get service web -o jsonpath='{.status.loadBalancer.ingress[0].ip}')\"" \
	"$(field .lb)"
same "PVC volume" "\"$NS-vol\"" "$(field .volume)"
same "configmap uid" "\"$(kc -n "$NS" get configmap settings -o jsonpath='{.metadata.uid}')\"" \
	"$(field .cm_uid)"
check "pod IP" sh -c 'test "$1" != null' - "$(field .pod_ip)"

run 0 "uninstall" "$BLUEPRINT" uninstall -d kinds
same "nothing of this test is left, in any namespace or the cluster" "" "$(k8s_objects)"
done_testing
