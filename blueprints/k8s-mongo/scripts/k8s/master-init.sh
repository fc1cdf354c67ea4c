#!/bin/bash
# master-init.sh: initialises the control plane on master_vm (configure of
# k8s_master in k8s-mongo.yaml) with kubeadm, installs the flannel pod
# network, and creates a service account for blueprint's Kubernetes plugin.
# Safe to run again: an initialised master is not initialised twice.
#
# Environment: API_ADDRESS, the address clients reach the API server on
# (the master's floating IP); it goes into the server certificate.
# Publishes: api_endpoint, kubeconfig (for the Kubernetes plugin: the
# service account's token and the cluster CA), join_command (for workers).
set -euo pipefail

: "${API_ADDRESS:?API_ADDRESS is not set}"
pod_cidr=10.244.0.0/16
flannel=https://github.com/flannel-io/flannel/releases/latest/download/kube-flannel.yml
export KUBECONFIG=/etc/kubernetes/admin.conf

if [ ! -f "$KUBECONFIG" ]; then
	ctx logger info "kubeadm init (API on ${API_ADDRESS}:6443)"
	sudo kubeadm init --pod-network-cidr="$pod_cidr" \
		--apiserver-cert-extra-sans="$API_ADDRESS"
fi
kc() { sudo --preserve-env=KUBECONFIG kubectl "$@"; }

kc apply -f "$flannel"

# The plugin's identity: a service account bound to cluster-admin, with a
# long-lived token in a Secret of type service-account-token.
kc -n kube-system create serviceaccount blueprint --dry-run=client -o yaml |
	kc apply -f -
kc create clusterrolebinding blueprint --clusterrole=cluster-admin \
	--serviceaccount=kube-system:blueprint --dry-run=client -o yaml |
	kc apply -f -
kc apply -f - <<'YAML'
apiVersion: v1
kind: Secret
metadata:
  name: blueprint-token
  namespace: kube-system
  annotations:
    kubernetes.io/service-account.name: blueprint
type: kubernetes.io/service-account-token
YAML
token=
for _ in $(seq 60); do
	token=$(kc -n kube-system get secret blueprint-token \
		-o jsonpath='{.data.token}' | base64 -d)
	[ -n "$token" ] && break
	sleep 1
done
[ -n "$token" ] || { echo "no token for the blueprint service account" >&2; exit 1; }
ca=$(sudo base64 -w0 /etc/kubernetes/pki/ca.crt)
endpoint="https://${API_ADDRESS}:6443"

kubeconfig=$(cat <<YAML
apiVersion: v1
kind: Config
clusters:
- name: k8s-mongo
  cluster:
    server: ${endpoint}
    certificate-authority-data: ${ca}
users:
- name: blueprint
  user:
    token: ${token}
contexts:
- name: blueprint@k8s-mongo
  context: { cluster: k8s-mongo, user: blueprint }
current-context: blueprint@k8s-mongo
YAML
)

ctx instance runtime_properties api_endpoint "$endpoint"
ctx instance runtime_properties kubeconfig "$kubeconfig"
ctx instance runtime_properties join_command \
	"$(sudo kubeadm token create --ttl 0 --print-join-command)"
ctx logger info "control plane ready at ${endpoint}"
