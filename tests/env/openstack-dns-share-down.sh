#!/bin/bash
# openstack-dns-share-down.sh: stops exactly what openstack-dns-share-up.sh
# started (the process groups in $STATE/dns-share.pids: TERM, KILL after
# 30 s). The base stack (openstack-down.sh) is left alone; its databases
# keep the designate and manila schemas for the next start.
set -u
STATE="${BP_OPENSTACK_STATE:-/var/tmp/blueprint-openstack}"
PIDS="$STATE/dns-share.pids"
T0=$(date +%s)
mkdir -p "$(dirname "$STATE")"
exec 9>"$STATE.dns-share.lock"
flock 9
rm -f "$STATE/dns-share.ready"
if [ ! -f "$PIDS" ]; then echo "[openstack-dns-share-down] nothing to stop"; exit 0; fi
group_alive() { ps -eo pgid=,stat= | awk -v g="$1" '$1==g && $2 !~ /^Z/ {f=1} END{exit !f}'; }
pids=$(awk '$2 ~ /^[0-9]+$/ {print $2}' "$PIDS")
for p in $pids; do group_alive "$p" && kill -TERM -- "-$p" 2>/dev/null; done
for _ in $(seq 1 60); do
  left=0; for p in $pids; do group_alive "$p" && left=1; done
  [ $left = 0 ] && break; sleep 0.5
done
for p in $pids; do group_alive "$p" && { echo "[openstack-dns-share-down] group $p alive after 30 s: KILL"; kill -KILL -- "-$p" 2>/dev/null; }; done
rm -f "$PIDS"
echo "[openstack-dns-share-down] stopped in $(( $(date +%s) - T0 ))s"
