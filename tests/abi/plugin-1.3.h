/* plugin.h: the blueprint plugin SDK, the one header a plugin author needs.
 *
 * A plugin is a shared object (NAME.so) that provides the operations node
 * types name in their interfaces ("hello.file.create" is operation
 * "file.create" of plugin "hello"). It exports one symbol, bp_plugin_entry,
 * which BP_PLUGIN_DEFINE() writes for you, returning a descriptor: the ABI
 * version the plugin was compiled against, its name and version, its table
 * of operations and optional load/unload hooks. The engine hands the plugin
 * one table of functions (struct bp_api, SQLite's loadable-extension model)
 * and the inline wrappers below call through it, so plugin code reads
 * `bp_get_string(ctx, BP_SCOPE_PROPERTIES, "path")`. Nothing else crosses:
 * no engine symbols, no GLib or jansson types; JSON crosses as text.
 *
 * This header is the source of man/blueprint-plugin.7, which has a complete
 * example. It includes only <stdarg.h> <stdbool.h> <stddef.h> <stdint.h>,
 * compiles as C99 and C++, and declares only bp_ and BP_ names.
 *
 * ---------------------------------------------------------------------------
 * Versioning. BP_ABI_MAJOR changes only when an existing field, slot or
 * number changes; the engine refuses a plugin built for another major. New
 * things are appended in a minor version (struct bp_api grows at its end,
 * under an "ABI 1.n and later" comment); the engine loads every plugin whose
 * minor is at most its own. A plugin that uses a slot newer than 1.0 checks
 * BP_API_HAS(slot) first. tests/abi/ holds a frozen copy of each released
 * header and a compile-time test that every old field kept its offset.
 *
 * Ownership. Every `const char *` the engine returns through a context is
 * owned by the engine and stays valid until the operation returns; never
 * free it and never keep it past that point. Every `char *` returned by
 * bp_strdupf(), bp_json_quote() and friends is yours: free it with
 * bp_free(). Strings you pass in are copied; you keep ownership of them.
 * The context itself (bp_ctx) is valid only while the operation runs.
 *
 * Threads. What the engine guarantees:
 *   - load runs once, before any operation of the plugin; unload runs once,
 *     after every operation of the plugin has returned; neither runs at the
 *     same time as the other or as any operation of the plugin;
 *   - at most one operation runs for a given node instance at a time;
 *   - operations of different instances run concurrently on the engine's
 *     worker threads, so one operation function may run on several threads
 *     at once, each call with its own context;
 *   - the functions of struct bp_api may be called from any thread while the
 *     operation runs; calls on one context are serialised by the engine.
 * What the plugin must do:
 *   - keep its load state and any global data thread-safe (read-only after
 *     load, or protected by the plugin's own lock);
 *   - never sleep or poll to wait for something outside (a server leaving
 *     BUILD, a file appearing): return bp_retry(ctx, SECONDS, ...) and the
 *     engine calls the operation again later without holding a thread;
 *   - be idempotent: after a crash an operation may run a second time; find
 *     what you created (by the id you saved in a runtime property, or by
 *     name) instead of creating a twin;
 *   - look at bp_cancelled() between slow steps and return promptly when it
 *     is true.
 */
#ifndef BP_PLUGIN_H
#define BP_PLUGIN_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI this header describes. */
#define BP_ABI_MAJOR 1
#define BP_ABI_MINOR 3

/* The symbol every plugin exports (BP_PLUGIN_DEFINE defines it). */
#define BP_PLUGIN_ENTRY "bp_plugin_entry"

#if defined(__GNUC__) || defined(__clang__)
#define BP_PRINTF(fmt_index, first_arg) \
	__attribute__((format(printf, fmt_index, first_arg)))
#define BP_EXPORT __attribute__((visibility("default")))
#define BP_HIDDEN __attribute__((visibility("hidden")))
#else
#define BP_PRINTF(fmt_index, first_arg)
#define BP_EXPORT
#define BP_HIDDEN
#endif

/* What an operation returns. The numbers are part of the ABI: new codes are
 * appended, none is ever renumbered or reused. */
