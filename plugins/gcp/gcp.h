/*
 * gcp.h: what the files of the Google Cloud plugin share.
 *
 * conn.c     one operation's connection: gcp_config (auth, project, zone,
 *            network, api_endpoint), the credentials and their cached token
 *            (gauth), the API base URLs, calls and Google's error bodies;
 * lro.c      the three kinds of long-running operations, polled by RETRY;
 * resource.c the create/delete flow every resource shares: find by name,
 *            adopt what the deployment's labels say is ours, insert, wait;
 * network.c, compute.c, instance.c, services.c: the resource kinds (request
 *            bodies and the runtime properties they publish);
 * image.c    images, including the build from a base family;
 * gcp.c      the operation table.
 */
#ifndef BP_PLUGINS_GCP_H
#define BP_PLUGINS_GCP_H

#include <glib.h>
#include <jansson.h>

#include "blueprint/plugin.h"
#include "../common/gauth.h"
#include "../common/http.h"

/* The load state: shared by every operation on every thread. */
struct gcp_state {
	struct gauth_pool *pool;	/* credentials text -> gauth_source */
	struct http_client *client;
};

enum gcp_api { GCP_COMPUTE, GCP_FILE, GCP_CONTAINER };

/* One operation's connection (gcp_open / gcp_close). */
struct gcp {
	bp_ctx *ctx;
	struct gcp_state *st;
	struct gauth_source *src;	/* (transfer none): the state's */
	char *project;
	char *zone;
	char *region;
	char *network;			/* gcp_config.network, or "default" */
	char *base[3];			/* per enum gcp_api, no final '/' */
	char *owner;			/* label value: the deployment */
	char *instance;			/* label value: the node instance */
};

/* A response: status 0 never (a call that got none failed already). */
struct gcp_reply {
	long status;
	json_t *body;			/* the JSON body, or NULL */
	const char *message;		/* error.message, or NULL (in body) */
	const char *reason;		/* error.errors[0].reason or error.status */
};

/* Opens `g` for the operation: config, credentials, endpoints. Returns
 * true; false with the operation's result in *rc (a fatal failure). */
bool gcp_open(struct gcp *g, bp_ctx *ctx, int *rc);
void gcp_close(struct gcp *g);

/* Calls the API: `path` is appended to the base URL of `api` (or, when it
 * starts with "http", used as it is); `body` (borrowed) is sent as JSON.
 * A 401 gets a fresh token and one more try. Returns true with *out filled
 * (release with gcp_reply_clear) when a response came; false with *rc set
 * (no response, or no token). */
bool gcp_call(struct gcp *g, enum gcp_api api, const char *method,
	      const char *path, json_t *body, struct gcp_reply *out, int *rc);
void gcp_reply_clear(struct gcp_reply *r);

/* The operation's result for an error response: QUOTA_EXCEEDED and other
 * 4xx are fatal, rate limits and 5xx may pass (FAIL). `what` says what was
 * being done ("creating network 'n'"). */
int gcp_fail_reply(struct gcp *g, const char *what,
		   const struct gcp_reply *r);

/* Properties and inputs. gcp_prop: the property as JSON (transfer full),
 * or NULL when missing or null. gcp_str: a non-empty string input, else
 * property, else NULL (transfer none). gcp_int: the same for integers. */
json_t *gcp_prop(struct gcp *g, const char *path);
const char *gcp_str(struct gcp *g, const char *path);
bool gcp_int(struct gcp *g, const char *path, int64_t *out);

/* Merges the property additional_settings (fields passed to the API as
 * they are) into `body` and returns it. */
json_t *gcp_with_settings(struct gcp *g, json_t *body);

/* A name Google accepts ([a-z]([-a-z0-9]*[a-z0-9])?, at most `max`)
 * made from `s` (transfer full). */
char *gcp_name_from(const char *s, size_t max);

/* The link to the related resource of kind KIND (a gcp_kind: "network",
 * "subnetwork", "template", "disk", "image", "address"; or "nfs_export"):
 * the runtime property links.KIND that a cloudify.relationships.gcp.*
 * relationship's link operation set, else, for any relationship (generic
 * connected_to, depends_on, contained_in, as Cloudify's plugin finds them
 * by the target's type), the selfLink of the first target of that kind
 * (an address: its IP; nfs_export: a Filestore target's "IP:/share").
 * Returns it (transfer none, valid until the operation returns) or NULL. */
const char *gcp_link(struct gcp *g, const char *kind);

/* The first instance the operation's instance has a relationship to that
 * is a gcp resource of kind KIND (runtime gcp_kind), through bp_related()
 * (transfer none, valid until the operation returns), or NULL. */
