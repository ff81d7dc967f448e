#!/usr/bin/env bash
# Slow and hostile clients (issue 16, item 4). A benchmark, not a test: it is not run by CI.
# One Release node, driven by 50 normal clients (smtpload.js on Node's OpenSSL for the transaction p99,
# `gateway load` for the transaction and session p99; plain and STARTTLS), first alone, then while
# bench/hostile.js holds 5,000 hostile connections open from 250 loopback addresses (20 each):
# half slowloris (one byte every 10 s of a line that never ends), half idle TLS handshakes
# (EHLO, STARTTLS, 220, then nothing or a partial ClientHello).
# Two scenarios, each on a fresh node:
#   normal:  default limits (Smtp:MaxConnections 10000: 5,000 is 50 %, no stress mode);
#   stress:  Smtp:MaxConnections 5500, so the hostile load crosses Smtp:StressThreshold (80 % = 4,400):
#            the hostile client reconnects whatever the node closes, as an attacker keeping slots would,
#            and the sessions begun under stress must be cut after Smtp:StressTimeout (10 s).
# Settings other than the defaults, and why:
#   Smtp:ClientLimitExceptions = 127.0.0.1 only (default: all of 127.0.0.0/8), so the per-client limit
#   (50) counts the hostile addresses as it would on the Internet; the normal clients on 127.0.0.1 stand
#   for a trusted network (Postfix's $mynetworks). Http:Listen on a free port (the default 9025 may be taken).
# Goals, each a failure (exit 1) when missed: every normal message accepted; loaded p99 (transaction,
# session) at most 2x the unloaded one; RSS below 1 GB; at least 95 % of the hostile connections open at
# once; under stress, hostile sessions cut (the median cut at most StressTimeout + 5 s).
# Usage: bench/slowloris.sh [--hostile 5000] [-n 3000] [--interval 10] [--only normal|stress]
# Summary appended to bench/results/slowloris.txt; JSON reports and logs in bench/results/slowloris/.
set -euo pipefail
cd "$(dirname "$0")/.."
hostile=5000 messages=3000 interval=10 only=""
while [ $# -gt 0 ]; do
  case $1 in
    --hostile) hostile=$2; shift 2 ;;
    -n) messages=$2; shift 2 ;;
    --interval) interval=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    *) echo "usage: bench/slowloris.sh [--hostile N] [-n MESSAGES] [--interval S] [--only normal|stress]" >&2; exit 64 ;;
  esac
done
ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" -gt $((hostile + 2000)) ] || { echo "ulimit -n $(ulimit -n) is too low for $hostile connections" >&2; exit 1; }

