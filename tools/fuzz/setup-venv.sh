#!/usr/bin/env bash
# Installs the schema fuzzer (schemathesis, pinned in requirements.txt) into a venv cached outside the repo,
# ~/.cache/focal/fuzz-venv (or $FOCAL_FUZZ_VENV), as tools/reference does for its own venv.
# Idempotent and quick when warm: it reinstalls only when requirements.txt changed (a sha256 stamp in the venv).
set -euo pipefail
cd "$(dirname "$0")"
VENV="${FOCAL_FUZZ_VENV:-$HOME/.cache/focal/fuzz-venv}"
PYTHON="${FOCAL_FUZZ_PYTHON:-python3}"
want="$(sha256sum requirements.txt | cut -d' ' -f1)"
if [[ -x "$VENV/bin/st" && "$(cat "$VENV/.requirements.sha256" 2>/dev/null)" == "$want" ]]; then
  echo "fuzz venv up to date: $VENV"
  exit 0
fi
"$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check -r requirements.txt
echo "$want" >"$VENV/.requirements.sha256"
echo "fuzz venv installed: $VENV ($("$VENV/bin/st" --version))"
