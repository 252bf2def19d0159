#!/usr/bin/env bash
# Creates a kind cluster with ingress-nginx, builds and loads the Focal images (CPU inference),
# and installs the chart with deploy/kind/values-kind.yaml. Safe to re-run: an existing cluster is
# reused, images are rebuilt and reloaded, and the release is upgraded.
#
#   deploy/kind/up.sh            then   deploy/kind/e2e.sh   and finally   deploy/kind/down.sh
#
# Environment: KIND_CLUSTER_NAME (focal), FOCAL_NAMESPACE (focal), FOCAL_RELEASE (focal),
# FOCAL_IMAGE_TAG (dev; values-kind.yaml expects dev), FOCAL_HTTP_PORT / FOCAL_HTTPS_PORT (80/443),
# KIND_NODE_IMAGE (kind's default), INGRESS_NGINX_VERSION (controller-v1.13.3),
# SKIP_BUILD=1 (reuse images already in the local Docker), HELM_EXTRA_ARGS (appended to helm).
set -euo pipefail
# shellcheck source=deploy/kind/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

log "checking prerequisites"
require_docker
require_cmd kind "Install kind: https://kind.sigs.k8s.io/docs/user/quick-start/#installation"
require_cmd kubectl "Install kubectl: https://kubernetes.io/docs/tasks/tools/"
require_cmd curl "Install curl with your package manager."
find_helm
log "using $(docker --version), $(kind version), kubectl $(kubectl version --client -o json 2>/dev/null | sed -n 's/.*"gitVersion": *"\([^"]*\)".*/\1/p' | head -n 1), helm $("${HELM}" version --short)"

# ---- cluster ------------------------------------------------------------------------------------
if cluster_exists; then
  log "kind cluster '${KIND_CLUSTER_NAME}' exists; reusing it"
else
  config="${KIND_DIR}/cluster.yaml"
  if [[ "${FOCAL_HTTP_PORT}" != "80" || "${FOCAL_HTTPS_PORT}" != "443" ]]; then
    config="$(mktemp "${TMPDIR:-/tmp}/focal-kind-cluster.XXXXXX.yaml")"
    trap 'rm -f "${config}"' EXIT
    sed -e "s/hostPort: 80$/hostPort: ${FOCAL_HTTP_PORT}/" -e "s/hostPort: 443$/hostPort: ${FOCAL_HTTPS_PORT}/" \
      "${KIND_DIR}/cluster.yaml" >"${config}"
  fi
  log "creating kind cluster '${KIND_CLUSTER_NAME}' (ingress on host ports ${FOCAL_HTTP_PORT}/${FOCAL_HTTPS_PORT})"
  kind create cluster --name "${KIND_CLUSTER_NAME}" --config "${config}" \
    ${KIND_NODE_IMAGE:+--image "${KIND_NODE_IMAGE}"} --wait 120s
fi
use_cluster_context

# ---- images ---------------------------------------------------------------------------------------
# The CPU inference image only: kind has no GPUs.
images=(
  "docker/api.Dockerfile|focal/api:${FOCAL_IMAGE_TAG}"
  "docker/operator.Dockerfile|focal/operator:${FOCAL_IMAGE_TAG}"
  "docker/inference.Dockerfile|focal/inference:${FOCAL_IMAGE_TAG}"
)
for entry in "${images[@]}"; do
  IFS='|' read -r dockerfile tag <<<"${entry}"
  if [[ "${SKIP_BUILD:-0}" == "1" ]]; then
    docker image inspect "${tag}" >/dev/null 2>&1 || die "SKIP_BUILD=1 but image ${tag} is not in the local Docker"
    log "SKIP_BUILD=1: using existing ${tag}"
  else
    log "building ${tag} from ${dockerfile}"
    DOCKER_BUILDKIT=1 docker build -f "${REPO_ROOT}/${dockerfile}" -t "${tag}" "${REPO_ROOT}"
  fi
  log "loading ${tag} into kind cluster '${KIND_CLUSTER_NAME}'"
  kind load docker-image "${tag}" --name "${KIND_CLUSTER_NAME}"
done

# ---- ingress-nginx --------------------------------------------------------------------------------
log "installing ingress-nginx (${INGRESS_NGINX_VERSION})"
"${KUBECTL[@]}" apply -f "${INGRESS_NGINX_MANIFEST}"
log "waiting for the ingress-nginx controller"
"${KUBECTL[@]}" -n ingress-nginx rollout status deployment/ingress-nginx-controller --timeout=300s
# The admission webhook rejects Ingresses until its certificate jobs have run (they may already be gone).
if ! "${KUBECTL[@]}" -n ingress-nginx wait --for=condition=complete job --all --timeout=180s; then
  warn "could not confirm the ingress-nginx admission jobs finished; continuing"
fi

# ---- Focal ------------------------------------------------------------------------------------------
helm_args=(upgrade --install "${FOCAL_RELEASE}" "${REPO_ROOT}/charts/focal"
  --kube-context "kind-${KIND_CLUSTER_NAME}"
  --namespace "${FOCAL_NAMESPACE}" --create-namespace
  -f "${KIND_DIR}/values-kind.yaml"
  --set "api.image.tag=${FOCAL_IMAGE_TAG}" --set "operator.image.tag=${FOCAL_IMAGE_TAG}"
  --set "inference.image.tag=${FOCAL_IMAGE_TAG}"
  --wait --timeout 10m)
# Helm 4 applies server-side: take back fields (e.g. a preloaded ModelDeployment's replicas) that the
# API or kubectl changed since the last install.
if "${HELM}" version --short | grep -q '^v4'; then
  helm_args+=(--force-conflicts)
fi
# shellcheck disable=SC2206 # HELM_EXTRA_ARGS is split on purpose
helm_args+=(${HELM_EXTRA_ARGS:-})
log "installing the chart: helm ${helm_args[*]}"
"${HELM}" "${helm_args[@]}"

log "waiting for the API and the operator"
for component in api operator; do
  "${KUBECTL[@]}" -n "${FOCAL_NAMESPACE}" wait --for=condition=available deployment \
    -l "app.kubernetes.io/instance=${FOCAL_RELEASE},app.kubernetes.io/component=${component}" --timeout=300s
done

log "waiting for ${FOCAL_BASE_URL}/health through the ingress"
for _ in $(seq 1 60); do
  if curl -fsS --max-time 5 "${FOCAL_BASE_URL}/health" >/dev/null 2>&1; then
    log "Focal is up:"
    curl -fsS --max-time 5 "${FOCAL_BASE_URL}/health" >&2 && echo >&2
    "${KUBECTL[@]}" -n "${FOCAL_NAMESPACE}" get modeldeployments >&2 || true
    log "next: deploy/kind/e2e.sh   (API docs: ${FOCAL_BASE_URL}/docs)"
    exit 0
  fi
  sleep 2
done
die "the API did not answer on ${FOCAL_BASE_URL}/health; check: kubectl --context kind-${KIND_CLUSTER_NAME} -n ${FOCAL_NAMESPACE} get pods,ingress"
