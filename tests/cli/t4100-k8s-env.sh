#!/bin/sh
# t4100-k8s-env.sh: the test cluster itself (tests/env/k8s-up.sh): the
# build is cached (a second build returns at once), two k8s-up.sh at the
# same time make one cluster, a second call reuses a healthy one, every
# server binds 127.0.0.1 only, kubectl and the proxy work, the fake
# kubelet's node is Ready, and k8s-down.sh stops every process it
# started. Runs a cluster of its own in a private directory, so the
# shared one is never stopped under another test.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
if [ "${BLUEPRINT_SKIP_CLOUD:-0}" = 1 ]; then
	echo "1..0 # skip BLUEPRINT_SKIP_CLOUD=1: no Kubernetes cluster tests"
	exit 0
fi
ENV="$BP_SRC/tests/env"
export BP_K8S_RUN="$TMP/run"
trap 'RESET=1 "$ENV/k8s-down.sh"; rm -rf "$TMP"' EXIT

run 0 "the build (cached after the first)" "$ENV/k8s-build.sh"
bin=$out
check "kube-apiserver is there" test -x "$bin/kube-apiserver"
check "kube-controller-manager is there" test -x "$bin/kube-controller-manager"

"$ENV/k8s-up.sh" >"$TMP/up1" 2>"$TMP/err1" & p1=$!
"$ENV/k8s-up.sh" >"$TMP/up2" 2>"$TMP/err2" & p2=$!
wait $p1; rc1=$?; wait $p2; rc2=$?
same "two k8s-up.sh at once both succeed" "0 0" "$rc1 $rc2"
[ "$rc1" = 0 ] || diag "$(cat "$TMP/err1")"
same "and name the same environment" "$(cat "$TMP/up1")" "$(cat "$TMP/up2")"
pids=$(cat "$BP_K8S_RUN"/*.pid | sort | tr '\n' ' ')
check "one set of processes" test "$(printf '%s' "$pids" | wc -w)" = 5
. "$(cat "$TMP/up1")"
run 0 "a second call" "$ENV/k8s-up.sh"
same "reuses the running cluster" "$pids" "$(cat "$BP_K8S_RUN"/*.pid | sort | tr '\n' ' ')"

run 0 "kubectl reaches the API server" kubectl --kubeconfig="$KUBECONFIG" get --raw /readyz
same "ready" "ok" "$out"
run 0 "the proxy needs no credentials" curl -sf "$K8S_PROXY_URL/api/v1/namespaces/default"
same "the fake node is Ready" "True" \
	"$(kubectl --kubeconfig="$KUBECONFIG" get node "$K8S_FAKE_NODE" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')"
listening=$(for p in $pids; do ss -Hltnp 2>/dev/null | grep "pid=$p," | awk '{print $4}'; done)
check "the servers listen" test -n "$listening"
same "on 127.0.0.1 only" "" "$(printf '%s\n' "$listening" | grep -v '^127\.0\.0\.1:')"

run 0 "k8s-down.sh" "$ENV/k8s-down.sh"
alive=""
for p in $pids; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
same "stops every process it started" "" "$alive"
done_testing
