#!/bin/bash
# Test version of blueprints/k8s-mongo/scripts/mongo/start.sh.
set -euo pipefail
. @DIR@/record.sh
record
