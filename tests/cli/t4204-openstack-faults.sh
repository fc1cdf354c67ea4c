#!/bin/sh
# t4204-openstack-faults.sh: the fault proxy (tests/tools/faultproxy.py) in
# front of Nova and Neutron (compute_endpoint_override and
# network_endpoint_override, as openstacksdk names them, from OS_*): a 401
# mid-run makes the plugin authenticate again and resend; 429 and 503 with
# Retry-After, a reset and a closed connection are retried; the install
# ends with one network, one subnet and one server, and uninstall with
# none. The proxies' logs prove each fault was met.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
. "$BP_SRC/tests/env/openstack/testlib.sh"

cat >"$TMP/nova.rules" <<'EOF2'
[{"method": "POST", "path": "/servers$", "fault": "status", "status": 503, "retry_after": "1"},
 {"method": "GET", "path": "/servers/[0-9a-f-]+$", "fault": "status", "status": 401,
  "body": "{\"error\": {\"code\": 401, \"message\": \"The request you have made requires authentication.\"}}"},
 {"method": "GET", "path": "/flavors", "fault": "close"}]
EOF2
cat >"$TMP/neutron.rules" <<'EOF2'
[{"method": "POST", "path": "/networks$", "fault": "status", "status": 429, "retry_after": "1", "count": 2},
 {"method": "GET", "path": "/subnets\\?name=", "fault": "reset"},
 {"method": "POST", "path": "/subnets$", "fault": "status", "status": 503}]
EOF2
os_proxy nova http://127.0.0.1:8774
os_proxy neutron http://127.0.0.1:9696
trap 'kill $os_proxy_pids 2>/dev/null; rm -rf "$TMP"' EXIT
export OS_COMPUTE_ENDPOINT_OVERRIDE="http://127.0.0.1:$nova_port/v2.1"
export OS_NETWORK_ENDPOINT_OVERRIDE="http://127.0.0.1:$neutron_port"

cp "$BP_SRC/tests/env/openstack/bp/servers.yaml" "$TMP/f.yaml"
run 0 "install through the faults" bp install "$TMP/f.yaml" -d f -i "p=$P-"
# faults NAME FAULT PATH-REGEX: how many requests met it
faults() {
	python3 -c '
import json, re, sys
n = 0
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["fault"] == sys.argv[2] and re.search(sys.argv[3], e["path"]) and \
       (sys.argv[2] != "status" or e["status"] == int(sys.argv[4])):
        n += 1
print(n)' "$TMP/$1.log" "$2" "$3" "${4:-0}"
}
same "Nova answered 503 to the create once" 1 "$(faults nova status '/servers$' 503)"
same "Nova refused the token once" 1 "$(faults nova status '/servers/[0-9a-f-]+$' 401)"
check "the plugin said it authenticated again" has err -q "token refused (401), authenticating again"
same "a flavor lookup met a closed connection" 1 "$(faults nova close /flavors)"
same "Neutron answered 429 twice" 2 "$(faults neutron status '/networks$' 429)"
same "a subnet lookup met a reset" 1 "$(faults neutron reset '/subnets')"
same "one network" 1 "$(count_named network "$P-")"
same "one subnet" 1 "$(count_named subnet "$P-")"
same "one server, ACTIVE" ACTIVE "$(osc server list --name "^$P-server\$" -f value -c Status)"
check "the server was created after the 503" sh -c "[ \$(grep -c '\"POST\", \"path\": \"/v2.1/servers\"' '$TMP/nova.log') = 2 ]"
same "Neutron answered 503 to the subnet's create once" 1 "$(faults neutron status '/subnets$' 503)"
run 0 "uninstall through the proxies" bp uninstall -d f
same "no server left" 0 "$(count_named server "$P-")"
same "no network left" 0 "$(count_named network "$P-")"
done_testing
