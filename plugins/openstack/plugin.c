/* plugin.c: the openstack plugin's operation table. Each resource kind
 * gets create, delete, validate, list and update from resource.c; the
 * rest are the families' own (server actions, relationship operations,
 * security group rules, router interfaces and routes, image upload,
 * project members and quotas, aggregate hosts, RBAC clean-up,
 * record sets in their zone, share access rules). */
#include "os.h"

int os_port_attach(bp_ctx *ctx);
int os_port_attach_to_server(bp_ctx *ctx);
int os_port_detach(bp_ctx *ctx);
int os_router_start(bp_ctx *ctx);
int os_router_stop(bp_ctx *ctx);
int os_router_add_interface(bp_ctx *ctx);
int os_router_remove_interface(bp_ctx *ctx);
int os_security_group_configure(bp_ctx *ctx);
int os_server_stop(bp_ctx *ctx);
int os_server_start(bp_ctx *ctx);
int os_server_reboot(bp_ctx *ctx);
int os_server_suspend(bp_ctx *ctx);
int os_server_resume(bp_ctx *ctx);
int os_server_configure(bp_ctx *ctx);
int os_server_connect_floating_ip(bp_ctx *ctx);
int os_server_disconnect_floating_ip(bp_ctx *ctx);
int os_server_connect_security_group(bp_ctx *ctx);
int os_server_disconnect_security_group(bp_ctx *ctx);
int os_server_attach_volume(bp_ctx *ctx);
int os_server_detach_volume(bp_ctx *ctx);
int os_image_create(bp_ctx *ctx);
int os_project_start(bp_ctx *ctx);
int os_project_update_quota(bp_ctx *ctx);
int os_project_get_quota(bp_ctx *ctx);
int os_rbac_find_and_delete(bp_ctx *ctx);
int os_rbac_unlink_target(bp_ctx *ctx);
int os_share_allow(bp_ctx *ctx);
int os_share_deny(bp_ctx *ctx);
int os_aggregate_configure(bp_ctx *ctx);
int os_aggregate_add_hosts(bp_ctx *ctx);
int os_aggregate_remove_hosts(bp_ctx *ctx);
int os_aggregate_delete(bp_ctx *ctx);
int os_recordset_create(bp_ctx *ctx);
int os_recordset_delete(bp_ctx *ctx);
int os_recordset_list(bp_ctx *ctx);
int os_recordset_update(bp_ctx *ctx);

#define KIND_CREATE(n)                                                     \
	static int n##_create(bp_ctx *c) { return os_res_create(c, &os_kind_##n); }
#define KIND_OPS(n)                                                        \
	static int n##_delete(bp_ctx *c) { return os_res_delete(c, &os_kind_##n); } \
	KIND_QUERIES(n)
#define KIND_QUERIES(n)                                                    \
	static int n##_list(bp_ctx *c) { return os_res_list(c, &os_kind_##n); }     \
	static int n##_update(bp_ctx *c) { return os_res_update(c, &os_kind_##n); } \
	static int n##_validate(bp_ctx *c) { return os_res_validate(c, &os_kind_##n); }

KIND_CREATE(network)
KIND_OPS(network)
KIND_CREATE(subnet)
KIND_OPS(subnet)
KIND_CREATE(port)
KIND_OPS(port)
KIND_CREATE(router)
KIND_OPS(router)
KIND_CREATE(security_group)
KIND_OPS(security_group)
KIND_CREATE(security_group_rule)
KIND_OPS(security_group_rule)
KIND_CREATE(floating_ip)
KIND_OPS(floating_ip)
KIND_CREATE(server)
KIND_OPS(server)
KIND_CREATE(keypair)
KIND_OPS(keypair)
KIND_CREATE(server_group)
KIND_OPS(server_group)
KIND_CREATE(flavor)
KIND_OPS(flavor)
KIND_OPS(image)
KIND_CREATE(volume)
KIND_OPS(volume)
KIND_CREATE(volume_type)
KIND_OPS(volume_type)
KIND_CREATE(user)
KIND_OPS(user)
KIND_CREATE(group)
KIND_OPS(group)
KIND_CREATE(role)
KIND_OPS(role)
KIND_CREATE(project)
KIND_OPS(project)
KIND_CREATE(rbac_policy)
KIND_OPS(rbac_policy)
KIND_CREATE(host_aggregate)
KIND_QUERIES(host_aggregate)
KIND_CREATE(share)
KIND_OPS(share)
KIND_CREATE(share_network)
KIND_OPS(share_network)
/* zones change by PATCH, which os_res_update does not send: no update */
KIND_CREATE(zone)
static int zone_delete(bp_ctx *c) { return os_res_delete(c, &os_kind_zone); }
static int zone_list(bp_ctx *c) { return os_res_list(c, &os_kind_zone); }
static int zone_validate(bp_ctx *c) { return os_res_validate(c, &os_kind_zone); }

