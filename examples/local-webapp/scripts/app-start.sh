#!/bin/sh
# app-start.sh: starts the application server: a Python HTTP server that
# answers with the data store's message and its own instance id.
set -eu
id=$(ctx instance id)
dir=$(ctx instance runtime-properties dir)
port=$(ctx instance runtime-properties port)
store=$(ctx instance runtime-properties store_path)
cat > "$dir/app.py" <<'PY'
import http.server, sqlite3, sys
port, store, ident = int(sys.argv[1]), sys.argv[2], sys.argv[3]
class App(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        text = sqlite3.connect(store).execute("select text from greeting").fetchone()[0]
        body = ("%s (served by %s)\n" % (text, ident)).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", port), App).serve_forever()
PY
nohup python3 "$dir/app.py" "$port" "$store" "$id" > "$dir/server.log" 2>&1 &
echo $! > "$dir/pid"
ctx instance runtime-properties pid "$(cat "$dir/pid")"
# started means answering
python3 - "$port" <<'PY' || { ctx abort-operation "server on port $port did not start"; exit 1; }
import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)
PY
ctx logger info "application server $id answering on 127.0.0.1:$port"
