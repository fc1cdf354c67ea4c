"""compute_kinds.py: what the fake's Compute Engine knows of the world:
its zones and regions, resource names, collections (their compute#kind,
scope and statuses) and machine types (their CPUs)."""
import re

from state import ApiError

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
