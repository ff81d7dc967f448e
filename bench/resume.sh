#!/usr/bin/env bash
# What TLS 1.2 session resumption saves the server (issue 16, item 2): one Release node (defaults, its generated
# ECDSA P-256 certificate), driven by bench/resume.js (Node's OpenSSL client, TLS 1.2, 20 workers, 1 KB messages
# delivered to the Maildir), first with full handshakes, then resuming by ticket, then by session ID. For each: the
# node's own CPU per session (from /proc/PID/stat) and the session rate. A benchmark, not a test: CI does not run it.
# Usage: bench/resume.sh [-n 4000] [--warmup 4000]      Results: printed and appended to bench/results/resume.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
n=4000 warmup=4000
while [ $# -gt 0 ]; do
  case $1 in
    -n) n=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    *) echo "resume.sh: unknown switch $1" >&2; exit 2 ;;
  esac
  shift
done
flock /tmp/gateway-build.lock dotnet build -c Release -v q --nologo src/Gateway/Gateway.csproj >/dev/null
work=$(mktemp -d /tmp/resume-XXXXXX)
trap 'kill $gw 2>/dev/null || true; wait $gw 2>/dev/null || true; rm -rf "$work"' EXIT
dotnet src/Gateway/bin/Release/net10.0/gateway.dll run --Smtp:Listen:0=127.0.0.1:0 --Smtp:Hostname=bench.test \
  --Cluster:Port=0 --Logging:LogLevel=1 --Queue:Directory="$work/spool" --Delivery:Maildir="$work/mail" >"$work/gateway.log" 2>&1 &
gw=$!
for _ in $(seq 1 300); do grep -q "gateway: listening on" "$work/gateway.log" && break; sleep 0.1; done
port=$(grep -m1 -o "gateway: listening on [^ ]*" "$work/gateway.log" | cut -d' ' -f4); port=${port##*:}
ticks() { awk '{print $14+$15}' "/proc/$gw/stat"; }
hz=$(getconf CLK_TCK)
run() { # label, resume.js switches
  local label=$1 t0 t1 json; shift
  t0=$(ticks)
  json=$(node bench/resume.js --port "$port" -n "$n" "$@")
  t1=$(ticks)
  python3 - "$label" "$json" "$((t1 - t0))" "$hz" <<'PY'
import json, sys
r, ticks, hz = json.loads(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
print(f"{sys.argv[1]:<22} {r['per_s']:7.1f} sessions/s  resumed {r['reused']}/{r['sessions']}  failed {r['failed']}"
      f"  gateway CPU {ticks / hz * 1000 / max(r['sessions'], 1):5.2f} ms/session")
PY
}
node bench/resume.js --port "$port" -n "$warmup" >/dev/null
node bench/resume.js --port "$port" -n "$warmup" --reuse >/dev/null
mkdir -p bench/results
{
  echo "== $(date -u +%FT%TZ) $(git rev-parse --short HEAD) $(nproc) cores, -n $n, warm-up $warmup + $warmup"
  run "full handshakes"
  run "resumed by ticket" --reuse
  run "resumed by session ID" --reuse --no-ticket
  run "full handshakes again"
} | tee -a bench/results/resume.txt
