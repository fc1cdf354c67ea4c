#!/usr/bin/env python3
"""faultproxy.py: an HTTP proxy for tests that injects faults on the way.

    faultproxy.py --upstream http://127.0.0.1:PORT --port-file F \\
        [--rules RULES.json] [--log LOG.jsonl]

Listens on 127.0.0.1 on a random port (written to F, atomically, once it
accepts connections) and forwards each request to the upstream: method,
target, headers and body as they came, Host rewritten to the upstream's.
Both sides speak HTTP/1.1 with keep-alive (one upstream connection per
client connection). A chunked request body is forwarded with its length;
a response is streamed as it arrives (chunk by chunk, so a Kubernetes
`?watch=1` passes through live), framed as the upstream framed it, or
chunked when the upstream closed to end it.

RULES is a JSON list of faults; the file is re-read whenever it changes
(mtime, size or inode), so a test can change faults mid-run (write it
elsewhere and rename it over). A missing file means no faults; a file that
does not parse keeps the previous rules (a warning on stderr). A rule:
  {"method": "POST" or null (any),
   "path": "regex searched in path?query" (default: any),
   "skip": N      pass the first N matching requests (default 0),
   "count": N     how many matching requests after those get the fault
                  (default 1; a negative count: all of them),
   "fault": "status" | "reset" | "delay" | "close",
   "status": 429, "retry_after": "1", "body": "...",   (fault "status")
   "headers": {"Name": "value"},                       (fault "status")
   "delay_ms": 500}                                    (fault "delay")
  status: answer with that status (default 503), Retry-After when given,
          and the body (Content-Type application/json when it is JSON),
          without forwarding; the connection stays open;
  reset:  read the request, then RST the connection (SO_LINGER 0);
  close:  read the request, then close the connection with no response;
  delay:  wait delay_ms, then forward.
Each rule counts every request it matches, independently of the others
(so skip/count mean the same whatever the other rules do); when several
rules fire for a request, the first one in the list applies. Loading a
changed file starts every count again.

LOG gets one JSON object per request, flushed at once, written when its
response starts (or when the fault ends the connection):
  {"t": arrival time (unix, float), "method": ..., "path": ...,
   "fault": null or the fault name, "status": status sent or null}
"""

import argparse
import http.client
import http.server
import json
import os
import re
import socket
import socketserver
import ssl
import struct
import sys
import threading
import time
import urllib.parse

HOP_BY_HOP = {
    "connection", "keep-alive", "proxy-connection", "transfer-encoding",
    "te", "trailer", "upgrade", "expect", "host", "content-length",
}
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


class Rule:
    """One fault rule and the number of requests it has matched."""

    def __init__(self, spec):
        if not isinstance(spec, dict):
            raise ValueError("a rule must be an object")
        self.method = spec.get("method")
        self.path = re.compile(spec.get("path") or "")
        self.skip = int(spec.get("skip", 0))
        self.count = int(spec.get("count", 1))
        self.fault = spec.get("fault")
        if self.fault not in ("status", "reset", "delay", "close"):
            raise ValueError("unknown fault %r" % (self.fault,))
        self.spec = spec
        self.seen = 0

    def matches(self, method, path):
        """Counts the request when it matches; true when the fault fires."""
        if self.method and self.method.upper() != method:
            return False
        if not self.path.search(path):
            return False
        self.seen += 1
        if self.seen <= self.skip:
            return False
        return self.count < 0 or self.seen <= self.skip + self.count


class Rules:
    """The rules file, re-read when it changes; thread-safe."""

    def __init__(self, path):
        self.path = path
        self.stamp = None
        self.rules = []
        self.lock = threading.Lock()

    def _reload(self):
        try:
            st = os.stat(self.path)
            stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        except FileNotFoundError:
            stamp = None
        if stamp == self.stamp:
            return
        self.stamp = stamp
        if stamp is None:
            self.rules = []
            return
        try:
            with open(self.path, encoding="utf-8") as f:
                specs = json.load(f)
            if not isinstance(specs, list):
                raise ValueError("the rules must be a JSON list")
            self.rules = [Rule(s) for s in specs]
        except (OSError, ValueError) as e:
            print("faultproxy: %s: %s (keeping the previous rules)"
                  % (self.path, e), file=sys.stderr, flush=True)

    def pick(self, method, path):
        """The spec of the rule that fires for this request, or None."""
        if not self.path:
            return None
        with self.lock:
            self._reload()
            fired = None
            for rule in self.rules:
                if rule.matches(method, path) and fired is None:
                    fired = rule.spec
            return fired


