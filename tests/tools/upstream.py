#!/usr/bin/env python3
"""upstream.py: a small HTTP(S) server for tests that echoes each request.

    upstream.py --port-file F [--cert PEM --key PEM [--client-ca PEM]]

Listens on 127.0.0.1 on a random port (written to F, atomically, once it
accepts connections), HTTP/1.1 with keep-alive, one thread per connection.
With --cert/--key it speaks HTTPS; with --client-ca it also requires a
client certificate signed by that CA.

Every request, whatever its method and path, is answered with a JSON
echo of it:
  {"method": ..., "path": "path?query", "headers": [[name, value], ...],
   "body": "the request body (chunked or Content-Length) as text",
   "peer": the client's port, "client_cert": subject CN or null}
shaped by the query:
  status=N        answer with status N (default 200)
  h=Name:value    add a response header (repeatable)
  chunked=1       send the echo chunked
  close=1         send it with no length and close the connection to end it
  stream=N        instead of the echo, send N chunked lines {"i": k}
  gate=FILE       with stream: send the first line, then wait (up to 60 s)
                  until FILE exists before the rest
  size=N          instead of the echo, N bytes of "x" (Content-Length)
"""

import argparse
import http.server
import json
import os
import socketserver
import ssl
import sys
import time
import urllib.parse


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()  # here, not in the accepting thread
        super().setup()

    def log_message(self, format, *args):
        pass

    def _read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length", 0)))

    def _chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _handle(self):
        body = self._read_body()
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        one = lambda k, d=None: query.get(k, [d])[0]
        status = int(one("status", 200))
        cert = None
        if hasattr(self.connection, "getpeercert"):
            peer = self.connection.getpeercert()
            if peer:
                cert = dict(x[0] for x in peer["subject"]).get("commonName")
        self.send_response_only(status)
        for h in query.get("h", []):
            name, _, value = h.partition(":")
            self.send_header(name, value.strip())
        if one("stream"):
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            gate = one("gate")
            for i in range(int(one("stream"))):
                if i == 1 and gate:
                    deadline = time.monotonic() + 60
                    while not os.path.exists(gate) and time.monotonic() < deadline:
                        time.sleep(0.02)
                self._chunk(b'{"i": %d}\n' % i)
            self._chunk(b"")
            return
        if one("size"):
            data = b"x" * int(one("size"))
            self.send_header("Content-Type", "text/plain")
        else:
            data = json.dumps({
                "method": self.command, "path": self.path,
                "headers": list(self.headers.items()),
                "body": body.decode("utf-8", "replace"),
                "peer": self.client_address[1], "client_cert": cert,
            }).encode()
            self.send_header("Content-Type", "application/json")
        if self.command == "HEAD" or status in (204, 304):
            self.end_headers()
        elif one("chunked"):
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self._chunk(data[:len(data) // 2])
            self._chunk(data[len(data) // 2:])
            self._chunk(b"")
        elif one("close"):
            self.send_header("Connection", "close")
            self.close_connection = True
            self.end_headers()
            self.wfile.write(data)
        else:
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        self.wfile.flush()


for _m in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"):
    setattr(Handler, "do_" + _m, Handler._handle)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], (ConnectionError, ssl.SSLError)):
            return
        super().handle_error(request, client_address)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--client-ca")
    args = ap.parse_args()

    server = Server(("127.0.0.1", 0), Handler)
    if args.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.cert, args.key)
        if args.client_ca:
            ctx.load_verify_locations(args.client_ca)
            ctx.verify_mode = ssl.CERT_REQUIRED
        server.socket = ctx.wrap_socket(server.socket, server_side=True,
                                        do_handshake_on_connect=False)
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