enum bp_result {
	BP_OK         = 0,  /* done; the runtime properties it set are kept */
	BP_RETRY      = 1,  /* not done yet: call again after the delay given
			       to bp_retry(); runtime properties are kept */
	BP_FAIL       = 2,  /* failed, may succeed later: retried with backoff
			       up to the operation's retry limit */
	BP_FAIL_FATAL = 3,  /* failed for good (bad credentials, invalid
			       request): never retried */
	BP_RESULT_LAST      /* never use */
};

/* Log levels, numbered as Python's logging so they map one to one. */
enum bp_log_level {
	BP_LOG_DEBUG   = 10,
	BP_LOG_INFO    = 20,
	BP_LOG_WARNING = 30,
	BP_LOG_ERROR   = 40,
	BP_LOG_LAST         /* never use */
};

/* The JSON documents an operation can read (bp_get_*). */
enum bp_scope {
	BP_SCOPE_PROPERTIES        = 1, /* the node's properties, read-only */
	BP_SCOPE_RUNTIME           = 2, /* the instance's runtime properties */
	BP_SCOPE_INPUTS            = 3, /* the operation's inputs */
	BP_SCOPE_DEPLOYMENT_INPUTS = 4, /* the deployment's inputs */
	/* Since ABI 1.3 (an older engine answers NULL): the node properties
	 * and runtime properties of the instance's host, the nearest
	 * Compute (cloudify.nodes.Compute, tosca.nodes.Compute) at or above
	 * it through contained_in, else the top of that chain (the instance
	 * itself when it is contained in nothing): Cloudify's host_ip is
	 * bp_get_string(ctx, BP_SCOPE_HOST_RUNTIME, "ip"). Read-only. On
	 * the main context of a relationship operation: the host of the
	 * side whose interface declared the operation (source_interfaces:
	 * the source's; target_interfaces: the target's). */
	BP_SCOPE_HOST_PROPERTIES   = 5,
	BP_SCOPE_HOST_RUNTIME      = 6,
	BP_SCOPE_LAST                   /* never use */
};

/* An operation's view of the engine: opaque, valid while the operation
 * runs. For a relationship operation, bp_source() and bp_target() return the
 * contexts of the two instances. */
typedef struct bp_ctx bp_ctx;

struct bp_api;

/* An operation. Returns one of enum bp_result (as int, so the ABI does not
 * depend on the size of an enum). */
typedef int (*bp_op_fn)(bp_ctx *ctx);

/* The load hook: runs once when the plugin is loaded. May set *state to a
 * pointer the operations get back from bp_state() and unload receives.
 * Returns true to accept the load; false to refuse it, with *errmsg set to
 * a message allocated with api->strdupf (the engine frees it), or left NULL.
 * Since: ABI 1.0. Thread-safety: runs alone (see Threads above). */
typedef bool (*bp_load_fn)(const struct bp_api *api, void **state,
			   char **errmsg);

/* The unload hook: runs once before the plugin is unloaded, with the state
 * the load hook set. Since: ABI 1.0. */
typedef void (*bp_unload_fn)(void *state);

/* One operation in a plugin's table; a table ends with { NULL, NULL }. */
struct bp_op {
	const char *name;   /* "file.create": the part of an operation
			       reference after "PLUGIN."; unique in the table */
	bp_op_fn fn;
};

/* What bp_plugin_entry() returns. The first four fields never move; fill it
 * with BP_PLUGIN_DEFINE(), which sets them from this header. The plugin
 * keeps the descriptor (and every string and table it points to) valid and
 * unchanged until it is unloaded. */
struct bp_plugin_desc {
	uint32_t abi_major;      /* BP_ABI_MAJOR the plugin was built with */
	uint32_t abi_minor;      /* BP_ABI_MINOR the plugin was built with */
	uint32_t struct_size;    /* sizeof(struct bp_plugin_desc) it saw */
	uint32_t reserved0;      /* 0 */

	/* ABI 1.0 */
	const char *name;        /* must equal the file name without ".so":
				    letters, digits, '_' and '-' */
	const char *version;     /* the plugin's own version, "1.2.0" */
	const struct bp_op *ops; /* the operation table */
	bp_load_fn load;         /* or NULL */
	bp_unload_fn unload;     /* or NULL */
	void *reserved[8];       /* NULL: room to grow */

	/* ABI 1.2 and later: read only when abi_minor >= 2 */
	const struct bp_artifact_claim *artifacts; /* or NULL */
};

