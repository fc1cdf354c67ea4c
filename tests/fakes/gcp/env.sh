# env.sh: the fake GCP for a shell test (sourced after tests/lib/tap.sh and
# state.sh, which give $TMP and wait_for). BLUEPRINT_SKIP_CLOUD=1 skips
# the test, with a TAP skip line.
#
#   gcp_fake_start [FAKE-OPTIONS...]
#       generates a test-only RSA key with openssl (never committed), writes
#       a service-account key file for it whose token_uri is the fake's,
#       starts fakegcp.py with the public half, and exports
#       GOOGLE_APPLICATION_CREDENTIALS, BLUEPRINT_GCP_API_ENDPOINT and
#       GOOGLE_CLOUD_PROJECT; sets GCP_URL. The fake stops when the test
#       exits. Fails the test (exit 1) when it cannot start.
#   gcp_stats [PYTHON-EXPR]   the fake's /_fake/stats, or EXPR over it (s)
#   gcp_config JSON           POST /_fake/config
#   gcp_get PATH              GET GCP_URL/PATH as the test's service account
#   gcp_gcloud ARGS...        the real gcloud pointed at the fake
#   gcp_proxy_start           tests/tools/faultproxy.py in front of the fake's
#                             APIs (rules in $GCP_RULES, log in $GCP_PLOG);
#                             the plugin goes through it, tokens do not

if [ "${BLUEPRINT_SKIP_CLOUD:-}" = 1 ]; then
	echo "1..0 # skip BLUEPRINT_SKIP_CLOUD=1"; exit 0
fi

GCP_FAKE="$BP_SRC/tests/fakes/gcp/fakegcp.py"
GCP_PROJECT=test-project
GCP_SA=tester@test-project.iam.gserviceaccount.com

_gcp_stop() {
	[ -n "${GCP_PID:-}" ] && kill "$GCP_PID" 2>/dev/null
	[ -n "${GCP_PROXY_PID:-}" ] && kill "$GCP_PROXY_PID" 2>/dev/null
	rm -rf "$TMP"
}
trap _gcp_stop EXIT

gcp_fake_start() {
	mkdir -p "$TMP/gcp"
	if [ ! -f "$TMP/gcp/key.pem" ]; then
		openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
			-out "$TMP/gcp/key.pem" 2>/dev/null &&
		openssl pkey -in "$TMP/gcp/key.pem" -pubout \
			-out "$TMP/gcp/pub.pem" ||
		{ echo "Bail out! openssl cannot make a test key"; exit 1; }
	fi
	rm -f "$TMP/gcp/port"
	python3 "$GCP_FAKE" --port-file "$TMP/gcp/port" \
		--project "$GCP_PROJECT" \
		--service-account "$GCP_SA=$TMP/gcp/pub.pem" "$@" \
		>"$TMP/gcp/fake.log" 2>&1 &
	GCP_PID=$!
	wait_for 100 test -s "$TMP/gcp/port" ||
		{ echo "Bail out! the fake GCP did not start"; cat "$TMP/gcp/fake.log"; exit 1; }
	GCP_URL="http://127.0.0.1:$(cat "$TMP/gcp/port")"
	python3 - "$TMP/gcp/key.pem" "$GCP_URL/token" "$GCP_SA" \
		>"$TMP/gcp/sa.json" <<'EOF'
import json, sys
key, uri, email = sys.argv[1:]
print(json.dumps({"type": "service_account", "project_id": "test-project",
                  "private_key_id": "0123456789abcdef",
                  "private_key": open(key).read(), "client_email": email,
                  "client_id": "1234567890", "token_uri": uri,
                  "auth_uri": "https://accounts.google.com/o/oauth2/auth"}))
EOF
	export GOOGLE_APPLICATION_CREDENTIALS="$TMP/gcp/sa.json"
	export BLUEPRINT_GCP_API_ENDPOINT="$GCP_URL"
	export GOOGLE_CLOUD_PROJECT="$GCP_PROJECT"
	export BLUEPRINT_HTTP_BACKOFF_MS=20
}

gcp_proxy_start() {
	GCP_RULES="$TMP/gcp/rules.json"
	GCP_PLOG="$TMP/gcp/proxy.jsonl"
	rm -f "$TMP/gcp/pport"
	python3 "$BP_SRC/tests/tools/faultproxy.py" --upstream "$GCP_URL" \
		--port-file "$TMP/gcp/pport" --rules "$GCP_RULES" \
		--log "$GCP_PLOG" >"$TMP/gcp/proxy.log" 2>&1 &
	GCP_PROXY_PID=$!
	wait_for 100 test -s "$TMP/gcp/pport" ||
		{ echo "Bail out! the fault proxy did not start"; exit 1; }
	export BLUEPRINT_GCP_API_ENDPOINT="http://127.0.0.1:$(cat "$TMP/gcp/pport")"
}

# gcp_rules JSON: replaces the proxy's rules (renamed over, as it wants)
gcp_rules() {
	printf '%s\n' "$1" >"$GCP_RULES.tmp" && mv "$GCP_RULES.tmp" "$GCP_RULES"
}

gcp_stats() {
	curl -sf "$GCP_URL/_fake/stats" | python3 -c '
import json, sys
s = json.load(sys.stdin)
expr = sys.argv[1] if len(sys.argv) > 1 else "s"
v = eval(expr)
print(v if isinstance(v, str) else json.dumps(v, sort_keys=True))' "$@"
}

gcp_config() {
	curl -sf -X POST -d "$1" "$GCP_URL/_fake/config" >/dev/null
}

gcp_gcloud() {
	# a throwaway configuration, written as `gcloud config set` would
	# (seven gcloud runs cost half a minute)
	if [ ! -d "$TMP/gcloud" ]; then
		mkdir -p "$TMP/gcloud/configurations"
		printf default >"$TMP/gcloud/active_config"
		cat >"$TMP/gcloud/configurations/config_default" <<EOF
[core]
project = $GCP_PROJECT
disable_usage_reporting = true

[auth]
disable_credentials = true

[component_manager]
disable_update_check = true

[api_endpoint_overrides]
compute = $GCP_URL/compute/v1/
file = $GCP_URL/file/
container = $GCP_URL/container/
EOF
	fi
	CLOUDSDK_CONFIG="$TMP/gcloud" gcloud -q "$@"
}
