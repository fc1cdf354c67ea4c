/* ctx.c: the `ctx` command a script calls to talk to the operation that
 * runs it (plugins/script). Built as script-ctx beside script.so; the
 * script runner puts it first on the script's PATH as `ctx`.
 *
 *   ctx [-j|--json-output] [--json-arg-prefix P] [-t|--timeout SECONDS]
 *       [--socket-url PATH] ARG...
 *
 * The command line of Cloudify's ctx client: an argument that starts with
 * the prefix ('@' unless --json-arg-prefix says otherwise) is JSON
 * ('@{"a": 1}', '@42', '@true'); every other one is a string. Options come
 * before the first argument, so `ctx logger info -x` logs "-x". The socket
 * is $CTX_SOCKET (a path; "unix://PATH" is taken too), or --socket-url.
 *
 * It sends {"args": [...]} on one line (proxy.c has the protocol) and
 * prints the reply's payload without a newline, as Cloudify's client
 * prints str(payload): a string as it is, null as nothing, true and false
 * as True and False, numbers, objects and lists as JSON (where Cloudify
 * prints Python's repr, which no script can parse). Cloudify's client also
 * prints nothing for 0, false and empty strings, objects and lists; not
 * this one: `ctx operation retry_number` is 0 on the first attempt, and
 * `[ "$n" -lt 2 ]` must work. With -j: the payload as JSON.
 *
 * Exit status: 0 answered; 1 refused (the reason on stderr as
 * "ctx: MESSAGE"), or after abort-operation and retry-operation (their
 * message on stderr: Cloudify's client exits there too, so `set -e`
 * scripts stop); 2 bad usage, or the operation cannot be reached.
 */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

static const char usage[] =
	"usage: ctx [-j|--json-output] [--json-arg-prefix P] "
	"[-t|--timeout SECONDS]\n"
	"           [--socket-url PATH] ARG...\n"
	"Talks to the operation running this script, e.g.\n"
	"  ctx node properties port\n"
	"  ctx instance runtime_properties pid $$\n"
	"  ctx logger info 'installed'\n"
	"An argument that starts with '@' is JSON: ctx returns '@{\"a\": 1}'\n";

struct opts {
	bool json;
	const char *prefix;
	long timeout;
	const char *socket;
};

/* Prints "ctx: MESSAGE" on stderr; returns code. */
static int die(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int die(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("ctx: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

/* Parses the options; returns the index of the first argument, or -1
 * after printing why (*code set). */
static int parse_opts(int argc, char **argv, struct opts *o, int *code)
{
	int i;
	char *end;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			return i + 1;
		} else if (!strcmp(a, "-j") || !strcmp(a, "--json-output")) {
			o->json = true;
		} else if (!strcmp(a, "--json-arg-prefix") && i + 1 < argc) {
			o->prefix = argv[++i];
		} else if ((!strcmp(a, "-t") || !strcmp(a, "--timeout")) &&
			   i + 1 < argc) {
			o->timeout = strtol(argv[++i], &end, 10);
			if (*end || o->timeout <= 0) {
				*code = die(2, "invalid timeout '%s': expected "
					    "seconds", argv[i]);
				return -1;
			}
		} else if (!strcmp(a, "--socket-url") && i + 1 < argc) {
			o->socket = argv[++i];
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage, stdout);
			*code = 0;
			return -1;
		} else {
			*code = die(2, "unknown option '%s'; try 'ctx --help'",
				    a);
			return -1;
		}
	}
	if (i == argc) {
		fputs(usage, stderr);
		*code = 2;
		return -1;
	}
	return i;
}

/* (transfer full) the request for argv[from..]; NULL after complaining. */
static json_t *request(int argc, char **argv, int from, const struct opts *o)
{
	size_t plen = strlen(o->prefix);
	json_t *args = json_array();
	json_error_t jerr;
	json_t *v;

	for (int i = from; i < argc; i++) {
		const char *a = argv[i];
		if (plen && !strncmp(a, o->prefix, plen)) {
			v = json_loads(a + plen, JSON_DECODE_ANY, &jerr);
			if (!v) {
				die(2, "argument '%s' is not valid JSON after "
				    "'%s': %s", a, o->prefix, jerr.text);
				json_decref(args);
				return NULL;
			}
		} else if (!(v = json_string(a))) {
			die(2, "argument '%s' is not valid UTF-8", a);
			json_decref(args);
			return NULL;
		}
		json_array_append_new(args, v);
	}
	return json_pack("{s:o}", "args", args);
}