/* An artifact type a plugin runs (ABI 1.2): a TOSCA operation whose
 * implementation is an artifact of type `type` (or of a type derived from
 * it) runs the plugin's operation `op`, with the artifact's file, made
 * absolute, in the operation input "script_path". A plugin's claims are a
 * table ended by { NULL, NULL }. */
struct bp_artifact_claim {
	const char *type;        /* "tosca.artifacts.Implementation.Bash" */
	const char *op;          /* an operation of the plugin's table */
};

/* The function table the engine hands to a plugin. Append-only: a slot
 * never moves, new slots go at the end under an "ABI 1.n and later"
 * comment. Plugin code calls the bp_*() wrappers below, which call the slot
 * of the same name. Unless a slot says otherwise: `ctx` is the context the
 * operation received (or one bp_source()/bp_target() returned); the slot may
 * be called from any thread while the operation runs (the engine serialises
 * calls on one context) and never after it returned. */
struct bp_api {
	uint32_t abi_major;      /* BP_ABI_MAJOR of the engine */
	uint32_t abi_minor;      /* BP_ABI_MINOR of the engine */
	uint32_t size;           /* sizeof(struct bp_api) in the engine */
	uint32_t reserved0;

	/* ---- ABI 1.0 ---------------------------------------------------- */

	/* strdupf, vstrdupf: format a string, as printf does.
	 * Returns: the new string; never NULL (aborts on out-of-memory).
	 * Ownership: (transfer full), free it with `free`.
	 * Since: ABI 1.0. Thread-safety: any thread, any time. */
	char *(*strdupf)(const char *fmt, ...) BP_PRINTF(1, 2);
	char *(*vstrdupf)(const char *fmt, va_list ap) BP_PRINTF(1, 0);

	/* free: frees memory the engine gave you as (transfer full).
	 * Params: p, or NULL (does nothing).
	 * Since: ABI 1.0. Thread-safety: any thread, any time. */
	void (*free)(void *p);

	/* deployment_id: the deployment the operation runs in.
	 * Returns: the id, never NULL.
	 * Ownership: (transfer none), valid until the operation returns.
	 * Since: ABI 1.0. */
	const char *(*deployment_id)(bp_ctx *ctx);

	/* operation_name: the interface operation being run, as the
	 * blueprint names it ("cloudify.interfaces.lifecycle.create").
	 * Returns: the name, never NULL.
	 * Ownership: (transfer none), valid until the operation returns.
	 * Since: ABI 1.0. */
	const char *(*operation_name)(bp_ctx *ctx);

	/* attempt: which attempt this is.
	 * Returns: 1 on the first call, 2 on the first retry, and so on.
	 * Since: ABI 1.0. */
	uint32_t (*attempt)(bp_ctx *ctx);

	/* deadline: when the operation must be done by.
	 * Returns: microseconds of CLOCK_MONOTONIC (what
	 * clock_gettime(CLOCK_MONOTONIC) gives), or 0 when there is none.
	 * Since: ABI 1.0. */
	int64_t (*deadline)(bp_ctx *ctx);

	/* cancelled: whether the execution was cancelled.
	 * Returns: true once it was; then return promptly (any result).
	 * Since: ABI 1.0. */
	bool (*cancelled)(bp_ctx *ctx);

	/* state: the plugin's load state.
	 * Returns: what the load hook stored in *state, or NULL.
	 * Ownership: the plugin's own.
	 * Since: ABI 1.0. */
	void *(*state)(bp_ctx *ctx);

	/* node_name, node_type, instance_id: the node template, its type and
	 * the node instance the context is about ("web", "hello.nodes.File",
	 * "web_a1b2c3").
	 * Returns: the string; NULL on the main context of a relationship
	 * operation, which has no node: ask its source and target; NULL
	 * too in an operation a blueprint's workflow runs for the whole
	 * deployment.
	 * Ownership: (transfer none), valid until the operation returns.
	 * Since: ABI 1.0. */
	const char *(*node_name)(bp_ctx *ctx);
	const char *(*node_type)(bp_ctx *ctx);
	const char *(*instance_id)(bp_ctx *ctx);

	/* source, target: the two instances of a relationship operation.
	 * Their contexts answer node_name, node_type, instance_id, the
	 * BP_SCOPE_PROPERTIES and BP_SCOPE_RUNTIME scopes and runtime_set /
	 * runtime_delete (on that instance); the other slots answer as the
	 * main context does.
	 * Returns: the context; NULL in a node operation.
	 * Ownership: (transfer none), valid until the operation returns.
	 * Since: ABI 1.0. */
	bp_ctx *(*source)(bp_ctx *ctx);
	bp_ctx *(*target)(bp_ctx *ctx);

