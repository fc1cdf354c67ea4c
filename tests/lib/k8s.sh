# k8s.sh: for the Kubernetes plugin's tests (tests/cli/t41xx, sourced after
# tap.sh and state.sh). Brings the test cluster up (tests/env/k8s-up.sh:
# a real kube-apiserver, built and cached on first use) and leaves it
# running for the next test; a cluster that cannot come up fails the test.
# BLUEPRINT_SKIP_CLOUD=1 skips instead, with a TAP skip line.
#
# Gives: the cluster's variables (KUBECONFIG, K8S_SERVER, K8S_TOKEN, K8S_CA,
# K8S_CLIENT_CERT/KEY, K8S_NOBODY_TOKEN, K8S_PROXY_URL), $NS (a namespace
# name of this test's own, "bp-t41NN-RANDOM": objects of a test carry it in
# their namespace or name, so tests running at once never see each
# other's), kc (kubectl on the cluster), and the helpers below.

if [ "${BLUEPRINT_SKIP_CLOUD:-0}" = 1 ]; then
	echo "1..0 # skip BLUEPRINT_SKIP_CLOUD=1: no Kubernetes cluster tests"
	exit 0
fi
if ! _k8s_env=$("$BP_SRC/tests/env/k8s-up.sh" 2>"$TMP/k8s-up.err"); then
	echo "not ok 1 - the test cluster came up (tests/env/k8s-up.sh)"
	sed 's/^/# /' "$TMP/k8s-up.err"
	echo "1..1"
	exit 1
fi
. "$_k8s_env"
export BLUEPRINT_HTTP_BACKOFF_MS=${BLUEPRINT_HTTP_BACKOFF_MS:-50}

NS="bp-$(basename "$0" .sh | cut -d- -f1)-$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"

# kc ARGS...: kubectl against the test cluster.
kc() { kubectl --kubeconfig="$KUBECONFIG" "$@"; }

# k8s_objects: every object of every listable kind in every namespace and
# of the cluster, one "kind/name namespace" per line, sorted, minus events
# (which outlive what they tell about); only those of this test ($NS in
# the namespace or the name).
k8s_objects() {
	_kinds=$(kc api-resources --verbs=list -o name | grep -v '^events' | paste -sd, -)
	kc get "$_kinds" -A --ignore-not-found 2>/dev/null \
		-o custom-columns='K:.kind,N:.metadata.name,NS:.metadata.namespace' --no-headers |
		grep -F -- "$NS" | tr -s ' ' | sort
}

# k8s_exists KIND NAME [NAMESPACE], k8s_gone ...: whether kubectl finds it.
# k8s_wait_gone KIND NAME [NAMESPACE]: bounded wait until it is gone.
k8s_exists() { kc get "$1" "$2" ${3:+-n "$3"} -o name >/dev/null 2>&1; }
k8s_gone() { ! k8s_exists "$@"; }
k8s_wait_gone() { wait_for 600 k8s_gone "$@"; }

# k8s_cleanup: deletes the test's namespace and cluster objects (on exit,
# so a failed test leaves no debris for the next).
k8s_cleanup() {
	kc delete namespace "$NS" --ignore-not-found --wait=false >/dev/null 2>&1
	for _k in clusterrole clusterrolebinding customresourcedefinition persistentvolume; do
		kc get "$_k" -o name 2>/dev/null | grep -F -- "$NS" |
			xargs -r kubectl --kubeconfig="$KUBECONFIG" delete --wait=false >/dev/null 2>&1
	done
	rm -rf "$TMP"
}
trap k8s_cleanup EXIT
