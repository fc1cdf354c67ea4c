/* scriptchild.c: a running script (or the ssh client that runs one on
 * another host): started in a process group of its own, its output turned
 * into log lines, its ctx requests answered, waited for until it exits or
 * the deadline or a cancel kills it.
 *
 * Everything happens in one GMainLoop on a GMainContext of the
 * operation's own, on the operation's thread, so the context API is only
 * ever called from there: a child watch for the exit, a watch per output
 * pipe, the proxy's sockets (proxy.c), a timer at the deadline, and a look
 * at bp_cancelled() every 200 ms (plugin.h has a cancel flag, not a
 * notification; reading it five times a second costs nothing). At the
 * deadline or on cancel, the whole process group gets SIGTERM, then
 * SIGKILL after a grace of 5 s; the run ends when the script is reaped.
 * Its standard input is /dev/null, a file (script_cmd.stdin_path), or
 * (script_cmd.stdin_pipe) a pipe that stays open, without a byte written,
 * until the run ends: the fabric plugin's remote side takes the end of it
 * for the end of the operation.
 *
 * Output: each line of stdout is logged at INFO, each line of stderr at
 * INFO too, prefixed "stderr: ". Not WARNING: tools write progress and
 * traces there (curl, wget, `set -x`), and a log full of false warnings
 * hides the real ones; Cloudify also logs both at INFO. The last three
 * non-empty lines of stderr go into the failure message. A line longer
 * than 64 KiB is cut in pieces. Once the script has exited, what is left
 * in the pipes is logged, but the run does not wait for them to close: a
 * daemon the script started in the background may hold them open for ever.
 */
#include "scriptrun.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#define LINE_MAX_BYTES  (64u << 10)
#define TAIL_LINES      3
#define GRACE_MS        5000
#define CANCEL_CHECK_MS 200
#define READS_PER_TURN  16

struct run;

struct stream {
	struct run *run;
	int fd;              /* the read end, or -1 once closed */
	GSource *src;
	GString *buf;        /* a line not finished yet */
	bool is_err;         /* stderr */
};

struct run {
	bp_ctx *ctx;
	GMainLoop *loop;
	GPid pid;
	int in_fd;           /* the write end of its stdin pipe, or -1 */
	bool exited;
	int status;
	bool killing;        /* SIGTERM sent */
	double timeout;      /* seconds from start to the deadline */
	struct stream out, err;
	GQueue tail;         /* char *: the last lines of stderr */
	struct script_exit *ex;
};

/* Logs one line of a stream. */
static void emit(struct stream *s, const char *line, size_t len)
{
	struct run *r = s->run;
	char *valid;

	if (len && line[len - 1] == '\r')
		len--;
	valid = g_utf8_make_valid(line, (gssize)len);
	bp_log(r->ctx, BP_LOG_INFO, s->is_err ? "stderr: %s" : "%s", valid);
	if (!s->is_err || !*g_strstrip(valid)) {
		g_free(valid);
		return;
	}
	g_queue_push_tail(&r->tail, valid);
	if (r->tail.length > TAIL_LINES)
		g_free(g_queue_pop_head(&r->tail));
}

/* Logs the complete lines in s->buf; with `all`, the rest too. */
static void split(struct stream *s, bool all)
{
	GString *b = s->buf;
	size_t start = 0;
	char *nl;

	while ((nl = memchr(b->str + start, '\n', b->len - start))) {
		emit(s, b->str + start, (size_t)(nl - b->str) - start);
		start = (size_t)(nl - b->str) + 1;
	}
	g_string_erase(b, 0, (gssize)start);
	if (b->len && (all || b->len >= LINE_MAX_BYTES)) {
		emit(s, b->str, b->len);
		g_string_truncate(b, 0);
	}
}

/* Reads what the pipe holds: at most READS_PER_TURN chunks (so a chatty
 * script cannot starve the other sources), or, with `all`, until it is
 * empty. Returns false at its end. */
