/* fabric.c: the fabric plugin, which runs an operation's script on the
 * instance's host over SSH: the convention of Cloudify's fabric plugin,
 * under its names, so existing blueprints run:
 *   fabric.fabric_plugin.tasks.run_script    input script_path, process,
 *                                            fabric_env, use_sudo
 *   fabric.fabric_plugin.tasks.run_commands  input commands (a list of
 *                                            shell commands), fabric_env,
 *                                            use_sudo
 * (run_task and run_module_task, which import a Python fabric task file,
 * are not provided: they need Python's fabric library in the engine.)
 *
 * The script gets the local script runner's contract (plugins/script):
 * the ctx command with Cloudify's grammar (runtime properties, node
 * properties, logger, returns, abort-operation, retry-operation,
 * get-resource, download-resource of blueprint files, which lands on the
 * remote host), every other input as an environment variable, process.env,
 * process.cwd (a remote directory; default: the user's home),
 * process.args and process.command_prefix; use_sudo: true runs it with
 * `sudo -n -E` (no prompt; the environment and PATH kept). Its output
 * becomes the operation's log line by line, stderr lines prefixed
 * "stderr: "; its exit status, ctx verdicts, the deadline and
 * cancellation give the same results (plugins/script/script.c has the
 * table).
 *
 * One operation is two runs of the system's ssh client (conn.c says why
 * not libssh), both through plugins/common/scriptchild.c, so output,
 * deadline and cancel are handled once for both plugins:
 *   1. upload: `sh -s` on the host reads a program that makes a private
 *      directory with the script, its environment, the ctx command and a
 *      wrapper (remote.c). It fails with ssh's status 255 when the host
 *      cannot be reached (FAIL: retried, as a VM that is still booting
 *      needs) or its key is not trusted (FAIL_FATAL).
 *   2. run: the wrapper runs the script, with `-R REMOTE:LOCAL` forwarding
 *      the remote ctx socket to the engine's (plugins/common/ctxproxy.c).
 *      At the deadline or on cancel the ssh client is killed; the wrapper
 *      sees its stdin end and kills the script's process group on the host
 *      (remote.c).
 */
#include "fabric.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* Whether an ssh failure was its host key check. */
static bool host_key_refused(const char *tail)
{
	return tail && (strstr(tail, "Host key verification failed") ||
			strstr(tail, "HOST IDENTIFICATION HAS CHANGED") ||
			strstr(tail, "No ED25519 host key is known") ||
			strstr(tail, "host key is known for"));
}

/* The result of an upload that did not succeed. */
static int upload_failed(bp_ctx *ctx, const struct fabric_conn *c,
			 const char *shown, const struct script_outcome *o,
			 const struct script_exit *ex)
{
	const char *tail = ex->stderr_tail ? ex->stderr_tail : "no message";
	int st = ex->status;

	if (ex->cancelled || ex->timed_out)
		return script_result(ctx, shown, o, ex);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 255 && host_key_refused(tail))
		return bp_fail_fatal(ctx, "host key of '%s' is not trusted "
				     "(host_key_policy %s): %s; give its key "
				     "in fabric_env.host_key or known_hosts, "
				     "or set host_key_policy: accept-new",
				     c->shown, c->policy ==
				     FABRIC_POLICY_ACCEPT_NEW ? "accept-new"
							      : "strict",
				     tail);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 255)
		return bp_fail(ctx, "cannot run script '%s' on '%s' over "
			       "ssh: %s", shown, c->shown, tail);
	return bp_fail_fatal(ctx, "cannot copy script '%s' to '%s' (status "
			     "%d): %s", shown, c->shown,
			     WIFEXITED(st) ? WEXITSTATUS(st) : -1, tail);
}

/* Removes the remote directory after a run that may not have reached the
 * wrapper (ssh's status 255: the connection failed, or the script exited
 * with 255 and the wrapper removed it already). Best effort: the result
 * is the run's. */
static void remove_remote(bp_ctx *ctx, const struct fabric_conn *c,
			  const struct fabric_remote *r, char **envp)
{
	g_autofree char *q = g_shell_quote(r->dir);
	g_autofree char *rm = g_strdup_printf("rm -rf %s", q);
	g_auto(GStrv) argv = fabric_conn_argv(c, NULL, NULL, rm);
	struct script_cmd cmd = { .shown = "rm", .argv = argv, .envp = envp };
	struct script_outcome out = { 0 };
	struct script_exit ex = { 0 };
	g_autofree char *err = NULL;

	script_child_run(&cmd, ctx, &out, &ex, &err);
	script_exit_release(&ex);
	script_outcome_clear(&out);
}

