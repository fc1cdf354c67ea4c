"""compute_vm.py: the fake Compute Engine's machines and their parts:
disks, images (from a family, from a disk), instance templates, instances
(from a template or described; boot disks, network interfaces, accessed
addresses, scheduling; the regional CPU quota) and managed instance
groups (brought to their target size). A mixin of compute.Compute, as
compute_net.py is."""
import random
import re
import string

from compute_kinds import ZONES, machine_cpus
from state import ApiError


class MachineKinds:
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
        if body.get("sourceImage") and not body.get("sourceDisk"):
            img = self.image(body["sourceImage"])
            return {"sourceImage": img["selfLink"],
                    "sourceImageId": img["id"], "sourceType": "RAW",
                    "diskSizeGb": img["diskSizeGb"],
                    "archiveSizeBytes": img.get("archiveSizeBytes", "0"),
                    "storageLocations": ["us"]}
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
