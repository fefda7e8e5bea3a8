#!/usr/bin/env bash
# The scale-out topology on one machine, on loopback (docs/scale.md):
#   a Redis Cluster of 3 primaries + 3 replicas, 3 `funnel serve` replicas sharing it, HAProxy in front.
#
#   deploy/local-cluster.sh up [MODEL]     start everything (MODEL: a model folder; default: the demo's,
#                                          trained first if missing), wait until ready, print the address
#   deploy/local-cluster.sh status         what runs, each replica's readiness and model version, the store
#   deploy/local-cluster.sh rollout MODEL  reload the replicas one at a time, each ready before the next
#   deploy/local-cluster.sh chaos [MODEL]  under steady load (funnel bench cluster): kill -9 a store primary
#                                          (restarted 5 s later), then a funnel replica (restarted 5 s later),
#                                          then roll out MODEL (default: the one served); prints the figures
#   deploy/local-cluster.sh down           stop exactly what `up` started
#
# Settings (environment): FUNNEL_CLUSTER_DIR (state, logs, pids; default ./funnel-cluster),
# FUNNEL_STORE_PORT (first store port, default 7001; the cluster bus uses port + 10000),
# FUNNEL_REPLICA_PORT (first replica port, default 8101), FUNNEL_LB_PORT (default 8100),
# FUNNEL_ACKNOWLEDGE (primary | replica, default replica), FUNNEL (the funnel command; default:
# published from this checkout into the state folder).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
run=$(mkdir -p "${FUNNEL_CLUSTER_DIR:-funnel-cluster}" && cd "${FUNNEL_CLUSTER_DIR:-funnel-cluster}" && pwd)
store_port=${FUNNEL_STORE_PORT:-7001}
replica_port=${FUNNEL_REPLICA_PORT:-8101}
lb_port=${FUNNEL_LB_PORT:-8100}
acknowledge=${FUNNEL_ACKNOWLEDGE:-replica}
store_ports=$(seq "$store_port" $((store_port + 5)))
replica_ports=$(seq "$replica_port" $((replica_port + 2)))
endpoints=$(for p in $store_ports; do printf '127.0.0.1:%s,' "$p"; done)
endpoints=${endpoints%,}
key_file="$run/api-key"

say() { echo "local-cluster: $*" >&2; }

funnel_bin() { # the funnel command's path
  if [ -n "${FUNNEL:-}" ]; then
    echo "$FUNNEL"
    return
  fi
  if [ ! -x "$run/bin/funnel" ]; then
    say "publishing the funnel command into $run/bin (once)"
    dotnet publish "$repo/src/Funnel.Cli" -c Release -o "$run/bin" -v quiet -nologo >/dev/null
  fi
  echo "$run/bin/funnel"
}

alive() { [ -f "$run/pids/$1" ] && kill -0 "$(cat "$run/pids/$1")" 2>/dev/null; }

