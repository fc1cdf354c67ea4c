/* prepare.c: what a workflow run works out once, before its steps, instead
 * of once per operation call: each implementation's plugin reference
 * (parsing one looks at the file system) and each node's properties
 * statically evaluated (get_input, get_property, concat ... resolved; the
 * runtime calls, get_secret and get_attribute, are left for the call).
 * A reference is per operation and node (an implementation may name one
 * of the node's artifacts). Built on the coordinator before any worker
 * runs, then only read. A
 * reference or property that does not work out here is left out: the step
 * does it again and reports the error as its own failure. */
#include "exec/internal.h"
#include "plugin/ref.h"

static void ref_free(gpointer p)
{
	plugin_ref_release(p);
	g_free(p);
}

/* The key of an operation's reference (transfer full): its
 * implementation's text when that is all the reference depends on, which
 * parses it (and looks for a file of that name) once for every node that
 * uses it; else the operation and the node whose artifacts it may name
 * (NULL for a relationship's). */
static char *ref_key(const struct model_operation *op,
		     const struct model_node *node)
{
	if (!dsl_is_map(op->impl_node) && op->implementation &&
	    !(node && dsl_map_get(node->artifacts, op->implementation)))
		return g_strconcat("=", op->implementation, NULL);
	return g_strdup_printf("@%p/%p", (const void *)op, (const void *)node);
}

static void add_ref(struct exec_wfrun *run, const struct model_operation *op,
		    const struct model_node *node)
{
	struct plugin_ref_env renv = { run->d->blueprint_dir, NULL,
				       run->d->model, node };
	struct plugin_ref *ref;
	char *key = ref_key(op, node);

	if (g_hash_table_contains(run->refs, key)) {
		g_free(key);
		return;
	}
	ref = g_new0(struct plugin_ref, 1);
	if (!plugin_ref_parse_op(ref, op, &renv, NULL)) {
		g_free(ref);
		ref = NULL;
	}
	g_hash_table_insert(run->refs, key, ref);
}

/* name -> statically evaluated value of every property of `n`, or NULL
 * when one of them does not evaluate. */
static GHashTable *static_props(struct exec_wfrun *run,
				const struct model_node *n)
{
	GHashTable *out = g_hash_table_new(g_str_hash, g_str_equal);
	struct model_scope scope = { 0 };
	GHashTableIter it;
	gpointer k, v;

	scope.ctx = MODEL_CTX_NODE;
	scope.node = n;
	scope.inputs = run->d->inputs;
	scope.doc = run->doc;
	g_hash_table_iter_init(&it, n->props);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const struct dsl_node *st = model_eval_static(run->d->model,
							      &scope, v, NULL);
		if (!st) {
			g_hash_table_unref(out);
			return NULL;
		}
		g_hash_table_insert(out, k, (gpointer)st);
	}
	return out;
}

static void add_props(struct exec_wfrun *run, const struct plan_instance *in)
{
	if (in && !g_hash_table_contains(run->node_props, in->node))
		g_hash_table_insert(run->node_props, (gpointer)in->node,
				    static_props(run, in->node));
}

void exec__prepare(struct exec_wfrun *run)
{
	run->doc = model_eval_doc_new();
	run->refs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					  ref_free);
	run->node_props = g_hash_table_new_full(NULL, NULL, NULL,
					   (GDestroyNotify)g_hash_table_unref);
	for (guint i = 0; i < run->g->steps->len; i++) {
		const struct wf_step *s = run->g->steps->pdata[i];
		if (!s->op || !s->op->implementation)
			continue;
		add_ref(run, s->op, s->rel || !s->instance ? NULL :
			s->instance->node);
		if (s->rel) {
			add_props(run, s->rel->source);
			add_props(run, s->rel->target);
		} else {
			add_props(run, s->instance);
		}
	}
}

void exec__prepared_release(struct exec_wfrun *run)
{
	g_clear_pointer(&run->refs, g_hash_table_unref);
	g_clear_pointer(&run->node_props, g_hash_table_unref);
	g_clear_pointer(&run->doc, dsl_doc_free);
}

const struct plugin_ref *exec__ref(const struct exec_wfrun *run,
				   const struct model_operation *op,
				   const struct model_node *node)
{
	g_autofree char *key = NULL;

	if (!run->refs)
		return NULL;
	key = ref_key(op, node);
	return g_hash_table_lookup(run->refs, key);
}

GHashTable *exec__props(const struct exec_wfrun *run,
			const struct model_node *n)
{
	return run->node_props ? g_hash_table_lookup(run->node_props, n) : NULL;
}
