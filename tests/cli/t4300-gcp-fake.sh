#!/bin/sh
# t4300-gcp-fake.sh: the fake GCP (tests/fakes/gcp) answers as Google
# documents: the token endpoint checks a JWT's RS256 signature and claims
# (signed here with openssl), API calls need a live token, errors come in
# Google's body, Operations go PENDING/RUNNING/DONE, lists page with
# nextPageToken and filter on labels; and the real gcloud reads it.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
. "$BP_SRC/tests/fakes/gcp/env.sh"

gcp_fake_start

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
# jwt AUD [KEY]: a signed service-account assertion
jwt() {
	now=$(date +%s)
	h=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
	c=$(printf '{"iss":"%s","scope":"https://www.googleapis.com/auth/cloud-platform","aud":"%s","iat":%d,"exp":%d}' \
		"$GCP_SA" "$1" "$now" $((now + 3600)) | b64url)
	s=$(printf '%s.%s' "$h" "$c" | openssl dgst -sha256 -sign "${2:-$TMP/gcp/key.pem}" | b64url)
	printf '%s.%s.%s' "$h" "$c" "$s"
}
token() {
	curl -s "$GCP_URL/token" \
		--data-urlencode grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer \
		--data-urlencode "assertion=$1"
}
jget() { python3 -c 'import json,sys; v=json.load(sys.stdin)
for k in sys.argv[1].split("."): v = v[int(k)] if isinstance(v, list) else v[k]
print(v)' "$1"; }

out=$(token "$(jwt "$GCP_URL/token")")
tok=$(printf '%s' "$out" | jget access_token)
check "a JWT signed with the registered key gets a token" test -n "$tok"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$TMP/other.pem" 2>/dev/null
out=$(token "$(jwt "$GCP_URL/token" "$TMP/other.pem")")
same "one signed with another key is refused" "Invalid JWT Signature." \
	"$(printf '%s' "$out" | jget error_description)"
out=$(token "$(jwt "https://oauth2.googleapis.com/token")")
same "one for another audience is refused" "Invalid JWT: Failed audience check." \
	"$(printf '%s' "$out" | jget error_description)"

C="$GCP_URL/compute/v1/projects/$GCP_PROJECT"
code=$(curl -s -o "$TMP/body" -w '%{http_code}' "$C/global/networks")
same "no token: 401" 401 "$code"
same "in Google's error body" UNAUTHENTICATED "$(jget error.status <"$TMP/body")"

out=$(token "$(jwt "$GCP_URL/token")")
tok=$(printf '%s' "$out" | jget access_token)
api() { curl -s -H "Authorization: Bearer $tok" "$@"; }
api -X POST "$C/global/networks" -d '{"name": "n1", "autoCreateSubnetworks": false}' >"$TMP/op"
same "an insert answers a PENDING compute#operation" "compute#operation PENDING insert" \
	"$(jget kind <"$TMP/op") $(jget status <"$TMP/op") $(jget operationType <"$TMP/op")"
opname=$(jget name <"$TMP/op")
done_op() { api "$C/global/operations/$opname" | jget status 2>/dev/null | grep -qx DONE; }
check "which ends DONE" wait_for 50 done_op
api -X POST "$C/global/networks" -d '{"name": "n1"}' >"$TMP/body"
same "a second insert: 409 alreadyExists" "409 alreadyExists" \
	"$(jget error.code <"$TMP/body") $(jget error.errors.0.reason <"$TMP/body")"
api "$C/global/networks/zz" >"$TMP/body"
same "a missing resource: 404 notFound" "404 notFound" \
	"$(jget error.code <"$TMP/body") $(jget error.errors.0.reason <"$TMP/body")"

for n in a b c; do
	api -X POST "$C/global/addresses" -d "{\"name\": \"ip-$n\", \"labels\": {\"team\": \"$n\"}}" >/dev/null
done
api "$C/global/addresses?maxResults=2" >"$TMP/p1"
t=$(jget nextPageToken <"$TMP/p1")
api "$C/global/addresses?maxResults=2&pageToken=$t" >"$TMP/p2"
same "pages of 2 with nextPageToken" "ip-a ip-b | ip-c" \
	"$(jget items.0.name <"$TMP/p1") $(jget items.1.name <"$TMP/p1") | $(jget items.0.name <"$TMP/p2")"
api -G "$C/global/addresses" --data-urlencode 'filter=labels.team = "b"' >"$TMP/f"
same "a label filter" "ip-b" "$(jget items.0.name <"$TMP/f")"

gcp_config '{"quota": {"NETWORKS": 2}}'
api -X POST "$C/global/networks" -d '{"name": "n2"}' >"$TMP/body"
same "over quota: 403 quotaExceeded" "403 quotaExceeded" \
	"$(jget error.code <"$TMP/body") $(jget error.errors.0.reason <"$TMP/body")"
gcp_config '{"fail": [{"collection": "disks", "code": "ZONE_RESOURCE_POOL_EXHAUSTED", "message": "no room"}]}'
api -X POST "$C/zones/us-central1-a/disks" -d '{"name": "d1", "sizeGb": "10"}' >"$TMP/op"
opname=$(jget name <"$TMP/op")
zdone() { api "$C/zones/us-central1-a/operations/$opname" >"$TMP/op"; jget status <"$TMP/op" | grep -qx DONE; }
wait_for 50 zdone
same "a failed operation carries error.errors[]" "ZONE_RESOURCE_POOL_EXHAUSTED: no room" \
	"$(jget error.errors.0.code <"$TMP/op"): $(jget error.errors.0.message <"$TMP/op")"
gcp_config '{"token_ttl": 1}'
tok=$(token "$(jwt "$GCP_URL/token")" | jget access_token)
wait_for 40 sh -c "curl -s -H 'Authorization: Bearer $tok' '$C/global/networks' | grep -q UNAUTHENTICATED"
same "a token expires (ttl 1 s): 401 again" UNAUTHENTICATED \
	"$(api "$C/global/networks" | jget error.status)"

# gcloud with credentials disabled: a second fake that allows it.
kill "$GCP_PID"; wait "$GCP_PID" 2>/dev/null
gcp_fake_start --allow-anonymous
C="$GCP_URL/compute/v1/projects/$GCP_PROJECT"
curl -s -X POST "$C/global/networks" -d '{"name": "studio", "autoCreateSubnetworks": false}' >/dev/null
curl -s -X POST "$C/zones/us-central1-a/instances" -d '{"name": "vm1", "machineType": "e2-standard-4", "labels": {"team": "fx"},
 "disks": [{"boot": true, "initializeParams": {"sourceImage": "projects/debian-cloud/global/images/family/debian-12"}}],
 "networkInterfaces": [{"network": "global/networks/studio"}]}' >/dev/null
vm_running() { gcp_gcloud compute instances list --format='value(name,status)' 2>/dev/null | grep -q 'vm1.*RUNNING'; }
check "gcloud compute instances list sees the instance RUNNING" wait_for 50 vm_running
run 0 "gcloud compute instances describe" gcp_gcloud compute instances describe vm1 \
	--zone us-central1-a --format='value(labels.team,machineType.basename())'
same "with its labels and machine type" "fx	e2-standard-4" "$out"
run 0 "gcloud compute networks describe" gcp_gcloud compute networks describe studio --format='value(x_gcloud_subnet_mode)'
same "a custom-mode network" CUSTOM "$out"
done_testing
