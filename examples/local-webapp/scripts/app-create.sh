#!/bin/sh
# app-create.sh: an application server's files: a directory of its own and
# a free port on 127.0.0.1.
set -eu
id=$(ctx instance id)
dir="$(ctx node properties workdir)/$id"
mkdir -p "$dir"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ctx instance runtime-properties dir "$dir"
ctx instance runtime-properties port "$port"
