/*
 * conn.c: one operation's connection to Google Cloud.
 *
 * gcp_config (or Cloudify's other name, client_config) gives auth (a
 * service-account key, as a map or JSON text), project, zone, network and
 * api_endpoint. Without auth, the Application Default Credentials
 * (gauth.h). The project: gcp_config.project, else the key's, else
 * GOOGLE_CLOUD_PROJECT. Endpoints: api_endpoint or BLUEPRINT_GCP_API_ENDPOINT
 * (a base under which compute/v1, file/v1 and container/v1 live, as in a
 * private endpoint or the test fake), else Google's public ones; gcloud's
 * own CLOUDSDK_API_ENDPOINT_OVERRIDES_{COMPUTE,FILE,CONTAINER} win per API.
 *
 * Credentials are kept in the load state's pool by their text, so every
 * operation on every thread shares one source and its cached token.
 */
#include "gcp.h"

#include <string.h>

static const char *const public_base[] = {
	"https://compute.googleapis.com/compute/v1",
	"https://file.googleapis.com/v1",
	"https://container.googleapis.com/v1",
};
static const char *const api_dirs[] = { "compute/v1", "file/v1",
					"container/v1" };
static const char *const override_env[] = {
	"CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE",
	"CLOUDSDK_API_ENDPOINT_OVERRIDES_FILE",
	"CLOUDSDK_API_ENDPOINT_OVERRIDES_CONTAINER",
};

/* The config object: gcp_config, or client_config when that is empty. */
static json_t *config(bp_ctx *ctx)
{
	json_t *cfg = json_loads(bp_get_json(ctx, BP_SCOPE_PROPERTIES,
					     "gcp_config") ?: "{}",
				 JSON_DECODE_ANY, NULL);

	if (!json_is_object(cfg) || json_object_size(cfg) == 0) {
		json_decref(cfg);
		cfg = json_loads(bp_get_json(ctx, BP_SCOPE_PROPERTIES,
					     "client_config") ?: "{}",
				 JSON_DECODE_ANY, NULL);
	}
	if (!json_is_object(cfg)) {
		json_decref(cfg);
		cfg = json_object();
	}
	return cfg;
}

static char *cfg_str(json_t *cfg, const char *key)
{
	const char *s = json_string_value(json_object_get(cfg, key));

	return s && *s ? g_strdup(s) : NULL;
}

static char *label_value(const char *s)
{
	GString *v = g_string_new(NULL);

	for (; *s && v->len < 63; s++)
		g_string_append_c(v, g_ascii_isalnum(*s) || *s == '-' ||
				  *s == '_' ? g_ascii_tolower(*s) : '-');
	return g_string_free(v, FALSE);
}

static void endpoints(struct gcp *g, json_t *cfg)
{
	g_autofree char *base = cfg_str(cfg, "api_endpoint");
	const char *env = g_getenv("BLUEPRINT_GCP_API_ENDPOINT");

	if (!base && env && *env)
		base = g_strdup(env);
	for (int i = 0; i < 3; i++) {
		const char *o = g_getenv(override_env[i]);
		char *b = o && *o ? g_strdup(o) : base ?
			g_strdup_printf("%s/%s", base, api_dirs[i]) :
			g_strdup(public_base[i]);
		size_t n = strlen(b);

		while (n && b[n - 1] == '/')
			b[--n] = '\0';
		g->base[i] = b;
	}
}

