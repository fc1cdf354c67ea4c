/*
 * gauth.c: Google access tokens from Application Default Credentials
 * (see gauth.h): service-account JWTs signed RS256 with libcrypto,
 * authorized-user refresh tokens, the metadata server; one cached token
 * per source, fetched by one thread at a time; pools of sources by
 * credentials text.
 */
#include "gauth.h"

#include <glib.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <string.h>

#define GAUTH_DEFAULT_TOKEN_URI "https://oauth2.googleapis.com/token"
#define GAUTH_JWT_LIFETIME 3600

enum gauth_kind { GAUTH_SERVICE_ACCOUNT, GAUTH_AUTHORIZED_USER,
		  GAUTH_METADATA };

struct gauth_source {
	enum gauth_kind kind;
	char *project;
	char *token_uri;
	char *client_email;	/* service account */
	EVP_PKEY *key;
	char *key_id;
	char *client_id;	/* authorized user */
	char *client_secret;
	char *refresh_token;
	char *metadata_host;	/* metadata */

	GMutex lock;		/* guards what follows */
	char *token;
	gint64 refresh_at;	/* g_get_real_time() when to fetch anew */
	unsigned fetches;
};

static char *jstr(json_t *doc, const char *key)
{
	const char *s = json_string_value(json_object_get(doc, key));

	return s && *s ? g_strdup(s) : NULL;
}

static struct gauth_source *source_new(enum gauth_kind kind)
{
	struct gauth_source *src = g_new0(struct gauth_source, 1);

	src->kind = kind;
	g_mutex_init(&src->lock);
	return src;
}

static bool load_key(struct gauth_source *src, const char *pem,
		     char **errmsg)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);

	src->key = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	if (!src->key || EVP_PKEY_base_id(src->key) != EVP_PKEY_RSA) {
		*errmsg = g_strdup("the service-account key's 'private_key' "
				   "is not an RSA private key in PEM");
		return false;
	}
	return true;
}

struct gauth_source *gauth_source_from_json(const char *json, char **errmsg)
{
	json_error_t jerr;
	json_t *doc = json_loads(json, 0, &jerr);
	const char *type = json_string_value(json_object_get(doc, "type"));
	struct gauth_source *src = NULL;
	g_autofree char *pem = NULL;

	if (!json_is_object(doc)) {
		*errmsg = g_strdup_printf("credentials are not a JSON object: %s",
					  jerr.text);
		json_decref(doc);
		return NULL;
	}
	if (g_strcmp0(type, "service_account") == 0) {
		src = source_new(GAUTH_SERVICE_ACCOUNT);
		src->client_email = jstr(doc, "client_email");
		src->key_id = jstr(doc, "private_key_id");
		pem = jstr(doc, "private_key");
		if (!src->client_email || !pem) {
			*errmsg = g_strdup("the service-account key lacks "
					   "'client_email' or 'private_key'");
			goto bad;
		}
		if (!load_key(src, pem, errmsg))
			goto bad;
	} else if (g_strcmp0(type, "authorized_user") == 0) {
		src = source_new(GAUTH_AUTHORIZED_USER);
		src->client_id = jstr(doc, "client_id");
		src->client_secret = jstr(doc, "client_secret");
		src->refresh_token = jstr(doc, "refresh_token");
		if (!src->client_id || !src->client_secret ||
		    !src->refresh_token) {
			*errmsg = g_strdup("the authorized-user credentials lack "
					   "'client_id', 'client_secret' or "
					   "'refresh_token'");
			goto bad;
		}
		src->project = jstr(doc, "quota_project_id");
	} else {
		*errmsg = g_strdup_printf("unknown credentials type '%s': "
					  "expected 'service_account' or "
					  "'authorized_user'", type ? type : "");
		json_decref(doc);
		return NULL;
	}
	if (!src->project)
		src->project = jstr(doc, "project_id");
	src->token_uri = jstr(doc, "token_uri");
	if (!src->token_uri)
		src->token_uri = g_strdup(GAUTH_DEFAULT_TOKEN_URI);
	json_decref(doc);
	return src;
bad:
	json_decref(doc);
	gauth_source_free(src);
	return NULL;
}

static struct gauth_source *from_file(const char *path, char **errmsg)
{
	g_autofree char *text = NULL;
	g_autoptr(GError) gerr = NULL;
	struct gauth_source *src;

	if (!g_file_get_contents(path, &text, NULL, &gerr)) {
		*errmsg = g_strdup_printf("cannot read credentials '%s': %s",
					  path, gerr->message);
		return NULL;
	}
	src = gauth_source_from_json(text, errmsg);
	if (!src) {
		char *m = g_strdup_printf("credentials '%s': %s", path, *errmsg);

		g_free(*errmsg);
		*errmsg = m;
	}
	return src;
}