	/* get_json, get_string: read a value.
	 * Params: scope, one of enum bp_scope; path, a key, or keys joined
	 * by '.' that descend into objects ("server.flavor"), where a segment
	 * of digits indexes an array ("ports.0"); NULL or "" for the whole
	 * document. A key that itself holds a '.' is read through its parent.
	 * Returns: get_json the value as JSON text; get_string the value of a
	 * JSON string; NULL when the value is missing (get_string: also when
	 * it is not a string).
	 * Ownership: (transfer none), valid until the operation returns.
	 * Since: ABI 1.0. */
	const char *(*get_json)(bp_ctx *ctx, int scope, const char *path);
	const char *(*get_string)(bp_ctx *ctx, int scope, const char *path);

	/* get_int, get_bool, get_double: read a number or a boolean.
	 * Params: scope and path as for get_json; out receives the value.
	 * Returns: true with *out set; false, *out untouched, when the value
	 * is missing or of another JSON type (get_double takes integers too).
	 * Since: ABI 1.0. */
	bool (*get_int)(bp_ctx *ctx, int scope, const char *path,
			int64_t *out);
	bool (*get_bool)(bp_ctx *ctx, int scope, const char *path, bool *out);
	bool (*get_double)(bp_ctx *ctx, int scope, const char *path,
			   double *out);

	/* runtime_set: store a runtime property of the context's instance.
	 * Params: path as for get_json (not empty); objects on the way are
	 * created; json, any JSON text ("\"abc\"", "42", "{\"a\": [1]}").
	 * Returns: true; false, nothing changed and the reason logged at
	 * BP_LOG_ERROR, when the path is empty, the JSON is invalid, the
	 * path runs through a value that is not an object, or the context has
	 * no instance (the main context of a relationship operation, or a
	 * workflow's operation for the whole deployment).
	 * Ownership: both strings are copied.
	 * Notes: the engine stores the runtime properties after the
	 * operation returns, whatever it returned, so an id saved before a
	 * failure is not lost.
	 * Since: ABI 1.0. */
	bool (*runtime_set)(bp_ctx *ctx, const char *path, const char *json);

	/* runtime_delete: remove a runtime property of the instance.
	 * Returns: true, also when it was not there; false (reason logged)
	 * when the path is empty or the context has no instance.
	 * Since: ABI 1.0. */
	bool (*runtime_delete)(bp_ctx *ctx, const char *path);

	/* output_set: set the operation's outputs (what TOSCA's
	 * get_operation_output reads; Cloudify's `ctx returns VALUE`).
	 * Params: name, the output to set, or NULL to replace the whole
	 * result; json, any JSON text.
	 * Returns: true; false (reason logged at BP_LOG_ERROR) on invalid
	 * JSON, or for a name after the whole result was set to a non-object.
	 * Ownership: both strings are copied.
	 * Since: ABI 1.0. */
	bool (*output_set)(bp_ctx *ctx, const char *name, const char *json);

	/* secret: look a secret up by name.
	 * Returns: its value; NULL when there is no such secret or it cannot
	 * be read (the reason is logged at BP_LOG_WARNING). Never log it.
	 * Ownership: (transfer none), valid until the operation returns (the
	 * engine wipes it then).
	 * Since: ABI 1.0. */
	const char *(*secret)(bp_ctx *ctx, const char *name);

	/* vlog: write a message to the execution's event stream.
	 * Params: level, one of enum bp_log_level; a printf format.
	 * Since: ABI 1.0. */
	void (*vlog)(bp_ctx *ctx, int level, const char *fmt, va_list ap)
		BP_PRINTF(3, 0);

	/* vresult: record the message of the result the operation is about
	 * to return (and, for BP_RETRY, the delay).
	 * Params: code, one of enum bp_result; retry_after, seconds until the
	 * next attempt when code is BP_RETRY (0: the operation's default
	 * interval); fmt, a printf format, or NULL for no message.
	 * Returns: code. The code the operation returns is what counts; the
	 * last message recorded goes with it.
	 * Since: ABI 1.0. */
	int (*vresult)(bp_ctx *ctx, int code, uint32_t retry_after,
		       const char *fmt, va_list ap) BP_PRINTF(4, 0);