wait_for() { # description, seconds, command...
  local what=$1 seconds=$2
  shift 2
  for _ in $(seq $((seconds * 10))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  say "gave up after ${seconds}s waiting for $what"
  return 1
}

ready() { curl -fsS "http://127.0.0.1:$1/readyz"; }

serves() { ready "$1" | grep -qF "$2"; } # port, "modelVersion":"..."

start_store() {
  local fresh=0
  for p in $store_ports; do
    alive "redis-$p" && continue
    mkdir -p "$run/store/$p"
    [ -f "$run/store/$p/nodes.conf" ] || fresh=1
    redis-server --port "$p" --bind 127.0.0.1 --dir "$run/store/$p" --cluster-enabled yes \
      --cluster-config-file nodes.conf --cluster-node-timeout 2000 --appendonly yes --save "" \
      --logfile redis.log --daemonize yes --pidfile "$run/pids/redis-$p"
    wait_for "redis-server on $p" 10 redis-cli -p "$p" ping
  done
  if [ "$fresh" -eq 1 ]; then
    say "creating the store cluster (3 primaries, 3 replicas) on ports $(echo $store_ports | tr ' ' ,)"
    # shellcheck disable=SC2046
    redis-cli --cluster create $(for p in $store_ports; do echo "127.0.0.1:$p"; done) --cluster-replicas 1 --cluster-yes >"$run/logs/cluster-create.log"
  fi
  wait_for "every slot served" 30 sh -c "redis-cli -p $store_port cluster info | grep -q cluster_state:ok"
}

start_replicas() {
  local model=$1 bin
  bin=$(funnel_bin)
  for p in $replica_ports; do
    alive "funnel-$p" && continue
    FUNNEL_API_KEY=$(cat "$key_file") setsid nohup "$bin" serve --model "$model" --urls "http://127.0.0.1:$p" \
      --store "redis://$endpoints" --acknowledge "$acknowledge" >"$run/logs/funnel-$p.log" 2>&1 &
    echo $! >"$run/pids/funnel-$p"
  done
  for p in $replica_ports; do
    wait_for "replica on $p to be ready (log: $run/logs/funnel-$p.log)" 120 ready "$p"
  done
}

start_balancer() {
  alive haproxy && return
  FUNNEL_LB="127.0.0.1:$lb_port" FUNNEL_STATS="127.0.0.1:$((lb_port + 99))" \
    FUNNEL_REPLICA_1="127.0.0.1:$replica_port" FUNNEL_REPLICA_2="127.0.0.1:$((replica_port + 1))" FUNNEL_REPLICA_3="127.0.0.1:$((replica_port + 2))" \
    haproxy -D -f "$repo/deploy/haproxy.cfg" -p "$run/pids/haproxy"
  wait_for "the load balancer" 20 ready "$lb_port"
}

up() {
  "$repo/deploy/install.sh"
  mkdir -p "$run/pids" "$run/logs"
  local model=${1:-}
  if [ -z "$model" ]; then
    model="$run/demo/models/synth"
    if [ ! -d "$model" ]; then
      say "no model given: training the demo's (about a minute) into $run/demo"
      "$(funnel_bin)" demo --out "$run/demo" >"$run/logs/demo.log" 2>&1
    fi
  fi
  model=$(cd "$model" && pwd)
  echo "$model" >"$run/model"
  [ -f "$key_file" ] || (umask 077 && head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$key_file")
  start_store
  start_replicas "$model"
  start_balancer
  say "ready: http://127.0.0.1:$lb_port (replicas $(echo $replica_ports | tr ' ' ,), store $(echo $store_ports | tr ' ' ,), HAProxy stats http://127.0.0.1:$((lb_port + 99))/, admin key in $key_file)"
  echo "http://127.0.0.1:$lb_port"
}

status() {
  for p in $store_ports; do
    if alive "redis-$p"; then
      echo "store   127.0.0.1:$p  $(redis-cli -p "$p" info replication | grep -o 'role:[a-z]*' | cut -d: -f2)"
    else
      echo "store   127.0.0.1:$p  down"
    fi
  done
  for p in $replica_ports; do
    if alive "funnel-$p"; then
      echo "replica 127.0.0.1:$p  $(ready "$p" 2>/dev/null || echo 'not ready')"
    else
      echo "replica 127.0.0.1:$p  down"
    fi
  done
  if alive haproxy; then echo "balancer http://127.0.0.1:$lb_port  $(ready "$lb_port" 2>/dev/null || echo 'not ready')"; else echo "balancer down"; fi
  alive "redis-$store_port" && redis-cli -p "$store_port" cluster info | grep -E 'cluster_state|cluster_known_nodes' | tr -d '\r' | sed 's/^/store   /'
  return 0
}

rollout() {
  local model version
  model=$(cd "${1:?rollout: give the model folder to roll out}" && pwd)
  for p in $replica_ports; do
    say "replica $p: reloading $model"
    curl -fsS -X POST "http://127.0.0.1:$p/admin/models/reload" -H "X-Api-Key: $(cat "$key_file")" \
      -H 'Content-Type: application/json' -d "{\"path\": \"$model\"}" >"$run/logs/rollout-$p.json" \
      || { say "replica $p refused the model ($(cat "$run/logs/rollout-$p.json" 2>/dev/null)); stopping: the other replicas keep their model"; return 1; }
    version=$(grep -o '"modelVersion":"[^"]*"' "$run/logs/rollout-$p.json")
    wait_for "replica $p to be ready on $version" 60 serves "$p" "$version"
    echo "replica 127.0.0.1:$p  $(ready "$p")"
  done
}

fault() { echo "$(date +%s%3N) $1" >>"$run/faults.txt"; say "fault: $1"; }

chaos() {
  [ -f "$run/model" ] && alive haproxy || { say "chaos: bring the cluster up first"; return 1; }
  local model next primary load seconds=${FUNNEL_CHAOS_SECONDS:-100}
  model=$(cat "$run/model")
  next=$(cd "${1:-$model}" && pwd)
  : >"$run/faults.txt"
  "$(funnel_bin)" bench cluster --balancer "http://127.0.0.1:$lb_port" --store "redis://$endpoints" --seconds "$seconds" \
    --faults "$run/faults.txt" ${FUNNEL_CHAOS_JSON:+--json} >"$run/chaos.out" &
  load=$!
  sleep 15
  primary=$(redis-cli -p "$(for p in $store_ports; do alive "redis-$p" && echo "$p" && break; done)" cluster nodes | awk '$3 ~ /master/ && $3 !~ /fail/ {split($2, a, "[:@]"); print a[2]; exit}')
  fault "store-primary-killed"
  kill -9 "$(cat "$run/pids/redis-$primary")" && rm -f "$run/pids/redis-$primary"
  # As a supervisor (systemd Restart=always, RestartSec=5) would: the node rejoins as a replica.
  sleep 5
  start_store
  sleep 25
  fault "replica-killed"
  kill -9 "$(cat "$run/pids/funnel-$replica_port")" && rm -f "$run/pids/funnel-$replica_port"
  sleep 5
  start_replicas "$model"
  sleep 20
  fault "rollout"
  rollout "$next"
  echo "$next" >"$run/model"
  wait "$load"
  cat "$run/chaos.out"
}

down() {
  local pidfile
  for pidfile in "$run"/pids/haproxy "$run"/pids/funnel-* "$run"/pids/redis-*; do
    [ -f "$pidfile" ] || continue
    kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  done
  say "stopped; the store's data stays in $run/store (delete the folder to start afresh)"
}

case "${1:-}" in
  up) shift; up "$@" ;;
  status) status ;;
  rollout) shift; rollout "$@" ;;
  chaos) shift; chaos "$@" ;;
  down) down ;;
  *) sed -n '2,19p' "$0" >&2; exit 2 ;;
esac