/* Connects to the operation's socket; -1 after complaining. */
static int connect_to(const char *path, long timeout)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = timeout };
	int fd;

	if (!strncmp(path, "unix://", 7))
		path += 7;
	if (strlen(path) >= sizeof(addr.sun_path)) {
		die(2, "socket path '%s' is too long", path);
		return -1;
	}
	memcpy(addr.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		die(2, "cannot reach the operation at '%s': %s", path,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return fd;
}

static bool send_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

/* (transfer full) the reply: everything up to the end of the stream;
 * NULL after complaining. */
static json_t *receive(int fd)
{
	char *buf = NULL, *bigger;
	size_t len = 0, cap = 0;
	json_error_t jerr;
	json_t *reply;
	ssize_t n;

	for (;;) {
		if (len + 4096 > cap) {
			bigger = realloc(buf, cap = 2 * cap + 4096);
			if (!bigger) {
				free(buf);
				die(2, "%s", "out of memory");
				return NULL;
			}
			buf = bigger;
		}
		n = recv(fd, buf + len, cap - len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			die(2, "no answer from the operation: %s",
			    strerror(errno));
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	reply = json_loadb(buf, len, 0, &jerr);
	free(buf);
	if (!reply)
		die(2, "the operation's answer is not JSON: %s", jerr.text);
	return reply;
}

/* Prints a payload as Cloudify's client does (see the top). */
static void print_payload(const json_t *v, bool as_json)
{
	char *text;

	if (!as_json && json_is_string(v)) {
		fwrite(json_string_value(v), 1, json_string_length(v), stdout);
	} else if (!as_json && json_is_boolean(v)) {
		fputs(json_is_true(v) ? "True" : "False", stdout);
	} else if (as_json || !json_is_null(v)) {
		text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		fputs(text, stdout);
		free(text);
	}
}

/* Prints the reply; returns the exit status. */
static int show(const json_t *reply, const struct opts *o)
{
	const char *type = json_string_value(json_object_get(reply, "type"));
	const json_t *payload = json_object_get(reply, "payload");
	const char *msg = json_string_value(json_object_get(payload,
							    "message"));

	if (type && !strcmp(type, "result")) {
		print_payload(payload, o->json);
		return fflush(stdout) == 0 ? 0 : 1;
	}
	if (type && !strcmp(type, "stop_operation")) {
		fprintf(stderr, "%s\n", msg ? msg : "");
		return 1;
	}
	return die(1, "%s", msg ? msg : "the operation refused the request");
}

int main(int argc, char **argv)
{
	struct opts o = { .prefix = "@", .timeout = 30,
			  .socket = getenv("CTX_SOCKET") };
	int code = 2, from, fd;
	json_t *req, *reply;
	char *text;
	bool sent;

	from = parse_opts(argc, argv, &o, &code);
	if (from < 0)
		return code;
	if (!o.socket || !*o.socket)
		return die(2, "%s", "CTX_SOCKET is not set: ctx works in a "
			   "script that blueprint runs");
	req = request(argc, argv, from, &o);
	if (!req)
		return 2;
	fd = connect_to(o.socket, o.timeout);
	if (fd < 0) {
		json_decref(req);
		return 2;
	}
	text = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	sent = text && send_all(fd, text, strlen(text)) &&
	       send_all(fd, "\n", 1);
	free(text);
	reply = sent ? receive(fd) : NULL;
	close(fd);
	if (!sent)
		return die(2, "cannot send the request to '%s'", o.socket);
	if (!reply)
		return 2;
	code = show(reply, &o);
	json_decref(reply);
	return code;
}
