/* ctxreq.c: one `ctx` command of a script, answered from the operation's
 * context through plugin.h.
 *
 * The grammar is that of Cloudify's script plugin, so scripts written for
 * it run unchanged: its proxy walks the Python operation context one
 * argument at a time (`ctx node properties port` reads
 * ctx.node.properties['port']) and lets '-' stand for '_' in a name
 * (`runtime-properties`). This file spells out the part of that walk that
 * scripts use:
 *
 *   node id|name|type                  node properties [KEY]
 *   instance id|host_ip|update|refresh instance runtime_properties [KEY [VALUE]]
 *   source|target node ...             source|target instance ...
 *   deployment id                      execution_id
 *   operation name|retry_number        type
 *   logger debug|info|warning|warn|error|critical MESSAGE...
 *   returns VALUE                      abort_operation [MESSAGE]
 *   retry_operation [MESSAGE [SECONDS]]     (also `operation retry ...`)
 *   download_resource PATH [TARGET]    get_resource PATH
 *
 * KEY is a path: "a.b" descends into objects, "a[0]" (or "a.0") indexes an
 * array. A missing key is an error, as Cloudify's "illegal path" is, so a
 * typo in `$(ctx node properties prot)` is loud. `node` and `instance` in
 * a relationship operation, and `source`/`target` in a node operation, are
 * errors, as in Cloudify. host_ip is the `ip` of the instance's host (the
 * Compute it is contained in), runtime property else property.
 * Differences: update and refresh do nothing (runtime properties
 * are stored when the operation returns); resources are read from the
 * blueprint's directory (bp_blueprint_dir), and download_resource without
 * TARGET copies into a new private temporary directory that is kept.
 */
#include "scriptrun.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* One request being answered. */
struct req {
	bp_ctx *ctx;                /* the operation's context */
	const json_t *args;         /* the arguments (borrowed) */
	size_t n;                   /* how many */
	struct script_outcome *out;
	char *error;                /* the first complaint, or NULL */
	char *stop;                 /* set: reply stop_operation with it */
};

/* Records the complaint (the first one wins). Returns NULL, for any
 * pointer type. */
