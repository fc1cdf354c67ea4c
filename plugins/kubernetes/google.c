/* google.c: GKE clusters, reached with a Google access token.
 *
 * A GKE cluster accepts a Google OAuth 2.0 access token as its bearer
 * token. Two ways lead a resource there, as Cloudify's blueprints write
 * them:
 *   - client_config.authentication.gcp_service_account (a service-account
 *     key as JSON text or a map) next to any configuration variant
 *     (typically api_options.host from get_attribute of the cluster's
 *     endpoint): the key's token replaces the configured one;
 *   - a relationship (connected_to, depends_on, managed_by, ...) to a
 *     GKE cluster node (cloudify.nodes.gcp.KubernetesCluster, created by
 *     the gcp plugin, which publishes runtime gcp_kind "cluster",
 *     api_server and ca_cert) when the resource names no cluster itself:
 *     its endpoint and CA, and a token for the cluster node's own
 *     credentials (gcp_config.auth or client_config.auth, else the
 *     Application Default Credentials).
 * Tokens come from plugins/common/gauth (a JWT signed RS256 with the key,
 * exchanged at its token_uri), cached per key in the plugin's load state
 * until shortly before they expire, shared by every operation. */
#include "kube.h"

#include <string.h>

#define KUBE_GOOGLE_AGENT "blueprint-kubernetes/0.1"

/* The load state: Google credentials and a client for their token
 * endpoints (the system's CAs: never a cluster's). */
struct kube_state {
	struct gauth_pool *pool;
	struct http_client *google;
};

void *kube_state_new(char **errmsg)
{
	struct kube_state *st = g_new0(struct kube_state, 1);

	st->google = http_client_new(KUBE_GOOGLE_AGENT, NULL, errmsg);
	if (!st->google) {
		g_free(st);
		return NULL;
	}
	st->pool = gauth_pool_new();
	return st;
}

void kube_state_free(void *state)
{
	struct kube_state *st = state;

	if (!st)
		return;
	gauth_pool_free(st->pool);
	http_client_free(st->google);
	g_free(st);
}

void kube_google_from_authentication(struct kube_auth *a, const json_t *authn)
{
	g_autofree char *creds = gauth_creds_text(
		json_object_get(authn, "gcp_service_account"));

	if (!creds)
		return;
	a->google = true;
	g_free(a->google_creds);
	a->google_creds = g_steal_pointer(&creds);
}

/* The GKE cluster among the instance's relationship targets, or NULL. */
static bp_ctx *gke_cluster(bp_ctx *ctx)
{
	bp_ctx *r;

	for (uint32_t i = 0; (r = bp_related(ctx, NULL, i)); i++)
		if (!g_strcmp0(bp_get_string(r, BP_SCOPE_RUNTIME, "gcp_kind"),
			       "cluster"))
			return r;
	return NULL;
}

/* The cluster node's credentials (transfer full), NULL for ADC. */
static char *cluster_creds(bp_ctx *cluster)
{
	static const char *const configs[] = { "gcp_config.auth",
					       "client_config.auth" };

	for (size_t i = 0; i < G_N_ELEMENTS(configs); i++) {
		g_autoptr(json_t) v = kube_get_json(cluster, BP_SCOPE_PROPERTIES,
						    configs[i]);
		char *creds = gauth_creds_text(v);

		if (creds)
			return creds;
	}
	return NULL;
}

bool kube_google_from_cluster(bp_ctx *ctx, struct kube_auth *a, bool *done,
			      char **errmsg)
{
	bp_ctx *cluster = gke_cluster(ctx);
	const char *server, *endpoint, *ca;

	*done = false;
	if (!cluster)
		return true;
	*done = true;
	server = bp_get_string(cluster, BP_SCOPE_RUNTIME, "api_server");
	endpoint = bp_get_string(cluster, BP_SCOPE_RUNTIME, "endpoint");
	ca = bp_get_string(cluster, BP_SCOPE_RUNTIME, "ca_cert");
	if ((!server || !*server) && (!endpoint || !*endpoint)) {
		*errmsg = g_strdup_printf("the GKE cluster node '%s' has no "
					  "endpoint yet (runtime property "
					  "'endpoint')", bp_node_name(cluster));
		return false;
	}
	a->server = server && *server ? g_strdup(server) :
		g_strdup_printf("https://%s", endpoint);
	if (ca && *ca)
		a->tls.ca_data = g_strdup(ca);
	a->google = true;
	a->google_creds = cluster_creds(cluster);
	a->source = g_strdup_printf("the GKE cluster node '%s'",
				    bp_node_name(cluster));
	return true;
}

int kube_google_token(bp_ctx *ctx, struct kube_auth *a)
{
	struct kube_state *st = bp_state(ctx);
	g_autofree char *err = NULL;
	struct gauth_source *src;
	bool fatal = false;
	char *tok;

	src = gauth_pool_get(st->pool, a->google_creds, &err);
	if (!src)
		return bp_fail_fatal(ctx, "%s: Google credentials: %s",
				     a->source, err);
	tok = gauth_token(src, st->google, ctx, &fatal, &err);
	if (!tok)
		return fatal ? bp_fail_fatal(ctx, "%s: %s", a->source, err) :
			       bp_fail(ctx, "%s: %s", a->source, err);
	g_free(a->token);
	a->token = tok;
	bp_log(ctx, BP_LOG_DEBUG, "%s: a Google access token (%s)", a->source,
	       gauth_source_kind(src));
	return BP_OK;
}
