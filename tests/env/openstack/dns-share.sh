# dns-share.sh: configures and starts Designate and Manila; sourced by
# tests/env/openstack-dns-share-up.sh with its lock held (start.sh's
# helpers loaded, PIDS naming this script's own pid file).

authtoken() {  # authtoken USER
  cat <<CONF
[keystone_authtoken]
www_authenticate_uri = http://$H:$KEYSTONE_PORT
auth_url = http://$H:$KEYSTONE_PORT
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $1
password = $SERVICE_PASSWORD
region_name = $REGION
service_token_roles_required = true
CONF
}

QUIET_LOGS="amqp=WARN,amqplib=WARN,sqlalchemy=WARN,oslo.messaging=INFO,oslo_messaging=INFO,iso8601=WARN,urllib3.connectionpool=WARN,keystonemiddleware=WARN,routes.middleware=WARN,stevedore=WARN,keystoneauth=WARN"

write_dns_share_configs() {
  mkdir -p "$ETC"/{designate,manila} "$STATE"/{designate/lock,manila/lock}
  # ---- designate: zones go ACTIVE once the pool's nameserver (mdns
  # itself) answers the new serial; poll it every second
  cp /etc/designate/api-paste.ini "$ETC/designate/"
  { cat <<CONF
[DEFAULT]
transport_url = $TRANSPORT_URL
state_path = $STATE/designate
default_log_levels = $QUIET_LOGS
[oslo_concurrency]
lock_path = $STATE/designate/lock
[oslo_messaging_notifications]
driver = noop
[service:api]
listen = $H:$DESIGNATE_PORT
api_base_uri = http://$H:$DESIGNATE_PORT/
auth_strategy = keystone
api_paste_config = $ETC/designate/api-paste.ini
enable_api_v2 = True
enable_api_admin = True
enabled_extensions_admin = quotas
workers = 1
[service:central]
workers = 1
[service:worker]
workers = 1
poll_delay = 0
poll_retry_interval = 1
poll_max_retries = 30
[service:producer]
workers = 1
[service:mdns]
listen = $H:$MDNS_PORT
workers = 1
[storage:sqlalchemy]
connection = $(dburl designate designate)
[oslo_policy]
policy_dirs = /etc/designate/policy.d
CONF
    authtoken designate; } > "$ETC/designate/designate.conf"
  cat > "$ETC/designate/pools.yaml" <<CONF
- name: default
  description: bp test pool (fake backend, mdns as its nameserver)
  attributes: {}
  ns_records:
    - hostname: ns1.bp-test.example.
      priority: 1
  nameservers:
    - host: $H
      port: $MDNS_PORT
  targets:
    - type: fake
      description: records nothing
      masters:
        - host: $H
          port: $MDNS_PORT
      # where the worker sends NOTIFY: mdns, which ignores it
      options:
        host: $H
        port: $MDNS_PORT
CONF

  # ---- manila: the dummy driver of python3-manila, no share servers
  cp /etc/manila/api-paste.ini "$ETC/manila/"
  { cat <<CONF
[DEFAULT]
host = bp-share
my_ip = $H
state_path = $STATE/manila
transport_url = $TRANSPORT_URL
auth_strategy = keystone
api_paste_config = $ETC/manila/api-paste.ini
osapi_share_listen = $H
osapi_share_listen_port = $MANILA_PORT
osapi_share_workers = 1
enabled_share_backends = dummy
enabled_share_protocols = NFS,CIFS
default_share_type = default
default_log_levels = $QUIET_LOGS
[dummy]
share_driver = manila.tests.share.drivers.dummy.DummyDriver
driver_handles_share_servers = False
share_backend_name = dummy
dummy_driver_default_driver_method_delay = 0
dummy_driver_driver_methods_delays = ensure_share:0,create_share:0,get_pool:0,do_setup:0,_get_pools_info:0,_update_share_stats:0
[database]
connection = $(dburl manila manila)
[oslo_concurrency]
lock_path = $STATE/manila/lock
[oslo_messaging_notifications]
driver = noop
[oslo_policy]
policy_dirs = /etc/manila/policy.d
CONF
    authtoken manila; } > "$ETC/manila/manila.conf"
  chmod -R go-rwx "$ETC/designate" "$ETC/manila"
}

