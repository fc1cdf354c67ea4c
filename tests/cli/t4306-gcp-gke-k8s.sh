#!/bin/sh
# t4306-gcp-gke-k8s.sh: Kubernetes resources on a GKE cluster made in the
# same install, reached with a Google access token. The fake GCP plays
# GKE with the real test kube-apiserver as its cluster's endpoint (its CA)
# and an OAuth endpoint that, after verifying the JWT's signature, issues
# the apiserver's system:masters token as the access token - as a real GKE
# accepts Google's tokens. A Deployment and a Service related to the
# cluster node take its endpoint, CA and a token for its credentials; a
# ConfigMap names the cluster the way Cloudify's GKE blueprints do
# (client_config.authentication.gcp_service_account, api_options.host from
# get_attribute of the endpoint, ssl_ca_cert the cluster's base64 CA), and
# another is managed_by a Master node whose authentication is that key.
# No kubeconfig is reachable, so the apiserver saw only Google tokens;
# each came from a verified JWT, and one per credentials per plugin
# (cached). A token the apiserver does not know fails with 401 naming
# the cluster node. Uninstall leaves nothing in Kubernetes nor in GCP.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
. "$BP_SRC/tests/fakes/gcp/env.sh"
. "$(dirname "$0")/../lib/k8s.sh"
trap 'k8s_cleanup; _gcp_stop' EXIT

kc create namespace "$NS" >/dev/null
TOKENS="$TMP/tokens.jsonl"
gcp_fake_start --op-seconds 0.2 --gke-endpoint "${K8S_SERVER#https://}" \
	--gke-ca "$K8S_CA" --issue-token "$K8S_TOKEN" --token-log "$TOKENS"
mkdir -p "$TMP/home"
python3 -c 'import json, sys; print("gcp_key: " + json.dumps(open(sys.argv[1]).read()))' \
	"$GOOGLE_APPLICATION_CREDENTIALS" >"$TMP/inputs.yaml"

# bp RUN...: blueprint with no kubeconfig anywhere (no KUBECONFIG, an
# empty HOME): the only way to the cluster is through the GKE node.
bp() { env -u KUBECONFIG HOME="$TMP/home" "$BLUEPRINT" "$@"; }

cat >"$TMP/gke.yaml" <<EOF
tosca_definitions_version: cloudify_dsl_1_3
imports:
  - http://www.getcloudify.org/spec/cloudify/6.4.0/types.yaml
  - plugin:cloudify-gcp-plugin
  - plugin:cloudify-kubernetes-plugin
inputs:
  gcp_key: {type: string}
node_templates:
  gke:
    type: cloudify.nodes.gcp.KubernetesCluster
    properties: {gcp_config: {zone: us-central1-a}, name: render-gke}
  web:
    type: cloudify.kubernetes.resources.Deployment
    properties:
      options: {namespace: $NS}
      definition:
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 1
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: nginx:1.25}]}
    relationships:
      - {type: cloudify.relationships.connected_to, target: gke}
  web-svc:
    type: cloudify.kubernetes.resources.Service
    properties:
      options: {namespace: $NS}
      definition:
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec: {selector: {app: web}, ports: [{port: 80, protocol: TCP}]}
    relationships:
      - {type: cloudify.relationships.depends_on, target: gke}
      - {type: cloudify.relationships.depends_on, target: web}
  settings:
    type: cloudify.kubernetes.resources.ConfigMap
    properties:
      client_config:
        authentication:
          gcp_service_account: {get_input: gcp_key}
        configuration:
          api_options:
            host: {concat: ['https://', {get_attribute: [gke, endpoint]}]}
            ssl_ca_cert: {get_attribute: [gke, masterAuth, clusterCaCertificate]}
      options: {namespace: $NS}
      definition:
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data: {quality: high}
    relationships:
      - {type: cloudify.relationships.depends_on, target: gke}
  master:
    type: cloudify.kubernetes.nodes.Master
    properties:
      configuration:
        api_options:
          host: {get_attribute: [gke, api_server]}
          ssl_ca_cert: {get_attribute: [gke, ca_cert]}
      authentication:
        gcp_service_account: {get_input: gcp_key}
    relationships:
      - {type: cloudify.relationships.depends_on, target: gke}
  via-master:
    type: cloudify.kubernetes.resources.ConfigMap
    properties:
      options: {namespace: $NS}
      definition:
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: via-master}
        data: {path: master}
    relationships:
      - {type: cloudify.relationships.kubernetes.managed_by_master, target: master}
