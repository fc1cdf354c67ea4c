#!/bin/sh
# store-delete.sh: removes the data store's file.
set -eu
path=$(ctx instance runtime-properties path)
rm -f "$path"
# the servers are gone by now (they depend on the store): the work
# directory goes too when nothing else is left in it
rmdir "$(dirname "$path")" 2>/dev/null || true
ctx logger info "data store $path removed"
