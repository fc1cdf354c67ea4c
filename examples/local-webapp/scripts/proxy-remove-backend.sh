#!/bin/sh
# proxy-remove-backend.sh: takes an application server from behind the
# proxy, before the server goes away.
set -eu
dir=$(ctx source instance runtime-properties dir)
backend=$(ctx target instance runtime-properties port)
if [ -f "$dir/backends" ]; then
	grep -vx "$backend" "$dir/backends" > "$dir/backends.new" || true
	mv "$dir/backends.new" "$dir/backends"
fi
ctx logger info "proxy: backend 127.0.0.1:$backend removed"
