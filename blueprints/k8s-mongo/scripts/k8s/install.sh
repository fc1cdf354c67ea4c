#!/bin/bash
# install.sh: containerd, kubeadm, kubelet and kubectl on a fresh Ubuntu or
# Debian VM (create of k8s_master and k8s_node in k8s-mongo.yaml), from the
# Kubernetes project's package repository at pkgs.k8s.io. Safe to run again.
#
# Environment: KUBERNETES_VERSION (minor version, default 1.28).
# Publishes: hostname (the name the node registers under).
set -euo pipefail

version=${KUBERNETES_VERSION:-1.28}
export DEBIAN_FRONTEND=noninteractive

# kubelet refuses to run with swap on.
sudo swapoff -a
sudo sed -i '/\sswap\s/ s/^[^#]/#&/' /etc/fstab

# Bridged traffic through iptables, and forwarding, for the pod network.
printf 'overlay\nbr_netfilter\n' | sudo tee /etc/modules-load.d/k8s.conf >/dev/null
sudo modprobe overlay
sudo modprobe br_netfilter
printf '%s\n' 'net.bridge.bridge-nf-call-iptables = 1' \
	'net.bridge.bridge-nf-call-ip6tables = 1' 'net.ipv4.ip_forward = 1' |
	sudo tee /etc/sysctl.d/k8s.conf >/dev/null
sudo sysctl --system >/dev/null

ctx logger info "installing containerd and Kubernetes ${version} on $(hostname)"
sudo apt-get update -qq
sudo apt-get install -y -qq containerd apt-transport-https ca-certificates curl gpg

# containerd with the systemd cgroup driver, as kubelet expects.
sudo mkdir -p /etc/containerd
containerd config default | sed 's/SystemdCgroup = false/SystemdCgroup = true/' |
	sudo tee /etc/containerd/config.toml >/dev/null
sudo systemctl restart containerd

keyring=/etc/apt/keyrings/kubernetes-apt-keyring.gpg
repo="https://pkgs.k8s.io/core:/stable:/v${version}/deb/"
sudo mkdir -p /etc/apt/keyrings
curl -fsSL "${repo}Release.key" | sudo gpg --batch --yes --dearmor -o "$keyring"
echo "deb [signed-by=${keyring}] ${repo} /" |
	sudo tee /etc/apt/sources.list.d/kubernetes.list >/dev/null
sudo apt-get update -qq
sudo apt-get install -y -qq kubelet kubeadm kubectl
sudo apt-mark hold kubelet kubeadm kubectl >/dev/null
sudo systemctl enable --now kubelet

ctx instance runtime_properties hostname "$(hostname)"
ctx logger info "Kubernetes ${version} installed on $(hostname)"
