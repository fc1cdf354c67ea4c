/* exec.h: the executor, which runs a task graph with a bounded worker pool,
 * a timer queue for retries, timeouts, cancellation and a commit hook.
 *
 * The executor is generic: it knows tasks, dependencies, results and
 * policies, not TOSCA. The workflow layer builds a graph (one task per
 * operation or state-change step, one edge per "must succeed before"),
 * runs it, and records every state change in the store through the hook.
 *
 * A task starts as soon as all of its own predecessors have succeeded (no
 * level barriers). Its `run` callback returns a result:
 *   EXEC_OK          done.
 *   EXEC_RETRY       not done yet: call again after the delay it asked for
 *                    (exec_ctx_retry(); 0 s without it). Does not use up the
 *                    failure budget; bounded only by the task's timeout.
 *   EXEC_FAIL        recoverable failure: call again after an exponential
 *                    backoff (base * 2^(n-1), capped, optional jitter), at
 *                    most max_retries times, then the task has failed.
 *   EXEC_FAIL_FATAL  failed, no retry.
 * Waiting between attempts holds no thread: a timer queue puts the task back
 * in the ready queue when it is due.
 *
 * Threading model. exec_run() is called by one thread, the coordinator: it
 * owns all scheduling state and calls the hook and the listener, one call at
 * a time, never concurrently with each other. `run` callbacks are called on
 * worker threads: a pool (pool.h) made for the run with exactly
 * min(parallelism, tasks to run) threads, freed when the run ends. At most
 * one call of a given task runs at a time (a retry waits even for an
 * abandoned call, below), so a payload needs no lock against itself; calls
 * of different tasks run concurrently. The only functions that may be
 * called from any thread during a run are exec_cancel(),
 * exec_graph_counters() and the exec_ctx_*() functions (the latter from
 * inside `run`, on its own ctx).
 *
 * Ownership. A graph owns its tasks, their names and their payloads (freed
 * with the task's `free` callback). Task handles are (transfer none), valid
 * until exec_graph_free(). Getters borrow from the graph.
 *
 * Timeouts and abandoned calls. A C function cannot be killed. When an
 * attempt passes its deadline (or the cancel grace period ends), the executor
 * marks the attempt abandoned, makes exec_ctx_cancelled() true for it,
 * settles the task (timed out, or cancelled) and stops waiting for it: its
 * late result, whatever it is, is ignored; the workflow must treat the task
 * as not done (operations are idempotent and run again on resume). The
 * abandoned call keeps its worker slot (and group slot) until it returns,
 * so there are never more than `parallelism` calls of `run` at once, abandoned
 * ones included, and the next attempt of the same task (after a recoverable
 * timeout) waits until it has returned. exec_run() does not wait for
 * abandoned calls; the graph and the payloads they use are freed when the
 * last of them returns, even if exec_graph_free() was called before (a
 * deferred free, as redis's freeClientAsync). A call that never returns
 * therefore keeps its slot, and its task (if it is to be retried) waits, for
 * good: bound such tasks with a task timeout, or cancel. A task that runs a
 * process passes its ctx deadline to the runner, which kills the process
 * group when it is reached, so its call returns soon after.
 */
#ifndef BP_EXEC_EXEC_H
#define BP_EXEC_EXEC_H

#include <stdbool.h>
#include <glib.h>

#include "util/error.h"

#define EXEC_DEFAULT_PARALLELISM 20
#define EXEC_DEFAULT_MAX_RETRIES 5

struct exec_graph;
struct exec_task;
struct exec_ctx;

/* What a `run` callback returns. Numbers are stable. */
enum exec_result {
	EXEC_NO_RESULT  = 0, /* not from `run`: a change no attempt caused */
	EXEC_OK         = 1,
	EXEC_RETRY      = 2, /* delay and message via exec_ctx_retry() */
	EXEC_FAIL       = 3, /* recoverable; message via exec_ctx_fail() */
	EXEC_FAIL_FATAL = 4, /* not retried; exec_ctx_fail_fatal() */
	EXEC_RESULT_COUNT    /* never use */
};