bp_ctx *gcp_related(struct gcp *g, const char *kind);

/* Sets labels {"blueprint-deployment": owner, "blueprint-instance":
 * instance} in `labels` (an object). */
void gcp_label(struct gcp *g, json_t *labels);

/* ---- resource kinds ---------------------------------------------------- */

enum gcp_scope { GCP_GLOBAL, GCP_REGION, GCP_ZONE, GCP_LOCATION };

struct gcp_kind {
	const char *name;		/* "network": runtime gcp_kind, links */
	enum gcp_api api;
	enum gcp_scope scope;
	const char *collection;		/* "networks" */
	const char *owner_field;	/* where the marks are: "labels",
					   "description", "properties.labels",
					   "resourceLabels" */
	const char *status_field;	/* "status", "state", or NULL */
	const char *ready;		/* the ready status, or NULL */
	/* The insert body for resource `name` (transfer full), or NULL with
	 * the result in *rc. */
	json_t *(*body)(struct gcp *g, const char *name, int *rc);
	/* The insert's path, from the collection's (transfer full); NULL
	 * hook: the collection's. */
	char *(*insert_path)(struct gcp *g, const char *coll, const char *name);
	/* When set, the body is sent as {wrap: body} (GKE's {"cluster"}). */
	const char *wrap;
	/* Candidate name number i (transfer full), NULL after the last;
	 * NULL hook: the property `name`, else one from the instance id. */
	char *(*candidate)(struct gcp *g, int i);
	/* Publishes runtime properties from the resource (optional). */
	void (*publish)(struct gcp *g, json_t *res);
};

/* The path of resource `name` of kind `k` (or of its collection when name
 * is NULL), relative to the API base (transfer full). */
char *gcp_path(struct gcp *g, const struct gcp_kind *k, const char *name);

/* The name a resource gets: property `name` (or resource_id), else one
 * made from the node instance's id (transfer full). */
char *gcp_default_name(struct gcp *g);

/* The lifecycle operations every kind shares (resource.c). */
int gcp_create(bp_ctx *ctx, const struct gcp_kind *k);
int gcp_delete(bp_ctx *ctx, const struct gcp_kind *k);

/* Whether `res` carries the marks of this deployment's instance. */
bool gcp_owned(struct gcp *g, const struct gcp_kind *k, json_t *res);

/* ---- long-running operations (lro.c) ---------------------------------- */

enum gcp_lro_state { GCP_LRO_PENDING, GCP_LRO_DONE, GCP_LRO_FAILED };

/* Remembers the operation a mutation answered, in runtime property `key`.
 * Returns true; false with *rc when the answer is not an operation. */
bool gcp_lro_save(struct gcp *g, enum gcp_api api, const char *key,
		  json_t *op, int *rc);

/* Polls the operation saved under `key`: PENDING (asks to be called
 * again), DONE (forgets it), FAILED (forgets it, *msg and *code set,
 * transfer full) or, when the call failed, returns -1 with *rc set.
 * When nothing is saved: DONE. */
int gcp_lro_poll(struct gcp *g, const char *key, char **msg, char **code,
		 int *rc);

/* The result for a failed operation: QUOTA_EXCEEDED and invalid requests
 * fatal, the rest FAIL. */
int gcp_lro_fail(struct gcp *g, const char *what, const char *msg,
		 const char *code);

/* ---- kinds (network.c, compute.c, instance.c, services.c, image.c) ---- */

extern const struct gcp_kind gcp_network, gcp_subnetwork, gcp_firewall,
	gcp_address, gcp_global_address, gcp_disk, gcp_template,
	gcp_instance, gcp_group, gcp_filestore, gcp_cluster, gcp_image;

/* Instance: the body (also used by templates and the image builder).
 * `image`, `startup`: the boot image and startup script to use instead of
 * the properties', or NULL. */
json_t *gcp_instance_body(struct gcp *g, const char *name,
			  const char *image, const char *startup, int *rc);
/* An image reference as a partial URL: "family/F", "PROJECT/family/F",
 * "NAME", "PROJECT/global/images/NAME" or a URL (transfer full). */
char *gcp_image_ref(struct gcp *g, const char *image);
/* The machine type of a size ({machine_type} or {cpus, memory_gb}), a
 * short name (transfer full), or NULL when the size is neither. */
char *gcp_size_machine(json_t *size);

int gcp_image_create(bp_ctx *ctx);
int gcp_image_delete(bp_ctx *ctx);
int gcp_instance_power(bp_ctx *ctx, bool start);
int gcp_group_resize(bp_ctx *ctx);
int gcp_link_op(bp_ctx *ctx);
int gcp_unlink_op(bp_ctx *ctx);

#endif
