/* cmd_outputs.c: `blueprint outputs [-d NAME] [--json]`: the values of a
 * deployment's outputs now. The blueprint is loaded again with the
 * deployment's stored inputs, and each output is evaluated: the static
 * functions by the model, the runtime ones (get_attribute,
 * get_operation_output, get_secret) from the store: runtime properties,
 * task outputs and secrets. Outputs are shown as the blueprint asks, even
 * one that is a secret. */
#include "cli/cli.h"
#include "cli/output.h"
#include "dsl/node.h"
#include "model/func.h"
#include "model/model.h"
#include "model/value.h"
#include "store/store.h"

#include <string.h>

static const char usage[] = "[-d NAME] [--json]";
static const char summary[] =
	"Print the outputs of a deployment, one 'name: value' per line (or a\n"
	"JSON object), evaluated now from its blueprint, inputs and the\n"
	"runtime properties of its instances.";

/* What the runtime callbacks read: one deployment's records. */
struct outputs_rt {
	struct store *s;
	const char *deployment;
	const struct model *m;
	GHashTable *inputs;          /* the resolved inputs */
	struct dsl_doc *doc;         /* for static evaluation */
	GPtrArray *instances;        /* of struct store_instance * */
};

static const struct store_instance *instance_by_id(struct outputs_rt *o,
						   const char *id)
{
	for (guint i = 0; i < o->instances->len; i++) {
		const struct store_instance *in = o->instances->pdata[i];
		if (!strcmp(in->id, id))
			return in;
	}
	return NULL;
}

static char **list_instances(void *data, const char *node,
			     struct bp_error **err)
{
	struct outputs_rt *o = data;
	GPtrArray *ids = g_ptr_array_new();

	for (guint i = 0; i < o->instances->len; i++) {
		const struct store_instance *in = o->instances->pdata[i];
		if (!strcmp(in->node, node))
			g_ptr_array_add(ids, g_strdup(in->id));
	}
	g_ptr_array_add(ids, NULL);
	return (char **)g_ptr_array_free(ids, FALSE);
}

/* Outputs have no instance of their own to say which copy of a node they
 * mean, so a node must have exactly one. */
static char *find_instance(void *data, const char *node,
			   struct bp_error **err)
{
	g_auto(GStrv) ids = list_instances(data, node, err);
	guint n = g_strv_length(ids);

	if (n == 1)
		return g_strdup(ids[0]);
	bp_error_set(err, BP_ERR_INVALID, NULL, NULL, "node '%s' has %u "
		     "instances; get_attribute in outputs needs one", node, n);
	return NULL;
}

/* A property written in the blueprint, as JSON: `v` evaluated in the
 * scope of node `node`. */
static json_t *property_json(struct outputs_rt *o,
			     const struct model_node *node,
			     const struct dsl_node *v, struct bp_error **err)
{
	struct model_scope scope = { .ctx = MODEL_CTX_NODE, .node = node,
				     .inputs = o->inputs, .doc = o->doc };
	struct dsl_node *value = model_eval_static(o->m, &scope, v, err);

	return value ? model_value_to_json(value) : NULL;
}

/* A runtime property of the instance, else the property of that name of
 * its node (or of the node's capability), else null. */
static json_t *get_attribute(void *data, const char *instance,
			     const char *capability, const char *name,
			     struct bp_error **err)
{
	struct outputs_rt *o = data;
	const struct store_instance *in = instance_by_id(o, instance);
	const struct model_node *node;
	GHashTable *props;
	json_t *v;
	const struct dsl_node *prop;

	if (!in) {
		bp_error_set(err, BP_ERR_NOT_FOUND, NULL, NULL, "no node "
			     "instance '%s' in deployment '%s'", instance,
			     o->deployment);
		return NULL;
	}
	if (!capability && (v = json_object_get(in->runtime_props, name)))
		return json_incref(v);
	node = model_node_find(o->m, in->node);
	props = !node ? NULL : capability ?
		g_hash_table_lookup(node->caps, capability) : node->props;
	prop = props ? g_hash_table_lookup(props, name) : NULL;
	return prop ? property_json(o, node, prop, err) : json_null();
}

static json_t *get_operation_output(void *data, const char *instance,
				    const char *iface, const char *op,
				    const char *output, struct bp_error **err)
{
	struct outputs_rt *o = data;
	g_autofree char *operation = g_strconcat(iface, ".", op, NULL);
	g_autoptr(bp_error) e = NULL;
	json_t *outputs = NULL, *v;

	if (!store_task_outputs(o->s, o->deployment, instance, operation,
				&outputs, &e)) {
		if (e->code == BP_ERR_NOT_FOUND)
			return json_null();
		bp_error_propagate(err, g_steal_pointer(&e));
		return NULL;
	}
	v = json_object_get(outputs, output);
	v = v ? json_incref(v) : json_null();
	json_decref(outputs);
	return v;
}

