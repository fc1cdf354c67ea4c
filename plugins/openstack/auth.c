/* auth.c: Keystone v3 authentication and the connections that share a
 * token. Password auth (user by name and domain, or id) scoped to a project
 * (by id, or name and domain) or a domain, and application credentials (by
 * id, or name and user) which carry their own scope. One connection per
 * distinct configuration, kept for the plugin's lifetime: every operation
 * and thread with the same credentials uses its token, renewed when less
 * than the margin is left (BLUEPRINT_OPENSTACK_TOKEN_MARGIN seconds, 300 by
 * default) or when an API refused it (os_call passes the refused token as
 * `stale`, so concurrent 401s renew it once). */
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "os.h"
#include "conn.h"

static GMutex conns_lock;
static GHashTable *conns;  /* config text -> struct os_conn */

static void conn_free(gpointer p)
{
	struct os_conn *c = p;

	http_client_free(c->http);
	json_decref(c->cfg);
	json_decref(c->catalog);
	g_free(c->token);
	g_free(c->project_id);
	g_free(c->nova_version);
	g_mutex_clear(&c->lock);
	g_free(c);
}

void os_conn_free_all(void *state)
{
	(void)state;
	g_mutex_lock(&conns_lock);
	g_clear_pointer(&conns, g_hash_table_destroy);
	g_mutex_unlock(&conns_lock);
}

struct http_client *os_conn_http(struct os_conn *c)
{
	return c->http;
}

static bool cfg_true(const json_t *cfg, const char *key)
{
	const char *v = os_config_str(cfg, key);

	return v && (!g_ascii_strcasecmp(v, "true") || !strcmp(v, "1") ||
		     !g_ascii_strcasecmp(v, "yes"));
}

struct os_conn *os_conn_get(bp_ctx *ctx, const json_t *cfg, char **errmsg,
			    bool *fatal)
{
	g_autofree char *key = json_dumps(cfg, JSON_SORT_KEYS | JSON_COMPACT);
	struct os_conn *c;
	struct http_tls tls = { 0 };
	g_autofree char *token = NULL;

	*errmsg = NULL;
	*fatal = false;
	g_mutex_lock(&conns_lock);
	if (!conns)
		conns = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					      conn_free);
	c = g_hash_table_lookup(conns, key);
	if (!c) {
		tls.ca_file = os_config_str(cfg, "cacert");
		if (!tls.ca_file)
			tls.ca_file = os_config_str(cfg, "ca_cert");
		tls.cert_file = os_config_str(cfg, "cert");
		tls.key_file = os_config_str(cfg, "key");
		tls.insecure = cfg_true(cfg, "insecure") ||
			(os_config_str(cfg, "verify") &&
			 !cfg_true(cfg, "verify"));
		c = g_new0(struct os_conn, 1);
		g_mutex_init(&c->lock);
		c->cfg = json_deep_copy(cfg);
		c->http = http_client_new("blueprint-openstack/1.0", &tls,
					  errmsg);
		if (!c->http) {
			g_mutex_unlock(&conns_lock);
			conn_free(c);
			*fatal = true;
			return NULL;
		}
		g_hash_table_insert(conns, g_steal_pointer(&key), c);
	}
	g_mutex_unlock(&conns_lock);
	token = os_conn_token(c, ctx, NULL, errmsg, fatal);
	return token ? c : NULL;
}

