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
Operation (operations.py) whose effect moves the resource on.
"""
import random
import re
import string

import guest
import listing
from operations import compute_op, compute_op_get, compute_op_wait
from state import ApiError, not_found, now_rfc3339

NAME_RE = re.compile(r"[a-z]([-a-z0-9]{0,61}[a-z0-9])?$")
ZONES = {"us-central1-a": "us-central1", "us-central1-b": "us-central1",
         "europe-west1-b": "europe-west1"}
REGIONS = sorted(set(ZONES.values()))
# kind of a collection: (compute#kind, scope kind, status while created,
# status when ready)
KINDS = {
    "networks": ("network", "global", None, None),
    "firewalls": ("firewall", "global", None, None),
    "images": ("image", "global", "PENDING", "READY"),
    "instanceTemplates": ("instanceTemplate", "global", None, None),
    "addresses": ("address", "any", "RESERVING", "RESERVED"),
    "subnetworks": ("subnetwork", "regions", None, None),
    "disks": ("disk", "zones", "CREATING", "READY"),
    "instances": ("instance", "zones", "PROVISIONING", "RUNNING"),
    "instanceGroupManagers": ("instanceGroupManager", "zones", None, None),
}


def machine_cpus(mt):
    """CPUs of a machine type name or URL."""
    name = mt.rsplit("/", 1)[-1]
    m = re.match(r"(?:\w+-)?custom-(\d+)-(\d+)", name)
    if m:
        return int(m.group(1))
    m = re.match(r"\w+-(?:standard|highmem|highcpu)-(\d+)$", name)
    if m:
        return int(m.group(1))
    if name in ("e2-micro", "e2-small", "e2-medium", "f1-micro",
                "g1-small"):
        return 2
    raise ApiError(400, "Invalid value for field 'resource.machineType': "
                   "'%s'. Machine type with name '%s' does not exist."
                   % (mt, name), "invalid")


class Compute:
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

    def cpu_quota(self, scope, body):
        limit = self.w.quota.get("CPUS")
        if limit is None:
            return None
        zone = scope.rsplit("/", 1)[-1]
        region = ZONES.get(zone, zone)
        used = sum(machine_cpus(r["machineType"])
                   for (c, _), r in self.w.items.items()
                   if c.endswith("/instances") and
                   ZONES.get(c.split("/")[3]) == region and
                   r.get("status") != "TERMINATED")
        if used + machine_cpus(body["machineType"]) > limit:
            return {"code": "QUOTA_EXCEEDED", "http": 403, "message":
                    "Quota 'CPUS' exceeded.  Limit: %.1f in region %s."
                    % (limit, region)}
        return None

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

    # ---- per-kind preparation and readiness ------------------------------
    def prep_subnetworks(self, scope, body, query):
        net = self.exists_or_400("networks", body.get("network"),
                                 "global", "resource.network")
        cidr = body.get("ipCidrRange", "")
        if not re.match(r"\d+\.\d+\.\d+\.\d+/\d+$", cidr):
            raise ApiError(400, "Invalid value for field "
                           "'resource.ipCidrRange': '%s'. Invalid IPv4 "
                           "CIDR range." % cidr, "invalid")
        body["network"] = net["selfLink"]
        return {"gatewayAddress": cidr.split("/")[0].rsplit(".", 1)[0] +
                ".1", "stackType": "IPV4_ONLY", "purpose": "PRIVATE",
                "fingerprint": "fp0=", "privateIpGoogleAccess":
                body.get("privateIpGoogleAccess", False)}

    def prep_networks(self, scope, body, query):
        if "IPv4Range" not in body:
            body.setdefault("autoCreateSubnetworks", True)
        return {"routingConfig": body.get("routingConfig") or
                {"routingMode": "REGIONAL"}, "mtu": body.get("mtu", 1460),
                "subnetworks": []}

    def ready_networks(self, scope, res):
        if not res.get("autoCreateSubnetworks"):
            return
        for i, region in enumerate(REGIONS):
            coll = "projects/%s/regions/%s/subnetworks" % (self.w.project,
                                                           region)
            sub = self.store(coll, {"name": res["name"], "network":
                                    res["selfLink"], "ipCidrRange":
                                    "10.%d.0.0/20" % (128 + 4 * i)})
            res["subnetworks"].append(sub["selfLink"])

    def prep_firewalls(self, scope, body, query):
        net = self.exists_or_400("networks", body.get("network") or
                                 "default", "global", "resource.network")
        body["network"] = net["selfLink"]
        if not body.get("allowed") and not body.get("denied"):
            raise ApiError(400, "Invalid value for field 'resource': "
                           "'%s'. Exactly one of allowed or denied must "
                           "be specified." % body["name"], "invalid")
        return {"direction": body.get("direction", "INGRESS"),
                "priority": body.get("priority", 1000),
                "logConfig": {"enable": False}, "disabled": False}

    def prep_addresses(self, scope, body, query):
        return {"address": body.get("address") or "34.%d.%d.%d" % (
            random.randint(0, 255), random.randint(0, 255),
            random.randint(1, 254)), "addressType":
            body.get("addressType", "EXTERNAL"), "networkTier":
            body.get("networkTier", "PREMIUM")}

    def prep_disks(self, scope, body, query):
        src = query.get("sourceImage") or body.get("sourceImage")
        extra = {"type": body.get("type") or self.w.link(
            "compute/v1", scope + "/diskTypes/pd-standard"),
            "physicalBlockSizeBytes": "4096", "users": []}
        if src:
            img = self.image(src)
            extra.update(sourceImage=img["selfLink"],
                         sourceImageId=img["id"])
            body.setdefault("sizeGb", img["diskSizeGb"])
        body["sizeGb"] = str(body.get("sizeGb", "10"))
        return extra

    def image(self, ref):
        m = re.search(r"(?:projects/([^/]+)/)?global/images/family/"
                      r"([^/]+)$", ref)
        if m:
            proj = m.group(1) or self.w.project
            return self.from_family("projects/%s/global/images" % proj,
                                    m.group(2))
        img = self.resolve("images", ref, "global")
        if img is None:
            raise ApiError(400, "Invalid value for field 'sourceImage': "
                           "'%s'. The referenced image resource cannot be "
                           "found." % ref, "invalid")
        return img

    def prep_images(self, scope, body, query):
        disk = self.resolve("disks", body.get("sourceDisk"), "")
        if disk is None:
            raise ApiError(400, "Invalid value for field "
                           "'resource.sourceDisk': '%s'. The referenced "
                           "disk resource cannot be found."
                           % body.get("sourceDisk"), "invalid")
        running = [u for u in disk.get("users", [])
                   if (self.resolve("instances", u, "") or {})
                   .get("status") != "TERMINATED"]
        if running and query.get("forceCreate") != "true":
            raise ApiError(400, "The disk resource '%s' is already being "
                           "used by '%s'" % (disk["selfLink"], running[0]),
                           "resourceInUseByAnotherResource")
        return {"sourceDisk": disk["selfLink"], "sourceDiskId": disk["id"],
                "sourceType": "RAW", "diskSizeGb": disk["sizeGb"],
                "archiveSizeBytes": str(int(disk["sizeGb"]) * 2**28),
                "storageLocations": ["us"]}

    def prep_instanceTemplates(self, scope, body, query):
        props = body.get("properties") or {}
        machine_cpus(props.get("machineType", ""))
        if not props.get("disks"):
            raise ApiError(400, "Invalid value for field "
                           "'resource.properties.disks': ''. At least one "
                           "disk must be specified.", "invalid")
        return {}

    def prep_instances(self, scope, body, query):
        zone = scope.rsplit("/", 1)[-1]
        src = query.get("sourceInstanceTemplate")
        if src:
            tpl = self.resolve("instanceTemplates", src, "global")
            if tpl is None:
                raise ApiError(400, "Invalid value for field "
                               "'sourceInstanceTemplate': '%s'. The "
                               "referenced instanceTemplate resource cannot "
                               "be found." % src, "invalid")
            merged = dict(tpl["properties"])
            merged["labels"] = dict(merged.get("labels") or {},
                                    **body.get("labels", {}))
            merged.update({k: v for k, v in body.items() if k != "labels"})
            body.clear()
            body.update(merged)
        mt = body.get("machineType", "")
        machine_cpus(mt)
        if "/" not in mt:
            body["machineType"] = "zones/%s/machineTypes/%s" % (zone, mt)
        body["machineType"] = self.w.link("compute/v1", "projects/%s/%s" % (
            self.w.project, re.sub(r"^.*?(zones/)", r"\1",
                                   body["machineType"])))
        if not body.get("disks"):
            raise ApiError(400, "Invalid value for field 'resource.disks':"
                           " ''. Boot disk must be specified.", "invalid")
        disks = []
        link = self.w.link("compute/v1", "%s/instances/%s"
                           % (scope, body["name"]))
        for i, d in enumerate(body["disks"]):
            d = dict(d)
            init = d.pop("initializeParams", None)
            if init:
                img = self.image(init.get("sourceImage", ""))
                dname = init.get("diskName") or (body["name"] if i == 0
                                                 else "%s-%d" % (
                                                     body["name"], i))
                coll = scope + "/disks"
                if (coll, dname) in self.w.items:
                    raise ApiError(409, "The resource '%s/%s' already "
                                   "exists" % (coll, dname),
                                   "alreadyExists")
                disk = self.store(coll, {
                    "name": dname, "sizeGb": str(init.get("diskSizeGb") or
                                                 img["diskSizeGb"]),
                    "sourceImage": img["selfLink"],
                    "sourceImageId": img["id"], "status": "READY",
                    "labels": init.get("labels", {}),
                    "type": init.get("diskType") or self.w.link(
                        "compute/v1", scope + "/diskTypes/pd-standard")})
                disk["users"] = [link]
                d["source"] = disk["selfLink"]
                d.setdefault("autoDelete", True)
            else:
                disk = self.resolve("disks", d.get("source"),
                                    scope.split("/", 2)[2])
                if disk is None:
                    raise ApiError(400, "Invalid value for field "
                                   "'resource.disks[%d].source': '%s'."
                                   % (i, d.get("source")), "invalid")
                disk.setdefault("users", []).append(link)
                d["source"] = disk["selfLink"]
                d.setdefault("autoDelete", False)
            d.update({"kind": "compute#attachedDisk", "index": i,
                      "boot": d.get("boot", i == 0), "type": "PERSISTENT",
                      "mode": d.get("mode", "READ_WRITE"),
                      "deviceName": d.get("deviceName") or
                      ("persistent-disk-%d" % i), "interface": "SCSI"})
            disks.append(d)
        body["disks"] = disks
        nics = []
        for i, n in enumerate(body.get("networkInterfaces") or [{}]):
            n = dict(n)
            sub = None
            if n.get("subnetwork"):
                sub = self.exists_or_400(
                    "subnetworks", n["subnetwork"], "regions/%s"
                    % ZONES[zone], "resource.networkInterfaces[%d]."
                    "subnetwork" % i)
                n["subnetwork"] = sub["selfLink"]
            # a subnetwork alone names its network; both must agree
            net = self.exists_or_400("networks", n.get("network") or
                                     (sub["network"] if sub else "default"),
                                     "global",
                                     "resource.networkInterfaces[%d]."
                                     "network" % i)
            if sub and sub["network"] != net["selfLink"]:
                raise ApiError(400, "Invalid value for field 'resource."
                               "networkInterfaces[%d].subnetwork': '%s'. "
                               "Subnetwork should belong to network '%s'."
                               % (i, sub["selfLink"], net["selfLink"]),
                               "invalid")
            n["network"] = net["selfLink"]
            n.update({"kind": "compute#networkInterface", "name":
                      "nic%d" % i, "fingerprint": "fp0=", "networkIP":
                      "10.128.%d.%d" % (random.randint(0, 15),
                                        random.randint(2, 254))})
            n["accessConfigs"] = [dict(a, kind="compute#accessConfig",
                                       type="ONE_TO_ONE_NAT",
                                       name=a.get("name", "External NAT"),
                                       natIP=a.get("natIP") or
                                       "35.%d.%d.%d" % (
                                           random.randint(0, 255),
                                           random.randint(0, 255),
                                           random.randint(1, 254)),
                                       networkTier="PREMIUM")
                                  for a in n.get("accessConfigs", [])]
            nics.append(n)
        body["networkInterfaces"] = nics
        meta = body.get("metadata") or {}
        body["metadata"] = {"kind": "compute#metadata",
                            "fingerprint": "fp0=",
                            "items": meta.get("items", [])}
        if "tags" in body:
            body["tags"] = dict(body["tags"], fingerprint="fp0=")
        sched = body.get("scheduling") or {}
        spot = sched.get("provisioningModel") == "SPOT" or \
            sched.get("preemptible")
        return {"scheduling": dict({"onHostMaintenance": "TERMINATE" if
                                    spot else "MIGRATE", "automaticRestart":
                                    not spot, "preemptible": bool(spot),
                                    "provisioningModel": "SPOT" if spot
                                    else "STANDARD"}, **sched),
                "cpuPlatform": "Intel Broadwell", "canIpForward":
                body.get("canIpForward", False), "deletionProtection":
                False, "startRestricted": False, "fingerprint": "fp0="}

    def ready_instances(self, scope, res):
        self.guest.boot(res)

    def prep_instanceGroupManagers(self, scope, body, query):
        tpl = self.exists_or_400("instanceTemplates",
                                 body.get("instanceTemplate"), "global",
                                 "resource.instanceTemplate")
        body["instanceTemplate"] = tpl["selfLink"]
        body.setdefault("baseInstanceName", body["name"])
        body["targetSize"] = int(body.get("targetSize", 0))
        return {"instanceGroup": self.w.link(
            "compute/v1", "%s/instanceGroups/%s" % (scope, body["name"])),
            "currentActions": {"none": 0, "creating": 0},
            "status": {"isStable": True}, "fingerprint": "fp0="}

    def ready_instanceGroupManagers(self, scope, res):
        """Brings the group's instances to its target size."""
        coll = scope + "/instances"
        mine = sorted(k for k, r in self.w.items.items()
                      if r.get("createdBy") == res["selfLink"])
        tpl = self.resolve("instanceTemplates", res["instanceTemplate"],
                           "global")
        while len(mine) > res["targetSize"]:
            key = mine.pop()
            self.remove(key[0], "instances", key[1])
        while len(mine) < res["targetSize"]:
            name = "%s-%s" % (res["baseInstanceName"], "".join(
                random.choice(string.ascii_lowercase) for _ in range(4)))
            body = dict(tpl["properties"], name=name)
            extra = self.prep_instances(scope, body, {})
            inst = self.store(coll, body)
            inst.update(extra, status="RUNNING",
                        createdBy=res["selfLink"])
            self.w.count("insert", coll)
            mine.append((coll, name))
