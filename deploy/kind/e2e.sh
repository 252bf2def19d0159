#!/usr/bin/env bash
# End-to-end check on the kind cluster from deploy/kind/up.sh:
#   1. apply deploy/examples/dinov3-cpu.yaml (a CPU DINOv3 ModelDeployment),
#   2. wait until its status.phase is Ready,
#   3. POST /inference/dinov3 through the ingress with a small PNG and check features.pooler_output.
# On failure it dumps pods, logs, events and the ModelDeployment status, then exits non-zero.
#
# Environment: KIND_CLUSTER_NAME (focal), FOCAL_NAMESPACE (focal), FOCAL_HTTP_PORT (80) or
# FOCAL_BASE_URL (http://localhost:80), FOCAL_E2E_MANIFEST (deploy/examples/dinov3-cpu.yaml),
# FOCAL_E2E_TIMEOUT (15m; model download + load), FOCAL_API_KEY (sent as X-API-Key and as a
# Bearer token when the release has API keys).
set -euo pipefail
# shellcheck source=deploy/kind/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

manifest="${FOCAL_E2E_MANIFEST:-${REPO_ROOT}/deploy/examples/dinov3-cpu.yaml}"
timeout="${FOCAL_E2E_TIMEOUT:-15m}"
# A 32x32 RGB PNG (two colour halves), base64.
png_b64='iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAIAAAD8GO2jAAAAL0lEQVR42mO4Y6NBEtKIOkESYhi1YNSCUQtGLRi1YNSCUQtGLRi1YNSCUQuGigUAYecUTMxglmAAAAAASUVORK5CYII='

log "checking prerequisites"
require_cmd kind "Install kind: https://kind.sigs.k8s.io/docs/user/quick-start/#installation"
require_cmd kubectl "Install kubectl: https://kubernetes.io/docs/tasks/tools/"
require_cmd curl "Install curl with your package manager."
if command -v python3 >/dev/null 2>&1; then json_tool=python3
elif command -v node >/dev/null 2>&1; then json_tool=node
else die "python3 or node is required to check the JSON response"
fi
[[ -f "${manifest}" ]] || die "example manifest not found: ${manifest}"
use_cluster_context
k() { "${KUBECTL[@]}" -n "${FOCAL_NAMESPACE}" "$@"; }

work_dir="$(mktemp -d "${TMPDIR:-/tmp}/focal-e2e.XXXXXX")"
md_name=""

dump_state() {
  set +e
  warn "end-to-end check failed; cluster state follows"
  echo "===== pods =====" >&2
  k get pods -o wide >&2
  echo "===== modeldeployments =====" >&2
  k get modeldeployments -o wide >&2
  if [[ -n "${md_name}" ]]; then
    echo "===== modeldeployment/${md_name} (yaml) =====" >&2
    k get "modeldeployment/${md_name}" -o yaml >&2
    echo "===== describe modeldeployment/${md_name} =====" >&2
    k describe "modeldeployment/${md_name}" >&2
  fi
  echo "===== deployments, services, ingress =====" >&2
  k get deployments,services,ingress -o wide >&2
  for pod in $(k get pods -o name); do
    echo "===== logs ${pod} (all containers, last 200 lines) =====" >&2
    k logs "${pod}" --all-containers --prefix --tail=200 >&2
    k logs "${pod}" --all-containers --prefix --tail=50 --previous >/dev/null 2>&1 \
      && { echo "----- previous container -----" >&2; k logs "${pod}" --all-containers --prefix --tail=50 --previous >&2; }
  done
  echo "===== events (${FOCAL_NAMESPACE}) =====" >&2
  k get events --sort-by=.lastTimestamp >&2
  echo "===== events (ingress-nginx) =====" >&2
  "${KUBECTL[@]}" -n ingress-nginx get events --sort-by=.lastTimestamp 2>/dev/null | tail -n 30 >&2
}
on_exit() {
  local status=$?
  if [[ ${status} -ne 0 ]]; then dump_state; fi
  rm -rf "${work_dir}"
  exit "${status}"
}
trap on_exit EXIT

