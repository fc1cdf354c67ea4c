/* plan.h: a deployment's instances: the node instances and relationship
 * instances a model becomes, and their changes by scaling.
 *
 * A node template with N instances becomes N node instances; a node
 * contained in a host is multiplied under each instance of the host; the
 * members of a scaling group are multiplied as a unit. Relationship
 * instances: contained_in links an instance to its own host instance;
 * connected_to and depends_on link to every instance of the target
 * (all_to_all) or to one chosen target instance (all_to_one), but never
 * across instances of a shared host or scaling group: two nodes on the
 * same host template connect within each host instance.
 *
 * A plan is made by plan_build() (a new deployment) or plan_restore() (a
 * saved one) and changed by plan_scale(), whose cost follows the change,
 * not the deployment's size: the plan keeps per-node lists, the
 * relationship instances pointing at each instance and the members of each
 * scaling group instance, so nothing rescans every instance.
 *
 * The plan owns its instances. Instance ids are `NODE_xxxxxx` (six
 * lowercase letters or digits), unique within the plan. A plan is not
 * thread-safe: one thread changes it at a time.
 */
#ifndef BP_PLAN_PLAN_H
#define BP_PLAN_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>

#include "model/model.h"
#include "util/error.h"

struct plan_instance;

struct plan_rel {
	struct plan_instance *source;
	struct plan_instance *target;
	const struct model_rel *rel;   /* the template relationship */
};

struct plan_instance {
	char *id;                      /* owned */
	const struct model_node *node;
	struct plan_instance *host;    /* contained_in target, or NULL */
	GPtrArray *rels;               /* of struct plan_rel *, owned, in
					  the order of node->rels */
	GPtrArray *incoming;           /* of struct plan_rel * (borrowed from
					  their sources) that target it */
	GPtrArray *contained;          /* instances hosted here (borrowed) */
	unsigned seq;                  /* creation order in the plan: the
					  newest is scaled in first */
	unsigned pos;                  /* its index in plan->instances */
	int *groups;                   /* owned: per scaling group of the
					  plan, the group instance this
					  instance belongs to, or -1 */
};

/* A scaling group of the plan: a group a scaling policy targets. Its
 * instances are numbered; an instance of the plan belongs to group
 * instance `groups[g]`. */
struct plan_group {
	const char *name;              /* the group (borrowed from the model) */
	const struct model_item *policy;       /* its scaling policy */
	GHashTable *nodes;             /* struct model_node * set: members,
					  through member groups (owned) */
	unsigned default_instances;
	unsigned min_instances;
	unsigned max_instances;        /* UINT_MAX = unbounded */
	GArray *live;                  /* of int: the indexes of its
					  instances, ascending (owned) */
	GHashTable *members;           /* index -> GPtrArray of every plan
					  instance in that group instance
					  (owned); a new group instance
					  gets the highest live index + 1 */
};

struct plan {
	const struct model *model;     /* borrowed */
	GPtrArray *instances;          /* of struct plan_instance *, owned,
					  in creation order (seq), so hosts
					  come before what they contain */
	GHashTable *by_id;             /* id -> instance */
	GHashTable *by_node;           /* node name -> GPtrArray of instances
					  in creation order */
	GRand *rand;                   /* for ids */
	unsigned next_seq;
	unsigned ngroups;              /* scaling groups */
	struct plan_group *groups;     /* ngroups, in policy order (owned) */
	unsigned *counts;              /* per node (model index): instances
					  per host instance and group
					  instance, what a new host gets */
	GPtrArray **hosted;            /* per node: the nodes contained in it
					  directly (owned arrays) */
	GPtrArray **rels_to;           /* per node: the model relationships
					  targeting it (owned arrays) */
};

/* Builds the initial instances of a model (each node's default_instances,
 * scaling groups' default_instances). `seed` makes ids reproducible (0 =
 * random). Returns (transfer full) the plan; can't fail. */
struct plan *plan_build(const struct model *m, guint32 seed);

/* Frees the plan and its instances; accepts NULL. */
void plan_free(struct plan *p);
typedef struct plan plan;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(plan, plan_free)

/* The instances of a node (transfer none), or an empty array. */
const GPtrArray *plan_node_instances(const struct plan *p, const char *node);

/* (transfer none) the instance with that id, or NULL. */
struct plan_instance *plan_instance_find(const struct plan *p, const char *id);

