#!/bin/sh
# t4107-k8s-example.sh: examples/k8s-app as its comment says to run it: a
# secret set with `blueprint secret set` reaches the Secret through
# get_secret (and never the events); ConfigMap, Secret, Deployment,
# Service and Ingress are created in order and the rollout waited for; the
# outputs give the Service's cluster IP and ports; scale_replicas on the
# Deployment node; uninstall leaves nothing in any namespace.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
. "$(dirname "$0")/../lib/k8s.sh"

BP="$BP_SRC/examples/k8s-app/blueprint.yaml"
run 0 "secret set" "$BLUEPRINT" secret set app_db_password 'p4ss-w0rd'
run 0 "install of the example" "$BLUEPRINT" install "$BP" -d app \
	-i "namespace=$NS" -i "kubeconfig=$KUBECONFIG" -i replicas=2
same "the Secret holds the secret" "p4ss-w0rd" \
	"$(kc -n "$NS" get secret shop-db -o jsonpath='{.data.DB_PASSWORD}' | base64 -d)"
same "the ConfigMap" "info" "$(kc -n "$NS" get configmap shop-settings -o jsonpath='{.data.LOG_LEVEL}')"
same "the Deployment rolled out" "2" \
	"$(kc -n "$NS" get deployment shop -o jsonpath='{.status.availableReplicas}')"
same "the Ingress routes to the Service" "shop" \
	"$(kc -n "$NS" get ingress shop -o jsonpath='{.spec.rules[0].http.paths[0].backend.service.name}')"
run 0 "outputs" "$BLUEPRINT" outputs -d app --json
same "cluster IP" "\"$(kc -n "$NS" get service shop -o jsonpath='{.spec.clusterIP}')\"" \
	"$(field .cluster_ip)"
same "ports" '[{"name": "http", "port": 80, "protocol": "TCP", "targetPort": 80}]' "$(field .ports)"
run 0 "events" "$BLUEPRINT" events -d app
check "the secret's value is in no event" sh -c '! printf "%s" "$1" | grep -q p4ss-w0rd' - "$out"
run 0 "scale_replicas on the Deployment node" "$BLUEPRINT" exec scale_replicas -d app --node web -p replicas=4
same "4 pods available" "4" "$(kc -n "$NS" get deployment shop -o jsonpath='{.status.availableReplicas}')"
run 0 "uninstall" "$BLUEPRINT" uninstall -d app
same "nothing of the example is left" "" "$(k8s_objects)"
done_testing
