# start.sh: brings the test OpenStack up; sourced by tests/env/openstack-up.sh
# with the lock held (never run alone). A real control plane from Debian 12's
# packages (OpenStack Zed) on 127.0.0.1 only: MariaDB (unix socket only),
# RabbitMQ, Keystone, Placement, Glance, Neutron (ML2 with a binding-only
# driver, no agents), Nova (fake virt driver) and Cinder (a volume driver
# that stores nothing, pylib/bp_fake_volume.py). Adapted from
# ../shared/openstack-zed (see its NOTES.md for the pitfalls each step
# works around). Every daemon runs in its own process group; "name pgid"
# lines go to $PIDS for openstack-down.sh.

PKGS="mariadb-server rabbitmq-server uwsgi-core uwsgi-plugin-python3 keystone
placement-api glance-api nova-common nova-api nova-conductor nova-scheduler
python3-nova neutron-server python3-openstackclient python3-pymysql curl jq
cinder-api cinder-scheduler python3-cinder"

T0=$(date +%s)
say() { echo "[openstack-up $(( $(date +%s) - T0 ))s] $*" >&2; }
die() { echo "[openstack-up] error: $*" >&2; exit 1; }

dburl() { echo "mysql+pymysql://$1:$DB_PASSWORD@localhost/$2?unix_socket=$SOCK&charset=utf8"; }

# ---------------------------------------------------------------- helpers
pid_of() { [ -f "$PIDS" ] && awk -v n="$1" '$1==n{print $2}' "$PIDS" | tail -1; }
alive() { local p; p=$(pid_of "$1"); [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }

# start NAME LOGFILE CMD... : run CMD in a new session/process group (setsid),
# in the background, and record the group leader's PID.
start() {
  local name=$1 logf=$2; shift 2
  if alive "$name"; then say "$name already running (pid $(pid_of "$name"))"; return 0; fi
  setsid "$@" >>"$logf" 2>&1 < /dev/null 9>&- &
  local pid=$!
  echo "$name $pid" >> "$PIDS"
  say "started $name pid $pid (log $logf)"
}

wait_http() {  # wait_http NAME URL TIMEOUT
  local name=$1 url=$2 t=${3:-120} i=0
  until curl -s -o /dev/null -m 5 "$url"; do
    i=$((i+1)); [ $i -ge "$t" ] && die "$name did not answer at $url within ${t}s (see $LOG)"
    alive "$name" || die "$name died (see $LOG/$name.log)"
    sleep 1
  done
  say "$name answers at $url"
}

port_busy() { ss -Hltn "sport = :$1" 2>/dev/null | grep . >/dev/null; }

# ---------------------------------------------------------------- 1. install
install_pkgs() {
  local missing=()
  for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -eq 0 ]; then say "packages already installed"; return; fi
  [ "${BP_OPENSTACK_NO_INSTALL:-0}" = 1 ] && die "missing packages: ${missing[*]}"
  say "installing: ${missing[*]}"
  # Keep maintainer scripts from starting daemons (no systemd here anyway).
  local made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; made_policy=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >"$STATE/apt-update.log" 2>&1 || { tail "$STATE/apt-update.log"; die "apt-get update failed"; }
  # debconf defaults of openstack-pkg-tools are "do not configure db / keystone
  # / rabbit / endpoints", which is exactly what we want (we configure by hand).
  apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    $PKGS > "$STATE/apt-install.log" 2>&1 || { tail -30 "$STATE/apt-install.log"; die "apt-get install failed"; }
  [ $made_policy = 1 ] && rm -f /usr/sbin/policy-rc.d
  say "install done"
}

