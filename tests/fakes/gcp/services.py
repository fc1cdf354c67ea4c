"""services.py: Filestore (file.googleapis.com v1) and GKE
(container.googleapis.com v1) in the fake.

  /file/v1/projects/P/locations/L/instances[?instanceId=N]  GET, POST
  /file/v1/projects/P/locations/L/instances/N               GET, DELETE
  /file/v1/projects/P/locations/L/operations/OP             GET
  /container/v1/projects/P/locations/L/clusters             GET, POST
  /container/v1/projects/P/locations/L/clusters/N           GET, DELETE
  /container/v1/projects/P/locations/L/operations/OP        GET
Both return Operations (operations.py); errors are google.rpc.Status.
"""
import base64
import random
import re

import listing
from operations import gke_op, lro_op
from state import ApiError, not_found, now_rfc3339

TIERS = {"BASIC_HDD": 1024, "BASIC_SSD": 2560, "STANDARD": 1024,
         "PREMIUM": 2560, "ZONAL": 1024, "ENTERPRISE": 1024}


def _in(coll, c):
    """Whether collection c is coll, where coll's location may be "-"
    (every location)."""
    if "/locations/-/" not in coll:
        return c == coll
    head, tail = coll.split("/locations/-/")
    return c.startswith(head + "/locations/") and c.endswith("/" + tail)


def _loc(parts, w):
    if len(parts) < 5 or parts[0] != "projects" or parts[2] != "locations":
        raise not_found("/".join(parts))
    return "projects/%s/locations/%s" % (parts[1], parts[3]), parts[4:]


class Filestore:
    def __init__(self, world):
        self.w = world

    def handle(self, method, parts, query, body):
        w = self.w
        loc, rest = _loc(parts, w)
        if rest[0] == "operations" and len(rest) == 2:
            op = w.ops.get("file:%s/operations/%s" % (loc, rest[1]))
            if op is None:
                raise not_found("%s/operations/%s" % (loc, rest[1]))
            return dict(op)
        if rest[0] != "instances":
            raise not_found("/".join(parts))
        coll = loc + "/instances"
        if len(rest) == 1 and method == "GET":
            terms = listing.parse_filter(query.get("filter"))
            items = [r for (c, _), r in sorted(w.items.items())
                     if _in(coll, c) and listing.matches(r, terms)]
            items, nxt = listing.page(items, query, "pageSize")
            out = {"instances": items}
            if nxt:
                out["nextPageToken"] = nxt
            return out
        if len(rest) == 1 and method == "POST":
            return self.create(loc, coll, query.get("instanceId", ""),
                               body or {})
        name = rest[1]
        res = w.items.get((coll, name))
        if res is None:
            raise not_found("%s/%s" % (coll, name))
        if method == "GET":
            return res
        if method == "DELETE":
            res["state"] = "DELETING"
            w.count("delete", coll, "filestore")
            return lro_op(w, "file", loc, "delete", res["name"],
                          lambda f: w.items.pop((coll, name), None),
                          lambda: None)
        raise not_found("%s/%s" % (coll, name))

    def create(self, loc, coll, name, body):
        w = self.w
        if not re.match(r"[a-z]([-a-z0-9]{0,61}[a-z0-9])?$", name):
            raise ApiError(400, "instance_id must match [a-z]([-a-z0-9]*"
                           "[a-z0-9])?", status="INVALID_ARGUMENT")
        if (coll, name) in w.items:
            raise ApiError(409, "Resource '%s/%s' already exists"
                           % (coll, name), status="ALREADY_EXISTS")
        tier = body.get("tier", "BASIC_HDD")
        shares = body.get("fileShares") or []
        if tier not in TIERS or len(shares) != 1:
            raise ApiError(400, "invalid tier or file shares: one file "
                           "share and a tier of %s" % ", ".join(TIERS),
                           status="INVALID_ARGUMENT")
        cap = int(shares[0].get("capacityGb", 0))
        if cap < TIERS[tier]:
            raise ApiError(400, "capacity of share '%s' must be at least "
                           "%d GB for tier %s" % (shares[0].get("name"),
                                                  TIERS[tier], tier),
                           status="INVALID_ARGUMENT")
        nets = body.get("networks") or [{"network": "default",
                                         "modes": ["MODE_IPV4"]}]
        res = dict(body, name="%s/%s" % (coll, name), state="CREATING",
                   createTime=now_rfc3339(), tier=tier,
                   fileShares=[dict(shares[0], capacityGb=str(cap))],
                   networks=[dict(n, reservedIpRange="10.%d.0.0/29" %
                                  random.randint(0, 255),
                                  ipAddresses=["10.%d.%d.2" % (
                                      random.randint(0, 255),
                                      random.randint(0, 255))])
                             for n in nets])
        w.items[(coll, name)] = res
        w.count("insert", coll, "filestore")
        failure = w.find_failure(coll, name)

        def effect(failed):
            if failed:
                w.items.pop((coll, name), None)
            else:
                res["state"] = "READY"

        def response():
            return dict(res, **{"@type": "type.googleapis.com/google.cloud."
                                "filestore.v1.Instance"})
        if failure:
            failure = {"code": 8, "message": failure["message"]}
        return lro_op(w, "file", loc, "create", res["name"], effect,
                      response, failure)


