/* exec-int.h: the executor's private structures, shared by its files and
 * by nobody else (graph.c builds, attempt.c runs one call on a worker,
 * run.c is the coordinator's loop, settle.c turns results into states).
 *
 * Who touches what: fields marked [coord] belong to the coordinator thread
 * (the caller of exec_run()) during a run, and to the owner otherwise;
 * fields marked [lock] are guarded by exec_graph.lock; [const] fields do not
 * change once the run has started; [atomic] ones are C11 atomics.
 */
#ifndef BP_EXEC_EXEC_INT_H
#define BP_EXEC_EXEC_INT_H

#include <stdatomic.h>

#include "exec/exec.h"
#include "exec/timerq.h"

/* A cap group. Owned by the graph's table. */
struct exec_group {
	char *name;      /* [const] owned */
	unsigned cap;    /* [const] most calls at once; 0: no cap */
	unsigned busy;   /* [coord] calls in flight, abandoned ones included */
	GQueue parked;   /* [coord] READY tasks held back by the cap, FIFO */
};

struct exec_task {
	struct exec_graph *graph;          /* [const] not a reference */
	char *name;                        /* [const] owned */
	const struct exec_task_ops *ops;   /* [const] borrowed */
	void *payload;                     /* [const] owned via ops->free */
	struct exec_group *group;          /* [const] or NULL */
	int max_retries;                   /* [const] -1: the run's */
	double timeout;                    /* [const] 0: none */
	double attempt_timeout;            /* [const] 0: none */
	bool timeout_recoverable;          /* [const] */
	GPtrArray *succ;                   /* [const] dependents, or NULL */

	enum exec_task_state state;        /* [coord] */
	unsigned waiting_preds;            /* [coord] predecessors not done */
	unsigned attempts;                 /* [coord] calls started */
	unsigned failures;                 /* [coord] attempts that failed */
	gint64 deadline;                   /* [coord] task deadline (us), set at
	                                    * the first start; G_MAXINT64 none */
	char *message;                     /* [coord] owned, the last message */
	bool timed_out;                    /* [coord] */
	guint8 visit;                      /* [coord] cycle search colour */
	struct exec_ctx *ctx;              /* [coord] the running attempt */
	bool call_abandoned;               /* [coord] an abandoned call of it
	                                    * has not returned yet */
	bool held;                         /* [coord] READY but out of the
	                                    * queue until that call returns:
	                                    * one call per task at a time */
	struct exec_timerq_entry timer;    /* [coord] RUNNING: the attempt's
	                                    * deadline; WAITING: the next attempt
	                                    * or the task deadline if earlier;
	                                    * held: the task deadline */
};

/* One attempt: the `run` call's context and, once it returns, its result.
 * Owned by the coordinator while it waits for the call; owned by the worker
 * when the run ended before the call returned (the worker frees it). Holds a
 * reference to the graph. */
struct exec_ctx {
	struct exec_graph *graph;   /* [const] a reference */
	struct exec_task *task;     /* [const] */
	unsigned attempt;           /* [const] 1-based */
	atomic_bool abandoned;      /* [atomic] set under the lock as well */
	bool returned;              /* [lock] the call came back: abandoning
	                             * it now counts no abandoned call */
	_Atomic gint64 deadline;    /* [atomic] us; G_MAXINT64 none */
	/* Written by the worker during `run`, read by the coordinator after
	 * the ctx came back through the completion queue. */
	enum exec_result result;
	double retry_after;
	char *message;              /* owned */
};

struct exec_graph {
	gint refs;                  /* [atomic] owner + running attempts */
	GPtrArray *tasks;           /* [const] struct exec_task *, owned */
	GHashTable *groups;         /* [const] name -> struct exec_group * */
	int wake[2];                /* pipe: workers and exec_cancel() write,
	                             * the coordinator polls and drains */
	atomic_bool cancel;         /* [atomic] exec_cancel() was called */
	bool ran;                   /* [coord] exec_run() was called */
	GPtrArray *failed;          /* [coord] FAILED tasks, not owned */

	GMutex lock;
	bool run_active;            /* [lock] a coordinator takes completions */
	bool sleeping;              /* [lock] the coordinator is going to poll:
	                             * the next completion writes to the pipe */
	GQueue completed;           /* [lock] struct exec_ctx * back from run */
	unsigned by_state[EXEC_TASK_STATE_COUNT]; /* [lock] task counts */
	unsigned retries;           /* [lock] see struct exec_counters */
	unsigned failures;          /* [lock] */
	unsigned abandoned;         /* [lock] abandoned calls not returned */
	GCond returned;             /* [lock] signalled when `abandoned`
	                             * drops */
};

