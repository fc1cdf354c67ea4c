#!/bin/sh
# t4104-k8s-kubeconfig.sh: every way of naming the cluster and the
# credentials, each used for a real install and uninstall of a ConfigMap:
# KUBECONFIG (one file, two merged files), the kubeconfig property (a map
# with certificate and CA data; a file with certificate, key and CA files
# and a context that is not the current one; YAML text), an exec
# credential plugin, insecure-skip-tls-verify, Cloudify's client_config
# (api_options with a CA path or PEM text; file_content), the in-cluster
# service account, a cluster node's runtime properties through
# get_attribute, and the Master node a resource is managed_by. A wrong token fails at once (401) and a user without
# rights too (403), each with a hint naming the credentials.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
. "$(dirname "$0")/../lib/k8s.sh"

kc create namespace "$NS" >/dev/null
b64() { base64 -w0 <"$1"; }
ADMIN_KC=$KUBECONFIG
mkdir -p "$TMP/bp/scripts" "$TMP/kc"

# blueprint NAME PROPERTIES: a blueprint of one ConfigMap "cm-NAME" whose
# node has PROPERTIES (YAML, indented 6) besides its definition.
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
      options: {namespace: $NS}
      definition:
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: cm-$1}
        data: {how: $1}
$2
EOF2
}

# variant NAME DESC [VAR=VALUE...]: installs blueprint NAME with the
# environment changed, checks kubectl sees its ConfigMap, uninstalls.
variant() {
	_n=$1 _d=$2; shift 2
	run 0 "$_d: install" env "$@" "$BLUEPRINT" install "$TMP/bp/$_n.yaml" -d "$_n"
	same "$_d: kubectl sees the object" "$_n" \
		"$(kc -n "$NS" get configmap "cm-$_n" -o jsonpath='{.data.how}' 2>/dev/null)"
	run 0 "$_d: uninstall" env "$@" "$BLUEPRINT" uninstall -d "$_n"
	check "$_d: the object is gone" k8s_gone configmap "cm-$_n" "$NS"
}

# KUBECONFIG: the admin's (token, CA file)
blueprint env ""
variant env "KUBECONFIG with a token and a CA file"

# two files merged: the first has the context, the second the rest
cat >"$TMP/kc/a" <<EOF2
apiVersion: v1
kind: Config
current-context: merged
contexts:
- name: merged
  context: {cluster: c, user: u, namespace: $NS}
EOF2
cat >"$TMP/kc/b" <<EOF2
apiVersion: v1
kind: Config
current-context: nosuch
clusters:
- name: c
  cluster: {server: "$K8S_SERVER", certificate-authority-data: $(b64 "$K8S_CA")}
users:
- name: u
  user: {token: $K8S_TOKEN}
EOF2
blueprint merged ""
variant merged "KUBECONFIG of two merged files" "KUBECONFIG=$TMP/kc/a:$TMP/kc/b"

