"""compute.py: the Compute Engine v1 subset of the fake.

URL shapes (under /compute/v1/):
  projects/P/global/{networks,firewalls,images,instanceTemplates,addresses}
  projects/P/regions/R/{subnetworks,addresses}
  projects/P/zones/Z/{instances,disks,instanceGroupManagers}
  .../NAME, .../NAME/{stop,start,resize,setLabels,getGuestAttributes,
  getSerialPortOutput}, projects/P/global/images/family/F,
  projects/P/aggregated/KIND, projects/P/{global,regions/R,zones/Z}/
  operations/OP[/wait], projects/P, projects/P/zones[/Z],
  projects/P/regions[/R].
Each resource is a dict in the documented shape; mutations answer an
Operation (operations.py) whose effect moves the resource on. This file
routes, reads, inserts, deletes and runs verbs; what each kind checks and
adds on insert, and does once ready, is in compute_net.py (networks,
subnetworks, firewalls, addresses) and compute_vm.py (disks, images,
templates, instances, groups); zones and kinds in compute_kinds.py.
"""
import random
import re
import string

import guest
import listing
from compute_kinds import KINDS, NAME_RE, REGIONS, ZONES
from compute_net import NetworkKinds
from compute_vm import MachineKinds
from operations import compute_op, compute_op_get, compute_op_wait
from state import ApiError, not_found, now_rfc3339


