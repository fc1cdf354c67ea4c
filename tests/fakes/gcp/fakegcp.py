#!/usr/bin/env python3
"""fakegcp.py: a local fake of the Google Cloud REST APIs the gcp plugin
uses, for tests: Compute Engine v1 under /compute/v1/, Filestore v1 under
/file/v1/, GKE v1 under /container/v1/, the OAuth token endpoint /token
and the metadata server under /computeMetadata/v1/ (compute.py,
services.py, oauth.py). Listens on 127.0.0.1 on a free port, written to
--port-file once it serves.

Every API request needs `Authorization: Bearer TOKEN` with a token /token
issued and that has not expired (401 UNAUTHENTICATED otherwise), unless
--allow-anonymous (what gcloud with auth/disable_credentials sends).

Control, for tests (no auth): GET /_fake/stats -> {"counts", "live",
"token_grants", "auth_failures"}; POST /_fake/config with {"quota":
{"CPUS": 8, "NETWORKS": 2}, "fail": [{"collection": "instances", "name":
"x", "code": "ZONE_RESOURCE_POOL_EXHAUSTED", "message": "...", "count":
1}], "op_seconds": 0.2, "token_ttl": 2, "revoke_tokens": true,
"issue_token": "TOKEN" (null: random ones again)}.

A GKE cluster's endpoint and CA are --gke-endpoint (HOST[:PORT]) and
--gke-ca (a PEM file): a test points them at a real kube-apiserver and
makes /token issue its bearer token (--issue-token, oauth.py).
"""
import argparse
import json
import os
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from compute import Compute          # noqa: E402
from oauth import OAuth, load_public_key  # noqa: E402
from services import Filestore, Gke  # noqa: E402
from state import ApiError, World    # noqa: E402