# the kubeconfig property, a map: client certificate and CA as data
blueprint certdata "      kubeconfig:
        apiVersion: v1
        clusters: [{name: c, cluster: {server: \"$K8S_SERVER\", certificate-authority-data: $(b64 "$K8S_CA")}}]
        users: [{name: u, user: {client-certificate-data: $(b64 "$K8S_CLIENT_CERT"), client-key-data: $(b64 "$K8S_CLIENT_KEY")}}]
        contexts: [{name: x, context: {cluster: c, user: u}}]
        current-context: x"
variant certdata "kubeconfig map, client certificate and CA data" KUBECONFIG=/nonexistent

# the kubeconfig property, a file: certificate, key and CA files (relative
# to the kubeconfig), and a context that is not the current one
cp "$K8S_CA" "$TMP/kc/ca.crt"; cp "$K8S_CLIENT_CERT" "$TMP/kc/me.crt"; cp "$K8S_CLIENT_KEY" "$TMP/kc/me.key"
cat >"$TMP/kc/files" <<EOF2
apiVersion: v1
kind: Config
current-context: broken
clusters:
- {name: c, cluster: {server: "$K8S_SERVER", certificate-authority: ca.crt}}
- {name: nowhere, cluster: {server: "https://127.0.0.1:1"}}
users:
- {name: u, user: {client-certificate: me.crt, client-key: me.key}}
contexts:
- {name: broken, context: {cluster: nowhere, user: u}}
- {name: good, context: {cluster: c, user: u}}
EOF2
blueprint certfiles "      kubeconfig: $TMP/kc/files
      context: good"
variant certfiles "kubeconfig file, certificate and CA files, a chosen context" KUBECONFIG=/nonexistent

# an exec credential plugin that prints the token
cat >"$TMP/kc/cred.sh" <<EOF2
#!/bin/sh
case "\$KUBERNETES_EXEC_INFO" in *ExecCredential*) ;; *) exit 3;; esac
echo '{"apiVersion": "client.authentication.k8s.io/v1beta1", "kind": "ExecCredential", "status": {"token": "'"\$MY_TOKEN"'"}}'
EOF2
chmod +x "$TMP/kc/cred.sh"
cat >"$TMP/kc/exec" <<EOF2
apiVersion: v1
kind: Config
current-context: x
clusters: [{name: c, cluster: {server: "$K8S_SERVER", certificate-authority: ca.crt}}]
users:
- name: u
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: ./cred.sh
      env: [{name: MY_TOKEN, value: $K8S_TOKEN}]
contexts: [{name: x, context: {cluster: c, user: u}}]
EOF2
blueprint exec ""
variant exec "an exec credential plugin" "KUBECONFIG=$TMP/kc/exec"

# insecure-skip-tls-verify, as YAML text in the property
blueprint insecure "      kubeconfig: |
        clusters: [{name: c, cluster: {server: \"$K8S_SERVER\", insecure-skip-tls-verify: true}}]
        users: [{name: u, user: {token: $K8S_TOKEN}}]
        contexts: [{name: x, context: {cluster: c, user: u}}]
        current-context: x"
variant insecure "kubeconfig text with insecure-skip-tls-verify" KUBECONFIG=/nonexistent

# Cloudify's client_config: api_options with a CA path, then with PEM text
blueprint apipath "      client_config:
        configuration:
          api_options: {host: \"$K8S_SERVER\", api_key: \"$K8S_TOKEN\", ssl_ca_cert: $K8S_CA}"
variant apipath "client_config api_options, CA path" KUBECONFIG=/nonexistent
blueprint apipem "      client_config:
        configuration:
          api_options:
            host: \"$K8S_SERVER\"
            api_key: \"Bearer $K8S_TOKEN\"
            ssl_ca_cert: |
$(sed 's/^/              /' "$K8S_CA")"
variant apipem "client_config api_options, CA as PEM text" KUBECONFIG=/nonexistent
blueprint content "      client_config:
        configuration:
          file_content:
$(sed 's/^/            /' "$ADMIN_KC")"
variant content "client_config file_content" KUBECONFIG=/nonexistent

# the in-cluster service account
mkdir -p "$TMP/sa"
printf '%s\n' "$K8S_TOKEN" >"$TMP/sa/token"; cp "$K8S_CA" "$TMP/sa/ca.crt"
blueprint incluster ""
port=${K8S_SERVER##*:}
variant incluster "the in-cluster service account" KUBECONFIG= HOME="$TMP" \
	KUBERNETES_SERVICE_HOST=127.0.0.1 KUBERNETES_SERVICE_PORT="$port" \
	BLUEPRINT_KUBERNETES_SA_DIR="$TMP/sa"

# a cluster node made earlier in the install: its runtime properties
cat >"$TMP/bp/scripts/cluster.sh" <<EOF2
#!/bin/sh
ctx instance runtime_properties endpoint "$K8S_SERVER"
ctx instance runtime_properties token "$K8S_TOKEN"
ctx instance runtime_properties ca_cert "\$(cat "$K8S_CA")"
EOF2
chmod +x "$TMP/bp/scripts/cluster.sh"
blueprint fromnode "      client_config:
        configuration:
          api_options:
            host: {get_attribute: [cluster, endpoint]}
            api_key: {get_attribute: [cluster, token]}
            ssl_ca_cert: {get_attribute: [cluster, ca_cert]}
    relationships:
      - {type: cloudify.relationships.kubernetes.managed_by_master, target: cluster}
  cluster:
    type: cloudify.nodes.Root
    interfaces:
      cloudify.interfaces.lifecycle:
        create: scripts/cluster.sh"
variant fromnode "a cluster node's runtime properties" KUBECONFIG=/nonexistent

# Cloudify's way: no client_config on the resource; the Master node it is
# managed_by carries the configuration, from a node made earlier
blueprint master "    relationships:
      - {type: cloudify.kubernetes.relationships.managed_by_master, target: master}
  master:
    type: cloudify.kubernetes.nodes.Master
    properties:
      configuration:
        api_options:
          host: {get_attribute: [cluster, endpoint]}
          api_key: {get_attribute: [cluster, token]}
          ssl_ca_cert: {get_attribute: [cluster, ca_cert]}
    relationships:
      - {type: cloudify.relationships.depends_on, target: cluster}
  cluster:
    type: cloudify.nodes.Root
    interfaces:
      cloudify.interfaces.lifecycle:
        create: scripts/cluster.sh"
variant master "the Master node it is managed_by" KUBECONFIG=/nonexistent

# wrong credentials: fatal at once, with a hint
blueprint badtoken "      client_config:
        configuration:
          api_options: {host: \"$K8S_SERVER\", api_key: wrong-token, ssl_ca_cert: $K8S_CA}"
run 1 "a wrong token fails" "$BLUEPRINT" install "$TMP/bp/badtoken.yaml" -d badtoken
check "with 401 and a hint about the credentials" has err -q \
	"HTTP 401.*did not accept the credentials of client_config.configuration.api_options"
blueprint nobody "      client_config:
        configuration:
          api_options: {host: \"$K8S_SERVER\", api_key: \"$K8S_NOBODY_TOKEN\", ssl_ca_cert: $K8S_CA}"
run 1 "a user without rights fails" "$BLUEPRINT" install "$TMP/bp/nobody.yaml" -d nobody
check "with 403, the API's message and a hint" has err -q \
	'HTTP 403 Forbidden: .*"nobody" cannot .*lacks the rights'
run 0 "events of the 403" "$BLUEPRINT" events -d nobody
check "it was not retried" sh -c '[ "$(printf "%s\n" "$1" | grep -c "HTTP 403")" -le 2 ]' - "$out"
blueprint nowhere "      kubeconfig: $TMP/kc/files"
run 1 "an unreachable server fails" "$BLUEPRINT" install "$TMP/bp/nowhere.yaml" -d nowhere \
	--max-retries 0
check "saying so" has err -q "cannot reach the API server https://127.0.0.1:1"
done_testing