dotnet build -c Release -v q --nologo src/Gateway/Gateway.csproj >/dev/null
gateway="dotnet src/Gateway/bin/Release/net10.0/gateway.dll"
smtpload=${SMTPLOAD:-/work/shared/bench/smtpload.js}
out=bench/results/slowloris
mkdir -p "$out"
summary=bench/results/slowloris.txt
work=$(mktemp -d)
failures=0
cleanup() { kill ${hostile_pid:-} ${sampler:-} ${pid:-} 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
say() { echo "$*" | tee -a "$summary"; }
miss() { say "  MISSED: $*"; failures=$((failures + 1)); }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

start_node() { # scenario, extra switches...
  local name=$1; shift
  rm -rf "$work/spool" "$work/mail"
  http=127.0.0.1:$(free_port)
  $gateway run --Smtp:Listen:0=127.0.0.1:0 --Smtp:Hostname=bench.test --Cluster:Port=0 --Logging:LogLevel=9 \
    --Smtp:ClientLimitExceptions:0=127.0.0.1 --Http:Listen="$http" \
    --Queue:Directory="$work/spool" --Delivery:Maildir="$work/mail" "$@" >"$out/$name-gateway.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do
    grep -q "^gateway: listening on" "$out/$name-gateway.log" && break
    kill -0 $pid 2>/dev/null || { cat "$out/$name-gateway.log"; exit 1; }
    sleep 0.1
  done
  endpoint=$(grep -m1 -o "^gateway: listening on [^ ]*" "$out/$name-gateway.log" | cut -d' ' -f4)
  port=${endpoint##*:}
  # RSS and open sessions every second, for the run's maximum.
  (while kill -0 $pid 2>/dev/null; do
     echo "$(date +%s) $(awk '/VmRSS/ {print $2}' /proc/$pid/status) $(curl -s "$http/metrics" | awk '/^gateway_sessions_open/ {s += $NF} END {print s + 0}') $(ss -tnH state established "( sport = :$port )" | wc -l)"
     sleep 1
   done) >"$out/$name-samples.txt" 2>/dev/null &
  sampler=$!
}

stop_node() {
  kill $sampler 2>/dev/null || true
  kill $pid; wait $pid 2>/dev/null || true
  pid="" sampler=""
}

normal_load() { # phase label: smtpload.js and gateway load, plain and STARTTLS; prints one line each
  local phase=$1 mode tls
  for mode in plain starttls; do
    tls=""; [ $mode = starttls ] && tls=--tls
    node "$smtpload" --port "$port" -c 50 -n "$messages" --size 2048 $tls --to x@localhost --timeout 300 \
      >"$out/$phase-smtpload-$mode.json" 2>&1 || true
    tls=""; [ $mode = starttls ] && tls=--starttls
    $gateway load --target "$endpoint" -c 50 -n "$messages" --size 2048 $tls --to x@localhost \
      --json "$out/$phase-load-$mode.json" >"$out/$phase-load-$mode.txt" 2>&1 || true
  done
  python3 - "$out" "$phase" <<'PY' | tee -a "$summary"
import json, sys
out, phase = sys.argv[1], sys.argv[2]
for mode in ("plain", "starttls"):
    s = json.loads(open(f"{out}/{phase}-smtpload-{mode}.json").read().strip().splitlines()[-1])
    g = json.load(open(f"{out}/{phase}-load-{mode}.json"))
    l = g["latencyMs"]
    failed = s["failed"] + g["failed"]
    print(f"  {phase:<8} {mode:<8} smtpload.js {s['msgs_per_s']:6.1f}/s p99 tx {s['p99_ms']:7.1f} ms, failed {s['failed']} | "
          f"gateway load {g['messagesPerSecond']:6.1f}/s p99 tx {l['transaction']['p99']:7.1f} ms session {l['session']['p99']:7.1f} ms, "
          f"accepted {g['accepted']}/{g['attempted']}, failed {g['failed']}")
PY
}

compare() { # baseline phase, loaded phase: the 2x and zero-failure goals
  python3 - "$out" "$1" "$2" <<'PY'
import json, sys
out, base, loaded = sys.argv[1:4]
for mode in ("plain", "starttls"):
    sb, sl = (json.loads(open(f"{out}/{p}-smtpload-{mode}.json").read().strip().splitlines()[-1]) for p in (base, loaded))
    gb, gl = (json.load(open(f"{out}/{p}-load-{mode}.json")) for p in (base, loaded))
    pairs = [("smtpload.js transaction", sb["p99_ms"], sl["p99_ms"]),
             ("gateway load transaction", gb["latencyMs"]["transaction"]["p99"], gl["latencyMs"]["transaction"]["p99"]),
             ("gateway load session", gb["latencyMs"]["session"]["p99"], gl["latencyMs"]["session"]["p99"])]
    for name, b, l in pairs:
        ratio = (l or 0) / b if b else float("inf")
        print(f"{'ok' if ratio <= 2 else 'MISS'} {mode} {name} p99 {b:.1f} -> {l:.1f} ms ({ratio:.2f}x)")
    for name, failed in (("smtpload.js", sl["failed"]), ("gateway load", gl["failed"] + gl["attempted"] - gl["accepted"])):
        print(f"{'ok' if failed == 0 else 'MISS'} {mode} {name} failed under load: {failed}")
PY
}

check() { # lines from compare(): "ok ..." or "MISS ..."
  while read -r verdict rest; do
    if [ "$verdict" = ok ]; then say "  $rest"; else miss "$rest"; fi
  done
}

hostile_phase() { # scenario name, extra hostile.js switches...
  local name=$1; shift
  node bench/hostile.js --port "$port" --slowloris $((hostile / 2)) --tls-idle $((hostile - hostile / 2)) \
    --per-source 20 --interval "$interval" --report 5 "$@" >"$out/$name-hostile.jsonl" 2>&1 &
  hostile_pid=$!
  # Until all are open (or 120 s), then one interval more so every slowloris has sent a byte.
  for _ in $(seq 1 240); do
    tail -1 "$out/$name-hostile.jsonl" 2>/dev/null | python3 -c "import json,sys; r=json.loads(sys.stdin.read()); sys.exit(0 if r['peakTotal'] >= $hostile else 1)" 2>/dev/null && break
    sleep 0.5
  done
  sleep "$interval"
  say "  hostile open before the normal load: $(ss -tnH state established "( sport = :$port )" | wc -l) connections (ss), gateway_sessions_open $(curl -s "$http/metrics" | awk '/^gateway_sessions_open/ {s += $NF} END {print s + 0}')"
}

hostile_end() { # scenario name
  local name=$1
  kill -TERM $hostile_pid; wait $hostile_pid 2>/dev/null || true; hostile_pid=""
  tail -1 "$out/$name-hostile.jsonl" >"$out/$name-hostile-final.json"
  python3 - "$out/$name-hostile-final.json" <<'PY' | tee -a "$summary"
import json, sys
r = json.load(open(sys.argv[1]))
print(f"  hostile: peak {r['peakTotal']} open at once")
for k in ("slowloris", "tls-idle"):
    s = r[k]
    print(f"    {k:<9} peak {s['peak']}, reached the hostile phase {s['hostile']}, closed by the node {s['closedByServer']}"
          f"{'' if not s['closedAfterSeconds'] else ' after p50 %.1f s, max %.1f s' % (s['closedAfterSeconds']['p50'], s['closedAfterSeconds']['max'])}"
          f", connect errors {s['connectErrors'] or 'none'}")
PY
}

rss_report() { # scenario name: max RSS and max open sessions over the samples
  local name=$1 max_kb peak_open peak_ss
  max_kb=$(awk '$2 > m {m = $2} END {print m + 0}' "$out/$name-samples.txt")
  peak_open=$(awk '$3 > m {m = $3} END {print m + 0}' "$out/$name-samples.txt")
  peak_ss=$(awk '$4 > m {m = $4} END {print m + 0}' "$out/$name-samples.txt")
  say "  node: RSS max $((max_kb / 1024)) MB (sampled every 1 s), gateway_sessions_open max $peak_open, established (ss) max $peak_ss"
  [ "$max_kb" -lt $((1024 * 1024)) ] || miss "RSS $((max_kb / 1024)) MB >= 1 GB"
  [ "$peak_ss" -ge $((hostile * 95 / 100)) ] || miss "only $peak_ss connections open at peak (want >= $((hostile * 95 / 100)))"
}

say "== $(date -u +%FT%TZ) $(git rev-parse --short HEAD) $(nproc) cores, bench/slowloris.sh --hostile $hostile -n $messages --interval $interval"

if [ "$only" != stress ]; then
  say "scenario normal: default limits (Smtp:MaxConnections 10000, stress from 8000)"
  start_node normal
  # Warm-up (JIT, first TLS handshakes): not measured.
  $gateway load --target "$endpoint" -c 50 --duration 10 --starttls --to x@localhost >/dev/null 2>&1 || true
  node "$smtpload" --port "$port" -c 50 -n 1000 --tls --to x@localhost >/dev/null 2>&1 || true
  normal_load unloaded
  hostile_phase normal
  normal_load loaded
  check < <(compare unloaded loaded)
  hostile_end normal
  grep -E "stress:" "$out/normal-gateway.log" | sed 's/^/  log: /' | tee -a "$summary" || say "  log: stress mode did not begin"
  stop_node
  rss_report normal
fi

if [ "$only" != normal ]; then
  say "scenario stress: Smtp:MaxConnections 5500 (stress from 4400 open), Smtp:StressTimeout 10 s, hostile clients reconnect"
  start_node stress --Smtp:MaxConnections=5500
  $gateway load --target "$endpoint" -c 50 --duration 10 --starttls --to x@localhost >/dev/null 2>&1 || true
  node "$smtpload" --port "$port" -c 50 -n 1000 --tls --to x@localhost >/dev/null 2>&1 || true
  normal_load unloaded-s
  hostile_phase stress --reconnect
  normal_load stressed
  check < <(compare unloaded-s stressed)
  sleep 20   # a few more stress-timeout rounds for the hostile figures
  hostile_end stress
  grep -E "stress:" "$out/stress-gateway.log" | head -4 | sed 's/^/  log: /' | tee -a "$summary" || miss "stress mode never began"
  say "  log: stress began $(grep -c 'stress: .* sessions open of' "$out/stress-gateway.log" || true) times, ended $(grep -c 'stress: over' "$out/stress-gateway.log" || true) times;" \
    "handshake timeouts $(grep -c 'accept failed=timeout' "$out/stress-gateway.log" || true), idle timeouts $(grep -c 'idle timeout' "$out/stress-gateway.log" || true)"
  check < <(python3 - "$out/stress-hostile-final.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for k in ("slowloris", "tls-idle"):
    s = r[k]
    cut = s["closedAfterSeconds"]
    ok = s["closedByServer"] > 0 and cut and cut["p50"] <= 15
    print(f"{'ok' if ok else 'MISS'} under stress the node cut {s['closedByServer']} {k} sessions" + (f", median {cut['p50']} s after their hostile phase began" if cut else ""))
PY
)
  stop_node
  rss_report stress
fi

if [ $failures -eq 0 ]; then say "PASS"; else say "FAIL: $failures goals missed"; fi
[ $failures -eq 0 ]
