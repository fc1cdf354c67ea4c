#!/bin/sh
# t4106-k8s-readiness.sh: waiting the way kubectl does, when the answer is
# no: a Job whose pod fails fails the install with the Job's condition
# message; a rollout that cannot progress fails once it passes its
# progressDeadlineSeconds, with the Deployment's condition message; a Pod
# that never gets a node fails after wait_timeout; with
# validate_resource_status false the same Pod is created and not waited for.
# (The fake kubelet fails a pod annotated blueprint.test/exit-code and
# never places one whose nodeSelector matches no node.)
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
. "$(dirname "$0")/../lib/k8s.sh"

kc create namespace "$NS" >/dev/null
mkdir -p "$TMP/bp"
# blueprint NAME TYPE PROPERTIES DEFINITION
blueprint() {
	cat >"$TMP/bp/$1.yaml" <<EOF2
tosca_definitions_version: cloudify_dsl_1_3
imports:
  - http://www.getcloudify.org/spec/cloudify/6.4.0/types.yaml
  - plugin:cloudify-kubernetes-plugin
node_templates:
  it:
    type: cloudify.nodes.kubernetes.resources.$2
    properties:
      options: {namespace: $NS}
$3
      definition:
$4
EOF2
}

blueprint job Job "" "        apiVersion: batch/v1
        kind: Job
        metadata: {name: fails}
        spec:
          backoffLimit: 0
          template:
            metadata: {annotations: {blueprint.test/exit-code: \"2\"}}
            spec:
              restartPolicy: Never
              containers: [{name: main, image: busybox}]"
run 1 "a failing Job fails the install" "$BLUEPRINT" install "$TMP/bp/job.yaml" -d job
check "with the Job's condition" has err -q \
	"Job 'fails' in namespace '$NS': the job failed: BackoffLimitExceeded: Job has reached the specified backoff limit"
run 0 "uninstall of the failed Job" "$BLUEPRINT" uninstall -d job
check "the Job is gone" k8s_gone job fails "$NS"

blueprint stuck Deployment "" "        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: stuck}
        spec:
          progressDeadlineSeconds: 2
          selector: {matchLabels: {app: stuck}}
          template:
            metadata: {labels: {app: stuck}}
            spec:
              nodeSelector: {no-such-label: \"true\"}
              containers: [{name: main, image: busybox}]"
run 1 "a rollout past its progress deadline fails" "$BLUEPRINT" install "$TMP/bp/stuck.yaml" -d stuck
check "with the Deployment's condition message" has err -q \
	"Deployment 'stuck' in namespace '$NS': rollout exceeded its progress deadline: ReplicaSet \"stuck-[a-z0-9]*\" has timed out progressing"
run 0 "uninstall of the stuck Deployment" "$BLUEPRINT" uninstall -d stuck
check "its pods are gone too (foreground deletion)" \
	sh -c '[ -z "$(kubectl --kubeconfig="$KUBECONFIG" -n "$1" get pods -o name)" ]' - "$NS"

blueprint bounded Pod "      wait_timeout: 2
      wait_interval: 1" "        apiVersion: v1
        kind: Pod
        metadata: {name: nowhere}
        spec:
          nodeSelector: {no-such-label: \"true\"}
          containers: [{name: main, image: busybox}]"
run 1 "a Pod that never gets a node fails after wait_timeout" \
	"$BLUEPRINT" install "$TMP/bp/bounded.yaml" -d bounded
check "saying what it waited for" has err -q \
	"Pod 'nowhere' in namespace '$NS' is not ready after [0-9]* s: the pod is Pending and not ready"
run 0 "uninstall" "$BLUEPRINT" uninstall -d bounded

blueprint nowait Pod "      validate_resource_status: false" "        apiVersion: v1
        kind: Pod
        metadata: {name: nowhere}
        spec:
          nodeSelector: {no-such-label: \"true\"}
          containers: [{name: main, image: busybox}]"
run 0 "with validate_resource_status false it is not waited for" \
	"$BLUEPRINT" install "$TMP/bp/nowait.yaml" -d nowait
same "and is still Pending" "Pending" "$(kc -n "$NS" get pod nowhere -o jsonpath='{.status.phase}')"
run 0 "uninstall" "$BLUEPRINT" uninstall -d nowait
same "nothing of this test is left but its namespace" "Namespace $NS <none>" "$(k8s_objects | grep -v '^ServiceAccount\|^Secret\|^ConfigMap')"
done_testing
