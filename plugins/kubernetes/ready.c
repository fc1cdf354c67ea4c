/* ready.c: whether an object is ready, by the rules kubectl's
 * `rollout status` and `wait` use (k8s.io/kubectl/pkg/polymorphichelpers/
 * rollout_status.go for Deployment, StatefulSet and DaemonSet):
 *   Deployment   observedGeneration >= generation; Progressing with
 *                reason ProgressDeadlineExceeded fails; updated,
 *                total and available replicas all equal the desired
 *   StatefulSet  observedGeneration; ready replicas = desired; for
 *                RollingUpdate, the partition's pods updated and
 *                currentRevision = updateRevision
 *   DaemonSet    observedGeneration; updated and available = desired
 *   ReplicaSet,  observedGeneration; ready = available = desired
 *   ReplicationController
 *   Job          condition Complete; Failed fails with its message
 *   Pod          condition Ready, or phase Succeeded; Failed fails
 *   Service      type LoadBalancer: an ingress address
 *   PersistentVolumeClaim  phase Bound; Lost fails
 *   PersistentVolume       phase Available or Bound; Failed fails
 *   CustomResourceDefinition  condition Established; NamesAccepted
 *                False fails
 *   Namespace    phase Active
 * Every other kind is ready once it exists. */
#include "kube.h"

#include <string.h>

static json_int_t num(const json_t *o, const char *a, const char *b)
{
	return json_integer_value(json_object_get(json_object_get(o, a), b));
}

static const char *s2(const json_t *o, const char *a, const char *b)
{
	return json_string_value(json_object_get(json_object_get(o, a), b));
}

/* The condition of `type` in status.conditions, or NULL. */
static const json_t *condition(const json_t *obj, const char *type)
{
	json_t *conds = json_object_get(json_object_get(obj, "status"), "conditions");
	size_t i;
	json_t *c;

	json_array_foreach(conds, i, c)
		if (!g_strcmp0(json_string_value(json_object_get(c, "type")), type))
			return c;
	return NULL;
}

static bool cond_is(const json_t *obj, const char *type, const char *status)
{
	const json_t *c = condition(obj, type);

	return c && !g_strcmp0(json_string_value(json_object_get(c, "status")), status);
}

static const char *cond_str(const json_t *obj, const char *type, const char *field)
{
	return json_string_value(json_object_get(condition(obj, type), field));
}

/* spec.replicas, which defaults to 1. */
static json_int_t desired(const json_t *obj)
{
	json_t *r = json_object_get(json_object_get(obj, "spec"), "replicas");

	return json_is_integer(r) ? json_integer_value(r) : 1;
}

static bool generation_seen(const json_t *obj, char **why)
{
	if (num(obj, "status", "observedGeneration") < num(obj, "metadata", "generation")) {
		*why = g_strdup("waiting for the spec update to be observed");
		return false;
	}
	return true;
}

static enum kube_readiness wait(char **why, char *text)
{
	*why = text;
	return KUBE_WAITING;
}

static enum kube_readiness deployment(const json_t *o, char **why)
{
	json_int_t want = desired(o), updated = num(o, "status", "updatedReplicas");
	json_int_t total = num(o, "status", "replicas");
	json_int_t avail = num(o, "status", "availableReplicas");

	if (!generation_seen(o, why))
		return KUBE_WAITING;
	if (!g_strcmp0(cond_str(o, "Progressing", "reason"), "ProgressDeadlineExceeded")) {
		const char *m = cond_str(o, "Progressing", "message");
		*why = g_strdup_printf("rollout exceeded its progress deadline: %s",
				       m ? m : "no message");
		return KUBE_FAILED;
	}
	if (updated < want)
		return wait(why, g_strdup_printf("%lld out of %lld new replicas have been "
						 "updated", (long long)updated, (long long)want));
	if (total > updated)
		return wait(why, g_strdup_printf("%lld old replicas are pending termination",
						 (long long)(total - updated)));
	if (avail < updated)
		return wait(why, g_strdup_printf("%lld of %lld updated replicas are available",
						 (long long)avail, (long long)updated));
	return KUBE_READY;
}

static enum kube_readiness statefulset(const json_t *o, char **why)
{
	json_t *spec = json_object_get(o, "spec");
	const char *strategy = s2(spec, "updateStrategy", "type");
	json_int_t want = desired(o), ready = num(o, "status", "readyReplicas");

	if (!generation_seen(o, why))
		return KUBE_WAITING;
	if (ready < want)
		return wait(why, g_strdup_printf("%lld of %lld pods are ready",
						 (long long)ready, (long long)want));
	if (strategy && strcmp(strategy, "RollingUpdate"))
		return KUBE_READY;
	{
		json_t *ru = json_object_get(json_object_get(spec, "updateStrategy"),
					     "rollingUpdate");
		json_int_t part = json_integer_value(json_object_get(ru, "partition"));
		json_int_t upd = num(o, "status", "updatedReplicas");

		if (part > 0) {
			if (upd < want - part)
				return wait(why, g_strdup_printf(
					"%lld of %lld pods of the partition are updated",
					(long long)upd, (long long)(want - part)));
			return KUBE_READY;
		}
	}
	if (g_strcmp0(s2(o, "status", "currentRevision"), s2(o, "status", "updateRevision")))
		return wait(why, g_strdup("waiting for the rolling update to complete"));
	return KUBE_READY;
}

