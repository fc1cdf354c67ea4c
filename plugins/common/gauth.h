/*
 * gauth.h: Google OAuth 2.0 access tokens for the plugins that talk to
 * Google APIs (gcp, and kubernetes for GKE clusters).
 *
 * A gauth_source is one identity, found as Google's Application Default
 * Credentials are:
 *   1. GOOGLE_APPLICATION_CREDENTIALS names a JSON file: a service-account
 *      key ("type": "service_account": a JWT signed RS256 with the key's
 *      private_key, exchanged at its token_uri) or an authorized user
 *      ("type": "authorized_user": its refresh_token exchanged at
 *      token_uri, default https://oauth2.googleapis.com/token);
 *   2. gcloud's ADC file, $CLOUDSDK_CONFIG or ~/.config/gcloud, then
 *      application_default_credentials.json, of either type;
 *   3. the metadata server (GCE_METADATA_HOST, default 169.254.169.254):
 *      the instance's default service account.
 * A key given explicitly (gcp_config.auth) is used instead of the search.
 *
 * The source caches its token until shortly before it expires (a minute,
 * or a quarter of its lifetime when that is shorter) and is safe to share
 * between threads: one fetch at a time, the others wait for its result.
 */
#ifndef BP_PLUGINS_COMMON_GAUTH_H
#define BP_PLUGINS_COMMON_GAUTH_H

#include <stdbool.h>

#include "http.h"

#define GAUTH_SCOPE_CLOUD "https://www.googleapis.com/auth/cloud-platform"

struct gauth_source;

/* A source from a credentials document (JSON text of a service-account
 * key or an authorized-user file). Returns NULL with *errmsg (transfer
 * full, g_free) when it is not one or its key cannot be read. */
struct gauth_source *gauth_source_from_json(const char *json, char **errmsg);

/* The Application Default Credentials, searched in Google's order (see
 * above). Returns NULL with *errmsg when a file named is unreadable or
 * invalid; the metadata server is the last resort and never fails here. */
struct gauth_source *gauth_source_default(char **errmsg);

void gauth_source_free(struct gauth_source *src);

/* The project the credentials belong to (a key's project_id), or NULL
 * (transfer none). */
const char *gauth_source_project(const struct gauth_source *src);

/* "service_account", "authorized_user" or "metadata" (transfer none). */
const char *gauth_source_kind(const struct gauth_source *src);

/* A valid access token: the cached one, or a new one fetched through
 * `client` (ctx for logs and cancellation, may be NULL). Returns the token
 * (transfer full, g_free), or NULL with *errmsg (transfer full) and
 * *fatal true when the credentials were refused (a retry cannot help). */
char *gauth_token(struct gauth_source *src, struct http_client *client,
		  bp_ctx *ctx, bool *fatal, char **errmsg);

/* Forgets `token` when it is the cached one (the server said 401). */
void gauth_invalidate(struct gauth_source *src, const char *token);

/* How many tokens this source fetched (tests and logs). */
unsigned gauth_fetches(const struct gauth_source *src);

/* The credentials a property gives (a service-account key as a map, or
 * as JSON text) as JSON text (transfer full, g_free), or NULL when `v` is
 * missing, null or empty (meaning: the Application Default Credentials). */
char *gauth_creds_text(const json_t *v);

/* A plugin's sources, one per credentials text, so that every operation
 * on every thread shares a source and its cached token. Thread-safe. */
struct gauth_pool;

struct gauth_pool *gauth_pool_new(void);
void gauth_pool_free(struct gauth_pool *pool);

/* The pool's source for `creds` (JSON text of a key or authorized-user
 * file, as gauth_source_from_json takes; NULL: the Application Default
 * Credentials), made on first use. Returns it (transfer none, valid until
 * the pool is freed), or NULL with *errmsg (transfer full). */
struct gauth_source *gauth_pool_get(struct gauth_pool *pool,
				    const char *creds, char **errmsg);

#endif
