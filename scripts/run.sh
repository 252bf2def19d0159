#!/usr/bin/env bash
# The README's run command: installs, builds and starts Focal on this machine (local runtime, demo models).
#   PORT (default 8000) and every FOCAL_* variable of the README's configuration table are honoured;
#   a .env file in the project root is read too.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/redis.sh

export ONNXRUNTIME_NODE_INSTALL=skip
npm install --no-audit --no-fund --loglevel=error
npm run build

if [ -z "${FOCAL_REDIS_URL:-}" ]; then
  ensure_redis_server
  REDIS_PORT="${FOCAL_REDIS_PORT:-6391}"
  start_private_redis "$REDIS_PORT" "${TMPDIR:-/tmp}/focal-redis"
  export FOCAL_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
fi
export FOCAL_PORT="${FOCAL_PORT:-${PORT:-8000}}"
export FOCAL_LOG_FORMAT="${FOCAL_LOG_FORMAT:-text}"
echo "Focal on http://localhost:$FOCAL_PORT (docs: /docs, /redoc)"
# The API's Node flags, as in docker/api.Dockerfile (libs/testing/src/focal-api/api-node-flags.ts says why).
exec node --max-semi-space-size=4 dist/apps/api/src/main.js
