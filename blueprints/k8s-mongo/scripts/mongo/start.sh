#!/bin/bash
# start.sh: starts MongoDB (start of mongodb in k8s-mongo.yaml) and waits
# until it answers on its port.
set -euo pipefail

port=$(ctx instance runtime_properties port)
sudo systemctl enable mongod >/dev/null
sudo systemctl restart mongod
for _ in $(seq 60); do
	if mongosh --quiet --port "$port" --eval 'db.runCommand({ping: 1}).ok' \
		>/dev/null 2>&1; then
		ctx logger info "MongoDB answers on port ${port}"
		exit 0
	fi
	sleep 1
done
echo "MongoDB did not answer on port ${port} within 60 s" >&2
exit 1
