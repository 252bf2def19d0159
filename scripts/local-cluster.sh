#!/usr/bin/env bash
# A real Kubernetes control plane on loopback, without Docker:
#   etcd, kube-apiserver, kube-controller-manager and kube-scheduler (released code, built from the Go module proxy
#   on first use by scripts/local-cluster/build-control-plane.sh, or taken from $KUBEBUILDER_ASSETS), and two nodes,
#   focal-cpu-0 and focal-gpu-0 (NVIDIA's labels, taint and RuntimeClass handler, and two nvidia.com/gpu from a
#   device plugin, libs/testing/src/device-plugin), each a real kubelet of the same release over Focal's process
#   runtime (libs/testing/src/process-runtime): a CRI server whose containers are local processes, each pod on its
#   own 127.x address.
#
#   scripts/local-cluster.sh up       start everything (idempotent); last line: export KUBECONFIG=<path>
#   scripts/local-cluster.sh down     stop everything `up` started, by PID, and remove its state
#   scripts/local-cluster.sh status   say what runs
#
# Nothing listens or connects outside 127.0.0.0/8. The service CIDR (10.0.0.0/24) only names ClusterIPs; nothing
# ever connects to one: pods reach the API server through KUBERNETES_SERVICE_HOST=127.0.0.1 and each other by pod IP.
#
# Environment: FOCAL_LOCAL_CLUSTER_DIR (state, default ~/.local/state/focal/local-cluster), FOCAL_LC_APISERVER_PORT
# (16443; the kubelets listen on +10 and +11, their healthz on +20 and +21), FOCAL_LC_ETCD_PORT (23790; +1 for
# peers), FOCAL_LC_REDIS_PORT (6393), FOCAL_LC_POD_SUBNET_BASE (10), KUBEBUILDER_ASSETS.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$repo/scripts/local-cluster/versions.sh"

STATE="${FOCAL_LOCAL_CLUSTER_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/focal/local-cluster}"
API_PORT="${FOCAL_LC_APISERVER_PORT:-16443}"
ETCD_PORT="${FOCAL_LC_ETCD_PORT:-23790}"
REDIS_PORT="${FOCAL_LC_REDIS_PORT:-6393}"
# Pod IPs: 127.0.<base>.x on the CPU node, 127.0.<base+10>.x on the GPU node; two clusters on one machine need two bases.
POD_SUBNET_BASE="${FOCAL_LC_POD_SUBNET_BASE:-10}"
PKI="$STATE/pki"
KUBECONFIG_PATH="$STATE/admin.kubeconfig"
NODES="focal-cpu-0 focal-gpu-0"
COMPONENTS="etcd kube-apiserver kube-controller-manager kube-scheduler redis runtime-focal-cpu-0 kubelet-focal-cpu-0 runtime-focal-gpu-0 kubelet-focal-gpu-0 device-plugin-focal-gpu-0"

