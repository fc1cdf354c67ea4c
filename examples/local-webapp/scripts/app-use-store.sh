#!/bin/sh
# app-use-store.sh: an application server learns where its data is (run on
# the server's side of its relationship to the store, before configure).
set -eu
ctx source instance runtime-properties store_path "$(ctx target instance runtime-properties path)"
