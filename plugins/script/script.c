/* script.c: the script runner, the plugin that runs an operation whose
 * implementation is a script: the way most blueprints run operations
 * (`create: scripts/install.sh`).
 *
 * Operations: "run", where the engine's reference resolver sends a path
 * implementation (engine/plugin/ref.h: PLUGIN_SCRIPT_OP, the path in the
 * input script_path), and "script_runner.tasks.run", the name Cloudify
 * blueprints and types spell out (`script.script_runner.tasks.run` with a
 * script_path input). They are the same operation.
 *
 * A run: launch.c finds the script (relative to the blueprint's
 * directory) and prepares its command line, environment (the operation's
 * inputs become variables) and a private directory; scriptchild.c (in
 * plugins/common/, shared with the fabric plugin) starts it in a
 * process group of its own and waits, logging its output, until it exits,
 * or kills the group at the deadline or on cancel; meanwhile the script's
 * `ctx` commands reach ctxproxy.c over a unix socket in the private
 * directory, and ctxreq.c answers them from the operation's context, in
 * Cloudify's syntax, so existing scripts run unchanged.
 *
 * What the operation returns:
 *   the execution was cancelled              FAIL_FATAL
 *   two of returns/abort/retry (ctx)         FAIL_FATAL
 *   `ctx abort-operation MESSAGE`            FAIL_FATAL with MESSAGE,
 *                                            whatever the exit status
 *   `ctx retry-operation MESSAGE [SECONDS]`  RETRY after SECONDS (0: the
 *                                            operation's default interval),
 *                                            whatever the exit status
 *   the deadline passed                      FAIL: "script 'x' timed out
 *                                            after N s" (may pass next time)
 *   exit status 0                            OK; the value of
 *                                            `ctx returns VALUE` is the
 *                                            operation's output
 *   another exit status, or a signal         FAIL, with the last lines of
 *                                            stderr in the message
 *   the script cannot be started (no         FAIL_FATAL: a retry would
 *   script_path, no such file, ...)          find the same
 * Runtime properties the script set are kept whatever the result (the
 * engine stores them after every call).
 *
 * The `ctx` command is a separate small program (ctx/ctx.c), built as
 * script-ctx beside script.so and installed with it: a script may call it
 * hundreds of times, so it must start fast and depend on nothing but the
 * socket. The load hook finds it beside this .so, and refuses to load
 * without it, so a broken install is reported once and clearly.
 */
#include "script.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* The load state: the absolute path of the ctx program. */
static bool script_load(const struct bp_api *api, void **state,
			char **errmsg)
{
	Dl_info info;
	g_autofree char *so = NULL;
	g_autofree char *dir = NULL;
	char *prog;

	if (!dladdr((void *)script_load, &info) || !info.dli_fname) {
		*errmsg = api->strdupf("cannot tell where the script plugin "
				       "was loaded from, to find its ctx "
				       "command");
		return false;
	}
	so = g_canonicalize_filename(info.dli_fname, NULL);
	dir = g_path_get_dirname(so);
	prog = g_build_filename(dir, "script-ctx", NULL);
	if (access(prog, X_OK) != 0) {
		*errmsg = api->strdupf("the ctx command '%s' is missing or not "
				       "executable; it is built and installed "
				       "with the plugin", prog);
		g_free(prog);
		return false;
	}
	*state = prog;
	return true;
}

static void script_unload(void *state)
{
	g_free(state);
}

static int op_run(bp_ctx *ctx)
{
	struct script_launch l;
	struct script_outcome out = { 0 };
	struct script_exit ex = { 0 };
	g_autofree char *err = NULL;
	int rc;

	if (bp_cancelled(ctx))
		return bp_fail_fatal(ctx, "the execution was cancelled before "
				     "the script started");
	if (!script_launch_prepare(&l, ctx, bp_state(ctx), &err) ||
	    !script_child_run(&l.cmd, ctx, &out, &ex, &err))
		rc = bp_fail_fatal(ctx, "%s", err);
	else
		rc = script_result(ctx, l.shown, &out, &ex);
	script_exit_release(&ex);
	script_outcome_clear(&out);
	script_launch_release(&l);
	return rc;
}

static const struct bp_op script_ops[] = {
	{ "run", op_run },
	{ "script_runner.tasks.run", op_run },
	{ NULL, NULL },
};

/* The TOSCA artifact types it runs; types derived from them count too. */
static const struct bp_artifact_claim script_claims[] = {
	{ "tosca.artifacts.Implementation.Bash", "run" },
	{ "tosca.artifacts.Implementation.Python", "run" },
	{ NULL, NULL },
};

BP_PLUGIN_DEFINE_ARTIFACTS("script", "0.1.0", script_ops, script_load,
			   script_unload, script_claims);
