#!/usr/bin/env python3
"""k8s-fake-kubelet.py: the kubelet, scheduler and cloud load balancer of
the test cluster, as API state only (no containers run).

k8s-up.sh starts it against `kubectl proxy`. It registers one Node (Ready)
and then follows two watches:
  Pods:     a Pending Pod with no node whose nodeSelector matches the node's
            labels is bound to the node (the scheduler's Binding); a Pod on
            the node is reported as a kubelet would once its containers
            started: restartPolicy Always -> Running and Ready; Never or
            OnFailure -> Succeeded (exit 0), or Failed when the Pod has the
            annotation blueprint.test/exit-code with another value. A Pod
            on the node that is being deleted is removed (grace period 0),
            as the kubelet confirms a deletion.
            A Pod whose nodeSelector does not match stays Pending for ever:
            that is how a test makes a rollout that never finishes.
  Services: type LoadBalancer gets status.loadBalancer.ingress (an address
            from 192.0.2.0/24, TEST-NET-1), as a cloud controller would.
Each watch lists first, then watches from that resourceVersion, and starts
over when the stream ends or fails.
"""
import argparse
import json
import sys
import threading
import time
import urllib.error
import urllib.request

EXIT_CODE_ANNOTATION = "blueprint.test/exit-code"


class Api:
    def __init__(self, base):
        self.base = base.rstrip("/")

    def call(self, method, path, body=None, ctype="application/json"):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", ctype)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, json.loads(r.read() or b"{}")
        except urllib.error.HTTPError as e:
            return e.code, {}

    def watch(self, path, rv):
        url = "%s%s?watch=1&allowWatchBookmarks=false&timeoutSeconds=300&resourceVersion=%s" % (
            self.base, path, rv)
        with urllib.request.urlopen(url, timeout=330) as r:
            for line in r:
                if line.strip():
                    yield json.loads(line)


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, flush=True)


def register_node(api, node):
    labels = {"kubernetes.io/hostname": node, "kubernetes.io/os": "linux",
              "kubernetes.io/arch": "amd64", "node-role.blueprint.test/fake": "true"}
    st, _ = api.call("POST", "/api/v1/nodes", {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": node, "labels": labels}})
    if st not in (200, 201, 409):
        raise SystemExit("cannot register node %s: HTTP %d" % (node, st))
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    st, _ = api.call("PATCH", "/api/v1/nodes/%s/status" % node, {"status": {
        "capacity": {"cpu": "8", "memory": "32Gi", "pods": "250"},
        "allocatable": {"cpu": "8", "memory": "32Gi", "pods": "250"},
        "addresses": [{"type": "InternalIP", "address": "192.0.2.1"},
                      {"type": "Hostname", "address": node}],
        "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                        "message": "fake kubelet", "lastHeartbeatTime": now,
                        "lastTransitionTime": now}]}},
        "application/merge-patch+json")
    if st != 200:
        raise SystemExit("cannot set the status of node %s: HTTP %d" % (node, st))
    # The API server taints a new node not-ready; the node lifecycle
    # controller (not run here) would lift it once the node is Ready.
    st, _ = api.call("PATCH", "/api/v1/nodes/%s" % node, {"spec": {"taints": None}},
                     "application/merge-patch+json")
    if st != 200:
        raise SystemExit("cannot untaint node %s: HTTP %d" % (node, st))
    return labels


