/* remote.c: what the fabric plugin puts on the remote host, and the
 * wrapper that runs the script there.
 *
 * One private directory per operation, /tmp/blueprint-fabric-RANDOM (or
 * under process.base_dir), mode 0700, made by `mkdir` (which fails rather
 * than follow anything already there):
 *   bin/ctx   the ctx command, first on the script's PATH: a sh shim
 *             that runs ctx.py (ctxpy.c) with the system's python3
 *             (/usr/bin, /usr/local/bin, else the PATH's: a version
 *             manager's shim on the PATH may cost seconds per call)
 *   NAME      the script, under its own base name, mode 0700
 *   env       the environment: every input but the plugin's own as a
 *             variable (plugins/common/scriptinputs.c), then process.env,
 *             CTX_SOCKET and PATH
 *   run       the wrapper below
 *   ctx.sock  the remote end of ssh's forward to the engine's ctx socket
 * The upload is one ssh run of `sh -s` reading a program of printf lines
 * (octal escapes, so any byte goes through any POSIX shell); no scp, sftp
 * or tar is needed on the host.
 *
 * The wrapper runs the script with stdin from /dev/null and its output
 * through two FIFOs to ssh's stdout and stderr, and watches its own stdin,
 * the ssh channel, which the engine keeps open and never writes: when it
 * ends (the engine killed ssh at the operation's deadline or on cancel, or
 * the connection died), the wrapper's watchdog sends SIGTERM to the whole
 * process group of the session (sshd makes one per session, so it holds
 * the script and everything it started), removes the directory, and after
 * a grace of 5 s sends SIGKILL. When the script ends by itself, the
 * watchdog is disarmed, nothing is killed, and the wrapper waits up to 2 s
 * for the FIFOs to drain (a daemon the script left behind may hold them,
 * as it would hold the pipes of a local script), removes the directory and
 * exits with the script's status.
 */
#include "fabric.h"

#include <stdlib.h>
#include <string.h>

/* Inputs that configure the run instead of becoming variables. */
static const char *const own_inputs[] = {
	"script_path", "process", "fabric_env", "use_sudo", "hide_output",
	"commands", "script_source", "ssl_cert_content", NULL,
};

/* Bytes a printf format may hold as they are, in single quotes ('-' is
 * not one: a format that starts with it is an option to some printfs). */
static bool plain(unsigned char ch)
{
	return ch && (g_ascii_isalnum(ch) ||
		      strchr(" ./_,:=+#!@()[]{}<>;&|*?~^", ch));
}

/* Appends sh commands that write `len` bytes of `text` to `path` (quoted
 * already). */
static void put_file(GString *prog, const char *path, const char *text,
		     size_t len, const char *mode)
{
	size_t i = 0;

	g_string_append_printf(prog, ": >%s\n", path);
	while (i < len) {
		size_t end = MIN(len, i + 1024);
		g_string_append(prog, "printf '");
		for (; i < end; i++) {
			unsigned char ch = (unsigned char)text[i];
			if (plain(ch))
				g_string_append_c(prog, (char)ch);
			else
				g_string_append_printf(prog, "\\%03o", ch);
		}
		g_string_append_printf(prog, "' >>%s\n", path);
	}
	g_string_append_printf(prog, "chmod %s %s\n", mode, path);
}

/* Whether `name` may be a shell variable. */
static bool sh_name(const char *name)
{
	if (!g_ascii_isalpha(*name) && *name != '_')
		return false;
	for (const char *c = name; *c; c++)
		if (!g_ascii_isalnum(*c) && *c != '_')
			return false;
	return true;
}

/* The env file. */
static char *env_file(bp_ctx *ctx, const json_t *process, const char *dir)
{
	g_auto(GStrv) vars = script_env_inputs(NULL, ctx, process,
					       own_inputs);
	GString *s = g_string_new("# the operation's inputs\n");
	g_autofree char *sock = g_strdup_printf("%s/ctx.sock", dir);
	g_autofree char *qsock = g_shell_quote(sock);
	g_autofree char *qbin = NULL;

	for (char **v = vars; v && *v; v++) {
		char *eq = strchr(*v, '=');
		g_autofree char *name = g_strndup(*v, (gsize)(eq - *v));
		g_autofree char *q = g_shell_quote(eq + 1);
		if (!sh_name(name) || !strcmp(name, "PATH") ||
		    !strcmp(name, "CTX_SOCKET")) {
			bp_log(ctx, BP_LOG_WARNING, "input '%s' is not passed "
			       "to the remote script: not a shell variable "
			       "name it may set", name);
			continue;
		}
		g_string_append_printf(s, "%s=%s; export %s\n", name, q, name);
	}
	qbin = g_shell_quote(dir);
	g_string_append_printf(s, "CTX_SOCKET=%s; export CTX_SOCKET\n"
			       "PATH=%s/bin:\"$PATH\"; export PATH\n", qsock,
			       qbin);
	return g_string_free(s, FALSE);
}

