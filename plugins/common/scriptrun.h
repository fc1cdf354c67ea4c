/* scriptrun.h: running an operation's script with Cloudify's ctx
 * contract, shared by the script runner (plugins/script: the script is a
 * local process) and the fabric plugin (plugins/fabric: the local process
 * is the ssh client that runs it on another host):
 *   scriptinputs.c  the script file an operation names, and its inputs as
 *                   environment variables
 *   scriptchild.c   the running process: its output, its deadline, its end
 *   scriptresult.c  what the operation returns, from how the script ended
 *   ctxproxy.c      the private socket the `ctx` command talks to
 *   ctxreq.c        what one `ctx` command asks, answered through plugin.h
 */
#ifndef BP_PLUGINS_COMMON_SCRIPTRUN_H
#define BP_PLUGINS_COMMON_SCRIPTRUN_H

#include <blueprint/plugin.h>
#include <glib.h>
#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

/* ---- ctxreq.c ---------------------------------------------------------- */

/* What the script decided through ctx, apart from reads and writes. Only
 * one of returns, abort-operation and retry-operation may be used, once
 * (as in Cloudify); a second makes the operation fail for good. */
enum script_verdict {
	SCRIPT_VERDICT_NONE = 0,  /* the exit status decides */
	SCRIPT_VERDICT_RETURNED,  /* `ctx returns VALUE` */
	SCRIPT_VERDICT_ABORT,     /* `ctx abort-operation [MESSAGE]` */
	SCRIPT_VERDICT_RETRY,     /* `ctx retry-operation [MESSAGE [SECONDS]]` */
	SCRIPT_VERDICT_TWICE,     /* a second of the three */
};

struct script_outcome {
	enum script_verdict verdict;
	char *message;            /* ABORT, RETRY: the message, or NULL */
	uint32_t retry_after;     /* RETRY: seconds; 0 for the default */
	json_t *value;            /* RETURNED: the value (owned) */
};

/* (transfer full) JSON text the context API returned, parsed; NULL for
 * NULL (a missing value). */
json_t *script_parse(const char *text);

/* Frees what *out holds and zeroes it. Accepts NULL. */
void script_outcome_clear(struct script_outcome *out);

/* Whether the ctx word `w` (may be NULL) spells `name`, where '-' may
 * stand for '_' (`runtime-properties`). */
bool script_ctx_word_is(const char *w, const char *name);

/* The blueprint file `name` (relative to bp_blueprint_dir, or absolute)
 * for `ctx get-resource` and `download-resource`.
 * Returns: (transfer full) its path; NULL with *errmsg set ((transfer
 * full), g_free) when there is no such regular file. */
char *script_resource_path(bp_ctx *ctx, const char *name, char **errmsg);

/* Answers one `ctx` command. `args` (borrowed) is its argument array:
 * strings, or any JSON value for an argument the command decoded from
 * '@JSON'. Reads and writes go through `ctx`, the operation's context;
 * returns, aborts and retries are recorded in *out.
 * Returns: (transfer full) the reply, never NULL:
 *   {"type": "result", "payload": VALUE}           the answer (null: none)
 *   {"type": "error", "payload": {"message": M}}   the request was wrong
 *   {"type": "stop_operation", "payload": {"message": M}}
 *                                 after abort-operation and retry-operation,
 *                                 so the command exits non-zero (Cloudify's
 *                                 replies, so its own client would work). */
json_t *script_ctx_request(bp_ctx *ctx, const json_t *args,
			   struct script_outcome *out);

/* An answerer of ctx commands with script_ctx_request's contract, and
 * `data` of its own: a plugin that answers some commands its own way
 * (the fabric plugin's remote download-resource) and passes the rest on. */
typedef json_t *(*script_ctx_fn)(bp_ctx *ctx, const json_t *args,
				 struct script_outcome *out, void *data);

/* ---- ctxproxy.c -------------------------------------------------------- */

struct script_proxy;

