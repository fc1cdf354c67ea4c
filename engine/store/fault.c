/* fault.c: the store's I/O fault injection, for tests.
 *
 * A process-wide countdown: store_fault_arm(n) makes the nth database call
 * after it fail (SQLite's FAULTSIM, curl's torture tests). Backends ask
 * store__fault_hit() before each call. Lock-free, so threads may race on
 * it; exactly one call sees the fault.
 */
#include "store/backend.h"
#include "store/store.h"

static gint fault_countdown;   /* calls left until the fault; 0 = disarmed */
static gint fault_fired;

void store_fault_arm(unsigned nth)
{
	if (nth)
		g_atomic_int_set(&fault_fired, 0);
	g_atomic_int_set(&fault_countdown, (gint)MIN(nth, (unsigned)G_MAXINT));
}

bool store_fault_fired(void)
{
	return g_atomic_int_get(&fault_fired) != 0;
}

bool store__fault_hit(void)
{
	for (;;) {
		gint n = g_atomic_int_get(&fault_countdown);

		if (n <= 0)
			return false;
		if (!g_atomic_int_compare_and_exchange(&fault_countdown, n,
						       n - 1))
			continue;
		if (n != 1)
			return false;
		g_atomic_int_set(&fault_fired, 1);
		return true;
	}
}
