"""operations.py: long-running operations of the three APIs.

Compute Engine (compute#operation): PENDING -> RUNNING -> DONE over the
fake's op_seconds; on DONE its effect is applied, or, when it failed, it
carries error.errors[] ({code, message}) with httpErrorStatusCode and
httpErrorMessage, as Google documents. Filestore and GKE follow their own
shapes (google.longrunning.Operation with done/response/error, and GKE's
container Operation with status and error).
"""
import time
import uuid

from state import now_rfc3339, not_found

HTTP_MESSAGES = {400: "BAD REQUEST", 403: "FORBIDDEN", 404: "NOT FOUND",
                 409: "CONFLICT", 412: "PRECONDITION FAILED",
                 503: "SERVICE UNAVAILABLE"}


def _op_name():
    return "operation-%d-%s" % (int(time.time() * 1000),
                                uuid.uuid4().hex[:24])


def compute_op(w, scope, op_type, target, effect, failure=None):
    """Starts an operation in `scope` ("projects/P/zones/Z", ".../global")
    on `target` (the resource's path). effect() runs when it is DONE
    without error; failure is {"code", "message", "http"} or None.
    Returns the operation (lock held)."""
    name = _op_name()
    start = time.time()
    path = "%s/operations/%s" % (scope, name)
    op = {"kind": "compute#operation", "id": w.new_id(), "name": name,
          "operationType": op_type,
          "targetLink": w.link("compute/v1", target),
          "targetId": w.new_id(), "status": "PENDING",
          "user": "fake@%s.iam.gserviceaccount.com" % w.project,
          "progress": 0, "insertTime": now_rfc3339(start),
          "startTime": now_rfc3339(start),
          "selfLink": w.link("compute/v1", path)}
    parts = scope.split("/")
    if len(parts) == 4:
        key = {"zones": "zone", "regions": "region"}[parts[2]]
        op[key] = w.link("compute/v1", scope)
    w.ops[path] = op

    def running():
        op["status"] = "RUNNING"
        op["progress"] = 50

    def done():
        op["status"] = "DONE"
        op["progress"] = 100
        op["endTime"] = now_rfc3339()
        if failure:
            op["error"] = {"errors": [{"code": failure["code"],
                                       "message": failure["message"]}]}
            op["httpErrorStatusCode"] = failure.get("http", 400)
            op["httpErrorMessage"] = HTTP_MESSAGES.get(
                failure.get("http", 400), "BAD REQUEST")
        w.lock.notify_all()
        effect(failure)

    w.later(start + w.op_seconds / 3, running)
    w.later(start + w.op_seconds, done)
    return dict(op)


def compute_op_get(w, path):
    op = w.ops.get(path)
    if op is None:
        raise not_found(path)
    return dict(op)


def compute_op_wait(w, path, limit=2.0):
    """The wait method: returns when the operation is DONE or after
    `limit` seconds (Google: about two minutes), whichever is first."""
    end = time.time() + limit
    while True:
        w.tick()
        op = compute_op_get(w, path)
        if op["status"] == "DONE" or time.time() >= end:
            return op
        w.lock.wait(min(0.05, max(0.0, end - time.time())))


def lro_op(w, api, location, verb, target, effect, response, failure=None):
    """A google.longrunning.Operation (file.googleapis.com). response() is
    called at the end to fill "response"; failure is {"code": grpc code,
    "message"}."""
    name = "%s/operations/%s" % (location, _op_name())
    op = {"name": name,
          "metadata": {"@type": "type.googleapis.com/google.cloud.common."
                       "OperationMetadata", "createTime": now_rfc3339(),
                       "target": target, "verb": verb,
                       "requestedCancellation": False, "apiVersion": "v1"},
          "done": False}
    w.ops["%s:%s" % (api, name)] = op

    def done():
        op["done"] = True
        op["metadata"]["endTime"] = now_rfc3339()
        if failure:
            op["error"] = {"code": failure["code"],
                           "message": failure["message"]}
        else:
            op["response"] = response()
        w.lock.notify_all()
        effect(failure)

    w.later(time.time() + w.op_seconds, done)
    return dict(op)


def gke_op(w, location, op_type, target, effect, failure=None):
    """A container.googleapis.com v1 Operation."""
    name = _op_name()
    path = "projects/%s/locations/%s/operations/%s" % (w.project, location,
                                                       name)
    op = {"name": name, "zone": location, "location": location,
          "operationType": op_type, "status": "RUNNING",
          "selfLink": w.link("container/v1", "projects/%s/zones/%s/"
                             "operations/%s" % (w.project, location, name)),
          "targetLink": w.link("container/v1", target),
          "startTime": now_rfc3339()}
    w.ops["container:" + path] = op

    def done():
        op["status"] = "DONE"
        op["endTime"] = now_rfc3339()
        if failure:
            op["error"] = {"code": failure["code"],
                           "message": failure["message"]}
            op["statusMessage"] = failure["message"]
        w.lock.notify_all()
        effect(failure)

    w.later(time.time() + w.op_seconds, done)
    return dict(op)
