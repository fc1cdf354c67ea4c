#!/bin/sh
# proxy-remove-backend.sh: takes an application server from behind the
# proxy, before the server goes away. Several of these (and of
# proxy-add-backend.sh) may run at once on one proxy: the list is changed
# under a lock.
set -eu
dir=$(ctx source instance runtime-properties dir)
backend=$(ctx target instance runtime-properties port)
if [ -f "$dir/backends" ]; then
	# shellcheck disable=SC2016 # the inner sh expands them
	flock "$dir/backends.lock" sh -c '
		grep -vx "$2" "$1/backends" > "$1/backends.$2" || true
		mv "$1/backends.$2" "$1/backends"' - "$dir" "$backend"
fi
ctx logger info "proxy: backend 127.0.0.1:$backend removed"
