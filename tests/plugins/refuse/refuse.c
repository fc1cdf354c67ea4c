/* refuse.c: a test plugin whose load hook refuses, with its own message. */
#include "blueprint/plugin.h"

static bool refuse_load(const struct bp_api *api, void **state, char **errmsg)
{
	*errmsg = api->strdupf("needs %s", "a licence file");
	return false;
}

static int op_never(bp_ctx *ctx)
{
	return BP_OK;
}

static const struct bp_op refuse_ops[] = {
	{ "never", op_never },
	{ NULL, NULL },
};

BP_PLUGIN_DEFINE("refuse", "1.0.0", refuse_ops, refuse_load, NULL);
