"""compute_net.py: the fake Compute Engine's network resources: how an
insert of a network (auto or custom mode, its auto subnetworks when
ready), subnetwork, firewall rule or address is checked and completed.
A mixin of compute.Compute, which calls prep_KIND(scope, body, query)
before storing a resource (the fields it adds) and ready_KIND(scope, res)
when its operation is done."""
import random
import re

from compute_kinds import REGIONS
from state import ApiError


class NetworkKinds:
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
