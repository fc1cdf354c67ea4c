#!/bin/sh
# t4302-gcp-errors.sh: how the gcp plugin meets Google's failures, against
# the fake GCP behind the fault proxy: an operation that ends in error
# (its error.errors[].message reported, the create tried again and
# succeeding), QUOTA_EXCEEDED in an operation and a 403 quotaExceeded
# (fatal, one attempt), a name taken by something that is not the
# deployment's (fatal), 429 and 503 answers (retried, nothing made twice),
# a create whose answer was lost (adopted by its labels on the re-run),
# and a delete of what is gone already (404 = done).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
. "$BP_SRC/tests/fakes/gcp/env.sh"

gcp_fake_start --op-seconds 0.2
gcp_proxy_start

# bp FILE NODE-TYPE PROPERTIES: a one-node blueprint
bp() {
	cat >"$TMP/$1.yaml" <<EOF
tosca_definitions_version: cloudify_dsl_1_3
imports:
  - http://www.getcloudify.org/spec/cloudify/6.4.0/types.yaml
  - plugin:cloudify-gcp-plugin
node_templates:
  r:
    type: cloudify.nodes.gcp.$2
    properties:
      gcp_config: {zone: us-central1-a}
$3
EOF
}
# says TEXT: the last run printed TEXT (events go to stderr)
says() { printf '%s\n%s\n' "$out" "$err" | grep -qF -- "$1"; }
count() { gcp_stats "s['counts'].get('$1', 0)"; }
C="$GCP_URL/compute/v1/projects/$GCP_PROJECT"

bp vm Instance '      name: vm1
      image_id: debian-cloud/family/debian-12
      instance_type: e2-standard-2'
gcp_config '{"fail": [{"collection": "instances", "name": "vm1", "code": "ZONE_RESOURCE_POOL_EXHAUSTED", "message": "The zone does not have enough resources available"}]}'
run 0 "an instance whose first operation fails is created by the retry" \
	"$BLUEPRINT" install "$TMP/vm.yaml" -d vm
check "the operation's error.errors[].message was reported" \
	says "ZONE_RESOURCE_POOL_EXHAUSTED: The zone does not have enough resources available"
same "two inserts, one instance" "2 vm1" \
	"$(count insert:instances) $(gcp_stats "' '.join(x.rsplit('/', 1)[1] for x in s['live'] if '/instances/' in x)")"
run 0 "uninstall" "$BLUEPRINT" uninstall -d vm

gcp_config '{"quota": {"CPUS": 4}}'
bp big Instance '      name: big
      image_id: debian-cloud/family/debian-12
      instance_type: e2-standard-8'
before=$(count insert:instances)
run 1 "QUOTA_EXCEEDED in the operation fails the install" \
	"$BLUEPRINT" install "$TMP/big.yaml" -d big
check "with Google's message" says "QUOTA_EXCEEDED: Quota 'CPUS' exceeded.  Limit: 4.0 in region us-central1."
same "fatal: tried once" $((before + 1)) "$(count insert:instances)"
run 0 "uninstall of the failed install" "$BLUEPRINT" uninstall -d big

gcp_config '{"quota": {"NETWORKS": 1}}'
bp nets Network '      name: n2'
run 1 "a 403 quotaExceeded fails the install" "$BLUEPRINT" install "$TMP/nets.yaml" -d nets
check "with the quota's message" says "quotaExceeded: Quota 'NETWORKS' exceeded"
same "and nothing was made" 0 "$(count insert:networks)"
run 0 "uninstall" "$BLUEPRINT" uninstall -d nets
gcp_config '{"quota": {"NETWORKS": 100}}'

