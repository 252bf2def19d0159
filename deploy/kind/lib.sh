# shellcheck shell=bash disable=SC2034 # HELM, KUBECTL and the settings are used by the sourcing scripts.
# Shared settings and helpers for deploy/kind/*.sh (sourced, not executed).
# Every setting can be overridden from the environment.

KIND_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "${KIND_DIR}/../.." && pwd)"

KIND_CLUSTER_NAME="${KIND_CLUSTER_NAME:-focal}"
FOCAL_NAMESPACE="${FOCAL_NAMESPACE:-focal}"
FOCAL_RELEASE="${FOCAL_RELEASE:-focal}"
FOCAL_IMAGE_TAG="${FOCAL_IMAGE_TAG:-dev}"
# Host ports mapped to the ingress controller (cluster.yaml uses 80/443).
FOCAL_HTTP_PORT="${FOCAL_HTTP_PORT:-80}"
FOCAL_HTTPS_PORT="${FOCAL_HTTPS_PORT:-443}"
FOCAL_BASE_URL="${FOCAL_BASE_URL:-http://localhost:${FOCAL_HTTP_PORT}}"
INGRESS_NGINX_VERSION="${INGRESS_NGINX_VERSION:-controller-v1.13.3}"
INGRESS_NGINX_MANIFEST="${INGRESS_NGINX_MANIFEST:-https://raw.githubusercontent.com/kubernetes/ingress-nginx/${INGRESS_NGINX_VERSION}/deploy/static/provider/kind/deploy.yaml}"

# Colours only on a terminal.
if [[ -t 2 ]]; then _blue=$'\033[1;34m' _yellow=$'\033[1;33m' _red=$'\033[1;31m' _off=$'\033[0m'; else _blue='' _yellow='' _red='' _off=''; fi
log() { printf '%s[focal-kind]%s %s\n' "${_blue}" "${_off}" "$*" >&2; }
warn() { printf '%s[focal-kind] warning:%s %s\n' "${_yellow}" "${_off}" "$*" >&2; }
die() { printf '%s[focal-kind] error:%s %s\n' "${_red}" "${_off}" "$*" >&2; exit 1; }

# require_cmd <name> <hint>
require_cmd() {
  command -v "$1" >/dev/null 2>&1 || die "'$1' is required but not on PATH. $2"
}

# Sets HELM to a helm binary: PATH first, then ./.tools/bin (scripts/install-helm.sh installs it there).
find_helm() {
  if command -v helm >/dev/null 2>&1; then
    HELM="$(command -v helm)"
  elif [[ -x "${REPO_ROOT}/.tools/bin/helm" ]]; then
    HELM="${REPO_ROOT}/.tools/bin/helm"
  else
    die "'helm' is required. Install it (https://helm.sh/docs/intro/install/) or run scripts/install-helm.sh (Linux x86_64)."
  fi
}

require_docker() {
  require_cmd docker "Install Docker: https://docs.docker.com/get-docker/"
  docker info >/dev/null 2>&1 || die "Docker is installed but its daemon is not reachable (is it running? can this user use it?)."
}

cluster_exists() {
  kind get clusters 2>/dev/null | grep -qx "${KIND_CLUSTER_NAME}"
}

use_cluster_context() {
  cluster_exists || die "kind cluster '${KIND_CLUSTER_NAME}' does not exist; run deploy/kind/up.sh first."
  KUBECTL=(kubectl --context "kind-${KIND_CLUSTER_NAME}")
}
