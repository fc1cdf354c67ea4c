#!/bin/bash
# node-remove.sh: drains a worker and removes it from the cluster (unlink of
# k8s_node's relationship to k8s_master in k8s-mongo.yaml, on scale-in and
# uninstall; runs on the master). A node the cluster no longer knows is
# already removed.
set -euo pipefail

node=$(ctx source instance runtime_properties hostname)
[ -n "$node" ] || { echo "the worker published no hostname" >&2; exit 1; }
export KUBECONFIG=/etc/kubernetes/admin.conf
kc() { sudo --preserve-env=KUBECONFIG kubectl "$@"; }

if ! kc get node "$node" >/dev/null 2>&1; then
	ctx logger info "node ${node} is not in the cluster"
	exit 0
fi
ctx logger info "draining ${node}"
kc drain "$node" --ignore-daemonsets --delete-emptydir-data --force \
	--timeout=300s
kc delete node "$node"
