#!/usr/bin/env bash
# Used by test.sh: the playground's end-to-end tests (test/playground) drive Debian's chromium through
# playwright-core; playwright's own browser download is never used.

ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then return 0; fi
  echo "chromium is missing: installing it from Debian packages"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
}