class Fake:
    def __init__(self, args, base):
        self.w = World(args.project, args.op_seconds, base)
        self.anonymous = args.allow_anonymous
        self.oauth = OAuth(self.w, args.token_ttl, args.issue_token,
                           args.token_log)
        for spec in args.service_account:
            email, path = spec.split("=", 1)
            with open(path) as f:
                self.oauth.keys[email] = load_public_key(f.read())
        for spec in args.authorized_user:
            self.oauth.users.add(tuple(spec.split(":", 2)))
        ca = ""
        if args.gke_ca:
            with open(args.gke_ca) as f:
                ca = f.read()
        self.apis = {"compute": Compute(self.w, args.run_startup_scripts),
                     "file": Filestore(self.w),
                     "container": Gke(self.w, args.gke_endpoint, ca)}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake = None

    def log_message(self, *a):
        pass

    def reply(self, code, body, ctype="application/json; charset=UTF-8"):
        data = b"" if body is None else (
            body if isinstance(body, bytes) else
            json.dumps(body, indent=1).encode())
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def do_DELETE(self):
        self.route("DELETE")

    def do_PATCH(self):
        self.route("PATCH")

    def do_PUT(self):
        self.route("PUT")

    def route(self, method):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        raw = self.body()
        parts = [urllib.parse.unquote(p) for p in url.path.split("/") if p]
        fake = self.fake
        w = fake.w
        try:
            with w.lock:
                w.tick()
                if parts[:1] == ["_fake"]:
                    return self.control(method, parts, raw)
                if parts == ["token"] and method == "POST":
                    form = dict(urllib.parse.parse_qsl(raw.decode()))
                    code, out = fake.oauth.token(
                        form, "%s/token" % w.base)
                    return self.reply(code, out)
                if parts[:2] == ["computeMetadata", "v1"] or \
                        parts[:1] == ["_guest"]:
                    return self.metadata(method, parts, raw)
                api = fake.apis.get(parts[0] if parts else "")
                if api is None or parts[1:2] != ["v1"]:
                    raise ApiError(404, "Not Found: %s" % url.path)
                self.authorize()
                body = json.loads(raw) if raw else None
                out = api.handle(method, parts[2:], query, body)
                return self.reply(200, {} if out is None else out)
        except ApiError as e:
            return self.reply(e.code, e.body())
        except (ValueError, KeyError, TypeError) as e:
            err = ApiError(400, "Invalid JSON payload received. %s" % e,
                           "parseError")
            return self.reply(400, err.body())

    def authorize(self):
        auth = self.headers.get("Authorization", "")
        if not auth and self.fake.anonymous:
            return
        tok = auth[7:] if auth.startswith("Bearer ") else ""
        if not self.fake.oauth.valid(tok):
            self.fake.w.auth_failures += 1
            raise ApiError(401, "Request had invalid authentication "
                           "credentials. Expected OAuth 2 access token, "
                           "login cookie or other valid authentication "
                           "credential.", "authError")

    def metadata(self, method, parts, raw):
        if self.headers.get("Metadata-Flavor") != "Google":
            return self.reply(403, b"Missing Metadata-Flavor:Google header",
                              "text/html")
        if parts[:1] == ["_guest"]:
            # /_guest/ID/computeMetadata/v1/...: one instance's server
            parts = parts[2:]
            if method == "PUT" and parts[3:4] == ["guest-attributes"]:
                self.fake.apis["compute"].guest.put(
                    self.path.split("/")[2], "/".join(parts[4:6]),
                    raw.decode())
                return self.reply(200, b"", "text/plain")
        rest = "/".join(parts[2:])
        if rest == "instance/service-accounts/default/token":
            return self.reply(200, self.fake.oauth.grant())
        if rest == "project/project-id":
            return self.reply(200, self.fake.w.project.encode(),
                              "application/text")
        return self.reply(404, b"Not Found", "text/html")

    def control(self, method, parts, raw):
        w = self.fake.w
        if method == "POST" and parts[1:] == ["config"]:
            cfg = json.loads(raw or b"{}")
            w.quota.update(cfg.get("quota", {}))
            w.fail.extend(cfg.get("fail", []))
            if cfg.get("revoke_tokens"):
                self.fake.oauth.tokens.clear()
            if "issue_token" in cfg:
                self.fake.oauth.issue_token = cfg["issue_token"] or None
            if "token_ttl" in cfg:
                self.fake.oauth.ttl = int(cfg["token_ttl"])
            if "op_seconds" in cfg:
                w.op_seconds = float(cfg["op_seconds"])
            return self.reply(200, {})
        return self.reply(200, {"counts": w.counts, "live": w.live(),
                                "token_grants": w.token_grants,
                                "auth_failures": w.auth_failures})


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--project", default="test-project")
    ap.add_argument("--op-seconds", type=float, default=0.5)
    ap.add_argument("--token-ttl", type=int, default=3600)
    ap.add_argument("--service-account", action="append", default=[],
                    metavar="EMAIL=PUBLIC_KEY.pem")
    ap.add_argument("--authorized-user", action="append", default=[],
                    metavar="CLIENT_ID:SECRET:REFRESH_TOKEN")
    ap.add_argument("--allow-anonymous", action="store_true")
    ap.add_argument("--run-startup-scripts", metavar="NAME_REGEX",
                    help="run the startup scripts of instances whose names "
                    "match (on this machine: only for tests' own scripts)")
    ap.add_argument("--gke-endpoint", default="127.0.0.1",
                    help="the endpoint GKE clusters get (HOST[:PORT])")
    ap.add_argument("--gke-ca", metavar="PEM_FILE",
                    help="the CA certificate GKE clusters get")
    ap.add_argument("--issue-token", metavar="TOKEN",
                    help="the access token /token issues (default: random)")
    ap.add_argument("--token-log", metavar="FILE",
                    help="JSON lines: one per token request (oauth.py)")
    args = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    base = "http://127.0.0.1:%d" % srv.server_address[1]
    Handler.fake = Fake(args, base)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, args.port_file)
    threading.current_thread().name = "fakegcp"
    srv.serve_forever()


if __name__ == "__main__":
    main()
