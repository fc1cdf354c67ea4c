#!/bin/sh
# proxy-create.sh: the front proxy's files: its directory, an empty list of
# backends, a free port.
set -eu
dir="$(ctx node properties workdir)/proxy"
mkdir -p "$dir"
: > "$dir/backends"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ctx instance runtime-properties dir "$dir"
ctx instance runtime-properties port "$port"