#define KIND_ENTRIES(n, create)                                            \
	{ #n ".create", create }, { #n ".delete", n##_delete },            \
	{ #n ".list", n##_list }, { #n ".update", n##_update },             \
	{ #n ".validate", n##_validate }

static const struct bp_op os_ops[] = {
	KIND_ENTRIES(network, network_create),
	KIND_ENTRIES(subnet, subnet_create),
	KIND_ENTRIES(port, port_create),
	KIND_ENTRIES(router, router_create),
	KIND_ENTRIES(security_group, security_group_create),
	KIND_ENTRIES(security_group_rule, security_group_rule_create),
	KIND_ENTRIES(floating_ip, floating_ip_create),
	KIND_ENTRIES(server, server_create),
	KIND_ENTRIES(keypair, keypair_create),
	KIND_ENTRIES(server_group, server_group_create),
	KIND_ENTRIES(flavor, flavor_create),
	KIND_ENTRIES(image, os_image_create),
	KIND_ENTRIES(volume, volume_create),
	KIND_ENTRIES(volume_type, volume_type_create),
	KIND_ENTRIES(user, user_create),
	KIND_ENTRIES(group, group_create),
	KIND_ENTRIES(role, role_create),
	KIND_ENTRIES(project, project_create),
	KIND_ENTRIES(rbac_policy, rbac_policy_create),
	{ "host_aggregate.create", host_aggregate_create },
	{ "host_aggregate.delete", os_aggregate_delete },
	{ "host_aggregate.list", host_aggregate_list },
	{ "host_aggregate.update", host_aggregate_update },
	{ "host_aggregate.validate", host_aggregate_validate },
	{ "host_aggregate.configure", os_aggregate_configure },
	{ "host_aggregate.add_hosts", os_aggregate_add_hosts },
	{ "host_aggregate.remove_hosts", os_aggregate_remove_hosts },
	{ "project.start", os_project_start },
	{ "project.update_quota", os_project_update_quota },
	{ "project.get_quota", os_project_get_quota },
	{ "rbac_policy.find_and_delete", os_rbac_find_and_delete },
	{ "rbac_policy.unlink_target", os_rbac_unlink_target },
	KIND_ENTRIES(share, share_create),
	{ "share.allow", os_share_allow },
	{ "share.deny", os_share_deny },
	{ "network_share.create", share_network_create },
	{ "network_share.delete", share_network_delete },
	{ "network_share.list", share_network_list },
	{ "network_share.update", share_network_update },
	{ "network_share.validate", share_network_validate },
	{ "zone.create", zone_create },
	{ "zone.delete", zone_delete },
	{ "zone.list", zone_list },
	{ "zone.validate", zone_validate },
	{ "recordset.create", os_recordset_create },
	{ "recordset.delete", os_recordset_delete },
	{ "recordset.list", os_recordset_list },
	{ "recordset.update", os_recordset_update },
	{ "image.start", os_image_create },
	{ "volume.start", volume_create },
	{ "port.attach", os_port_attach },
	{ "port.attach_to_server", os_port_attach_to_server },
	{ "port.add_server_interface", os_port_attach_to_server },
	{ "port.detach", os_port_detach },
	{ "port.remove_server_interface", os_port_detach },
	{ "router.start", os_router_start },
	{ "router.stop", os_router_stop },
	{ "router.add_interface", os_router_add_interface },
	{ "router.remove_interface", os_router_remove_interface },
	{ "security_group.configure", os_security_group_configure },
	{ "server.configure", os_server_configure },
	{ "server.stop", os_server_stop },
	{ "server.start", os_server_start },
	{ "server.reboot", os_server_reboot },
	{ "server.suspend", os_server_suspend },
	{ "server.resume", os_server_resume },
	{ "server.connect_floating_ip", os_server_connect_floating_ip },
	{ "server.disconnect_floating_ip", os_server_disconnect_floating_ip },
	{ "server.connect_security_group", os_server_connect_security_group },
	{ "server.disconnect_security_group",
	  os_server_disconnect_security_group },
	{ "server.attach_volume", os_server_attach_volume },
	{ "server.detach_volume", os_server_detach_volume },
	{ NULL, NULL },
};

/* Clouds rate-limit their APIs per project: at most 10 operations at once
 * (--plugin-parallelism openstack=N changes it). */
BP_PLUGIN_DEFINE_FULL("openstack", "1.0.0", os_ops, NULL, os_conn_free_all,
		      NULL, 10);
