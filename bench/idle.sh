#!/usr/bin/env bash
# Idle-session memory (issue 3): N sessions that have done EHLO, STARTTLS, the handshake and EHLO
# again, then sit idle; prints the gateway's resident set size before and with them.
# Usage: bench/idle.sh [N] [--plain]    (default 5000, STARTTLS)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-5000}
tls=--starttls
[ "${2:-}" = "--plain" ] && tls=""
ulimit -n $((count * 2 + 1024)) 2>/dev/null || true

dotnet build -c Release -v q --nologo src/Gateway/Gateway.csproj >/dev/null
dotnet build -c Release -v q --nologo bench/SmtpBench/SmtpBench.csproj >/dev/null

work=$(mktemp -d)
log="$work/gateway.log"
fifo="$work/hold"
mkfifo "$fifo"
trap 'kill $pid $bench 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
dotnet src/Gateway/bin/Release/net10.0/gateway.dll run \
  --Smtp:Listen:0=127.0.0.1:0 --Smtp:Hostname=bench.test --Cluster:Port=0 --Logging:LogLevel=1 \
  --Smtp:MaxConnections=$((count + 100)) --Smtp:MaxConnectionsPerClient=$((count + 100)) \
  --Queue:Directory="$work/spool" --Delivery:Maildir="$work/mail" >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do grep -q "listening on" "$log" && break; sleep 0.1; done
endpoint=$(grep -m1 -o "listening on [^ ]*" "$log" | cut -d' ' -f3)
rss() { awk '/VmRSS/ {printf "%.1f MB", $2/1024}' /proc/$pid/status; }
echo "gateway RSS before: $(rss)"
dotnet bench/SmtpBench/bin/Release/net10.0/smtp-bench.dll "$endpoint" --idle "$count" $tls <"$fifo" >"$work/bench.out" &
bench=$!
exec 3>"$fifo"
for _ in $(seq 1 1200); do grep -q "idle sessions open" "$work/bench.out" && break; sleep 0.5; done
cat "$work/bench.out"
sleep 2
echo "gateway RSS with $count idle sessions: $(rss)"
exec 3>&-
wait $bench || true