static void *fail(struct req *r, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void *fail(struct req *r, const char *fmt, ...)
{
	va_list ap;

	if (!r->error) {
		va_start(ap, fmt);
		r->error = g_strdup_vprintf(fmt, ap);
		va_end(ap);
	}
	return NULL;
}

/* The argument at i when it is a string; else NULL. */
static const char *word(const struct req *r, size_t i)
{
	return i < r->n ? json_string_value(json_array_get(r->args, i)) : NULL;
}

bool script_ctx_word_is(const char *w, const char *name)
{
	if (!w)
		return false;
	for (; *w && *name; w++, name++)
		if (*w != *name && !(*w == '-' && *name == '_'))
			return false;
	return !*w && !*name;
}

static bool is(const char *w, const char *name)
{
	return script_ctx_word_is(w, name);
}

/* (transfer full) arguments [from, to) joined by spaces; strings as they
 * are, other values as JSON. */
static char *joined(const struct req *r, size_t from, size_t to)
{
	GString *s = g_string_new(NULL);

	for (size_t i = from; i < to && i < r->n; i++) {
		const json_t *a = json_array_get(r->args, i);
		if (i > from)
			g_string_append_c(s, ' ');
		if (json_is_string(a)) {
			g_string_append(s, json_string_value(a));
		} else {
			char *t = json_dumps(a, JSON_ENCODE_ANY | JSON_COMPACT);
			g_string_append(s, t);
			free(t);
		}
	}
	return g_string_free(s, FALSE);
}

/* Complains about the word at i, which is not one of `expected` (or is
 * missing) after the words before it. */
static json_t *unknown(struct req *r, size_t i, const char *expected)
{
	g_autofree char *before = joined(r, 0, i);
	g_autofree char *here = joined(r, i, i + 1);

	if (i >= r->n)
		return fail(r, "incomplete ctx command '%s': expected one of "
			    "%s next", before, expected);
	if (i == 0)
		return fail(r, "unknown ctx command '%s': expected one of %s",
			    here, expected);
	return fail(r, "'%s' has no '%s': expected one of %s", before, here,
		    expected);
}

/* Ends a branch after argument i-1: returns v, or complains about what
 * follows (consumes v). */
static json_t *done(struct req *r, size_t i, json_t *v)
{
	g_autofree char *rest = NULL;

	if (!v || i >= r->n)
		return v;
	json_decref(v);
	rest = joined(r, i, r->n);
	return fail(r, "unexpected '%s' at the end of the ctx command", rest);
}

/* (transfer full) a string, or null. */
static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *script_parse(const char *text)
{
	return text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
}

/* (transfer full) Cloudify's "a[0].b" as plugin.h's "a.0.b": "[digits]"
 * becomes ".digits"; anything else is kept. */
static char *keypath(const char *key)
{
	GString *s = g_string_new(NULL);

	for (const char *c = key; *c; c++) {
		size_t digits = *c == '[' ? strspn(c + 1, "0123456789") : 0;
		if (digits && c[1 + digits] == ']') {
			g_string_append_c(s, '.');
			g_string_append_len(s, c + 1, (gssize)digits);
			c += digits + 1;
		} else {
			g_string_append_c(s, *c);
		}
	}
	return g_string_free(s, FALSE);
}

/* node properties / instance runtime_properties, from argument i on:
 * nothing (the whole document), KEY (its value) or KEY VALUE (set). */
static json_t *props(struct req *r, bp_ctx *sub, size_t i, int scope)
{
	const char *what = scope == BP_SCOPE_RUNTIME ? "runtime property"
						     : "node property";
	const char *key = word(r, i);
	g_autofree char *path = NULL;
	char *text;
	bool ok;

	if (i >= r->n)
		return script_parse(bp_get_json(sub, scope, NULL));
	if (!key || !*key)
		return fail(r, "a %s name must be a non-empty string", what);
	path = keypath(key);
	if (i + 1 == r->n) {
		json_t *v = script_parse(bp_get_json(sub, scope, path));
		return v ? v : fail(r, "no %s '%s'", what, key);
	}
	if (scope != BP_SCOPE_RUNTIME)
		return fail(r, "node properties are read-only: set runtime "
			    "properties ('instance runtime_properties KEY "
			    "VALUE')");
	if (i + 2 < r->n)
		return done(r, i + 2, json_null());
	text = json_dumps(json_array_get(r->args, i + 1),
			  JSON_ENCODE_ANY | JSON_COMPACT);
	ok = bp_runtime_set(sub, path, text);
	free(text);
	return ok ? json_null()
		  : fail(r, "cannot set runtime property '%s' (the log says "
			 "why)", key);
}

/* Cloudify's host_ip: the `ip` runtime property of the instance's host
 * (the nearest Compute it is contained in; plugin.h ABI 1.3), else the
 * host node's `ip` property; on an engine without the host scopes, the
 * instance's own. */
static json_t *host_ip(struct req *r, bp_ctx *sub)
{
	static const int scopes[] = {
		BP_SCOPE_HOST_RUNTIME, BP_SCOPE_HOST_PROPERTIES,
		BP_SCOPE_RUNTIME, BP_SCOPE_PROPERTIES,
	};
	json_t *v;

	for (size_t i = 0; i < G_N_ELEMENTS(scopes); i++) {
		v = script_parse(bp_get_json(sub, scopes[i], "ip"));
		if (json_is_string(v))
			return v;
		json_decref(v);
	}
	return fail(r, "no host ip for instance '%s': neither it nor its host "
		    "has an 'ip' runtime property or property",
		    bp_instance_id(sub));
}

static json_t *node(struct req *r, bp_ctx *sub, size_t i)
{
	const char *w = word(r, i);

	if (is(w, "id") || is(w, "name"))
		return done(r, i + 1, str_or_null(bp_node_name(sub)));
	if (is(w, "type"))
		return done(r, i + 1, str_or_null(bp_node_type(sub)));
	if (is(w, "properties"))
		return props(r, sub, i + 1, BP_SCOPE_PROPERTIES);
	return unknown(r, i, "'id', 'name', 'type', 'properties'");
}

static json_t *instance(struct req *r, bp_ctx *sub, size_t i)
{
	const char *w = word(r, i);

	if (is(w, "id"))
		return done(r, i + 1, str_or_null(bp_instance_id(sub)));
	if (is(w, "host_ip"))
		return done(r, i + 1, host_ip(r, sub));
	if (is(w, "runtime_properties"))
		return props(r, sub, i + 1, BP_SCOPE_RUNTIME);
	if (is(w, "update") || is(w, "refresh"))
		return done(r, i + 1, json_null());
	return unknown(r, i, "'id', 'host_ip', 'runtime_properties', "
		       "'update', 'refresh'");
}

/* `node ...` or `instance ...` of the operation's own instance. */
static json_t *own(struct req *r)
{
	const char *w = word(r, 0);

	if (!bp_node_name(r->ctx))
		return fail(r, "'%s' is not available in a relationship "
			    "operation: use 'source %s' or 'target %s'", w, w,
			    w);
	return is(w, "node") ? node(r, r->ctx, 1) : instance(r, r->ctx, 1);
}

/* `source ...` or `target ...`; `sub` is that side, NULL in a node
 * operation. */
static json_t *side(struct req *r, bp_ctx *sub)
{
	const char *w = word(r, 1);

	if (!sub)
		return fail(r, "'%s' is only available in a relationship "
			    "operation", word(r, 0));
	if (is(w, "node"))
		return node(r, sub, 2);
	if (is(w, "instance"))
		return instance(r, sub, 2);
	return unknown(r, 1, "'node', 'instance'");
}

static const struct {
	const char *name;
	int level;
} levels[] = {
	{ "debug", BP_LOG_DEBUG }, { "info", BP_LOG_INFO },
	{ "warning", BP_LOG_WARNING }, { "warn", BP_LOG_WARNING },
	{ "error", BP_LOG_ERROR }, { "critical", BP_LOG_ERROR },
};

static json_t *logger(struct req *r)
{
	const char *w = word(r, 1);
	g_autofree char *msg = NULL;

	for (size_t k = 0; k < G_N_ELEMENTS(levels); k++) {
		if (!is(w, levels[k].name))
			continue;
		if (r->n < 3)
			return fail(r, "'logger %s' needs a message", w);
		msg = joined(r, 2, r->n);
		bp_log(r->ctx, levels[k].level, "%s", msg);
		return json_null();
	}
	return unknown(r, 1, "'debug', 'info', 'warning', 'error'");
}

/* Records returns / abort / retry from argument i on. */
static json_t *verdict(struct req *r, enum script_verdict v, size_t i)
{
	struct script_outcome *o = r->out;
	const json_t *secs = json_array_get(r->args, i + 1);
	const char *s = json_string_value(secs);
	json_int_t n = json_is_integer(secs) ? json_integer_value(secs) : -1;
	char *end = NULL;

	if (o->verdict != SCRIPT_VERDICT_NONE) {
		o->verdict = SCRIPT_VERDICT_TWICE;
		return fail(r, "ctx may only abort, retry or return once");
	}
	if (v == SCRIPT_VERDICT_RETURNED) {
		if (r->n != i + 1)
			return fail(r, "'returns' takes one value");
		o->value = json_incref(json_array_get(r->args, i));
	} else if (v == SCRIPT_VERDICT_ABORT) {
		o->message = r->n > i ? joined(r, i, r->n) : NULL;
		r->stop = g_strdup(o->message ? o->message
					      : "the operation was aborted");
	} else {
		if (s && *s)
			n = (json_int_t)g_ascii_strtoll(s, &end, 10);
		if (secs && (n < 0 || n > G_MAXINT32 || (end && *end)))
			return fail(r, "retry seconds must be a whole number "
				    "0 or more, not '%s'", s ? s : "?");
		if (r->n > i + 2)
			return done(r, i + 2, json_null());
		o->message = r->n > i ? joined(r, i, i + 1) : NULL;
		o->retry_after = secs ? (uint32_t)n : 0;
		r->stop = g_strdup(o->message ? o->message
					      : "the operation will be retried");
	}
	o->verdict = v;
	return json_null();
}

static json_t *operation(struct req *r)
{
	const char *w = word(r, 1);

	if (is(w, "name"))
		return done(r, 2, json_string(bp_operation_name(r->ctx)));
	if (is(w, "retry_number"))
		return done(r, 2, json_integer(bp_attempt(r->ctx) - 1));
	if (is(w, "retry"))
		return verdict(r, SCRIPT_VERDICT_RETRY, 2);
	return unknown(r, 1, "'name', 'retry_number', 'retry'");
}

char *script_resource_path(bp_ctx *ctx, const char *name, char **errmsg)
{
	const char *dir = bp_blueprint_dir(ctx);
	char *path;

	if (!dir && !g_path_is_absolute(name)) {
		*errmsg = g_strdup_printf("cannot find resource '%s': the "
					  "operation has no blueprint directory",
					  name);
		return NULL;
	}
	path = g_path_is_absolute(name) ? g_strdup(name)
					: g_build_filename(dir, name, NULL);
	if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
		g_free(path);
		*errmsg = g_strdup_printf("no resource '%s' in the blueprint "
					  "directory '%s'", name,
					  dir ? dir : "/");
		return NULL;
	}
	return path;
}

