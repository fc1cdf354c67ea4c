/* probe.c: a test plugin that exercises every slot of the context API and
 * reports what it saw as outputs, for tests/unit/test-plugin-call.c and
 * test-plugin-harness.c. With $PROBE_TRACE set, the load and unload hooks
 * append "load" and "unload" lines to that file. */
#include "blueprint/plugin.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct probe_state {
	char tag[16];
};

static void trace(const char *what)
{
	const char *file = getenv("PROBE_TRACE");
	FILE *f = file ? fopen(file, "a") : NULL;

	if (f) {
		fprintf(f, "%s\n", what);
		fclose(f);
	}
}

static bool probe_load(const struct bp_api *api, void **state, char **errmsg)
{
	struct probe_state *s = calloc(1, sizeof(*s));

	if (!s) {
		*errmsg = api->strdupf("out of memory");
		return false;
	}
	strcpy(s->tag, "probe-state");
	*state = s;
	trace("load");
	return true;
}

static void probe_unload(void *state)
{
	trace("unload");
	free(state);
}

/* Sets output `name` to a boolean. */
static void out_bool(bp_ctx *ctx, const char *name, bool v)
{
	bp_output_set(ctx, name, v ? "true" : "false");
}

/* Sets output `name` to a string, or null. */
static void out_str(bp_ctx *ctx, const char *name, const char *v)
{
	if (v)
		bp_output_set_string(ctx, name, v);
	else
		bp_output_set(ctx, name, "null");
}

static void out_int(bp_ctx *ctx, const char *name, long long v)
{
	char *json = bp_strdupf("%lld", v);

	bp_output_set(ctx, name, json);
	bp_free(json);
}

/* Outputs = the inputs; one log line at each level. */
static int op_echo(bp_ctx *ctx)
{
	bp_log(ctx, BP_LOG_DEBUG, "debug %d", 1);
	bp_log(ctx, BP_LOG_INFO, "info %s", "two");
	bp_log(ctx, BP_LOG_WARNING, "warning");
	bp_log(ctx, BP_LOG_ERROR, "error");
	bp_log(ctx, 25, "between info and warning");
	bp_output_set(ctx, NULL, bp_get_json(ctx, BP_SCOPE_INPUTS, NULL));
	return BP_OK;
}

/* Reports what the getters return. */
static int op_read(bp_ctx *ctx)
{
	int64_t i = -1;
	bool b = false;
	double d = 0;
	struct probe_state *s = bp_state(ctx);

	out_str(ctx, "deployment", bp_deployment_id(ctx));
	out_str(ctx, "blueprint_dir", bp_blueprint_dir(ctx));
	out_str(ctx, "execution", bp_execution_id(ctx));
	out_str(ctx, "operation", bp_operation_name(ctx));
	out_int(ctx, "attempt", bp_attempt(ctx));
	out_bool(ctx, "has_deadline", bp_deadline(ctx) > 0);
	out_str(ctx, "node", bp_node_name(ctx));
	out_str(ctx, "type", bp_node_type(ctx));
	out_str(ctx, "instance", bp_instance_id(ctx));
	out_bool(ctx, "has_source", bp_source(ctx) != NULL);
	out_str(ctx, "state", s ? s->tag : NULL);
	out_str(ctx, "name", bp_get_string(ctx, BP_SCOPE_PROPERTIES, "name"));
	out_str(ctx, "flavor",
		bp_get_string(ctx, BP_SCOPE_PROPERTIES, "server.flavor"));
	out_str(ctx, "server", bp_get_json(ctx, BP_SCOPE_PROPERTIES, "server"));
	out_bool(ctx, "port_ok",
		 bp_get_int(ctx, BP_SCOPE_PROPERTIES, "ports.1", &i));
	out_int(ctx, "port", i);
	out_bool(ctx, "port_as_string",
		 bp_get_string(ctx, BP_SCOPE_PROPERTIES, "ports.1") != NULL);
	out_bool(ctx, "enabled_ok",
		 bp_get_bool(ctx, BP_SCOPE_PROPERTIES, "enabled", &b));
	out_bool(ctx, "enabled", b);
	out_bool(ctx, "ratio_ok",
		 bp_get_double(ctx, BP_SCOPE_PROPERTIES, "ratio", &d));
	out_int(ctx, "ratio_x100", (long long)(d * 100));
	out_bool(ctx, "int_as_double",
		 bp_get_double(ctx, BP_SCOPE_PROPERTIES, "ports.0", &d));
	out_bool(ctx, "missing",
		 bp_get_json(ctx, BP_SCOPE_PROPERTIES, "nope.deeper") == NULL);
	out_str(ctx, "input", bp_get_string(ctx, BP_SCOPE_INPUTS, "greeting"));
	out_str(ctx, "region",
		bp_get_string(ctx, BP_SCOPE_DEPLOYMENT_INPUTS, "region"));
	out_str(ctx, "runtime", bp_get_json(ctx, BP_SCOPE_RUNTIME, NULL));
	out_str(ctx, "host_ip", bp_get_string(ctx, BP_SCOPE_HOST_RUNTIME, "ip"));
	out_str(ctx, "host_name",
		bp_get_string(ctx, BP_SCOPE_HOST_PROPERTIES, "name"));
	out_bool(ctx, "bad_scope", bp_get_json(ctx, 99, NULL) == NULL);
	return BP_OK;
}