/* The command line the wrapper runs: [sudo] [command_prefix |
 * interpreter] script [args...] (a shell command). With use_sudo, sudo
 * without a password prompt, keeping the environment and the PATH (so
 * `ctx` is found). */
static bool command_line(const json_t *process, const json_t *use_sudo,
			 const char *dir,
			 const char *name, const char *text, size_t len,
			 GString *cmd, char **errmsg)
{
	const char *prefix = json_string_value(
		json_object_get(process, "command_prefix"));
	const json_t *args = json_object_get(process, "args");
	g_autofree char *path = g_strdup_printf("%s/%s", dir, name);
	g_autofree char *qpath = g_shell_quote(path);
	size_t i;
	json_t *a;

	if (args && !json_is_array(args)) {
		*errmsg = g_strdup("'process.args' must be a list");
		return false;
	}
	if (json_is_true(use_sudo))
		g_string_append(cmd, "sudo -n -E env PATH=\"$PATH\" ");
	if (prefix)
		g_string_append_printf(cmd, "%s ", prefix);
	else if (len < 2 || text[0] != '#' || text[1] != '!')
		g_string_append(cmd, g_str_has_suffix(name, ".py")
				? "python3 " : "/bin/sh ");
	g_string_append(cmd, qpath);
	json_array_foreach(args, i, a) {
		g_autofree char *v = script_env_value(a);
		g_autofree char *q = g_shell_quote(v);
		g_string_append_printf(cmd, " %s", q);
	}
	return true;
}

/* The wrapper (see the top of the file). */
static char *wrapper(const char *dir, const char *cwd, const char *cmd)
{
	g_autofree char *qdir = g_shell_quote(dir);
	g_autofree char *qcwd = cwd ? g_shell_quote(cwd) : NULL;

	return g_strdup_printf(
		"# blueprint's fabric plugin: runs one operation's script\n"
		"d=%s\n"
		". \"$d/env\"\n"
		"mkfifo \"$d/out\" \"$d/err\" || exit 125\n"
		"exec 3<&0\n"
		"(trap '' TERM\n"
		" while read -r _; do :; done\n"
		" kill -TERM 0\n"
		" rm -rf \"$d\"\n"
		" sleep 5\n"
		" kill -KILL 0) <&3 >/dev/null 2>&1 &\n"
		"w=$!\n"
		"cat \"$d/out\" & o=$!\n"
		"cat \"$d/err\" >&2 & e=$!\n"
		"(%s%s%sexec %s) 3<&- </dev/null >\"$d/out\" 2>\"$d/err\" &\n"
		"s=$!\n"
		"exec 3<&-\n"
		"wait $s\n"
		"rc=$?\n"
		"kill -KILL $w 2>/dev/null\n"
		"(sleep 2; kill $o $e) </dev/null >/dev/null 2>&1 &\n"
		"k=$!\n"
		"wait $o $e\n"
		"kill $k 2>/dev/null\n"
		"rm -rf \"$d\"\n"
		"exit $rc\n",
		qdir, qcwd ? "cd -- " : "", qcwd ? qcwd : "",
		qcwd ? " && " : "", cmd);
}