log() { printf '[local-cluster] %s\n' "$*" >&2; }
die() {
  log "error: $*"
  for f in "$STATE"/logs/*.log; do [[ -f "$f" ]] && { log "--- $f (last lines)"; tail -n 15 "$f" >&2; }; done
  exit 1
}

pid_of() { [[ -f "$STATE/$1.pid" ]] && cat "$STATE/$1.pid"; }
running() { local p; p="$(pid_of "$1")" && [[ -n "$p" ]] && kill -0 "$p" 2>/dev/null; }

# Starts "$@" in its own process group with output in $STATE/logs/$name.log, and records its PID.
start() {
  local name="$1"; shift
  if running "$name"; then return 0; fi
  setsid "$@" >>"$STATE/logs/$name.log" 2>&1 < /dev/null &
  echo $! >"$STATE/$name.pid"
}

wait_for() {
  local what="$1" tries="$2"; shift 2
  for _ in $(seq 1 "$tries"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  die "$what did not come up; see $STATE/logs/"
}

make_pki() {
  [[ -f "$PKI/.complete" ]] && return 0
  mkdir -p "$PKI" && cd "$PKI"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj "/CN=focal-local-ca" 2>/dev/null
  cert() { # name subject [san]
    openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
    local ext; ext="$(mktemp)"
    printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=%s\n' "$4" >"$ext"
    [[ -n "$3" ]] && printf 'subjectAltName=%s\n' "$3" >>"$ext"
    openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -out "$1.crt" -days 3650 -extfile "$ext" 2>/dev/null
    rm -f "$1.csr" "$ext"
  }
  cert apiserver "/CN=kube-apiserver" \
    "IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:10.0.0.1" serverAuth
  cert admin "/O=system:masters/CN=focal-admin" "" clientAuth
  cert controller-manager "/CN=system:kube-controller-manager" "" clientAuth
  cert scheduler "/CN=system:kube-scheduler" "" clientAuth
  # The API server's client certificate for the kubelets (logs), and each kubelet's own pair: its node identity for
  # the Node authorizer, and a serving certificate for 127.0.0.1 that the API server verifies against the CA.
  cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" "" clientAuth
  for node in $NODES; do
    cert "node-$node" "/O=system:nodes/CN=system:node:$node" "" clientAuth
    cert "kubelet-$node" "/CN=$node" "IP:127.0.0.1,DNS:$node" serverAuth
  done
  openssl genrsa -out sa.key 2048 2>/dev/null && openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
  touch .complete
  cd - >/dev/null
}

kubeconfig() { # file user
  cat >"$1" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: focal-local
    cluster: {server: "https://127.0.0.1:$API_PORT", certificate-authority: "$PKI/ca.crt"}
users:
  - name: $2
    user: {client-certificate: "$PKI/$2.crt", client-key: "$PKI/$2.key"}
contexts:
  - name: focal-local
    context: {cluster: focal-local, user: $2, namespace: default}
current-context: focal-local
EOF
}

apiserver_ready() { "$TOOLS/kubectl" --kubeconfig "$KUBECONFIG_PATH" get --raw /readyz; }

# The API server's audit log of every request on ModelDeployments and on the Deployments and Services the operator
# makes of them (who, which verb, the URI), one JSON event per line: the tests read what the API, the operator and the
# controllers asked of the real server from it (test/cluster/support/audit-log.ts).
audit_policy() {
  mkdir -p "$STATE/audit"
  cat >"$STATE/audit-policy.yaml" <<EOF
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  # The control plane's and the nodes' own Leases renew every few seconds: only the operator's are of interest.
  - level: None
    resources: [{group: coordination.k8s.io, resources: [leases]}]
    namespaces: [kube-system, kube-node-lease]
  - level: Metadata
    resources:
      - {group: focal.dev, resources: [modeldeployments, modeldeployments/scale, modeldeployments/status]}
      - {group: apps, resources: [deployments, deployments/scale]}
      - {group: '', resources: [services]}
      - {group: coordination.k8s.io, resources: [leases]}
  - level: None
EOF
}

up() {
  local t0; t0=$(date +%s)
  mkdir -p "$STATE/logs"
  local bin; bin="$(bash "$repo/scripts/local-cluster/build-control-plane.sh" | tail -1)"
  bash "$repo/scripts/install-helm.sh" >/dev/null 2>&1 || die "could not install helm and kubectl"
  [[ -f "$repo/$RUNTIME_MAIN" ]] || (cd "$repo" && npm run build >/dev/null)
  command -v redis-server >/dev/null || { source "$repo/scripts/lib/redis.sh"; ensure_redis_server; }
  make_pki
  kubeconfig "$KUBECONFIG_PATH" admin
  kubeconfig "$STATE/controller-manager.kubeconfig" controller-manager
  kubeconfig "$STATE/scheduler.kubeconfig" scheduler
  for node in $NODES; do kubeconfig "$STATE/node-$node.kubeconfig" "node-$node"; done

  start etcd "$bin/etcd" --name focal-local --data-dir "$STATE/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" --initial-advertise-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
    --initial-cluster "focal-local=http://127.0.0.1:$((ETCD_PORT + 1))" --listen-metrics-urls "" \
    --unsafe-no-fsync --watch-progress-notify-interval=5s --log-level=warn
  wait_for etcd 60 curl -sf "http://127.0.0.1:$ETCD_PORT/health"

  audit_policy
  # --endpoint-reconciler-type=none: a loopback advertise address cannot be written into the kubernetes Endpoints.
  start kube-apiserver "$bin/kube-apiserver" --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
    --audit-policy-file="$STATE/audit-policy.yaml" --audit-log-path="$STATE/audit/audit.log" \
    --audit-log-format=json --audit-log-maxsize=100 --audit-log-maxbackup=1 \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$API_PORT" --endpoint-reconciler-type=none \
    --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" --client-ca-file="$PKI/ca.crt" \
    --authorization-mode=Node,RBAC --service-cluster-ip-range=10.0.0.0/24 --allow-privileged=true \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
    --kubelet-preferred-address-types=InternalIP --kubelet-certificate-authority="$PKI/ca.crt" \
    --kubelet-client-certificate="$PKI/apiserver-kubelet-client.crt" --kubelet-client-key="$PKI/apiserver-kubelet-client.key" \
    --profiling=false --v=1
  wait_for kube-apiserver 240 apiserver_ready

  start kube-controller-manager "$bin/kube-controller-manager" --kubeconfig="$STATE/controller-manager.kubeconfig" \
    --authentication-kubeconfig="$STATE/controller-manager.kubeconfig" --authorization-kubeconfig="$STATE/controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port=0 --leader-elect=false --use-service-account-credentials=true \
    --service-account-private-key-file="$PKI/sa.key" --root-ca-file="$PKI/ca.crt" \
    --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" --profiling=false --v=1
  start kube-scheduler "$bin/kube-scheduler" --kubeconfig="$STATE/scheduler.kubeconfig" \
    --authentication-kubeconfig="$STATE/scheduler.kubeconfig" --authorization-kubeconfig="$STATE/scheduler.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port=0 --leader-elect=false --profiling=false --v=1

  # Redis for the API pods: service names do not resolve here, so the local-cluster values point at this address.
  start redis redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$STATE"
  wait_for redis 40 redis-cli -p "$REDIS_PORT" ping

  # What a GPU operator would install: the RuntimeClass the GPU values name.
  "$TOOLS/kubectl" --kubeconfig "$KUBECONFIG_PATH" apply -f - >/dev/null <<EOF
apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata: {name: nvidia}
handler: nvidia
EOF

  # The device manager's checkpoint is at a fixed host path whatever a kubelet's root folder: one left by an earlier
  # cluster would have the CPU node advertise nvidia.com/gpu at zero and the GPU node restore stale allocations.
  running kubelet-focal-gpu-0 || rm -f /var/lib/kubelet/device-plugins/kubelet_internal_checkpoint
  local i=0
  for node in $NODES; do start_node "$node" "$i" "$bin"; i=$((i + 1)); done
  wait_for "the kubelets' nodes" 120 nodes_registered
  for node in $NODES; do describe_node "$node"; done
  wait_for "the nodes" 120 nodes_ready
  log "up in $(( $(date +%s) - t0 )) s (Kubernetes $K8S_VERSION, etcd $ETCD_VERSION, state in $STATE)"
  echo "export KUBECONFIG=$KUBECONFIG_PATH"
}

RUNTIME_MAIN="dist/libs/testing/src/process-runtime/process-runtime.main.js"
DEVICE_PLUGIN_MAIN="dist/libs/testing/src/device-plugin/device-plugin.main.js"

# A node's third octet of pod IPs, by its index: apart per node and per cluster.
node_subnet() { echo $((POD_SUBNET_BASE + 10 * $1)); }

kubelet_config() { # node index dir
  cat >"$3/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: 127.0.0.1
port: $((API_PORT + 10 + $2))
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $((API_PORT + 20 + $2))
tlsCertFile: $PKI/kubelet-$1.crt
tlsPrivateKeyFile: $PKI/kubelet-$1.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: Webhook}
containerRuntimeEndpoint: unix://$3/cri.sock
imageServiceEndpoint: unix://$3/cri.sock
podLogsDir: $3/pod-logs
# Processes, not containers: no cgroups of the kubelet's own (this machine has cgroup v1 and no systemd), no swap
# or local-storage accounting, and no DNS for pods (nothing resolves cluster names here).
failCgroupV1: false
cgroupDriver: cgroupfs
cgroupsPerQOS: false
enforceNodeAllocatable: []
failSwapOn: false
localStorageCapacityIsolation: false
resolvConf: ""
# A shared development machine's disk and memory are not the node's to evict for, nor its images to collect.
evictionHard: {memory.available: 1Mi, nodefs.available: 1%, imagefs.available: 1%}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
serializeImagePulls: false
# Crash loops back off from 10 s as everywhere, but to at most 20 s rather than 5 min: the tests restart containers.
featureGates: {KubeletCrashLoopBackOffMax: true}
crashLoopBackOff: {maxContainerRestartPeriod: 20s}
EOF
}

# One node: its process runtime (the CRI server) and a real kubelet on it, both in the node's state folder.
start_node() { # node index bin
  local node="$1" dir="$STATE/nodes/$1" labels="focal.dev/local-node=true" taints="" handlers=()
  mkdir -p "$dir/pod-logs" "$dir/kubelet"
  if [[ "$node" == *gpu* ]]; then
    # What NVIDIA's GPU operator puts on a GPU node (GPU feature discovery's labels, the device plugin's taint).
    labels="$labels,focal.dev/node-pool=gpu,nvidia.com/gpu.present=true,nvidia.com/gpu.product=NVIDIA-L4-SIMULATED,nvidia.com/gpu.count=2"
    taints="nvidia.com/gpu=present:NoSchedule"
    handlers=(--runtime-handler nvidia)
  else
    labels="$labels,focal.dev/node-pool=cpu"
  fi
  running "runtime-$node" || rm -f "$dir/cri.sock" # a crashed runtime's socket must not pass for the new one's
  start "runtime-$node" node "$repo/$RUNTIME_MAIN" --socket "$dir/cri.sock" --state "$dir/runtime" --repo "$repo" \
    --proto "$FOCAL_CP_CACHE/proto/cri-api.proto" --apiserver-port "$API_PORT" --pod-subnet "$(node_subnet "$2")" \
    "${handlers[@]}"
  wait_for "the process runtime of $node" 60 test -S "$dir/cri.sock"
  kubelet_config "$node" "$2" "$dir"
  start "kubelet-$node" "$3/kubelet" --config "$dir/kubelet.yaml" --kubeconfig "$STATE/node-$node.kubeconfig" \
    --hostname-override "$node" --root-dir "$dir/kubelet" --cert-dir "$dir/kubelet/pki" \
    --node-labels "$labels" ${taints:+--register-with-taints "$taints"} --cloud-provider=external --v=1
  if [[ "$node" == *gpu* ]]; then
    # NVIDIA's device plugin's part: two GPUs offered to this kubelet's device manager through its plugin watcher.
    start "device-plugin-$node" node "$repo/$DEVICE_PLUGIN_MAIN" --registry-dir "$dir/kubelet/plugins_registry" \
      --device-plugin-proto "$FOCAL_CP_CACHE/proto/deviceplugin-v1beta1.proto" \
      --registration-proto "$FOCAL_CP_CACHE/proto/pluginregistration-v1.proto" \
      --node "$node" --resource nvidia.com/gpu --count 2
  fi
}

nodes_registered() {
  local node
  for node in $NODES; do "$TOOLS/kubectl" --kubeconfig "$KUBECONFIG_PATH" get node "$node" || return 1; done
}

# The cloud controller manager's part, which `up` plays (the kubelets run with --cloud-provider=external): set each
# node's addresses and lift the uninitialized taint. The kubelet refuses a loopback --node-ip, and the API server
# must reach it (for logs) at 127.0.0.1, never at an address the kubelet would detect; with an external provider
# the kubelet keeps the addresses it finds set.
describe_node() {
  local patch='[{"op":"replace","path":"/status/addresses","value":[{"type":"InternalIP","address":"127.0.0.1"},{"type":"Hostname","address":"'"$1"'"}]}]'
  "$TOOLS/kubectl" --kubeconfig "$KUBECONFIG_PATH" patch node "$1" --subresource=status --type=json -p "$patch" \
    >/dev/null || die "could not describe node $1"
  "$TOOLS/kubectl" --kubeconfig "$KUBECONFIG_PATH" taint node "$1" node.cloudprovider.kubernetes.io/uninitialized- \
    >/dev/null 2>&1 || true
}

# Both nodes Ready, initialized (no not-ready or uninitialized taint) and reachable at 127.0.0.1 only, and the GPU
# node's two GPUs allocatable (the kubelet's device manager has the plugin's devices).
nodes_ready() {
  local ready
  ready="$("$TOOLS/kubectl" --kubeconfig "$KUBECONFIG_PATH" get nodes -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{" "}{.status.addresses[?(@.type=="InternalIP")].address}{" "}{.status.allocatable.nvidia\.com/gpu}{" "}{.spec.taints[*].key}{"\n"}{end}')"
  [[ "$(grep -c '^True 127\.0\.0\.1\b' <<<"$ready")" -ge 2 ]] && grep -q '^True 127\.0\.0\.1 2 ' <<<"$ready" &&
    ! grep -qE 'node.kubernetes.io/not-ready|uninitialized' <<<"$ready"
}

stop_component() {
  local name="$1" p
  p="$(pid_of "$name")" || return 0
  [[ -n "$p" ]] || return 0
  kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
  kill -KILL -- "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null || true
  rm -f "$STATE/$name.pid"
}

down() {
  # The kubelets first (they would restart what the runtimes stop), then the runtimes, which stop their containers;
  # then any container process a runtime killed with SIGKILL left behind, by the process groups they recorded.
  local node
  stop_component device-plugin-focal-gpu-0
  for node in $NODES; do stop_component "kubelet-$node"; done
  for node in $NODES; do stop_component "runtime-$node"; done
  for f in "$STATE"/nodes/*/runtime/pods/*/*.pgid; do
    [[ -f "$f" ]] && kill -KILL -- "-$(cat "$f")" 2>/dev/null || true
  done
  for c in kube-scheduler kube-controller-manager kube-apiserver redis etcd; do stop_component "$c"; done
  # The kubelets' tmpfs volumes (Secrets, ServiceAccount tokens), deepest first, before the folder goes (by its
  # real path: /proc/mounts has no symlinks). Then what the kubelets keep at fixed host paths: their pods' log links.
  if [[ -d "$STATE" ]]; then
    local real; real="$(realpath "$STATE")"
    find /var/log/containers -maxdepth 1 \( -lname "$real/*" -o -lname "$STATE/*" \) -delete 2>/dev/null || true
    awk -v s="$real/" 'index($2, s) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do
      umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
  fi
  rm -rf "$STATE"
  log "down"
}

status() {
  local any=0
  for c in $COMPONENTS; do
    if running "$c"; then echo "$c: running (pid $(pid_of "$c"))"; any=1; else echo "$c: stopped"; fi
  done
  if [[ $any == 1 ]] && running kube-apiserver; then
    echo "apiserver: https://127.0.0.1:$API_PORT ($("$TOOLS/kubectl" --kubeconfig "$KUBECONFIG_PATH" get --raw /version 2>/dev/null | grep -o '"gitVersion": *"[^"]*"' || true))"
    "$TOOLS/kubectl" --kubeconfig "$KUBECONFIG_PATH" get nodes 2>/dev/null || true
    echo "export KUBECONFIG=$KUBECONFIG_PATH"
  fi
}

TOOLS="${FOCAL_TOOLS_DIR:-$repo/.tools}/bin"
case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
