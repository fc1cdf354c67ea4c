/* load.c: loading a blueprint for a command: the type directories, the
 * loader, the model, the -i inputs; and printing what was wrong with it. */
#include "cli/cli.h"
#include "dsl/service.h"
#include "model/func.h"
#include "model/model.h"
#include "model/value.h"

bool cli_load(const char *file, char **inputs, bool resolve,
	      struct cli_blueprint *out, struct bp_diags *diags)
{
	g_auto(GStrv) dirs = cli_types_dirs();
	struct dsl_load_options opts = { (const char *const *)dirs };
	struct dsl_service *svc;
	struct bp_error *err = NULL;
	bool given = inputs && inputs[0];

	*out = (struct cli_blueprint){ 0 };
	if (given) {
		out->inputs_doc = model_inputs_parse((const char *const *)inputs,
						     &err);
		if (!out->inputs_doc) {
			bp_diags_take(diags, err);
			return false;
		}
	}
	svc = dsl_load(file, &opts, diags);
	if (!svc)
		return false;
	out->model = model_build(svc, diags);
	if (!out->model)
		return false;
	if (!resolve && !given)
		return true;
	out->inputs = model_inputs_resolve(out->model, out->inputs_doc ?
					   out->inputs_doc->root : NULL,
					   resolve, diags);
	if (!out->inputs ||
	    !model_bind_instances(out->model, out->inputs, diags))
		return false;
	return model_check_with_inputs(out->model, out->inputs, diags);
}

void cli_blueprint_release(struct cli_blueprint *bp)
{
	if (bp->inputs)
		g_hash_table_unref(bp->inputs);
	model_free(bp->model);
	dsl_doc_free(bp->inputs_doc);
	*bp = (struct cli_blueprint){ 0 };
}

void cli_print_diags(const struct cli_ctx *ctx, struct bp_diags *diags)
{
	unsigned n = bp_diags_count(diags);

	bp_diags_sort(diags);
	for (guint i = 0; i < diags->errors->len; i++) {
		g_autofree char *s = bp_error_format(diags->errors->pdata[i]);
		fprintf(stderr, "%s\n", s);
	}
	if (diags->dropped)
		fprintf(stderr, "%s: %u more errors not shown (--max-errors)\n",
			ctx->prog, diags->dropped);
	fprintf(stderr, "%u error%s\n", n, n == 1 ? "" : "s");
}
