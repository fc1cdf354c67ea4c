/* script.h: the parts of the script runner plugin, private to
 * plugins/script/ (script.c says what the plugin does and why it is built
 * this way):
 *   script.c   the operations, and turning what happened into a result
 *   launch.c   which script, how to start it, its environment
 *   child.c    the running process: its output, its deadline, its end
 *   proxy.c    the private socket the `ctx` command talks to
 *   ctxreq.c   what one `ctx` command asks, answered through plugin.h
 *   ctx/ctx.c  the `ctx` command itself (a separate program)
 */
#ifndef BP_SCRIPT_H
#define BP_SCRIPT_H

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

/* ---- proxy.c ----------------------------------------------------------- */

struct script_proxy;

/* Listens on a new unix socket `path` (in a directory only this user can
 * enter) and answers every connection on `mc` (the operation's main
 * context, run by child.c) with script_ctx_request(ctx, ..., out).
 * Returns: (transfer full) the proxy; NULL with *errmsg set ((transfer
 * full), g_free) when the socket cannot be made. */
struct script_proxy *script_proxy_new(GMainContext *mc, const char *path,
				      bp_ctx *ctx, struct script_outcome *out,
				      char **errmsg);

/* Stops listening, drops open connections, removes the socket file.
 * Accepts NULL. */
void script_proxy_free(struct script_proxy *p);

/* ---- launch.c ---------------------------------------------------------- */

/* How to start a script. */
struct script_launch {
	char *shown;     /* the script as the blueprint names it, for
			    messages */
	char *path;      /* the file to run, absolute or as given */
	char **argv;     /* what to exec: the script, or an interpreter and
			    the script; then process.args */
	char **envp;     /* the environment */
	char *cwd;       /* the working directory, or NULL: the engine's */
	char *tmpdir;    /* private, mode 0700: the socket and bin/ctx */
	char *socket;    /* tmpdir/ctx.sock */
};

/* Prepares *l from the operation's inputs: script_path (a path, relative
 * to the blueprint's directory, or a file:// URL) and Cloudify's optional
 * `process` input {env, cwd, args, command_prefix}; every other input
 * becomes an environment variable. Makes the private directory with
 * bin/ctx, a link to `ctx_program`.
 * Returns: true; false with *errmsg set ((transfer full), g_free) when
 * the script cannot be run (no script_path, no such file, a bad
 * `process`), which retrying does not mend. Either way release *l with
 * script_launch_release(). */
bool script_launch_prepare(struct script_launch *l, bp_ctx *ctx,
			   const char *ctx_program, char **errmsg);

/* Frees *l and removes its private directory. Accepts NULL. */
void script_launch_release(struct script_launch *l);

/* ---- child.c ----------------------------------------------------------- */

/* How the process ended. */
struct script_exit {
	int status;        /* the wait status (WIFEXITED ...), when ran */
	bool timed_out;    /* killed at the operation's deadline */
	bool cancelled;    /* killed because the execution was cancelled */
	double seconds;    /* TIMED_OUT: the timeout it had */
	char *stderr_tail; /* its last lines on stderr, "; "-joined, or NULL
			      (owned) */
};

/* Runs the prepared script in its own process group, serving its ctx
 * requests, logging its output, until it exits or the deadline or a
 * cancel kills the group. Blocks the calling thread (the operation's)
 * without polling: it waits in a GMainLoop of its own.
 * Returns: true with *ex filled; false with *errmsg set ((transfer full),
 * g_free) when the process could not be started. Release *ex with
 * script_exit_release(). */
bool script_child_run(const struct script_launch *l, bp_ctx *ctx,
		      struct script_outcome *out, struct script_exit *ex,
		      char **errmsg);

void script_exit_release(struct script_exit *ex);

#endif
