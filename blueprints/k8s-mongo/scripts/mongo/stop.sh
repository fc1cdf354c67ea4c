#!/bin/bash
# stop.sh: stops MongoDB (stop of mongodb in k8s-mongo.yaml).
set -euo pipefail

sudo systemctl stop mongod
ctx logger info "MongoDB stopped"