outputs:
  cluster_ip: {value: {get_attribute: [web-svc, cluster_ip]}}
EOF

# tokens [PYTHON-EXPR]: the token log as a list t of entries, or EXPR.
tokens() {
	python3 - "$TOKENS" "${1:-t}" <<'PY'
import json, sys
t = [json.loads(l) for l in open(sys.argv[1])] if sys.argv[1] else []
print(json.dumps(eval(sys.argv[2]), sort_keys=True))
PY
}
want_sha=$(printf '%s' "$K8S_TOKEN" | sha256sum | cut -d' ' -f1)

run 0 "install: a GKE cluster and Kubernetes resources on it" \
	bp install "$TMP/gke.yaml" -d gke -i "$TMP/inputs.yaml"
same "kubectl sees the Deployment, ready" 1 \
	"$(kc -n "$NS" get deployment web -o jsonpath='{.status.readyReplicas}' 2>/dev/null)"
svc_ip=$(kc -n "$NS" get service web -o jsonpath='{.spec.clusterIP}' 2>/dev/null)
check "kubectl sees the Service" test -n "$svc_ip"
run 0 "outputs" bp outputs -d gke --json
same "the Service's cluster IP reached the outputs" "\"$svc_ip\"" "$(field cluster_ip)"
same "kubectl sees the ConfigMap of the gcp_service_account client_config" high \
	"$(kc -n "$NS" get configmap settings -o jsonpath='{.data.quality}' 2>/dev/null)"
same "kubectl sees the ConfigMap of the Master with gcp authentication" master \
	"$(kc -n "$NS" get configmap via-master -o jsonpath='{.data.path}' 2>/dev/null)"
same "every token came from a JWT the fake verified for the service account" \
	"[[\"urn:ietf:params:oauth:grant-type:jwt-bearer\", \"$GCP_SA\", true, \"$want_sha\"]]" \
	"$(tokens 'sorted(set(json.dumps([e["grant_type"], e.get("iss"), e.get("verified"), e.get("token_sha256")]) for e in t))' |
		python3 -c 'import json,sys; print(json.dumps([json.loads(x) for x in json.load(sys.stdin)]))')"
same "one token per credentials per plugin (gcp; kubernetes: the cluster's ADC and the key of client_config and the Master)" \
	3 "$(tokens 'len(t)')"

# A token the cluster does not know: 401, fatal at once, naming the node.
gcp_config '{"issue_token": "ya29.unknown-to-the-cluster"}'
cat >"$TMP/bad.yaml" <<EOF
tosca_definitions_version: cloudify_dsl_1_3
imports:
  - http://www.getcloudify.org/spec/cloudify/6.4.0/types.yaml
  - plugin:cloudify-gcp-plugin
  - plugin:cloudify-kubernetes-plugin
node_templates:
  other:
    type: cloudify.nodes.gcp.KubernetesCluster
    properties: {gcp_config: {zone: us-central1-a}, name: other-gke}
  cm:
    type: cloudify.kubernetes.resources.ConfigMap
    properties:
      options: {namespace: $NS}
      definition: {apiVersion: v1, kind: ConfigMap, metadata: {name: refused}}
    relationships:
      - {type: cloudify.relationships.connected_to, target: other}
EOF
run 1 "a Google token the cluster refuses fails the install" \
	bp install "$TMP/bad.yaml" -d bad --max-retries 0
check "the failure says 401 and names the GKE cluster node" \
	sh -c 'printf "%s\n" "$1" | grep -q "401" && printf "%s\n" "$1" | grep -q "GKE cluster node .other."' _ "$err$out"
check "nothing was made with it" k8s_gone configmap refused "$NS"
gcp_config "{\"issue_token\": \"$K8S_TOKEN\"}"
run 0 "uninstall of the refused one" bp uninstall -d bad

run 0 "uninstall" bp uninstall -d gke
check "the Deployment is gone" k8s_wait_gone deployment web "$NS"
check "the Service is gone" k8s_gone service web "$NS"
check "the ConfigMaps are gone" sh -c '! kubectl --kubeconfig="$1" -n "$2" get configmap settings via-master -o name 2>/dev/null | grep -q .' _ "$KUBECONFIG" "$NS"
same "nothing is left in the fake GCP" "" "$(gcp_stats "' '.join(s['live'])")"
same "uninstall's tokens were verified JWTs too" "[true]" \
	"$(tokens 'sorted(set(e.get("verified") for e in t))')"
done_testing