class Compute(NetworkKinds, MachineKinds):
    def __init__(self, world, run_scripts):
        self.w = world
        self.guest = guest.Guest(world, run_scripts)
        p = world.project
        self.seed("projects/%s/global/networks" % p, {
            "name": "default", "autoCreateSubnetworks": True,
            "routingConfig": {"routingMode": "REGIONAL"}})
        for proj, fam, name in (
                ("debian-cloud", "debian-12", "debian-12-bookworm-v20240110"),
                ("debian-cloud", "debian-12", "debian-12-bookworm-v20240312"),
                ("ubuntu-os-cloud", "ubuntu-2204-lts",
                 "ubuntu-2204-jammy-v20240319")):
            self.seed("projects/%s/global/images" % proj, {
                "name": name, "family": fam, "status": "READY",
                "diskSizeGb": "10", "archiveSizeBytes": "1073741824"})
        world.seeded = set(world.items)

    # ---- helpers ---------------------------------------------------
    def seed(self, coll, body):
        self.store(coll, body)

    def store(self, coll, body):
        kind = coll.rsplit("/", 1)[-1]
        res = dict(body)
        res.update({"kind": "compute#" + KINDS[kind][0],
                    "id": self.w.new_id(),
                    "creationTimestamp": now_rfc3339(),
                    "selfLink": self.w.link("compute/v1",
                                            "%s/%s" % (coll, body["name"]))})
        scope = coll.split("/")
        if scope[2] in ("zones", "regions"):
            res[scope[2][:-1]] = self.w.link("compute/v1",
                                             "/".join(scope[:4]))
        if "labels" in res or KINDS[kind][0] in ("instance", "disk",
                                                  "image", "address"):
            res.setdefault("labels", {})
            res["labelFingerprint"] = "".join(
                random.choice(string.ascii_letters) for _ in range(11)) + "="
        self.w.items[(coll, body["name"])] = res
        return res

    def get(self, coll, name):
        res = self.w.items.get((coll, name))
        if res is None:
            raise not_found("%s/%s" % (coll, name))
        return res

    def resolve(self, coll_kind, ref, scope_default):
        """The stored resource a reference (URL, partial path or name)
        names, or None."""
        if not ref:
            return None
        ref = re.sub(r"^https?://[^/]+/compute/v1/", "", ref)
        if "/" not in ref:
            ref = "%s/%s/%s" % (scope_default, coll_kind, ref)
        if not ref.startswith("projects/"):
            ref = "projects/%s/%s" % (self.w.project, ref)
        coll, _, name = ref.rpartition("/")
        return self.w.items.get((coll, name))

    def exists_or_400(self, coll_kind, ref, scope, field):
        res = self.resolve(coll_kind, ref, scope)
        if res is None:
            raise ApiError(400, "Invalid value for field '%s': '%s'. The "
                           "referenced %s resource cannot be found."
                           % (field, ref, coll_kind[:-1]), "invalid")
        return res

    # ---- dispatch --------------------------------------------------
    def handle(self, method, parts, query, body):
        w = self.w
        if len(parts) < 2 or parts[0] != "projects":
            raise not_found("/".join(parts))
        p = parts[1]
        rest = parts[2:]
        if not rest and method == "GET":
            return {"kind": "compute#project", "name": p,
                    "id": w.new_id(), "selfLink": w.link(
                        "compute/v1", "projects/" + p)}
        if rest[:1] == ["aggregated"] and len(rest) == 2:
            return self.aggregated(p, rest[1], query)
        if rest[:1] in (["zones"], ["regions"]) and len(rest) <= 2:
            return self.locations(p, rest, query)
        if rest[:1] == ["global"]:
            scope, rest = "projects/%s/global" % p, rest[1:]
        elif rest[:1] in (["zones"], ["regions"]) and len(rest) >= 3:
            table = ZONES if rest[0] == "zones" else REGIONS
            if rest[1] not in table:
                raise not_found("projects/%s/%s/%s" % (p, rest[0], rest[1]))
            scope, rest = "projects/%s/%s/%s" % (p, rest[0], rest[1]), \
                rest[2:]
        else:
            raise not_found("/".join(parts))
        kind = rest[0]
        if kind == "operations":
            return self.operation(method, scope, rest[1:])
        if kind not in KINDS:
            raise not_found("%s/%s" % (scope, kind))
        coll = "%s/%s" % (scope, kind)
        if kind == "images" and len(rest) == 3 and rest[1] == "family":
            return self.from_family(coll, rest[2])
        if len(rest) == 1 and method == "GET":
            return self.list(coll, kind, query)
        if len(rest) == 1 and method == "POST":
            return self.insert(scope, coll, kind, body or {}, query)
        name = rest[1]
        if len(rest) == 2 and method == "GET":
            return self.get(coll, name)
        if len(rest) == 2 and method == "DELETE":
            return self.delete(scope, coll, kind, name)
        if len(rest) == 3:
            return self.verb(method, scope, coll, kind, name, rest[2],
                             query, body or {})
        raise not_found("/".join(parts))

    def locations(self, p, rest, query):
        kind = rest[0]
        names = sorted(ZONES) if kind == "zones" else REGIONS

        def one(n):
            r = {"kind": "compute#" + kind[:-1], "name": n, "status": "UP",
                 "id": str(abs(hash(n)) % 10**12), "selfLink":
                 self.w.link("compute/v1", "projects/%s/%s/%s"
                             % (p, kind, n))}
            if kind == "zones":
                r["region"] = self.w.link("compute/v1", "projects/%s/"
                                          "regions/%s" % (p, ZONES[n]))
            return r
        if len(rest) == 2:
            if rest[1] not in names:
                raise not_found("projects/%s/%s/%s" % (p, kind, rest[1]))
            return one(rest[1])
        return {"kind": "compute#%sList" % kind[:-1],
                "items": [one(n) for n in names],
                "selfLink": self.w.link("compute/v1", "projects/%s/%s"
                                        % (p, kind))}

    def operation(self, method, scope, rest):
        if not rest:
            ops = [o for k, o in self.w.ops.items()
                   if k.startswith(scope + "/operations/")]
            return {"kind": "compute#operationList", "items": ops}
        path = "%s/operations/%s" % (scope, rest[0])
        if len(rest) == 2 and rest[1] == "wait" and method == "POST":
            return compute_op_wait(self.w, path)
        if method == "DELETE":
            compute_op_get(self.w, path)
            del self.w.ops[path]
            return None
        return compute_op_get(self.w, path)

    # ---- reads -------------------------------------------------------
    def filtered(self, colls, query):
        terms = listing.parse_filter(query.get("filter"))
        return [r for (c, _), r in sorted(self.w.items.items())
                if c in colls and listing.matches(r, terms)]

    def list(self, coll, kind, query):
        items, nxt = listing.page(self.filtered({coll}, query), query)
        out = {"kind": "compute#%sList" % KINDS[kind][0],
               "id": coll, "items": items,
               "selfLink": self.w.link("compute/v1", coll)}
        if nxt:
            out["nextPageToken"] = nxt
        return out

    def aggregated(self, p, kind, query):
        if kind not in KINDS:
            raise not_found("projects/%s/aggregated/%s" % (p, kind))
        scopes = ["zones/" + z for z in sorted(ZONES)] + \
            ["regions/" + r for r in REGIONS] + ["global"]
        items = {}
        for s in scopes:
            found = self.filtered({"projects/%s/%s/%s" % (p, s, kind)},
                                  query)
            if found:
                items[s] = {kind: found}
            else:
                items[s] = {"warning": {
                    "code": "NO_RESULTS_ON_PAGE",
                    "message": "There are no results for scope '%s' on "
                    "this page." % s.split("/")[-1],
                    "data": [{"key": "scope", "value": s}]}}
        return {"kind": "compute#%sAggregatedList" % KINDS[kind][0],
                "id": "projects/%s/aggregated/%s" % (p, kind),
                "items": items, "selfLink": self.w.link(
                    "compute/v1", "projects/%s/aggregated/%s" % (p, kind))}

    def from_family(self, coll, family):
        imgs = [r for (c, _), r in self.w.items.items()
                if c == coll and r.get("family") == family and
                r.get("status") == "READY" and "deprecated" not in r]
        if not imgs:
            raise not_found("%s/family/%s" % (coll, family))
        return max(imgs, key=lambda r: (r["creationTimestamp"], r["id"]))

    # ---- mutations -----------------------------------------------------
    def insert(self, scope, coll, kind, body, query):
        w = self.w
        name = body.get("name", "")
        if not NAME_RE.match(name):
            raise ApiError(400, "Invalid value for field 'resource.name': "
                           "'%s'. Must be a match of regex '(?:[a-z]"
                           "(?:[-a-z0-9]{0,61}[a-z0-9])?)'" % name,
                           "invalid")
        if (coll, name) in w.items:
            raise ApiError(409, "The resource '%s/%s' already exists"
                           % (coll, name), "alreadyExists")
        limit = w.quota.get(kind.upper())
        if limit is not None and sum(1 for c, _ in w.items
                                     if c == coll) >= limit:
            raise ApiError(403, "Quota '%s' exceeded.  Limit: %.1f "
                           "globally." % (kind.upper(), limit),
                           "quotaExceeded")
        prep = getattr(self, "prep_" + kind, None)
        extra = prep(scope, body, query) if prep else {}
        failure = w.find_failure(coll, name)
        if failure is None and kind == "instances":
            failure = self.cpu_quota(scope, body)
        res = self.store(coll, body)
        res.update(extra)
        w.count("insert", coll)
        states = KINDS[kind]
        if states[2]:
            res["status"] = states[2]
        target = "%s/%s" % (coll, name)

        def effect(failed):
            if failed:
                # what a failed insert made goes with it (boot disks)
                self.remove(coll, kind, name)
                return
            if states[3]:
                res["status"] = states[3]
            after = getattr(self, "ready_" + kind, None)
            if after:
                after(scope, res)
        return compute_op(w, scope, "insert", target, effect, failure)

    def delete(self, scope, coll, kind, name):
        w = self.w
        res = self.get(coll, name)
        w.count("delete", coll)
        failure = None
        if kind == "disks" and res.get("users"):
            failure = {"code": "RESOURCE_IN_USE_BY_ANOTHER_RESOURCE",
                       "message": "The disk resource '%s/%s' is already "
                       "being used by '%s'" % (coll, name,
                                               res["users"][0])}
        if kind == "networks":
            link = res["selfLink"]
            users = [r["selfLink"] for (c, _), r in w.items.items()
                     if r.get("network") == link and
                     not (c.endswith("/subnetworks") and
                          res.get("autoCreateSubnetworks"))]
            if users:
                failure = {"code": "RESOURCE_IN_USE_BY_ANOTHER_RESOURCE",
                           "message": "The network resource '%s/%s' is "
                           "already being used by '%s'" % (coll, name,
                                                           users[0])}
        if kind in ("instances", "disks"):
            res["status"] = "STOPPING" if kind == "instances" else \
                "DELETING"

        def effect(failed):
            if failed:
                if kind == "instances":
                    res["status"] = "RUNNING"
                return
            self.remove(coll, kind, name)
        return compute_op(w, scope, "delete", "%s/%s" % (coll, name),
                          effect, failure)

    def remove(self, coll, kind, name):
        w = self.w
        res = w.items.pop((coll, name), None)
        if res is None:
            return
        if kind == "instances":
            self.guest.forget(res)
            for d in res.get("disks", []):
                disk = self.resolve("disks", d.get("source"), "")
                if disk is None:
                    continue
                disk["users"] = [u for u in disk.get("users", [])
                                 if u != res["selfLink"]]
                if d.get("autoDelete"):
                    key = (disk["selfLink"].split("/compute/v1/")[1]
                           .rpartition("/"))
                    w.items.pop((key[0], key[2]), None)
        if kind == "networks":
            for key, r in list(w.items.items()):
                if key[0].endswith("/subnetworks") and \
                        r.get("network") == res["selfLink"]:
                    del w.items[key]
        if kind == "instanceGroupManagers":
            for key, r in list(w.items.items()):
                if r.get("createdBy") == res["selfLink"]:
                    self.remove(key[0], "instances", key[1])

    def verb(self, method, scope, coll, kind, name, verb, query, body):
        res = self.get(coll, name)
        if kind == "instances" and verb in ("getGuestAttributes",
                                            "getSerialPortOutput"):
            return getattr(self.guest, verb)(res, query)
        if method != "POST":
            raise not_found("%s/%s/%s" % (coll, name, verb))
        target = "%s/%s" % (coll, name)
        if verb == "setLabels":
            if body.get("labelFingerprint") != res.get("labelFingerprint"):
                raise ApiError(412, "Labels fingerprint either invalid or "
                               "resource labels have changed",
                               "conditionNotMet")
            res["labels"] = body.get("labels", {})
            return compute_op(self.w, scope, "setLabels", target,
                              lambda f: None)
        if kind == "instances" and verb in ("stop", "start"):
            return self.power(scope, res, verb, target)
        if kind == "instanceGroupManagers" and verb == "resize":
            size = int(query.get("size", -1))
            if size < 0:
                raise ApiError(400, "Invalid value for field 'size': "
                               "'%s'." % query.get("size"), "invalid")
            res["targetSize"] = size
            return compute_op(self.w, scope, "compute.instanceGroupManagers"
                              ".resize", target,
                              lambda f: self.ready_instanceGroupManagers(
                                  scope, res))
        raise not_found("%s/%s" % (target, verb))

    def power(self, scope, res, verb, target):
        res["status"] = "STOPPING" if verb == "stop" else "STAGING"

        def effect(failed):
            res["status"] = "TERMINATED" if verb == "stop" else "RUNNING"
            if verb == "start":
                self.guest.boot(res)
        return compute_op(self.w, scope, verb, target, effect)
