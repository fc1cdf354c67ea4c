/* chain.c: per-instance step chains (wf-int.h). A recipe lists an
 * instance's stages in order: phases that record a state when they start
 * and when they are done, node operations, and relationship operations of
 * every relationship where the instance is the source (both sides, all at
 * once). Each stage waits for the one before it. A saved state skips the
 * stages it says are done. The chains of a part are then ordered along
 * relationships. */
#include "workflow/wf-int.h"

#include <string.h>

#define PHASE(st, lv) { WF_STAGE_PHASE, 0, st, lv }
#define NODE(pt, lv)  { WF_STAGE_NODE, pt, NULL, lv }
#define RELS(pt, lv)  { WF_STAGE_RELS, pt, NULL, lv }
#define DONE(st, lv)  { WF_STAGE_DONE, 0, st, lv }

/* Index of `s` in a NULL-terminated list of states, plus one; 0 if not
 * there. */
static unsigned rank(const char *s, const char *const *list)
{
	for (unsigned k = 0; s && list[k]; k++)
		if (!strcmp(s, list[k]))
			return k + 1;
	return 0;
}

/* Install: created = the creating phase is done, configuring = the
 * preconfigure stage too, ... started = all. */
static unsigned install_level(const char *s)
{
	static const char *const done[] = { "created", "configuring",
		"configured", "starting", "started", NULL };

	return rank(s, done);
}

/* Uninstall: stopped = the stop phase is done, deleting = the unlinks
 * too; deleted, and initial (never created), = all. */
static unsigned uninstall_level(const char *s)
{
	static const char *const done[] = { "stopped", "deleting", "deleted",
		NULL };

	return s && !strcmp(s, "initial") ? 3 : rank(s, done);
}

static unsigned no_level(const char *s)
{
	return 0;
}

static const struct wf_stage install_stages[] = {
	PHASE("creating", 0), NODE(WF_PRECREATE, 0), NODE(WF_CREATE, 0),
	DONE("created", 0),
	RELS(WF_PRECONFIGURE, 1),
	PHASE("configuring", 2), NODE(WF_CONFIGURE, 2), DONE("configured", 2),
	RELS(WF_POSTCONFIGURE, 3),
	PHASE("starting", 4), NODE(WF_START, 4), NODE(WF_POSTSTART, 4),
	RELS(WF_ESTABLISH, 4), DONE("started", 4),
};

static const struct wf_stage uninstall_stages[] = {
	PHASE("stopping", 0), NODE(WF_PRESTOP, 0), NODE(WF_STOP, 0),
	DONE("stopped", 0),
	RELS(WF_UNLINK, 1),
	PHASE("deleting", 2), NODE(WF_DELETE, 2), NODE(WF_POSTDELETE, 2),
	DONE("deleted", 2),
};

static const struct wf_stage start_stages[] = {
	PHASE("starting", 0), NODE(WF_START, 0), NODE(WF_POSTSTART, 0),
	DONE("started", 0),
};

static const struct wf_stage stop_stages[] = {
	PHASE("stopping", 0), NODE(WF_PRESTOP, 0), NODE(WF_STOP, 0),
	DONE("stopped", 0),
};

const struct wf_recipe wf__install_recipe = {
	install_stages, G_N_ELEMENTS(install_stages), install_level, 5
};
const struct wf_recipe wf__uninstall_recipe = {
	uninstall_stages, G_N_ELEMENTS(uninstall_stages), uninstall_level, 3
};
const struct wf_recipe wf__start_recipe = {
	start_stages, G_N_ELEMENTS(start_stages), no_level, 1
};
const struct wf_recipe wf__stop_recipe = {
	stop_stages, G_N_ELEMENTS(stop_stages), no_level, 1
};

/* Building one chain. */
struct chain_build {
	struct wf_part *part;
	struct wf_chain *c;
	GPtrArray *tail;            /* the last stage's steps */
	const char *pending;        /* state_start of the phase, not yet
				       given to a step */
	unsigned phase_steps;       /* steps made since the phase started */
};

/* Appends a stage: each of `steps` waits for each step of the tail. */
static void append(struct chain_build *b, GPtrArray *steps)
{
	struct wf_graph *g = b->part->g;

	for (guint i = 0; i < b->tail->len; i++)
		for (guint k = 0; k < steps->len; k++)
			wf__edge(g, b->tail->pdata[i], steps->pdata[k]);
	if (!b->c->heads->len)
		g_ptr_array_extend(b->c->heads, steps, NULL, NULL);
	g_ptr_array_set_size(b->tail, 0);
	g_ptr_array_extend(b->tail, steps, NULL, NULL);
	b->phase_steps += steps->len;
}

static void append_one(struct chain_build *b, struct wf_step *s)
{
	g_autoptr(GPtrArray) one = g_ptr_array_new();

	g_ptr_array_add(one, s);
	append(b, one);
}

static void stage_node(struct chain_build *b, enum wf_point pt)
{
	struct wf_opref ref;
	struct wf_step *s;

	if (!wf__node_op(b->part->model, b->c->inst->node, pt, &ref))
		return;
	s = wf__op_step(b->part->g, b->c->inst, &ref);
	s->state_start = b->pending;
	b->pending = NULL;
	g_ptr_array_add(b->c->ops, s);
	append_one(b, s);
}

static void stage_rels(struct chain_build *b, enum wf_rel_point pt)
{
	g_autoptr(GPtrArray) steps = g_ptr_array_new();
	GPtrArray *rels = b->c->inst->rels;

	for (guint k = 0; k < rels->len; k++)
		wf__rel_steps(b->part->g, b->part->model, rels->pdata[k], pt,
			      steps);
	if (!steps->len)
		return;
	/* a phase's start is recorded on the instance, not on a peer */
	if (b->pending) {
		append_one(b, wf__state_step(b->part->g, b->c->inst, NULL,
					     b->pending));
		b->pending = NULL;
	}
	append(b, steps);
}

