/* dupop.c: a test plugin that declares one operation twice. */
#include "blueprint/plugin.h"

static int op_a(bp_ctx *ctx)
{
	return BP_OK;
}

static const struct bp_op dupop_ops[] = {
	{ "create", op_a },
	{ "delete", op_a },
	{ "create", op_a },
	{ NULL, NULL },
};

BP_PLUGIN_DEFINE("dupop", "1.0.0", dupop_ops, NULL, NULL);
