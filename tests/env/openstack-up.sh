#!/bin/bash
# openstack-up.sh: brings up the real OpenStack (Debian 12's Zed packages)
# the t42xx tests run against, on 127.0.0.1 only, and prints the path of
# an env file to source (OS_* for the admin, BP_OPENSTACK_* for the rest,
# OS_CLIENT_CONFIG_FILE naming a clouds.yaml with the clouds "bp-admin"
# and "bp-demo").
#
# Idempotent: when the stack is already up it only prints the path (well
# under a second). Safe when two tests call it at once (flock). Installs the
# packages with apt-get the first time (about 3 minutes), then starts in
# about a minute. State, logs and databases live in $BP_OPENSTACK_STATE
# (default /var/tmp/blueprint-openstack); openstack-down.sh stops exactly the
# processes started here. Exits non-zero, with the reason on stderr, when
# the stack cannot come up.
#
# Services (fixed ports, as the catalog names them): keystone 5000, nova
# 8774, placement 8778, glance 9292, neutron 9696, cinder 8776; MariaDB on
# a unix socket; RabbitMQ 5672 (+ epmd 4369, distribution 25672).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE="${BP_OPENSTACK_STATE:-/var/tmp/blueprint-openstack}"
PIDS="$STATE/pids"
LOG="$STATE/log"
ETC="$STATE/etc"
ENVFILE="$STATE/openstack.env"
PY=/usr/bin/python3          # never a pyenv python3 that may come first in PATH

H=127.0.0.1
KEYSTONE_PORT=5000
NOVA_PORT=8774
PLACEMENT_PORT=8778
GLANCE_PORT=9292
NEUTRON_PORT=9696
CINDER_PORT=8776
RABBIT_PORT=5672
RABBIT_DIST_PORT=25672
EPMD_PORT=4369

REGION=RegionOne
ADMIN_PASSWORD=admin-secret
DEMO_PASSWORD=demo-secret
SERVICE_PASSWORD=service-secret
DB_PASSWORD=db-secret
AUTH_URL="http://$H:$KEYSTONE_PORT/v3"
SOCK="$STATE/mysql/mysqld.sock"
TRANSPORT_URL="rabbit://guest:guest@$H:$RABBIT_PORT/"

mkdir -p "$STATE" "$LOG"
exec 9>"$STATE.lock"
flock 9

. "$HERE/openstack/start.sh"
. "$HERE/openstack/configs.sh"

write_env() {
  cat > "$STATE/clouds.yaml" <<YAML
clouds:
  bp-admin:
    auth:
      auth_url: $AUTH_URL
      username: admin
      password: $ADMIN_PASSWORD
      project_name: admin
      user_domain_name: Default
      project_domain_name: Default
    region_name: $REGION
    identity_api_version: 3
  bp-demo:
    auth:
      auth_url: $AUTH_URL
      username: demo
      password: $DEMO_PASSWORD
      project_name: demo
      user_domain_name: Default
      project_domain_name: Default
    region_name: $REGION
    identity_api_version: 3
YAML
  cat > "$ENVFILE.tmp" <<ENV
# written by tests/env/openstack-up.sh: the admin's credentials
export OS_AUTH_URL=$AUTH_URL
export OS_USERNAME=admin
export OS_PASSWORD=$ADMIN_PASSWORD
export OS_PROJECT_NAME=admin
export OS_USER_DOMAIN_NAME=Default
export OS_PROJECT_DOMAIN_NAME=Default
export OS_REGION_NAME=$REGION
export OS_IDENTITY_API_VERSION=3
export OS_COMPUTE_API_VERSION=2.79
export OS_CLIENT_CONFIG_FILE=$STATE/clouds.yaml
export BP_OPENSTACK_STATE=$STATE
export BP_OPENSTACK_DEMO_PASSWORD=$DEMO_PASSWORD
export BP_OPENSTACK_CLI=/usr/bin/openstack
ENV
  mv "$ENVFILE.tmp" "$ENVFILE"
}

apis_answer() {
  curl -sf -o /dev/null -m 10 "$AUTH_URL" &&
    curl -sf -o /dev/null -m 10 "http://$H:$NOVA_PORT/" &&
    curl -sf -o /dev/null -m 10 "http://$H:$NEUTRON_PORT/" &&
    curl -s -o /dev/null -m 10 "http://$H:$CINDER_PORT/"
}

# up already? every recorded process alive and the APIs answering. A
# restart kills every other test's requests in flight, so when all the
# processes live, slow answers (a loaded machine) get two minutes first.
if [ -f "$PIDS" ]; then
  all=1
  while read -r n p; do kill -0 "$p" 2>/dev/null || all=0; done \
    < <(awk '{last[$1]=$2} END{for(n in last) print n, last[n]}' "$PIDS")
  if [ $all = 1 ] && [ -f "$ENVFILE" ]; then
    for _ in 1 2 3 4 5 6 7 8; do
      apis_answer && { echo "$ENVFILE"; exit 0; }
      sleep 5
    done
  fi
  say "a recorded process is gone or an API does not answer: restarting"
  flock -u 9
  "$HERE/openstack-down.sh" >&2 || true
  flock 9
fi
start_all >&2
write_env
echo "$ENVFILE"
