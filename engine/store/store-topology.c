/* store-topology.c: the front end of deployments, node instances and
 * relationship instances — the "what exists" half of the store. Each
 * call checks its arguments, takes the handle (store-int.h), stamps times
 * and forwards to the backend. Contracts are in store.h. */
#include "store/store-int.h"

bool store_deployment_create(struct store *s,
			     const struct store_deployment *d,
			     struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = NULL;
	struct store_deployment row = *d;

	if (!store__check_deployment_id(d->id, err) ||
	    !store__require(d->blueprint_path, "a deployment", "blueprint_path",
			    err) ||
	    !store__require(d->blueprint_hash, "a deployment", "blueprint_hash",
			    err) ||
	    !store__require_json(d->inputs, JSON_OBJECT, "a deployment",
				 "inputs", err) ||
	    !store__require_json(d->outputs, JSON_OBJECT, "a deployment",
				 "outputs", err))
		return false;
	row.created_at = row.updated_at = g_get_real_time();
	hold = store__hold(s);
	return s->be->deployment_create(s->be, &row, err);
}

bool store_deployment_get(struct store *s, const char *id,
			  struct store_deployment **out, struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = store__hold(s);

	return s->be->deployment_get(s->be, id, out, err);
}

bool store_deployment_list(struct store *s, GPtrArray **out,
			   struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = store__hold(s);

	return s->be->deployment_list(s->be, out, err);
}

bool store_deployment_set_outputs(struct store *s, const char *id,
				  json_t *outputs, struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = NULL;

	if (!store__require_json(outputs, JSON_OBJECT, "a deployment",
				 "outputs", err))
		return false;
	hold = store__hold(s);
	return s->be->deployment_set_outputs(s->be, id, outputs,
					     g_get_real_time(), err);
}

bool store_deployment_delete(struct store *s, const char *id,
			     struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = store__hold(s);

	return s->be->deployment_delete(s->be, id, err);
}

/* ---- Node instances --------------------------------------------------- */

static bool check_state(enum store_instance_state state, struct bp_error **err)
{
	if (store_instance_state_name(state))
		return true;
	bp_error_set(err, BP_ERR_INVALID, NULL, NULL,
		     "invalid node instance state %d", (int)state);
	return false;
}

static bool check_instance(const struct store_instance *i,
			   struct bp_error **err)
{
	const char *rec = "a node instance";

	return store__require(i->id, rec, "id", err) &&
	       store__require(i->deployment, rec, "deployment", err) &&
	       store__require(i->node, rec, "node", err) &&
	       check_state(i->state, err) &&
	       store__require_json(i->runtime_props, JSON_OBJECT, rec,
				   "runtime_props", err) &&
	       store__require_json(i->scaling_groups, JSON_ARRAY, rec,
				   "scaling_groups", err);
}

bool store_instance_insert(struct store *s, GPtrArray *instances,
			   struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = NULL;

	for (guint k = 0; k < instances->len; k++)
		if (!check_instance(instances->pdata[k], err))
			return false;
	hold = store__hold(s);
	return s->be->instance_insert(s->be, instances, err);
}

bool store_instance_get(struct store *s, const char *deployment,
			const char *id, struct store_instance **out,
			struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = store__hold(s);

	return s->be->instance_get(s->be, deployment, id, out, err);
}

bool store_instance_list(struct store *s, const char *deployment,
			 const char *node, GPtrArray **out,
			 struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = store__hold(s);

	return s->be->instance_list(s->be, deployment, node, out, err);
}

bool store_instance_set_state(struct store *s, const char *deployment,
			      const char *id, enum store_instance_state state,
			      int64_t expect_version, int64_t *version_out,
			      struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = NULL;

	if (!check_state(state, err))
		return false;
	hold = store__hold(s);
	return s->be->instance_set_state(s->be, deployment, id, state,
					 expect_version, version_out, err);
}

bool store_instance_set_props(struct store *s, const char *deployment,
			      const char *id, json_t *props,
			      int64_t expect_version, int64_t *version_out,
			      struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = NULL;

	if (!store__require(props, "a node instance", "runtime_props", err) ||
	    !store__require_json(props, JSON_OBJECT, "a node instance",
				 "runtime_props", err))
		return false;
	hold = store__hold(s);
	return s->be->instance_set_props(s->be, deployment, id, props,
					 expect_version, version_out, err);
}

bool store_instance_delete(struct store *s, const char *deployment,
			   const char *id, struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = store__hold(s);

	return s->be->instance_delete(s->be, deployment, id, err);
}

/* ---- Relationship instances ------------------------------------------- */

static bool check_relationship(const struct store_relationship *r,
			       struct bp_error **err)
{
	const char *rec = "a relationship instance";

	return store__require(r->deployment, rec, "deployment", err) &&
	       store__require(r->source_id, rec, "source_id", err) &&
	       store__require(r->target_id, rec, "target_id", err) &&
	       store__require(r->type, rec, "type", err);
}

bool store_relationship_insert(struct store *s, GPtrArray *rels,
			       struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = NULL;

	for (guint k = 0; k < rels->len; k++)
		if (!check_relationship(rels->pdata[k], err))
			return false;
	hold = store__hold(s);
	return s->be->relationship_insert(s->be, rels, err);
}

bool store_relationship_list(struct store *s, const char *deployment,
			     const char *source_id, const char *target_id,
			     GPtrArray **out, struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = store__hold(s);

	return s->be->relationship_list(s->be, deployment, source_id,
					target_id, out, err);
}

bool store_relationship_delete_touching(struct store *s,
					const char *deployment,
					const char *instance_id,
					unsigned *count_out,
					struct bp_error **err)
{
	g_autoptr(GRecMutexLocker) hold = store__hold(s);

	return s->be->relationship_delete_touching(s->be, deployment,
						   instance_id, count_out, err);
}