class Gke:
    def __init__(self, world, endpoint, ca_pem):
        self.w = world
        self.endpoint = endpoint
        self.ca = base64.b64encode(ca_pem.encode()).decode()

    def handle(self, method, parts, query, body):
        w = self.w
        loc, rest = _loc(parts, w)
        location = loc.rsplit("/", 1)[1]
        if rest[0] == "operations" and len(rest) == 2:
            op = w.ops.get("container:%s/operations/%s" % (loc, rest[1]))
            if op is None:
                raise not_found("%s/operations/%s" % (loc, rest[1]))
            return dict(op)
        if rest[0] != "clusters":
            raise not_found("/".join(parts))
        coll = loc + "/clusters"
        if len(rest) == 1 and method == "GET":
            return {"clusters": [r for (c, _), r in sorted(w.items.items())
                                 if _in(coll, c)]}
        if len(rest) == 1 and method == "POST":
            return self.create(loc, location, coll,
                               (body or {}).get("cluster") or {})
        name = rest[1]
        res = w.items.get((coll, name))
        if res is None:
            raise not_found("%s/%s" % (coll, name))
        if method == "GET":
            return res
        if method == "DELETE":
            res["status"] = "STOPPING"
            w.count("delete", coll)
            return gke_op(w, location, "DELETE_CLUSTER", "%s/%s"
                          % (coll, name),
                          lambda f: w.items.pop((coll, name), None))
        raise not_found("%s/%s" % (coll, name))

    def create(self, loc, location, coll, cluster):
        w = self.w
        name = cluster.get("name", "")
        if not re.match(r"[a-z]([-a-z0-9]{0,38}[a-z0-9])?$", name):
            raise ApiError(400, "Invalid value for field \"cluster.name\":"
                           " \"%s\"" % name, status="INVALID_ARGUMENT")
        if (coll, name) in w.items:
            raise ApiError(409, "Already exists: %s/%s." % (coll, name),
                           status="ALREADY_EXISTS")
        count = cluster.get("initialNodeCount", 0)
        pools = cluster.get("nodePools") or [{
            "name": "default-pool", "initialNodeCount": count or 3,
            "config": cluster.get("nodeConfig") or
            {"machineType": "e2-medium", "diskSizeGb": 100}}]
        res = dict(cluster, location=location, zone=location,
                   status="PROVISIONING", createTime=now_rfc3339(),
                   selfLink=w.link("container/v1", "%s/%s" % (coll, name)),
                   endpoint="", currentMasterVersion="1.30.5-gke.1014001",
                   currentNodeVersion="1.30.5-gke.1014001",
                   nodePools=[dict(p, status="PROVISIONING") for p in pools],
                   network=cluster.get("network", "default"),
                   clusterIpv4Cidr="10.4.0.0/14",
                   servicesIpv4Cidr="10.8.0.0/20",
                   masterAuth={"clusterCaCertificate": self.ca})
        res.pop("initialNodeCount", None)
        w.items[(coll, name)] = res
        w.count("insert", coll)
        failure = w.find_failure(coll, name)

        def effect(failed):
            if failed:
                w.items.pop((coll, name), None)
                return
            res["status"] = "RUNNING"
            res["endpoint"] = self.endpoint
            res["currentNodeCount"] = sum(p.get("initialNodeCount", 0)
                                          for p in res["nodePools"])
            for p in res["nodePools"]:
                p["status"] = "RUNNING"
        if failure:
            failure = {"code": 8, "message": failure["message"]}
        return gke_op(w, location, "CREATE_CLUSTER", "%s/%s" % (coll, name),
                      effect, failure)