/* The two ssh runs of a prepared operation (see the top). */
static int run_prepared(bp_ctx *ctx, const struct fabric_conn *c,
			const struct fabric_remote *r, const char *shown,
			struct script_outcome *out, struct script_exit *ex)
{
	g_autofree char *err = NULL;
	g_autofree char *sock = g_build_filename(c->dir, "ctx.sock", NULL);
	g_auto(GStrv) env = g_get_environ();
	g_auto(GStrv) up_argv = fabric_conn_argv(c, NULL, NULL, "sh -s");
	g_auto(GStrv) run_argv = fabric_conn_argv(c, r->socket, sock,
						  r->command);
	struct script_cmd up = {
		.shown = shown, .argv = up_argv, .envp = env,
		.stdin_path = r->upload,
	};
	struct script_cmd run = {
		.shown = shown, .argv = run_argv, .envp = env, .socket = sock,
		.answer = fabric_ctx_answer, .stdin_pipe = true,
	};
	int rc;

	bp_log(ctx, BP_LOG_INFO, "running script '%s' on '%s'%s%s", shown,
	       c->shown, c->jump ? " through " : "", c->jump ? c->jump : "");
	if (!script_child_run(&up, ctx, out, ex, &err))
		return bp_fail_fatal(ctx, "%s", err);
	if (!WIFEXITED(ex->status) || WEXITSTATUS(ex->status) != 0 ||
	    ex->cancelled || ex->timed_out)
		return upload_failed(ctx, c, shown, out, ex);
	fabric_conn_pin(c, ctx);
	script_exit_release(ex);
	if (!script_child_run(&run, ctx, out, ex, &err))
		return bp_fail_fatal(ctx, "%s", err);
	rc = script_result(ctx, shown, out, ex);
	if (WIFEXITED(ex->status) && WEXITSTATUS(ex->status) == 255 &&
	    !ex->timed_out && !ex->cancelled)
		remove_remote(ctx, c, r, env);
	return rc;
}

/* Runs the script `text` (`len` bytes, named `name`) on the host. */
static int run_remote(bp_ctx *ctx, const char *shown, const char *name,
		      const char *text, size_t len)
{
	struct fabric_conn c;
	struct fabric_remote r;
	struct script_outcome out = { 0 };
	struct script_exit ex = { 0 };
	g_autofree char *err = NULL;
	g_autofree char *ssh = g_find_program_in_path("ssh");
	int rc;

	if (!ssh)
		return bp_fail_fatal(ctx, "the fabric plugin needs the OpenSSH "
				     "client 'ssh' on the PATH (Debian: "
				     "openssh-client)");
	memset(&r, 0, sizeof(r));
	if (!fabric_conn_prepare(&c, ctx, &err) ||
	    !fabric_remote_prepare(&r, ctx, c.dir, name, text, len, &err))
		rc = bp_fail_fatal(ctx, "%s", err);
	else
		rc = run_prepared(ctx, &c, &r, shown, &out, &ex);
	script_exit_release(&ex);
	script_outcome_clear(&out);
	fabric_remote_release(&r);
	fabric_conn_release(&c);
	return rc;
}

static int op_run_script(bp_ctx *ctx)
{
	g_autofree char *shown = NULL;
	g_autofree char *path = NULL;
	g_autofree char *err = NULL;
	g_autofree char *text = NULL;
	g_autoptr(GError) gerr = NULL;
	gsize len;

	if (bp_cancelled(ctx))
		return bp_fail_fatal(ctx, "the execution was cancelled before "
				     "the script started");
	if (!script_locate(ctx, &shown, &path, &err))
		return bp_fail_fatal(ctx, "%s", err);
	if (!g_file_get_contents(path, &text, &len, &gerr))
		return bp_fail_fatal(ctx, "cannot read script '%s': %s", shown,
				     gerr->message);
	return run_remote(ctx, shown, path, text, len);
}

/* The commands, one `sh -c` each, stopping at the first that fails. */
static int op_run_commands(bp_ctx *ctx)
{
	json_auto_t *cmds = script_parse(bp_get_json(ctx, BP_SCOPE_INPUTS,
						     "commands"));
	g_autoptr(GString) s = g_string_new("#!/bin/sh\n");
	size_t i;
	json_t *c;

	if (bp_cancelled(ctx))
		return bp_fail_fatal(ctx, "the execution was cancelled before "
				     "the commands started");
	if (!json_is_array(cmds) || !json_array_size(cmds))
		return bp_fail_fatal(ctx, "no 'commands' input: expected a "
				     "list of shell commands");
	json_array_foreach(cmds, i, c) {
		g_autofree char *q = NULL;
		if (!json_is_string(c))
			return bp_fail_fatal(ctx, "commands[%zu] is not a "
					     "string", i);
		q = g_shell_quote(json_string_value(c));
		bp_log(ctx, BP_LOG_INFO, "command: %s", json_string_value(c));
		g_string_append_printf(s, "/bin/sh -c %s || exit $?\n", q);
	}
	return run_remote(ctx, "commands", "commands.sh", s->str, s->len);
}

static const struct bp_op fabric_ops[] = {
	{ "fabric_plugin.tasks.run_script", op_run_script },
	{ "fabric_plugin.tasks.run_commands", op_run_commands },
	{ NULL, NULL },
};

BP_PLUGIN_DEFINE("fabric", "0.1.0", fabric_ops, NULL, NULL);
