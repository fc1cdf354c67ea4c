#!/bin/sh
# proxy-add-backend.sh: puts an application server behind the proxy (the
# proxy's side of its relationship to that server, once both run). The
# list is changed under a lock: several of these may run at once.
set -eu
dir=$(ctx source instance runtime-properties dir)
backend=$(ctx target instance runtime-properties port)
# shellcheck disable=SC2016 # the inner sh expands them
flock "$dir/backends.lock" sh -c '
	grep -qx "$2" "$1/backends" || echo "$2" >> "$1/backends"' - "$dir" "$backend"
ctx logger info "proxy: backend 127.0.0.1:$backend added"