bool fabric_remote_prepare(struct fabric_remote *r, bp_ctx *ctx,
			   const char *local_dir, const char *name,
			   const char *text, size_t len, char **errmsg)
{
	json_auto_t *process = script_parse(bp_get_json(ctx, BP_SCOPE_INPUTS,
						 "process"));
	const char *base = json_string_value(json_object_get(process,
							     "base_dir"));
	const char *cwd = json_string_value(json_object_get(process, "cwd"));
	json_auto_t *use_sudo = script_parse(bp_get_json(ctx, BP_SCOPE_INPUTS,
						  "use_sudo"));
	g_autoptr(GString) cmd = g_string_new(NULL);
	g_autoptr(GString) prog = g_string_new("set -e\numask 077\n");
	g_autofree char *bn = g_path_get_basename(name);
	g_autofree char *qdir = NULL;
	g_autofree char *qctx = NULL;
	g_autofree char *qpy = NULL;
	g_autofree char *shim = NULL;
	g_autofree char *script = NULL;
	g_autofree char *qscript = NULL;
	g_autofree char *qenv = NULL;
	g_autofree char *qrun = NULL;
	g_autofree char *env = NULL;
	g_autofree char *run = NULL;
	g_autoptr(GError) gerr = NULL;

	memset(r, 0, sizeof(*r));
	if (process && !json_is_object(process)) {
		*errmsg = g_strdup("the 'process' input must be an object");
		return false;
	}
	r->dir = g_strdup_printf("%s/blueprint-fabric-%08x%08x",
				 base && *base ? base : "/tmp",
				 g_random_int(), g_random_int());
	r->socket = g_strdup_printf("%s/ctx.sock", r->dir);
	if (!command_line(process, use_sudo, r->dir, bn, text, len, cmd,
			  errmsg))
		return false;
	qdir = g_shell_quote(r->dir);
	qctx = g_strdup_printf("%s/bin/ctx", qdir);
	qpy = g_strdup_printf("%s/ctx.py", qdir);
	shim = g_strdup_printf(
		"#!/bin/sh\n"
		"# blueprint's ctx command on this host\n"
		"for py in /usr/bin/python3 /usr/local/bin/python3; do\n"
		"\t[ -x \"$py\" ] && exec \"$py\" %s \"$@\"\n"
		"done\n"
		"command -v python3 >/dev/null 2>&1 && exec python3 %s \"$@\"\n"
		"echo 'ctx: the ctx command needs python3 on this host' >&2\n"
		"exit 2\n", qpy, qpy);
	script = g_strdup_printf("%s/%s", r->dir, bn);
	qscript = g_shell_quote(script);
	qenv = g_strdup_printf("%s/env", qdir);
	qrun = g_strdup_printf("%s/run", qdir);
	env = env_file(ctx, process, r->dir);
	run = wrapper(r->dir, cwd, cmd->str);
	g_string_append_printf(prog, "mkdir %s\nmkdir %s/bin\n", qdir, qdir);
	put_file(prog, qpy, fabric_ctx_program, strlen(fabric_ctx_program),
		 "600");
	put_file(prog, qctx, shim, strlen(shim), "700");
	put_file(prog, qscript, text, len, "700");
	put_file(prog, qenv, env, strlen(env), "600");
	put_file(prog, qrun, run, strlen(run), "600");
	r->upload = g_build_filename(local_dir, "upload.sh", NULL);
	if (!g_file_set_contents_full(r->upload, prog->str, (gssize)prog->len,
				      G_FILE_SET_CONTENTS_CONSISTENT, 0600,
				      &gerr)) {
		*errmsg = g_strdup_printf("cannot write '%s': %s", r->upload,
					  gerr->message);
		return false;
	}
	r->command = g_strdup_printf("exec /bin/sh %s", qrun);
	return true;
}

void fabric_remote_release(struct fabric_remote *r)
{
	if (!r)
		return;
	g_free(r->dir);
	g_free(r->upload);
	g_free(r->command);
	g_free(r->socket);
	memset(r, 0, sizeof(*r));
}

/* {"type": "error", "payload": {"message": msg}} (consumes msg) */
static json_t *error_reply(char *msg)
{
	json_t *reply = json_pack("{s:s, s:{s:s}}", "type", "error",
				  "payload", "message", msg);

	g_free(msg);
	return reply;
}

json_t *fabric_ctx_answer(bp_ctx *ctx, const json_t *args,
			  struct script_outcome *out, void *data)
{
	const char *w = json_string_value(json_array_get(args, 0));
	const char *name = json_string_value(json_array_get(args, 1));
	g_autofree char *path = NULL;
	g_autofree char *bytes = NULL;
	g_autofree char *b64 = NULL;
	g_autofree char *base = NULL;
	g_autoptr(GError) gerr = NULL;
	char *errmsg = NULL;
	gsize len;

	if (!script_ctx_word_is(w, "download_resource"))
		return script_ctx_request(ctx, args, out);
	if (!name || !*name)
		return error_reply(g_strdup("'download_resource' needs a "
					    "resource path"));
	if (json_array_size(args) > 3)
		return error_reply(g_strdup("'download_resource' takes a "
					    "resource path and a target"));
	path = script_resource_path(ctx, name, &errmsg);
	if (!path)
		return error_reply(errmsg);
	if (!g_file_get_contents(path, &bytes, &len, &gerr))
		return error_reply(g_strdup_printf("cannot read resource "
						   "'%s': %s", path,
						   gerr->message));
	b64 = g_base64_encode((const guchar *)bytes, len);
	base = g_path_get_basename(path);
	return json_pack("{s:s, s:{s:{s:s, s:s}}}", "type", "result",
			 "payload", "blueprint_resource", "name", base,
			 "base64", b64);
}