/* The life of a task. PENDING -> READY -> RUNNING -> (WAITING -> READY ->
 * RUNNING)* -> one of the final states, which never change again:
 * SUCCEEDED, FAILED, SKIPPED, CANCELLED, NOT_RUN. Shortcuts: PENDING ->
 * SKIPPED or NOT_RUN; READY -> NOT_RUN, or FAILED when its task timeout
 * passed before it could start again; WAITING -> FAILED (task timeout) or
 * CANCELLED (stop). */
enum exec_task_state {
	EXEC_TASK_PENDING,   /* a predecessor has not succeeded yet */
	EXEC_TASK_READY,     /* waiting for a worker or a group slot */
	EXEC_TASK_RUNNING,   /* an attempt is in a `run` call */
	EXEC_TASK_WAITING,   /* on the timer queue until its next attempt */
	EXEC_TASK_SUCCEEDED, /* returned EXEC_OK, or added done */
	EXEC_TASK_FAILED,    /* failed for good (fatal, retries used up, timeout) */
	EXEC_TASK_SKIPPED,   /* a predecessor failed (transitively); never ran */
	EXEC_TASK_CANCELLED, /* had started when the run stopped; not finished */
	EXEC_TASK_NOT_RUN,   /* never started: the run stopped first */
	EXEC_TASK_STATE_COUNT /* never use */
};

/* (transfer none) a static lowercase name: "pending", "succeeded", "not run"
 * ...; "unknown" for a value out of range. */
const char *exec_task_state_name(enum exec_task_state s);

/* True for SUCCEEDED, FAILED, SKIPPED, CANCELLED and NOT_RUN. */
bool exec_task_state_final(enum exec_task_state s);

/* The callback table of a task. The table itself is borrowed and must
 * outlive the graph (make it static const). */
struct exec_task_ops {
	/* Runs one attempt on a worker thread; required. `payload` is the
	 * task's payload; `ctx` (transfer none) is valid until `run` returns
	 * and gives the attempt number, the cancel flag and the deadline, and
	 * takes the retry delay and the message. At most one attempt of a
	 * task runs at a time, so the payload needs no lock against itself.
	 * A value outside enum exec_result counts as EXEC_FAIL_FATAL. */
	enum exec_result (*run)(void *payload, struct exec_ctx *ctx);
	/* Frees the payload when the graph is freed; optional. Called once
	 * (even for a NULL payload), on the thread that drops the last
	 * reference to the graph (see "abandoned calls" above). */
	void (*free)(void *payload);
};

/* Options of one task. Initialise with EXEC_TASK_OPTIONS_INIT. */
struct exec_task_options {
	const char *group;      /* cap group ("kubernetes"), copied; NULL: none */
	int max_retries;        /* recoverable failures retried; -1: the run's */
	double timeout;         /* seconds for the whole task from its first
	                         * start, retry waits included; 0: none */
	double attempt_timeout; /* seconds for one `run` call; 0: none */
	bool timeout_recoverable; /* a timed-out attempt counts as EXEC_FAIL
	                         * (retried with backoff) instead of fatal; a
	                         * passed task timeout is always fatal */
	bool done;              /* already succeeded (restored from the store):
	                         * never run, no hook or event, its dependents
	                         * are released at once */
};
#define EXEC_TASK_OPTIONS_INIT { NULL, -1, 0.0, 0.0, false, false }

/* One change of a task's state, given to the hook and to the listener. All
 * pointers are (transfer none), valid during the callback only. */
struct exec_change {
	struct exec_task *task;
	enum exec_task_state old_state;
	enum exec_task_state new_state;
	enum exec_result result; /* of the attempt that caused the change;
	                          * EXEC_NO_RESULT for a start, skip or stop.
	                          * A timeout is EXEC_FAIL or EXEC_FAIL_FATAL
	                          * (as it was treated) with timed_out set. */
	unsigned attempt;        /* 1-based attempt started (RUNNING) or that
	                          * ended; 0 when the task never started */
	double delay;            /* WAITING: seconds until the next attempt */
	bool timed_out;          /* the attempt or the task ran out of time */
	const char *message;     /* the attempt's message, or why the task was
	                          * skipped/stopped; may be NULL */
	gint64 time;             /* g_get_real_time() of the change, in us */
};