class Log:
    """The JSON-lines request log (or nothing)."""

    def __init__(self, path):
        self.file = open(path, "a", encoding="utf-8") if path else None
        self.lock = threading.Lock()

    def write(self, t, method, path, fault, status):
        if not self.file:
            return
        line = json.dumps({"t": t, "method": method, "path": path,
                           "fault": fault, "status": status})
        with self.lock:
            self.file.write(line + "\n")
            self.file.flush()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "faultproxy"

    def setup(self):
        super().setup()
        self.upstream = None

    def finish(self):
        super().finish()
        if self.upstream:
            self.upstream.close()

    def log_message(self, format, *args):
        pass

    def _read_body(self):
        """The request body (chunked or Content-Length), or None."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts = []
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline(65537)
        length = self.headers.get("Content-Length")
        if length is None:
            return None
        return self.rfile.read(int(length))

    def _target(self):
        """The origin-form target (path?query) of the request."""
        if self.path.startswith("/"):
            return self.path
        u = urllib.parse.urlsplit(self.path)
        return (u.path or "/") + ("?" + u.query if u.query else "")

    def _drop(self, rst):
        """Ends the client connection with an RST or a plain close."""
        self.close_connection = True
        sock = self.connection
        if rst:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                            struct.pack("ii", 1, 0))
        else:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        # the socket's descriptor closes only with its file objects
        self.rfile.close()
        self.wfile.close()
        sock.close()

    def _answer(self, spec):
        status = int(spec.get("status", 503))
        body = spec.get("body", "")
        if not isinstance(body, str):
            body = json.dumps(body)
        data = body.encode("utf-8")
        try:
            json.loads(body)
            ctype = "application/json"
        except ValueError:
            ctype = "text/plain; charset=utf-8"
        self.send_response_only(status)
        if spec.get("retry_after") is not None:
            self.send_header("Retry-After", str(spec["retry_after"]))
        headers = spec.get("headers") or {}
        if "content-type" not in (k.lower() for k in headers):
            self.send_header("Content-Type", ctype)
        for k, v in headers.items():
            self.send_header(k, str(v))
        if self.command != "HEAD":
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        self.wfile.flush()
        return status

    def _connect(self):
        u = self.server.upstream
        if u.scheme == "https":
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            return http.client.HTTPSConnection(u.hostname, u.port or 443,
                                               context=ctx)
        return http.client.HTTPConnection(u.hostname, u.port or 80)

    def _send_upstream(self, target, body):
        """Sends the request upstream, on the kept connection when it is
        still good (one new connection when the upstream had closed it)."""
        for fresh in (False, True):
            if fresh or self.upstream is None:
                if self.upstream:
                    self.upstream.close()
                self.upstream = self._connect()
                fresh = True
            conn = self.upstream
            try:
                conn.putrequest(self.command, target, skip_host=True,
                                skip_accept_encoding=True)
                conn.putheader("Host", self.server.upstream.netloc)
                for k, v in self.headers.items():
                    if k.lower() not in HOP_BY_HOP:
                        conn.putheader(k, v)
                if body is not None:
                    conn.putheader("Content-Length", str(len(body)))
                conn.endheaders(body)
                return conn.getresponse()
            except (http.client.RemoteDisconnected, BrokenPipeError,
                    ConnectionResetError):
                conn.close()
                self.upstream = None
                if fresh:
                    raise
        raise AssertionError("unreachable")

    def _forward(self, target, body):
        """Forwards the request; returns the upstream's status (502 when it
        could not be reached). Streams the response body to the client."""
        try:
            resp = self._send_upstream(target, body)
        except (OSError, http.client.HTTPException) as e:
            if self.upstream:
                self.upstream.close()
                self.upstream = None
            return self._answer({"status": 502,
                                 "body": "faultproxy: upstream: %s" % e}), None
        self.send_response_only(resp.status, resp.reason)
        for k, v in resp.msg.items():
            if k.lower() not in HOP_BY_HOP:
                self.send_header(k, v)
        bodyless = (self.command == "HEAD" or resp.status in (204, 304)
                    or 100 <= resp.status < 200)
        length = resp.getheader("Content-Length")
        if bodyless:
            mode = "none"
            if length is not None:
                self.send_header("Content-Length", length)
        elif resp.chunked or length is None:
            mode = "chunked"
            if self.request_version != "HTTP/1.1":
                mode = "raw"
                self.send_header("Connection", "close")
                self.close_connection = True
            else:
                self.send_header("Transfer-Encoding", "chunked")
        else:
            mode = "raw"
            self.send_header("Content-Length", length)
        if resp.will_close:
            self.upstream = None  # http.client handed the socket to resp
        self.end_headers()
        self.wfile.flush()
        return resp.status, (resp, mode)

    def _stream(self, resp, mode):
        """Copies the response body to the client as it arrives."""
        try:
            while mode != "none":
                data = resp.read1(65536)
                if not data:
                    break
                if mode == "chunked":
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                else:
                    self.wfile.write(data)
                self.wfile.flush()
            resp.read()  # marks it complete, so the connection can be reused
            if mode == "chunked":
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()
        except (OSError, ValueError, http.client.HTTPException):
            # the client left or the upstream broke off: drop both sides
            resp.close()
            if self.upstream:
                self.upstream.close()
                self.upstream = None
            self.close_connection = True

    def _proxy(self):
        t = time.time()
        body = self._read_body()
        target = self._target()
        spec = self.server.rules.pick(self.command, target)
        fault = spec.get("fault") if spec else None
        log = self.server.log
        if fault in ("reset", "close"):
            log.write(t, self.command, target, fault, None)
            self._drop(fault == "reset")
            return
        if fault == "status":
            status = self._answer(spec)
            log.write(t, self.command, target, fault, status)
            return
        if fault == "delay":
            time.sleep(int(spec.get("delay_ms", 0)) / 1000.0)
        status, streaming = self._forward(target, body)
        log.write(t, self.command, target, fault, status)
        if streaming:
            self._stream(*streaming)


for _m in METHODS:
    setattr(Handler, "do_" + _m, Handler._proxy)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        err = sys.exc_info()[1]
        if isinstance(err, (ConnectionError, ValueError)):
            return  # a client that went away, or a socket a fault closed
        super().handle_error(request, client_address)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--upstream", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--rules")
    ap.add_argument("--log")
    args = ap.parse_args()

    server = Server(("127.0.0.1", 0), Handler)
    server.upstream = urllib.parse.urlsplit(args.upstream)
    server.rules = Rules(args.rules)
    server.log = Log(args.log)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(tmp, args.port_file)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
