"""state.py: the fake's world: resources, long-running operations, counters.

One lock guards everything. Time moves on by itself: an operation has a
`done_at` and its effect (a resource becoming READY, disappearing, or the
operation ending in an error) is applied by `tick()`, which every request
calls first, so the fake needs no background thread.

Errors are raised as ApiError and rendered by server.py in Google's shape:
  {"error": {"code": 404, "message": "...", "status": "NOT_FOUND",
             "errors": [{"message": "...", "domain": "global",
                         "reason": "notFound"}]}}
"""
import itertools
import random
import threading
import time

STATUS_NAMES = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED",
                403: "PERMISSION_DENIED", 404: "NOT_FOUND",
                409: "ALREADY_EXISTS", 412: "FAILED_PRECONDITION",
                429: "RESOURCE_EXHAUSTED", 500: "INTERNAL",
                503: "UNAVAILABLE"}


class ApiError(Exception):
    def __init__(self, code, message, reason=None, status=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.reason = reason
        self.status = status or STATUS_NAMES.get(code, "UNKNOWN")

    def body(self):
        err = {"code": self.code, "message": self.message,
               "status": self.status}
        if self.reason:
            err["errors"] = [{"message": self.message, "domain": "global",
                              "reason": self.reason}]
        return {"error": err}


def not_found(what):
    return ApiError(404, "The resource '%s' was not found" % what,
                    "notFound")


def now_rfc3339(t=None):
    t = time.time() if t is None else t
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + \
        ".%03d-00:00" % (int(t * 1000) % 1000)


class World:
    def __init__(self, project, op_seconds, base_url):
        self.lock = threading.Condition()
        self.project = project
        self.op_seconds = op_seconds
        self.base = base_url          # "http://127.0.0.1:PORT"
        self.ids = itertools.count(int(time.time()) * 1000)
        # (collection path, name) -> resource dict; collection path is
        # "projects/P/global/networks", "projects/P/zones/Z/instances", ...
        self.items = {}
        self.ops = {}                 # op path -> operation record
        self.events = []              # [(due, fn)] applied by tick()
        self.counts = {}              # "insert:instances" -> n
        self.serial = {}              # instance path -> serial text
        self.guest = {}               # instance path -> {ns/key: value}
        self.quota = {}               # "CPUS" -> limit (per project)
        self.fail = []                # [{"collection", "name", "code", ...}]
        self.token_grants = 0
        self.auth_failures = 0
        self.seeded = set()           # keys of what the fake starts with

    def new_id(self):
        return str(next(self.ids) * 1000 + random.randint(0, 999))

    def count(self, verb, collection, kind=None):
        """Counts a create or delete: "insert:instances" (compute's kind,
        the collection's last segment, unless `kind` is given)."""
        key = "%s:%s" % (verb, kind or collection.rsplit("/", 1)[-1])
        self.counts[key] = self.counts.get(key, 0) + 1

    def link(self, api, path):
        return "%s/%s/%s" % (self.base, api, path)

    def later(self, due, fn):
        self.events.append((due, fn))

    def tick(self):
        """Applies every event that is due (lock held)."""
        t = time.time()
        due = [e for e in self.events if e[0] <= t]
        if not due:
            return
        self.events = [e for e in self.events if e[0] > t]
        for _, fn in sorted(due, key=lambda e: e[0]):
            fn()

    def find_failure(self, collection, name):
        """An injected failure for a create of `name` in `collection`."""
        kind = collection.rsplit("/", 1)[-1]
        for f in self.fail:
            if f.get("collection") in (None, kind) and \
                    f.get("name") in (None, name):
                if f.get("count", 1) <= 0:
                    continue
                f["count"] = f.get("count", 1) - 1
                return f
        return None

    def live(self):
        """Every resource the fake holds, but its seeded public images."""
        return sorted("%s/%s" % k for k in self.items
                      if k not in self.seeded)