struct gauth_source *gauth_source_default(char **errmsg)
{
	const char *env = g_getenv("GOOGLE_APPLICATION_CREDENTIALS");
	const char *cfg = g_getenv("CLOUDSDK_CONFIG");
	g_autofree char *adc = NULL;
	struct gauth_source *src;

	if (env && *env)
		return from_file(env, errmsg);
	adc = cfg && *cfg ?
		g_build_filename(cfg, "application_default_credentials.json", NULL) :
		g_build_filename(g_get_home_dir(), ".config", "gcloud",
				 "application_default_credentials.json", NULL);
	if (g_file_test(adc, G_FILE_TEST_IS_REGULAR))
		return from_file(adc, errmsg);
	src = source_new(GAUTH_METADATA);
	env = g_getenv("GCE_METADATA_HOST");
	src->metadata_host = g_strdup(env && *env ? env : "169.254.169.254");
	return src;
}

void gauth_source_free(struct gauth_source *src)
{
	if (!src)
		return;
	g_free(src->project);
	g_free(src->token_uri);
	g_free(src->client_email);
	EVP_PKEY_free(src->key);
	g_free(src->key_id);
	g_free(src->client_id);
	g_free(src->client_secret);
	g_free(src->refresh_token);
	g_free(src->metadata_host);
	g_free(src->token);
	g_mutex_clear(&src->lock);
	g_free(src);
}

const char *gauth_source_project(const struct gauth_source *src)
{
	return src->project;
}

const char *gauth_source_kind(const struct gauth_source *src)
{
	static const char *const names[] = { "service_account",
					     "authorized_user", "metadata" };

	return names[src->kind];
}

unsigned gauth_fetches(const struct gauth_source *src)
{
	return src->fetches;
}

static char *b64url(const unsigned char *data, size_t len)
{
	char *s = g_base64_encode(data, len);

	g_strdelimit(s, "+", '-');
	g_strdelimit(s, "/", '_');
	*strchrnul(s, '=') = '\0';
	return s;
}

/* The signed assertion for a service account (transfer full), or NULL. */
static char *make_jwt(struct gauth_source *src, char **errmsg)
{
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	json_t *head = json_pack("{s:s, s:s}", "alg", "RS256", "typ", "JWT");
	json_t *claims = json_pack("{s:s, s:s, s:s, s:I, s:I}",
				   "iss", src->client_email,
				   "scope", GAUTH_SCOPE_CLOUD,
				   "aud", src->token_uri,
				   "iat", (json_int_t)now,
				   "exp", (json_int_t)(now + GAUTH_JWT_LIFETIME));
	char *h, *c, *hs, *cs;
	g_autofree char *input = NULL;
	g_autofree char *sig64 = NULL;
	unsigned char sig[1024];
	size_t siglen = sizeof(sig);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	bool ok;

	if (src->key_id)
		json_object_set_new(head, "kid", json_string(src->key_id));
	h = json_dumps(head, JSON_COMPACT);
	c = json_dumps(claims, JSON_COMPACT);
	hs = b64url((const unsigned char *)h, strlen(h));
	cs = b64url((const unsigned char *)c, strlen(c));
	input = g_strdup_printf("%s.%s", hs, cs);
	free(h);
	free(c);
	g_free(hs);
	g_free(cs);
	json_decref(head);
	json_decref(claims);
	ok = md && EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, src->key) == 1 &&
	     EVP_DigestSign(md, sig, &siglen, (const unsigned char *)input,
			    strlen(input)) == 1;
	EVP_MD_CTX_free(md);
	if (!ok) {
		*errmsg = g_strdup("cannot sign the token request with the "
				   "service-account key");
		return NULL;
	}
	sig64 = b64url(sig, siglen);
	return g_strdup_printf("%s.%s", input, sig64);
}

static char *form(const char *const *kv)
{
	GString *s = g_string_new(NULL);

	for (; kv[0]; kv += 2) {
		g_autofree char *v = g_uri_escape_string(kv[1], NULL, FALSE);

		g_string_append_printf(s, "%s%s=%s", s->len ? "&" : "", kv[0], v);
	}
	return g_string_free(s, FALSE);
}

/* The request that fetches a token from this source. */
static bool token_request(struct gauth_source *src, struct http_request *req,
			  char **url, char **body, char **errmsg)
{
	static const char *const flavor[] = { "Metadata-Flavor: Google", NULL };

	req->idempotent = true;
	if (src->kind == GAUTH_METADATA) {
		*url = g_strdup_printf("http://%s/computeMetadata/v1/instance/"
				       "service-accounts/default/token",
				       src->metadata_host);
		req->method = "GET";
		req->headers = flavor;
	} else if (src->kind == GAUTH_SERVICE_ACCOUNT) {
		g_autofree char *jwt = make_jwt(src, errmsg);
		const char *kv[] = { "grant_type",
			"urn:ietf:params:oauth:grant-type:jwt-bearer",
			"assertion", jwt, NULL };

		if (!jwt)
			return false;
		*url = g_strdup(src->token_uri);
		*body = form(kv);
	} else {
		const char *kv[] = { "grant_type", "refresh_token",
			"client_id", src->client_id,
			"client_secret", src->client_secret,
			"refresh_token", src->refresh_token, NULL };

		*url = g_strdup(src->token_uri);
		*body = form(kv);
	}
	if (*body) {
		req->method = "POST";
		req->body = *body;
		req->content_type = "application/x-www-form-urlencoded";
	}
	req->url = *url;
	return true;
}

