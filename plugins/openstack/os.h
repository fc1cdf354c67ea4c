/*
 * os.h: the OpenStack plugin's internal interface.
 *
 * One struct os_conn per cloud configuration (auth URL, credentials,
 * scope, region, endpoint overrides): it holds the Keystone token, the
 * service catalog and the negotiated Nova microversion, and is shared by
 * every operation and thread that uses the same configuration (os_conn_get
 * finds it). os_call() sends one request to a service through it, adding
 * the token, renewing it before it expires and once on a 401.
 *
 * Resources are described by a struct os_kind (where the API keeps them,
 * the JSON key, how readiness shows); resource.c runs create, wait, find,
 * delete, list and update for every kind, and each family's file (network.c,
 * server.c, ...) adds what is its own.
 */
#ifndef BP_PLUGINS_OPENSTACK_OS_H
#define BP_PLUGINS_OPENSTACK_OS_H

#include <stdbool.h>
#include <glib.h>
#include <jansson.h>

#include "blueprint/plugin.h"
#include "../common/http.h"

enum os_service {
	OS_IDENTITY,
	OS_COMPUTE,
	OS_NETWORK,
	OS_IMAGE,
	OS_VOLUME,
	OS_DNS,
	OS_SHARE,
	OS_SERVICE_LAST
};

/* The Nova microversion the plugin speaks (its request and response
 * fields); less when the cloud offers less. */
#define OS_NOVA_MICROVERSION "2.79"

/* The Manila microversion sent with every share request (share networks
 * with an availability zone need 2.51; Zed offers up to 2.73). */
#define OS_MANILA_MICROVERSION "2.51"

/* ---- yaml.c ------------------------------------------------------------ */

/* Reads a YAML file (clouds.yaml) into JSON: maps, sequences and scalars
 * (strings; true/false, integers and null as YAML 1.1 reads them). Returns
 * (transfer full) the document; NULL with *errmsg (transfer full, g_free)
 * set when the file cannot be read or parsed; NULL and *errmsg NULL when
 * the file does not exist. */
json_t *os_yaml_load(const char *path, char **errmsg);

/* ---- config.c ---------------------------------------------------------- */

/* The configuration an operation uses, flattened to one object of strings
 * in openstacksdk's names (auth_url, username, password, project_name,
 * user_domain_name, ..., application_credential_id, region_name,
 * interface, cacert, insecure, NETWORK_endpoint_override, ...). Taken
 * from the node's client_config property (or the operation input of that
 * name) when it names an auth_url or a cloud; else from clouds.yaml's
 * cloud OS_CLOUD (secure.yaml merged in); else from the OS_* environment.
 * Returns (transfer full) the object, or NULL with *errmsg (transfer full,
 * g_free) when no configuration is found or a file is malformed. */
json_t *os_config_load(bp_ctx *ctx, char **errmsg);

/* os_config_load's reading once the client_config value is known (NULL,
 * or an object without auth_url or cloud: none): client_config itself
 * (a `cloud` in it filling what it lacks from clouds.yaml), else OS_CLOUD's
 * entry of clouds.yaml with secure.yaml merged over it, else the OS_*
 * environment. Returns (transfer full) the flat object, or NULL with
 * *errmsg (transfer full, g_free) set. */
json_t *os_config_resolve(const json_t *client_config, char **errmsg);

/* The string value of `key` in a configuration, or NULL. */
const char *os_config_str(const json_t *cfg, const char *key);

/* ---- auth.c / catalog.c ------------------------------------------------ */

struct os_conn;

/* The connection for `cfg`, made (and authenticated) on first use, then
 * shared. Returns (transfer none: lives until the plugin is unloaded) the
 * connection; NULL with *errmsg (transfer full, g_free) when the client
 * cannot be made or Keystone refuses the credentials; *fatal then says
 * whether retrying cannot help (a 400/401/403/404 from Keystone). */
struct os_conn *os_conn_get(bp_ctx *ctx, const json_t *cfg, char **errmsg,
			    bool *fatal);

/* Frees every connection (the plugin's unload hook). */
void os_conn_free_all(void *state);

/* A token valid for at least the renewal margin, authenticating when there
 * is none or it runs out, or when `stale` is the token the caller saw
 * refused. Returns (transfer full, g_free) the token, or NULL with
 * *errmsg and *fatal set. */