	/* json_quote: `s` as a JSON string literal, with its quotes; bytes
	 * that are not UTF-8 become U+FFFD; NULL gives "null".
	 * Returns: the literal; never NULL.
	 * Ownership: (transfer full), free it with `free`.
	 * Since: ABI 1.0. Thread-safety: any thread, any time. */
	char *(*json_quote)(const char *s);

	/* ---- ABI 1.1 and later ------------------------------------------ */

	/* blueprint_dir: the directory of the blueprint the deployment was
	 * made from, which the blueprint's own files (scripts, templates,
	 * manifests) are named relative to.
	 * Returns: an absolute path; NULL when there is none (an operation
	 * the harness runs without one).
	 * Ownership: (transfer none), valid until the operation returns.
	 * Since: ABI 1.1. */
	const char *(*blueprint_dir)(bp_ctx *ctx);

	/* execution_id: the execution (one run of a workflow: install,
	 * uninstall, ...) the operation belongs to; the same for every
	 * operation and every retry of that run.
	 * Returns: the id; NULL when there is none (the harness without one).
	 * Ownership: (transfer none), valid until the operation returns.
	 * Since: ABI 1.1. */
	const char *(*execution_id)(bp_ctx *ctx);

	/* ---- ABI 1.3 and later ------------------------------------------ */

	/* related: an instance this context's instance has a relationship
	 * to (Cloudify's ctx.instance.relationships[i].target), e.g. the
	 * cluster a resource is managed_by.
	 * Params: type, a relationship type name: only relationships of that
	 * type or of a type derived from it count (NULL: all of them);
	 * index, which of those, from 0, in the blueprint's order.
	 * Returns: a read-only context of the target instance: its node name,
	 * type, instance id, and the PROPERTIES, RUNTIME and HOST_* scopes
	 * (runtime properties as they were when the operation started;
	 * writes through it are refused); NULL past the last one, or for a
	 * context without an instance (use bp_source() in a relationship
	 * operation).
	 * Ownership: (transfer none), valid until the operation returns.
	 * Since: ABI 1.3. */
	bp_ctx *(*related)(bp_ctx *ctx, const char *type, uint32_t index);
};

/* True when the engine's table has `slot` (a slot name of struct bp_api);
 * check before calling a slot newer than ABI 1.0. */
#define BP_API_HAS(slot) \
	(offsetof(struct bp_api, slot) < bp_plugin_api->size)

/* The table the engine handed to this plugin, set before the load hook
 * runs (BP_PLUGIN_DEFINE defines it; one per shared object). */
extern BP_HIDDEN const struct bp_api *bp_plugin_api;

/* The symbol the engine looks up (BP_PLUGIN_ENTRY). */
BP_EXPORT const struct bp_plugin_desc *bp_plugin_entry(void);

/* Defines the plugin: bp_plugin_api, its descriptor and bp_plugin_entry.
 * Use it once per plugin, in one .c file, at file scope:
 *     BP_PLUGIN_DEFINE("hello", "1.0.0", hello_ops, NULL, NULL);
 * `load` and `unload` may be NULL. The ABI fields come from this header, so
 * the engine can refuse a plugin built for an ABI it does not speak. */
#define BP_PLUGIN_DEFINE(name, version, ops, load, unload)                   \
	BP_PLUGIN_DEFINE_ARTIFACTS(name, version, ops, load, unload, NULL)

/* BP_PLUGIN_DEFINE() for a plugin that runs artifacts (ABI 1.2):
 * `artifacts` is its struct bp_artifact_claim table, e.g.
 *     static const struct bp_artifact_claim sh_claims[] = {
 *             { "tosca.artifacts.Implementation.Bash", "run" },
 *             { NULL, NULL },
 *     };
 *     BP_PLUGIN_DEFINE_ARTIFACTS("sh", "1.0.0", sh_ops, NULL, NULL,
 *                                sh_claims); */