/* (transfer none) the host of `i`: the nearest Compute
 * (cloudify.nodes.Compute, tosca.nodes.Compute) at or above it through
 * contained_in, else the top of that chain (`i` itself when it is
 * contained in nothing). What Cloudify calls the instance's host. */
struct plan_instance *plan_instance_compute_host(struct plan_instance *i);

/* The index of the scaling group named `name` in p->groups, or -1. */
int plan_group_find(const struct plan *p, const char *name);

/* Install waves: instances grouped by the length of the longest chain of
 * ordering relationships (model_rel.orders) below them; every instance of
 * a wave can be installed in parallel once the waves before it are done.
 * Returns (transfer full) a GPtrArray of GPtrArrays of borrowed struct
 * plan_instance *. */
GPtrArray *plan_waves(const struct plan *p);

/* ---- Saving and restoring (restore.c) -------------------------------- */

/* A node instance as a deployment's store keeps it. All pointers are
 * borrowed. */
struct plan_record {
	const char *id;
	const char *node;              /* node template name */
	const char *host_id;           /* contained_in target, or NULL */
	const int *groups;             /* per scaling group of the plan
					  (p->groups order), the group
					  instance index or -1; NULL = none */
	unsigned ngroups;              /* length of `groups` (0 or the
					  plan's ngroups) */
	unsigned seq;                  /* creation order (plan_instance.seq) */
};

/* A relationship instance as the store keeps it. Borrowed strings. */
struct plan_rel_record {
	const char *source_id;
	const char *target_id;
	unsigned index;                /* of the model relationship in the
					  source node's rels
					  (model_rel.index) */
};

/* Rebuilds a saved plan of `m` from its records (any order). `seed` seeds
 * the ids of instances added later (0 = random). Checks that the records
 * fit the model: known node names, unique ids, hosts that exist and are
 * instances of the node's host template (and older than what they host),
 * group indexes of the right count, relationship instances between known
 * instances that match their template relationship, no duplicates.
 * Returns (transfer full) the plan, or NULL with *err set (BP_ERR_NOT_FOUND
 * for an unknown node or id, BP_ERR_INVALID otherwise). */
struct plan *plan_restore(const struct model *m,
			  const struct plan_record *instances, size_t n,
			  const struct plan_rel_record *rels, size_t nrels,
			  guint32 seed, struct bp_error **err);

/* Fills *out with the record of `i` (pointers borrowed from `i`, valid
 * while it lives). To save a plan, iterate p->instances and each
 * instance's rels. Can't fail. */
void plan_record_of(const struct plan *p, const struct plan_instance *i,
		    struct plan_record *out);
void plan_rel_record_of(const struct plan_rel *r, struct plan_rel_record *out);

/* ---- Scaling (scale.c) ------------------------------------------------ */

/* What plan_scale() changed. The runner needs all four lists: install the
 * added instances, establish the added relationship instances of existing
 * sources, unlink the removed relationship instances of staying peers,
 * uninstall the removed instances. */
struct plan_modification {
	GPtrArray *added;              /* struct plan_instance *, borrowed from
					  the plan, hosts first */
	GPtrArray *added_rels;         /* struct plan_rel *, borrowed: those
					  of the added instances and the new
					  ones on existing sources */
	GPtrArray *removed;            /* struct plan_instance *, owned:
					  detached from the plan (not in its
					  lists any more), hosts first, each
					  with its rels, incoming and
					  contained lists as they were */
	GPtrArray *removed_rels;       /* struct plan_rel *: every one that
					  touched a removed instance; owned
					  by their removed source, or by this
					  modification when the source stays
					  (it left the source's rels) */
	GPtrArray *owned_rels;         /* private: the latter, owned */
};

/* Initialises an empty modification. Can't fail. */
void plan_modification_init(struct plan_modification *mod);
/* Frees what it owns (removed instances and relationship instances) and
 * empties it. Call it before the plan is freed: the removed instances
 * point at instances that stayed. Accepts an initialised or zeroed mod. */
void plan_modification_release(struct plan_modification *mod);

/* What scaling `name` scales: the scaling group a node template is a
 * member of (when it is a member of exactly one: its instances come and
 * go with their group instances, as a server goes with its floating IP),
 * else `name` itself. (transfer none) */