/* The identity part of the auth request. */
static json_t *identity(const json_t *cfg)
{
	const char *type = os_config_str(cfg, "auth_type");
	const char *acid = os_config_str(cfg, "application_credential_id");
	const char *acname = os_config_str(cfg, "application_credential_name");
	const char *uid = os_config_str(cfg, "user_id");
	const char *udid = os_config_str(cfg, "user_domain_id");
	const char *udname = os_config_str(cfg, "user_domain_name");
	json_t *user = json_object();

	if (uid) {
		json_object_set_new(user, "id", json_string(uid));
	} else {
		const char *name = os_config_str(cfg, "username");
		json_object_set_new(user, "name", json_string(name ? name : ""));
		if (!udid && !udname)
			udid = os_config_str(cfg, "domain_id"),
			udname = os_config_str(cfg, "domain_name");
		if (!udid && !udname)
			udid = "default";
		json_object_set_new(user, "domain", udid ?
			json_pack("{ss}", "id", udid) :
			json_pack("{ss}", "name", udname));
	}
	if ((type && strstr(type, "applicationcredential")) || acid || acname) {
		json_t *ac = json_pack("{ss}", "secret",
			os_config_str(cfg, "application_credential_secret") ?
			os_config_str(cfg, "application_credential_secret") :
			"");
		if (acid) {
			json_object_set_new(ac, "id", json_string(acid));
			json_decref(user);
		} else {
			json_object_set_new(ac, "name",
					    json_string(acname ? acname : ""));
			json_object_set_new(ac, "user", user);
		}
		return json_pack("{s[s]so}", "methods",
				 "application_credential",
				 "application_credential", ac);
	}
	json_object_set_new(user, "password", json_string(
		os_config_str(cfg, "password") ? os_config_str(cfg, "password")
					       : ""));
	return json_pack("{s[s]s{so}}", "methods", "password", "password",
			 "user", user);
}

/* The scope: a project (id, or name and domain), else a domain; none for
 * application credentials, which bring their own. */
static json_t *scope(const json_t *cfg)
{
	const char *pid = os_config_str(cfg, "project_id");
	const char *pname = os_config_str(cfg, "project_name");
	const char *pdid = os_config_str(cfg, "project_domain_id");
	const char *pdname = os_config_str(cfg, "project_domain_name");
	const char *did = os_config_str(cfg, "domain_id");
	const char *dname = os_config_str(cfg, "domain_name");

	if (os_config_str(cfg, "application_credential_id") ||
	    os_config_str(cfg, "application_credential_name"))
		return NULL;
	if (pid)
		return json_pack("{s{ss}}", "project", "id", pid);
	if (pname) {
		if (!pdid && !pdname)
			pdid = did, pdname = dname;
		if (!pdid && !pdname)
			pdid = "default";
		return json_pack("{s{sss{ss}}}", "project", "name", pname,
				 "domain", pdid ? "id" : "name",
				 pdid ? pdid : pdname);
	}
	if (did || dname)
		return json_pack("{s{ss}}", "domain", did ? "id" : "name",
				 did ? did : dname);
	return NULL;
}

/* The Keystone v3 root of an auth_url ("http://h:5000" or ".../v3"). */
static char *v3_root(const char *auth_url)
{
	g_autofree char *u = g_strdup(auth_url);
	size_t n = strlen(u);

	while (n && u[n - 1] == '/')
		u[--n] = '\0';
	if (g_str_has_suffix(u, "/v3"))
		return g_steal_pointer(&u);
	if (g_str_has_suffix(u, "/v2.0"))
		u[n - 5] = '\0';
	return g_strdup_printf("%s/v3", u);
}

/* Unix seconds of an ISO 8601 time, or -1. */
static gint64 parse_time(const char *iso)
{
	g_autoptr(GDateTime) dt = iso ? g_date_time_new_from_iso8601(iso, NULL)
				      : NULL;

	return dt ? g_date_time_to_unix(dt) : -1;
}

gint64 os_token_lifetime(const json_t *token, gint64 now)
{
	gint64 expires = parse_time(os_json_str(token, "expires_at"));
	gint64 issued = parse_time(os_json_str(token, "issued_at"));

	if (expires < 0)
		return 3600;
	return expires - (issued >= 0 ? issued : now);
}

gint64 os_token_margin(const char *text)
{
	char *end;
	long long m;

	if (!text || !*text)
		return 300;
	m = g_ascii_strtoll(text, &end, 10);
	return *end || m < 0 ? 300 : (gint64)m;
}