auth_headers=()
if [[ -n "${FOCAL_API_KEY:-}" ]]; then
  auth_headers=(-H "X-API-Key: ${FOCAL_API_KEY}" -H "Authorization: Bearer ${FOCAL_API_KEY}")
fi

# ---- 1. apply the ModelDeployment ----------------------------------------------------------------
log "applying ${manifest#"${REPO_ROOT}/"} in namespace ${FOCAL_NAMESPACE}"
applied="$(k apply -f "${manifest}" -o name)"
md_name="$(printf '%s\n' "${applied}" | sed -n 's#^modeldeployment[^/]*/##p' | head -n 1)"
[[ -n "${md_name}" ]] || die "${manifest} holds no ModelDeployment (kubectl printed: ${applied})"
log "ModelDeployment: ${md_name}"

# ---- 2. wait until Ready -----------------------------------------------------------------------------
log "waiting up to ${timeout} for md/${md_name} to reach phase Ready (downloads and loads the model)"
k wait --for=jsonpath='{.status.phase}'=Ready "md/${md_name}" --timeout="${timeout}"
k get "md/${md_name}" -o wide >&2

# ---- 3. inference through the ingress ----------------------------------------------------------------
printf '{"images":["%s"]}' "${png_b64}" >"${work_dir}/request.json"
url="${FOCAL_BASE_URL}/inference/dinov3"
log "POST ${url}"
code=""
for attempt in $(seq 1 10); do
  code="$(curl -sS -o "${work_dir}/response.json" -w '%{http_code}' --max-time 300 \
    -H 'Content-Type: application/json' "${auth_headers[@]}" \
    --data-binary "@${work_dir}/request.json" "${url}" || echo 000)"
  [[ "${code}" == "200" ]] && break
  # 502/503/504 while the ingress or the model endpoint settles are worth a retry; others are not.
  case "${code}" in 000 | 502 | 503 | 504) ;; *) break ;; esac
  warn "attempt ${attempt}: HTTP ${code}; retrying in 5s"
  sleep 5
done
if [[ "${code}" != "200" ]]; then
  warn "response body: $(head -c 2000 "${work_dir}/response.json" 2>/dev/null)"
  die "POST /inference/dinov3 returned HTTP ${code}"
fi

log "checking features.pooler_output"
if [[ "${json_tool}" == "python3" ]]; then
  python3 - "${work_dir}/response.json" <<'PY'
import json, sys
body = json.load(open(sys.argv[1]))
pooled = (body.get("features") or {}).get("pooler_output")
if not (isinstance(pooled, list) and len(pooled) == 1 and isinstance(pooled[0], list) and len(pooled[0]) > 0
        and all(isinstance(v, (int, float)) for v in pooled[0])):
    sys.exit("features.pooler_output is not a [1, D] list of numbers: %r" % (str(pooled)[:300],))
hidden = body["features"].get("last_hidden_state")
shape = [len(hidden), len(hidden[0]), len(hidden[0][0])] if hidden else None
print("pooler_output shape [1, %d]; last_hidden_state shape %s" % (len(pooled[0]), shape))
PY
else
  node - "${work_dir}/response.json" <<'JS'
const body = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const pooled = body.features && body.features.pooler_output;
if (!(Array.isArray(pooled) && pooled.length === 1 && Array.isArray(pooled[0]) && pooled[0].length > 0 &&
      pooled[0].every((v) => typeof v === 'number'))) {
  console.error('features.pooler_output is not a [1, D] list of numbers: ' + JSON.stringify(pooled).slice(0, 300));
  process.exit(1);
}
const h = body.features.last_hidden_state;
console.log(`pooler_output shape [1, ${pooled[0].length}]; last_hidden_state shape ${h ? JSON.stringify([h.length, h[0].length, h[0][0].length]) : 'none'}`);
JS
fi

log "end-to-end check passed"
