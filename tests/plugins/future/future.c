/* future.c: a test plugin built for the next major ABI. Its descriptor is
 * written by hand, as a plugin compiled against a plugin.h with
 * BP_ABI_MAJOR + 1 would have it, so the engine must refuse it before
 * reading anything past the ABI fields. */
#include "blueprint/plugin.h"

static const struct bp_plugin_desc future_desc = {
	BP_ABI_MAJOR + 1, 0, (uint32_t)sizeof(struct bp_plugin_desc), 0,
	"future", "9.0.0", NULL, NULL, NULL,
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
};

const struct bp_plugin_desc *bp_plugin_entry(void)
{
	return &future_desc;
}
