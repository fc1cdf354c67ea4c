/* deploy.c: a deployment's life in the store: created from a model and its
 * inputs (plan -> store), loaded back (store -> model and plan), freed. */
#include "exec/internal.h"
#include "dsl/service.h"
#include "model/func.h"
#include "model/value.h"

#include <string.h>

static char *file_digest(const char *path, struct bp_error **err)
{
	g_autofree char *buf = NULL;
	gsize len;
	GError *gerr = NULL;

	if (!g_file_get_contents(path, &buf, &len, &gerr)) {
		bp_error_set(err, BP_ERR_IO, NULL, NULL, "cannot read '%s': %s",
			     path, gerr->message);
		g_error_free(gerr);
		return NULL;
	}
	return g_compute_checksum_for_data(G_CHECKSUM_SHA256,
					   (const guchar *)buf, len);
}

static struct exec_deployment *deployment_alloc(const char *id,
						const char *path,
						struct model *m)
{
	struct exec_deployment *d = g_new0(struct exec_deployment, 1);
	g_autofree char *abs = g_canonicalize_filename(path, NULL);

	d->id = g_strdup(id);
	d->blueprint_dir = g_path_get_dirname(abs);   /* absolute, as
							 plugin.h promises */
	d->model = m;
	g_mutex_init(&d->lock);
	d->state = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	d->runtime = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					   (GDestroyNotify)json_decref);
	return d;
}

void exec_deployment_free(struct exec_deployment *d)
{
	if (!d)
		return;
	plan_free(d->plan);
	if (d->inputs)
		g_hash_table_unref(d->inputs);
	model_free(d->model);
	dsl_doc_free(d->inputs_doc);
	json_decref(d->inputs_json);
	g_hash_table_unref(d->state);
	g_hash_table_unref(d->runtime);
	g_mutex_clear(&d->lock);
	g_free(d->blueprint_dir);
	g_free(d->id);
	g_free(d);
}

enum store_instance_state exec_deployment_state(struct exec_deployment *d,
						const char *instance_id)
{
	gpointer v;

	g_mutex_lock(&d->lock);
	v = g_hash_table_lookup(d->state, instance_id);
	g_mutex_unlock(&d->lock);
	return (enum store_instance_state)GPOINTER_TO_UINT(v);
}

static const char *state_of(const struct plan_instance *i, void *data)
{
	return store_instance_state_name(exec_deployment_state(data, i->id));
}

void exec_deployment_states(struct exec_deployment *d,
			    struct wf_state_lookup *out)
{
	out->state = state_of;
	out->data = d;
}

static json_t *inputs_to_json(GHashTable *inputs)
{
	json_t *o = json_object();
	GHashTableIter it;
	gpointer k, v;

	g_hash_table_iter_init(&it, inputs);
	while (g_hash_table_iter_next(&it, &k, &v))
		json_object_set_new(o, k, model_value_to_json(v));
	return o;
}

struct store_instance *exec__instance_record(const struct exec_deployment *d,
					     const struct plan_instance *in)
{
	struct store_instance *si = g_new0(struct store_instance, 1);
	json_t *groups = json_array();

	for (unsigned g = 0; g < d->plan->ngroups; g++)
		json_array_append_new(groups, json_integer(in->groups[g]));
	si->id = g_strdup(in->id);
	si->deployment = g_strdup(d->id);
	si->node = g_strdup(in->node->name);
	si->host_id = g_strdup(in->host ? in->host->id : NULL);
	si->state = STORE_INSTANCE_INITIAL;
	si->runtime_props = json_object();
	si->scaling_groups = groups;
	si->index = in->seq;
	return si;
}

struct store_relationship *exec__rel_record(const struct exec_deployment *d,
					    const struct plan_rel *r)
{
	struct store_relationship *sr = g_new0(struct store_relationship, 1);

	sr->deployment = g_strdup(d->id);
	sr->source_id = g_strdup(r->source->id);
	sr->target_id = g_strdup(r->target->id);
	sr->type = g_strdup(r->rel->type->name);
	sr->index = r->rel->index;
	sr->name = g_strdup(r->rel->name);
	return sr;
}

