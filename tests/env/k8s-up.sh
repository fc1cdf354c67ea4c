#!/usr/bin/env bash
# tests/env/k8s-up.sh: a real Kubernetes control plane on 127.0.0.1 for the
# kubernetes plugin's tests: etcd, kube-apiserver v1.20.2 (TLS, static
# tokens, client certificates, RBAC), kube-controller-manager, `kubectl
# proxy` (plain HTTP, for the fault proxy to sit in front of) and a fake
# kubelet (k8s-fake-kubelet.py: one Node; it binds Pods to it and reports
# them Running and Ready, so readiness is real API state).
#
# Idempotent and safe to call concurrently (flock): a running, healthy
# environment is reused as it is; a dead part is restarted. Ports are free
# ones picked at start (nothing fixed). The binaries are built once and
# cached (k8s-build.sh); etcd comes from Debian's etcd-server package,
# installed when missing.
#
# Prints the path of an environment file to source; it sets
#   KUBECONFIG         admin kubeconfig (token, CA file)
#   K8S_SERVER         https://127.0.0.1:PORT
#   K8S_TOKEN          bearer token of a system:masters user
#   K8S_NOBODY_TOKEN   a valid token of a user with no rights (403)
#   K8S_CA             CA certificate file (signs the server and clients)
#   K8S_CLIENT_CERT    client certificate of a system:masters user
#   K8S_CLIENT_KEY     its key
#   K8S_PROXY_URL      http://127.0.0.1:PORT (kubectl proxy, no auth)
#   K8S_FAKE_NODE      the fake node's name
#   K8S_RUN            the runtime directory (logs in $K8S_RUN/log)
# Environment: BP_K8S_RUN (default /tmp/blueprint-k8s), BP_K8S_CACHE
# (default /opt/blueprint-cache/k8s). k8s-down.sh stops it all.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
RUN=${BP_K8S_RUN:-/tmp/blueprint-k8s}
FAKE_NODE=fake-node
mkdir -p "$RUN/pki" "$RUN/log"
exec 9>"$RUN/.lock"
flock 9

log() { echo "k8s-up: $*" >&2; }
die() { log "$*"; exit 1; }

BIN=$("$HERE/k8s-build.sh") || die "could not build kube-apiserver (see above)"

if ! command -v etcd >/dev/null; then
	log "installing etcd-server"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server >&2 ||
		{ apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server >&2; } ||
		die "cannot install etcd-server"
fi
if ! command -v kubectl >/dev/null; then
	log "installing kubernetes-client (kubectl)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kubernetes-client >&2 ||
		die "kubectl is needed: apt-get install kubernetes-client"
fi
command -v openssl >/dev/null || die "openssl is needed"

alive() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

# stop NAME: ends the process recorded in NAME.pid (only that one).
stop() {
	local pid
	[ -f "$RUN/$1.pid" ] || return 0
	pid=$(cat "$RUN/$1.pid")
	if kill -0 "$pid" 2>/dev/null; then
		kill "$pid"
		for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
	fi
	rm -f "$RUN/$1.pid"
}

# start NAME CMD...: CMD in a session of its own, detached from our stdio
# and from the lock, its pid in NAME.pid.
start() {
	local name=$1; shift
	setsid "$@" </dev/null >"$RUN/log/$name.log" 2>&1 9>&- &
	echo $! >"$RUN/$name.pid"
}

# wait_until TENTHS CMD...: a bounded wait for CMD to succeed.
wait_until() {
	local tries=$1; shift
	until "$@"; do
		tries=$((tries - 1)); [ "$tries" -gt 0 ] || return 1
		sleep 0.1
	done
}

free_ports() {
	python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}