bool gcp_open(struct gcp *g, bp_ctx *ctx, int *rc)
{
	json_t *cfg = config(ctx);
	g_autofree char *auth = gauth_creds_text(json_object_get(cfg, "auth"));
	g_autofree char *errmsg = NULL;
	const char *zone;
	char *dash;

	memset(g, 0, sizeof(*g));
	g->ctx = ctx;
	g->st = bp_state(ctx);
	g->src = gauth_pool_get(g->st->pool, auth, &errmsg);
	if (!g->src) {
		json_decref(cfg);
		*rc = bp_fail_fatal(ctx, "gcp credentials: %s", errmsg);
		return false;
	}
	g->project = cfg_str(cfg, "project");
	if (!g->project && gauth_source_project(g->src))
		g->project = g_strdup(gauth_source_project(g->src));
	if (!g->project && g_getenv("GOOGLE_CLOUD_PROJECT") &&
	    *g_getenv("GOOGLE_CLOUD_PROJECT"))
		g->project = g_strdup(g_getenv("GOOGLE_CLOUD_PROJECT"));
	zone = gcp_str(g, "zone");
	g->zone = zone ? g_strdup(zone) : cfg_str(cfg, "zone");
	g->network = cfg_str(cfg, "network");
	if (!g->network)
		g->network = g_strdup("default");
	endpoints(g, cfg);
	json_decref(cfg);
	if (!g->project) {
		*rc = bp_fail_fatal(ctx, "no gcp project: set gcp_config.project,"
				    " use a service-account key, or set "
				    "GOOGLE_CLOUD_PROJECT");
		gcp_close(g);
		return false;
	}
	if (gcp_str(g, "region"))
		g->region = g_strdup(gcp_str(g, "region"));
	else if (g->zone && (dash = strrchr(g->zone, '-')))
		g->region = g_strndup(g->zone, (gsize)(dash - g->zone));
	g->owner = label_value(bp_deployment_id(ctx));
	g->instance = label_value(bp_instance_id(ctx) ?: "");
	return true;
}

void gcp_close(struct gcp *g)
{
	g_free(g->project);
	g_free(g->zone);
	g_free(g->region);
	g_free(g->network);
	for (int i = 0; i < 3; i++)
		g_free(g->base[i]);
	g_free(g->owner);
	g_free(g->instance);
	memset(g, 0, sizeof(*g));
}

static void decode_error(struct gcp_reply *r)
{
	json_t *err = json_object_get(r->body, "error");
	json_t *first = json_array_get(json_object_get(err, "errors"), 0);

	r->message = json_string_value(json_object_get(err, "message"));
	r->reason = json_string_value(json_object_get(first, "reason"));
	if (!r->reason)
		r->reason = json_string_value(json_object_get(err, "status"));
}

bool gcp_call(struct gcp *g, enum gcp_api api, const char *method,
	      const char *path, json_t *body, struct gcp_reply *out, int *rc)
{
	g_autofree char *url = g_str_has_prefix(path, "http") ? g_strdup(path) :
		g_strdup_printf("%s/%s", g->base[api], path);
	struct http_response resp;

	memset(out, 0, sizeof(*out));
	for (int attempt = 0; attempt < 2; attempt++) {
		g_autofree char *errmsg = NULL;
		g_autofree char *tok = NULL;
		bool fatal;
		struct http_request req = {
			.method = method, .url = url, .ctx = g->ctx,
			.idempotent = strcmp(method, "POST") != 0,
		};

		tok = gauth_token(g->src, g->st->client, g->ctx, &fatal, &errmsg);
		if (!tok) {
			*rc = fatal ? bp_fail_fatal(g->ctx, "%s", errmsg) :
				      bp_fail(g->ctx, "%s", errmsg);
			return false;
		}
		req.bearer = tok;
		http_send_json(g->st->client, &req, body, &resp);
		if (resp.status == 0) {
			*rc = bp_fail(g->ctx, "%s %s: %s", method, url, resp.error);
			http_response_clear(&resp);
			return false;
		}
		if (resp.status == 401 && attempt == 0) {
			bp_log(g->ctx, BP_LOG_INFO, "%s %s: 401, getting a new token",
			       method, url);
			gauth_invalidate(g->src, tok);
			http_response_clear(&resp);
			continue;
		}
		break;
	}
	out->status = resp.status;
	out->body = http_response_json(&resp);
	if (out->status >= 300)
		decode_error(out);
	if (out->status >= 300 && !out->message)
		out->message = "";
	http_response_clear(&resp);
	return true;
}

void gcp_reply_clear(struct gcp_reply *r)
{
	json_decref(r->body);
	memset(r, 0, sizeof(*r));
}

