#!/bin/sh
# proxy-start.sh: starts the front proxy: it sends each request to the next
# backend listed in its backends file, which it reads on every request.
set -eu
dir=$(ctx instance runtime-properties dir)
port=$(ctx instance runtime-properties port)
cat > "$dir/proxy.py" <<'PY'
import http.server, itertools, sys, urllib.request
port, backends = int(sys.argv[1]), sys.argv[2]
turn = itertools.count()
class Proxy(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        ports = [l.strip() for l in open(backends) if l.strip()]
        if not ports:
            self.send_error(503, "no backend")
            return
        backend = ports[next(turn) % len(ports)]
        with urllib.request.urlopen("http://127.0.0.1:%s%s" % (backend, self.path)) as r:
            body = r.read()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", port), Proxy).serve_forever()
PY
nohup python3 "$dir/proxy.py" "$port" "$dir/backends" > "$dir/server.log" 2>&1 &
echo $! > "$dir/pid"
ctx instance runtime-properties pid "$(cat "$dir/pid")"
ctx logger info "proxy on 127.0.0.1:$port"