char *os_conn_token(struct os_conn *c, bp_ctx *ctx, const char *stale,
		    char **errmsg, bool *fatal);

/* How many seconds a token (the "token" object Keystone answers) lives:
 * from its issued_at to its expires_at, both Keystone's clock (from `now`,
 * unix seconds, when it has no issued_at); 3600 when it says nothing. */
gint64 os_token_lifetime(const json_t *token, gint64 now);

/* The renewal margin in seconds from BLUEPRINT_OPENSTACK_TOKEN_MARGIN's
 * text: 300 when unset, empty or not a non-negative integer. */
gint64 os_token_margin(const char *text);

/* Whether a token expiring at `expires` must be renewed at `now` (same
 * clock, seconds): when less than `margin` is left. */
bool os_token_due(gint64 now, gint64 expires, gint64 margin);

/* The project the token is scoped to (transfer full, g_free), or NULL. */
char *os_conn_project_id(struct os_conn *c);

/* The versioned root URL of `svc` (".../v2.0" for Neutron, ".../v2" for
 * Glance, ".../v3/PROJECT" for Cinder): the configuration's
 * SERVICE_endpoint_override, else the catalog's endpoint for the region and
 * interface. Returns (transfer full, g_free) the URL, or NULL with *errmsg
 * when the catalog has no such service. */
char *os_conn_endpoint(struct os_conn *c, bp_ctx *ctx, enum os_service svc,
		       char **errmsg, bool *fatal);

/* The compute microversion to send ("2.79"), negotiated once from Nova's
 * version document. (transfer none) */
const char *os_conn_nova_version(struct os_conn *c, bp_ctx *ctx);

/* The client the connection talks through. (transfer none) */
struct http_client *os_conn_http(struct os_conn *c);

/* Reads the catalog of a token response: the endpoint of service type
 * `types` (a NULL-ended list of aliases) for `region` (NULL: any) and
 * `interface` ("public" when NULL). Returns (transfer full, g_free) the
 * URL, or NULL. */
char *os_catalog_find(const json_t *catalog, const char *const *types,
		      const char *region, const char *interface);

/* The versioned root of `svc` for a configuration (its region_name,
 * interface and SERVICE_endpoint_override) and a token's catalog and
 * project. Returns (transfer full, g_free) the URL, or NULL with *errmsg
 * (transfer full, g_free) naming what the catalog lacks. */
char *os_catalog_endpoint(const json_t *cfg, const json_t *catalog,
			  enum os_service svc, const char *project_id,
			  char **errmsg);

/* The microversion to speak with a Nova whose version document (the GET
 * of its versioned root) is `doc`: the highest it offers, at most
 * OS_NOVA_MICROVERSION; "2.1" when it offers none. (transfer full) */
char *os_nova_version_pick(const json_t *doc);

/* Joins a catalog or override URL and the service's version root.
 * (transfer full, g_free) */
char *os_catalog_versioned(enum os_service svc, const char *url,
			   const char *project_id);

/* ---- api.c ------------------------------------------------------------- */

/* The outcome of one API call. */
struct os_reply {
	long status;       /* HTTP status; 0: no response (see error) */
	json_t *body;      /* parsed body, or NULL */
	char *error;       /* the API's message, or the transport error
			      (transfer full, g_free); NULL when 2xx */
	bool fatal;        /* failing again cannot help (4xx but 409 and
			      429, quota, bad credentials) */
	bool quota;        /* the API said a quota was exceeded */
};

/* Sends METHOD path (relative to the service's root; a full URL is used
 * as it is) with an optional JSON body to `svc`, with the token (renewed
 * once and resent on a 401) and, for Nova, the microversion. Fills *r
 * (release it with os_reply_clear); returns true for a 2xx status. */
bool os_call(struct os_conn *c, bp_ctx *ctx, enum os_service svc,
	     const char *method, const char *path, const json_t *body,
	     struct os_reply *r);

/* os_call with a raw body of `len` bytes and a content type (Glance
 * uploads). */
bool os_call_raw(struct os_conn *c, bp_ctx *ctx, enum os_service svc,
		 const char *method, const char *path, const char *data,
		 size_t len, const char *content_type, struct os_reply *r);

void os_reply_clear(struct os_reply *r);

