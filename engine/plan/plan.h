/* plan.h: a deployment's instances: the node instances and relationship
 * instances a model becomes.
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
 * The plan owns its instances. Instance ids are `NODE_xxxxxx` (six
 * lowercase letters or digits), unique within the plan.
 */
#ifndef BP_PLAN_PLAN_H
#define BP_PLAN_PLAN_H

#include <stdbool.h>
#include <glib.h>

#include "model/model.h"

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
	GPtrArray *contained;          /* instances hosted here (borrowed) */
	unsigned seq;                  /* creation order in the plan */
	int *groups;                   /* owned: per scaling group of the
					  plan, the group instance this
					  instance belongs to, or -1 */
};

struct plan {
	const struct model *model;     /* borrowed */
	GPtrArray *instances;          /* of struct plan_instance *, owned,
					  hosts before what they contain */
	GHashTable *by_id;             /* id -> instance */
	GHashTable *by_node;           /* node name -> GPtrArray of instances */
	GRand *rand;                   /* for ids */
	unsigned next_seq;
	unsigned ngroups;              /* scaling groups (plan__groups) */
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

/* Install waves: instances grouped by the length of the longest chain of
 * ordering relationships (model_rel.orders) below them; every instance of
 * a wave can be installed in parallel once the waves before it are done.
 * Returns (transfer full) a GPtrArray of GPtrArrays of borrowed struct
 * plan_instance *. */
GPtrArray *plan_waves(const struct plan *p);

/* Semi-private, for the plan's own files. */
struct plan_instance *plan__instance_new(struct plan *p,
					 const struct model_node *n,
					 struct plan_instance *host,
					 unsigned ngroups);
/* Creates the relationship instances of a source instance. */
void plan__link(struct plan *p, struct plan_instance *src);
/* (transfer full) the scaling groups of a model, in policy order. */
GArray *plan__groups(const struct model *m);
void plan__groups_free(GArray *groups);

#endif
