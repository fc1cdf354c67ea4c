/* exectest.h: scripted tasks and a recorder for the executor's tests.
 *
 * A scripted task follows a string, one letter per attempt (the last letter
 * repeats): 'O' ok, 'R' retry (after the task's retry_after), 'F' fail
 * (recoverable), 'X' fail fatal, 'Z' return an invalid result, 'H' hold
 * until exec_ctx_cancelled() and a deadline is set, then fail (a well-behaved
 * long call), 'B' block until xt_release() (it
 * ignores cancellation, like a stuck C call). Every call records sequence
 * numbers (start, end), the threads used, how many calls ran at once (in
 * all and per group). The recorder's listener keeps every change, its hook
 * stamps SUCCEEDED commits. Waiting is on a condition variable with a bound
 * (XT_WAIT_US), never a bare sleep.
 */
#ifndef BP_EXECTEST_H
#define BP_EXECTEST_H

#include "exec/exec.h"

#define XT_WAIT_US (10 * G_USEC_PER_SEC)

/* One recorded change (from the listener). */
struct xt_event {
	char *task;
	enum exec_task_state from, to;
	enum exec_result result;
	unsigned attempt;
	double delay;
	bool timed_out;
	char *message;
	gint64 time;
};

struct xt_task {
	struct xt *xt;
	char *name;
	const char *group;
	char *script;
	double retry_after;     /* for 'R' */
	unsigned body_us;       /* time spent in each call, to make overlap */
	bool gated;             /* calls wait at the recorder's gate */
	/* Replaces the script when set: the call's result, recorded like
	 * any other call. */
	enum exec_result (*body)(struct xt_task *t, struct exec_ctx *ctx);
	/* Recorded, under xt.lock. */
	unsigned calls;
	int active;             /* calls in progress: asserted never above 1 */
	unsigned start_seq;     /* of the first call */
	unsigned end_seq;       /* of the last call */
	unsigned commit_seq;    /* when the hook recorded SUCCEEDED */
	bool saw_cancel;        /* a call saw exec_ctx_cancelled() */
	gint64 saw_deadline;    /* exec_ctx_deadline() at the last call's
	                         * start ('H': once it was told to stop) */
};

struct xt {
	struct exec_graph *g;
	GMutex lock;
	GCond cond;
	unsigned seq;
	int running, max_running;
	unsigned gate;          /* gated calls wait (bounded) until
	                         * max_running >= gate: a parallelism the
	                         * executor allows is then surely reached */
	bool released;          /* xt_release() was called ('B') */
	unsigned freed;         /* payloads freed */
	GHashTable *threads;    /* GThread * that made calls */
	GHashTable *group_now;  /* group -> calls now (GINT_TO_POINTER) */
	GHashTable *group_max;  /* group -> most calls at once */
	GPtrArray *edges;       /* pairs: before, after (struct xt_task *) */
	GPtrArray *events;      /* struct xt_event *, owned */
	GThread *coordinator;   /* the thread that called xt_run() */
	int in_hook;            /* hook calls in progress */
	unsigned hook_overlaps; /* hook calls that overlapped or ran on
	                         * another thread than the coordinator */
	/* Hook failure injection: fail when `fail_task` becomes SUCCEEDED. */
	const char *fail_task;
};

/* (transfer full) a recorder with an empty graph; free with xt_free(). */
struct xt *xt_new(void);
/* Frees the graph (if still held) and the recorder. */
void xt_free(struct xt *x);

/* Adds a scripted task; `opts` may be NULL. Returns the graph's task. */
struct exec_task *xt_add(struct xt *x, const char *name, const char *script,
			 const struct exec_task_options *opts);
/* The same with a group. */
struct exec_task *xt_add_group(struct xt *x, const char *name,
			       const char *group, const char *script);
/* (transfer none) the scripted payload of `t`. */
struct xt_task *xt_of(struct exec_task *t);
/* Adds an edge to the graph and remembers it for xt_check_order(). */
void xt_edge(struct xt *x, struct exec_task *before, struct exec_task *after);

/* Runs the graph with the recorder's hook and listener put into a copy of
 * `opts` (NULL: defaults). */
bool xt_run(struct xt *x, const struct exec_options *opts,
	    struct bp_error **err);

/* xt_run() that must succeed (else the test stops with the error). */
void xt_run_ok(struct xt *x, const struct exec_options *opts);
/* xt_run() that must fail with `code`; returns (transfer full) the
 * error's message. */
char *xt_run_fails(struct xt *x, const struct exec_options *opts,
		   enum bp_error_code code);

/* Asserts, for every xt_edge(), that `after` started after `before` ended
 * and, if `committed`, after its SUCCEEDED commit. */
void xt_check_order(struct xt *x, bool committed);

/* Lets 'B' calls return. */
void xt_release(struct xt *x);
/* Waits (bounded) until the graph reports no abandoned call in flight. */
void xt_wait_abandoned_returned(struct xt *x);
/* Waits (bounded) until `n` payloads have been freed. */
void xt_wait_freed(struct xt *x, unsigned n);
/* Waits (bounded) until `n` calls are running at once. */
void xt_wait_running(struct xt *x, int n);

/* Waits (bounded) until `task` has changed to `to` at least once. */
void xt_wait_event(struct xt *x, const char *task, enum exec_task_state to);

/* The number of recorded changes of `task` to `to` (NULL: any task). */
unsigned xt_count(struct xt *x, const char *task, enum exec_task_state to);
/* (transfer none) the n-th (0-based) change of `task` to `to`, or NULL. */
const struct xt_event *xt_find(struct xt *x, const char *task,
			       enum exec_task_state to, unsigned n);
/* Group maximum of calls at once. */
int xt_group_max(struct xt *x, const char *group);

#endif
