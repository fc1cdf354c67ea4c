# testlib.sh: for the t42xx tests (sourced after tests/lib/tap.sh and
# state.sh). Brings the test OpenStack up (tests/env/openstack-up.sh; a
# failure to come up fails the test, BLUEPRINT_SKIP_CLOUD=1 skips it) and
# sources its env file, so OS_* name the admin; gives:
#   osc ARGS...        the openstack CLI (Debian's), as the admin, -f json
#   osc_demo ARGS...   the same as the demo user
#   count_named KIND PREFIX   how many KIND (server, network, ...) the admin
#                      sees in every project with a name starting PREFIX
#   bp ARGS...         the blueprint CLI with the test's state directory
# Every test names its resources with a prefix of its own ($P), so tests
# can share the cloud.

if [ "${BLUEPRINT_SKIP_CLOUD:-0}" = 1 ]; then
	echo "1..0 # skip BLUEPRINT_SKIP_CLOUD=1: no OpenStack"
	exit 0
fi
if ! OS_ENV=$("$BP_SRC/tests/env/openstack-up.sh" 2>"$TMP/openstack-up.log"); then
	echo "1..1"
	echo "not ok 1 - the test OpenStack came up"
	sed 's/^/# /' "$TMP/openstack-up.log" | tail -30
	exit 1
fi
. "$OS_ENV"
export BLUEPRINT_PLUGIN_PATH="$BP_BUILD/plugins"
export BLUEPRINT_HTTP_BACKOFF_MS=50
P="t$(basename "$0" .sh | cut -c2-5)-$$"

osc() { /usr/bin/python3 /usr/bin/openstack "$@"; }
osc_demo() {
	OS_USERNAME=demo OS_PASSWORD=$BP_OPENSTACK_DEMO_PASSWORD \
	OS_PROJECT_NAME=demo osc "$@"
}
count_named() {
	_kind=$1; _prefix=$2; _all=""
	case $_kind in
	server|volume) _all="--all-projects";;
	esac
	osc "$_kind" list $_all -f value -c Name 2>/dev/null |
		grep -c "^$_prefix" || true
}
bp() { "$BLUEPRINT" "$@"; }

# os_proxy NAME UPSTREAM [LOG]: tests/tools/faultproxy.py in front of
# UPSTREAM, with the rules file $TMP/NAME.rules (none until the test writes
# it) and the request log LOG ($TMP/NAME.log by default; proxies may share
# one); sets ${NAME}_port and adds the proxy to $os_proxy_pids, which the
# test's EXIT trap kills.
os_proxy_pids=""
os_proxy() {
	python3 "$BP_SRC/tests/tools/faultproxy.py" --upstream "$2" \
		--port-file "$TMP/$1.port" --rules "$TMP/$1.rules" \
		--log "${3:-$TMP/$1.log}" 2>"$TMP/$1.err" &
	os_proxy_pids="$os_proxy_pids $!"
	wait_for 100 test -s "$TMP/$1.port" || { echo "Bail out! proxy $1"; exit 1; }
	eval "${1}_port=\$(cat \"\$TMP/\$1.port\")"
}
