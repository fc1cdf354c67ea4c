/* script.c: a stand-in for the script runner plugin in tests: operation
 * "run" reports the script path it was given, as the real one receives it
 * (PLUGIN_SCRIPT_INPUT in engine/plugin/ref.h). */
#include "blueprint/plugin.h"

static int op_run(bp_ctx *ctx)
{
	const char *p = bp_get_string(ctx, BP_SCOPE_INPUTS, "script_path");

	if (!p)
		return bp_fail_fatal(ctx, "no 'script_path' input");
	bp_output_set_string(ctx, "script_path", p);
	return BP_OK;
}

static const struct bp_op script_ops[] = {
	{ "run", op_run },
	{ NULL, NULL },
};

BP_PLUGIN_DEFINE("script", "0.0.1", script_ops, NULL, NULL);
