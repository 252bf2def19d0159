#!/usr/bin/env bash
# Copies the ModelDeployment CRD (crds/, the source of truth) into the Helm chart (charts/focal/crds/).
#   scripts/sync-crds.sh          copy
#   scripts/sync-crds.sh --check  exit 1 if the chart's copy is missing or differs (for CI)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
files=(modeldeployments.focal.dev.yaml)
src_dir="${repo_root}/crds"
dst_dir="${repo_root}/charts/focal/crds"
mode="${1:-sync}"

case "${mode}" in
  sync | --check) ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

status=0
for f in "${files[@]}"; do
  src="${src_dir}/${f}"
  dst="${dst_dir}/${f}"
  if [[ ! -f "${src}" ]]; then
    echo "sync-crds: ${src#"${repo_root}/"} does not exist" >&2
    exit 1
  fi
  if [[ "${mode}" == "--check" ]]; then
    if ! cmp -s "${src}" "${dst}"; then
      echo "sync-crds: ${dst#"${repo_root}/"} differs from ${src#"${repo_root}/"}; run scripts/sync-crds.sh" >&2
      status=1
    fi
  else
    mkdir -p "${dst_dir}"
    cp "${src}" "${dst}"
    echo "sync-crds: ${src#"${repo_root}/"} -> ${dst#"${repo_root}/"}"
  fi
done
exit "${status}"