/* The commit hook. Called on the coordinator thread for every state change
 * of every task, serially, in the order the changes happen, except the
 * steps to READY (nothing happened yet) and tasks added `done`.
 * For a task that finished (SUCCEEDED, or FAILED with ignore_failure) the
 * hook returns before any dependent of it is released, so a dependent never
 * starts before the state it depends on is committed. For RUNNING it is
 * called before the attempt is handed to a worker, so a start the hook
 * records precedes the `run` call. With a flush callback (below) the hook
 * may only gather changes, and "committed" means flushed: dependents are
 * released (made READY) at once, but every attempt is handed to a worker
 * only after a flush that covers the changes before it, so one commit per
 * turn of the executor's loop covers the finished tasks and the starts
 * they allowed. Returns true when the change was recorded; on false it
 * must set *err: the run then stops as after a fatal failure (no new task
 * or attempt, running ones finish, exec_run() fails with that error, its
 * code kept, prefixed "recording task 'NAME' as STATE: "), and the
 * dependents of that task are not released. The hook keeps being called for the changes that follow (the
 * errors after the first are freed). */
typedef bool (*exec_state_hook)(const struct exec_change *change, void *data,
				struct bp_error **err);

/* The flush callback: makes durable what the hook gathered since the last
 * flush (one transaction for many changes: group commit). Called on the
 * coordinator thread between hook calls, once per turn of the loop before
 * the attempts of that turn are handed to workers, and once when the run
 * ends; also when nothing was gathered (it must then do nothing, cheaply).
 * Returns true when done; on false it must set *err, and the run stops as
 * after a failed hook (exec_run() fails with that error, prefixed
 * "committing task states: "); the attempts that were waiting for the
 * flush are not run and fail (fatal). */
typedef bool (*exec_flush_fn)(void *data, struct bp_error **err);

/* The event listener, for progress lines and logs: called on the coordinator
 * thread after the hook for the same change, with the same exclusions.
 * new_state says the event: RUNNING "started", WAITING "retry scheduled",
 * SUCCEEDED, FAILED, SKIPPED, CANCELLED, NOT_RUN. */
typedef void (*exec_event_fn)(const struct exec_change *change, void *data);

/* Options of a run. Initialise with EXEC_OPTIONS_INIT (or
 * exec_options_init()), then change what you need. */
struct exec_options {
	unsigned parallelism;   /* most `run` calls at once, >= 1 */
	int max_retries;        /* default for tasks, >= 0 */
	double backoff_base;    /* seconds before the 1st retry after EXEC_FAIL */
	double backoff_cap;     /* the backoff never exceeds this (seconds) */
	double jitter;          /* 0..1: a retry after failure n waits
	                         * d * (1 - jitter * r), d = min(cap, base *
	                         * 2^(n-1)), r uniform in [0, 1) */
	guint32 jitter_seed;    /* seed of r, for repeatable runs; 0: random */
	bool fail_fast;         /* stop after the first failure that is not
	                         * ignored */
	bool ignore_failure;    /* a FAILED task releases its dependents as if
	                         * it had succeeded; failures are still listed
	                         * and do not make exec_run() fail */
	double cancel_grace;    /* seconds running calls get after
	                         * exec_cancel() before they are abandoned */
	exec_state_hook on_task_state; /* may be NULL */
	void *hook_data;
	exec_event_fn on_event; /* may be NULL */
	void *event_data;
	exec_flush_fn on_flush; /* may be NULL: the hook commits each change
	                         * itself; gets hook_data */
};
#define EXEC_OPTIONS_INIT { EXEC_DEFAULT_PARALLELISM, EXEC_DEFAULT_MAX_RETRIES, \
	1.0, 60.0, 0.0, 0, false, false, 30.0, NULL, NULL, NULL, NULL, NULL }

/* Sets *opts to the defaults of EXEC_OPTIONS_INIT. Can't fail. */
void exec_options_init(struct exec_options *opts);

