/* recorder.c: a test plugin whose operations record every call and behave
 * as the blueprint tells them, for the workflow tests (tests/cli/t3*) and
 * the benchmarks (bench/).
 *
 * recorder.noop does nothing at all (for the benchmarks). Every call of
 * recorder.call, .source and .target appends two JSON lines to the file
 * named by $RECORDER_LOG (nothing when it is unset), one when it starts
 * and one when it ends, each with one write(2) on an O_APPEND descriptor so
 * lines of concurrent calls never mix:
 *   {"ev":"start","t":US,"dep":"d","op":"cloudify.interfaces.lifecycle.
 *    create","kind":"node","node":"web","inst":"web_a1b2c3","tid":123,
 *    "attempt":1}
 *   {"ev":"end",...the same...,"result":"ok","read":VALUE}
 * `t` is the wall clock in microseconds, `tid` the kernel thread id. A
 * relationship operation has "kind":"source" or "target" (the side whose
 * interface runs it), "node"/"inst" of the source and "tnode"/"tgt" of the
 * target.
 *
 * What a call does is read from its operation inputs, else (node
 * operations) from the node property `behave.OP` (OP: the last part of the
 * operation name, "create"):
 *   sleep_ms  N      work for N ms (in slices, stopping early when the
 *                    execution is cancelled or the deadline passes)
 *   hold      PATH   work as long as the file PATH exists (the same way)
 *   retry     N      ask to be retried on attempts 1..N (then go on)
 *   retry_s   S      the delay asked for (whole seconds; 0, the default:
 *                    the operation's retry_interval)
 *   fail      N      fail (recoverable) on attempts 1..N
 *   fatal     true   fail for good (with `message` in the result's)
 *   fatal_if  PATH   fail for good while the file PATH exists (a switch a
 *                    test flips between runs)
 *   set       {k: v} runtime properties to set (on the source for a
 *                    relationship operation)
 *   outputs   {k: v} the operation's outputs
 *   read      PATH   a runtime property to read and record as "read": of
 *                    the instance itself, or of the target of a
 *                    relationship
 *   log_inputs true  log the operation's inputs as one info event
 * The steps run in that order; a retry, failure or the end of the deadline
 * returns at once.
 */
#include "blueprint/plugin.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

enum kind { KIND_NODE, KIND_SOURCE, KIND_TARGET };
static const char *const kind_names[] = { "node", "source", "target" };

