/* kube.h: the parts of the Kubernetes plugin, private to
 * plugins/kubernetes/ (kubernetes.c says what the plugin does):
 *   kubeconfig.c  kubeconfig files: load, merge, pick a context, exec
 *                 credential plugins
 *   conn.c        where the cluster is and who we are, from the node's
 *                 client_config, kubeconfig, the in-cluster service
 *                 account or KUBECONFIG; the HTTP client
 *   google.c      GKE clusters: Google access tokens (gcp_service_account,
 *                 a related GKE cluster node); the plugin's load state
 *   discovery.c   apiVersion + kind -> resource path and scope, cached
 *   apierr.c      an API answer that is not success -> the result
 *   apply.c       server-side apply, get, delete of one object
 *   ready.c       kubectl's readiness rules, per kind
 *   manifest.c    the objects a node stands for (definition, files,
 *                 the workload shortcut) and their runtime properties
 *   kubernetes.c  the operations
 */
#ifndef BP_KUBE_H
#define BP_KUBE_H

#include <blueprint/plugin.h>
#include <glib.h>
#include <jansson.h>
#include <stdbool.h>

#include "../common/gauth.h"
#include "../common/http.h"

#define KUBE_FIELD_MANAGER "blueprint"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(json_t, json_decref)

/* ---- conn.c, kubeconfig.c --------------------------------------------- */

/* Where the API server is and how to authenticate. Every string owned. */
struct kube_auth {
	char *server;      /* "https://host:port", no trailing '/' */
	char *token;       /* bearer token, or NULL */
	struct http_tls tls; /* its strings owned (cast away const to free) */
	char *namespace;   /* the context's namespace, or NULL */
	char *source;      /* where this came from, for error messages:
			      "kubeconfig '/x' (context 'c', user 'u')" */
	bool google;       /* the bearer token is a Google access token */
	char *google_creds; /* for these credentials (JSON text; NULL: ADC) */
};

void kube_auth_clear(struct kube_auth *a);

/* A connection: the auth plus an HTTP client for it. */
struct kube_conn {
	struct kube_auth auth;
	struct http_client *http;
	bp_ctx *ctx;
};

/* Resolves the connection of the operation's node: client_config (as an
 * operation input or a property: api_options, file_content,
 * blueprint_file_name, manager_file_path), the `kubeconfig` property
 * (with `context`), the in-cluster service account, then $KUBECONFIG or
 * ~/.kube/config. Returns BP_OK with *c filled (release with
 * kube_conn_close), or the failure recorded on ctx (bad configuration is
 * FAIL_FATAL). */
int kube_conn_open(bp_ctx *ctx, struct kube_conn *c);
void kube_conn_close(struct kube_conn *c);

/* Reads kubeconfig file(s) into one merged kubeconfig document, as
 * kubectl merges $KUBECONFIG: for clusters, users and contexts the first
 * entry of a name wins, and so does the first current-context. Relative
 * file paths inside each file are made absolute against its directory.
 * Returns the document (transfer full) or NULL with *errmsg (g_free). */
json_t *kube_kubeconfig_load(const char *const *paths, char **errmsg);

/* Makes a kubeconfig document's relative file paths absolute against
 * `dir` (in place). */
void kube_kubeconfig_absolutize(json_t *kc, const char *dir);

/* Fills `out` from a (merged) kubeconfig: `context`, or its
 * current-context; the cluster's server and CA; the user's token,
 * tokenFile, client certificate and key, or exec plugin (run now).
 * `where` names the kubeconfig for messages. Returns true, or false with
 * *errmsg (g_free). */
bool kube_auth_from_kubeconfig(struct kube_auth *out, json_t *kc,
			       const char *context, const char *where,
			       char **errmsg);

/* ---- google.c ----------------------------------------------------------- */

/* The plugin's load state (transfer full, kube_state_free), or NULL with
 * *errmsg (g_free). */
void *kube_state_new(char **errmsg);
void kube_state_free(void *state);

/* client_config.authentication: a gcp_service_account (JSON text or a
 * map) makes `a`'s bearer token a Google access token for that key. */
void kube_google_from_authentication(struct kube_auth *a, const json_t *authn);

/* A GKE cluster node among the relationship targets of the operation's
 * instance (runtime gcp_kind "cluster"): fills `a` with its api_server
 * and CA and marks the token as Google's for the node's gcp credentials.
 * *done says whether there was one. Returns false with *errmsg (g_free)
 * when the node has no endpoint. */
bool kube_google_from_cluster(bp_ctx *ctx, struct kube_auth *a, bool *done,
			      char **errmsg);

/* Sets a->token to a Google access token for a->google_creds (cached in
 * the load state). Returns BP_OK, or the failure recorded (refused
 * credentials FAIL_FATAL, an unreachable token endpoint FAIL). */
int kube_google_token(bp_ctx *ctx, struct kube_auth *a);

/* ---- apierr.c ----------------------------------------------------------- */