#define BP_PLUGIN_DEFINE_ARTIFACTS(name, version, ops, load, unload,       \
				   artifacts)                              \
	BP_HIDDEN const struct bp_api *bp_plugin_api;                        \
	static bool bp_plugin_define_load(const struct bp_api *api,          \
					  void **state, char **errmsg)       \
	{                                                                    \
		bp_load_fn user_load = (load);                               \
		bp_plugin_api = api;                                         \
		return user_load ? user_load(api, state, errmsg) : true;     \
	}                                                                    \
	static const struct bp_plugin_desc bp_plugin_define_desc = {         \
		BP_ABI_MAJOR, BP_ABI_MINOR,                                  \
		(uint32_t)sizeof(struct bp_plugin_desc), 0,                  \
		(name), (version), (ops), bp_plugin_define_load, (unload),   \
		{ NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },          \
		(artifacts)                                                  \
	};                                                                   \
	BP_EXPORT const struct bp_plugin_desc *bp_plugin_entry(void)         \
	{                                                                    \
		return &bp_plugin_define_desc;                               \
	}                                                                    \
	typedef int bp_plugin_define_needs_a_semicolon

/* ---- Wrappers: what plugin code calls. Each calls the slot of the same
 * name in bp_plugin_api; see struct bp_api for the contract. ------------ */

static inline char *bp_vstrdupf(const char *fmt, va_list ap) BP_PRINTF(1, 0);
static inline char *bp_vstrdupf(const char *fmt, va_list ap)
{
	return bp_plugin_api->vstrdupf(fmt, ap);
}

static inline char *bp_strdupf(const char *fmt, ...) BP_PRINTF(1, 2);
static inline char *bp_strdupf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = bp_plugin_api->vstrdupf(fmt, ap);
	va_end(ap);
	return s;
}

static inline void bp_free(void *p)
{
	bp_plugin_api->free(p);
}

static inline const char *bp_deployment_id(bp_ctx *ctx)
{
	return bp_plugin_api->deployment_id(ctx);
}

static inline const char *bp_operation_name(bp_ctx *ctx)
{
	return bp_plugin_api->operation_name(ctx);
}

static inline uint32_t bp_attempt(bp_ctx *ctx)
{
	return bp_plugin_api->attempt(ctx);
}

static inline int64_t bp_deadline(bp_ctx *ctx)
{
	return bp_plugin_api->deadline(ctx);
}

static inline bool bp_cancelled(bp_ctx *ctx)
{
	return bp_plugin_api->cancelled(ctx);
}

static inline void *bp_state(bp_ctx *ctx)
{
	return bp_plugin_api->state(ctx);
}

static inline const char *bp_node_name(bp_ctx *ctx)
{
	return bp_plugin_api->node_name(ctx);
}

static inline const char *bp_node_type(bp_ctx *ctx)
{
	return bp_plugin_api->node_type(ctx);
}

static inline const char *bp_instance_id(bp_ctx *ctx)
{
	return bp_plugin_api->instance_id(ctx);
}

static inline bp_ctx *bp_source(bp_ctx *ctx)
{
	return bp_plugin_api->source(ctx);
}

static inline bp_ctx *bp_target(bp_ctx *ctx)
{
	return bp_plugin_api->target(ctx);
}

static inline const char *bp_get_json(bp_ctx *ctx, int scope,
				      const char *path)
{
	return bp_plugin_api->get_json(ctx, scope, path);
}

static inline const char *bp_get_string(bp_ctx *ctx, int scope,
					const char *path)
{
	return bp_plugin_api->get_string(ctx, scope, path);
}

static inline bool bp_get_int(bp_ctx *ctx, int scope, const char *path,
			      int64_t *out)
{
	return bp_plugin_api->get_int(ctx, scope, path, out);
}

static inline bool bp_get_bool(bp_ctx *ctx, int scope, const char *path,
			       bool *out)
{
	return bp_plugin_api->get_bool(ctx, scope, path, out);
}

static inline bool bp_get_double(bp_ctx *ctx, int scope, const char *path,
				 double *out)
{
	return bp_plugin_api->get_double(ctx, scope, path, out);
}

static inline bool bp_runtime_set(bp_ctx *ctx, const char *path,
				  const char *json)
{
	return bp_plugin_api->runtime_set(ctx, path, json);
}

static inline bool bp_runtime_delete(bp_ctx *ctx, const char *path)
{
	return bp_plugin_api->runtime_delete(ctx, path);
}

static inline bool bp_output_set(bp_ctx *ctx, const char *name,
				 const char *json)
{
	return bp_plugin_api->output_set(ctx, name, json);
}