/* Progress of a run, as a consistent snapshot. */
struct exec_counters {
	unsigned total;      /* tasks in the graph */
	unsigned done;       /* in a final state (added-done ones included) */
	unsigned succeeded;
	unsigned failed;
	unsigned skipped;
	unsigned cancelled;
	unsigned not_run;
	unsigned pending;    /* waiting for predecessors */
	unsigned ready;      /* waiting for a worker or a group slot */
	unsigned running;    /* in a `run` call (abandoned calls not counted) */
	unsigned waiting;    /* on the timer queue before the next attempt */
	unsigned retries;    /* retries scheduled so far (EXEC_RETRY and
	                      * backoff after a recoverable failure) */
	unsigned failures;   /* attempts that failed so far (EXEC_FAIL,
	                      * EXEC_FAIL_FATAL, timeouts) */
	unsigned abandoned;  /* abandoned calls that have not returned yet */
};

/* ---- Building a graph ------------------------------------------------ */

/* (transfer full) a new empty graph, freed with exec_graph_free(). Returns
 * NULL with *err set (BP_ERR_IO) when the wakeup pipe cannot be made. */
struct exec_graph *exec_graph_new(struct bp_error **err);

/* Drops the caller's reference: the tasks, their names and payloads (each
 * through ops->free) are freed now, or, when abandoned calls are still
 * running, by the last of them when it returns (once exec_graph_counters()
 * shows no abandoned call, the free is sure to happen now). Never blocks.
 * Must not be called during exec_run(). Accepts NULL. */
void exec_graph_free(struct exec_graph *g);

/* Adds a task. `name` (copied) is used in messages and should be unique.
 * `ops` (transfer none) must outlive the graph. The graph consumes
 * `payload` (freed with ops->free, may be NULL). `opts` may be NULL for
 * EXEC_TASK_OPTIONS_INIT. Returns (transfer none) the task, valid until the
 * graph is freed. Can't fail. Not allowed once the graph has been run. */
struct exec_task *exec_graph_add(struct exec_graph *g, const char *name,
				 const struct exec_task_ops *ops, void *payload,
				 const struct exec_task_options *opts);

/* Adds an edge: `after` starts only once `before` has succeeded (or failed,
 * with ignore_failure). Both must belong to `g`. A repeated edge is
 * harmless; a cycle is reported by exec_run(). Can't fail. Not allowed once
 * the graph has been run. */
void exec_graph_add_edge(struct exec_graph *g, struct exec_task *before,
			 struct exec_task *after);

/* Caps the `run` calls of tasks in group `name` at `cap` at once (0: no cap,
 * the default). A task over its cap waits in the READY state without holding
 * a worker, and starts before later READY tasks once its group has room.
 * Can be called before or after the tasks are added, not once the graph has
 * been run. Can't fail. */
void exec_graph_set_group_cap(struct exec_graph *g, const char *name,
			      unsigned cap);

/* ---- Running --------------------------------------------------------- */

/* Runs the graph to the end on a pool of at most opts->parallelism worker
 * threads (opts NULL: the defaults). Blocks until every task is in a final
 * state (not until abandoned calls return, see the top of this file). A
 * graph is run once, even if that run failed.
 *
 * How it ends (shutdown semantics):
 * - All tasks finished: returns true. With ignore_failure that includes
 *   FAILED tasks; see exec_graph_failed().
 * - Some task failed (not ignored): its dependents are SKIPPED, independent
 *   branches go on to completion (unless fail_fast), and exec_run() returns
 *   false with BP_ERR_PLUGIN: "task 'x' failed: MESSAGE" (with "(and N more
 *   failed tasks)" when there are several). The list is exec_graph_failed().
 * - Stop (fail_fast after a failure, or the hook failed): no new task and
 *   no new attempt starts. Tasks not started become NOT_RUN; tasks waiting
 *   for a retry become CANCELLED; running calls are waited for (still
 *   bounded by their own timeouts) and their results recorded, except that
 *   a result asking for another attempt makes the task CANCELLED.
 * - exec_cancel(): as a stop, and running calls see exec_ctx_cancelled()
 *   and get opts->cancel_grace seconds (their ctx deadline is moved up to
 *   the end of the grace period); those still running then are abandoned
 *   and CANCELLED. Returns false with BP_ERR_CANCELLED.
 * - Precedence of the error when several apply: the hook's error, then the
 *   cancellation, then the task failures.
 * Other errors, with nothing run and false returned: BP_ERR_INVALID for a
 * cycle ("cycle in the task graph: 'a' -> 'b' -> 'a'") or bad options,
 * BP_ERR_GENERIC when the worker threads cannot be created.
 * The hook and the listener are called on the calling thread. */