void exec__track(struct exec_deployment *d, const char *id)
{
	g_mutex_lock(&d->lock);
	g_hash_table_insert(d->state, g_strdup(id),
			    GUINT_TO_POINTER(STORE_INSTANCE_INITIAL));
	g_hash_table_insert(d->runtime, g_strdup(id), json_object());
	g_mutex_unlock(&d->lock);
}

void exec__untrack(struct exec_deployment *d, const char *id)
{
	g_mutex_lock(&d->lock);
	g_hash_table_remove(d->state, id);
	g_hash_table_remove(d->runtime, id);
	g_mutex_unlock(&d->lock);
}

/* The store's records of a plan's instances and relationships. */
static void plan_records(struct exec_deployment *d, GPtrArray *insts,
			 GPtrArray *rels)
{
	const struct plan *p = d->plan;

	for (guint i = 0; i < p->instances->len; i++) {
		const struct plan_instance *in = p->instances->pdata[i];
		g_ptr_array_add(insts, exec__instance_record(d, in));
		for (guint k = 0; k < in->rels->len; k++)
			g_ptr_array_add(rels, exec__rel_record(d,
							       in->rels->pdata[k]));
	}
}

struct exec_deployment *exec_deployment_draft(const char *id, const char *path,
					      struct model *m,
					      struct dsl_doc *inputs_doc,
					      GHashTable *inputs,
					      struct bp_error **err)
{
	g_autoptr(exec_deployment) d = deployment_alloc(id, path, m);

	d->inputs_doc = inputs_doc;
	d->inputs = inputs;
	if (!store_deployment_id_valid(id)) {
		bp_error_set(err, BP_ERR_USAGE, NULL, NULL, "invalid deployment "
			     "name '%s'; use letters, digits, '.', '-' and '_'",
			     id);
		return NULL;
	}
	d->inputs_json = inputs_to_json(inputs);
	d->plan = plan_build(m, 0);
	for (guint i = 0; i < d->plan->instances->len; i++)
		exec__track(d, ((const struct plan_instance *)
				d->plan->instances->pdata[i])->id);
	return g_steal_pointer(&d);
}

struct exec_deployment *exec_deployment_new(struct exec_env *env,
					    const char *id, const char *path,
					    struct model *m,
					    struct dsl_doc *inputs_doc,
					    GHashTable *inputs,
					    struct bp_error **err)
{
	g_autoptr(exec_deployment) d = exec_deployment_draft(id, path, m,
							    inputs_doc, inputs,
							    err);
	g_autoptr(GPtrArray) insts = g_ptr_array_new_with_free_func(
		(GDestroyNotify)store_instance_free);
	g_autoptr(GPtrArray) rels = g_ptr_array_new_with_free_func(
		(GDestroyNotify)store_relationship_free);
	g_autofree char *digest = NULL;
	struct store_deployment rec = { 0 };

	if (!d)
		return NULL;
	digest = file_digest(path, err);
	if (!digest)
		return NULL;
	plan_records(d, insts, rels);
	rec.id = id;
	rec.blueprint_path = path;
	rec.blueprint_hash = digest;
	rec.inputs = d->inputs_json;
	if (!store_begin(env->store, err))
		return NULL;
	if (!store_deployment_create(env->store, &rec, err) ||
	    !store_instance_insert(env->store, insts, err) ||
	    !store_relationship_insert(env->store, rels, err) ||
	    !store_commit(env->store, err)) {
		store_rollback(env->store);
		return NULL;
	}
	return g_steal_pointer(&d);
}

/* The stored inputs as a YAML document (JSON is YAML) for the model. */
static struct dsl_doc *inputs_doc_of(const json_t *inputs,
				     struct bp_error **err)
{
	g_autofree char *text = json_dumps(inputs, JSON_COMPACT);

	return dsl_parse_string("<deployment inputs>", text, strlen(text), err);
}

