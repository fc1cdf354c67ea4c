# configs.sh: writes every service's configuration under $ETC (sourced by
# openstack-up.sh; Debian's own /etc files are never read: see
# ../shared/openstack-zed/NOTES.md, pitfall 3).

write_configs() {
  mkdir -p "$ETC"/{keystone,placement,glance,nova,neutron,cinder} "$STATE"/{keystone,glance/images,glance/staging,glance/tasks,nova/instances,nova/lock,neutron/lock,placement,rabbitmq,mysql,cinder/lock}

  svc_auth() {  # svc_auth USER: a service user's password auth lines
    printf '%s\n' "auth_type = password" "auth_url = http://$H:$KEYSTONE_PORT/v3" \
      "project_domain_name = Default" "user_domain_name = Default" \
      "project_name = service" "username = $1" "password = $SERVICE_PASSWORD"
  }
  local authtoken
  authtoken() {  # authtoken USER
    cat <<EOF
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
# validate every token with Keystone (no cache): a revoked token is refused
# at once, which the token revocation tests rely on
token_cache_time = -1
EOF
  }

  # ---- keystone
  cat > "$ETC/keystone/keystone.conf" <<EOF
[DEFAULT]
log_file = $LOG/keystone-app.log
[database]
connection = $(dburl keystone keystone)
[token]
provider = fernet
expiration = 14400
[fernet_tokens]
key_repository = $STATE/keystone/fernet-keys
[credential]
key_repository = $STATE/keystone/credential-keys
[oslo_policy]
policy_dirs = /etc/keystone/policy.d
EOF

  # ---- placement
  { cat <<EOF
[DEFAULT]
log_file = $LOG/placement-app.log
[api]
auth_strategy = keystone
[placement_database]
connection = $(dburl placement placement)
EOF
    authtoken placement; } > "$ETC/placement/placement.conf"

  # ---- glance
  cp /etc/glance/glance-api-paste.ini "$ETC/glance/"
  { cat <<EOF
[DEFAULT]
log_file = $LOG/glance-app.log
bind_host = $H
bind_port = $GLANCE_PORT
enabled_backends = fs:file
workers = 1
[database]
connection = $(dburl glance glance)
[glance_store]
default_backend = fs
[fs]
filesystem_store_datadir = $STATE/glance/images/
[os_glance_staging_store]
filesystem_store_datadir = $STATE/glance/staging/
[os_glance_tasks_store]
filesystem_store_datadir = $STATE/glance/tasks/
[paste_deploy]
flavor = keystone
config_file = $ETC/glance/glance-api-paste.ini
[oslo_concurrency]
lock_path = $STATE/glance
EOF
    authtoken glance; } > "$ETC/glance/glance-api.conf"

  # ---- neutron
  cp /etc/neutron/api-paste.ini "$ETC/neutron/"
  { cat <<EOF
[DEFAULT]
log_file = $LOG/neutron-app.log
bind_host = $H
bind_port = $NEUTRON_PORT
core_plugin = ml2
service_plugins = router
auth_strategy = keystone
transport_url = $TRANSPORT_URL
api_workers = 1
rpc_workers = 1
rpc_state_report_workers = 0
api_paste_config = $ETC/neutron/api-paste.ini
state_path = $STATE/neutron
notify_nova_on_port_status_changes = true
notify_nova_on_port_data_changes = true
dhcp_agent_notification = false
default_log_levels = amqp=WARN,amqplib=WARN,sqlalchemy=WARN,oslo.messaging=INFO,oslo_messaging=INFO,oslo_messaging.rpc.client=ERROR,iso8601=WARN,urllib3.connectionpool=WARN,urllib3.util.retry=WARN,keystonemiddleware=WARN,routes.middleware=WARN,stevedore=WARN,taskflow=WARN,keystoneauth=WARN,oslo.cache=INFO,oslo_policy=INFO,dogpile.core.dogpile=INFO
allow_overlapping_ips = true
[database]
connection = $(dburl neutron neutron)
[nova]
region_name = $REGION
$(svc_auth nova)
[oslo_concurrency]
lock_path = $STATE/neutron/lock
[oslo_messaging_notifications]
driver = noop
[agent]
root_helper =
EOF
    authtoken neutron; } > "$ETC/neutron/neutron.conf"
  cat > "$ETC/neutron/ml2_conf.ini" <<EOF
[ml2]
type_drivers = local,flat,vxlan
tenant_network_types = vxlan
mechanism_drivers = bp_noop
extension_drivers = port_security
[ml2_type_flat]
flat_networks = public
[ml2_type_vxlan]
vni_ranges = 1:10000
EOF

  # ---- nova (one file for all nova services)
  cp /etc/nova/api-paste.ini "$ETC/nova/"
  { cat <<EOF
[DEFAULT]
host = bp-compute
my_ip = $H
state_path = $STATE/nova
instances_path = $STATE/nova/instances
transport_url = $TRANSPORT_URL
compute_driver = fake.FakeDriver
enabled_apis = osapi_compute
osapi_compute_listen = $H
osapi_compute_workers = 1
default_log_levels = amqp=WARN,amqplib=WARN,sqlalchemy=WARN,oslo.messaging=INFO,oslo_messaging=INFO,oslo_messaging.rpc.client=ERROR,iso8601=WARN,urllib3.connectionpool=WARN,urllib3.util.retry=WARN,keystonemiddleware=WARN,routes.middleware=WARN,stevedore=WARN,taskflow=WARN,keystoneauth=WARN,oslo.cache=INFO,oslo_policy=INFO,dogpile.core.dogpile=INFO,glanceclient=WARN,oslo.privsep.daemon=INFO
[api]
auth_strategy = keystone
[wsgi]
api_paste_config = $ETC/nova/api-paste.ini
[api_database]
connection = $(dburl nova nova_api)
[database]
connection = $(dburl nova nova)
[conductor]
workers = 1
[scheduler]
workers = 1
discover_hosts_in_cells_interval = 10
[oslo_concurrency]
lock_path = $STATE/nova/lock
[oslo_messaging_notifications]
driver = noop
[glance]
region_name = $REGION
[cinder]
os_region_name = $REGION
catalog_info = volumev3::publicURL
$(svc_auth cinder)
[placement]
region_name = $REGION
$(svc_auth nova)
[neutron]
region_name = $REGION
$(svc_auth neutron)
service_metadata_proxy = false
[service_user]
send_service_user_token = true
$(svc_auth nova)
[vnc]
enabled = false
[spice]
enabled = false
[serial_console]
enabled = false
[compute]
resource_provider_association_refresh = 300
[oslo_policy]
policy_dirs = /etc/nova/policy.d
EOF
    authtoken nova; } > "$ETC/nova/nova.conf"
  # ---- cinder (api under uwsgi, scheduler, volume with the fake driver)
  cp /etc/cinder/api-paste.ini "$ETC/cinder/"
  { cat <<EOF
[DEFAULT]
log_file = $LOG/cinder-app.log
host = bp-volume
my_ip = $H
state_path = $STATE/cinder
transport_url = $TRANSPORT_URL
auth_strategy = keystone
api_paste_config = $ETC/cinder/api-paste.ini
enabled_backends = bpfake
default_volume_type = __DEFAULT__
glance_api_servers = http://$H:$GLANCE_PORT
osapi_volume_workers = 1
default_log_levels = amqp=WARN,amqplib=WARN,sqlalchemy=WARN,oslo.messaging=INFO,oslo_messaging=INFO,iso8601=WARN,urllib3.connectionpool=WARN,keystonemiddleware=WARN,routes.middleware=WARN,stevedore=WARN,keystoneauth=WARN
[bpfake]
volume_driver = bp_fake_volume.FakeVolumeDriver
volume_backend_name = bpfake
[database]
connection = $(dburl cinder cinder)
[oslo_concurrency]
lock_path = $STATE/cinder/lock
[oslo_messaging_notifications]
driver = noop
[nova]
region_name = $REGION
$(svc_auth nova)
[service_user]
send_service_user_token = true
$(svc_auth cinder)
EOF
    authtoken cinder; } > "$ETC/cinder/cinder.conf"

  # nova-compute must not see DB URLs (it talks to the DB via conductor only;
  # with them it logs "No DB access allowed in nova-compute").
  grep -v '^connection = ' "$ETC/nova/nova.conf" > "$ETC/nova/nova-cpu.conf"
  chmod -R go-rwx "$ETC"
}