bool os_token_due(gint64 now, gint64 expires, gint64 margin)
{
	return now + margin >= expires;
}

/* Seconds on the monotonic clock. */
static gint64 mono_now(void)
{
	return g_get_monotonic_time() / G_USEC_PER_SEC;
}

/* Asks Keystone for a token; called with c->lock held. */
static bool authenticate(struct os_conn *c, bp_ctx *ctx, char **errmsg,
			 bool *fatal)
{
	const char *auth_url = os_config_str(c->cfg, "auth_url");
	g_autofree char *root = v3_root(auth_url);
	g_autofree char *url = g_strdup_printf("%s/auth/tokens", root);
	json_t *body = json_pack("{s{so}}", "auth", "identity",
				 identity(c->cfg));
	json_t *sc = scope(c->cfg);
	struct http_request req = { .method = "POST", .url = url, .ctx = ctx,
				    .idempotent = true };
	struct http_response resp = { 0 };
	json_t *doc, *token;
	const char *subject;

	if (sc)
		json_object_set_new(json_object_get(body, "auth"), "scope", sc);
	http_send_json(c->http, &req, body, &resp);
	json_decref(body);
	subject = http_response_header(&resp, "X-Subject-Token");
	if (resp.status != 201 || !subject) {
		doc = http_response_json(&resp);
		const char *msg = json_string_value(json_object_get(
			json_object_get(doc, "error"), "message"));
		if (resp.status == 0)
			*errmsg = g_strdup_printf("cannot reach Keystone at "
						  "'%s': %s", url, resp.error);
		else
			*errmsg = g_strdup_printf(
				"Keystone refused to authenticate at '%s' "
				"(HTTP %ld): %s", url, resp.status,
				msg ? msg : "no message");
		*fatal = resp.status >= 400 && resp.status < 500 &&
			 resp.status != 409 && resp.status != 429;
		json_decref(doc);
		http_response_clear(&resp);
		return false;
	}
	doc = http_response_json(&resp);
	token = json_object_get(doc, "token");
	g_free(c->token);
	c->token = g_strdup(subject);
	/* Keystone's clock says how long the token lives, ours when that
	 * ends: a skewed local clock neither renews it at every call nor
	 * uses it after it expired */
	c->expires = mono_now() + os_token_lifetime(
		token, g_get_real_time() / G_USEC_PER_SEC);
	json_decref(c->catalog);
	c->catalog = json_incref(json_object_get(token, "catalog"));
	g_free(c->project_id);
	c->project_id = g_strdup(os_json_str(json_object_get(token, "project"),
					     "id"));
	c->auth_count++;
	if (ctx)
		bp_log(ctx, BP_LOG_DEBUG, "keystone: new token for '%s' "
		       "(expires %s)", auth_url,
		       os_json_str(token, "expires_at"));
	json_decref(doc);
	http_response_clear(&resp);
	return true;
}

char *os_conn_token(struct os_conn *c, bp_ctx *ctx, const char *stale,
		    char **errmsg, bool *fatal)
{
	char *out = NULL;

	*errmsg = NULL;
	*fatal = false;
	g_mutex_lock(&c->lock);
	if (!c->token ||
	    os_token_due(mono_now(), c->expires, os_token_margin(
		    getenv("BLUEPRINT_OPENSTACK_TOKEN_MARGIN"))) ||
	    (stale && !strcmp(stale, c->token))) {
		if (authenticate(c, ctx, errmsg, fatal))
			out = g_strdup(c->token);
	} else {
		out = g_strdup(c->token);
	}
	g_mutex_unlock(&c->lock);
	return out;
}

char *os_conn_project_id(struct os_conn *c)
{
	char *p;

	g_mutex_lock(&c->lock);
	p = g_strdup(c->project_id);
	g_mutex_unlock(&c->lock);
	return p;
}
