/* fabric.h: the parts of the fabric plugin, private to plugins/fabric/
 * (fabric.c says what the plugin does and why it is built this way):
 *   fabric.c   the operations, and the two ssh runs of one operation
 *   conn.c     where to connect and how: fabric_env, the ssh client's
 *              configuration, the host-key policy and the pinned host keys
 *   remote.c   what goes to the remote host: the script, its environment,
 *              the wrapper that runs it, the ctx command; the remote
 *              download-resource
 *   ctxpy.c    the remote `ctx` command (a Python 3 program, as text)
 * The process, the ctx socket and the ctx answers are plugins/common's
 * (scriptrun.h), the same as the local script runner's.
 */
#ifndef BP_FABRIC_H
#define BP_FABRIC_H

#include "../common/scriptrun.h"

/* ---- conn.c ------------------------------------------------------------ */

/* How host keys are checked. */
enum fabric_policy {
	FABRIC_POLICY_STRICT = 0,  /* only keys the blueprint gave or pinned */
	FABRIC_POLICY_ACCEPT_NEW,  /* pin an unknown host's key on first use;
				      refuse a changed one */
};

/* One host to run on, and a private local directory (mode 0700) with the
 * ssh client's configuration, key and known_hosts for it. */
struct fabric_conn {
	char *host;       /* address or name */
	char *user;
	int port;
	char *jump;       /* ProxyJump: [user@]host[:port], or NULL */
	char *shown;      /* user@host:port, for messages */
	enum fabric_policy policy;
	char *dir;        /* the private directory */
	char *config;     /* dir/ssh_config */
	char *known_hosts;/* dir/known_hosts */
	char *pinned;     /* the known_hosts text it started with */
};

/* Works out the connection from the operation's fabric_env input
 * (host_string, user, port, key, key_filename, gateway / jump_host,
 * host_key, known_hosts, host_key_policy, timeout), falling back to the
 * instance's `ip` runtime property and its node's `ip` property for the
 * host, and writes the private directory.
 * Returns: true; false with *errmsg set ((transfer full), g_free) for a
 * setting that is wrong or missing (retrying does not mend it). Either
 * way release *c with fabric_conn_release(). */
bool fabric_conn_prepare(struct fabric_conn *c, bp_ctx *ctx, char **errmsg);

/* Frees *c and removes its private directory. Accepts NULL. */
void fabric_conn_release(struct fabric_conn *c);

/* (transfer full, g_strfreev) the ssh command line that runs `command`
 * on the host, with the remote unix socket `forward` (NULL: none)
 * forwarded to the local socket `local`. */
char **fabric_conn_argv(const struct fabric_conn *c, const char *forward,
			const char *local, const char *command);

/* After a connection: the host keys accepted on first use are pinned in
 * the instance's runtime property `fabric_known_hosts`, so a later
 * operation refuses a host whose key changed. */
void fabric_conn_pin(const struct fabric_conn *c, bp_ctx *ctx);

/* ---- remote.c ---------------------------------------------------------- */

/* What runs on the remote host, and where. */
struct fabric_remote {
	char *dir;        /* the remote directory, made by the upload */
	char *upload;     /* local file: the sh program that makes it */
	char *command;    /* what ssh runs: the wrapper */
	char *socket;     /* the remote end of the ctx forward */
};

/* Prepares *r: the remote directory's name (base_dir, default /tmp, and a
 * random part), and in the local directory `local_dir` the program that
 * creates it with the script (`name`, `text` of `len` bytes), the ctx
 * command, the environment (every input but the plugin's own, then
 * `process.env`) and the wrapper running `process.command_prefix`, the
 * script and `process.args` in `process.cwd`.
 * Returns: true; false with *errmsg set ((transfer full), g_free) for a
 * bad `process`. Either way release *r with fabric_remote_release(). */
bool fabric_remote_prepare(struct fabric_remote *r, bp_ctx *ctx,
			   const char *local_dir, const char *name,
			   const char *text, size_t len, char **errmsg);

void fabric_remote_release(struct fabric_remote *r);

/* A script_ctx_fn: `download-resource PATH [TARGET]` answered with the
 * file's contents (base64) for the remote ctx command to write; every
 * other command as the local script runner answers it. */
json_t *fabric_ctx_answer(bp_ctx *ctx, const json_t *args,
			  struct script_outcome *out, void *data);

/* ---- ctxpy.c ----------------------------------------------------------- */

/* The remote `ctx` command: a Python 3 program. */
extern const char fabric_ctx_program[];

#endif