/* Reads a failed answer: from r->status, r->body (the parsed body, or
 * NULL) and the body's text, sets r->error (the API's message, whatever
 * the service's error shape), r->quota and r->fatal. */
void os_reply_decode(struct os_reply *r, const char *text);

/* "OpenStack-API-Version: compute 2.79": the microversion header for a
 * service. (transfer full, g_free) */
char *os_api_version_header(enum os_service svc, const char *version);

/* Turns a failed reply into the operation's result: FAIL_FATAL for
 * quota, bad requests and refused credentials, FAIL for 409, 429, 5xx and
 * transport failures, with "WHAT: MESSAGE". */
int os_reply_fail(bp_ctx *ctx, const struct os_reply *r, const char *what);

/* ---- ctx.c ------------------------------------------------------------- */

/* The connection an operation uses (config, then connection). Returns it,
 * or NULL after recording the failure in *rc. */
struct os_conn *os_ctx_conn(bp_ctx *ctx, int *rc);

/* For an operation on what this instance made: its runtime id in *id
 * (transfer none) and the connection. Returns the connection, or NULL
 * after recording the failure in *rc (no id: the `label` was not created;
 * no connection). */
struct os_conn *os_ctx_made(bp_ctx *ctx, const char *label, const char **id,
			    int *rc);

/* A value of the operation: the input `key` when given, else the node's
 * property. (transfer full, json_decref) or NULL. */
json_t *os_ctx_value(bp_ctx *ctx, const char *key);

/* A runtime property parsed as JSON (transfer full), or NULL. */
json_t *os_ctx_runtime(bp_ctx *ctx, const char *path);

/* Stores a JSON value as a runtime property (NULL: deletes it). */
void os_ctx_set(bp_ctx *ctx, const char *path, const json_t *value);

/* The id of the first instance this one has a relationship to whose
 * runtime type (what this plugin made: "network", "subnet", ...) is
 * `type`, or NULL: Cloudify's subnet contained_in its network, a router
 * connected_to the external network. (transfer none) */
const char *os_related_id(bp_ctx *ctx, const char *type);

/* ---- resource.c -------------------------------------------------------- */

struct os_kind;

/* Fills the create request from the node (names, relationships given as
 * inputs, defaults). Returns BP_OK, or a failure recorded on ctx. */
typedef int (*os_prepare_fn)(bp_ctx *ctx, struct os_conn *c,
			     const struct os_kind *k, json_t *body);

/* For kinds no tag or metadata can mark (key pairs, flavors, server
 * groups, RBAC policies): the resource this instance would create (`body`,
 * its request once prepared), left by a run that crashed before saving its
 * id.
 * Returns (transfer full) it when it is ours to adopt; NULL with *rc BP_OK
 * when there is none (create it); NULL with *rc a failure recorded on ctx
 * when one by that name exists but is not ours, or the lookup failed. */
typedef json_t *(*os_own_fn)(bp_ctx *ctx, struct os_conn *c,
			     const json_t *body, int *rc);

/* Sets the kind's own runtime properties from the resource. */
typedef void (*os_publish_fn)(bp_ctx *ctx, struct os_conn *c,
			      const json_t *res);

struct os_kind {
	const char *name;        /* "network": the runtime property type */
	enum os_service svc;
	const char *path;        /* "/networks" */
	const char *key;         /* "network": the body's object; NULL when
				    bodies are not wrapped (Glance) */
	const char *list_path;   /* "/servers/detail"; NULL: path */
	const char *plural;      /* "networks": the list's array */
	const char *label;       /* "network": in messages */
	const char *v2_key;      /* 2.x property holding resource_config */
	const char *status;      /* field that says readiness, or NULL */
	const char *ready;       /* its values once ready ("available|in-use") */
	const char *failed;      /* its value on failure ("ERROR") */
	bool wait_delete;        /* DELETE returns before it is gone */
	bool tags;               /* Neutron tags mark what we created */
	const char *marker;      /* else this map of the resource does
				    ("metadata", or "" for Glance's own
				    properties); NULL: nothing marks it */
	const char *marker_key;  /* the marker's key in that map; NULL:
				    "blueprint_instance" */
	bool mark_later;         /* the create request cannot carry that
				    map: publish writes it (aggregates) */
	bool describe;           /* no name: the description carries the
				    marker when the blueprint gives none
				    (floating IPs), as tags do after create */
	os_own_fn own;           /* finds what nothing marks (see above) */
	bool named;              /* the request carries a name */
	const char *name_field;  /* what use_external_resource finds it
				    by besides the id; NULL: "name" */
	bool by_name;            /* key pairs and flavors: the name is the id */
	bool patch;              /* updated with PATCH (Keystone), not PUT */
	os_prepare_fn prepare;
	os_publish_fn publish;
};

