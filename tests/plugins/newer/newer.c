/* newer.c: a test plugin built for a newer minor ABI than the engine's;
 * the engine must refuse it, since it may call slots the engine lacks. */
#include "blueprint/plugin.h"

static int op_x(bp_ctx *ctx)
{
	return BP_OK;
}

static const struct bp_op newer_ops[] = {
	{ "x", op_x },
	{ NULL, NULL },
};

static const struct bp_plugin_desc newer_desc = {
	BP_ABI_MAJOR, BP_ABI_MINOR + 1, (uint32_t)sizeof(struct bp_plugin_desc),
	0, "newer", "1.0.0", newer_ops, NULL, NULL,
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
};

const struct bp_plugin_desc *bp_plugin_entry(void)
{
	return &newer_desc;
}