/* Why a run stopped starting work (the first reason is kept). */
enum exec__stop {
	EXEC__STOP_NONE,
	EXEC__STOP_FAILURE,  /* fail_fast */
	EXEC__STOP_CANCEL,   /* exec_cancel() */
	EXEC__STOP_HOOK,     /* the commit hook failed */
};

/* The coordinator's state for one exec_run(), on its stack. */
struct exec_run {
	struct exec_graph *g;
	struct exec_options opts;
	struct exec_pool *pool;
	unsigned slots;             /* most calls in flight: parallelism, or
	                             * fewer when the graph has fewer tasks */
	GRand *rand;                /* jitter */
	GQueue ready;               /* READY tasks, FIFO */
	struct exec_timerq timers;
	unsigned busy;              /* calls in flight, abandoned included */
	unsigned unsettled;         /* tasks not in a final state */
	enum exec__stop stop;       /* NONE while tasks may still start */
	bool cancelled;             /* exec_cancel() was seen */
	gint64 grace_end;           /* when running calls are abandoned after
	                             * a cancel; G_MAXINT64 before */
	struct bp_error *hook_error;
	GPtrArray *starting;        /* struct exec_ctx * whose start was
	                             * reported, to hand to workers after the
	                             * next flush */
};

/* The task a timer entry is embedded in. */
static inline struct exec_task *exec__task_of_timer(struct exec_timerq_entry *e)
{
	return (struct exec_task *)((char *)e -
				    G_STRUCT_OFFSET(struct exec_task, timer));
}

/* The deadline `seconds` after `now` (us), saturating at G_MAXINT64. */
static inline gint64 exec__deadline_after(gint64 now, double seconds)
{
	double us = seconds * G_USEC_PER_SEC;

	if (us >= (double)(G_MAXINT64 - now))
		return G_MAXINT64;
	return now + (gint64)us;
}

/* graph.c */
/* Takes a reference for an attempt. */
void exec__graph_ref(struct exec_graph *g);
/* Frees a graph whose last reference is gone. */
void exec__graph_destroy(struct exec_graph *g);
/* Finds a cycle; false with BP_ERR_INVALID naming its tasks. */
bool exec__graph_check_cycles(struct exec_graph *g, struct bp_error **err);
/* Wakes the coordinator (async-signal-safe: one write(2)). */
void exec__graph_wake(struct exec_graph *g);

/* attempt.c */
/* (transfer full) a ctx for the next attempt of `t`, holding a graph
 * reference. */
struct exec_ctx *exec__ctx_new(struct exec_task *t, unsigned attempt,
			       gint64 deadline);
/* Frees a ctx and drops its graph reference; accepts NULL. */
void exec__ctx_free(struct exec_ctx *ctx);
/* The worker threads' function (pool.c): runs one attempt and hands the
 * ctx back; `unused` is ignored. */
void exec__attempt_work(gpointer ctx, gpointer unused);

/* settle.c: what happens to tasks, on the coordinator thread. */
/* Moves a PENDING task whose predecessors are done to READY. */
void exec__make_ready(struct exec_run *r, struct exec_task *t);
/* Records that `t` started an attempt (the call is already queued). */
void exec__started(struct exec_run *r, struct exec_task *t);
/* Applies the result of a call that came back (not abandoned). */
void exec__settle_attempt(struct exec_run *r, struct exec_ctx *ctx);
/* Holds back the READY task `t` whose abandoned call is still running. */
void exec__hold(struct exec_run *r, struct exec_task *t);
/* The abandoned call of `t` has returned: a held `t` goes back to the
 * front of the ready queue. */
void exec__late_call_returned(struct exec_run *r, struct exec_task *t);
/* A task's timer fired at `now`. */
void exec__timer_fired(struct exec_run *r, struct exec_task *t, gint64 now);
/* Fails a READY task whose task deadline passed before it could start. */
void exec__expired_before_start(struct exec_run *r, struct exec_task *t);
/* Flushes what the hook gathered (exec_options.on_flush); false when the
 * flush failed (the run is then stopping). */
bool exec__flush(struct exec_run *r);
/* Stops starting work for `why` (the first stop keeps its tasks' states;
 * a cancel after another stop still starts the grace period). */
void exec__stop(struct exec_run *r, enum exec__stop why);
/* Abandons every running call (the cancel grace period is over). */
void exec__abandon_running(struct exec_run *r);

#endif