/* Changes runtime properties; reports which changes were refused. */
static int op_runtime(bp_ctx *ctx)
{
	const char *value = bp_get_string(ctx, BP_SCOPE_INPUTS, "value");

	bp_runtime_set(ctx, "a", "1");
	bp_runtime_set_string(ctx, "b.c", value ? value : "none");
	bp_runtime_set_int(ctx, "n", 42);
	bp_runtime_delete(ctx, "gone");
	out_bool(ctx, "bad_json", bp_runtime_set(ctx, "x", "{bad"));
	out_bool(ctx, "through_string", bp_runtime_set(ctx, "b.c.d", "1"));
	out_bool(ctx, "empty_path", bp_runtime_set(ctx, "", "1"));
	out_bool(ctx, "delete_missing", bp_runtime_delete(ctx, "never.was"));
	out_str(ctx, "b", bp_get_json(ctx, BP_SCOPE_RUNTIME, "b"));
	return BP_OK;
}

/* Deletes what inputs.delete names and nothing else. */
static int op_delete(bp_ctx *ctx)
{
	bp_runtime_delete(ctx, bp_get_string(ctx, BP_SCOPE_INPUTS, "delete"));
	return BP_OK;
}

static int op_retry(bp_ctx *ctx)
{
	int64_t s = 0;

	bp_get_int(ctx, BP_SCOPE_INPUTS, "seconds", &s);
	bp_runtime_set_int(ctx, "tries", bp_attempt(ctx));
	return bp_retry(ctx, (uint32_t)s, "waiting for '%s'",
			bp_get_string(ctx, BP_SCOPE_INPUTS, "what"));
}

static int op_fail(bp_ctx *ctx)
{
	return bp_fail(ctx, "boom %d", 1);
}

static int op_fatal(bp_ctx *ctx)
{
	bp_runtime_set_string(ctx, "id", "made-before-failing");
	return bp_fail_fatal(ctx, "invalid flavor '%s'", "huge");
}

static int op_bad_result(bp_ctx *ctx)
{
	return 42;
}

static int op_silent_fail(bp_ctx *ctx)
{
	return BP_FAIL;
}

/* Records a retry, then changes its mind: the returned code counts. */
static int op_mind_change(bp_ctx *ctx)
{
	bp_retry(ctx, 30, "first thought");
	return BP_OK;
}

static int op_cancel(bp_ctx *ctx)
{
	out_bool(ctx, "cancelled", bp_cancelled(ctx));
	return BP_OK;
}

static int op_secret(bp_ctx *ctx)
{
	out_str(ctx, "value", bp_secret(ctx,
		bp_get_string(ctx, BP_SCOPE_INPUTS, "name")));
	return BP_OK;
}

