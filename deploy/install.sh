#!/usr/bin/env bash
# Installs what the scale-out and the tests need from Debian's packages when it is missing:
# redis-server (Redis Cluster 7.0, also used by the cluster tests), haproxy (the load balancer) and
# chromium (the headless browser that loads the service's API reference page in a test). Root, or sudo.
# With --peers, also what the side-by-side peers in ../shared/peers need: PyTorch, NumPy, SciPy,
# pandas, hnswlib and FAISS for Debian's /usr/bin/python3, and the OpenMP build of OpenBLAS.
# Without the last, Debian's torch multiplies matrices with the reference BLAS, and the PyTorch peer
# measured 20× slower here (200 against 3,500 examples/s at a million videos), which would make
# every ratio against it meaningless.
set -euo pipefail
missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
command -v haproxy >/dev/null || missing+=(haproxy)
command -v chromium >/dev/null || missing+=(chromium)
if [ "${1:-}" = "--peers" ]; then
  for package in python3-torch python3-numpy python3-scipy python3-pandas python3-hnswlib python3-faiss libopenblas0-openmp; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
fi
[ ${#missing[@]} -eq 0 ] && exit 0
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
echo "installing ${missing[*]} with apt-get" >&2
"${as_root[@]}" apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -q "${missing[@]}" >/dev/null
