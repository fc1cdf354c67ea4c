/* scriptresult.c: what an operation that ran a script returns, from how
 * the script ended and what it said through ctx (the table is in
 * plugins/script/script.c's header comment). */
#include "scriptrun.h"

#include <stdlib.h>
#include <sys/wait.h>

int script_result(bp_ctx *ctx, const char *name,
		  const struct script_outcome *o, const struct script_exit *ex)
{
	const char *tail = ex->stderr_tail ? ex->stderr_tail : "";
	const char *sep = ex->stderr_tail ? ": " : "";
	int st = ex->status;
	char *text;

	if (ex->cancelled)
		return bp_fail_fatal(ctx, "script '%s' was stopped: the "
				     "execution was cancelled", name);
	switch (o->verdict) {
	case SCRIPT_VERDICT_TWICE:
		return bp_fail_fatal(ctx, "script '%s': ctx may only abort, "
				     "retry or return once", name);
	case SCRIPT_VERDICT_ABORT:
		return o->message
			? bp_fail_fatal(ctx, "%s", o->message)
			: bp_fail_fatal(ctx, "script '%s' aborted the "
					"operation", name);
	case SCRIPT_VERDICT_RETRY:
		return o->message
			? bp_retry(ctx, o->retry_after, "%s", o->message)
			: bp_retry(ctx, o->retry_after, "script '%s' asked "
				   "for a retry", name);
	default:
		break;
	}
	if (ex->timed_out)
		return bp_fail(ctx, "script '%s' timed out after %g s", name,
			       ex->seconds);
	if (WIFSIGNALED(st))
		return bp_fail(ctx, "script '%s' was killed by signal %d "
			       "(%s)%s%s", name, WTERMSIG(st),
			       g_strsignal(WTERMSIG(st)), sep, tail);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return bp_fail(ctx, "script '%s' exited with status %d%s%s",
			       name, WEXITSTATUS(st), sep, tail);
	if (o->verdict == SCRIPT_VERDICT_RETURNED) {
		text = json_dumps(o->value, JSON_ENCODE_ANY | JSON_COMPACT);
		bp_output_set(ctx, NULL, text);
		free(text);
	}
	return BP_OK;
}

