#!/usr/bin/env bash
# tests/env/k8s-down.sh: stops what k8s-up.sh started, each process by the
# pid it recorded. RESET=1 also removes the runtime directory (etcd data,
# certificates, logs); the cached binaries stay.
set -euo pipefail
RUN=${BP_K8S_RUN:-/tmp/blueprint-k8s}
[ -d "$RUN" ] || exit 0
exec 9>"$RUN/.lock"
flock 9
for p in fake-kubelet proxy kcm apiserver etcd; do
	f=$RUN/$p.pid
	[ -f "$f" ] || continue
	pid=$(cat "$f")
	if kill -0 "$pid" 2>/dev/null; then
		kill "$pid"
		for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
	fi
	rm -f "$f"
done
rm -f "$RUN/env" "$RUN/ports"
if [ "${RESET:-0}" = 1 ]; then
	rm -rf "$RUN"
fi
exit 0
