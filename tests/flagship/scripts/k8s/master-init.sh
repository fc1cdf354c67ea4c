#!/bin/bash
# Test version of blueprints/k8s-mongo/scripts/k8s/master-init.sh: instead
# of kubeadm, publishes the test kube-apiserver (tests/env/k8s-up.sh) as the
# cluster, so the microservice really lands on a Kubernetes API server.
set -euo pipefail
. @DIR@/record.sh
record "api_address=${API_ADDRESS:-}"
ctx instance runtime_properties api_endpoint "$(cat @DIR@/endpoint)"
ctx instance runtime_properties kubeconfig "$(cat @DIR@/kubeconfig)"
ctx instance runtime_properties join_command "kubeadm join test:6443 --token abc.def"