static json_t *get_secret(void *data, const char *name, struct bp_error **err)
{
	struct outputs_rt *o = data;
	g_autofree char *value = NULL;

	if (!store_secret_get(o->s, name, &value, err))
		return NULL;
	return json_string(value);
}

/* (transfer full) the value of output `item`, or NULL with *err set. */
static json_t *eval_output(struct outputs_rt *o, const struct model_item *item,
			   struct bp_error **err)
{
	g_autofree char *path = g_strconcat("outputs.", item->name, ".value",
					    NULL);
	struct model_scope scope = { .ctx = MODEL_CTX_OUTPUTS,
				     .inputs = o->inputs, .doc = o->doc,
				     .path = path };
	struct model_runtime rt = {
		.m = o->m, .scope = &scope, .data = o,
		.find_instance = find_instance,
		.list_instances = list_instances,
		.get_attribute = get_attribute,
		.get_operation_output = get_operation_output,
		.get_secret = get_secret,
	};
	struct dsl_node *value = model_eval_static(o->m, &scope,
		dsl_map_get(item->entry->def, "value"), err);

	return value ? model_eval_runtime(&rt, value, err) : NULL;
}

/* Loads the deployment's blueprint with its stored inputs (an inline JSON
 * map is an inline YAML map to model_inputs_parse). */
static bool load_blueprint(const struct store_deployment *d,
			   struct cli_blueprint *bp, struct bp_diags *diags)
{
	g_autofree char *inputs = NULL;
	char *args[2] = { NULL, NULL };

	if (d->inputs && json_object_size(d->inputs)) {
		inputs = json_dumps(d->inputs, JSON_COMPACT);
		args[0] = inputs;
	}
	return cli_load(d->blueprint_path, args, true, bp, diags);
}

static void print_text(const char *name, json_t *v)
{
	g_autofree char *text = json_is_string(v) ? NULL :
		json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

	printf("%s: %s\n", name, text ? text : json_string_value(v));
}

/* Evaluates and prints every output; one that fails is reported and the
 * rest still printed. Returns the exit code. */
static int print_outputs(struct outputs_rt *o, bool json,
			 const struct cli_ctx *ctx)
{
	json_t *doc = json_object();
	int rc = CLI_EXIT_OK;

	for (guint i = 0; i < o->m->outputs->len; i++) {
		const struct model_item *item = o->m->outputs->pdata[i];
		struct bp_error *err = NULL;
		json_t *v = eval_output(o, item, &err);
		if (!v) {
			bp_error_prefix(&err, "output '%s'", item->name);
			cli_print_error(ctx, err);
			bp_error_free(err);
			rc = CLI_EXIT_FAILED;
			continue;
		}
		if (!json)
			print_text(item->name, v);
		json_object_set_new(doc, item->name, v);
	}
	if (json)
		cli_print_json(json_incref(doc));
	json_decref(doc);
	return rc;
}

int cmd_outputs(int argc, char **argv, struct cli_ctx *ctx)
{
	g_autofree char *state_dir = NULL, *dep_opt = NULL, *dep = NULL;
	gboolean json = FALSE;
	/* Remember to update the man page when changing the options. */
	const GOptionEntry entries[] = {
		CLI_STATE_OPTIONS(&state_dir, &dep_opt),
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json,
		  "Print the outputs as a JSON object", NULL },
		{ NULL }
	};
	g_autoptr(store) s = NULL;
	g_autoptr(store_deployment) d = NULL;
	g_autoptr(GPtrArray) instances = NULL;
	struct cli_blueprint bp;
	struct bp_diags diags;
	struct bp_error *err = NULL;
	int rc;

	if (!cli_parse_options(ctx, "outputs", usage, summary, entries, &argc,
			       &argv))
		return CLI_EXIT_USAGE;
	if (argc != 1) {
		fprintf(stderr, "usage: %s outputs %s\n", ctx->prog, usage);
		return CLI_EXIT_USAGE;
	}
	if (!cli_state_open(state_dir, &s, &err) ||
	    !cli_deployment_resolve(s, dep_opt, &dep, &err) ||
	    !store_deployment_get(s, dep, &d, &err) ||
	    !store_instance_list(s, dep, NULL, &instances, &err))
		return cli_error_exit(ctx, err);
	bp_diags_init(&diags, CLI_MAX_ERRORS);
	if (load_blueprint(d, &bp, &diags)) {
		struct outputs_rt o = {
			.s = s, .deployment = dep, .m = bp.model,
			.inputs = bp.inputs, .instances = instances,
			.doc = model_eval_doc_new(),
		};
		rc = print_outputs(&o, json, ctx);
		dsl_doc_free(o.doc);
	} else {
		cli_print_diags(ctx, &diags);
		rc = CLI_EXIT_USAGE;
	}
	cli_blueprint_release(&bp);
	bp_diags_release(&diags);
	return rc;
}
