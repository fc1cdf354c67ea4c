#!/usr/bin/env bash
# tests/env/k8s-build.sh: build kube-apiserver and kube-controller-manager
# v1.20.2 from Debian's own packages, once per machine, into
# $BP_K8S_CACHE/<version>/bin (default /opt/blueprint-cache/k8s).
#
# Debian bookworm ships no kube-apiserver binary, but its `kubernetes` source
# package (1.20.5+really1.20.2: the full tree with vendor/) builds one offline
# with Go 1.15 from bullseye (a Go >= 1.18 build panics on writes: the vendored
# reflect2 predates it). Both come from deb.debian.org through a private apt
# configuration under the cache directory: the machine's own apt sources are
# never read or changed. About 5 min of CPU on 2 cores and 1.4 GB of memory.
#
# Safe to run concurrently (flock on the cache directory); a finished build is
# reused (the bin/ directory only appears once both binaries are complete).
# Prints the bin directory on stdout.
set -euo pipefail

K8S_VERSION=1.20.2
SRC_PKG_VERSION=1.20.5+really1.20.2
GO_VERSION=1.15
CACHE=${BP_K8S_CACHE:-/opt/blueprint-cache/k8s}
KEY="v$K8S_VERSION-go$GO_VERSION"
OUT="$CACHE/$KEY"
BIN="$OUT/bin"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
MIRROR=${BP_DEBIAN_MIRROR:-http://deb.debian.org/debian}

have_bin() { [ -x "$BIN/kube-apiserver" ] && [ -x "$BIN/kube-controller-manager" ]; }

if have_bin; then echo "$BIN"; exit 0; fi

mkdir -p "$CACHE"
exec 9>"$CACHE/.build.lock"
flock 9
if have_bin; then echo "$BIN"; exit 0; fi

log() { echo "k8s-build: $*" >&2; }
WORK="$OUT/work"
mkdir -p "$WORK"

# apt_private SUITE LINE: an apt option set reading only LINE for SUITE.
apt_private() {
	local dir="$WORK/apt-$1"
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/etc/preferences.d"
	printf '%s\n' "$2" > "$dir/sources.list"
	APT_OPTS=(-o "Dir::Etc::sourcelist=$dir/sources.list" -o "Dir::Etc::sourceparts=/dev/null"
		-o "Dir::Etc::preferencesparts=$dir/etc/preferences.d"
		-o "Dir::State::Lists=$dir/lists" -o "Dir::Cache=$dir/cache"
		-o "APT::Get::List-Cleanup=0" -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root")
	apt-get "${APT_OPTS[@]}" -qq update >&2
}

# 1. the source tree
SRC="$WORK/src"
if [ ! -f "$SRC/.unpacked" ]; then
	command -v apt-get >/dev/null || { log "apt-get is needed to fetch the kubernetes source"; exit 1; }
	[ -f "$KEYRING" ] || { log "no $KEYRING (apt-get install debian-archive-keyring)"; exit 1; }
	log "fetching Debian bookworm's kubernetes source package"
	apt_private bookworm "deb-src [signed-by=$KEYRING] $MIRROR bookworm main"
	(cd "$WORK" && apt-get "${APT_OPTS[@]}" -qq source --download-only kubernetes >&2)
	rm -rf "$SRC"; mkdir -p "$SRC"
	tar xzf "$WORK/kubernetes_$SRC_PKG_VERSION.orig.tar.gz" -C "$SRC" --strip-components=1
	touch "$SRC/.unpacked"
fi

# 2. Go 1.15, unpacked (not installed)
GOROOT_DIR="$WORK/go$GO_VERSION"
GOBIN_DIR="$GOROOT_DIR/usr/lib/go-$GO_VERSION/bin"
if [ ! -x "$GOBIN_DIR/go" ]; then
	log "fetching Debian bullseye's golang-$GO_VERSION"
	apt_private bullseye "deb [signed-by=$KEYRING] $MIRROR bullseye main"
	(cd "$WORK" && apt-get "${APT_OPTS[@]}" -qq download "golang-$GO_VERSION-go" "golang-$GO_VERSION-src" >&2)
	rm -rf "$GOROOT_DIR"
	for deb in "$WORK"/golang-"$GO_VERSION"-go_*.deb "$WORK"/golang-"$GO_VERSION"-src_*.deb; do
		dpkg -x "$deb" "$GOROOT_DIR"
	done
fi

# 3. build through the tree's make (a plain go build misses generated code)
for what in kube-apiserver kube-controller-manager; do
	if [ ! -x "$SRC/_output/bin/$what" ]; then
		log "building $what (several minutes)"
		(cd "$SRC" && env PATH="$GOBIN_DIR:$PATH" GOPROXY=off GOFLAGS= CGO_ENABLED=0 \
			HOME="$WORK/home" GOCACHE="$WORK/home/go-build" \
			make WHAT="cmd/$what" >&2)
	fi
done

mkdir -p "$OUT/bin.new"
cp "$SRC/_output/bin/kube-apiserver" "$SRC/_output/bin/kube-controller-manager" "$OUT/bin.new/"
rm -rf "$BIN"; mv "$OUT/bin.new" "$BIN"
# the tree, Go and its caches are 3 GB: keep only the binaries
rm -rf "$WORK"
log "built $BIN"
echo "$BIN"
