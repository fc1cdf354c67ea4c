#!/bin/sh
# t4303-gcp-auth.sh: the gcp plugin's credentials, in Google's order, against
# the fake's token endpoint (which verifies every JWT's RS256 signature and
# claims): a service-account key in gcp_config.auth, in
# GOOGLE_APPLICATION_CREDENTIALS, an authorized user's refresh token, the
# gcloud ADC file, the metadata server; a key Google does not know (fatal);
# tokens refreshed before they expire, and a revoked token replaced on 401.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/state.sh"
. "$BP_SRC/tests/fakes/gcp/env.sh"

gcp_fake_start --op-seconds 0.2 --authorized-user "cid:csecret:rtoken"
gcp_proxy_start
SA_JSON=$GOOGLE_APPLICATION_CREDENTIALS
NOFILES="HOME=$TMP/nohome CLOUDSDK_CONFIG=$TMP/nocfg"
says() { printf '%s\n%s\n' "$out" "$err" | grep -qF -- "$1"; }

cat >"$TMP/net.yaml" <<'EOF'
tosca_definitions_version: cloudify_dsl_1_3
imports:
  - http://www.getcloudify.org/spec/cloudify/6.4.0/types.yaml
  - plugin:cloudify-gcp-plugin
inputs:
  auth: {default: ''}
  project: {default: ''}
node_templates:
  n:
    type: cloudify.nodes.gcp.Network
    properties:
      gcp_config: {auth: {get_input: auth}, project: {get_input: project}}
  a:
    type: cloudify.nodes.gcp.GlobalAddress
    properties:
      gcp_config: {auth: {get_input: auth}, project: {get_input: project}}
EOF
grants() { gcp_stats "s['token_grants']"; }
# cycle NAME DESC "ENV-ARGS" [INSTALL-ARGS]: install and uninstall with
# the environment changed by env(1) arguments
cycle() {
	c_name=$1 c_desc=$2 c_env=$3; shift 3
	c_before=$(grants)
	# shellcheck disable=SC2086
	run 0 "$c_desc: install" env $c_env "$BLUEPRINT" install "$TMP/net.yaml" -d "$c_name" "$@"
	# shellcheck disable=SC2086
	run 0 "$c_desc: uninstall" env $c_env "$BLUEPRINT" uninstall -d "$c_name"
	check "$c_desc: tokens came from the fake" test "$(grants)" -gt "$c_before"
}

cycle sa "a service-account key in GOOGLE_APPLICATION_CREDENTIALS" ""

python3 -c 'import json,sys; print(json.dumps({"auth": json.load(open(sys.argv[1]))}))' \
	"$SA_JSON" >"$TMP/inputs.json"
cycle inline "the key in gcp_config.auth (its project_id too)" \
	"-u GOOGLE_APPLICATION_CREDENTIALS -u GOOGLE_CLOUD_PROJECT $NOFILES" -i "$TMP/inputs.json"

cat >"$TMP/user.json" <<EOF
{"type": "authorized_user", "client_id": "cid", "client_secret": "csecret",
 "refresh_token": "rtoken", "token_uri": "$GCP_URL/token"}
EOF
cycle user "an authorized user's refresh token" \
	"GOOGLE_APPLICATION_CREDENTIALS=$TMP/user.json"
mkdir -p "$TMP/gcloudcfg"
cp "$TMP/user.json" "$TMP/gcloudcfg/application_default_credentials.json"
cycle adc "gcloud's application_default_credentials.json" \
	"-u GOOGLE_APPLICATION_CREDENTIALS CLOUDSDK_CONFIG=$TMP/gcloudcfg"
cycle metadata "the metadata server's token" \
	"-u GOOGLE_APPLICATION_CREDENTIALS $NOFILES GCE_METADATA_HOST=${GCP_URL#http://}"

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$TMP/stranger.pem" 2>/dev/null
python3 - "$SA_JSON" "$TMP/stranger.pem" >"$TMP/stranger.json" <<'EOF'
import json, sys
key = json.load(open(sys.argv[1]))
key["private_key"] = open(sys.argv[2]).read()
print(json.dumps(key))
EOF
run 1 "a key Google does not know fails the install" \
	env GOOGLE_APPLICATION_CREDENTIALS="$TMP/stranger.json" \
	"$BLUEPRINT" install "$TMP/net.yaml" -d stranger
check "with the token endpoint's reason" says "Invalid JWT Signature."
run 0 "uninstall" "$BLUEPRINT" uninstall -d stranger
same "and nothing was made" 0 "$(gcp_stats "len(s['live'])")"

gcp_config '{"token_ttl": 3}'
cat >"$TMP/many.yaml" <<'EOF'
tosca_definitions_version: cloudify_dsl_1_3
imports:
  - http://www.getcloudify.org/spec/cloudify/6.4.0/types.yaml
  - plugin:cloudify-gcp-plugin
node_templates:
  a: {type: cloudify.nodes.gcp.GlobalAddress}
  b:
    type: cloudify.nodes.gcp.GlobalAddress
    relationships: [{type: cloudify.relationships.depends_on, target: a}]
  c:
    type: cloudify.nodes.gcp.GlobalAddress
    relationships: [{type: cloudify.relationships.depends_on, target: b}]
  d:
    type: cloudify.nodes.gcp.GlobalAddress
    relationships: [{type: cloudify.relationships.depends_on, target: c}]
EOF
gcp_config '{"op_seconds": 1.2}'
before=$(grants)
fails=$(gcp_stats "s['auth_failures']")
run 0 "an install longer than a token's life (3 s)" "$BLUEPRINT" install "$TMP/many.yaml" -d many
check "fetched new tokens before the old expired" test "$(grants)" -gt $((before + 1))
same "so no call was refused" "$fails" "$(gcp_stats "s['auth_failures']")"
gcp_config '{"token_ttl": 3600, "op_seconds": 0.2}'
gcp_rules '[{"method": "DELETE", "path": "/addresses/", "fault": "status", "status": 401,
  "body": "{\"error\": {\"code\": 401, \"message\": \"Request had invalid authentication credentials.\", \"status\": \"UNAUTHENTICATED\"}}"}]'
before=$(grants)
run 0 "uninstall, its token refused once (401)" "$BLUEPRINT" uninstall -d many
check "got a second token and went on" test "$(grants)" -ge $((before + 2))
check "the proxy answered the 401" grep -q '"status": 401' "$GCP_PLOG"
same "nothing is left" 0 "$(gcp_stats "len(s['live'])")"
done_testing