static enum kube_readiness daemonset(const json_t *o, char **why)
{
	const char *strategy = s2(json_object_get(o, "spec"), "updateStrategy", "type");
	json_int_t want = num(o, "status", "desiredNumberScheduled");
	json_int_t upd = num(o, "status", "updatedNumberScheduled");
	json_int_t avail = num(o, "status", "numberAvailable");

	if (strategy && strcmp(strategy, "RollingUpdate"))
		return KUBE_READY;
	if (!generation_seen(o, why))
		return KUBE_WAITING;
	if (upd < want)
		return wait(why, g_strdup_printf("%lld out of %lld new pods have been updated",
						 (long long)upd, (long long)want));
	if (avail < want)
		return wait(why, g_strdup_printf("%lld of %lld updated pods are available",
						 (long long)avail, (long long)want));
	return KUBE_READY;
}

static enum kube_readiness replicaset(const json_t *o, char **why)
{
	json_int_t want = desired(o), avail = num(o, "status", "availableReplicas");

	if (!generation_seen(o, why))
		return KUBE_WAITING;
	if (avail < want)
		return wait(why, g_strdup_printf("%lld of %lld replicas are available",
						 (long long)avail, (long long)want));
	return KUBE_READY;
}

static enum kube_readiness job(const json_t *o, char **why)
{
	if (cond_is(o, "Failed", "True")) {
		const char *r = cond_str(o, "Failed", "reason");
		const char *m = cond_str(o, "Failed", "message");
		*why = g_strdup_printf("the job failed: %s%s%s", r ? r : "Failed",
				       m ? ": " : "", m ? m : "");
		return KUBE_FAILED;
	}
	if (cond_is(o, "Complete", "True"))
		return KUBE_READY;
	return wait(why, g_strdup_printf("waiting for the job to complete (%lld active, "
					 "%lld succeeded, %lld failed)",
					 (long long)num(o, "status", "active"),
					 (long long)num(o, "status", "succeeded"),
					 (long long)num(o, "status", "failed")));
}

static enum kube_readiness phase(const json_t *o, const char *ok1, const char *ok2,
				 const char *bad, char **why)
{
	const char *p = s2(o, "status", "phase");

	if (p && (!g_strcmp0(p, ok1) || !g_strcmp0(p, ok2)))
		return KUBE_READY;
	if (p && bad && !strcmp(p, bad)) {
		*why = g_strdup_printf("it is %s", p);
		return KUBE_FAILED;
	}
	return wait(why, g_strdup_printf("phase is %s, waiting for %s", p ? p : "not set", ok1));
}

static enum kube_readiness pod(const json_t *o, char **why)
{
	const char *p = s2(o, "status", "phase");

	if (!g_strcmp0(p, "Succeeded") || cond_is(o, "Ready", "True"))
		return KUBE_READY;
	if (!g_strcmp0(p, "Failed")) {
		const char *m = s2(o, "status", "message");
		*why = g_strdup_printf("the pod failed%s%s", m ? ": " : "", m ? m : "");
		return KUBE_FAILED;
	}
	return wait(why, g_strdup_printf("the pod is %s and not ready", p ? p : "Pending"));
}

static enum kube_readiness service(const json_t *o, char **why)
{
	json_t *lb = json_object_get(json_object_get(o, "status"), "loadBalancer");

	if (g_strcmp0(s2(o, "spec", "type"), "LoadBalancer") ||
	    json_array_size(json_object_get(lb, "ingress")))
		return KUBE_READY;
	return wait(why, g_strdup("waiting for the load balancer's address"));
}

static enum kube_readiness crd(const json_t *o, char **why)
{
	if (cond_is(o, "NamesAccepted", "False")) {
		const char *m = cond_str(o, "NamesAccepted", "message");
		*why = g_strdup_printf("its names were not accepted: %s", m ? m : "");
		return KUBE_FAILED;
	}
	if (cond_is(o, "Established", "True"))
		return KUBE_READY;
	return wait(why, g_strdup("waiting for it to be established"));
}

enum kube_readiness kube_readiness(const json_t *obj, char **why)
{
	const char *kind = json_string_value(json_object_get(obj, "kind"));

	*why = NULL;
	if (!kind)
		return KUBE_READY;
	if (!strcmp(kind, "Deployment"))
		return deployment(obj, why);
	if (!strcmp(kind, "StatefulSet"))
		return statefulset(obj, why);
	if (!strcmp(kind, "DaemonSet"))
		return daemonset(obj, why);
	if (!strcmp(kind, "ReplicaSet") || !strcmp(kind, "ReplicationController"))
		return replicaset(obj, why);
	if (!strcmp(kind, "Job"))
		return job(obj, why);
	if (!strcmp(kind, "Pod"))
		return pod(obj, why);
	if (!strcmp(kind, "Service"))
		return service(obj, why);
	if (!strcmp(kind, "PersistentVolumeClaim"))
		return phase(obj, "Bound", NULL, "Lost", why);
	if (!strcmp(kind, "PersistentVolume"))
		return phase(obj, "Available", "Bound", "Failed", why);
	if (!strcmp(kind, "CustomResourceDefinition"))
		return crd(obj, why);
	if (!strcmp(kind, "Namespace"))
		return phase(obj, "Active", NULL, NULL, why);
	return KUBE_READY;
}