# --- keys and certificates (once) -------------------------------------
P=$RUN/pki
if [ ! -f "$P/done" ]; then
	log "making certificates"
	openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=blueprint-test-ca" \
		-keyout "$P/ca.key" -out "$P/ca.crt" 2>/dev/null
	sign() { # sign NAME SUBJ [EXT]
		openssl req -newkey rsa:2048 -nodes -subj "$2" -keyout "$P/$1.key" -out "$P/$1.csr" 2>/dev/null
		openssl x509 -req -in "$P/$1.csr" -CA "$P/ca.crt" -CAkey "$P/ca.key" -CAcreateserial \
			-days 3650 ${3:+-extfile "$3"} -out "$P/$1.crt" 2>/dev/null
	}
	printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default\nextendedKeyUsage=serverAuth\n' >"$P/server.ext"
	printf 'extendedKeyUsage=clientAuth\n' >"$P/client.ext"
	sign apiserver "/CN=kube-apiserver" "$P/server.ext"
	sign admin "/O=system:masters/CN=blueprint-admin" "$P/client.ext"
	openssl genrsa -out "$P/sa.key" 2048 2>/dev/null
	openssl rsa -in "$P/sa.key" -pubout -out "$P/sa.pub" 2>/dev/null
	echo "$(openssl rand -hex 16),blueprint-admin,admin-uid,\"system:masters\"" >"$P/tokens.csv"
	echo "$(openssl rand -hex 16),nobody,nobody-uid," >>"$P/tokens.csv"
	touch "$P/done"
fi
TOKEN=$(sed -n '1s/,.*//p' "$P/tokens.csv")
NOBODY_TOKEN=$(sed -n '2s/,.*//p' "$P/tokens.csv")

