/* script.h: the parts of the script runner plugin, private to
 * plugins/script/ (script.c says what the plugin does and why it is built
 * this way):
 *   script.c   the operations, and turning what happened into a result
 *   launch.c   which script, how to start it, its environment
 *   ctx/ctx.c  the `ctx` command itself (a separate program)
 * The running process, the ctx socket and the answers to ctx commands are
 * in plugins/common/ (scriptrun.h), shared with the fabric plugin.
 */
#ifndef BP_SCRIPT_H
#define BP_SCRIPT_H

#include "../common/scriptrun.h"

/* ---- launch.c ---------------------------------------------------------- */

/* How to start a script. */
struct script_launch {
	char *shown;     /* the script as the blueprint names it, for
			    messages */
	char *path;      /* the file to run, absolute or as given */
	struct script_cmd cmd; /* what runs: argv (the script, or an
			    interpreter and the script; then process.args),
			    envp (the environment), and borrowed pointers to
			    the fields below; argv and envp are owned */
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

#endif