/* Rebuilds the plan from the stored instances and relationships. */
static bool restore_plan(struct exec_deployment *d, GPtrArray *insts,
			 GPtrArray *rels, struct bp_error **err)
{
	g_autofree struct plan_record *pi = g_new0(struct plan_record,
						   insts->len + 1);
	g_autofree struct plan_rel_record *pr = g_new0(struct plan_rel_record,
						       rels->len + 1);
	g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; i < insts->len; i++) {
		const struct store_instance *si = insts->pdata[i];
		size_t n = json_array_size(si->scaling_groups);
		int *g = g_new0(int, n + 1);

		for (size_t k = 0; k < n; k++)
			g[k] = (int)json_integer_value(
				json_array_get(si->scaling_groups, k));
		g_ptr_array_add(groups, g);
		pi[i].id = si->id;
		pi[i].node = si->node;
		pi[i].host_id = si->host_id;
		pi[i].groups = n ? g : NULL;
		pi[i].ngroups = (unsigned)n;
		pi[i].seq = (unsigned)si->index;
		g_hash_table_insert(d->state, g_strdup(si->id),
				    GUINT_TO_POINTER(si->state));
		g_hash_table_insert(d->runtime, g_strdup(si->id),
				    json_incref(si->runtime_props));
	}
	for (guint i = 0; i < rels->len; i++) {
		const struct store_relationship *sr = rels->pdata[i];
		pr[i].source_id = sr->source_id;
		pr[i].target_id = sr->target_id;
		pr[i].index = (unsigned)sr->index;
	}
	d->plan = plan_restore(d->model, pi, insts->len, pr, rels->len, 0,
			       err);
	return d->plan != NULL;
}

struct exec_deployment *exec_deployment_open(struct exec_env *env,
					     const char *id,
					     struct bp_error **err)
{
	g_autoptr(store_deployment) rec = NULL;
	g_autoptr(exec_deployment) d = NULL;
	g_autoptr(GPtrArray) insts = NULL;
	g_autoptr(GPtrArray) rels = NULL;
	g_autofree char *digest = NULL;
	struct dsl_load_options opts = { env->types_dirs };
	struct dsl_service *svc;
	struct model *m;
	struct bp_diags diags;

	if (!store_deployment_get(env->store, id, &rec, err))
		return NULL;
	digest = file_digest(rec->blueprint_path, err);
	if (!digest)
		return (void)bp_error_prefix(err, "deployment '%s'", id), NULL;
	if (g_strcmp0(digest, rec->blueprint_hash)) {
		bp_error_set(err, BP_ERR_CONFLICT, NULL, NULL, "the blueprint "
			     "'%s' of deployment '%s' changed since it was "
			     "installed", rec->blueprint_path, id);
		return NULL;
	}
	bp_diags_init(&diags, 1);
	svc = dsl_load(rec->blueprint_path, &opts, &diags);
	m = svc ? model_build(svc, &diags) : NULL;
	if (!m) {
		bp_diags_to_error(&diags, err);
		bp_diags_release(&diags);
		return NULL;
	}
	d = deployment_alloc(id, rec->blueprint_path, m);
	d->inputs_json = json_incref(rec->inputs);
	d->inputs_doc = inputs_doc_of(rec->inputs, err);
	if (!d->inputs_doc) {
		bp_diags_release(&diags);
		return NULL;
	}
	d->inputs = model_inputs_resolve(m, d->inputs_doc->root, true, &diags);
	if (!d->inputs || !model_bind_instances(m, d->inputs, &diags)) {
		bp_diags_to_error(&diags, err);
		bp_diags_release(&diags);
		return NULL;
	}
	bp_diags_release(&diags);
	if (!store_instance_list(env->store, id, NULL, &insts, err) ||
	    !store_relationship_list(env->store, id, NULL, NULL, &rels, err) ||
	    !restore_plan(d, insts, rels, err))
		return NULL;
	return g_steal_pointer(&d);
}
