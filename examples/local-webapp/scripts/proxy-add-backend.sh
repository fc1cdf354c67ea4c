#!/bin/sh
# proxy-add-backend.sh: puts an application server behind the proxy (the
# proxy's side of its relationship to that server, once both run).
set -eu
dir=$(ctx source instance runtime-properties dir)
backend=$(ctx target instance runtime-properties port)
grep -qx "$backend" "$dir/backends" || echo "$backend" >> "$dir/backends"
ctx logger info "proxy: backend 127.0.0.1:$backend added"
