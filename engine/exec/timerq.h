/* timerq.h: a timer queue for the executor, a binary min-heap of entries
 * keyed by due time.
 *
 * Entries are intrusive (embedded in the object they time, found back with
 * G_STRUCT_MEMBER_P-style arithmetic by the caller), so adding and removing
 * allocate nothing but the heap array. Entries with the same due time come
 * out in the order they were added. Times are g_get_monotonic_time() us.
 * Not thread-safe: the executor's coordinator thread owns its queue.
 */
#ifndef BP_EXEC_TIMERQ_H
#define BP_EXEC_TIMERQ_H

#include <stdbool.h>
#include <glib.h>

struct exec_timerq_entry {
	gint64 due;    /* when it fires */
	guint64 seq;   /* order of adding, breaks ties between equal dues */
	guint pos;     /* index in the heap + 1; 0 when not queued */
};

struct exec_timerq {
	struct exec_timerq_entry **heap;
	guint len;
	guint alloc;
	guint64 next_seq;
};

/* Initialises an empty queue. Can't fail. */
void exec_timerq_init(struct exec_timerq *q);
/* Frees the heap array (not the entries, which the queue never owns) and
 * leaves the queue empty and usable. */
void exec_timerq_release(struct exec_timerq *q);

/* Queues `e` (transfer none: it must stay alive while queued) to fire at
 * `due`. `e` must not be queued already. Can't fail. */
void exec_timerq_add(struct exec_timerq *q, struct exec_timerq_entry *e,
		     gint64 due);
/* Removes `e` from the queue; no-op when it is not queued. */
void exec_timerq_remove(struct exec_timerq *q, struct exec_timerq_entry *e);

/* The due time of the earliest entry, or G_MAXINT64 when empty. */
gint64 exec_timerq_next_due(const struct exec_timerq *q);
/* Removes and returns (transfer none) the earliest entry if it is due at or
 * before `now`, else returns NULL. */
struct exec_timerq_entry *exec_timerq_pop_due(struct exec_timerq *q,
					      gint64 now);

static inline bool exec_timerq_queued(const struct exec_timerq_entry *e)
{
	return e->pos != 0;
}

#endif
