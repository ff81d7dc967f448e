#!/usr/bin/env bash
# The gateway against Postfix (issues 4 and 16): the same inbound load, plain and with STARTTLS,
# driven by two clients in one run, with each server relaying every message to the same final hop.
# A benchmark, not a test: CI does not run it.
#
#   client ──▶ server under test (Postfix 3.7 or the gateway) ──SMTP──▶ smtp-sink (counts, drops)
#
#   Clients: smtpload.js (/work/shared/bench/smtpload.js, Node's net/tls on OpenSSL: the
#     independent client the issue figures are judged with) and `gateway load` from this build
#     (BouncyCastle's client engine, cheaper than real MTAs' clients, so it flatters the server).
#     Both: 50 clients from 127.0.0.1, one 2 KB message per connection, a warm-up first with the
#     same client: the gateway's tiered JIT needs about 10,000 sessions before its figures settle
#     (with 3,000 the plain rate was half the settled one); Postfix gets the same warm-up.
#   Postfix: a private instance in a temporary directory (the system's Postfix is neither used nor
#     touched): smtpd with an ECDSA P-256 certificate, queue synced before 250 as Postfix always
#     does, relayhost = the sink, mynetworks loopback, no client limits, default_process_limit 200.
#   Gateway: its defaults (in particular Smtp:MaxConnectionsPerClient = 50: 50 clients from one
#     address must never be refused), an ECDSA P-256 certificate from the same CA, an access map
#     with `Connect:127.0.0.1 RELAY`, Delivery:Routes sending remote.example to the sink,
#     Dns:ReverseLookup=false (Postfix has smtpd_peername_lookup = no).
#   Rounds: both servers run side by side and their runs alternate (order flipped each round), each mode
#     --rounds times; the ratio is given per round and as the median. The warm-up is in round 1 only.
#   Figures: the client's accept rate (250 after DATA) and latencies, the refused sessions, and the
#     server side's CPU per session: every CPU second the machine spent during the run minus the
#     client's own (so Postfix's many processes and the sink count alike for both), and for the
#     gateway also its own process's CPU. The next run starts only when the sink has everything.
#   Client ceiling: smtpload.js does its TLS on one thread, so it cannot start more sessions per
#     second than 1 / (its CPU per session), whatever the server; printed beside each smtpload run.
#
# Usage: bench/compare.sh [-n 5000] [-c 50] [--warmup 10000] [--rounds 3] [--no-postfix] [--only smtpload|gateway-load]
#                         [--no-build]   (the Release build is there; e.g. to hold the shared build lock
#                                         around the whole run so that nobody else's build skews it)
# Needs root (Postfix's master), postfix, node. Results are printed and appended to
# bench/results/compare.txt (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/private-postfix.sh

n=5000 c=50 size=2048 warmup=10000 rounds=3 postfix=1 only="" build=1
while [ $# -gt 0 ]; do
  case $1 in
    -n) n=$2; shift ;;
    -c) c=$2; shift ;;
    --size) size=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --no-postfix) postfix=0 ;;
    --only) only=$2; shift ;;
    --no-build) build=0 ;;
    *) echo "compare.sh: unknown switch $1" >&2; exit 2 ;;
  esac
  shift
done

[ "$(id -u)" = 0 ] || { echo "compare.sh: Postfix's master needs root" >&2; exit 1; }
if [ ! -x /usr/sbin/postfix ]; then
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix >/dev/null
fi
smtpload=/work/shared/bench/smtpload.js
[ $build = 0 ] || flock /tmp/gateway-build.lock dotnet build -c Release -v q --nologo src/Gateway/Gateway.csproj >/dev/null
gateway=(dotnet src/Gateway/bin/Release/net10.0/gateway.dll)

work=$(mktemp -d /tmp/compare-XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -d "$work/pf/etc" ] && /usr/sbin/postfix -c "$work/pf/etc" abort >/dev/null 2>&1 || true
  sleep 0.5
  rm -rf "$work"
}
trap cleanup EXIT


# One CA; an ECDSA P-256 certificate for each server.
tlsdir=$work/tls
mkdir -p "$tlsdir"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tlsdir/ca.key" -out "$tlsdir/ca.crt" \
  -subj "/CN=Compare Bench CA" -days 2 2>/dev/null
for name in postfix gateway; do
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tlsdir/$name.key" -out "$tlsdir/$name.csr" \
    -subj "/CN=$name.bench.test" 2>/dev/null
  openssl x509 -req -in "$tlsdir/$name.csr" -CA "$tlsdir/ca.crt" -CAkey "$tlsdir/ca.key" -CAcreateserial -days 2 \
    -extfile <(printf "subjectAltName=DNS:%s.bench.test\nextendedKeyUsage=serverAuth" "$name") -out "$tlsdir/$name.crt" 2>/dev/null
