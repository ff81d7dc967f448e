#!/usr/bin/env bash
# Rolling restart under load: three nodes behind HAProxy (deploy/local-cluster.sh), `gateway load` through HAProxy
# with STARTTLS, 200 clients from 20 source addresses, while each node in turn is taken out of HAProxy, drained
# (`gateway drain`), started again and put back once it listens and has rejoined the cluster.
# Passes when the load reports no failed message, no failed session and no failed handshake, every node was
# restarted while the load ran, and every accepted message is in the three nodes' Maildirs (no more, no fewer).
#
# Usage: bench/rolling-restart.sh [--proxy | --no-proxy] [--duration SECONDS] [--settle SECONDS]
#   --duration  how long the load runs (default 150): the roll must end before it does
#   --settle    seconds of load before the first restart and the least after the last (default 15)
# Results are printed and appended to bench/results/rolling-restart.txt (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=() duration=150 settle=15
while [ $# -gt 0 ]; do
  case $1 in
    --proxy | --no-proxy) mode=("$1") ;;
    --duration) duration=$2; shift ;;
    --settle) settle=$2; shift ;;
    *) echo "usage: $0 [--proxy | --no-proxy] [--duration SECONDS] [--settle SECONDS]" >&2; exit 64 ;;
  esac
  shift
done

export LOCAL_CLUSTER_DIR=${LOCAL_CLUSTER_DIR:-$(mktemp -d /tmp/gateway-roll.XXXXXX)}
state=$LOCAL_CLUSTER_DIR
# The bench's own files (the load report, the roll's timings) beside the cluster's directory, which start empties.
work=$(mktemp -d /tmp/gateway-roll-bench.XXXXXX)
cluster=deploy/local-cluster.sh
gateway=src/Gateway/bin/Release/net10.0/gateway
trap '$cluster stop >/dev/null 2>&1 || true' EXIT

$cluster start "${mode[@]}" | tee "$work/start.txt"
target=$(cat "$state/smtp-address")
report="$work/load.json"

# 200 clients over 127.0.0.2-127.0.0.21: 10 sessions per source address at most, under Smtp:MaxConnectionsPerClient.
load_start=$(date +%s)
$gateway load --target "$target" --starttls -c 200 --source-addresses 127.0.0.2-127.0.0.21 \
  --duration "$duration" --json "$report" >"$work/load.txt" 2>&1 &
load_pid=$!

sleep "$settle"
roll_start=$(date +%s)
for n in 1 2 3; do
  kill -0 $load_pid 2>/dev/null || { echo "rolling-restart: the load ended before node $n was restarted; raise --duration" >&2; exit 1; }
  t0=$(date +%s.%N)
  $cluster restart "$n" 2>&1
  echo "node $n: out of HAProxy, drained, restarted and back in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
done | tee "$work/roll.txt"
roll_end=$(date +%s)
if ! kill -0 $load_pid 2>/dev/null; then
  echo "rolling-restart: the load ended before the roll did; raise --duration" >&2
  exit 1
fi
if [ $((load_start + settle + (roll_end - roll_start) + settle)) -gt $((load_start + duration)) ]; then
  echo "rolling-restart: warning: less than ${settle}s of load after the last restart" >&2
fi
wait $load_pid || true
cat "$work/load.txt"

field() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r[sys.argv[2]])' "$report" "$1"; }
accepted=$(field accepted) failed=$(field failed) unfinished=$(field unfinished)
sessions_failed=$(field sessionsFailed) handshakes_failed=$(field handshakesFailed)

# Delivery is asynchronous (spool, then Maildir; a node restarted with mail in its spool delivers it after the start):
# wait until the Maildirs hold as many messages as were accepted, or until nothing has arrived for 30 s.
delivered() { find "$state"/node{1,2,3}/mail -path '*/new/*' -type f 2>/dev/null | wc -l; }
last=-1 still=0
while :; do
  now=$(delivered)
  [ "$now" -ge "$accepted" ] && break
  if [ "$now" = "$last" ]; then still=$((still + 1)); else still=0; last=$now; fi
  [ $still -ge 300 ] && break
  sleep 0.1
done
per_node=$(for n in 1 2 3; do printf 'node %s %s  ' "$n" "$(find "$state/node$n/mail" -path '*/new/*' -type f 2>/dev/null | wc -l)"; done)

verdict=PASS
[ "$failed" = 0 ] && [ "$unfinished" = 0 ] && [ "$sessions_failed" = 0 ] && [ "$handshakes_failed" = 0 ] || verdict=FAIL
[ "$now" = "$accepted" ] || verdict=FAIL

mkdir -p bench/results
{
  echo "== $(date -u +%FT%TZ) $(git rev-parse --short HEAD) $(nproc) cores, bench/rolling-restart.sh ${mode[*]} --duration $duration --settle $settle"
  grep "^local-cluster: 3 nodes" "$work/start.txt"
  cat "$work/roll.txt"
  echo "load: accepted $accepted, failed $failed, unfinished $unfinished, sessions failed $sessions_failed, handshakes failed $handshakes_failed"
  grep -E "^(throughput|latency|connect\+greeting|TLS handshake|transaction|session) " "$work/load.txt"
  echo "Maildirs: $now messages ($per_node)"
  echo "files: $work (load report, roll), $state (cluster: logs, Maildirs)"
  echo "$verdict"
} | tee -a bench/results/rolling-restart.txt
[ "$verdict" = PASS ]
