#!/usr/bin/env bash
# Deletes the kind cluster created by deploy/kind/up.sh (and everything in it).
# Environment: KIND_CLUSTER_NAME (focal).
set -euo pipefail
# shellcheck source=deploy/kind/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

require_cmd kind "Install kind: https://kind.sigs.k8s.io/docs/user/quick-start/#installation"
if cluster_exists; then
  log "deleting kind cluster '${KIND_CLUSTER_NAME}'"
  kind delete cluster --name "${KIND_CLUSTER_NAME}"
  log "done"
else
  log "kind cluster '${KIND_CLUSTER_NAME}' does not exist; nothing to do"
fi
