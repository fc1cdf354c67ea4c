#!/bin/bash
# Test version of blueprints/k8s-mongo/scripts/k8s/node-join.sh.
set -euo pipefail
. @DIR@/record.sh
scope=source record "join=$(ctx target instance runtime_properties join_command)"