static int64_t now_us(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The short name of an operation: "create" of "cloudify....create". */
static const char *short_name(const char *op)
{
	const char *dot = strrchr(op, '.');

	return dot ? dot + 1 : op;
}

/* Behaviour key `key`: its JSON text, or with `string` its value as a
 * string; NULL when absent. (transfer none) */
static const char *behave(bp_ctx *ctx, enum kind k, const char *key,
			  bool string)
{
	const char *(*get)(bp_ctx *, int, const char *) =
		string ? bp_get_string : bp_get_json;
	const char *v = get(ctx, BP_SCOPE_INPUTS, key);
	char *path;

	if (v || k != KIND_NODE)
		return v;
	path = bp_strdupf("behave.%s.%s", short_name(bp_operation_name(ctx)),
			  key);
	v = get(ctx, BP_SCOPE_PROPERTIES, path);
	bp_free(path);
	return v;
}

static int64_t behave_int(bp_ctx *ctx, enum kind k, const char *key)
{
	const char *v = behave(ctx, k, key, false);

	return v ? strtoll(v, NULL, 10) : 0;
}

static bool behave_true(bp_ctx *ctx, enum kind k, const char *key)
{
	const char *v = behave(ctx, k, key, false);

	return v && !strcmp(v, "true");
}

/* Writes one line to $RECORDER_LOG: the call's fields, then `result` and
 * what was read (`read` JSON, NULL: null) unless result is NULL (the
 * start line). */
static void record(bp_ctx *ctx, enum kind k, const char *result,
		   const char *read)
{
	const char *file = getenv("RECORDER_LOG");
	bp_ctx *n = k == KIND_NODE ? ctx : bp_source(ctx);
	char *q[8] = { NULL };
	char *line;
	int fd;

	if (!file || !*file)
		return;
	q[0] = bp_json_quote(bp_deployment_id(ctx));
	q[1] = bp_json_quote(bp_operation_name(ctx));
	q[2] = bp_json_quote(bp_node_name(n));
	q[3] = bp_json_quote(bp_instance_id(n));
	if (k != KIND_NODE) {
		q[6] = bp_json_quote(bp_node_name(bp_target(ctx)));
		q[7] = bp_json_quote(bp_instance_id(bp_target(ctx)));
	}
	q[4] = k == KIND_NODE ? bp_strdupf("%s", "") :
	       bp_strdupf(",\"tnode\":%s,\"tgt\":%s", q[6], q[7]);
	q[5] = result ? bp_strdupf(",\"result\":\"%s\",\"read\":%s", result,
				   read ? read : "null") :
	       bp_strdupf("%s", "");
	line = bp_strdupf("{\"ev\":\"%s\",\"t\":%lld,\"dep\":%s,\"op\":%s,"
			  "\"kind\":\"%s\",\"node\":%s,\"inst\":%s%s,"
			  "\"tid\":%ld,\"attempt\":%u%s}\n",
			  result ? "end" : "start",
			  (long long)now_us(CLOCK_REALTIME), q[0], q[1],
			  kind_names[k], q[2], q[3], q[4],
			  (long)syscall(SYS_gettid), (unsigned)bp_attempt(ctx),
			  q[5]);
	fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0) {
		ssize_t w = write(fd, line, strlen(line));
		(void)w;
		close(fd);
	}
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++)
		bp_free(q[i]);
	bp_free(line);
}

/* Works for `ms` milliseconds (or, with `hold`, while that file exists),
 * in slices, until cancelled or past the deadline. Returns false when it
 * stopped early. */
static bool work(bp_ctx *ctx, int64_t ms, const char *hold)
{
	int64_t end = now_us(CLOCK_MONOTONIC) + ms * 1000;
	int64_t deadline = bp_deadline(ctx);

	for (;;) {
		int64_t now = now_us(CLOCK_MONOTONIC);
		int64_t slice = hold ? 10000 : end - now;
		struct timespec ts;

		if (hold ? access(hold, F_OK) != 0 : slice <= 0)
			return true;
		if (bp_cancelled(ctx) || (deadline && now >= deadline))
			return false;
		if (slice > 10000)
			slice = 10000;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)slice * 1000;
		nanosleep(&ts, NULL);
	}
}

/* Calls fn(ctx, name, value JSON) for each member of the JSON object at
 * behaviour key `key`. The object's top-level keys are found by scanning
 * its text (strings and nesting skipped); keys holding '.' or an escape
 * are not supported. */
static void each_member(bp_ctx *ctx, enum kind k, const char *key,
			void (*fn)(bp_ctx *, const char *, const char *))
{
	const char *text = behave(ctx, k, key, false);
	int depth = 0;

	for (const char *p = text; p && *p; p++) {
		const char *start;

		if (*p == '{' || *p == '[') {
			depth++;
			continue;
		}
		if (*p == '}' || *p == ']') {
			depth--;
			continue;
		}
		if (*p != '"')
			continue;
		start = ++p;
		while (*p && *p != '"')
			p += *p == '\\' && p[1] ? 2 : 1;
		if (!*p)
			break;
		if (depth == 1 && p[1] == ':') {
			char *name = bp_strdupf("%.*s", (int)(p - start), start);
			char *path = bp_strdupf("%s.%s", key, name);
			const char *v = behave(ctx, k, path, false);
			if (v)
				fn(ctx, name, v);
			bp_free(path);
			bp_free(name);
		}
	}
}

/* Sets a runtime property of the instance (the source of a relationship
 * operation). */
