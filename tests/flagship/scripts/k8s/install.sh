#!/bin/bash
# Test version of blueprints/k8s-mongo/scripts/k8s/install.sh: records the
# call and publishes a host name unique to the instance, as a VM would.
set -euo pipefail
. @DIR@/record.sh
record "version=${KUBERNETES_VERSION:-}"
ctx instance runtime_properties hostname "host-$(ctx instance id)"
