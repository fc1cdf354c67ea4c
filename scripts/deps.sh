#!/bin/sh
# deps.sh: install the Debian packages the build needs when pkg-config cannot
# find a library. Called by the Makefile before the first compile, so a fresh
# machine needs no manual step. Safe to run again: it installs only what is
# missing, and does nothing when everything is present.
set -eu

# pkg-config module -> Debian package that provides it
modules="yaml-0.1:libyaml-dev jansson:libjansson-dev glib-2.0:libglib2.0-dev
gmodule-2.0:libglib2.0-dev libcurl:libcurl4-openssl-dev sqlite3:libsqlite3-dev
uuid:uuid-dev libcrypto:libssl-dev"
# commands -> package (the test suite needs these too)
commands="pkg-config:pkg-config prove:perl python3:python3 cc:gcc c++:g++
openssl:openssl shellcheck:shellcheck valgrind:valgrind"

missing=""
command -v pkg-config >/dev/null 2>&1 || missing="pkg-config"
for pair in $modules; do
	mod=${pair%%:*} pkg=${pair#*:}
	pkg-config --exists "$mod" 2>/dev/null || missing="$missing $pkg"
done
for pair in $commands; do
	cmd=${pair%%:*} pkg=${pair#*:}
	command -v "$cmd" >/dev/null 2>&1 || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0

missing=$(printf '%s\n' $missing | sort -u | tr '\n' ' ')
echo "deps.sh: installing $missing" >&2
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
else
	SUDO=
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >&2
