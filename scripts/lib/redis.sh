#!/usr/bin/env bash
# Shared by run.sh and test.sh: make sure redis-server exists, then start a private one on $1.
# The private port keeps Focal's keys away from any Redis the machine already runs.

ensure_redis_server() {
  if command -v redis-server >/dev/null 2>&1; then return 0; fi
  echo "redis-server is missing: installing it from Debian packages"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server >/dev/null
}

start_private_redis() {
  local port="$1" dir="$2"
  mkdir -p "$dir"
  if redis-cli -p "$port" ping >/dev/null 2>&1; then
    echo "Redis already answers on 127.0.0.1:$port"
    return 0
  fi
  redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
    --dir "$dir" --pidfile "$dir/redis-$port.pid" --logfile "$dir/redis-$port.log"
  for _ in $(seq 1 50); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && { echo "Redis started on 127.0.0.1:$port"; return 0; }
    sleep 0.1
  done
  echo "Redis did not start on port $port; see $dir/redis-$port.log" >&2
  return 1
}

stop_private_redis() {
  local port="$1"
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
}
