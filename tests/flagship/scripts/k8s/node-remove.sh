#!/bin/bash
# Test version of blueprints/k8s-mongo/scripts/k8s/node-remove.sh.
set -euo pipefail
. @DIR@/record.sh
scope=source record "drain=$(ctx source instance runtime_properties hostname)"
