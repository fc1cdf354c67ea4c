#!/bin/sh
# t4000-faultproxy.sh: the fault proxy the HTTP tests rely on
# (tests/tools/faultproxy.py) passes requests and responses through as
# they are (status, headers, bodies of every framing, keep-alive on both
# sides, streams live), does each fault as its rule says (status, reset,
# close, delay; method, path, skip and count), picks up a changed rules
# file, and logs every request.
. "$(dirname "$0")/../lib/tap.sh"
tmpdir
. "$BP_SRC/tests/lib/faults.sh"

# client.py PORT MODE ...: requests through the proxy, one JSON line out.
cat >"$T/client.py" <<'PY'
import http.client, json, os, socket, sys, time
port, mode, args = int(sys.argv[1]), sys.argv[2], sys.argv[3:]

def conn():
    return http.client.HTTPConnection("127.0.0.1", port, timeout=30)

def request(c, method, path, body=None, headers={}, chunked=False):
    c.request(method, path, body=body, headers=headers,
              encode_chunked=chunked)
    r = c.getresponse()
    return r, r.read()

def one(method, path, body=None, chunked=False):
    if chunked:
        body = iter([body[:3], body[3:]])
    start = time.monotonic()
    try:
        r, data = request(conn(), method, path, body,
                          {"X-Test": "yes", "X-Dup": "1"}, chunked)
    except Exception as e:
        return {"error": type(e).__name__}
    out = {"status": r.status, "reason": r.reason,
           "headers": r.getheaders(), "secs": time.monotonic() - start}
    try:
        out["echo"] = json.loads(data)
    except ValueError:
        out["body"] = data.decode()
    return out

if mode == "req":       # METHOD PATH [BODY [chunked]]; prints $J of it
    o = one(args[0], args[1], args[2].encode() if len(args) > 2 else None,
            len(args) > 3)
    if "J" in os.environ:
        h = dict(o.get("headers", []))
        e = o.get("echo", {})
        eh = dict(e.get("headers", []))
        print(*eval(os.environ["J"]))
    else:
        print(json.dumps(o))
elif mode == "statuses":  # METHOD PATH N: the statuses of N requests
    print(*(o.get("status", o.get("error"))
            for o in (one(args[0], args[1], b"body")
                      for i in range(int(args[2])))))
elif mode == "keepalive":  # N PATH...: N rounds over one connection
    c, seen = conn(), []
    for i in range(int(args[0])):
        for path in args[1:]:
            r, data = request(c, "HEAD" if path == "HEAD" else "GET",
                              "/" if path == "HEAD" else path)
            echo = json.loads(data) if data else {}
            seen.append([c.sock.getsockname()[1], echo.get("peer"),
                         echo.get("path")])
    print(json.dumps(seen))
elif mode == "stream":  # PATH GATE: a line must come before GATE exists
    c = conn()
    c.request("GET", args[0])
    r = c.getresponse()
    first = r.readline().decode().strip()
    open(args[1], "w").close()
    print(json.dumps([first, r.read().decode().split()]))
elif mode == "expect":  # a body sent after 100 Continue
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"PUT /e HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
              b"Expect: 100-continue\r\n\r\n")
    interim = s.recv(100).split(b"\r\n")[0].decode()
    s.sendall(b"hello")
    f = s.makefile("rb")
    r = http.client.HTTPResponse(s)
    r.begin()
    print(json.dumps([interim, r.status, json.loads(r.read())["body"]]))
PY
client() { python3 "$T/client.py" "$PROXY_PORT" "$@"; }
# [J=EXPRS] req METHOD PATH [BODY [chunked]]: the response as JSON, or the
# Python expressions EXPRS on it: o (h its headers, e the upstream's echo,
# eh the headers the upstream got)
req() { client req "$@"; }
# j EXPRS: the same on a JSON $out
j() { printf '%s' "$out" | python3 -c "import json,sys; o=json.load(sys.stdin); print($1)"; }

upstream_start
proxy_start "http://127.0.0.1:$UPSTREAM_PORT"

# Pass-through.
same "a GET: the upstream's status; method, target and headers as they are; Host the upstream's" \
	"200 OK GET /a/b?x=1&y=%2F yes 1 127.0.0.1:$UPSTREAM_PORT" \
	"$(J='o["status"], o["reason"], e["method"], e["path"], eh["X-Test"], eh["X-Dup"], eh["Host"]' \
		req GET '/a/b?x=1&y=%2F')"
same "a body with a length passes" '{"k": "v"} 10' \
	"$(J='e["body"], eh["Content-Length"]' req POST /p '{"k": "v"}')"
same "a chunked body passes (forwarded with its length)" "PATCH abcdefgh 8" \
	"$(J='e["method"], e["body"], eh["Content-Length"]' req PATCH /p 'abcdefgh' chunked)"
same "any status and the response headers pass, repeated ones too" \
	"418 one ['a=1', 'b=2']" \
	"$(J='o["status"], h["X-Resp"], [v for k, v in o["headers"] if k == "Set-Cookie"]' \
		req DELETE '/s?status=418&h=X-Resp:one&h=Set-Cookie:a=1&h=Set-Cookie:b=2')"
same "an upstream 503 with Retry-After passes as it is" "503 3" \
	"$(J='o["status"], h["Retry-After"]' req GET '/e?status=503&h=Retry-After:3')"
same "a chunked response passes whole" "/c?chunked=1 chunked" \
	"$(J='e["path"], h["Transfer-Encoding"]' req GET '/c?chunked=1')"