# ---------------------------------------------------------------- 3. mariadb
start_mysql() {
  local d="$STATE/mysql"
  cat > "$d/my.cnf" <<EOF
[client]
socket = $SOCK
[mysqld]
user = mysql
datadir = $d/data
socket = $SOCK
pid-file = $d/mysqld.pid
log-error = $LOG/mysqld.log
# unix socket only: no TCP listener at all
skip-networking
innodb_use_native_aio = 0
innodb_buffer_pool_size = 128M
innodb_log_file_size = 48M
performance_schema = OFF
max_connections = 1000
character-set-server = utf8
collation-server = utf8_general_ci
skip-name-resolve
EOF
  chown mysql:mysql "$d"
  if [ ! -d "$d/data/mysql" ]; then
    say "initialising mariadb datadir"
    mariadb-install-db --defaults-file="$d/my.cnf" --auth-root-authentication-method=socket >"$LOG/mysql-install.log" 2>&1 \
      || { tail "$LOG/mysql-install.log"; die "mariadb-install-db failed"; }
  fi
  start mysqld "$LOG/mysqld.out" /usr/sbin/mariadbd --defaults-file="$d/my.cnf"
  local i=0
  until mariadb --defaults-file="$d/my.cnf" -uroot -e 'select 1' >/dev/null 2>&1; do
    i=$((i+1)); [ $i -ge 60 ] && die "mariadb did not come up (see $LOG/mysqld.log)"
    alive mysqld || die "mariadb died (see $LOG/mysqld.log)"; sleep 1
  done
  say "mariadb up (socket $SOCK)"
  local sql=""
  for db in keystone placement glance neutron nova nova_api nova_cell0 cinder; do
    local u=$db; case $db in nova*) u=nova;; esac
    sql+="CREATE DATABASE IF NOT EXISTS $db; "
    sql+="CREATE USER IF NOT EXISTS '$u'@'localhost' IDENTIFIED BY '$DB_PASSWORD'; "
    sql+="GRANT ALL PRIVILEGES ON $db.* TO '$u'@'localhost'; "
  done
  mariadb --defaults-file="$d/my.cnf" -uroot -e "$sql FLUSH PRIVILEGES;"
}