/* Fetches a token (lock held). */
static bool fetch(struct gauth_source *src, struct http_client *client,
		  bp_ctx *ctx, bool *fatal, char **errmsg)
{
	struct http_request req = { .ctx = ctx };
	struct http_response resp;
	g_autofree char *url = NULL;
	g_autofree char *body = NULL;
	json_t *doc;
	const char *tok;
	json_int_t ttl;

	if (!token_request(src, &req, &url, &body, errmsg)) {
		*fatal = true;
		return false;
	}
	http_send(client, &req, &resp);
	doc = http_response_json(&resp);
	tok = json_string_value(json_object_get(doc, "access_token"));
	if (resp.status != 200 || !tok) {
		const char *why = json_string_value(json_object_get(doc,
						    "error_description"));

		if (!why)
			why = json_string_value(json_object_get(doc, "error"));
		*fatal = resp.status == 400 || resp.status == 401 ||
			 resp.status == 403;
		*errmsg = resp.status ?
			g_strdup_printf("cannot get a Google access token from "
					"'%s': HTTP %ld: %s", url, resp.status,
					why ? why : "no access_token") :
			g_strdup_printf("cannot get a Google access token from "
					"'%s': %s", url, resp.error);
		json_decref(doc);
		http_response_clear(&resp);
		return false;
	}
	ttl = json_integer_value(json_object_get(doc, "expires_in"));
	if (ttl <= 0)
		ttl = 3600;
	g_free(src->token);
	src->token = g_strdup(tok);
	src->refresh_at = g_get_real_time() +
		(ttl - MIN((json_int_t)60, ttl / 4)) * G_USEC_PER_SEC;
	src->fetches++;
	if (ctx)
		bp_log(ctx, BP_LOG_DEBUG, "got a Google access token (%s, "
		       "valid %lld s)", gauth_source_kind(src), (long long)ttl);
	json_decref(doc);
	http_response_clear(&resp);
	return true;
}

char *gauth_token(struct gauth_source *src, struct http_client *client,
		  bp_ctx *ctx, bool *fatal, char **errmsg)
{
	char *tok = NULL;

	*fatal = false;
	g_mutex_lock(&src->lock);
	if ((src->token && g_get_real_time() < src->refresh_at) ||
	    fetch(src, client, ctx, fatal, errmsg))
		tok = g_strdup(src->token);
	g_mutex_unlock(&src->lock);
	return tok;
}

void gauth_invalidate(struct gauth_source *src, const char *token)
{
	g_mutex_lock(&src->lock);
	if (src->token && g_strcmp0(src->token, token) == 0) {
		g_free(src->token);
		src->token = NULL;
	}
	g_mutex_unlock(&src->lock);
}

char *gauth_creds_text(const json_t *v)
{
	char *s, *copy;

	if (json_is_string(v) && *json_string_value(v))
		return g_strdup(json_string_value(v));
	if (!json_is_object(v) || json_object_size(v) == 0)
		return NULL;
	s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
	copy = g_strdup(s);
	free(s);
	return copy;
}

struct gauth_pool {
	GMutex lock;
	GHashTable *sources;	/* credentials text ("" for ADC) -> source */
};

struct gauth_pool *gauth_pool_new(void)
{
	struct gauth_pool *pool = g_new0(struct gauth_pool, 1);

	g_mutex_init(&pool->lock);
	pool->sources = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					      (GDestroyNotify)gauth_source_free);
	return pool;
}

void gauth_pool_free(struct gauth_pool *pool)
{
	if (!pool)
		return;
	g_hash_table_destroy(pool->sources);
	g_mutex_clear(&pool->lock);
	g_free(pool);
}

struct gauth_source *gauth_pool_get(struct gauth_pool *pool,
				    const char *creds, char **errmsg)
{
	const char *key = creds ? creds : "";
	struct gauth_source *src;

	g_mutex_lock(&pool->lock);
	src = g_hash_table_lookup(pool->sources, key);
	if (!src) {
		src = creds ? gauth_source_from_json(creds, errmsg) :
			      gauth_source_default(errmsg);
		if (src)
			g_hash_table_insert(pool->sources, g_strdup(key), src);
	}
	g_mutex_unlock(&pool->lock);
	return src;
}
