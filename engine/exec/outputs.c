/* outputs.c: a deployment's outputs evaluated now, for `blueprint
 * outputs`: the blueprint's `outputs` with the deployment's inputs, their
 * runtime functions answered by the same callbacks operations use
 * (attrs.c), from the instances' runtime properties and the store. */
#include "exec/internal.h"
#include "dsl/node.h"

/* (transfer full) the value of output `item`, or NULL with *err set. */
static json_t *eval_output(struct exec_attr_ctx *ac, struct dsl_doc *doc,
			   const struct model_item *item,
			   struct bp_error **err)
{
	struct exec_deployment *d = ac->d;
	g_autofree char *path = g_strconcat("outputs.", item->name, ".value",
					    NULL);
	struct model_scope scope = { .ctx = MODEL_CTX_OUTPUTS,
				     .inputs = d->inputs, .doc = doc,
				     .path = path };
	struct model_runtime rt;
	struct dsl_node *value;

	exec__runtime_init(&rt, ac, &scope);
	value = model_eval_static(d->model, &scope,
				  dsl_map_get(item->entry->def, "value"), err);
	return value ? model_eval_runtime(&rt, value, err) : NULL;
}

json_t *exec_deployment_outputs(struct exec_env *env,
				struct exec_deployment *d,
				struct bp_diags *diags)
{
	struct exec_attr_ctx ac = { .env = env, .d = d };
	g_autoptr(dsl_doc) doc = model_eval_doc_new();
	json_t *out = json_object();

	for (guint i = 0; i < d->model->outputs->len; i++) {
		const struct model_item *item = d->model->outputs->pdata[i];
		struct bp_error *err = NULL;
		json_t *v = eval_output(&ac, doc, item, &err);

		if (!v) {
			bp_error_prefix(&err, "output '%s'", item->name);
			bp_diags_take(diags, err);
			continue;
		}
		json_object_set_new(out, item->name, v);
	}
	return out;
}
