#!/usr/bin/env bash
# Inbound throughput benchmark (issue 2): a Release gateway on loopback with sync commit (the only
# mode there is), and smtp-bench sending one 2 KB message per connection from 50 concurrent clients.
# Usage: bench/run.sh [--clients N] [--messages N] [--size BYTES] [--warmup N] [--starttls]
#   --starttls: every session does EHLO, STARTTLS, a TLS 1.3 handshake (the gateway's generated
#   ECDSA P-256 certificate; .NET SslStream/OpenSSL as client), EHLO again, then the message.
# Results are printed and appended to bench/results/inbound.txt (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(--clients 50 --messages 20000 --size 2048 --warmup 1000)
case "${args[*]}" in
  "--starttls"|"--starttls --bc-client") args=(--clients 50 --messages 10000 --size 2048 --warmup 10000 "${args[@]}") ;;
esac

dotnet build -c Release -v q --nologo src/Gateway/Gateway.csproj >/dev/null
dotnet build -c Release -v q --nologo bench/SmtpBench/SmtpBench.csproj >/dev/null

work=$(mktemp -d)
log="$work/gateway.log"
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
dotnet src/Gateway/bin/Release/net10.0/gateway.dll run \
  --Smtp:Listen:0=127.0.0.1:0 --Smtp:Hostname=bench.test --Cluster:Port=0 \
  --Smtp:MaxConnectionsPerClient=1000 --Logging:LogLevel=1 \
  --Queue:Directory="$work/spool" --Delivery:Maildir="$work/mail" >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
  grep -q "listening on" "$log" && break
  kill -0 $pid 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.1
done
endpoint=$(grep -m1 -o "listening on [^ ]*" "$log" | cut -d' ' -f3)

mkdir -p bench/results
{
  echo "== $(date -u +%FT%TZ) $(git rev-parse --short HEAD) $(nproc) cores, spool on $(df -T "$work" | awk 'NR==2{print $2}'), bench/run.sh ${args[*]}"
  cpu0=$(awk '{print $14+$15}' /proc/$pid/stat)
  dotnet bench/SmtpBench/bin/Release/net10.0/smtp-bench.dll "$endpoint" "${args[@]}"
  echo "gateway CPU during warm-up and run: $(( ($(awk '{print $14+$15}' /proc/$pid/stat) - cpu0) * 10 )) ms"
  echo "delivered to Maildir so far: $(find "$work/mail" -path '*/new/*' -type f | wc -l)"
} | tee -a bench/results/inbound.txt