/* A relationship operation: both sides read and written. */
static int op_link(bp_ctx *ctx)
{
	bp_ctx *src = bp_source(ctx), *tgt = bp_target(ctx);

	if (!src || !tgt)
		return bp_fail_fatal(ctx, "not a relationship operation");
	out_bool(ctx, "main_has_node", bp_node_name(ctx) != NULL);
	out_bool(ctx, "main_set", bp_runtime_set(ctx, "x", "1"));
	out_str(ctx, "main_host_ip",
		bp_get_string(ctx, BP_SCOPE_HOST_RUNTIME, "ip"));
	out_str(ctx, "source", bp_node_name(src));
	out_str(ctx, "target", bp_node_name(tgt));
	out_str(ctx, "target_type", bp_node_type(tgt));
	out_str(ctx, "target_ip",
		bp_get_string(tgt, BP_SCOPE_RUNTIME, "ip"));
	out_str(ctx, "source_port",
		bp_get_json(src, BP_SCOPE_PROPERTIES, "port"));
	out_str(ctx, "input_via_source",
		bp_get_string(src, BP_SCOPE_INPUTS, "greeting"));
	bp_runtime_set_string(src, "linked_to", bp_instance_id(tgt));
	bp_runtime_set_string(tgt, "linked_from", bp_instance_id(src));
	return BP_OK;
}

/* What bp_related() answers for the type in input `type` (null: all):
 * the node and runtime ip of each related instance, and whether a write
 * through one is refused. */
static int op_related(bp_ctx *ctx)
{
	const char *type = bp_get_string(ctx, BP_SCOPE_INPUTS, "type");
	char key[32];
	uint32_t i;
	bp_ctx *r;

	for (i = 0; (r = bp_related(ctx, type, i)); i++) {
		snprintf(key, sizeof(key), "node%u", i);
		out_str(ctx, key, bp_node_name(r));
		snprintf(key, sizeof(key), "ip%u", i);
		out_str(ctx, key, bp_get_string(r, BP_SCOPE_RUNTIME, "ip"));
		if (i == 0)
			out_bool(ctx, "write_refused",
				 !bp_runtime_set(r, "x", "1"));
	}
	out_int(ctx, "count", i);
	return BP_OK;
}

/* The whole result set to a non-object, then a named output refused. */
static int op_returns(bp_ctx *ctx)
{
	bp_output_set_string(ctx, NULL, "plain value");
	out_bool(ctx, "named_after", false);
	return BP_OK;
}

struct worker {
	bp_ctx *ctx;
	int id;
};

static void *work(void *arg)
{
	struct worker *w = arg;

	for (int i = 0; i < 50; i++) {
		char *key = bp_strdupf("t%d.k%d", w->id, i);
		bp_runtime_set_int(w->ctx, key, i);
		bp_log(w->ctx, BP_LOG_DEBUG, "%s", key);
		bp_free(key);
	}
	return NULL;
}

/* Calls the API from four threads at once; all writes must land. */
static int op_threads(bp_ctx *ctx)
{
	pthread_t t[4];
	struct worker w[4];

	for (int i = 0; i < 4; i++) {
		w[i].ctx = ctx;
		w[i].id = i;
		pthread_create(&t[i], NULL, work, &w[i]);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	return BP_OK;
}

static const struct bp_op probe_ops[] = {
	{ "echo", op_echo },
	{ "read", op_read },
	{ "runtime", op_runtime },
	{ "delete", op_delete },
	{ "retry", op_retry },
	{ "fail", op_fail },
	{ "fatal", op_fatal },
	{ "bad.result", op_bad_result },
	{ "silent.fail", op_silent_fail },
	{ "mind.change", op_mind_change },
	{ "cancel", op_cancel },
	{ "secret", op_secret },
	{ "link", op_link },
	{ "related", op_related },
	{ "returns", op_returns },
	{ "threads", op_threads },
	{ NULL, NULL },
};

BP_PLUGIN_DEFINE("probe", "0.3.1", probe_ops, probe_load, probe_unload);