/* Records the failure for an API answer that was not a success and
 * returns its code: no answer or 429/5xx (after the HTTP client's retries)
 * -> FAIL; 401, 403 -> FAIL_FATAL with a hint about the credentials;
 * other 4xx -> FAIL_FATAL. The API's Status (reason, message, causes)
 * goes into the message as it is; `what` says what was being done. */
int kube_api_fail(struct kube_conn *c, const char *what,
		  const struct http_response *r);

/* ---- discovery.c -------------------------------------------------------- */

/* How to reach objects of one kind. */
struct kube_kind {
	char *group_version; /* "v1", "apps/v1" */
	char *plural;        /* "deployments" */
	bool namespaced;
};

void kube_kind_clear(struct kube_kind *k);

/* Looks `kind` of `api_version` up in the server's discovery documents
 * (/api/v1, /apis/GROUP/VERSION), cached per server; a miss asks the server
 * again once (a CustomResourceDefinition may have just been made). Returns
 * BP_OK with *out filled, or the failure recorded: an unknown kind is FAIL
 * (its CRD may come), an unreachable server FAIL. */
int kube_discover(struct kube_conn *c, const char *api_version,
		  const char *kind, struct kube_kind *out);

/* Forgets every cached discovery document (the plugin's unload). */
void kube_discovery_reset(void);

/* ---- apply.c ------------------------------------------------------------ */

/* One object: what it is and where it lives. */
struct kube_ref {
	char *api_version, *kind, *name, *namespace; /* namespace NULL when
							cluster-scoped */
	char *url;           /* the object's URL */
	char *shown;         /* "Deployment 'web' in namespace 'default'" */
};

void kube_ref_clear(struct kube_ref *r);

/* Works out `obj`'s ref (namespace from metadata, else `default_ns`).
 * Returns BP_OK or the failure recorded (no kind, no name: FAIL_FATAL). */
int kube_ref_of(struct kube_conn *c, const json_t *obj,
		const char *default_ns, struct kube_ref *out);

/* Server-side apply of `obj` to `ref` (fieldManager=blueprint,
 * force=true): creates or updates; with `dry_run` the server only says
 * what it would store. *result (may be NULL) gets the object the server
 * returned (transfer full). Returns BP_OK or the failure. */
int kube_apply(struct kube_conn *c, const struct kube_ref *ref,
	       const json_t *obj, bool dry_run, json_t **result);

/* GETs `ref`. Returns BP_OK with *result (transfer full) or NULL when
 * there is no such object; else the failure. */
int kube_get(struct kube_conn *c, const struct kube_ref *ref,
	     json_t **result);

/* Deletes `ref` (propagationPolicy, default Foreground; gracePeriodSeconds
 * when >= 0). *gone is true when the object no longer exists. */
int kube_delete(struct kube_conn *c, const struct kube_ref *ref,
		const char *propagation, long grace, bool *gone);

/* Sends a JSON merge patch to `ref`'s subresource `sub` ("scale", or NULL
 * for the object). Returns BP_OK with *result (may be NULL). */
int kube_merge_patch(struct kube_conn *c, const struct kube_ref *ref,
		     const char *sub, const json_t *patch, json_t **result);

/* ---- ready.c ------------------------------------------------------------ */

enum kube_readiness { KUBE_READY, KUBE_WAITING, KUBE_FAILED };

/* Whether `obj` (as the server returned it) is ready, by kubectl's
 * rollout-status rules for its kind; every other kind is ready once it
 * exists. *why (g_free) says what it waits for, or why it failed. */
enum kube_readiness kube_readiness(const json_t *obj, char **why);

/* ---- manifest.c --------------------------------------------------------- */

/* The objects the operation's node stands for, in creation order:
 * `definition` (runtime override from update/scale first, then the
 * operation input, then the property), the file(s) of a file-defined
 * node, or the Deployment and Service of the workload shortcut. Returns
 * BP_OK with *out (a JSON array, transfer full) or the failure recorded
 * (FAIL_FATAL: no definition, a file that cannot be read). */
int kube_manifests(bp_ctx *ctx, json_t **out);

/* The workload shortcut's Deployment and Service (transfer full), from
 * the node's properties. */
json_t *kube_workload_manifests(bp_ctx *ctx, char **errmsg);

/* Records an object's runtime properties: under `resources.N` its
 * summary (apiVersion, kind, name, namespace, uid, resourceVersion and the
 * kind's own fields: cluster IP, ports, node ports, load balancer ingress,
 * PVC volume); the first object's also at the top level. */
void kube_record(bp_ctx *ctx, size_t index, const json_t *obj);

/* ---- util --------------------------------------------------------------- */

/* The JSON of `path` in `scope` (transfer full), or NULL. */
json_t *kube_get_json(bp_ctx *ctx, int scope, const char *path);

/* `path` from the operation inputs, else from the properties
 * (transfer full), or NULL. */
json_t *kube_input_or_property(bp_ctx *ctx, const char *path);

#endif