class PodRunner:
    def __init__(self, api, node, labels):
        self.api, self.node, self.labels = api, node, labels
        self.next_ip = 10

    def handle(self, pod):
        meta, spec = pod["metadata"], pod.get("spec", {})
        ns, name = meta["namespace"], meta["name"]
        where = "/api/v1/namespaces/%s/pods/%s" % (ns, name)
        if meta.get("deletionTimestamp"):
            if spec.get("nodeName") == self.node:
                self.api.call("DELETE", where + "?gracePeriodSeconds=0")
                log("deleted", ns, name)
            return
        if not spec.get("nodeName"):
            sel = spec.get("nodeSelector") or {}
            if any(self.labels.get(k) != v for k, v in sel.items()):
                return
            st, _ = self.api.call("POST", where + "/binding", {
                "apiVersion": "v1", "kind": "Binding", "metadata": {"name": name},
                "target": {"apiVersion": "v1", "kind": "Node", "name": self.node}})
            log("bound", ns, name, st)
            return
        if spec["nodeName"] != self.node:
            return
        if pod.get("status", {}).get("phase", "Pending") != "Pending":
            return
        self.start(pod, where)

    def start(self, pod, where):
        spec = pod["spec"]
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        code = int((pod["metadata"].get("annotations") or {}).get(EXIT_CODE_ANNOTATION, "0"))
        runs = spec.get("restartPolicy", "Always") == "Always"
        self.next_ip = self.next_ip % 250 + 1
        if runs:
            phase, ready = "Running", "True"
            state = {"running": {"startedAt": now}}
        else:
            phase, ready = ("Succeeded" if code == 0 else "Failed"), "False"
            state = {"terminated": {"exitCode": code, "startedAt": now, "finishedAt": now,
                                    "reason": "Completed" if code == 0 else "Error"}}
        status = {
            "phase": phase, "hostIP": "192.0.2.1", "podIP": "10.244.0.%d" % self.next_ip,
            "startTime": now,
            "conditions": [{"type": t, "status": s, "lastTransitionTime": now}
                           for t, s in (("PodScheduled", "True"), ("Initialized", "True"),
                                        ("ContainersReady", ready), ("Ready", ready))],
            "containerStatuses": [{
                "name": c["name"], "image": c.get("image", ""), "imageID": "",
                "ready": ready == "True", "started": runs, "restartCount": 0,
                "state": state} for c in spec.get("containers", [])]}
        st, _ = self.api.call("PATCH", where + "/status", {"status": status},
                              "application/merge-patch+json")
        log("started", pod["metadata"]["namespace"], pod["metadata"]["name"], phase, st)


class LoadBalancer:
    def __init__(self, api):
        self.api = api
        self.next_ip = 100

    def handle(self, svc):
        if svc.get("spec", {}).get("type") != "LoadBalancer":
            return
        if (svc.get("status", {}).get("loadBalancer") or {}).get("ingress"):
            return
        if svc["metadata"].get("deletionTimestamp"):
            return
        self.next_ip = self.next_ip % 250 + 1
        ns, name = svc["metadata"]["namespace"], svc["metadata"]["name"]
        st, _ = self.api.call(
            "PATCH", "/api/v1/namespaces/%s/services/%s/status" % (ns, name),
            {"status": {"loadBalancer": {"ingress": [{"ip": "192.0.2.%d" % self.next_ip}]}}},
            "application/merge-patch+json")
        log("load balancer", ns, name, st)


def follow(api, path, handler):
    while True:
        try:
            st, lst = api.call("GET", path)
            if st != 200:
                raise RuntimeError("list %s: HTTP %d" % (path, st))
            for item in lst.get("items", []):
                handler.handle(item)
            rv = lst["metadata"]["resourceVersion"]
            for ev in api.watch(path, rv):
                if ev.get("type") in ("ADDED", "MODIFIED"):
                    handler.handle(ev["object"])
                elif ev.get("type") == "ERROR":
                    break
        except Exception as e:  # the stream ended or failed: list again
            log("watch", path, "restarts:", e)
            time.sleep(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--api", required=True, help="kubectl proxy URL")
    ap.add_argument("--node", default="fake-node")
    a = ap.parse_args()
    api = Api(a.api)
    labels = register_node(api, a.node)
    log("node", a.node, "registered")
    t = threading.Thread(target=follow, args=(api, "/api/v1/services", LoadBalancer(api)),
                         daemon=True)
    t.start()
    follow(api, "/api/v1/pods", PodRunner(api, a.node, labels))


if __name__ == "__main__":
    sys.exit(main())
