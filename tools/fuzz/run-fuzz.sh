#!/usr/bin/env bash
# Runs schemathesis against a started Focal: every operation, positive and negative data, the examples,
# coverage, fuzzing and stateful (OpenAPI links) phases, with the checks the API promises plus
# error_body_is_detail (focal_hooks.py). Usage: run-fuzz.sh <base-url> <report-dir>
# Bounds are in schemathesis.toml; FOCAL_FUZZ_MAX_EXAMPLES overrides the cases per operation and
# FOCAL_FUZZ_SEED (default 1) fixes the run.
set -euo pipefail
BASE_URL="$1"
REPORT_DIR="$2"
HERE="$(cd "$(dirname "$0")" && pwd)"
VENV="${FOCAL_FUZZ_VENV:-$HOME/.cache/focal/fuzz-venv}"
mkdir -p "$REPORT_DIR"
cd "$REPORT_DIR" # schemathesis and hypothesis keep their caches in the working folder
export SCHEMATHESIS_HOOKS="$HERE/focal_hooks.py"
exec "$VENV/bin/st" --no-color --config-file "$HERE/schemathesis.toml" run "$BASE_URL/openapi.json" \
  --wait-for-schema 60 \
  --phases examples,coverage,fuzzing,stateful \
  --mode all \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,error_body_is_detail \
  ${FOCAL_FUZZ_MAX_EXAMPLES:+--max-examples "$FOCAL_FUZZ_MAX_EXAMPLES"} \
  --seed "${FOCAL_FUZZ_SEED:-1}" \
  --workers 1 \
  --request-timeout 120 \
  --report junit --report-dir "$REPORT_DIR"
