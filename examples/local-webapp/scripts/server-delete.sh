#!/bin/sh
# server-delete.sh: removes a server's directory.
set -eu
dir=$(ctx instance runtime-properties dir || true)
[ -n "$dir" ] && rm -rf "$dir"
ctx logger info "removed ${dir:-nothing}"
