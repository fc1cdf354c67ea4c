#!/bin/bash
# configure.sh: MongoDB listens on the VM's network address and the chosen
# port (configure of mongodb in k8s-mongo.yaml).
#
# Environment: MONGO_ADDRESS (the VM's private address), MONGO_PORT.
# Publishes: host and port, which the microservice gets by get_attribute.
set -euo pipefail

: "${MONGO_ADDRESS:?MONGO_ADDRESS is not set}"
port=${MONGO_PORT:-27017}

sudo tee /etc/mongod.conf >/dev/null <<CONF
storage:
  dbPath: /var/lib/mongodb
systemLog:
  destination: file
  path: /var/log/mongodb/mongod.log
  logAppend: true
net:
  port: ${port}
  bindIp: 127.0.0.1,${MONGO_ADDRESS}
processManagement:
  timeZoneInfo: /usr/share/zoneinfo
CONF
ctx instance runtime_properties host "$MONGO_ADDRESS"
ctx instance runtime_properties port "@${port}"
