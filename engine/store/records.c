/* records.c: freeing store records and the stored names of their enums.
 * See records.h. */
#include "store/records.h"

#include <string.h>

static const char *const instance_state_names[] = {
	"initial", "creating", "created", "configuring", "configured",
	"starting", "started", "stopping", "stopped", "deleting", "deleted",
};
static const char *const exec_status_names[] = {
	"pending", "started", "succeeded", "failed", "cancelling", "cancelled",
};
static const char *const task_state_names[] = {
	"pending", "sent", "succeeded", "failed", "retrying",
};
static const char *const event_level_names[] = {
	"debug", "info", "warning", "error",
};
static const char *const mod_status_names[] = {
	"started", "finished", "rolled_back",
};

G_STATIC_ASSERT(G_N_ELEMENTS(instance_state_names) == STORE_INSTANCE_STATE_LAST);
G_STATIC_ASSERT(G_N_ELEMENTS(exec_status_names) == STORE_EXEC_STATUS_LAST);
G_STATIC_ASSERT(G_N_ELEMENTS(task_state_names) == STORE_TASK_STATE_LAST);
G_STATIC_ASSERT(G_N_ELEMENTS(event_level_names) == STORE_LEVEL_LAST);
G_STATIC_ASSERT(G_N_ELEMENTS(mod_status_names) == STORE_MOD_STATUS_LAST);

static const char *name_of(const char *const *names, size_t n, unsigned v)
{
	return v < n ? names[v] : NULL;
}

/* Index of `s` in `names`, or -1. */
static int index_of(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

#define NAMES(table) table, G_N_ELEMENTS(table)

const char *store_instance_state_name(enum store_instance_state v)
{
	return name_of(NAMES(instance_state_names), v);
}

const char *store_exec_status_name(enum store_exec_status v)
{
	return name_of(NAMES(exec_status_names), v);
}

const char *store_task_state_name(enum store_task_state v)
{
	return name_of(NAMES(task_state_names), v);
}

const char *store_event_level_name(enum store_event_level v)
{
	return name_of(NAMES(event_level_names), v);
}

const char *store_mod_status_name(enum store_mod_status v)
{
	return name_of(NAMES(mod_status_names), v);
}

/* Sets *out (an enum of any type, passed as its int) when `s` is known. */
#define PARSE(table, s, out)                                   \
	do {                                                   \
		int i_ = index_of(NAMES(table), (s));          \
		if (i_ < 0)                                    \
			return false;                          \
		*(out) = i_;                                   \
		return true;                                   \
	} while (0)

bool store_instance_state_parse(const char *s, enum store_instance_state *out)
{
	PARSE(instance_state_names, s, out);
}

bool store_exec_status_parse(const char *s, enum store_exec_status *out)
{
	PARSE(exec_status_names, s, out);
}

bool store_task_state_parse(const char *s, enum store_task_state *out)
{
	PARSE(task_state_names, s, out);
}

bool store_event_level_parse(const char *s, enum store_event_level *out)
{
	PARSE(event_level_names, s, out);
}

bool store_mod_status_parse(const char *s, enum store_mod_status *out)
{
	PARSE(mod_status_names, s, out);
}

bool store_exec_status_finished(enum store_exec_status v)
{
	return v == STORE_EXEC_SUCCEEDED || v == STORE_EXEC_FAILED ||
	       v == STORE_EXEC_CANCELLED;
}

void store_deployment_free(struct store_deployment *d)
{
	if (!d)
		return;
	g_free((char *)d->id);
	g_free((char *)d->blueprint_path);
	g_free((char *)d->blueprint_hash);
	json_decref(d->inputs);
	json_decref(d->outputs);
	g_free(d);
}

void store_instance_free(struct store_instance *i)
{
	if (!i)
		return;
	g_free((char *)i->id);
	g_free((char *)i->deployment);
	g_free((char *)i->node);
	g_free((char *)i->host_id);
	json_decref(i->runtime_props);
	json_decref(i->scaling_groups);
	g_free(i);
}

void store_relationship_free(struct store_relationship *r)
{
	if (!r)
		return;
	g_free((char *)r->deployment);
	g_free((char *)r->source_id);
	g_free((char *)r->target_id);
	g_free((char *)r->type);
	g_free((char *)r->name);
	g_free(r);
}

void store_execution_free(struct store_execution *e)
{
	if (!e)
		return;
	g_free((char *)e->id);
	g_free((char *)e->deployment);
	g_free((char *)e->workflow);
	json_decref(e->parameters);
	g_free((char *)e->command);
	g_free((char *)e->error);
	g_free(e);
}

void store_task_free(struct store_task *t)
{
	if (!t)
		return;
	g_free((char *)t->execution);
	g_free((char *)t->key);
	g_free((char *)t->instance_id);
	g_free((char *)t->target_id);
	g_free((char *)t->operation);
	g_free((char *)t->message);
	json_decref(t->outputs);
	g_free(t);
}

void store_event_free(struct store_event *e)
{
	if (!e)
		return;
	g_free((char *)e->deployment);
	g_free((char *)e->execution);
	g_free((char *)e->instance_id);
	g_free((char *)e->operation);
	g_free((char *)e->type);
	g_free((char *)e->message);
	json_decref(e->data);
	g_free(e);
}

void store_modification_free(struct store_modification *m)
{
	if (!m)
		return;
	g_free((char *)m->id);
	g_free((char *)m->deployment);
	g_free((char *)m->kind);
	json_decref(m->added);
	json_decref(m->removed);
	g_free(m);
}
