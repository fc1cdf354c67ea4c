#!/bin/sh
# sshd-down.sh: stops the test sshd of sshd-up.sh (if it runs) and removes
# its directory. Safe to call when nothing runs.
set -u
dir=${BP_ENV_DIR:-${TMPDIR:-/tmp}/blueprint-env}/sshd
[ -d "$dir" ] || exit 0
exec 9>"$dir.lock"
flock 9
if [ -s "$dir/sshd.pid" ]; then
	pid=$(cat "$dir/sshd.pid")
	kill "$pid" 2>/dev/null
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
		i=$((i + 1)); sleep 0.1
	done
fi
rm -rf "$dir"
