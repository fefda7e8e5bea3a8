#!/usr/bin/env bash
# Installs what the scale-out and the tests need from Debian's packages when it is missing:
# redis-server (Redis Cluster 7.0, also used by the cluster tests), haproxy (the load balancer) and
# chromium (the headless browser that loads the service's API reference page in a test). Root, or sudo.
set -euo pipefail
missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
command -v haproxy >/dev/null || missing+=(haproxy)
command -v chromium >/dev/null || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
echo "installing ${missing[*]} with apt-get" >&2
"${as_root[@]}" apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -q "${missing[@]}" >/dev/null
