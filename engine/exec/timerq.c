/* timerq.c: the executor's timer queue, a binary min-heap of intrusive
 * entries ordered by (due, seq). See timerq.h. */
#include "exec/timerq.h"

static bool entry_before(const struct exec_timerq_entry *a,
			 const struct exec_timerq_entry *b)
{
	return a->due < b->due || (a->due == b->due && a->seq < b->seq);
}

/* Puts `e` at heap index i and records the index in it. */
static void heap_place(struct exec_timerq *q, guint i,
		       struct exec_timerq_entry *e)
{
	q->heap[i] = e;
	e->pos = i + 1;
}

static void sift_up(struct exec_timerq *q, guint i)
{
	struct exec_timerq_entry *e = q->heap[i];

	while (i > 0) {
		guint parent = (i - 1) / 2;

		if (!entry_before(e, q->heap[parent]))
			break;
		heap_place(q, i, q->heap[parent]);
		i = parent;
	}
	heap_place(q, i, e);
}

static void sift_down(struct exec_timerq *q, guint i)
{
	struct exec_timerq_entry *e = q->heap[i];

	for (;;) {
		guint child = 2 * i + 1;

		if (child >= q->len)
			break;
		if (child + 1 < q->len &&
		    entry_before(q->heap[child + 1], q->heap[child]))
			child++;
		if (!entry_before(q->heap[child], e))
			break;
		heap_place(q, i, q->heap[child]);
		i = child;
	}
	heap_place(q, i, e);
}

void exec_timerq_init(struct exec_timerq *q)
{
	q->heap = NULL;
	q->len = 0;
	q->alloc = 0;
	q->next_seq = 0;
}

void exec_timerq_release(struct exec_timerq *q)
{
	for (guint i = 0; i < q->len; i++)
		q->heap[i]->pos = 0;
	g_free(q->heap);
	exec_timerq_init(q);
}

void exec_timerq_add(struct exec_timerq *q, struct exec_timerq_entry *e,
		     gint64 due)
{
	g_return_if_fail(e->pos == 0);
	if (q->len == q->alloc) {
		q->alloc = q->alloc ? 2 * q->alloc : 64;
		q->heap = g_renew(struct exec_timerq_entry *, q->heap,
				  q->alloc);
	}
	e->due = due;
	e->seq = q->next_seq++;
	heap_place(q, q->len++, e);
	sift_up(q, q->len - 1);
}

void exec_timerq_remove(struct exec_timerq *q, struct exec_timerq_entry *e)
{
	guint i;
	struct exec_timerq_entry *last;

	if (e->pos == 0)
		return;
	i = e->pos - 1;
	e->pos = 0;
	last = q->heap[--q->len];
	if (i == q->len)
		return;
	heap_place(q, i, last);
	if (i > 0 && entry_before(last, q->heap[(i - 1) / 2]))
		sift_up(q, i);
	else
		sift_down(q, i);
}

gint64 exec_timerq_next_due(const struct exec_timerq *q)
{
	return q->len ? q->heap[0]->due : G_MAXINT64;
}

struct exec_timerq_entry *exec_timerq_pop_due(struct exec_timerq *q,
					      gint64 now)
{
	struct exec_timerq_entry *e;

	if (q->len == 0 || q->heap[0]->due > now)
		return NULL;
	e = q->heap[0];
	exec_timerq_remove(q, e);
	return e;
}