static void set_runtime(bp_ctx *ctx, const char *name, const char *json)
{
	bp_runtime_set(bp_source(ctx) ? bp_source(ctx) : ctx, name, json);
}

/* Does what the behaviour says; *read gets the JSON of the runtime
 * property named by `read`, or NULL. */
static int run(bp_ctx *ctx, enum kind k, const char **read)
{
	uint32_t attempt = bp_attempt(ctx);
	int64_t sleep_ms = behave_int(ctx, k, "sleep_ms");
	const char *outputs = behave(ctx, k, "outputs", false);
	const char *path = behave(ctx, k, "read", true);
	const char *fatal_if = behave(ctx, k, "fatal_if", true);
	const char *hold = behave(ctx, k, "hold", true);
	const char *message = behave(ctx, k, "message", true);

	if (behave_true(ctx, k, "log_inputs"))
		bp_log(ctx, BP_LOG_INFO, "inputs: %s",
		       bp_get_json(ctx, BP_SCOPE_INPUTS, NULL));
	if ((sleep_ms > 0 || hold) && !work(ctx, sleep_ms, hold))
		return bp_fail(ctx, "stopped during attempt %u: cancelled or "
			       "out of time", attempt);
	if (attempt <= behave_int(ctx, k, "retry"))
		return bp_retry(ctx, (uint32_t)behave_int(ctx, k, "retry_s"),
				"retry %u of %lld", attempt,
				(long long)behave_int(ctx, k, "retry"));
	if (attempt <= behave_int(ctx, k, "fail"))
		return bp_fail(ctx, "failure %u of %lld", attempt,
			       (long long)behave_int(ctx, k, "fail"));
	if (behave_true(ctx, k, "fatal"))
		return bp_fail_fatal(ctx, "told to fail for good%s%s",
				     message ? ": " : "", message ? message : "");
	if (fatal_if && access(fatal_if, F_OK) == 0)
		return bp_fail_fatal(ctx, "told to fail while '%s' exists",
				     fatal_if);
	each_member(ctx, k, "set", set_runtime);
	if (outputs)
		bp_output_set(ctx, NULL, outputs);
	if (path)
		*read = bp_get_json(k == KIND_NODE ? ctx : bp_target(ctx),
				    BP_SCOPE_RUNTIME, path);
	return BP_OK;
}

/* Records the start, runs, records the end with the result. */
static int call(bp_ctx *ctx, enum kind k)
{
	static const char *const results[] = { "ok", "retry", "fail", "fatal" };
	const char *read = NULL;
	int rc;

	record(ctx, k, NULL, NULL);
	rc = run(ctx, k, &read);
	record(ctx, k, rc >= 0 && rc < BP_RESULT_LAST ? results[rc] : "?",
	       read);
	return rc;
}

static int op_call(bp_ctx *ctx)
{
	return call(ctx, KIND_NODE);
}

static int op_source(bp_ctx *ctx)
{
	return call(ctx, KIND_SOURCE);
}

static int op_target(bp_ctx *ctx)
{
	return call(ctx, KIND_TARGET);
}

/* Does nothing and records nothing: the benchmarks' operation, so they
 * measure the engine. */
static int op_noop(bp_ctx *ctx)
{
	(void)ctx;
	return BP_OK;
}

static const struct bp_op recorder_ops[] = {
	{ "call", op_call },
	{ "noop", op_noop },
	{ "source", op_source },
	{ "target", op_target },
	{ NULL, NULL },
};

/* The Makefile builds this file again as plugin "recorder-capped",
 * declaring a parallelism cap (ABI 1.4). */
#ifndef RECORDER_NAME
#define RECORDER_NAME "recorder"
#define RECORDER_PARALLELISM 0
#endif

BP_PLUGIN_DEFINE_FULL(RECORDER_NAME, "1.0.0", recorder_ops, NULL, NULL, NULL,
		      RECORDER_PARALLELISM);
