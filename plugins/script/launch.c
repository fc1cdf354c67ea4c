/* launch.c: which script to run and how: the file, the command line that
 * runs it, its environment and working directory, and the private
 * directory that holds the ctx socket and the `ctx` command.
 *
 * The inputs are those of Cloudify's script plugin:
 *   script_path  the script (plugins/common/scriptinputs.c finds it)
 *   process      optional: {env: {NAME: VALUE}, cwd: DIR, args: [...],
 *                command_prefix: "bash -x"}; other keys are ignored.
 *   anything else becomes an environment variable of the script
 *                (scriptinputs.c says how); process.env wins.
 * The script runs as it is when it can be executed (the kernel honours its
 * "#!" line); a file without the execute bit runs through the interpreter
 * its "#!" line names, else python3 for ".py", else /bin/sh (what Cloudify's
 * `chmod +x` and shell amount to). With command_prefix, the prefix runs it.
 * The environment is the engine's plus the above, CTX_SOCKET (the socket's
 * path) and PATH with the private bin/ (holding `ctx`) first. The working
 * directory is the engine's unless process.cwd names one (relative to the
 * blueprint's directory): like Cloudify, a script that leaves files in its
 * working directory (a pid file, a web root) finds them there next time.
 */
#include "script.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Inputs that configure the run instead of becoming variables. */
static const char *const own_inputs[] = {
	"script_path", "process", "script_source", "ssl_cert_content", NULL,
};


static void environment(struct script_launch *l, bp_ctx *ctx,
			const json_t *process, const char *bindir)
{
	char **env = script_env_inputs(g_get_environ(), ctx, process,
				       own_inputs);
	const char *path;
	g_autofree char *newpath = NULL;

	path = g_environ_getenv(env, "PATH");
	newpath = g_strconcat(bindir, ":", path ? path : "/usr/bin:/bin",
			      NULL);
	env = g_environ_setenv(env, "PATH", newpath, TRUE);
	env = g_environ_setenv(env, "CTX_SOCKET", l->socket, TRUE);
	l->cmd.envp = env;
}

/* Adds what runs a script that cannot be exec'd itself to argv: the
 * interpreter of its "#!" line, python3 for ".py", else /bin/sh. Adds
 * nothing when it can: executable with a "#!" line, or an executable
 * ELF file. */
static void interpreter(const char *path, GPtrArray *argv)
{
	char head[256] = { 0 };
	bool exec = access(path, X_OK) == 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, head, sizeof(head) - 1) : 0;
	char *line, *arg;

	if (fd >= 0)
		close(fd);
	if (n >= 2 && head[0] == '#' && head[1] == '!') {
		if (exec)
			return;
		line = head + 2;
		line[strcspn(line, "\r\n")] = 0;
		line = g_strstrip(line);
		arg = line + strcspn(line, " \t");
		if (*arg)
			*arg++ = 0;
		g_ptr_array_add(argv, g_strdup(line));
		arg = g_strstrip(arg);
		if (*arg)
			g_ptr_array_add(argv, g_strdup(arg));
		return;
	}
	if (exec && n >= 4 && memcmp(head, "\177ELF", 4) == 0)
		return;
	g_ptr_array_add(argv, g_strdup(g_str_has_suffix(path, ".py")
				       ? "python3" : "/bin/sh"));
}

/* The command line: [command_prefix | interpreter] script [args...]. */
static bool command(struct script_launch *l, const json_t *process,
		    char **errmsg)
{
	const char *prefix = json_string_value(
		json_object_get(process, "command_prefix"));
	const json_t *args = json_object_get(process, "args");
	GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) gerr = NULL;
	g_auto(GStrv) words = NULL;
	size_t i;
	json_t *a;

	if (args && !json_is_array(args)) {
		*errmsg = g_strdup("'process.args' must be a list");
		g_ptr_array_unref(argv);
		return false;
	}
	if (prefix && !g_shell_parse_argv(prefix, NULL, &words, &gerr)) {
		*errmsg = g_strdup_printf("invalid 'process.command_prefix' "
					  "'%s': %s", prefix, gerr->message);
		g_ptr_array_unref(argv);
		return false;
	}
	for (char **w = words; w && *w; w++)
		g_ptr_array_add(argv, g_strdup(*w));
	if (!prefix)
		interpreter(l->path, argv);
	g_ptr_array_add(argv, g_strdup(l->path));
	json_array_foreach(args, i, a)
		g_ptr_array_add(argv, script_env_value(a));
	g_ptr_array_set_free_func(argv, NULL);
	g_ptr_array_add(argv, NULL);
	l->cmd.argv = (char **)g_ptr_array_free(argv, FALSE);
	return true;
}

/* Makes the private directory: bin/ctx and room for the socket. */
static bool private_dir(struct script_launch *l, const char *ctx_program,
			char **bindir, char **errmsg)
{
	g_autoptr(GError) gerr = NULL;
	g_autofree char *link = NULL;

	l->tmpdir = g_dir_make_tmp("blueprint-script-XXXXXX", &gerr);
	if (!l->tmpdir) {
		*errmsg = g_strdup_printf("cannot make a private directory "
					  "for script '%s': %s", l->shown,
					  gerr->message);
		return false;
	}
	l->socket = g_build_filename(l->tmpdir, "ctx.sock", NULL);
	*bindir = g_build_filename(l->tmpdir, "bin", NULL);
	link = g_build_filename(*bindir, "ctx", NULL);
	if (mkdir(*bindir, 0700) < 0 || symlink(ctx_program, link) < 0) {
		*errmsg = g_strdup_printf("cannot make '%s': %s", link,
					  g_strerror(errno));
		return false;
	}
	return true;
}

bool script_launch_prepare(struct script_launch *l, bp_ctx *ctx,
			   const char *ctx_program, char **errmsg)
{
	json_auto_t *process = script_parse(bp_get_json(ctx, BP_SCOPE_INPUTS,
						 "process"));
	const json_t *cwd = json_object_get(process, "cwd");
	g_autofree char *bindir = NULL;

	memset(l, 0, sizeof(*l));
	if (!script_locate(ctx, &l->shown, &l->path, errmsg))
		return false;
	if (process && !json_is_object(process)) {
		*errmsg = g_strdup("the 'process' input must be an object");
		return false;
	}
	if (cwd && !json_is_string(cwd)) {
		*errmsg = g_strdup("'process.cwd' must be a string");
		return false;
	}
	if (cwd)
		l->cwd = script_in_blueprint(ctx, json_string_value(cwd));
	if (!command(l, process, errmsg) ||
	    !private_dir(l, ctx_program, &bindir, errmsg))
		return false;
	environment(l, ctx, process, bindir);
	l->cmd = (struct script_cmd){
		.shown = l->shown, .argv = l->cmd.argv, .envp = l->cmd.envp,
		.cwd = l->cwd, .socket = l->socket,
	};
	return true;
}

void script_launch_release(struct script_launch *l)
{
	g_autofree char *bin = NULL;
	g_autofree char *link = NULL;

	if (!l)
		return;
	if (l->tmpdir) {
		bin = g_build_filename(l->tmpdir, "bin", NULL);
		link = g_build_filename(bin, "ctx", NULL);
		unlink(link);
		rmdir(bin);
		unlink(l->socket);
		rmdir(l->tmpdir);
	}
	g_free(l->shown);
	g_free(l->path);
	g_strfreev(l->cmd.argv);
	g_strfreev(l->cmd.envp);
	g_free(l->cwd);
	g_free(l->tmpdir);
	g_free(l->socket);
	memset(l, 0, sizeof(*l));
}
