/* plantest.h: helpers for the plan and workflow tests: a blueprint built
 * into a model with the shipped types/, instances by node, steps by key,
 * and the order constraints of a step graph (reachability). */
#ifndef BP_PLANTEST_H
#define BP_PLANTEST_H

#include <glib.h>

#include "model/model.h"
#include "plan/plan.h"
#include "workflow/workflow.h"

/* The start of a Cloudify blueprint importing the shipped types.yaml. */
#define PLANTEST_CLOUDIFY \
	"tosca_definitions_version: cloudify_dsl_1_3\n" \
	"imports: [cloudify/types/types.yaml]\n"

/* Types for the workflow tests: `full` implements every lifecycle
 * operation (script.op), `bare` none; relationship `linked` (a
 * connected_to) implements every relationship operation on both sides,
 * `link_src` on its source side only. */
#define PLANTEST_TYPES \
	"node_types:\n" \
	"  full:\n" \
	"    derived_from: cloudify.nodes.Root\n" \
	"    interfaces:\n" \
	"      cloudify.interfaces.lifecycle:\n" \
	"        precreate: script.op\n" \
	"        create: script.op\n" \
	"        configure: script.op\n" \
	"        start: script.op\n" \
	"        poststart: script.op\n" \
	"        prestop: script.op\n" \
	"        stop: script.op\n" \
	"        delete: script.op\n" \
	"        postdelete: script.op\n" \
	"  bare: {derived_from: cloudify.nodes.Root}\n" \
	"relationships:\n" \
	"  linked:\n" \
	"    derived_from: cloudify.relationships.connected_to\n" \
	"    source_interfaces:\n" \
	"      cloudify.interfaces.relationship_lifecycle: &rl\n" \
	"        preconfigure: script.op\n" \
	"        postconfigure: script.op\n" \
	"        establish: script.op\n" \
	"        unlink: script.op\n" \
	"    target_interfaces:\n" \
	"      cloudify.interfaces.relationship_lifecycle: *rl\n" \
	"  link_src:\n" \
	"    derived_from: cloudify.relationships.connected_to\n" \
	"    source_interfaces:\n" \
	"      cloudify.interfaces.relationship_lifecycle: *rl\n"

/* Builds the blueprint `text` (a whole file) with the shipped types;
 * fails the test when it does not build. (transfer full) */
struct model *plantest_model(const char *text);

/* The k-th instance (creation order) of `node`; fails the test if none. */
struct plan_instance *plantest_inst(const struct plan *p, const char *node,
				    guint k);

/* The relationship instance from `s` to `t`; fails the test if none. */
struct plan_rel *plantest_rel(const struct plan_instance *s,
			      const struct plan_instance *t);

/* Fails the test unless the plan's lists agree with each other: positions,
 * ids, per-node lists, hosts and contained lists, relationship instances
 * and the incoming lists of their targets, group instance members. */
void plantest_check_plan(const struct plan *p);

/* The step whose key is the printf result, or NULL. */
struct wf_step *wftest_find(const struct wf_graph *g, const char *fmt, ...)
	G_GNUC_PRINTF(2, 3);
/* The same, failing the test when there is none. */
struct wf_step *wftest_step(const struct wf_graph *g, const char *fmt, ...)
	G_GNUC_PRINTF(2, 3);

/* Shorthands for wftest_step(): the step of
 * cloudify.interfaces.lifecycle.OP on `i`; of one side ("source" or
 * "target") of cloudify.interfaces.relationship_lifecycle.OP of the
 * relationship instance from `s` to `t`; the state-only step of `state`
 * on `i`. Each fails the test when there is no such step. */
struct wf_step *wftest_op(const struct wf_graph *g,
			  const struct plan_instance *i, const char *op);
struct wf_step *wftest_relop(const struct wf_graph *g,
			     const struct plan_instance *s,
			     const struct plan_instance *t, const char *side,
			     const char *op);
struct wf_step *wftest_state(const struct wf_graph *g,
			     const struct plan_instance *i, const char *state);

/* True when a path of edges leads from `before` to `after`: `after` can
 * only start once `before` has succeeded. */
gboolean wftest_before(const struct wf_graph *g, const struct wf_step *before,
		       const struct wf_step *after);
/* True when neither step waits for the other. */
gboolean wftest_concurrent(const struct wf_graph *g, const struct wf_step *a,
			   const struct wf_step *b);

/* Steps that run `operation` (any interface); NULL counts state steps. */
guint wftest_count(const struct wf_graph *g, const char *operation);

/* Fails the test unless the graph is well formed: indexes match
 * positions, keys are unique and indexed, edges are in range and make no
 * cycle, operation steps have an implementation. */
void wftest_check(const struct wf_graph *g);

#endif
