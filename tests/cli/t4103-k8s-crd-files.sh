#!/bin/sh
# t4103-k8s-crd-files.sh: a CustomResourceDefinition and a custom resource
# of it in one install (install waits for the CRD to be Established; the
# custom kind is found by discovery once it exists, after a miss); a file
# with several documents rendered with template_variables; a changed
# definition applied by `exec update`; check_status and check_drift.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
. "$(dirname "$0")/../lib/k8s.sh"

mkdir -p "$TMP/bp/manifests"
cat >"$TMP/bp/manifests/app.yaml" <<'EOF2'
apiVersion: v1
kind: ConfigMap
metadata: {name: app-config}
data: {greeting: "{{ greeting }}"}
---
apiVersion: v1
kind: Secret
metadata: {name: app-secret}
stringData: {token: abc}
---
# a document may be empty
---
apiVersion: v1
kind: Service
metadata: {name: app}
spec:
  selector: {app: app}
  ports: [{port: 8080, protocol: TCP}]
EOF2
cat >"$TMP/bp/app.yaml" <<'EOF2'
tosca_definitions_version: cloudify_dsl_1_3
imports:
  - http://www.getcloudify.org/spec/cloudify/6.4.0/types.yaml
  - plugin:cloudify-kubernetes-plugin
inputs:
  ns: {type: string}
node_templates:
  ns:
    type: cloudify.nodes.kubernetes.resources.Namespace
    properties:
      definition:
        apiVersion: v1
        kind: Namespace
        metadata: {name: {get_input: ns}}
  crd:
    type: cloudify.nodes.kubernetes.resources.CustomResourceDefinition
    properties:
      definition:
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: {concat: [widgets., {get_input: ns}, .example.com]}}
        spec:
          group: {concat: [{get_input: ns}, .example.com]}
          scope: Namespaced
          names: {plural: widgets, singular: widget, kind: Widget}
          versions:
            - name: v1
              served: true
              storage: true
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    spec:
                      type: object
                      properties:
                        size: {type: integer}
  widget:
    type: cloudify.nodes.kubernetes.resources.CustomObject
    properties:
      options:
        namespace: {get_input: ns}
        group: {concat: [{get_input: ns}, .example.com]}
        version: v1
        plural: widgets
      definition:
        kind: Widget
        metadata: {name: w1}
        spec: {size: 3}
    relationships:
      - {type: cloudify.relationships.depends_on, target: crd}
      - {type: cloudify.relationships.depends_on, target: ns}
  files:
    type: cloudify.nodes.kubernetes.resources.FileDefinedResource
    properties:
      options: {namespace: {get_input: ns}}
      file:
        resource_path: manifests/app.yaml
        template_variables: {greeting: hello}
    relationships:
      - {type: cloudify.relationships.depends_on, target: ns}
outputs:
  resources: {value: {get_attribute: [files, resources]}}
  widget_uid: {value: {get_attribute: [widget, uid]}}
EOF2

run 0 "install of a CRD, a custom resource and a file of objects" \
	"$BLUEPRINT" install "$TMP/bp/app.yaml" -d crd -i "ns=$NS"
same "the CRD is established" "True" \
	"$(kc get crd "widgets.$NS.example.com" -o jsonpath='{.status.conditions[?(@.type=="Established")].status}')"
same "kubectl sees the custom resource" "3" \
	"$(kc -n "$NS" get "widgets.$NS.example.com" w1 -o jsonpath='{.spec.size}')"
same "the file's objects, rendered" "hello" \
	"$(kc -n "$NS" get configmap app-config -o jsonpath='{.data.greeting}')"
check "the secret" k8s_exists secret app-secret "$NS"
check "the service" k8s_exists service app "$NS"
run 0 "outputs" "$BLUEPRINT" outputs -d crd --json
same "the file node records each object" '["ConfigMap", "Secret", "Service"]' \
	"$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.dumps([r["kind"] for r in json.load(sys.stdin)["resources"]]))')"
same "the custom resource's uid" "\"$(kc -n "$NS" get "widgets.$NS.example.com" w1 -o jsonpath='{.metadata.uid}')\"" \
	"$(field .widget_uid)"

run 0 "check_status" "$BLUEPRINT" exec check_status -d crd
run 0 "check_drift with nothing changed" "$BLUEPRINT" exec cloudify.interfaces.validation.check_drift -d crd --node widget
kc -n "$NS" patch "widgets.$NS.example.com" w1 --type merge -p '{"spec":{"size":9}}' >/dev/null
run 0 "check_drift after kubectl changed it" "$BLUEPRINT" exec cloudify.interfaces.validation.check_drift -d crd --node widget
run 0 "events" "$BLUEPRINT" events -d crd
check "the drift is reported" has out -q "drift: \[\"Widget 'w1' in namespace '$NS'\"\]"
check "and none before" has out -q 'drift: \[\]'

run 0 "exec update with changes" "$BLUEPRINT" exec update -d crd --node widget \
	-p 'resource_definition_changes={spec: {size: 5}}'
same "the custom resource is updated" "5" \
	"$(kc -n "$NS" get "widgets.$NS.example.com" w1 -o jsonpath='{.spec.size}')"

run 0 "uninstall" "$BLUEPRINT" uninstall -d crd
same "nothing of this test is left" "" "$(k8s_objects)"
check "the CRD is gone" k8s_gone crd "widgets.$NS.example.com"
done_testing