bool exec_run(struct exec_graph *g, const struct exec_options *opts,
	      struct bp_error **err);

/* Asks the current or next run of `g` to stop (see exec_run()). Safe from
 * any thread and from a signal handler: it only stores an atomic flag and
 * writes to a non-blocking pipe. exec_ctx_cancelled() is true for every
 * call from then on; the coordinator notices the cancel at its next turn.
 * Calling it again has no further effect. `g` must stay alive until the
 * call returns. */
void exec_cancel(struct exec_graph *g);

/* Blocks until every abandoned call of the last run of `g` has returned
 * (exec_graph_counters() shows none): for a caller whose payloads use
 * things it is about to free. A call that never returns blocks it for
 * good, so give tasks deadlines they pass on. Coordinator thread, after
 * exec_run(). Can't fail. */
void exec_graph_wait_calls(struct exec_graph *g);

/* Copies a consistent snapshot of the counters into *out. Safe from any
 * thread, during a run or not. Can't fail. */
void exec_graph_counters(struct exec_graph *g, struct exec_counters *out);

/* (transfer none) the tasks that ended FAILED, in the order they failed
 * (ignored failures included), as struct exec_task *. Valid until the graph
 * is freed; read it from the coordinator thread (in the hook or listener,
 * or after exec_run()). */
const GPtrArray *exec_graph_failed(const struct exec_graph *g);

/* ---- Reading a task -------------------------------------------------- *
 * From the coordinator thread only (hook, listener, after exec_run()). */

/* (transfer none) the name given to exec_graph_add(). */
const char *exec_task_name(const struct exec_task *t);
/* (transfer none) the payload; still owned by the graph. */
void *exec_task_payload(const struct exec_task *t);
enum exec_task_state exec_task_state(const struct exec_task *t);
/* Attempts started so far (0 if never run). */
unsigned exec_task_attempts(const struct exec_task *t);
/* (transfer none) the last message (of an attempt, a skip or a stop), or
 * NULL; valid until the task's next change. */
const char *exec_task_message(const struct exec_task *t);
/* True when the task failed or was stopped because it ran out of time. */
bool exec_task_timed_out(const struct exec_task *t);

/* ---- Inside `run` (worker thread) ------------------------------------ */

/* The attempt number, 1 for the first call; it counts every call, those
 * after EXEC_RETRY too. */
unsigned exec_ctx_attempt(const struct exec_ctx *ctx);
/* (transfer none) the task's name. */
const char *exec_ctx_task_name(const struct exec_ctx *ctx);
/* True once the run was cancelled or this attempt was abandoned (its
 * deadline passed): return soon, the result will likely be ignored. */
bool exec_ctx_cancelled(const struct exec_ctx *ctx);
/* The g_get_monotonic_time() (us) after which this attempt is abandoned:
 * the earliest of the attempt timeout, the task timeout and, after a
 * cancel, the end of the grace period. G_MAXINT64 when there is none. It may
 * move earlier while `run` is running (on cancel), never later. */
gint64 exec_ctx_deadline(const struct exec_ctx *ctx);

/* Set the attempt's message and return the result, so a task ends with
 * `return exec_ctx_retry(ctx, 30, "server '%s' is still BUILD", id);`.
 * `seconds` < 0 counts as 0. Calling one of them again replaces the
 * message. Can't fail. */
enum exec_result exec_ctx_retry(struct exec_ctx *ctx, double seconds,
				const char *fmt, ...) G_GNUC_PRINTF(3, 4);
enum exec_result exec_ctx_fail(struct exec_ctx *ctx, const char *fmt, ...)
	G_GNUC_PRINTF(2, 3);
enum exec_result exec_ctx_fail_fatal(struct exec_ctx *ctx, const char *fmt,
				     ...) G_GNUC_PRINTF(2, 3);

#endif
