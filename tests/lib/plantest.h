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

/* Builds the blueprint `text` (a whole file) with the shipped types;
 * fails the test when it does not build. (transfer full) */
struct model *plantest_model(const char *text);

/* The k-th instance (creation order) of `node`; fails the test if none. */
struct plan_instance *plantest_inst(const struct plan *p, const char *node,
				    guint k);

/* The relationship instance from `s` to `t`; fails the test if none. */
struct plan_rel *plantest_rel(const struct plan_instance *s,
			      const struct plan_instance *t);

/* The step whose key is the printf result, or NULL. */
struct wf_step *wftest_find(const struct wf_graph *g, const char *fmt, ...)
	G_GNUC_PRINTF(2, 3);
/* The same, failing the test when there is none. */
struct wf_step *wftest_step(const struct wf_graph *g, const char *fmt, ...)
	G_GNUC_PRINTF(2, 3);

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