make_databases() {
  local sql=""
  for db in designate manila; do
    sql+="CREATE DATABASE IF NOT EXISTS $db; "
    sql+="CREATE USER IF NOT EXISTS '$db'@'localhost' IDENTIFIED BY '$DB_PASSWORD'; "
    sql+="GRANT ALL PRIVILEGES ON $db.* TO '$db'@'localhost'; "
  done
  mariadb --defaults-file="$STATE/mysql/my.cnf" -uroot -e "$sql FLUSH PRIVILEGES;" \
    || die "cannot create the designate and manila databases"
}

start_designate() {
  local c="$ETC/designate/designate.conf" ml="$LOG/designate-manage.log"
  designate-manage --config-file "$c" database sync >"$ml" 2>&1 || { tail "$ml" >&2; die "designate database sync failed"; }
  for s in central worker producer mdns; do
    port_busy $MDNS_PORT && [ $s = mdns ] && ! alive designate-mdns && die "port $MDNS_PORT already in use by something else"
    start "designate-$s" "$LOG/designate-$s.log" /usr/bin/designate-$s --config-file "$c"
  done
  port_busy $DESIGNATE_PORT && ! alive designate-api && die "port $DESIGNATE_PORT already in use by something else"
  start designate-api "$LOG/designate-api.log" /usr/bin/designate-api --config-file "$c"
}

# the pool is written through central (RPC): after central is up
update_pool() {
  local c="$ETC/designate/designate.conf" ml="$LOG/designate-manage.log" i=0
  until designate-manage --config-file "$c" pool update --file "$ETC/designate/pools.yaml" >>"$ml" 2>&1; do
    i=$((i+1)); [ $i -ge 30 ] && { tail "$ml" >&2; die "designate-manage pool update failed"; }
    alive designate-central || die "designate-central died (see $LOG/designate-central.log)"
    sleep 2
  done
  say "designate pool 'default' written"
}

start_manila() {
  local c="$ETC/manila/manila.conf" ml="$LOG/manila-manage.log"
  manila-manage --config-file "$c" db sync >"$ml" 2>&1 || { tail "$ml" >&2; die "manila db sync failed"; }
  start manila-scheduler "$LOG/manila-scheduler.log" /usr/bin/manila-scheduler --config-file "$c"
  start manila-share "$LOG/manila-share.log" /usr/bin/manila-share --config-file "$c"
  port_busy $MANILA_PORT && ! alive manila-api && die "port $MANILA_PORT already in use by something else"
  start manila-api "$LOG/manila-api.log" /usr/bin/manila-api --config-file "$c"
}

dns_share_start_all() {
  rm -f "$STATE/dns-share.ready"
  write_dns_share_configs
  make_databases
  OSA_H=$H OSA_REGION=$REGION OSA_ADMIN_PASSWORD=$ADMIN_PASSWORD OSA_SERVICE_PASSWORD=$SERVICE_PASSWORD \
  OSA_KEYSTONE_PORT=$KEYSTONE_PORT OSA_DESIGNATE_PORT=$DESIGNATE_PORT OSA_MANILA_PORT=$MANILA_PORT \
    $PY "$HERE/openstack/dns_share.py" identity || die "keystone setup for designate/manila failed"
  start_designate
  start_manila
  wait_http designate-api "http://$H:$DESIGNATE_PORT/" 120
  update_pool
  wait_http manila-api "http://$H:$MANILA_PORT/" 120
  OSA_H=$H OSA_ADMIN_PASSWORD=$ADMIN_PASSWORD OSA_KEYSTONE_PORT=$KEYSTONE_PORT \
    $PY "$HERE/openstack/dns_share.py" resources || die "designate/manila did not become usable"
  touch "$STATE/dns-share.ready"
  say "started: designate api http://$H:$DESIGNATE_PORT (mdns $H:$MDNS_PORT, pool 'default', fake backend);" \
      "manila api http://$H:$MANILA_PORT (backend 'dummy', share type 'default'); logs in $LOG"
}
