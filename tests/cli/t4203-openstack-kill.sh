#!/bin/sh
# t4203-openstack-kill.sh: `blueprint install` killed with SIGKILL while
# its server is being built, then run again: the server is found again
# (by its saved id, or by name and the blueprint_instance metadata when
# the id was never saved), never created twice; uninstall leaves none.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
. "$BP_SRC/tests/env/openstack/testlib.sh"

# the shared blueprint, with three servers
sed 's/^    type: cloudify.nodes.openstack.Server$/&\n    instances: { deploy: 3 }/' \
	"$BP_SRC/tests/env/openstack/bp/servers.yaml" >"$TMP/k.yaml"
token=$(osc token issue -f value -c id)
# servers: how many servers named $P-server the admin sees
servers() {
	curl -s -m 10 -H "X-Auth-Token: $token" \
		"http://127.0.0.1:8774/v2.1/servers?all_tenants=1&name=%5E$P-server%24" |
		python3 -c 'import json,sys; print(len(json.load(sys.stdin)["servers"]))'
}
some_server() { [ "$(servers)" -gt 0 ]; }

"$BLUEPRINT" install "$TMP/k.yaml" -d kill -i "p=$P-" >"$TMP/first.out" 2>&1 &
pid=$!
check "a server appears" wait_for 3000 some_server
kill -9 $pid
wait $pid
seen=$(servers)
diag "servers when killed: $seen"
run 0 "install again finishes" bp install "$TMP/k.yaml" -d kill -i "p=$P-"
printf "%s\n" "$out" "$err" | grep -q "this instance created before" && diag "found a server by its metadata (its id was never saved)"
same "three servers, none twice" 3 "$(servers)"
same "the CLI agrees" 3 "$(count_named server "$P-server")"
check "each server is ACTIVE" sh -c \
	"[ \$(/usr/bin/python3 /usr/bin/openstack server list --all-projects --name '^$P-server\$' -f value -c Status | grep -c ACTIVE) = 3 ]"
run 0 "uninstall" bp uninstall -d kill
same "no server left" 0 "$(servers)"
same "no network left" 0 "$(count_named network "$P-")"
done_testing
