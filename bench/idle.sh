#!/usr/bin/env bash
# Idle-session memory (issue 3): N sessions that have done EHLO, STARTTLS, the handshake and EHLO
# again, then sit idle; prints the gateway's resident set size before and with them.
# The sessions come from `gateway load --hold`, which prints "holding N sessions ..." once all are
# open; the script measures then, and ends the hold with SIGTERM (as Ctrl-C would), which QUITs every
# session. (SIGINT would not do: a non-interactive shell starts background jobs with SIGINT ignored.)
# Usage: bench/idle.sh [N] [--plain]    (default 5000, STARTTLS)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-5000}
tls=--starttls
[ "${2:-}" = "--plain" ] && tls=""
ulimit -n $((count * 2 + 1024)) 2>/dev/null || true

dotnet build -c Release -v q --nologo src/Gateway/Gateway.csproj >/dev/null
gateway=src/Gateway/bin/Release/net10.0/gateway.dll

work=$(mktemp -d)
log="$work/gateway.log"
trap 'kill $pid ${load:-} 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
dotnet "$gateway" run \
  --Smtp:Listen:0=127.0.0.1:0 --Smtp:Hostname=bench.test --Cluster:Port=0 --Logging:LogLevel=1 \
  --Smtp:MaxConnections=$((count + 100)) --Smtp:MaxConnectionsPerClient=$((count + 100)) \
  --Queue:Directory="$work/spool" --Delivery:Maildir="$work/mail" >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do grep -q "listening on" "$log" && break; sleep 0.1; done
endpoint=$(grep -m1 -o "listening on [^ ]*" "$log" | cut -d' ' -f3)
rss() { awk '/VmRSS/ {printf "%.1f MB", $2/1024}' /proc/$pid/status; }
echo "gateway RSS before: $(rss)"
dotnet "$gateway" load --target "$endpoint" -c "$count" --hold $tls --reply-timeout 120 >"$work/load.out" 2>&1 &
load=$!
for _ in $(seq 1 2400); do grep -q "^holding " "$work/load.out" && break; sleep 0.5; done
grep "^holding " "$work/load.out"
sleep 2
echo "gateway RSS with $count idle sessions: $(rss)"
kill -TERM $load
wait $load || true
sed -n "/^target/,\$p" "$work/load.out"
