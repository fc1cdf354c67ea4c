#!/bin/sh
# t4214-openstack-token.sh: the Keystone token's lifecycle, seen from fault
# proxies (tests/tools/faultproxy.py, no faults) in front of Keystone (the
# auth_url), Nova, Neutron and Glance (endpoint overrides), all writing one
# request log in the order the requests completed.
# - With the default renewal margin one token serves a whole install: one
#   POST /v3/auth/tokens for a network, a subnet and three servers made by
#   concurrent operations, and never a 401.
# - With a margin longer than Keystone's token lifetime (4 hours here) every
#   token is near its expiry as soon as it is issued: the plugin renews it
#   before each use, so the uninstall's k-th API request comes after at least
#   k token requests, and still no request is refused with a 401 (renewal
#   before expiry, not the 401 path t4204 covers).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
. "$BP_SRC/tests/env/openstack/testlib.sh"

trap 'kill $os_proxy_pids 2>/dev/null; rm -rf "$TMP"' EXIT
os_proxy keystone http://127.0.0.1:5000 "$TMP/requests.log"
os_proxy nova http://127.0.0.1:8774 "$TMP/requests.log"
os_proxy neutron http://127.0.0.1:9696 "$TMP/requests.log"
os_proxy glance http://127.0.0.1:9292 "$TMP/requests.log"
export OS_AUTH_URL="http://127.0.0.1:$keystone_port/v3"
export OS_COMPUTE_ENDPOINT_OVERRIDE="http://127.0.0.1:$nova_port/v2.1"
export OS_NETWORK_ENDPOINT_OVERRIDE="http://127.0.0.1:$neutron_port"
export OS_IMAGE_ENDPOINT_OVERRIDE="http://127.0.0.1:$glance_port"

# tally LOG: "TOKENS API REFUSED RENEWED", the log's token requests, other
# requests, 401s, and whether the k-th other request followed at least k
# token requests, for every k ("yes"/"no")
tally() {
	python3 -c '
import json, sys
tokens = api = refused = 0
renewed = "yes"
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["status"] == 401:
        refused += 1
    if e["method"] == "POST" and e["path"].startswith("/v3/auth/tokens"):
        tokens += 1
    else:
        api += 1
        if tokens < api:
            renewed = "no"
print(tokens, api, refused, renewed)' "$1"
}

sed 's/^    type: cloudify.nodes.openstack.Server$/&\n    instances: { deploy: 3 }/' \
	"$BP_SRC/tests/env/openstack/bp/servers.yaml" >"$TMP/t.yaml"
unset BLUEPRINT_OPENSTACK_TOKEN_MARGIN
run 0 "install with the default margin" bp install "$TMP/t.yaml" -d tok -i "p=$P-" -i cidr=10.46.0.0/24
set -- $(tally "$TMP/requests.log")
diag "install: $1 token requests, $2 API requests, $3 refused"
same "one token request for the whole install" 1 "$1"
check "many API requests used it ($2)" test "$2" -ge 20
same "no request was refused" 0 "$3"
same "three servers, ACTIVE" "ACTIVE ACTIVE ACTIVE" \
	"$(osc server list --name "^$P-server\$" -f value -c Status | sort | xargs)"

: >"$TMP/requests.log"
# longer than Keystone's token lifetime ([token] expiration = 14400)
export BLUEPRINT_OPENSTACK_TOKEN_MARGIN=86400
run 0 "uninstall with every token near its expiry" bp uninstall -d tok
set -- $(tally "$TMP/requests.log")
diag "uninstall: $1 token requests, $2 API requests, $3 refused"
check "the uninstall made API requests ($2)" test "$2" -ge 5
same "a new token before each API request" yes "$4"
same "no request was refused: renewed before, not after, expiry" 0 "$3"
same "no server left" 0 "$(count_named server "$P-")"
same "no network left" 0 "$(count_named network "$P-")"
done_testing
