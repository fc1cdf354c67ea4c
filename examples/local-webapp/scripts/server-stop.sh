#!/bin/sh
# server-stop.sh: stops a server process this blueprint started (an
# application server or the proxy). Stopping one that is gone is fine.
set -eu
pid=$(ctx instance runtime-properties pid || true)
if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
	kill "$pid"
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.2
	done
	kill -9 "$pid" 2>/dev/null || true
fi
ctx logger info "stopped $(ctx instance id)"