same "a large body passes whole" "3000000 3000000" \
	"$(J='len(o["body"]), h["Content-Length"]' req GET '/big?size=3000000')"
out=$(client expect)
same "Expect: 100-continue gets its 100, then the body passes" \
	'["HTTP/1.1 100 Continue", 200, "hello"]' "$out"

out=$(client keepalive 3 /k1 '/k2?chunked=1' '/k3?close=1' HEAD /k4)
same "keep-alive toward the client through every framing (one connection)" 1 \
	"$(j 'len(set(x[0] for x in o))')"
same "keep-alive toward the upstream (one connection until it closes one)" \
	"True True True" \
	"$(j 'o[0][1] == o[1][1] == o[2][1], o[4][1] != o[2][1], o[4][1] == o[5][1]')"
same "a body the upstream ended by closing reaches the client whole" \
	"/k3?close=1" "$(j 'o[2][2]')"

out=$(client stream '/watch?stream=3&gate='"$T/gate" "$T/gate")
same "a stream passes live: its first line arrives before the rest exists" \
	'["{\"i\": 0}", ["{\"i\":", "1}", "{\"i\":", "2}"]]' "$out"

# Faults.
: >"$PROXY_LOG"
rules '[{"path": "^/st", "fault": "status", "status": 429, "retry_after": "7",
	"body": "{\"kind\": \"Status\", \"code\": 429}"}]'
same "status: the rule's status, Retry-After and body" \
	"429 7 application/json {'kind': 'Status', 'code': 429}" \
	"$(J='o["status"], h["Retry-After"], h["Content-Type"], e' req GET /st)"
same "count defaults to 1: the next request passes" 200 "$(J='o["status"],' req GET /st)"

rules '[{"path": "^/r", "fault": "reset"}]'
same "reset: the client sees the connection reset" '{"error": "ConnectionResetError"}' \
	"$(req POST /r body)"
rules '[{"path": "^/x", "fault": "close"}]'
same "close: the client sees a close with no response" '{"error": "RemoteDisconnected"}' \
	"$(req GET /x)"
rules '[{"path": "^/d", "fault": "delay", "delay_ms": 400}]'
same "delay: forwarded after at least delay_ms" "200 /d True" \
	"$(J='o["status"], e["path"], o["secs"] >= 0.4' req GET /d)"
same "the log has one line per request: fault and status" \
"GET /st status 429
GET /st None 200
POST /r reset None
GET /x close None
GET /d delay 200" "$(faults_log)"
check "log lines have t, method, path, fault and status" python3 -c '
import json, sys, time
lines = [json.loads(l) for l in open(sys.argv[1])]
assert all(sorted(l) == ["fault", "method", "path", "status", "t"] for l in lines)
assert all(isinstance(l["t"], float) and abs(l["t"] - time.time()) < 600 for l in lines)
' "$PROXY_LOG"

# skip, count, method, precedence.
statuses() { client statuses "$2" "$1" "$3"; } # PATH METHOD N
rules '[{"path": "^/k", "skip": 2, "count": 2, "fault": "status", "status": 503}]'
same "skip passes the first N matching, count faults the next ones" \
	"200 200 503 503 200 200" "$(statuses /k GET 6)"
rules '[{"method": "POST", "path": "^/m", "fault": "status", "status": 500, "count": 2}]'
same "a rule with a method leaves other methods alone (and does not count them)" \
	"200 200" "$(statuses /m GET 2)"
same "and faults that method" "500 500 200" "$(statuses /m POST 3)"
rules '[{"path": "^/n", "fault": "status", "status": 502, "count": -1}]'
same "a negative count faults every matching request" "502 502 502" "$(statuses /n GET 3)"
same "a path regex matches path and query; others pass" "200" "$(statuses /other?n GET 1)"
rules '[{"path": "^/f", "fault": "reset"},
	{"path": "^/f", "skip": 1, "fault": "status", "status": 503}]'
same "each rule counts every match; the first that fires applies" \
	"ConnectionResetError 503 200" "$(statuses /f GET 3)"
rules '[{"path": "^/q\\?", "fault": "status", "status": 504, "count": -1}]'
same "the path regex sees the query" "200 504" \
	"$(statuses /q GET 1) $(statuses '/q?watch=1' GET 1)"

# Reloads.
rules '[{"path": "^/z", "fault": "status", "status": 429, "count": -1}]'
a=$(statuses /z GET 1)
rules '[{"path": "^/z", "fault": "status", "status": 418, "count": 1}]'
same "a changed rules file applies at the next request" "429 418 200" "$a $(statuses /z GET 2)"
rules '[{"path": "^/z", "fault": "status", "status": 418, "count": 1}] '
same "a reload starts the counts again" "418 200" "$(statuses /z GET 2)"
printf '[{"path": ' >"$PROXY_RULES"
same "a broken rules file keeps the previous rules" "200" "$(statuses /z GET 1)"
check "and says so on stderr" grep -q "rules.json: .*keeping the previous rules" "$T/proxy.err"
rules '[{"path": "^/z", "fault": "status", "status": 503, "count": -1}]'
a=$(statuses /z GET 1)
rm -f "$PROXY_RULES"
same "no rules file: no faults" "503 200" "$a $(statuses /z GET 1)"

# An upstream that is not there.
_faults_stop
upstream_start
port=$UPSTREAM_PORT
_faults_stop
proxy_start "http://127.0.0.1:$port"
same "an upstream that cannot be reached is a 502" 502 "$(statuses /gone GET 1)"

done_testing
