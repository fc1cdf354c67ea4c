#!/bin/sh
# demo.sh: what `make demo` shows: examples/local-webapp installed on this
# machine with the script plugin, its URL fetched, the application scaled
# out behind the proxy, then uninstalled, leaving nothing behind. Runs in a
# throwaway state directory and work directory.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bp="${BLUEPRINT_BIN:-$top/${BUILD:-build}/blueprint}"
tmp=$(mktemp -d /tmp/blueprint-demo.XXXXXX)
export BLUEPRINT_STATE="$tmp/state"
work="$tmp/work"
trap '"$bp" uninstall -d webapp -q >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
fetch() {
	python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode().strip())' "$1"
}

say "blueprint install examples/local-webapp/blueprint.yaml"
"$bp" install "$top/examples/local-webapp/blueprint.yaml" -d webapp \
	-i "workdir=$work"
say "blueprint outputs"
"$bp" outputs -d webapp
url=$("$bp" outputs -d webapp --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["url"])')
say "GET $url"
fetch "$url"
say "blueprint scale app +1"
"$bp" scale app +1 -d webapp
"$bp" status -d webapp
say "GET $url, four times: both application servers answer"
seen=""
for _ in 1 2 3 4; do
	line=$(fetch "$url")
	echo "$line"
	seen="$seen$line
"
done
servers=$(printf '%s' "$seen" | sed -n 's/.*served by \(app_[a-z0-9]*\).*/\1/p' | sort -u | wc -l)
[ "$servers" -eq 2 ] || { echo "demo: expected 2 servers behind the proxy, saw $servers" >&2; exit 1; }
say "blueprint uninstall"
"$bp" uninstall -d webapp
left=$(pgrep -f "$work/" || true)
[ -z "$left" ] || { echo "demo: processes left behind: $left" >&2; exit 1; }
[ ! -e "$work" ] || { echo "demo: files left behind in $work" >&2; ls -R "$work" >&2; exit 1; }
say "done: nothing left behind"
