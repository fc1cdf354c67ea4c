#!/bin/bash
# openstack-down.sh: stops exactly what openstack-up.sh started. Each pid
# recorded in $STATE/pids leads a process group openstack-up.sh made with
# setsid; each group gets TERM (OpenStack services first, then RabbitMQ and
# epmd, then MariaDB), and KILL when still alive after 30 s. Takes the same
# lock as openstack-up.sh. BP_OPENSTACK_PURGE=1 also deletes the state
# (databases, logs, keys), so the next start is a cold one.
set -u
STATE="${BP_OPENSTACK_STATE:-/var/tmp/blueprint-openstack}"
PIDS="$STATE/pids"
T0=$(date +%s)

mkdir -p "$(dirname "$STATE")"
exec 9>"$STATE.lock"
flock 9

purge() {
  if [ "${BP_OPENSTACK_PURGE:-0}" = 1 ]; then rm -rf "$STATE"; echo "[openstack-down] purged $STATE"; fi
}
if [ ! -f "$PIDS" ]; then echo "[openstack-down] nothing to stop"; purge; exit 0; fi

# live (non-zombie) members of process group $1 (PID 1 may reap late here)
group_alive() { ps -eo pgid=,stat= | awk -v g="$1" '$1==g && $2 !~ /^Z/ {f=1} END{exit !f}'; }

stop_groups() {  # stop_groups "name pid" ...
  local l name pid left
  for l in "$@"; do
    name=${l% *}; pid=${l##* }
    [[ "$pid" =~ ^[0-9]+$ ]] || continue
    group_alive "$pid" && kill -TERM -- "-$pid" 2>/dev/null
  done
  for _ in $(seq 1 60); do            # up to 30 s
    left=0
    for l in "$@"; do pid=${l##* }; group_alive "$pid" && left=1; done
    [ $left = 0 ] && return 0
    sleep 0.5
  done
  for l in "$@"; do
    name=${l% *}; pid=${l##* }
    group_alive "$pid" && { echo "[openstack-down] $name alive after 30 s: KILL group $pid"; kill -KILL -- "-$pid" 2>/dev/null; }
  done
  return 0
}

svc=(); infra=(); db=()
while read -r name pid; do
  case $name in
    mysqld) db+=("$name $pid");;
    rabbitmq|epmd) infra+=("$name $pid");;
    *) svc+=("$name $pid");;
  esac
done < "$PIDS"
[ ${#svc[@]} -gt 0 ] && stop_groups "${svc[@]}"
[ ${#infra[@]} -gt 0 ] && stop_groups "${infra[@]}"
[ ${#db[@]} -gt 0 ] && stop_groups "${db[@]}"
rm -f "$PIDS" "$STATE/openstack.env"
echo "[openstack-down] stopped in $(( $(date +%s) - T0 ))s"
purge