static bool stream_read(struct stream *s, bool all)
{
	char chunk[4096];
	ssize_t n;

	for (int turn = 0; all || turn < READS_PER_TURN; turn++) {
		n = read(s->fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return true;
		if (n <= 0)
			return false;
		g_string_append_len(s->buf, chunk, n);
		split(s, false);
	}
	return true;
}

static void stream_close(struct stream *s)
{
	if (s->src) {
		g_source_destroy(s->src);
		g_clear_pointer(&s->src, g_source_unref);
	}
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	if (s->buf) {
		split(s, true);
		g_string_free(s->buf, TRUE);
		s->buf = NULL;
	}
}

static gboolean on_output(gint fd, GIOCondition cond, gpointer data)
{
	struct stream *s = data;

	if (stream_read(s, false))
		return G_SOURCE_CONTINUE;
	stream_close(s);
	return G_SOURCE_REMOVE;
}

static void stream_open(struct run *r, struct stream *s, int fd,
			GMainContext *mc, bool is_err)
{
	s->run = r;
	s->fd = fd;
	s->is_err = is_err;
	s->buf = g_string_new(NULL);
	g_unix_set_fd_nonblocking(fd, TRUE, NULL);
	s->src = g_unix_fd_source_new(fd, G_IO_IN | G_IO_HUP | G_IO_ERR);
	g_source_set_callback(s->src, (GSourceFunc)(void (*)(void))on_output,
			      s, NULL);
	g_source_attach(s->src, mc);
}

static void on_child_exit(GPid pid, gint status, gpointer data)
{
	struct run *r = data;

	r->exited = true;
	r->status = status;
	g_main_loop_quit(r->loop);
}

/* Sends sig to the script's process group (or, should it have left the
 * group, to the script). */
static void signal_group(struct run *r, int sig)
{
	if (kill(-r->pid, sig) < 0)
		kill(r->pid, sig);
}

static gboolean on_grace(gpointer data)
{
	struct run *r = data;

	signal_group(r, SIGKILL);
	return G_SOURCE_REMOVE;
}

/* Starts killing the script: SIGTERM now, SIGKILL after the grace. */
static void kill_group(struct run *r)
{
	GSource *grace;

	if (r->killing)
		return;
	r->killing = true;
	signal_group(r, SIGTERM);
	grace = g_timeout_source_new(GRACE_MS);
	g_source_set_callback(grace, on_grace, r, NULL);
	g_source_attach(grace, g_main_loop_get_context(r->loop));
	g_source_unref(grace);
}

static gboolean on_deadline(gpointer data)
{
	struct run *r = data;

	r->ex->timed_out = true;
	r->ex->seconds = r->timeout;
	kill_group(r);
	return G_SOURCE_REMOVE;
}

static gboolean on_cancel_check(gpointer data)
{
	struct run *r = data;

	if (!bp_cancelled(r->ctx))
		return G_SOURCE_CONTINUE;
	r->ex->cancelled = true;
	kill_group(r);
	return G_SOURCE_REMOVE;
}

/* Runs in the child between fork and exec: only async-signal-safe calls.
 * A process group of its own (so a timeout can kill its children too), no
 * blocked signals and SIGPIPE back to its default, whatever the engine's
 * threads had. */
static void child_setup(gpointer data)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t none;

	setpgid(0, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	sigaction(SIGPIPE, &dfl, NULL);
}

/* Attaches a new source with callback fn to mc and returns it. */
static GSource *attach(GMainContext *mc, GSource *src, GSourceFunc fn,
		       gpointer data)
{
	g_source_set_callback(src, fn, data, NULL);
	g_source_attach(src, mc);
	return src;
}

/* Starts the process; its pipes and exit are watched on mc. */
static bool spawn(struct run *r, const struct script_cmd *c,
		  GMainContext *mc, char **errmsg)
{
	g_autoptr(GError) gerr = NULL;
	GSpawnFlags flags = G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_CLOEXEC_PIPES |
			    G_SPAWN_SEARCH_PATH_FROM_ENVP;
	int out_fd, err_fd;

	int in_fd = -1;
	bool ok;

	if (c->stdin_path) {
		in_fd = open(c->stdin_path, O_RDONLY | O_CLOEXEC);
		if (in_fd < 0) {
			*errmsg = g_strdup_printf("cannot run script '%s': "
						  "cannot open '%s': %s",
						  c->shown, c->stdin_path,
						  g_strerror(errno));
			return false;
		}
	} else if (!c->stdin_pipe) {
		flags |= G_SPAWN_STDIN_FROM_DEV_NULL;
	}
	ok = g_spawn_async_with_pipes_and_fds(
		c->cwd, (const char *const *)c->argv,
		(const char *const *)c->envp, flags, child_setup, NULL,
		in_fd, -1, -1, NULL, NULL, 0, &r->pid,
		c->stdin_pipe && in_fd < 0 ? &r->in_fd : NULL, &out_fd,
		&err_fd, &gerr);
	if (in_fd >= 0)
		close(in_fd);
	if (!ok) {
		*errmsg = g_strdup_printf("cannot run script '%s': %s",
					  c->shown, gerr->message);
		return false;
	}
	setpgid(r->pid, r->pid);   /* also here: no window without it */
	stream_open(r, &r->out, out_fd, mc, false);
	stream_open(r, &r->err, err_fd, mc, true);
	g_source_unref(attach(mc, g_child_watch_source_new(r->pid),
			      (GSourceFunc)(void (*)(void))on_child_exit, r));
	bp_log(r->ctx, BP_LOG_DEBUG, "running script '%s' (pid %d)",
	       c->shown, (int)r->pid);
	return true;
}

/* (transfer full) the kept stderr lines, "; "-joined, or NULL. */
static char *tail_text(GQueue *tail)
{
	GString *s;

	if (g_queue_is_empty(tail))
		return NULL;
	s = g_string_new(NULL);
	for (GList *l = tail->head; l; l = l->next)
		g_string_append_printf(s, "%s%s", s->len ? "; " : "",
				       (char *)l->data);
	return g_string_free(s, FALSE);
}

bool script_child_run(const struct script_cmd *c, bp_ctx *ctx,
		      struct script_outcome *out, struct script_exit *ex,
		      char **errmsg)
{
	GMainContext *mc = g_main_context_new();
	struct run r = { .ctx = ctx, .ex = ex, .out.fd = -1, .err.fd = -1,
			 .in_fd = -1 };
	struct script_proxy *proxy;
	int64_t deadline = bp_deadline(ctx);
	int64_t now = g_get_monotonic_time();
	bool ok = false;

	memset(ex, 0, sizeof(*ex));
	g_queue_init(&r.tail);
	r.loop = g_main_loop_new(mc, FALSE);
	proxy = c->socket ? script_proxy_new(mc, c->socket, c->answer,
					     c->answer_data, ctx, out, errmsg)
			  : NULL;
	if ((proxy || !c->socket) && spawn(&r, c, mc, errmsg)) {
		if (deadline > 0) {
			r.timeout = (double)(deadline - now) / 1e6;
			/* what the operation was given, about: whole seconds,
			 * or tenths below one */
			r.timeout = r.timeout < 0.95 ? round(r.timeout * 10) / 10
						     : round(r.timeout);
			g_source_unref(attach(mc, g_timeout_source_new(
				deadline > now ? (guint)((deadline - now) / 1000)
					       : 0), on_deadline, &r));
		}
		g_source_unref(attach(mc, g_timeout_source_new(
			CANCEL_CHECK_MS), on_cancel_check, &r));
		g_main_loop_run(r.loop);
		/* what the pipes still hold, without waiting for their end */
		if (r.out.fd >= 0)
			stream_read(&r.out, true);
		if (r.err.fd >= 0)
			stream_read(&r.err, true);
		/* the script is gone; what it left in its group that ignored
		 * SIGTERM goes too */
		if (r.killing)
			kill(-r.pid, SIGKILL);
		ex->status = r.status;
		ok = true;
	}
	if (r.in_fd >= 0)
		close(r.in_fd);
	stream_close(&r.out);
	stream_close(&r.err);
	ex->stderr_tail = tail_text(&r.tail);
	g_queue_clear_full(&r.tail, g_free);
	script_proxy_free(proxy);
	g_main_loop_unref(r.loop);
	g_main_context_unref(mc);   /* destroys the timers and the watch */
	return ok;
}

void script_exit_release(struct script_exit *ex)
{
	if (!ex)
		return;
	g_free(ex->stderr_tail);
	memset(ex, 0, sizeof(*ex));
}
