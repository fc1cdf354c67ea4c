#!/bin/sh
# t4105-k8s-faults.sh: the faults a real API server does not make on
# demand, injected by tests/tools/faultproxy.py between the plugin and
# `kubectl proxy`: 429 with Retry-After (waited for), 503 and 500 (retried
# with backoff), a connection reset during the apply and during the delete
# (retried: both are idempotent), slow answers; a server that keeps
# answering 503 fails the operation with the status and the attempts.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
. "$(dirname "$0")/../lib/k8s.sh"

kc create namespace "$NS" >/dev/null
RULES="$TMP/rules.json"
LOG="$TMP/proxy.jsonl"
echo '[]' >"$RULES"
python3 "$BP_SRC/tests/tools/faultproxy.py" --upstream "$K8S_PROXY_URL" \
	--port-file "$TMP/port" --rules "$RULES" --log "$LOG" 2>"$TMP/proxy.err" &
proxy_pid=$!
trap 'kill $proxy_pid 2>/dev/null; k8s_cleanup' EXIT
check "the fault proxy is up" wait_for 100 test -s "$TMP/port"
URL="http://127.0.0.1:$(cat "$TMP/port")"

mkdir -p "$TMP/bp"
cat >"$TMP/bp/app.yaml" <<EOF2
tosca_definitions_version: cloudify_dsl_1_3
imports:
  - http://www.getcloudify.org/spec/cloudify/6.4.0/types.yaml
  - plugin:cloudify-kubernetes-plugin
node_templates:
  cm:
    type: cloudify.nodes.kubernetes.resources.ConfigMap
    properties:
      client_config:
        configuration:
          api_options: {host: "$URL"}
      options: {namespace: $NS}
      definition:
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data: {a: b}
EOF2

# rules JSON: replaces the proxy's rules (written beside, renamed over)
rules() { printf '%s\n' "$1" >"$RULES.new" && mv "$RULES.new" "$RULES"; }
# logged METHOD PATH-REGEX: "fault/status" of each matching request, in order
logged() {
	python3 - "$LOG" "$1" "$2" <<'PY'
import json, re, sys
out = []
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["method"] == sys.argv[2] and re.search(sys.argv[3], r["path"]):
        out.append("%s/%s" % (r["fault"], r["status"]))
print(" ".join(out))
PY
}
# gap METHOD PATH-REGEX: seconds between the first two matching requests
gap() {
	python3 - "$LOG" "$1" "$2" <<'PY'
import json, re, sys
t = [json.loads(l)["t"] for l in open(sys.argv[1])
     if json.loads(l)["method"] == sys.argv[2] and re.search(sys.argv[3], json.loads(l)["path"])]
print(int(t[1] - t[0] >= 1.0))
PY
}

rules '[{"method": "PATCH", "path": "configmaps/settings", "fault": "status", "status": 429, "retry_after": "1",
         "body": "{\"kind\":\"Status\",\"reason\":\"TooManyRequests\",\"message\":\"slow down\"}"},
        {"method": "GET", "path": "^/api/v1$", "fault": "status", "status": 503, "count": 2},
        {"method": "PATCH", "path": "configmaps/settings", "skip": 1, "fault": "reset"},
        {"method": "GET", "path": "configmaps/settings", "fault": "delay", "delay_ms": 300, "count": -1}]'
run 0 "install through 429, 503 and a reset" "$BLUEPRINT" install "$TMP/bp/app.yaml" -d faults
same "kubectl sees the object" "b" "$(kc -n "$NS" get configmap settings -o jsonpath='{.data.a}')"
same "discovery was retried after two 503s" "status/503 status/503 None/200" \
	"$(logged GET '^/api/v1$')"
same "the apply: 429, reset, then done" "status/429 reset/None None/201" \
	"$(logged PATCH 'configmaps/settings')"
same "Retry-After was waited for" "1" "$(gap PATCH 'configmaps/settings')"
run 0 "events" "$BLUEPRINT" events -d faults
check "each retry is in the events" has out -q "HTTP 429, retrying in 1.0 s"

: >"$LOG"
rules '[{"method": "DELETE", "fault": "status", "status": 500, "count": 1,
         "body": "{\"kind\":\"Status\",\"message\":\"etcd hiccup\"}"},
        {"method": "DELETE", "skip": 1, "fault": "reset"}]'
run 0 "uninstall through a 500 and a reset" "$BLUEPRINT" uninstall -d faults
check "the delete: 500, reset, accepted, then gone (404)" \
	sh -c 'printf "%s\n" "$1" | grep -qx "status/500 reset/None None/200\( None/200\)* None/404"' - \
	"$(logged DELETE settings)"
check "the object is gone" k8s_gone configmap settings "$NS"

: >"$LOG"
rules '[{"fault": "status", "status": 503, "count": -1, "body": "{\"kind\":\"Status\",\"reason\":\"ServiceUnavailable\",\"message\":\"down for maintenance\"}"}]'
run 1 "a server that stays unavailable fails the install" \
	"$BLUEPRINT" install "$TMP/bp/app.yaml" -d down --max-retries 0
check "with the API's message and the attempts" has err -q \
	"HTTP 503 ServiceUnavailable: down for maintenance (after 5 attempts)"
done_testing
