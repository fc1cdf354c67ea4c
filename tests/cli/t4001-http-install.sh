#!/bin/sh
# t4001-http-install.sh: an operation that talks HTTP through
# plugins/common/http.c (the httpget test plugin) under `blueprint
# install`, through the fault proxy: the client's retries are WARNING
# events on the operation, it gives up after max_attempts, and Ctrl-C
# (SIGINT) stops it waiting for a long Retry-After.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/workflow.sh"
wf_setup
. "$BP_SRC/tests/lib/faults.sh"

upstream_start
proxy_start "http://127.0.0.1:$UPSTREAM_PORT"

# blueprint FILE PATH [MAX_ATTEMPTS]: one node whose create GETs PATH
blueprint() {
	cat >"$1" <<YAML
tosca_definitions_version: cloudify_dsl_1_3
imports:
  - http://www.getcloudify.org/spec/cloudify/6.4.0/types.yaml
plugins:
  httpget:
    executor: central_deployment_agent
    install: false
node_templates:
  web:
    type: cloudify.nodes.Root
    interfaces:
      cloudify.interfaces.lifecycle:
        create:
          implementation: httpget.get
          inputs:
            url: $PROXY_URL$2
            backoff_ms: 10
            max_attempts: ${3:-5}
YAML
}
# warnings DEPLOYMENT: the create's warning events, "warning: MESSAGE"
warnings() {
	"$BLUEPRINT" events -d "$1" --level warning |
		sed -n 's/^.* web_[a-z0-9]* cloudify\.interfaces\.lifecycle\.create \(warning: \)/\1/p'
}

# (the 503s close their connection: a reset on a connection libcurl
# reused would be tried again by libcurl itself, unseen)
rules '[{"path": "^/ok$", "fault": "status", "status": 503, "count": 2,
	"headers": {"Connection": "close"}},
	{"path": "^/ok$", "skip": 2, "fault": "reset"}]'
blueprint "$T/ok.yaml" /ok
run 0 "an install whose GET is answered 503, 503, then reset, succeeds" \
	"$BLUEPRINT" install "$T/ok.yaml" -d ok
same "the proxy saw four GETs" "GET /ok status 503
GET /ok status 503
GET /ok reset None
GET /ok None 200" "$(faults_log | grep ' /ok ')"
same "each retry is a warning on the operation" \
"warning: GET $PROXY_URL/ok: HTTP 503, retrying in 0.0 s (attempt 2 of 5)
warning: GET $PROXY_URL/ok: HTTP 503, retrying in 0.0 s (attempt 3 of 5)" \
	"$(warnings ok | head -2)"
w3=$(warnings ok | sed -n 3p)
case $w3 in
"warning: GET $PROXY_URL/ok: "*", retrying in 0.0 s (attempt 4 of 5)")
	ok "the reset too, with the transport error" ;;
*)	not_ok "the reset too, with the transport error"; diag "$w3" ;;
esac
same "three warnings in all" 3 "$(warnings ok | wc -l)"
same "the operation saw the answer of the fourth attempt" "200 4" \
	"$("$BLUEPRINT" status -d ok --json | "$PYTHON" -c '
import json, sys
i = json.load(sys.stdin)["instances"][0]["runtime_properties"]
print(i["status"], i["attempts"])')"

rules '[{"path": "^/down$", "fault": "status", "status": 503, "count": -1}]'
blueprint "$T/down.yaml" /down 3
run 1 "an API that stays down fails the install" \
	"$BLUEPRINT" install "$T/down.yaml" -d down
same "after max_attempts GETs" 3 "$(faults_log | grep -c ' /down ')"
same "with two warnings" 2 "$(warnings down | grep -c 'HTTP 503, retrying')"
expect_exit 0 "$BLUEPRINT" events -d down --level error
check "the operation's error says why" \
	has out -q "GET $PROXY_URL/down: HTTP 503 after 3 attempts"

rules '[{"path": "^/slow$", "fault": "status", "status": 429, "retry_after": "240",
	"count": -1}]'
blueprint "$T/slow.yaml" /slow
"$BLUEPRINT" install "$T/slow.yaml" -d slow >"$T/out" 2>"$T/err" &
pid=$!
gone() { ! kill -0 "$pid" 2>/dev/null; }
asked() { faults_log | grep -q ' /slow '; }
check "the GET is answered 429, Retry-After four minutes" wait_for 30 asked
kill -INT "$pid"
check "Ctrl-C ends the install without that wait" wait_for 30 gone
wait "$pid"
same "the install ends with exit status 1" 1 "$?"
check "it says it was cancelled" grep -q "install was cancelled" "$T/err"
same "the client had said it would wait that long" \
	"warning: GET $PROXY_URL/slow: HTTP 429, retrying in 240.0 s (attempt 2 of 5)" \
	"$(warnings slow)"
same "no second GET was sent" 1 "$(faults_log | grep -c ' /slow ')"

done_testing