/* Listens on a new unix socket `path` (in a directory only this user can
 * enter) and answers every connection on `mc` (the operation's main
 * context, run by scriptchild.c) with answer(ctx, ..., out, data), or
 * script_ctx_request(ctx, ..., out) when `answer` is NULL.
 * Returns: (transfer full) the proxy; NULL with *errmsg set ((transfer
 * full), g_free) when the socket cannot be made. */
struct script_proxy *script_proxy_new(GMainContext *mc, const char *path,
				      script_ctx_fn answer, void *data,
				      bp_ctx *ctx, struct script_outcome *out,
				      char **errmsg);

/* Stops listening, drops open connections, removes the socket file.
 * Accepts NULL. */
void script_proxy_free(struct script_proxy *p);

/* ---- scriptinputs.c ---------------------------------------------------- */

/* `rel` against the blueprint's directory (absolute paths, and every path
 * when there is no blueprint directory, as they are). (transfer full) */
char *script_in_blueprint(bp_ctx *ctx, const char *rel);

/* Finds the file the operation's script_path input names: a path relative
 * to the blueprint's directory, an absolute path, or a file:// URL.
 * Returns: true with *shown (the input as written) and *path (the file,
 * absolute) set, both (transfer full); false with *errmsg set ((transfer
 * full), g_free), *shown possibly set, when there is no input or no such
 * file. */
bool script_locate(bp_ctx *ctx, char **shown, char **path, char **errmsg);

/* (transfer full) a value as an environment variable holds it: a string
 * as it is, anything else as compact JSON. */
char *script_env_value(const json_t *v);

/* Sets the operation's inputs in `env` (an environ array, as
 * g_environ_setenv takes), but for the names in `own` (NULL-terminated:
 * inputs that configure the run), then the members of process.env
 * (`process` may be NULL), which win. Names that are empty or hold '='
 * are skipped. Returns the new array (consumes env). */
char **script_env_inputs(char **env, bp_ctx *ctx, const json_t *process,
			 const char *const *own);

/* ---- scriptchild.c ----------------------------------------------------- */

/* What to run. Everything is borrowed for the run. */
struct script_cmd {
	const char *shown;        /* the script, for messages */
	char **argv;              /* what to exec */
	char **envp;              /* its environment */
	const char *cwd;          /* its working directory, or NULL */
	const char *socket;       /* the ctx socket to listen on, or NULL:
				     no ctx */
	script_ctx_fn answer;     /* ctx requests; NULL: script_ctx_request */
	void *answer_data;
	const char *stdin_path;   /* stdin: this file, or NULL: */
	bool stdin_pipe;          /* ... a pipe held open, unwritten, until
				     the run ends; false: /dev/null */
};

/* How the process ended. */
struct script_exit {
	int status;        /* the wait status (WIFEXITED ...), when ran */
	bool timed_out;    /* killed at the operation's deadline */
	bool cancelled;    /* killed because the execution was cancelled */
	double seconds;    /* TIMED_OUT: the timeout it had */
	char *stderr_tail; /* its last lines on stderr, "; "-joined, or NULL
			      (owned) */
};

/* Runs c in its own process group, serving its ctx requests, logging its
 * output, until it exits or the deadline or a cancel kills the group.
 * Blocks the calling thread (the operation's) without polling: it waits
 * in a GMainLoop of its own.
 * Returns: true with *ex filled; false with *errmsg set ((transfer full),
 * g_free) when the process could not be started. Release *ex with
 * script_exit_release(). */
bool script_child_run(const struct script_cmd *c, bp_ctx *ctx,
		      struct script_outcome *out, struct script_exit *ex,
		      char **errmsg);

void script_exit_release(struct script_exit *ex);

/* ---- scriptresult.c ---------------------------------------------------- */

/* The operation's result (BP_OK, bp_fail, bp_fail_fatal, bp_retry) for
 * script `name` that ran and ended as *ex, having said *o through ctx;
 * sets the operation's output to the value of `ctx returns`. */
int script_result(bp_ctx *ctx, const char *name,
		  const struct script_outcome *o, const struct script_exit *ex);

#endif