static void stage_done(struct chain_build *b, const char *state)
{
	struct wf_step *last = b->tail->len == 1 ? b->tail->pdata[0] : NULL;

	if (b->phase_steps && last && last->kind == WF_OPERATION)
		last->state_done = state;
	else
		append_one(b, wf__state_step(b->part->g, b->c->inst,
					     b->pending, state));
	b->pending = NULL;
	b->c->last = b->tail->pdata[0];
}

static void chain_free(struct wf_chain *c)
{
	g_ptr_array_unref(c->heads);
	g_ptr_array_unref(c->ops);
	g_free(c);
}

static void build_chain(struct wf_part *part, struct plan_instance *inst,
			const struct wf_recipe *recipe, unsigned level)
{
	g_autoptr(GPtrArray) tail = g_ptr_array_new();
	struct wf_chain *c = g_new0(struct wf_chain, 1);
	struct chain_build b = { part, c, tail, NULL, 0 };

	c->inst = inst;
	c->heads = g_ptr_array_new();
	c->ops = g_ptr_array_new();
	g_hash_table_insert(part->chains, inst, c);
	g_ptr_array_add(part->order, c);
	for (size_t i = 0; i < recipe->nstages; i++) {
		const struct wf_stage *st = &recipe->stages[i];
		if (st->level < level)
			continue;
		switch (st->kind) {
		case WF_STAGE_PHASE:
			b.pending = st->state;
			b.phase_steps = 0;
			break;
		case WF_STAGE_NODE:
			stage_node(&b, (enum wf_point)st->point);
			break;
		case WF_STAGE_RELS:
			stage_rels(&b, (enum wf_rel_point)st->point);
			break;
		case WF_STAGE_DONE:
			stage_done(&b, st->state);
			break;
		case WF_STAGE_KIND_LAST:
			break;
		}
	}
}

void wf__part_init(struct wf_part *part, struct wf_graph *g,
		   const struct model *m)
{
	part->g = g;
	part->model = m;
	part->chains = g_hash_table_new_full(NULL, NULL, NULL,
					     (GDestroyNotify)chain_free);
	part->order = g_ptr_array_new();
}

void wf__part_release(struct wf_part *part)
{
	g_clear_pointer(&part->order, g_ptr_array_unref);
	g_clear_pointer(&part->chains, g_hash_table_unref);
}

struct wf_chain *wf__part_chain(const struct wf_part *part,
				const struct plan_instance *inst)
{
	return g_hash_table_lookup(part->chains, inst);
}

void wf__part_build(struct wf_part *part, const GPtrArray *instances,
		    const struct wf_recipe *recipe,
		    const struct wf_state_lookup *states)
{
	for (guint i = 0; i < instances->len; i++) {
		struct plan_instance *inst = instances->pdata[i];
		unsigned level = recipe->level(
			states ? states->state(inst, states->data) : NULL);
		if (level < recipe->done)
			build_chain(part, inst, recipe, level);
	}
}

void wf__edge_heads(struct wf_graph *g, const struct wf_step *before,
		    const struct wf_chain *c)
{
	for (guint i = 0; i < c->heads->len; i++)
		wf__edge(g, before, c->heads->pdata[i]);
}

void wf__rel_steps(struct wf_graph *g, const struct model *m,
		   struct plan_rel *r, enum wf_rel_point pt, GPtrArray *out)
{
	struct wf_opref ref;

	if (wf__rel_op(m, r->rel, WF_SOURCE, pt, &ref))
		g_ptr_array_add(out, wf__rel_step(g, r, WF_SOURCE, &ref));
	if (wf__rel_op(m, r->rel, WF_TARGET, pt, &ref))
		g_ptr_array_add(out, wf__rel_step(g, r, WF_TARGET, &ref));
}

/* The step of `t` a source waits for through `r`: the named operation
 * for depends_on_lifecycle_operation (NULL when this graph does not run
 * it), else the end of t's chain. */
static struct wf_step *awaited(const struct wf_chain *t,
			       const struct model_rel *r)
{
	const char *name;

	if (!model_type_is_named(r->type, "cloudify.relationships."
				 "depends_on_lifecycle_operation"))
		return t->last;
	name = dsl_str(g_hash_table_lookup(r->props, "operation"));
	for (guint k = 0; name && k < t->ops->len; k++) {
		struct wf_step *s = t->ops->pdata[k];
		size_t n = strlen(s->interface);
		if (!strcmp(name, s->operation) ||
		    (!strncmp(name, s->interface, n) && name[n] == '.' &&
		     !strcmp(name + n + 1, s->operation)))
			return s;
	}
	return NULL;
}

void wf__part_order(struct wf_part *part, bool reverse)
{
	for (guint i = 0; i < part->order->len; i++) {
		struct wf_chain *c = part->order->pdata[i];
		g_autoptr(GHashTable) seen = g_hash_table_new(NULL, NULL);

		for (guint k = 0; k < c->inst->rels->len; k++) {
			struct plan_rel *r = c->inst->rels->pdata[k];
			struct wf_chain *t = wf__part_chain(part, r->target);
			struct wf_step *from;
			/* a peer link (no install order) adds no edge */
			if (!t || !r->rel->orders)
				continue;
			if (reverse) {
				if (g_hash_table_add(seen, t))
					wf__edge_heads(part->g, c->last, t);
				continue;
			}
			from = awaited(t, r->rel);
			if (from && g_hash_table_add(seen, from))
				wf__edge_heads(part->g, from, c);
		}
	}
}
