/* ctx.c: what operations read from their context (inputs over
 * properties, runtime properties as JSON) and the connection each uses. */
#include <string.h>
#include <glib.h>

#include "os.h"

const char *os_json_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

const char *os_related_id(bp_ctx *ctx, const char *type)
{
	bp_ctx *r;

	for (uint32_t i = 0; (r = bp_related(ctx, NULL, i)); i++)
		if (!g_strcmp0(bp_get_string(r, BP_SCOPE_RUNTIME, "type"), type))
			return bp_get_string(r, BP_SCOPE_RUNTIME, "id");
	return NULL;
}

static json_t *parse(const char *text)
{
	return text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
}

json_t *os_ctx_value(bp_ctx *ctx, const char *key)
{
	json_t *v = parse(bp_get_json(ctx, BP_SCOPE_INPUTS, key));

	if (v && !json_is_null(v))
		return v;
	json_decref(v);
	return parse(bp_get_json(ctx, BP_SCOPE_PROPERTIES, key));
}

json_t *os_ctx_runtime(bp_ctx *ctx, const char *path)
{
	return parse(bp_get_json(ctx, BP_SCOPE_RUNTIME, path));
}

void os_ctx_set(bp_ctx *ctx, const char *path, const json_t *value)
{
	g_autofree char *text = NULL;

	if (!value) {
		bp_runtime_delete(ctx, path);
		return;
	}
	text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
	bp_runtime_set(ctx, path, text);
}

struct os_conn *os_ctx_conn(bp_ctx *ctx, int *rc)
{
	g_autofree char *err = NULL;
	json_t *cfg = os_config_load(ctx, &err);
	struct os_conn *c;
	bool fatal = true;

	if (!cfg) {
		*rc = bp_fail_fatal(ctx, "%s", err);
		return NULL;
	}
	c = os_conn_get(ctx, cfg, &err, &fatal);
	json_decref(cfg);
	if (!c)
		*rc = fatal ? bp_fail_fatal(ctx, "%s", err)
			    : bp_fail(ctx, "%s", err);
	return c;
}

struct os_conn *os_ctx_made(bp_ctx *ctx, const char *label, const char **id,
			    int *rc)
{
	*id = bp_get_string(ctx, BP_SCOPE_RUNTIME, "id");
	if (!*id) {
		*rc = bp_fail_fatal(ctx, "%s has no id: not created", label);
		return NULL;
	}
	return os_ctx_conn(ctx, rc);
}

char *os_external_network(struct os_conn *c, bp_ctx *ctx, const char *hint,
			  int *rc)
{
	struct os_reply r = { 0 };
	json_t *nets;
	char *id = NULL;

	if (hint && *hint)
		return os_res_resolve(c, ctx, &os_kind_network, hint, rc);
	if (!os_call(c, ctx, OS_NETWORK, "GET",
		     "/networks?router:external=true", NULL, &r)) {
		*rc = os_reply_fail(ctx, &r, "listing external networks");
		os_reply_clear(&r);
		return NULL;
	}
	nets = json_object_get(r.body, "networks");
	if (json_array_size(nets) == 1)
		id = g_strdup(os_json_str(json_array_get(nets, 0), "id"));
	else
		*rc = bp_fail_fatal(ctx, "%zu external networks: say which "
				    "one (floating_network_id, "
				    "external_gateway_info or external_network)",
				    json_array_size(nets));
	os_reply_clear(&r);
	return id;
}