const char *plan_scaling_target(const struct plan *p, const char *name);

/* Scales a node or a scaling group by `delta` (Cloudify's scale
 * workflow). `node_or_group` names a scaling group or a node template
 * that is not a member of one (see plan_scaling_target()).
 *
 * Out (delta > 0): a node gets `delta` new instances under each instance
 * of its host (or `delta` in all when it has none), each with everything
 * contained in it; a group gets `delta` new group instances, each with its
 * members' instances. New relationship instances: those of the new
 * instances, and those of existing sources that gain a new target
 * (all_to_all; all_to_one keeps the target it has). In (delta < 0):
 * removes `-delta` instances (per host instance for a contained node),
 * those named in `remove_ids` (NULL-terminated, may be NULL; instances of
 * the node, or members of the group, whose group instance goes) first,
 * then the newest; with them their contained instances and every
 * relationship instance touching them. The node's min_instances and
 * max_instances (a group's: its policy's properties) bound the result:
 * "cannot scale 'web' to 0 instances: min_instances is 1".
 *
 * Fills *out (initialised here) and returns true; delta 0 changes nothing.
 * On error returns false with *err set (BP_ERR_NOT_FOUND: unknown name or
 * id; BP_ERR_INVALID: bounds, ids of another node, a group member scaled
 * alone) and the plan and *out unchanged (empty). */
bool plan_scale(struct plan *p, const char *node_or_group, int delta,
		const char *const *remove_ids, struct plan_modification *out,
		struct bp_error **err);

/* ---- Semi-private, for the plan's own files --------------------------- */

/* (transfer full) a plan of `m` with no instances: groups, per-node
 * tables, `seed` for ids. */
struct plan *plan__new(const struct model *m, guint32 seed);
/* Adds an instance of `n` on `host` (or none) with a fresh id (or a copy
 * of `id`), in the given group instances (`groups`: p->ngroups indexes;
 * NULL: those of the host, else none). (transfer none) the instance. */
struct plan_instance *plan__instance_new(struct plan *p,
					 const struct model_node *n,
					 struct plan_instance *host,
					 const int *groups, const char *id);
void plan__instance_free(struct plan_instance *i);
/* Removes an instance from the plan's lists (by_id, by_node, its host's
 * contained list unless `keep_host`, its group instances); not from
 * p->instances, which plan__compact() tidies. Frees nothing. */
void plan__instance_detach(struct plan *p, struct plan_instance *i,
			   bool keep_host);
/* Drops the NULL slots from p->instances (from position `from` on) and
 * renumbers `pos`. */
void plan__compact(struct plan *p, unsigned from);
/* group.c: the scaling groups of p->model with their policies' numbers,
 * no instances yet. */
void plan__groups_init(struct plan *p);
void plan__groups_release(struct plan *p);
/* Records `i` in the members of its group instances, or removes it. */
void plan__group_join(struct plan *p, struct plan_instance *i);
void plan__group_leave(struct plan *p, struct plan_instance *i);
/* Marks group instance `index` of group `g` live (kept ascending). */
void plan__group_live(struct plan *p, unsigned g, int index);
/* Creates `count` instances of `n` on `host` (or none) for each
 * combination of the group instances `n` starts (the groups it is a
 * member of while its host is in no instance of them): the live ones, or
 * only `index` for group `only` (-1: no such group). Appends them to
 * `made` when not NULL. */
void plan__create_under(struct plan *p, const struct model_node *n,
			struct plan_instance *host, int only, int index,
			unsigned count, GPtrArray *made);
/* True when instances of `n` belong to an instance of group `g` (n or a
 * node containing it is a member). */
bool plan__in_group(const struct plan *p, const struct model_node *n,
		    unsigned g);
/* Adds a relationship instance at its place in source->rels and in
 * target->incoming. (transfer none) it. */
struct plan_rel *plan__rel_add(struct plan_instance *source,
			       struct plan_instance *target,
			       const struct model_rel *r);
/* Creates the relationship instances of a source instance. */
void plan__link(struct plan *p, struct plan_instance *src);
/* Creates the relationship instances that instances older than seq
 * `first_new` gain towards the new instance `t`; appends them to `out`. */
void plan__link_sources(struct plan *p, struct plan_instance *t,
			unsigned first_new, GPtrArray *out);

#endif
