/* ctxproxy.c: the private socket the `ctx` command talks to while a
 * script runs (the script runner's, locally; the fabric plugin's, through
 * an ssh forward).
 *
 * One unix stream socket per running script, inside a directory of mode
 * 0700 (the plugin makes it), so only this user can connect. The protocol,
 * one request per connection: the client writes a JSON object
 * {"args": [...]} on one line (ending in '\n', or it shuts down its writing
 * side), then reads one reply, a JSON object on one line (ctxreq.c: a
 * result, an error or stop_operation), and the server closes. The shapes
 * are those of Cloudify's ctx proxy.
 *
 * Everything is non-blocking and runs on the operation's own GMainContext
 * (scriptchild.c iterates it), so the answers come from the operation's thread
 * and a client that stalls holds nothing up: the deadline still kills the
 * script, and open connections close with the proxy. A request may be at
 * most 16 MiB.
 */
#include "scriptrun.h"

#include <errno.h>
#include <glib-unix.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define REQUEST_MAX (16u << 20)

struct conn {
	struct script_proxy *proxy;
	int fd;
	GSource *src;
	GString *in;          /* the request read so far */
	char *out;            /* the reply, once there is one */
	size_t out_len, out_done;
};

struct script_proxy {
	GMainContext *mc;
	int fd;               /* the listening socket */
	GSource *src;
	char *path;
	script_ctx_fn answer;  /* answers requests; NULL: script_ctx_request */
	void *data;           /* answer's last argument */
	bp_ctx *ctx;
	struct script_outcome *out;
	GPtrArray *conns;     /* struct conn *, open connections */
};

static void conn_free(gpointer data)
{
	struct conn *c = data;

	g_source_destroy(c->src);
	g_source_unref(c->src);
	close(c->fd);
	g_string_free(c->in, TRUE);
	g_free(c->out);
	g_free(c);
}

/* Closes c (and frees it). */
static void conn_close(struct conn *c)
{
	g_ptr_array_remove_fast(c->proxy->conns, c);
}

static gboolean on_conn(gint fd, GIOCondition cond, gpointer data);

/* Watches c's socket for `cond`, replacing the watch it had. */
static void conn_watch(struct conn *c, GIOCondition cond)
{
	if (c->src) {
		g_source_destroy(c->src);
		g_source_unref(c->src);
	}
	c->src = g_unix_fd_source_new(c->fd, cond);
	g_source_set_callback(c->src, (GSourceFunc)(void (*)(void))on_conn,
			      c, NULL);
	g_source_attach(c->src, c->proxy->mc);
}

/* (transfer full) the reply to the request line in c->in. */
static json_t *reply_to(struct conn *c)
{
	json_error_t jerr;
	json_t *req = json_loadb(c->in->str, c->in->len, 0, &jerr);
	json_t *reply;

	if (!json_is_array(json_object_get(req, "args"))) {
		reply = json_pack("{s:s, s:{s:s}}", "type", "error",
				  "payload", "message",
				  "malformed ctx request: expected "
				  "{\"args\": [...]}");
	} else if (c->proxy->answer) {
		reply = c->proxy->answer(c->proxy->ctx,
					 json_object_get(req, "args"),
					 c->proxy->out, c->proxy->data);
	} else {
		reply = script_ctx_request(c->proxy->ctx,
					   json_object_get(req, "args"),
					   c->proxy->out);
	}
	json_decref(req);
	return reply;
}

/* The request is complete: prepare the reply and start writing it. */
static void conn_reply(struct conn *c)
{
	json_t *reply = reply_to(c);
	char *text = json_dumps(reply, JSON_COMPACT);

	c->out = g_strconcat(text ? text : "{\"type\":\"error\",\"payload\":"
			     "{\"message\":\"cannot encode the reply\"}}",
			     "\n", NULL);
	c->out_len = strlen(c->out);
	free(text);
	json_decref(reply);
	conn_watch(c, G_IO_OUT | G_IO_ERR);
}

/* Reads what is there; replies once the request is complete, closes c on
 * an error or an oversized request. */
static void conn_read(struct conn *c)
{
	char buf[4096];
	char *nl;
	ssize_t n;

	for (;;) {
		n = recv(c->fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0 || (n == 0 && c->in->len == 0) ||
		    c->in->len + (size_t)n > REQUEST_MAX) {
			conn_close(c);
			return;
		}
		if (n == 0)
			break;
		g_string_append_len(c->in, buf, n);
		nl = memchr(c->in->str + c->in->len - (size_t)n, '\n',
			    (size_t)n);
		if (nl) {
			g_string_truncate(c->in, (gsize)(nl - c->in->str));
			break;
		}
	}
	conn_reply(c);
}

/* Writes what it can; closes c once the reply is out (or the client has
 * gone). */
static void conn_write(struct conn *c)
{
	ssize_t n;

	while (c->out_done < c->out_len) {
		n = send(c->fd, c->out + c->out_done, c->out_len - c->out_done,
			 MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0)
			break;
		c->out_done += (size_t)n;
	}
	conn_close(c);
}

static gboolean on_conn(gint fd, GIOCondition cond, gpointer data)
{
	GSource *self = g_main_current_source();
	struct conn *c = data;

	if (!c->out)
		conn_read(c);
	else
		conn_write(c);
	/* conn_watch() and conn_close() destroy this source; the context
	 * keeps it alive until this returns */
	return g_source_is_destroyed(self) ? G_SOURCE_REMOVE
					   : G_SOURCE_CONTINUE;
}

static gboolean on_accept(gint fd, GIOCondition cond, gpointer data)
{
	struct script_proxy *p = data;
	struct conn *c;
	int cfd;

	while ((cfd = accept4(fd, NULL, NULL,
			      SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0) {
		c = g_new0(struct conn, 1);
		c->proxy = p;
		c->fd = cfd;
		c->in = g_string_new(NULL);
		g_ptr_array_add(p->conns, c);
		conn_watch(c, G_IO_IN | G_IO_HUP | G_IO_ERR);
	}
	return G_SOURCE_CONTINUE;
}

struct script_proxy *script_proxy_new(GMainContext *mc, const char *path,
				      script_ctx_fn answer, void *data,
				      bp_ctx *ctx, struct script_outcome *out,
				      char **errmsg)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct script_proxy *p;
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path)) {
		*errmsg = g_strdup_printf("cannot make the ctx socket '%s': "
					  "the path is too long (set TMPDIR "
					  "to a shorter directory)", path);
		return NULL;
	}
	memcpy(addr.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(fd, 16) < 0) {
		*errmsg = g_strdup_printf("cannot make the ctx socket '%s': "
					  "%s", path, g_strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	p = g_new0(struct script_proxy, 1);
	p->mc = mc;
	p->fd = fd;
	p->path = g_strdup(path);
	p->answer = answer;
	p->data = data;
	p->ctx = ctx;
	p->out = out;
	p->conns = g_ptr_array_new_with_free_func(conn_free);
	p->src = g_unix_fd_source_new(fd, G_IO_IN);
	g_source_set_callback(p->src, (GSourceFunc)(void (*)(void))on_accept,
			      p, NULL);
	g_source_attach(p->src, mc);
	return p;
}

void script_proxy_free(struct script_proxy *p)
{
	if (!p)
		return;
	g_source_destroy(p->src);
	g_source_unref(p->src);
	g_ptr_array_unref(p->conns);
	close(p->fd);
	unlink(p->path);
	g_free(p->path);
	g_free(p);
}