static inline const char *bp_secret(bp_ctx *ctx, const char *name)
{
	return bp_plugin_api->secret(ctx, name);
}

static inline char *bp_json_quote(const char *s)
{
	return bp_plugin_api->json_quote(s);
}

/* The blueprint's directory, or NULL (also from an engine older than 1.1,
 * which has no such slot). */
static inline const char *bp_blueprint_dir(bp_ctx *ctx)
{
	return BP_API_HAS(blueprint_dir) ?
		bp_plugin_api->blueprint_dir(ctx) : NULL;
}

/* The execution's id, or NULL (also from an engine older than 1.1). */
static inline const char *bp_execution_id(bp_ctx *ctx)
{
	return BP_API_HAS(execution_id) ?
		bp_plugin_api->execution_id(ctx) : NULL;
}

static inline bp_ctx *bp_related(bp_ctx *ctx, const char *type,
				 uint32_t index)
{
	return BP_API_HAS(related) ?
		bp_plugin_api->related(ctx, type, index) : NULL;
}

/* Sets a runtime property to a string value (quoted for you). */
static inline bool bp_runtime_set_string(bp_ctx *ctx, const char *path,
					 const char *value)
{
	char *json = bp_plugin_api->json_quote(value);
	bool ok = bp_plugin_api->runtime_set(ctx, path, json);

	bp_plugin_api->free(json);
	return ok;
}

/* Sets a runtime property to an integer value. */
static inline bool bp_runtime_set_int(bp_ctx *ctx, const char *path,
				      int64_t value)
{
	char *json = bp_plugin_api->strdupf("%lld", (long long)value);
	bool ok = bp_plugin_api->runtime_set(ctx, path, json);

	bp_plugin_api->free(json);
	return ok;
}

/* Sets output `name` (or, with NULL, the whole result) to a string. */
static inline bool bp_output_set_string(bp_ctx *ctx, const char *name,
					const char *value)
{
	char *json = bp_plugin_api->json_quote(value);
	bool ok = bp_plugin_api->output_set(ctx, name, json);

	bp_plugin_api->free(json);
	return ok;
}

static inline void bp_vlog(bp_ctx *ctx, int level, const char *fmt,
			   va_list ap) BP_PRINTF(3, 0);
static inline void bp_vlog(bp_ctx *ctx, int level, const char *fmt,
			   va_list ap)
{
	bp_plugin_api->vlog(ctx, level, fmt, ap);
}

static inline void bp_log(bp_ctx *ctx, int level, const char *fmt, ...)
	BP_PRINTF(3, 4);
static inline void bp_log(bp_ctx *ctx, int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	bp_plugin_api->vlog(ctx, level, fmt, ap);
	va_end(ap);
}

/* `return bp_retry(ctx, 10, "server '%s' is still building", id);` asks the
 * engine to call the operation again in about `seconds` seconds (0: the
 * operation's default retry interval). Returns BP_RETRY. */
static inline int bp_retry(bp_ctx *ctx, uint32_t seconds, const char *fmt,
			   ...) BP_PRINTF(3, 4);
static inline int bp_retry(bp_ctx *ctx, uint32_t seconds, const char *fmt,
			   ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = bp_plugin_api->vresult(ctx, BP_RETRY, seconds, fmt, ap);
	va_end(ap);
	return rc;
}

/* `return bp_fail(ctx, "cannot reach '%s'", url);`: a failure that may go
 * away (the engine retries with backoff). Returns BP_FAIL. */
static inline int bp_fail(bp_ctx *ctx, const char *fmt, ...) BP_PRINTF(2, 3);
static inline int bp_fail(bp_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = bp_plugin_api->vresult(ctx, BP_FAIL, 0, fmt, ap);
	va_end(ap);
	return rc;
}

/* `return bp_fail_fatal(ctx, "invalid flavor '%s'", f);`: a failure that
 * retrying cannot fix. Returns BP_FAIL_FATAL. */
static inline int bp_fail_fatal(bp_ctx *ctx, const char *fmt, ...)
	BP_PRINTF(2, 3);
static inline int bp_fail_fatal(bp_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = bp_plugin_api->vresult(ctx, BP_FAIL_FATAL, 0, fmt, ap);
	va_end(ap);
	return rc;
}

#ifdef __cplusplus
}
#endif

#endif /* BP_PLUGIN_H */
