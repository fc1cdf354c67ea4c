/* pool.h: the executor's worker threads: a fixed number of threads that
 * take attempts from one queue and run them with exec__attempt_work().
 *
 * Why not GThreadPool: it wakes a waiting thread (a futex system call) on
 * every push, so the coordinator, which is the executor's bottleneck when
 * operations are short, paid one wake-up per operation. Here the
 * coordinator hands over a whole turn's attempts under one lock and wakes
 * at most one thread; a thread that takes an attempt and sees more queued
 * wakes the next one itself (a chain), and a thread that finishes a call
 * takes the next queued attempt without sleeping. So the wake-ups are paid
 * by the workers, on other cores, and only when work outgrows the threads
 * already awake.
 *
 * Exactly `threads` threads are started by exec_pool_new() and no more:
 * the process never has more threads making calls than that.
 */
#ifndef BP_EXEC_POOL_H
#define BP_EXEC_POOL_H

#include <stdbool.h>
#include <glib.h>

#include "util/error.h"

struct exec_pool;

/* (transfer full) a pool of `threads` (>= 1) threads, all started now,
 * freed with exec_pool_free(). NULL with *err set (BP_ERR_GENERIC) when a
 * thread cannot be created (those started are stopped again). */
struct exec_pool *exec_pool_new(unsigned threads, struct bp_error **err);

/* Queues the `n` attempts (struct exec_ctx *, consumed: the worker that
 * runs one hands it on as exec__attempt_work() does) in order, and wakes
 * a thread if one is waiting. Coordinator thread. Can't fail. */
void exec_pool_push(struct exec_pool *p, void *const *ctxs, unsigned n);

/* Stops the pool: the threads run what is still queued, then end. With
 * `wait` it returns once they have ended and frees the pool; without, it
 * returns at once and the last thread to end frees it (for calls that
 * may never return soon: abandoned ones). Accepts NULL. */
void exec_pool_free(struct exec_pool *p, bool wait);

#endif
