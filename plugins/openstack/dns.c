/* dns.c: Designate (DNS v2) zones and record sets. A zone needs a name
 * (a trailing dot is added) and an email; it is created PENDING and
 * waited for until ACTIVE (ERROR fails), deleted and waited for until
 * Designate answers 404. A record set lives in a zone: resource_config
 * zone_id (an id or a name), else the zone the node has a relationship
 * to; a name without a trailing dot is taken relative to the zone
 * ("www" in "example.org." is "www.example.org."). The zone's id and
 * name are kept as the runtime properties zone_id and zone_name; delete
 * finds the record set through them. */
#include <string.h>
#include <glib.h>

#include "os.h"

/* body.name ending in a dot: relative to `zone` when given. */
static void fqdn(json_t *body, const char *zone)
{
	const char *n = os_json_str(body, "name");
	g_autofree char *full = NULL;

	if (!n || !*n || g_str_has_suffix(n, "."))
		return;
	full = zone ? g_strdup_printf("%s.%s", n, zone) :
		g_strdup_printf("%s.", n);
	json_object_set_new(body, "name", json_string(full));
}

static int prepare_zone(bp_ctx *ctx, struct os_conn *c,
			const struct os_kind *k, json_t *body)
{
	(void)c;
	(void)k;
	if (!os_json_str(body, "email"))
		return bp_fail_fatal(ctx, "zone: resource_config.email (the "
				     "zone's contact address) is required");
	fqdn(body, NULL);
	return BP_OK;
}

static void publish_zone(bp_ctx *ctx, struct os_conn *c, const json_t *res)
{
	(void)c;
	bp_runtime_set_string(ctx, "email", os_json_str(res, "email"));
	bp_runtime_set_string(ctx, "status", os_json_str(res, "status"));
	os_ctx_set(ctx, "serial", json_object_get(res, "serial"));
	os_ctx_set(ctx, "ttl", json_object_get(res, "ttl"));
}

const struct os_kind os_kind_zone = {
	.name = "zone", .svc = OS_DNS, .path = "/zones", .plural = "zones",
	.label = "zone", .status = "status", .ready = "ACTIVE",
	.failed = "ERROR", .wait_delete = true, .named = true,
	.prepare = prepare_zone, .publish = publish_zone,
};

static int prepare_recordset(bp_ctx *ctx, struct os_conn *c,
			     const struct os_kind *k, json_t *body)
{
	(void)c;
	(void)k;
	json_object_del(body, "zone_id");
	if (!json_is_array(json_object_get(body, "records")) ||
	    !json_array_size(json_object_get(body, "records")))
		return bp_fail_fatal(ctx, "record set: resource_config.records "
				     "(a list of record data) is required");
	if (!os_json_str(body, "type"))
		json_object_set_new(body, "type", json_string("A"));
	fqdn(body, bp_get_string(ctx, BP_SCOPE_RUNTIME, "zone_name"));
	return BP_OK;
}

static void publish_recordset(bp_ctx *ctx, struct os_conn *c,
			      const json_t *res)
{
	(void)c;
	bp_runtime_set_string(ctx, "status", os_json_str(res, "status"));
	bp_runtime_set_string(ctx, "record_type", os_json_str(res, "type"));
	os_ctx_set(ctx, "records", json_object_get(res, "records"));
}

/* The path of a zone's record sets; kind.path is the zone's (runtime
 * zone_id) collection in the copies the operations make. */
const struct os_kind os_kind_recordset = {
	.name = "recordset", .svc = OS_DNS, .path = "/recordsets",
	.plural = "recordsets", .label = "record set", .status = "status",
	.ready = "ACTIVE", .failed = "ERROR", .wait_delete = true,
	.named = true, .prepare = prepare_recordset,
	.publish = publish_recordset,
};

/* Finds the zone of a record set (resource_config.zone_id, an id or a
 * name, else the related zone) and saves its id and name. Returns BP_OK
 * or a failure recorded on ctx. */
static int find_zone(bp_ctx *ctx, struct os_conn *c)
{
	json_t *cfg = os_res_config(ctx, &os_kind_recordset);
	const char *z = os_json_str(cfg, "zone_id");
	struct os_reply r = { 0 };
	json_t *zone;
	int rc = BP_OK;

	if (!z || !*z)
		z = os_related_id(ctx, "zone");
	if (!z || !*z) {
		json_decref(cfg);
		return bp_fail_fatal(ctx, "record set: resource_config.zone_id "
				     "or a relationship to a zone is required");
	}
	zone = os_res_find(c, ctx, &os_kind_zone, z, &r);
	if (zone) {
		bp_runtime_set_string(ctx, "zone_id", os_json_str(zone, "id"));
		bp_runtime_set_string(ctx, "zone_name",
				      os_json_str(zone, "name"));
	} else {
		g_autofree char *what = g_strdup_printf("zone '%s'", z);
		if (r.status == 404)
			r.fatal = true;
		rc = os_reply_fail(ctx, &r, what);
	}
	json_decref(zone);
	json_decref(cfg);
	os_reply_clear(&r);
	return rc;
}

typedef int (*kind_op)(bp_ctx *ctx, const struct os_kind *k);

/* Runs `op` on the record set kind with the path of its zone. */
static int in_zone(bp_ctx *ctx, kind_op op)
{
	struct os_kind k = os_kind_recordset;
	g_autofree char *e = NULL, *path = NULL;
	const char *zid = bp_get_string(ctx, BP_SCOPE_RUNTIME, "zone_id");

	if (!zid)  /* delete of a record set never created */
		return op(ctx, &k);
	e = http_escape(zid);
	path = g_strdup_printf("/zones/%s/recordsets", e);
	k.path = path;
	return op(ctx, &k);
}

int os_recordset_create(bp_ctx *ctx);
int os_recordset_create(bp_ctx *ctx)
{
	int rc = BP_OK;
	struct os_conn *c = os_ctx_conn(ctx, &rc);

	if (!c)
		return rc;
	if (!bp_get_string(ctx, BP_SCOPE_RUNTIME, "zone_id") &&
	    (rc = find_zone(ctx, c)) != BP_OK)
		return rc;
	return in_zone(ctx, os_res_create);
}

int os_recordset_delete(bp_ctx *ctx);
int os_recordset_delete(bp_ctx *ctx)
{
	int rc = in_zone(ctx, os_res_delete);

	if (rc == BP_OK && !bp_get_string(ctx, BP_SCOPE_RUNTIME, "id")) {
		bp_runtime_delete(ctx, "zone_id");
		bp_runtime_delete(ctx, "zone_name");
	}
	return rc;
}

int os_recordset_list(bp_ctx *ctx);
int os_recordset_list(bp_ctx *ctx)
{
	return in_zone(ctx, os_res_list);
}

int os_recordset_update(bp_ctx *ctx);
int os_recordset_update(bp_ctx *ctx)
{
	return in_zone(ctx, os_res_update);
}
