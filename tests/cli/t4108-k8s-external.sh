#!/bin/sh
# t4108-k8s-external.sh: use_external_resource, as Cloudify means it: an
# object made by someone else is used as it is (its runtime properties
# read, nothing applied) and left alone by uninstall; a missing one fails,
# unless create_if_missing, which applies it (and still leaves it).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
. "$(dirname "$0")/../lib/k8s.sh"

kc create namespace "$NS" >/dev/null
kc -n "$NS" create configmap theirs --from-literal=owner=them >/dev/null
mkdir -p "$TMP/bp"
# blueprint NAME CONFIGMAP EXTRA-PROPERTIES
blueprint() {
	cat >"$TMP/bp/$1.yaml" <<EOF2
tosca_definitions_version: cloudify_dsl_1_3
imports:
  - http://www.getcloudify.org/spec/cloudify/6.4.0/types.yaml
  - plugin:cloudify-kubernetes-plugin
node_templates:
  cm:
    type: cloudify.nodes.kubernetes.resources.ConfigMap
    properties:
      use_external_resource: true
      options: {namespace: $NS}
$3
      definition:
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: $2}
        data: {owner: us}
outputs:
  uid: {value: {get_attribute: [cm, uid]}}
EOF2
}
blueprint existing theirs ""
run 0 "install using an existing object" "$BLUEPRINT" install "$TMP/bp/existing.yaml" -d existing
same "which is left as it was" "them" "$(kc -n "$NS" get configmap theirs -o jsonpath='{.data.owner}')"
run 0 "outputs" "$BLUEPRINT" outputs -d existing --json
same "its uid is read" "\"$(kc -n "$NS" get configmap theirs -o jsonpath='{.metadata.uid}')\"" "$(field .uid)"
run 0 "uninstall" "$BLUEPRINT" uninstall -d existing
check "leaves it" k8s_exists configmap theirs "$NS"

blueprint missing nosuch ""
run 1 "a missing external object fails" "$BLUEPRINT" install "$TMP/bp/missing.yaml" -d missing
check "saying so" has err -q "ConfigMap 'nosuch' in namespace '$NS' does not exist, and use_external_resource is true"
blueprint created made "      create_if_missing: true"
run 0 "with create_if_missing it is made" "$BLUEPRINT" install "$TMP/bp/created.yaml" -d created
same "as defined" "us" "$(kc -n "$NS" get configmap made -o jsonpath='{.data.owner}')"
run 0 "uninstall" "$BLUEPRINT" uninstall -d created
check "leaves it too" k8s_exists configmap made "$NS"
done_testing
