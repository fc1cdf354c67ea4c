#!/bin/sh
# sshd-up.sh: a real OpenSSH server for the fabric plugin's tests, on
# 127.0.0.1 on a random port, with generated host and user keys and a
# configuration of its own; the system's sshd, its configuration and its
# service are never touched. Idempotent (a running one is reused) and safe
# when two tests call it at once (flock).
#
# The server is Debian's openssh-server: /usr/sbin/sshd when installed,
# else the package downloaded with `apt-get download` and unpacked (not
# installed: installing would start the system's ssh service) under
# /opt/blueprint-cache/openssh. It runs as the current user (root in CI)
# and lets in only the current user, with the generated key, and allows
# StreamLocal forwarding (the plugin's ctx socket). As root it needs the
# privilege separation user 'sshd' and /run/sshd, made when missing as the
# package would.
#
# Prints, for `eval "$(sh tests/env/sshd-up.sh)"`:
#   SSHD_HOST=127.0.0.1 SSHD_PORT=... SSHD_USER=...
#   SSHD_KEY=...          the user's private key (a file)
#   SSHD_HOST_KEY=...     the server's public host key (a known_hosts key:
#                         "ssh-ed25519 AAAA...")
#   SSHD_DIR=...          where all of it lives (sshd_config, sshd.log)
# The same lines are in $SSHD_DIR/env.
set -eu

dir=${BP_ENV_DIR:-${TMPDIR:-/tmp}/blueprint-env}/sshd
cache=/opt/blueprint-cache/openssh
mkdir -p "$dir"
chmod 700 "$dir"
exec 9>"$dir.lock"
flock 9

die() { echo "sshd-up.sh: $*" >&2; exit 1; }

# An sshd binary, without installing the package.
sshd_bin() {
	if [ -x /usr/sbin/sshd ]; then
		echo /usr/sbin/sshd; return
	fi
	if [ ! -x "$cache/root/usr/sbin/sshd" ]; then
		mkdir -p "$cache"
		( cd "$cache" && { apt-get download openssh-server >&2 ||
			{ apt-get update -qq >&2 &&
			  apt-get download openssh-server >&2; }; } ) ||
			die "cannot download Debian's openssh-server"
		dpkg-deb -x "$cache"/openssh-server_*.deb "$cache/root" ||
			die "cannot unpack openssh-server"
	fi
	echo "$cache/root/usr/sbin/sshd"
}

running() {
	[ -s "$dir/sshd.pid" ] && [ -s "$dir/env" ] &&
		kill -0 "$(cat "$dir/sshd.pid")" 2>/dev/null
}

if running; then
	cat "$dir/env"
	exit 0
fi

command -v ssh >/dev/null 2>&1 || {
	apt-get install -y -qq --no-install-recommends openssh-client >&2 ||
		die "no ssh client and cannot install openssh-client"
}
sshd=$(sshd_bin)
user=$(id -un)
[ -f "$dir/host_ed25519" ] ||
	ssh-keygen -q -t ed25519 -N '' -C blueprint-test-host -f "$dir/host_ed25519"
[ -f "$dir/user_ed25519" ] ||
	ssh-keygen -q -t ed25519 -N '' -C blueprint-test-user -f "$dir/user_ed25519"
cp "$dir/user_ed25519.pub" "$dir/authorized_keys"
chmod 600 "$dir/authorized_keys"
# sshd running as root wants its privilege separation user and directory
# (what the package's postinst makes)
if [ "$(id -u)" -eq 0 ]; then
	getent passwd sshd >/dev/null ||
		useradd --system --no-create-home --home-dir /run/sshd \
			--shell /usr/sbin/nologin sshd ||
		die "cannot add the privilege separation user 'sshd'"
	[ -d /run/sshd ] || mkdir -p -m 755 /run/sshd
fi

rm -f "$dir/sshd.pid"
tries=0
while :; do
	port=$(python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	cat >"$dir/sshd_config" <<CONF
# blueprint's test sshd (tests/env/sshd-up.sh); not the system's
ListenAddress 127.0.0.1:$port
HostKey $dir/host_ed25519
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
AllowUsers $user
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
AllowTcpForwarding yes
AllowStreamLocalForwarding yes
StreamLocalBindUnlink yes
PermitTunnel no
X11Forwarding no
PrintMotd no
MaxStartups 100:30:200
MaxSessions 100
LogLevel INFO
CONF
	# without -D it binds, then daemonizes: exit 0 means it listens
	if "$sshd" -f "$dir/sshd_config" -E "$dir/sshd.log"; then
		break
	fi
	tries=$((tries + 1))
	[ $tries -lt 5 ] || die "sshd does not start; see $dir/sshd.log"
done
i=0
until [ -s "$dir/sshd.pid" ]; do
	i=$((i + 1)); [ $i -lt 100 ] || die "sshd wrote no pid file"
	sleep 0.1
done

cat >"$dir/env" <<ENV
SSHD_HOST=127.0.0.1
SSHD_PORT=$port
SSHD_USER=$user
SSHD_KEY=$dir/user_ed25519
SSHD_HOST_KEY='$(cut -d' ' -f1,2 "$dir/host_ed25519.pub")'
SSHD_DIR=$dir
ENV
cat "$dir/env"
