#!/usr/bin/env bash
# Installs what the scale-out needs from Debian's packages when it is missing: redis-server (Redis
# Cluster 7.0, also used by the cluster tests) and haproxy (the load balancer). Root, or sudo.
set -euo pipefail
missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
command -v haproxy >/dev/null || missing+=(haproxy)
[ ${#missing[@]} -eq 0 ] && exit 0
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
echo "installing ${missing[*]} with apt-get" >&2
"${as_root[@]}" apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -q "${missing[@]}" >/dev/null