# ---------------------------------------------------------------- 4. rabbitmq
start_rabbit() {
  local d="$STATE/rabbitmq"
  mkdir -p "$d/mnesia" "$LOG/rabbitmq"
  cat > "$d/rabbitmq.conf" <<EOF
listeners.tcp.default = $H:$RABBIT_PORT
loopback_users.guest = true
log.file.level = warning
vm_memory_high_watermark.absolute = 512MiB
disk_free_limit.absolute = 50MB
EOF
  echo '[].' > "$d/enabled_plugins"
  [ -f "$d/.erlang.cookie" ] || { head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$d/.erlang.cookie"; chmod 400 "$d/.erlang.cookie"; }
  local oldhome="$HOME"
  export HOME="$d" ERL_EPMD_ADDRESS=$H ERL_EPMD_PORT=$EPMD_PORT \
    RABBITMQ_NODENAME=bpopenstack@localhost RABBITMQ_NODE_IP_ADDRESS=$H \
    RABBITMQ_NODE_PORT=$RABBIT_PORT RABBITMQ_DIST_PORT=$RABBIT_DIST_PORT \
    RABBITMQ_CONFIG_FILE="$d/rabbitmq.conf" RABBITMQ_ENABLED_PLUGINS_FILE="$d/enabled_plugins" \
    RABBITMQ_MNESIA_BASE="$d/mnesia" RABBITMQ_LOG_BASE="$LOG/rabbitmq" \
    RABBITMQ_PID_FILE="$d/rabbit.pid" \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  # epmd first, in the foreground of its own group, bound to loopback only.
  if ! alive epmd; then
    if port_busy $EPMD_PORT; then say "epmd already listening on $EPMD_PORT (not ours) - reusing it";
    else start epmd "$LOG/epmd.log" /usr/bin/epmd -address $H -port $EPMD_PORT; sleep 1; fi
  fi
  start rabbitmq "$LOG/rabbitmq.out" /usr/lib/rabbitmq/bin/rabbitmq-server
  local i=0
  until /usr/lib/rabbitmq/bin/rabbitmqctl -q await_startup >/dev/null 2>&1 && port_busy $RABBIT_PORT; do
    i=$((i+1)); [ $i -ge 90 ] && die "rabbitmq did not come up (see $LOG/rabbitmq*)"
    alive rabbitmq || die "rabbitmq died (see $LOG/rabbitmq.out)"; sleep 2
  done
  export HOME="$oldhome"
  say "rabbitmq up on $H:$RABBIT_PORT"
}

# ---------------------------------------------------------------- 5. services
uwsgi_start() {  # uwsgi_start NAME PORT WSGI_FILE PROCESSES THREADS [extra uwsgi args]
  local name=$1 port=$2 wsgi=$3 procs=$4 threads=$5; shift 5
  port_busy "$port" && ! alive "$name" && die "port $port already in use by something else"
  start "$name" "$LOG/$name.log" /usr/bin/uwsgi --plugin python3 --master --die-on-term \
    --http-socket "$H:$port" --wsgi-file "$wsgi" --processes "$procs" --threads "$threads" \
    --enable-threads --lazy-apps --buffer-size 65535 --need-app --add-header 'Connection: close' \
    --procname-prefix-spaced "bp-openstack-$name" "$@"
}

start_keystone() {
  local k="$ETC/keystone/keystone.conf"
  keystone-manage --config-file "$k" db_sync >>"$LOG/keystone-manage.log" 2>&1 || die "keystone db_sync failed ($LOG/keystone-manage.log)"
  [ -d "$STATE/keystone/fernet-keys" ] || keystone-manage --config-file "$k" fernet_setup --keystone-user root --keystone-group root >>"$LOG/keystone-manage.log" 2>&1
  [ -d "$STATE/keystone/credential-keys" ] || keystone-manage --config-file "$k" credential_setup --keystone-user root --keystone-group root >>"$LOG/keystone-manage.log" 2>&1
  keystone-manage --config-file "$k" bootstrap --bootstrap-password "$ADMIN_PASSWORD" \
    --bootstrap-admin-url "http://$H:$KEYSTONE_PORT/v3/" --bootstrap-internal-url "http://$H:$KEYSTONE_PORT/v3/" \
    --bootstrap-public-url "http://$H:$KEYSTONE_PORT/v3/" --bootstrap-region-id "$REGION" >>"$LOG/keystone-manage.log" 2>&1 || die "keystone bootstrap failed ($LOG/keystone-manage.log)"
  OS_KEYSTONE_CONFIG_DIR="$ETC/keystone" uwsgi_start keystone $KEYSTONE_PORT /usr/bin/keystone-wsgi-public 2 2
  wait_http keystone "http://$H:$KEYSTONE_PORT/v3" 120
  say "creating keystone projects/users/services/endpoints"
  OSA_H=$H OSA_REGION=$REGION OSA_ADMIN_PASSWORD=$ADMIN_PASSWORD OSA_DEMO_PASSWORD=$DEMO_PASSWORD \
  OSA_SERVICE_PASSWORD=$SERVICE_PASSWORD OSA_NOVA_PORT=$NOVA_PORT OSA_PLACEMENT_PORT=$PLACEMENT_PORT \
  OSA_GLANCE_PORT=$GLANCE_PORT OSA_NEUTRON_PORT=$NEUTRON_PORT OSA_KEYSTONE_PORT=$KEYSTONE_PORT \
  OSA_CINDER_PORT=$CINDER_PORT \
    $PY "$HERE/openstack/bootstrap.py" identity
}

start_placement() {
  placement-manage --config-file "$ETC/placement/placement.conf" db sync >"$LOG/placement-manage.log" 2>&1 \
    || { tail "$LOG/placement-manage.log"; die "placement db sync failed"; }
  OS_PLACEMENT_CONFIG_DIR="$ETC/placement" uwsgi_start placement $PLACEMENT_PORT /usr/bin/placement-api 1 2
}

start_glance() {
  glance-manage --config-file "$ETC/glance/glance-api.conf" db_sync >"$LOG/glance-db-sync.log" 2>&1 \
    || { tail "$LOG/glance-db-sync.log"; die "glance db_sync failed"; }
  OS_GLANCE_CONFIG_DIR="$ETC/glance" uwsgi_start glance $GLANCE_PORT /usr/bin/glance-wsgi-api 1 1
}

start_neutron() {
  neutron-db-manage --config-file "$ETC/neutron/neutron.conf" --config-file "$ETC/neutron/ml2_conf.ini" \
    upgrade heads >"$LOG/neutron-db-manage.log" 2>&1 || { tail "$LOG/neutron-db-manage.log"; die "neutron-db-manage failed"; }
  port_busy $NEUTRON_PORT && ! alive neutron && die "port $NEUTRON_PORT already in use by something else"
  PYTHONPATH="$HERE/openstack/pylib" start neutron "$LOG/neutron.log" /usr/bin/neutron-server \
    --config-file "$ETC/neutron/neutron.conf" --config-file "$ETC/neutron/ml2_conf.ini"
}

start_nova() {
  local c="$ETC/nova/nova.conf"
  local nl="$LOG/nova-manage.log"
  { nova-manage --config-file "$c" api_db sync &&
    nova-manage --config-file "$c" cell_v2 map_cell0 --database_connection "$(dburl nova nova_cell0)" &&
    { nova-manage --config-file "$c" cell_v2 list_cells 2>/dev/null | grep ' cell1 ' >/dev/null ||
      nova-manage --config-file "$c" cell_v2 create_cell --name=cell1; } &&
    nova-manage --config-file "$c" db sync; } >>"$nl" 2>&1 || { tail -20 "$nl"; die "nova-manage failed"; }
  start nova-conductor "$LOG/nova-conductor.log" /usr/bin/nova-conductor --config-file "$c"
  start nova-scheduler "$LOG/nova-scheduler.log" /usr/bin/nova-scheduler --config-file "$c"
  OS_NOVA_CONFIG_DIR="$ETC/nova" uwsgi_start nova-api $NOVA_PORT /usr/bin/nova-api-wsgi 2 1
}

start_nova_compute() {
  # started last so that nova-conductor is already consuming (otherwise the
  # compute's first conductor ping times out and costs 10 s)
  # Debian's nova-compute package pulls in libvirt+qemu; the console script is
  # trivial, so run the module from python3-nova directly.
  start nova-compute "$LOG/nova-compute.log" $PY -c 'import sys; from nova.cmd.compute import main; sys.exit(main())' --config-file "$ETC/nova/nova-cpu.conf"
}

# ---------------------------------------------------------------- cinder
start_cinder() {
  local c="$ETC/cinder/cinder.conf"
  cinder-manage --config-file "$c" db sync >"$LOG/cinder-manage.log" 2>&1 \
    || { tail "$LOG/cinder-manage.log"; die "cinder db sync failed"; }
  start cinder-scheduler "$LOG/cinder-scheduler.log" /usr/bin/cinder-scheduler --config-file "$c"
  # no cinder-volume package (it pulls in tgt, open-iscsi, qemu): the
  # service module from python3-cinder, with the fake driver on its path
  PYTHONPATH="$HERE/openstack/pylib" start cinder-volume "$LOG/cinder-volume.log" \
    $PY -c 'import sys; from cinder.cmd.volume import main; sys.exit(main())' --config-file "$c"
  # cinder-wsgi reads no config dir variable: its argv names the file
  uwsgi_start cinder-api $CINDER_PORT /usr/bin/cinder-wsgi 1 2 --pyargv "--config-file $c"
}

# ---------------------------------------------------------------- main
start_all() {
  install_pkgs
  write_configs
  start_mysql
  start_rabbit
  start_keystone
  start_placement
  start_glance
  start_neutron
  start_nova
  start_cinder
  wait_http placement "http://$H:$PLACEMENT_PORT/" 120
  wait_http glance "http://$H:$GLANCE_PORT/versions" 120
  wait_http neutron "http://$H:$NEUTRON_PORT/" 180
  wait_http nova-api "http://$H:$NOVA_PORT/" 180
  wait_http cinder-api "http://$H:$CINDER_PORT/" 180
  COMPUTE_STARTED=$(date -u +%Y-%m-%dT%H:%M:%S)
  start_nova_compute
  say "waiting for nova-compute and cinder-volume to register"
  OSA_H=$H OSA_ADMIN_PASSWORD=$ADMIN_PASSWORD OSA_KEYSTONE_PORT=$KEYSTONE_PORT OSA_COMPUTE_STARTED=$COMPUTE_STARTED \
    OSA_NOVA_CONF="$ETC/nova/nova.conf" $PY "$HERE/openstack/bootstrap.py" resources >&2
  say "started"
}
