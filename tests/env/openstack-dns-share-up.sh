#!/bin/bash
# openstack-dns-share-up.sh: adds Designate (DNS) and Manila (shared file
# systems) to the running test OpenStack of openstack-up.sh, without
# restarting it, and prints the path of the same env file (plus
# BP_OPENSTACK_DNS=1, BP_OPENSTACK_SHARE=1 appended to a file of its own).
#
# Designate: api (9001), central, worker, producer and mdns (5354), one pool
# whose target is the "fake" backend and whose nameserver is mdns itself,
# so a zone goes ACTIVE once mdns serves its new serial. Manila: api (8786),
# scheduler and share with the dummy driver from python3-manila
# (driver_handles_share_servers False), plus the share type "default".
# Databases in openstack-up.sh's MariaDB, users/services/endpoints in its
# Keystone, messages through its RabbitMQ. 127.0.0.1 only.
#
# Idempotent (well under a second when up), flock'ed; installs the packages
# the first time (about 1.5 minutes). Pids of its own process groups go to
# $STATE/dns-share.pids; openstack-dns-share-down.sh stops exactly those.
# Exits non-zero, with the reason on stderr, when it cannot come up.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE="${BP_OPENSTACK_STATE:-/var/tmp/blueprint-openstack}"

# the base stack first (idempotent; takes its own lock)
ENVFILE=$("$HERE/openstack-up.sh")

PIDS="$STATE/dns-share.pids"
LOG="$STATE/log"
ETC="$STATE/etc"
PY=/usr/bin/python3
H=127.0.0.1
KEYSTONE_PORT=5000
DESIGNATE_PORT=9001
MDNS_PORT=5354
MANILA_PORT=8786
RABBIT_PORT=5672
REGION=RegionOne
ADMIN_PASSWORD=admin-secret
SERVICE_PASSWORD=service-secret
DB_PASSWORD=db-secret
SOCK="$STATE/mysql/mysqld.sock"
TRANSPORT_URL="rabbit://guest:guest@$H:$RABBIT_PORT/"

exec 9>"$STATE.dns-share.lock"
flock 9

. "$HERE/openstack/start.sh"         # say, die, start, alive, wait_http, port_busy
say() { echo "[openstack-dns-share-up $(( $(date +%s) - T0 ))s] $*" >&2; }
die() { echo "[openstack-dns-share-up] error: $*" >&2; exit 1; }
PKGS="designate-api designate-central designate-worker designate-producer
designate-mdns manila-api manila-scheduler manila-share
python3-designateclient python3-manilaclient"
. "$HERE/openstack/dns-share.sh"

procs_alive() {
  [ -f "$PIDS" ] && [ -f "$STATE/dns-share.ready" ] || return 1
  while read -r _ p; do kill -0 "$p" 2>/dev/null || return 1; done < "$PIDS"
}
apis_answer() {
  curl -sf -o /dev/null -m 10 "http://$H:$DESIGNATE_PORT/" &&
    curl -sf -o /dev/null -m 10 "http://$H:$MANILA_PORT/"
}

# A restart kills other tests' requests in flight: slow answers from live
# processes (a loaded machine) get two minutes first, as openstack-up.sh.
if procs_alive; then
  for _ in 1 2 3 4 5 6 7 8; do
    apis_answer && { echo "$ENVFILE"; exit 0; }
    sleep 5
  done
fi
if [ -f "$PIDS" ]; then
  say "a recorded process is gone or an API does not answer: restarting"
  flock -u 9
  "$HERE/openstack-dns-share-down.sh" >&2 || true
  flock 9
fi
T0=$(date +%s)
install_pkgs
PIDS_BASE="$STATE/pids"
dns_share_start_all >&2
echo "$ENVFILE"