/* (transfer full) the blueprint file argument i names; NULL after
 * complaining. */
static char *resource(struct req *r, size_t i)
{
	const char *name = word(r, i);
	char *errmsg = NULL;
	char *path;

	if (!name || !*name)
		return fail(r, "'%s' needs a resource path", word(r, 0));
	path = script_resource_path(r->ctx, name, &errmsg);
	if (!path) {
		fail(r, "%s", errmsg);
		g_free(errmsg);
	}
	return path;
}

/* (transfer full) a file's contents; NULL after complaining. */
static char *contents(struct req *r, const char *path, gsize *len)
{
	g_autoptr(GError) gerr = NULL;
	char *text = NULL;

	if (!g_file_get_contents(path, &text, len, &gerr))
		return fail(r, "cannot read resource '%s': %s", path,
			    gerr->message);
	return text;
}

static json_t *get_resource(struct req *r)
{
	g_autofree char *path = resource(r, 1);
	g_autofree char *text = NULL;
	g_autofree char *valid = NULL;
	gsize len;

	if (!path || !(text = contents(r, path, &len)))
		return NULL;
	valid = g_utf8_make_valid(text, (gssize)len);
	return done(r, 2, json_string(valid));
}

static json_t *download_resource(struct req *r)
{
	g_autofree char *path = resource(r, 1);
	g_autofree char *text = NULL;
	g_autofree char *dir = NULL;
	g_autofree char *target = NULL;
	g_autofree char *base = NULL;
	g_autoptr(GError) gerr = NULL;
	gsize len;

	if (!path || !(text = contents(r, path, &len)))
		return NULL;
	if (word(r, 2)) {
		target = g_strdup(word(r, 2));
	} else {
		dir = g_dir_make_tmp("blueprint-resource-XXXXXX", &gerr);
		if (!dir)
			return fail(r, "cannot make a directory for resource "
				    "'%s': %s", path, gerr->message);
		base = g_path_get_basename(path);
		target = g_build_filename(dir, base, NULL);
	}
	if (!g_file_set_contents(target, text, (gssize)len, &gerr))
		return fail(r, "cannot write resource '%s' to '%s': %s", path,
			    target, gerr->message);
	return done(r, 3, json_string(target));
}

