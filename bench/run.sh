#!/usr/bin/env bash
# Inbound throughput benchmark: a Release gateway on loopback (sync commit, the only mode there is,
# delivering to Maildir at the same time) driven by `gateway load` from the same build.
# Usage: bench/run.sh [--starttls] [any other `gateway load` switches]
#   default: 50 clients, 20,000 measured messages of 2 KB, one per connection, 10 s of warm-up.
#   --starttls: every session does EHLO, STARTTLS, a TLS 1.3 handshake with the gateway's generated
#   ECDSA P-256 certificate (BouncyCastle's client engine), EHLO again, then the message.
# JIT tiering needs about 10,000 sessions before the figures settle: keep the warm-up.
# BENCH_GATEWAY_ARGS="--Access:MapFile=/path/access ..." passes switches to the gateway (e.g. to measure the policy;
# not GATEWAY_*: that prefix is the gateway's own configuration from the environment).
# Results are printed and appended to bench/results/inbound.txt (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
# Defaults, each dropped when the same switch is given on the command line.
args=("$@")
given() { local s; for s in "${args[@]}"; do for n in "$@"; do [ "$s" = "$n" ] && return 0; done; done; return 1; }
given -c --concurrency || args=(-c 50 "${args[@]}")
given -n --messages --duration || args=(-n 20000 "${args[@]}")
given --size || args=(--size 2048 "${args[@]}")
given --warmup || args=(--warmup 10 "${args[@]}")

dotnet build -c Release -v q --nologo src/Gateway/Gateway.csproj >/dev/null
gateway="dotnet src/Gateway/bin/Release/net10.0/gateway.dll"

work=$(mktemp -d)
log="$work/gateway.log"
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
$gateway run \
  --Smtp:Listen:0=127.0.0.1:0 --Smtp:Hostname=bench.test --Cluster:Port=0 \
  --Smtp:MaxConnectionsPerClient=1000 --Logging:LogLevel=1 \
  --Queue:Directory="$work/spool" --Delivery:Maildir="$work/mail" ${BENCH_GATEWAY_ARGS:-} >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
  grep -q "listening on" "$log" && break
  kill -0 $pid 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.1
done
endpoint=$(grep -m1 -o "listening on [^ ]*" "$log" | cut -d' ' -f3)

mkdir -p bench/results
{
  echo "== $(date -u +%FT%TZ) $(git rev-parse --short HEAD) $(nproc) cores, spool on $(df -T "$work" | awk 'NR==2{print $2}'), bench/run.sh ${args[*]} ${BENCH_GATEWAY_ARGS:-}"
  cpu0=$(awk '{print $14+$15}' /proc/$pid/stat)
  $gateway load --target "$endpoint" "${args[@]}" || true
  echo "gateway CPU during warm-up and run: $(( ($(awk '{print $14+$15}' /proc/$pid/stat) - cpu0) * 10 )) ms"
  echo "delivered to Maildir so far: $(find "$work/mail" -path '*/new/*' -type f | wc -l)"
} | tee -a bench/results/inbound.txt