# --- etcd and kube-apiserver: restarted together, on fresh data ---------
ports_file=$RUN/ports
apiserver_ready() {
	[ "$(curl -s --max-time 2 --cacert "$P/ca.crt" -H "Authorization: Bearer $TOKEN" \
		"https://127.0.0.1:$API_PORT/readyz" 2>/dev/null)" = ok ]
}
[ -f "$ports_file" ] && . "$ports_file"
if ! alive etcd || ! alive apiserver || ! apiserver_ready; then
	for p in fake-kubelet proxy kcm apiserver etcd; do stop "$p"; done
	rm -rf "$RUN/etcd"
	read -r ETCD_PORT ETCD_PEER_PORT API_PORT KCM_PORT PROXY_PORT <<<"$(free_ports 5)"
	printf 'ETCD_PORT=%s\nETCD_PEER_PORT=%s\nAPI_PORT=%s\nKCM_PORT=%s\nPROXY_PORT=%s\n' \
		"$ETCD_PORT" "$ETCD_PEER_PORT" "$API_PORT" "$KCM_PORT" "$PROXY_PORT" >"$ports_file"
	log "starting etcd on 127.0.0.1:$ETCD_PORT"
	start etcd etcd --name local --data-dir "$RUN/etcd" \
		--listen-client-urls "http://127.0.0.1:$ETCD_PORT" \
		--advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
		--listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
		--initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
		--initial-cluster "local=http://127.0.0.1:$ETCD_PEER_PORT"
	wait_until 100 curl -sf "http://127.0.0.1:$ETCD_PORT/health" -o /dev/null ||
		die "etcd did not come up, see $RUN/log/etcd.log"
	log "starting kube-apiserver on https://127.0.0.1:$API_PORT"
	start apiserver "$BIN/kube-apiserver" \
		--etcd-servers="http://127.0.0.1:$ETCD_PORT" \
		--bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$API_PORT" \
		--cert-dir="$RUN/pki/serving" \
		--tls-cert-file="$P/apiserver.crt" --tls-private-key-file="$P/apiserver.key" \
		--client-ca-file="$P/ca.crt" --token-auth-file="$P/tokens.csv" \
		--authorization-mode=RBAC \
		--service-account-issuer=https://kubernetes.default.svc \
		--service-account-key-file="$P/sa.pub" --service-account-signing-key-file="$P/sa.key" \
		--api-audiences=https://kubernetes.default.svc \
		--service-cluster-ip-range=10.96.0.0/16 --service-node-port-range=30000-32767 \
		--allow-privileged=true --endpoint-reconciler-type=none
	apiserver_up() { alive apiserver && apiserver_ready; }
	wait_until 600 apiserver_up ||
		die "kube-apiserver did not become ready, see $RUN/log/apiserver.log"
fi

KUBECONFIG_FILE=$RUN/kubeconfig
cat >"$KUBECONFIG_FILE.new" <<KC
apiVersion: v1
kind: Config
clusters:
- name: blueprint-test
  cluster:
    server: https://127.0.0.1:$API_PORT
    certificate-authority: $P/ca.crt
users:
- name: blueprint-admin
  user:
    token: $TOKEN
contexts:
- name: blueprint-test
  context: {cluster: blueprint-test, user: blueprint-admin}
current-context: blueprint-test
KC
mv "$KUBECONFIG_FILE.new" "$KUBECONFIG_FILE"

# --- kube-controller-manager -------------------------------------------
if ! alive kcm; then
	log "starting kube-controller-manager"
	start kcm "$BIN/kube-controller-manager" --kubeconfig="$KUBECONFIG_FILE" \
		--bind-address=127.0.0.1 --secure-port="$KCM_PORT" --port=0 \
		--leader-elect=false --use-service-account-credentials=false \
		--service-account-private-key-file="$P/sa.key" --root-ca-file="$P/ca.crt" \
		--controllers='*,-nodeipam,-nodelifecycle,-cloud-node-lifecycle,-service,-route,-attachdetach,-persistentvolume-expander'
	# Pods need their namespace's default ServiceAccount: the controller
	# manager makes it, so it works once that appears.
	wait_until 300 sh -c "kubectl --kubeconfig='$KUBECONFIG_FILE' -n default get serviceaccount default >/dev/null 2>&1" ||
		die "kube-controller-manager did not start, see $RUN/log/kcm.log"
fi

# --- kubectl proxy -----------------------------------------------------
if ! alive proxy; then
	start proxy kubectl --kubeconfig="$KUBECONFIG_FILE" proxy --address=127.0.0.1 --port="$PROXY_PORT"
	wait_until 100 curl -sf "http://127.0.0.1:$PROXY_PORT/readyz" -o /dev/null ||
		die "kubectl proxy did not start, see $RUN/log/proxy.log"
fi

# --- the fake kubelet ----------------------------------------------------
if ! alive fake-kubelet; then
	start fake-kubelet python3 "$HERE/k8s-fake-kubelet.py" --api "http://127.0.0.1:$PROXY_PORT" --node "$FAKE_NODE"
	node_ready() {
		[ "$(kubectl --kubeconfig="$KUBECONFIG_FILE" get node "$FAKE_NODE" \
			-o jsonpath='{.status.conditions[?(@.type=="Ready")].status}/{.spec.taints}' 2>/dev/null)" = True/ ]
	}
	wait_until 100 node_ready ||
		die "the fake kubelet did not register its node, see $RUN/log/fake-kubelet.log"
fi

cat >"$RUN/env.new" <<ENV
export KUBECONFIG='$KUBECONFIG_FILE'
export K8S_SERVER='https://127.0.0.1:$API_PORT'
export K8S_TOKEN='$TOKEN'
export K8S_NOBODY_TOKEN='$NOBODY_TOKEN'
export K8S_CA='$P/ca.crt'
export K8S_CLIENT_CERT='$P/admin.crt'
export K8S_CLIENT_KEY='$P/admin.key'
export K8S_PROXY_URL='http://127.0.0.1:$PROXY_PORT'
export K8S_FAKE_NODE='$FAKE_NODE'
export K8S_RUN='$RUN'
ENV
mv "$RUN/env.new" "$RUN/env"
echo "$RUN/env"