static json_t *top(struct req *r)
{
	const char *w = word(r, 0);
	const char *id;

	if (is(w, "node") || is(w, "instance"))
		return own(r);
	if (is(w, "source"))
		return side(r, bp_source(r->ctx));
	if (is(w, "target"))
		return side(r, bp_target(r->ctx));
	if (is(w, "logger"))
		return logger(r);
	if (is(w, "deployment"))
		return is(word(r, 1), "id")
			? done(r, 2, json_string(bp_deployment_id(r->ctx)))
			: unknown(r, 1, "'id'");
	if (is(w, "execution_id")) {
		id = bp_execution_id(r->ctx);
		return id ? done(r, 1, json_string(id))
			  : fail(r, "no execution id: the operation runs "
				 "outside an execution");
	}
	if (is(w, "operation"))
		return operation(r);
	if (is(w, "type"))
		return done(r, 1, json_string(bp_source(r->ctx)
					      ? "relationship-instance"
					      : "node-instance"));
	if (is(w, "returns"))
		return verdict(r, SCRIPT_VERDICT_RETURNED, 1);
	if (is(w, "abort_operation"))
		return verdict(r, SCRIPT_VERDICT_ABORT, 1);
	if (is(w, "retry_operation"))
		return verdict(r, SCRIPT_VERDICT_RETRY, 1);
	if (is(w, "get_resource"))
		return get_resource(r);
	if (is(w, "download_resource"))
		return download_resource(r);
	return unknown(r, 0, "'node', 'instance', 'source', 'target', "
		       "'logger', 'deployment', 'execution-id', 'operation', "
		       "'type', 'returns', 'abort-operation', "
		       "'retry-operation', 'get-resource', "
		       "'download-resource'");
}

/* {"type": type, "payload": {"message": msg}} (consumes msg) */
static json_t *message_reply(const char *type, char *msg)
{
	g_autofree char *valid = g_utf8_make_valid(msg, -1);
	json_t *reply = json_pack("{s:s, s:{s:s}}", "type", type, "payload",
				  "message", valid);

	g_free(msg);
	return reply;
}

json_t *script_ctx_request(bp_ctx *ctx, const json_t *args,
			   struct script_outcome *out)
{
	struct req r = {
		.ctx = ctx, .args = args, .n = json_array_size(args),
		.out = out,
	};
	json_t *v = json_is_array(args) && r.n
		? top(&r)
		: fail(&r, "empty ctx command: try 'ctx node properties KEY'");

	if (r.error) {
		json_decref(v);
		g_free(r.stop);
		return message_reply("error", r.error);
	}
	if (r.stop) {
		json_decref(v);
		return message_reply("stop_operation", r.stop);
	}
	return json_pack("{s:s, s:o}", "type", "result", "payload",
			 v ? v : json_null());
}

void script_outcome_clear(struct script_outcome *out)
{
	if (!out)
		return;
	g_free(out->message);
	json_decref(out->value);
	memset(out, 0, sizeof(*out));
}
