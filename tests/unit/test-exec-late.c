/* test-exec-late.c: a call that returns just before its deadline, while
 * the coordinator is busy, is not counted as an abandoned call when the
 * deadline's timer then fires: the counters show no call out once the run
 * ended, and exec_graph_wait_calls() returns. (It used to stay counted for
 * good, and the wait never returned.) */
#include "exec/exec.h"
#include "testlib.h"

#include <string.h>

/* "slow" finishes first; the hook then keeps the coordinator busy past
 * "quick"'s deadline, which "quick" returns just before. */
static enum exec_result run_task(void *payload, struct exec_ctx *ctx)
{
	if (!strcmp(exec_ctx_task_name(ctx), "quick"))
		g_usleep(60 * 1000);
	else
		g_usleep(20 * 1000);
	return EXEC_OK;
}

static const struct exec_task_ops ops = { run_task, NULL };

static bool hook(const struct exec_change *c, void *data,
		 struct bp_error **err)
{
	if (c->new_state == EXEC_TASK_SUCCEEDED &&
	    !strcmp(exec_task_name(c->task), "slow"))
		g_usleep(150 * 1000);
	return true;
}

static void test_returned_then_timed_out(void)
{
	g_autoptr(bp_error) err = NULL;
	struct exec_options o = EXEC_OPTIONS_INIT;
	struct exec_task_options to = EXEC_TASK_OPTIONS_INIT;
	struct exec_graph *g = exec_graph_new(NULL);
	struct exec_counters c;

	to.attempt_timeout = 0.1;
	exec_graph_add(g, "slow", &ops, NULL, NULL);
	exec_graph_add(g, "quick", &ops, NULL, &to);
	o.on_task_state = hook;
	exec_run(g, &o, &err);
	/* "quick" came back before the run ended, timed out or not */
	exec_graph_counters(g, &c);
	g_assert_cmpuint(c.abandoned, ==, 0);
	g_assert_cmpuint(c.done, ==, 2);
	exec_graph_wait_calls(g);
	exec_graph_free(g);
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
	g_test_add_func("/exec/late/returned-then-timed-out",
			test_returned_then_timed_out);
	return g_test_run();
}