done
chmod 644 "$tlsdir"/*.crt; chmod 600 "$tlsdir"/*.key

# The final hop, shared by both servers; its counter is read as differences.
sink_port=$(free_port)
/usr/sbin/smtp-sink -u nobody -c -h sink.bench.test "127.0.0.1:$sink_port" 1024 >"$work/sink.out" 2>"$work/sink.err" &
pids+=($!)
wait_port "$sink_port" "smtp-sink"
sunk() { local t; t=$(tail -c 64 "$work/sink.out"); t=${t##*mesg=}; t=${t%%[!0-9]*}; echo "${t:-0}"; }
wait_sunk() { # count to reach
  for _ in $(seq 1 3000); do [ "$(sunk)" -ge "$1" ] && return 0; sleep 0.1; done
  echo "compare.sh: the sink counted $(sunk) of $1" >&2
}

busy_ticks() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat; }  # user nice system irq softirq steal
proc_ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
hz=$(getconf CLK_TCK)

# One measured run: label, port, client (smtpload|gateway-load), tls (0|1), server pid or "" → one line.
measure() {
  local label=$1 port=$2 client=$3 tls=$4 server=${5:-} base b0 b1 p0 p1 out
  local sl=(node "$smtpload" --port "$port" -c "$c" --size "$size" --to x@remote.example --timeout 600)
  local gl=("${gateway[@]}" load --target "127.0.0.1:$port" -c "$c" --size "$size" --to x@remote.example)
  [ "$tls" = 1 ] && sl+=(--tls) && gl+=(--starttls)
  if [ "$warmup" -gt 0 ]; then
    base=$(sunk)
    if [ "$client" = smtpload ]; then "${sl[@]}" -n "$warmup" >/dev/null || true
    else "${gl[@]}" -n "$warmup" >/dev/null 2>&1 || true; fi
    wait_sunk $((base + warmup))
  fi
  base=$(sunk); b0=$(busy_ticks); p0=$([ -n "$server" ] && proc_ticks "$server" || echo 0)
  if [ "$client" = smtpload ]; then
    out=$(/usr/bin/time -f "CLIENTCPU %U %S" "${sl[@]}" -n "$n" 2>&1 || true)
  else
    out=$(/usr/bin/time -f "CLIENTCPU %U %S" "${gl[@]}" -n "$n" --json "$work/load.json" 2>&1 >/dev/null || true)
    out="$(cat "$work/load.json" 2>/dev/null || echo '{}')"$'\n'"$(grep CLIENTCPU <<<"$out")"
  fi
  b1=$(busy_ticks); p1=$([ -n "$server" ] && proc_ticks "$server" || echo 0)
  wait_sunk $((base + n))
  /usr/bin/python3 - "$label" "$client" "$n" "$hz" "$((b1 - b0))" "$((p1 - p0))" "${server:+1}" "$out" <<'PY'
import json, sys
label, client, n, hz, busy, own, has_own, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), sys.argv[7] == "1", sys.argv[8]
lines = out.strip().splitlines()
cpu = [l for l in lines if l.startswith("CLIENTCPU")]
client_cpu = sum(map(float, cpu[-1].split()[1:])) if cpu else 0.0
# smtpload prints one JSON line; gateway load's JSON report spans lines.
body = "\n".join(l for l in lines if not l.startswith("CLIENTCPU"))
body = body[body.find("{"):] if "{" in body else "{}"
r = json.loads(body)
if client == "smtpload":
    rate, p50, p99, sent, failed, errors = r.get("msgs_per_s", 0), r.get("p50_ms", 0), r.get("p99_ms", 0), r.get("sent", 0), r.get("failed", n), r.get("errors") or {}
else:
    l = r.get("latencyMs", {}).get("transaction", {})
    rate, p50, p99, sent = r.get("messagesPerSecond", 0), l.get("p50", 0), l.get("p99", 0), r.get("accepted", 0)
    errors = {k: v["count"] for k, v in (r.get("errors") or {}).items()}
    failed = r.get("attempted", n) - sent
refused = sum(v for k, v in errors.items() if k.startswith("421") or "421" in k)
server_cpu = busy / hz - client_cpu
own_text = f"  gateway process {own / hz * 1000 / max(sent, 1):5.2f}" if has_own else ""
ceiling = f"  client ceiling {sent / client_cpu:6.0f}/s" if client == "smtpload" and client_cpu > 0 else ""
print(f"{label:<34} msgs/s {rate:7.1f}  p50 {float(p50):6.1f} p99 {float(p99):6.1f} ms  accepted {sent}/{n}  failed {failed}  refused {refused}"
      f"  server CPU ms/session {server_cpu * 1000 / max(sent, 1):5.2f}{own_text}  client CPU {client_cpu:.1f} s{ceiling}"
      + (f"  errors {errors}" if errors else ""))
PY
}

clients=(smtpload gateway-load)
[ -n "$only" ] && clients=("$only")
mode() { [ "$1" = 1 ] && echo starttls || echo plain; }
mkdir -p bench/results
{
  echo "== $(date -u +%FT%TZ) $(git rev-parse --short HEAD) $(nproc) cores, load $(cut -d" " -f1 /proc/loadavg), -n $n -c $c --size $size --warmup $warmup --rounds $rounds, $(/usr/sbin/postconf -dh mail_version | sed 's/^/Postfix /')"
  declare -A rate
  # Both servers run side by side (the idle one costs nothing measurable) and their runs alternate, round after
  # round, the order flipped each round: on this machine the CPU available to a run drifts by up to 40% within
  # minutes (the clients' own CPU per session moves with it), so runs of the two servers minutes apart compared
  # the machine, not the servers. Each round's ratio pairs runs made seconds apart.
  if [ $postfix = 1 ]; then
    pf_port=$(start_postfix "$work/pf" "$sink_port" "$tlsdir/postfix.crt" "$tlsdir/postfix.key" \
      "smtpd_client_connection_count_limit = 0" "smtpd_client_connection_rate_limit = 0" "smtp_tls_security_level = none")
  fi
  printf "Connect:127.0.0.1 RELAY\n" >"$work/access"; chmod 644 "$work/access"
  "${gateway[@]}" run --Smtp:Listen:0=127.0.0.1:0 --Smtp:Hostname=gateway.bench.test --Cluster:Port=0 \
    --Logging:LogLevel=1 --Access:MapFile="$work/access" --Dns:ReverseLookup=false \
    --Tls:ServerCertFile="$tlsdir/gateway.crt" --Tls:ServerKeyFile="$tlsdir/gateway.key" \
    --Queue:Directory="$work/spool" --Delivery:Maildir="$work/mail" \
    --Delivery:Routes:remote.example="smtp:[127.0.0.1]:$sink_port" >"$work/gateway.log" 2>&1 &
  gw=$!; pids+=($gw)
  for _ in $(seq 1 300); do grep -q "listening on" "$work/gateway.log" && break; kill -0 $gw 2>/dev/null || break; sleep 0.1; done
  endpoint=$(grep -m1 -o "listening on [^ ]*" "$work/gateway.log" | cut -d' ' -f3) || { cat "$work/gateway.log" >&2; exit 1; }
  servers=(gateway); [ $postfix = 1 ] && servers=(postfix gateway)
  warm=$warmup
  for round in $(seq 1 "$rounds"); do
    order=("${servers[@]}")
    (( round % 2 == 0 )) && [ $postfix = 1 ] && order=(gateway postfix)
    for cl in "${clients[@]}"; do
      for tls in 0 1; do
        for server in "${order[@]}"; do
          if [ "$server" = postfix ]; then port=$pf_port pid=""; else port=${endpoint##*:} pid=$gw; fi
          warmup=$warm
          line=$(measure "$round $server $cl $(mode $tls)" "$port" "$cl" $tls $pid)
          echo "$line"; rate[$round-$server-$cl-$tls]=$(grep -o "msgs/s *[0-9.]*" <<<"$line" | awk '{print $2}')
        done
      done
    done
    warm=0   # warmed up once, in the first round
  done
  kill $gw; wait $gw 2>/dev/null || true
  [ $postfix = 1 ] && /usr/sbin/postfix -c "$work/pf/etc" stop >/dev/null 2>&1
  if [ $postfix = 1 ]; then
    for cl in "${clients[@]}"; do
      for tls in 0 1; do
        ratios=()
        for round in $(seq 1 "$rounds"); do
          ratios+=("$(awk -v g="${rate[$round-gateway-$cl-$tls]}" -v p="${rate[$round-postfix-$cl-$tls]}" 'BEGIN{printf "%.2f", (p > 0 ? g / p : 0)}')")
        done
        printf "%-34s %s   median %s (gateway/postfix, per round)\n" "ratio $cl $(mode $tls)" "${ratios[*]}" \
          "$(printf "%s\n" "${ratios[@]}" | sort -g | awk '{v[NR]=$1} END{print (NR % 2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}')"
      done
    done
  fi
} | tee -a bench/results/compare.txt
