#!/bin/bash
# node-join.sh: joins a worker to the cluster (establish of k8s_node's
# relationship to k8s_master in k8s-mongo.yaml; runs on the worker). The
# join command is the one master-init.sh published. A worker that already
# joined is left as it is.
set -euo pipefail

if [ -f /etc/kubernetes/kubelet.conf ]; then
	ctx logger info "$(hostname) is already in the cluster"
	exit 0
fi
join=$(ctx target instance runtime_properties join_command)
[ -n "$join" ] || { echo "the master published no join command" >&2; exit 1; }
ctx logger info "joining $(hostname) to the cluster"
# The command is kubeadm's own output: 'kubeadm join HOST:PORT --token ...'.
read -r -a argv <<<"$join"
sudo "${argv[@]}"