/* The operations every kind has. */
int os_res_create(bp_ctx *ctx, const struct os_kind *k);
int os_res_delete(bp_ctx *ctx, const struct os_kind *k);
int os_res_list(bp_ctx *ctx, const struct os_kind *k);
int os_res_update(bp_ctx *ctx, const struct os_kind *k);
int os_res_validate(bp_ctx *ctx, const struct os_kind *k);

/* The resource_config of the node (the operation input of that name
 * wins; 2.x blueprints' map named k->v2_key is merged under it); the
 * operation's args input and then kwargs merged on top (kwargs removed).
 * (transfer full) never NULL. */
json_t *os_res_config(bp_ctx *ctx, const struct os_kind *k);

/* Finds a resource of kind `k` by id or name. Returns (transfer full) the
 * resource, NULL when there is none (r->status 404) or on failure (r filled,
 * r->status not 404). */
json_t *os_res_find(struct os_conn *c, bp_ctx *ctx, const struct os_kind *k,
		    const char *id_or_name, struct os_reply *r);

/* The id of the `k` named or identified `id_or_name` (transfer full,
 * g_free); NULL after recording a failure in *rc. */
char *os_res_resolve(struct os_conn *c, bp_ctx *ctx, const struct os_kind *k,
		     const char *id_or_name, int *rc);

/* Replaces cfg[key], a name or an id of a `k`, by the id; takes the name
 * from cfg[name_key] (then removed) when cfg[key] is empty and name_key is
 * not NULL. Nothing given is fine. Returns BP_OK, or a failure recorded on
 * ctx (no such resource, or more than one of that name). */
int os_res_resolve_field(bp_ctx *ctx, struct os_conn *c, json_t *cfg,
			 const char *key, const char *name_key,
			 const struct os_kind *k);

/* The id of a resource as a string (Nova's aggregates have integer
 * ids; key pairs and flavors the name when k->by_name). (transfer full,
 * g_free) or NULL when it has none. */
char *os_res_id(const struct os_kind *k, const json_t *res);

/* "bp-" and 20 hex digits naming the deployment and instance: the tag
 * or metadata value that marks what this instance created. (transfer
 * full, g_free) */
char *os_res_marker(bp_ctx *ctx);

/* Sets the runtime properties every kind has (id, name, type,
 * external_resource) and the kind's own; checks readiness. Returns BP_OK,
 * a RETRY while the resource is not ready, FAIL_FATAL when it failed. */
int os_res_settle(bp_ctx *ctx, struct os_conn *c, const struct os_kind *k,
		  const json_t *res);

/* The kinds. */
extern const struct os_kind os_kind_network, os_kind_subnet, os_kind_port,
	os_kind_router, os_kind_security_group, os_kind_security_group_rule,
	os_kind_floating_ip, os_kind_server, os_kind_keypair,
	os_kind_server_group, os_kind_flavor, os_kind_image, os_kind_volume,
	os_kind_volume_type, os_kind_user, os_kind_group, os_kind_role,
	os_kind_project, os_kind_rbac_policy, os_kind_host_aggregate,
	os_kind_zone, os_kind_recordset, os_kind_share, os_kind_share_network;

/* ---- quota.c ----------------------------------------------------------- */

/* Sets the quotas of project `id` from `quota` ({compute|network|volume:
 * {limit: value}}; NULL: none), then reads them all into the `quota`
 * runtime property. Returns BP_OK, or a failure recorded on ctx. */
int os_project_apply_quota(bp_ctx *ctx, struct os_conn *c, const char *id,
			   const json_t *quota);

/* ---- small helpers (util.c) ------------------------------------------- */

/* A string member of an object, or NULL. (transfer none) */
const char *os_json_str(const json_t *o, const char *key);

/* The project's default external network's id, (transfer full, g_free),
 * or NULL after recording a failure in *rc. */
char *os_external_network(struct os_conn *c, bp_ctx *ctx, const char *hint,
			  int *rc);

#endif