# a network made by someone else (with a token of the test's own)
jwt_net() {
	python3 - "$TMP/gcp/key.pem" "$GCP_URL/token" "$GCP_SA" <<'EOF'
import base64, json, subprocess, sys, time
key, aud, iss = sys.argv[1:]
b = lambda d: base64.urlsafe_b64encode(d).rstrip(b"=").decode()
now = int(time.time())
h = b(json.dumps({"alg": "RS256", "typ": "JWT"}).encode())
c = b(json.dumps({"iss": iss, "aud": aud, "iat": now, "exp": now + 600,
                  "scope": "https://www.googleapis.com/auth/cloud-platform"}).encode())
sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key],
                     input=("%s.%s" % (h, c)).encode(), capture_output=True).stdout
print("%s.%s.%s" % (h, c, b(sig)))
EOF
}
tok=$(curl -s "$GCP_URL/token" --data-urlencode grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer \
	--data-urlencode "assertion=$(jwt_net)" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
curl -s -X POST "$C/global/networks" -H "Authorization: Bearer $tok" -d '{"name": "taken", "autoCreateSubnetworks": false}' >/dev/null
bp taken Network '      name: taken'
run 1 "a name taken by something not ours fails" "$BLUEPRINT" install "$TMP/taken.yaml" -d taken
check "and says whose it is not" says "network 'taken' already exists and is not this deployment's"
run 0 "uninstall leaves the stranger alone" "$BLUEPRINT" uninstall -d taken
check "it is still there" contains "$(gcp_stats "' '.join(s['live'])")" "global/networks/taken"

bp disk Volume '      name: d429
      size: 15'
gcp_rules '[{"method": "POST", "path": "/disks$", "fault": "status", "status": 429, "retry_after": "1",
  "body": "{\"error\": {\"code\": 429, \"message\": \"Rate Limit Exceeded\", \"status\": \"RESOURCE_EXHAUSTED\"}}"},
 {"method": "GET", "path": "/operations/", "fault": "status", "status": 503, "count": 2},
 {"method": "DELETE", "path": "/disks/", "fault": "status", "status": 503}]'
run 0 "429 on the insert and 503 on the operation are retried" "$BLUEPRINT" install "$TMP/disk.yaml" -d disk
same "the proxy answered them" "429 503 503" \
	"$(python3 -c 'import json,sys; print(" ".join(str(j["status"]) for j in map(json.loads, open(sys.argv[1])) if j["fault"]))' "$GCP_PLOG")"
same "one disk made" 1 "$(count insert:disks)"
run 0 "a 503 on the delete is retried too" "$BLUEPRINT" uninstall -d disk
same "one delete" 1 "$(count delete:disks)"
gcp_rules '[]'

# a create whose answer never came leaves the address made, with the
# plugin's labels, and nothing in the runtime properties: the re-run's
# insert gets 409 and adopts it
bp lost Address '      name: lost-ip'
run 0 "install an address" "$BLUEPRINT" install "$TMP/lost.yaml" -d lost
id=$("$BLUEPRINT" status -d lost --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["instances"][0]["id"])')
run 0 "uninstall" "$BLUEPRINT" uninstall -d lost
# make it again by hand, with the labels the plugin gives, as a create
# whose answer never came would have left it
curl -s -X POST "$C/regions/us-central1/addresses" -H "Authorization: Bearer $tok" \
	-d "{\"name\": \"lost-ip\", \"labels\": {\"blueprint-deployment\": \"lost\", \"blueprint-instance\": \"$id\"}}" >/dev/null
before=$(count insert:addresses)
run 0 "install again: the 409 is adopted" "$BLUEPRINT" install "$TMP/lost.yaml" -d lost
check "it says so" says "address 'lost-ip' exists and is ours: adopted"
same "none made" "$before" "$(count insert:addresses)"
curl -s -X DELETE "$C/regions/us-central1/addresses/lost-ip" -H "Authorization: Bearer $tok" >/dev/null
run 0 "uninstall of what is gone already: 404 is done" "$BLUEPRINT" uninstall -d lost
same "nothing is left but the stranger" "projects/test-project/global/networks/taken" \
	"$(gcp_stats "' '.join(s['live'])")"
done_testing
