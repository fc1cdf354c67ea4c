#!/bin/bash
# Test version of blueprints/k8s-mongo/scripts/mongo/configure.sh: publishes
# the address and port it was given, as the real one does.
set -euo pipefail
. @DIR@/record.sh
record "address=${MONGO_ADDRESS:-} port=${MONGO_PORT:-}"
ctx instance runtime_properties host "$MONGO_ADDRESS"
ctx instance runtime_properties port "@${MONGO_PORT}"
