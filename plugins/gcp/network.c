/*
 * network.c: VPC networks (auto or custom mode), subnetworks, firewall
 * rules and static addresses (regional Address, GlobalAddress/StaticIP).
 *
 * Properties follow Cloudify's GCP plugin: Network {name, auto_subnets,
 * additional_settings}; SubNetwork {name, region, subnet (the CIDR)};
 * FirewallRule {name, allowed: {tcp: [ports]}, sources, target_tags};
 * Address {name, region}. A subnetwork or firewall rule takes its network
 * from the relationship to a Network node (runtime links.network), else
 * the property `network`, else gcp_config.network. Networks, subnetworks
 * and firewalls have no labels: the deployment's mark is the description.
 */
#include "gcp.h"

#include <string.h>

/* The network a resource is in, as a partial URL (transfer full). */
static char *network_ref(struct gcp *g)
{
	const char *n = gcp_link(g, "network");

	if (!n)
		n = gcp_str(g, "network");
	if (!n)
		n = g->network;
	if (strchr(n, '/'))
		return g_strdup(n);
	return g_strdup_printf("projects/%s/global/networks/%s", g->project, n);
}

static json_t *network_body(struct gcp *g, const char *name, int *rc)
{
	bool auto_subnets = true;

	(void)rc;
	bp_get_bool(g->ctx, BP_SCOPE_PROPERTIES, "auto_subnets", &auto_subnets);
	return gcp_with_settings(g, json_pack("{s:s, s:b, s:{s:s}}", "name", name,
					  "autoCreateSubnetworks", auto_subnets,
					  "routingConfig", "routingMode",
					  "REGIONAL"));
}

const struct gcp_kind gcp_network = {
	.name = "network", .api = GCP_COMPUTE, .scope = GCP_GLOBAL,
	.collection = "networks", .owner_field = "description",
	.body = network_body,
};

static json_t *subnetwork_body(struct gcp *g, const char *name, int *rc)
{
	const char *cidr = gcp_str(g, "subnet");
	g_autofree char *net = network_ref(g);

	if (!cidr) {
		*rc = bp_fail_fatal(g->ctx, "subnetwork '%s' needs 'subnet' "
				    "(its CIDR range, 10.0.0.0/24)", name);
		return NULL;
	}
	return gcp_with_settings(g, json_pack("{s:s, s:s, s:s}", "name", name,
					  "network", net, "ipCidrRange", cidr));
}

static void subnetwork_publish(struct gcp *g, json_t *res)
{
	const char *cidr = json_string_value(json_object_get(res,
							      "ipCidrRange"));

	if (cidr)
		bp_runtime_set_string(g->ctx, "ipCidrRange", cidr);
	bp_runtime_set_string(g->ctx, "network",
			      json_string_value(json_object_get(res, "network")));
}

const struct gcp_kind gcp_subnetwork = {
	.name = "subnetwork", .api = GCP_COMPUTE, .scope = GCP_REGION,
	.collection = "subnetworks", .owner_field = "description",
	.body = subnetwork_body, .publish = subnetwork_publish,
};

/* Cloudify's {tcp: [22, "80-90"], icmp: []} as [{IPProtocol, ports}]. */
static json_t *allowed_rules(json_t *allowed)
{
	json_t *out = json_array();
	const char *proto;
	json_t *ports, *p;
	size_t i;

	if (json_is_array(allowed))
		return json_incref(allowed);
	json_object_foreach(allowed, proto, ports) {
		json_t *rule = json_pack("{s:s}", "IPProtocol", proto);
		json_t *list = json_array();

		json_array_foreach(ports, i, p) {
			char *s = json_is_string(p) ? g_strdup(json_string_value(p)) :
				g_strdup_printf("%lld",
						(long long)json_integer_value(p));

			json_array_append_new(list, json_string(s));
			g_free(s);
		}
		if (json_array_size(list))
			json_object_set_new(rule, "ports", list);
		else
			json_decref(list);
		json_array_append_new(out, rule);
	}
	return out;
}

static json_t *firewall_body(struct gcp *g, const char *name, int *rc)
{
	json_t *allowed = gcp_prop(g, "allowed");
	json_t *sources = gcp_prop(g, "sources");
	json_t *tags = gcp_prop(g, "target_tags");
	g_autofree char *net = network_ref(g);
	json_t *body;

	if (!json_object_size(allowed) && !json_array_size(allowed)) {
		json_decref(allowed);
		json_decref(sources);
		json_decref(tags);
		*rc = bp_fail_fatal(g->ctx, "firewall rule '%s' needs 'allowed' "
				    "({tcp: [ports]})", name);
		return NULL;
	}
	body = json_pack("{s:s, s:s, s:o}", "name", name, "network", net,
			 "allowed", allowed_rules(allowed));
	json_decref(allowed);
	if (json_array_size(sources))
		json_object_set(body, "sourceRanges", sources);
	else
		json_object_set_new(body, "sourceRanges",
				    json_pack("[s]", "0.0.0.0/0"));
	if (json_array_size(tags))
		json_object_set(body, "targetTags", tags);
	json_decref(sources);
	json_decref(tags);
	return gcp_with_settings(g, body);
}

const struct gcp_kind gcp_firewall = {
	.name = "firewall", .api = GCP_COMPUTE, .scope = GCP_GLOBAL,
	.collection = "firewalls", .owner_field = "description",
	.body = firewall_body,
};

static json_t *address_body(struct gcp *g, const char *name, int *rc)
{
	(void)rc;
	return gcp_with_settings(g, json_pack("{s:s}", "name", name));
}

static void address_publish(struct gcp *g, json_t *res)
{
	const char *ip = json_string_value(json_object_get(res, "address"));

	if (ip) {
		bp_runtime_set_string(g->ctx, "address", ip);
		bp_runtime_set_string(g->ctx, "ip", ip);
	}
}

const struct gcp_kind gcp_address = {
	.name = "address", .api = GCP_COMPUTE, .scope = GCP_REGION,
	.collection = "addresses", .owner_field = "labels",
	.body = address_body, .publish = address_publish,
};

const struct gcp_kind gcp_global_address = {
	.name = "address", .api = GCP_COMPUTE, .scope = GCP_GLOBAL,
	.collection = "addresses", .owner_field = "labels",
	.body = address_body, .publish = address_publish,
};
