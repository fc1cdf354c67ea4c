"""guest.py: what runs inside the fake's instances: the serial console
and guest attributes, and (with --run-startup-scripts REGEX, for the
instances whose names match) the startup script.

A boot writes console lines to the instance's serial port output. With
scripts enabled, the `startup-script` metadata item runs with /bin/sh, as
Google's guest agent runs it, in a scratch directory, with PATH starting
with guestbin/ (a package manager that only prints what it would install)
and GCE_METADATA_HOST set to this fake's per-instance metadata server, so
`curl -X PUT http://$GCE_METADATA_HOST/computeMetadata/v1/instance/
guest-attributes/NS/KEY` reaches the instance's guest attributes. Its
output goes to the serial port prefixed as the agent does.
"""
import os
import re
import subprocess
import tempfile
import threading

from state import ApiError

HERE = os.path.dirname(os.path.abspath(__file__))


class Guest:
    def __init__(self, world, run_scripts):
        self.w = world
        self.run_scripts = run_scripts

    def key(self, res):
        return res["selfLink"]

    def write(self, res, text):
        k = self.key(res)
        self.w.serial[k] = self.w.serial.get(k, "") + text

    def forget(self, res):
        self.w.serial.pop(self.key(res), None)
        self.w.guest.pop(res["id"], None)

    def boot(self, res):
        """Called (lock held) when the instance becomes RUNNING."""
        self.write(res, "SeaBIOS (version 1.8.2)\r\nBooting from Hard "
                   "Disk 0...\r\n[    0.000000] Linux version 6.1.0\r\n"
                   "%s login: \r\n" % res["name"])
        script = next((i.get("value") for i in
                       res.get("metadata", {}).get("items", [])
                       if i.get("key") == "startup-script"), None)
        if not script:
            return
        if not self.run_scripts or \
                not re.fullmatch(self.run_scripts, res["name"]):
            self.write(res, "google_metadata_script_runner: startup-script "
                       "exit status 0\r\n")
            return
        threading.Thread(target=self.run, args=(res, script),
                         daemon=True).start()

    def run(self, res, script):
        with tempfile.TemporaryDirectory(prefix="fakegcp-guest-") as d:
            env = {"PATH": os.path.join(HERE, "guestbin") + ":" +
                   os.environ.get("PATH", "/usr/bin:/bin"),
                   "HOME": d, "GCE_METADATA_HOST": "%s/_guest/%s" % (
                       self.w.base.split("://", 1)[1], res["id"])}
            path = os.path.join(d, "startup-script")
            with open(path, "w") as f:
                f.write(script)
            proc = subprocess.run(["/bin/sh", path], cwd=d, env=env,
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, timeout=60)
        lines = proc.stdout.decode(errors="replace").splitlines()
        text = "".join("google_metadata_script_runner: startup-script: "
                       "%s\r\n" % line for line in lines)
        text += ("google_metadata_script_runner: startup-script exit "
                 "status %d\r\n" % proc.returncode)
        with self.w.lock:
            if (self.key(res).split("/compute/v1/")[1].rpartition("/")[0],
                    res["name"]) in self.w.items:
                self.write(res, text)

    def put(self, inst_id, ns_key, value):
        """A guest's PUT to its metadata server."""
        self.w.guest.setdefault(inst_id, {})[ns_key] = value

    def getGuestAttributes(self, res, query):
        attrs = self.w.guest.get(res["id"], {})
        out = {"kind": "compute#guestAttributes", "selfLink":
               res["selfLink"] + "/getGuestAttributes"}
        if query.get("variableKey"):
            k = query["variableKey"]
            if k not in attrs:
                raise ApiError(404, "The resource '%s/guestAttributes/%s'"
                               " was not found" % (res["selfLink"], k),
                               "notFound")
            out.update(variableKey=k, variableValue=attrs[k])
            return out
        qp = query.get("queryPath", "")
        items = [{"namespace": k.split("/")[0], "key": k.split("/", 1)[1],
                  "value": v} for k, v in sorted(attrs.items())
                 if k.startswith(qp)]
        if not items:
            raise ApiError(404, "The resource '%s/guestAttributes/%s' was"
                           " not found" % (res["selfLink"], qp), "notFound")
        out.update(queryPath=qp, queryValue={"items": items})
        return out

    def getSerialPortOutput(self, res, query):
        text = self.w.serial.get(self.key(res), "")
        start = int(query.get("start", 0) or 0)
        data = text.encode()
        if start < 0:
            start = max(0, len(data) + start)
        return {"kind": "compute#serialPortOutput",
                "contents": data[start:].decode(errors="replace"),
                "start": str(start), "next": str(len(data)),
                "selfLink": res["selfLink"] + "/serialPort"}