int gcp_fail_reply(struct gcp *g, const char *what, const struct gcp_reply *r)
{
	const char *reason = r->reason ? r->reason : "";
	bool passing = r->status == 429 || r->status >= 500 ||
		       strcmp(reason, "rateLimitExceeded") == 0 ||
		       strcmp(reason, "userRateLimitExceeded") == 0;

	if (passing)
		return bp_fail(g->ctx, "%s: HTTP %ld %s: %s", what, r->status,
			       reason, r->message);
	return bp_fail_fatal(g->ctx, "%s: HTTP %ld %s: %s", what, r->status,
			     reason, r->message);
}

json_t *gcp_prop(struct gcp *g, const char *path)
{
	const char *text = bp_get_json(g->ctx, BP_SCOPE_PROPERTIES, path);
	json_t *v = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;

	if (json_is_null(v)) {
		json_decref(v);
		return NULL;
	}
	return v;
}

const char *gcp_str(struct gcp *g, const char *path)
{
	const char *s = bp_get_string(g->ctx, BP_SCOPE_INPUTS, path);

	if (!s || !*s)
		s = bp_get_string(g->ctx, BP_SCOPE_PROPERTIES, path);
	return s && *s ? s : NULL;
}

bool gcp_int(struct gcp *g, const char *path, int64_t *out)
{
	const char *s = bp_get_string(g->ctx, BP_SCOPE_INPUTS, path);

	if (bp_get_int(g->ctx, BP_SCOPE_INPUTS, path, out))
		return true;
	if (s && *s) {
		char *end;
		long long v = g_ascii_strtoll(s, &end, 10);

		if (*end == '\0') {
			*out = v;
			return true;
		}
	}
	return bp_get_int(g->ctx, BP_SCOPE_PROPERTIES, path, out);
}

char *gcp_name_from(const char *s, size_t max)
{
	GString *n = g_string_new(NULL);

	for (; *s && n->len < max; s++) {
		char c = g_ascii_tolower(*s);

		if (!g_ascii_isalnum(c))
			c = '-';
		if (n->len == 0 && !g_ascii_isalpha(c))
			g_string_append(n, "r-");
		if (c == '-' && n->len && n->str[n->len - 1] == '-')
			continue;
		g_string_append_c(n, c);
	}
	while (n->len && n->str[n->len - 1] == '-')
		g_string_truncate(n, n->len - 1);
	if (n->len == 0)
		g_string_append(n, "r");
	return g_string_free(n, FALSE);
}

bp_ctx *gcp_related(struct gcp *g, const char *kind)
{
	bp_ctx *r;

	for (uint32_t i = 0; (r = bp_related(g->ctx, NULL, i)); i++)
		if (!g_strcmp0(bp_get_string(r, BP_SCOPE_RUNTIME, "gcp_kind"),
			       kind))
			return r;
	return NULL;
}

const char *gcp_link(struct gcp *g, const char *kind)
{
	g_autofree char *path = g_strdup_printf("links.%s", kind);
	const char *v = bp_get_string(g->ctx, BP_SCOPE_RUNTIME, path);
	bool nfs = strcmp(kind, "nfs_export") == 0;
	bp_ctx *r;

	if (v)
		return v;
	r = gcp_related(g, nfs ? "filestore" : kind);
	if (!r)
		return NULL;
	if (nfs)
		return bp_get_string(r, BP_SCOPE_RUNTIME, "nfs_export");
	/* an address is used by its IP, everything else by its link */
	if (strcmp(kind, "address") == 0 &&
	    (v = bp_get_string(r, BP_SCOPE_RUNTIME, "address")))
		return v;
	return bp_get_string(r, BP_SCOPE_RUNTIME, "selfLink");
}

void gcp_label(struct gcp *g, json_t *labels)
{
	json_object_set_new(labels, "blueprint-deployment",
			    json_string(g->owner));
	json_object_set_new(labels, "blueprint-instance",
			    json_string(g->instance));
}

json_t *gcp_with_settings(struct gcp *g, json_t *body)
{
	json_t *extra = gcp_prop(g, "additional_settings");

	if (json_is_object(extra))
		json_object_update(body, extra);
	json_decref(extra);
	return body;
}
