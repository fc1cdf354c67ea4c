# faults.sh: starts the test upstream (tests/tools/upstream.py) and the
# fault proxy (tests/tools/faultproxy.py) for a shell test, and stops them
# when it exits (sourced after tap.sh's tmpdir, which sets $T).
#   upstream_start [ARGS]  sets UPSTREAM_PORT (ARGS go to upstream.py)
#   proxy_start URL        proxies URL; sets PROXY_PORT, PROXY_URL and the
#                          files PROXY_RULES and PROXY_LOG (in $T); its
#                          stderr goes to $T/proxy.err
#   rules JSON             replaces the proxy's rules (atomically)
#   wait_for_file F        polls until F exists (at most 30 s); false if not
#   faults_log             the proxy log so far as "METHOD PATH FAULT STATUS"

_faults_pids=""
trap '_faults_stop; rm -rf "$T"' EXIT

_faults_stop() {
	for _p in $_faults_pids; do kill "$_p" 2>/dev/null; done
	for _p in $_faults_pids; do wait "$_p" 2>/dev/null; done
	_faults_pids=""
}

wait_for_file() {
	_i=0
	while [ ! -s "$1" ]; do
		_i=$((_i + 1))
		[ $_i -gt 1500 ] && return 1
		sleep 0.02
	done
}

upstream_start() {
	rm -f "$T/upstream.port"
	python3 "$BP_SRC/tests/tools/upstream.py" --port-file "$T/upstream.port" "$@" &
	_faults_pids="$_faults_pids $!"
	wait_for_file "$T/upstream.port" || { diag "upstream did not start"; exit 1; }
	UPSTREAM_PORT=$(cat "$T/upstream.port")
}

proxy_start() {
	PROXY_RULES=$T/rules.json PROXY_LOG=$T/proxy.jsonl
	rm -f "$T/proxy.port"
	python3 "$BP_SRC/tests/tools/faultproxy.py" --upstream "$1" \
		--port-file "$T/proxy.port" --rules "$PROXY_RULES" --log "$PROXY_LOG" \
		2>>"$T/proxy.err" &
	_faults_pids="$_faults_pids $!"
	wait_for_file "$T/proxy.port" || { diag "faultproxy did not start"; exit 1; }
	PROXY_PORT=$(cat "$T/proxy.port")
	PROXY_URL=http://127.0.0.1:$PROXY_PORT
}

rules() {
	printf '%s\n' "$1" > "$PROXY_RULES.new" && mv "$PROXY_RULES.new" "$PROXY_RULES"
}

faults_log() {
	python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    print(r["method"], r["path"], r["fault"], r["status"])' "$PROXY_LOG"
}
