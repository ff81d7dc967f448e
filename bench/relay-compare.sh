#!/usr/bin/env bash
# "Accept, then relay" throughput (issue 13): the same load through a private Postfix and, with
# --gateway or --gateway-cmd, through the gateway, each relaying every message to the same kind of
# final hop; the rate is counted where the mail ends up, not where it was accepted. A benchmark, not
# a test: CI does not run it.
#
#   client ──smtpload.js──▶ relay under test ──SMTP──▶ final hop (counts and drops)
#
#   final hop, plain: Postfix's smtp-sink (-c counter, no dump files: it keeps nothing).
#   final hop, --tls: smtp-sink has no TLS and Debian packages no TLS-capable sink program, so the
#     closest honest stand-in is bench/tls-sink.py on Debian's python3-aiosmtpd (STARTTLS required,
#     Python's ssl on OpenSSL, counts and drops). Measured alone with smtpload.js on this machine it
#     takes about 200 msgs/s when every message is a new TLS session and about 1,000 msgs/s over
#     reused sessions: check that the relay under test is well below that before trusting a figure.
#   Postfix: a private instance in a temporary directory (own main.cf, queue, log, free port; the
#     system Postfix is neither used nor touched), relayhost = [127.0.0.1]:SINK, mynetworks loopback,
#     default_process_limit 200, otherwise Postfix 3.7's defaults (20 parallel deliveries to the one
#     next hop; with TLS no connection reuse, smtp_tls_connection_reuse = no). With --tls, smtpd
#     offers STARTTLS with an ECDSA P-256 certificate and smtp uses smtp_tls_security_level = encrypt.
#   Load: node /work/shared/bench/smtpload.js (Node's net/tls, OpenSSL), one message per connection,
#     --to x@remote.example, first a warm-up (the gateway's JIT needs it; Postfix gets the same).
#   Rate: N / (time from starting the load until the final hop has counted all N). The client's own
#     accept rate and latencies (p50/p99 until 250 after DATA) are printed beside it.
#
# Usage: bench/relay-compare.sh [--tls] [-n 3000] [-c 50] [--size 2048] [--warmup 1000]
#                               [--gateway | --gateway-cmd 'COMMAND'] [--no-postfix]
#   --gateway      the Release build of this repo, started as
#                    gateway run --Smtp:Listen:0=127.0.0.1:0 --Cluster:Port=0 ... \
#                      --Dns:ReverseLookup=false (Postfix here has smtpd_peername_lookup = no) \
#                      --Delivery:Routes:remote.example=smtp:[127.0.0.1]:$SINK_PORT
#                  plus $BENCH_GATEWAY_ARGS (e.g. the switch that makes it use STARTTLS outbound).
#                  Delivery:Routes is the relay's key, defined with the relay itself (issue 13): until
#                  it exists the gateway refuses to start, naming the unknown key.
#   --gateway-cmd  any command that starts a relay and prints "listening on HOST:PORT"; it sees
#                  SINK_PORT, WORK (a scratch directory), TLS_CERT, TLS_KEY, TLS_CA in its environment
#                  and is stopped with SIGTERM afterwards. The final hop alone, as a ceiling:
#                    --no-postfix --gateway-cmd 'echo listening on 127.0.0.1:$SINK_PORT; exec sleep 1d'
# Needs root (Postfix's master), postfix, node; --tls also python3-aiosmtpd (installed if missing).
# Results are printed and appended to bench/results/relay.txt (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/private-postfix.sh

tls=0 n=3000 c=50 size=2048 warmup=1000 gateway_cmd="" postfix=1
while [ $# -gt 0 ]; do
  case $1 in
    --tls) tls=1 ;;
    -n) n=$2; shift ;;
    -c) c=$2; shift ;;
    --size) size=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    --no-postfix) postfix=0 ;;
    --gateway-cmd) gateway_cmd=$2; shift ;;
    --gateway)
      # Shared machines serialise builds on this lock (it costs nothing where nobody else builds).
      flock /tmp/gateway-build.lock dotnet build -c Release -v q --nologo src/Gateway/Gateway.csproj >/dev/null
      # The gateway relays only for clients the access map lets relay (sendmail's rule): loopback here.
      gateway_cmd='printf "Connect:127.0.0.1 RELAY\n" > $WORK/access && chmod 644 $WORK/access && \
        exec dotnet src/Gateway/bin/Release/net10.0/gateway.dll run --Smtp:Listen:0=127.0.0.1:0 --Access:MapFile=$WORK/access \
        --Smtp:Hostname=bench.test --Cluster:Port=0 --Smtp:MaxConnectionsPerClient=1000 --Logging:LogLevel=1 \
        --Queue:Directory=$WORK/spool --Delivery:Maildir=$WORK/mail --Dns:ReverseLookup=false \
        --Tls:ServerCertFile=$TLS_CERT --Tls:ServerKeyFile=$TLS_KEY \
        --Delivery:Routes:remote.example=smtp:[127.0.0.1]:$SINK_PORT '"${BENCH_GATEWAY_ARGS:-}" ;;
    *) echo "relay-compare.sh: unknown switch $1" >&2; exit 2 ;;
  esac
  shift
done

[ "$(id -u)" = 0 ] || { echo "relay-compare.sh: Postfix's master needs root" >&2; exit 1; }
if [ ! -x /usr/sbin/postfix ] || { [ $tls = 1 ] && ! /usr/bin/python3 -c "import aiosmtpd" 2>/dev/null; }; then
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix python3-aiosmtpd >/dev/null
fi
load=/work/shared/bench/smtpload.js

work=$(mktemp -d /tmp/relay-compare-XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for m in "$work"/pf*/queue; do [ -d "$m" ] && /usr/sbin/postfix -c "${m%/queue}/etc" abort >/dev/null 2>&1 || true; done
  sleep 0.5
  rm -rf "$work"
}
trap cleanup EXIT


# One CA, a certificate for each TLS server (ECDSA P-256, as the gateway's `ca` makes).
tlsdir=$work/tls
mkdir -p "$tlsdir"
issue() { # name, cn
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tlsdir/$1.key" -out "$tlsdir/$1.csr" -subj "/CN=$2" 2>/dev/null
  openssl x509 -req -in "$tlsdir/$1.csr" -CA "$tlsdir/ca.crt" -CAkey "$tlsdir/ca.key" -CAcreateserial -days 2 \
    -extfile <(printf "subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth,clientAuth" "$2") -out "$tlsdir/$1.crt" 2>/dev/null
}
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tlsdir/ca.key" -out "$tlsdir/ca.crt" \
  -subj "/CN=Relay Bench CA" -days 2 2>/dev/null
issue relay relay.bench.test
issue sink tls-sink.test
export TLS_CERT=$tlsdir/relay.crt TLS_KEY=$tlsdir/relay.key TLS_CA=$tlsdir/ca.crt WORK=$work

# The final hop, shared by every relay measured; counts are taken as differences.
SINK_PORT=$(free_port)
export SINK_PORT
if [ $tls = 1 ]; then
  bench/tls-sink.py "$SINK_PORT" "$tlsdir/sink.crt" "$tlsdir/sink.key" >"$work/sink.out" 2>"$work/sink.err" &
else
  /usr/sbin/smtp-sink -u nobody -c -h sink.bench.test "127.0.0.1:$SINK_PORT" 1024 >"$work/sink.out" 2>"$work/sink.err" &
fi
pids+=($!)
wait_port "$SINK_PORT" "the final hop"
sunk() { local t; t=$(tail -c 64 "$work/sink.out"); t=${t##*mesg=}; t=${t%%[!0-9]*}; echo "${t:-0}"; }

measure() { # label, port: warm-up, then N messages; one result line
  local label=$1 port=$2 base t0 t1 json got
  local args=(--port "$port" -c "$c" --size "$size" --to x@remote.example --timeout 600)
  [ $tls = 1 ] && args+=(--tls)
  if [ "$warmup" -gt 0 ]; then
    base=$(sunk)
    node "$load" "${args[@]}" -n "$warmup" >/dev/null || true
    for _ in $(seq 1 600); do [ $(( $(sunk) - base )) -ge "$warmup" ] && break; sleep 0.1; done
  fi
  base=$(sunk)
  t0=$(date +%s.%N)
  json=$(node "$load" "${args[@]}" -n "$n" || true)
  for _ in $(seq 1 3000); do got=$(( $(sunk) - base )); [ "$got" -ge "$n" ] && break; sleep 0.1; done
  t1=$(date +%s.%N)
  /usr/bin/python3 - "$label" "$n" "$got" "$t0" "$t1" "$json" <<'PY'
import json, sys
label, n, got, t0, t1, r = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), json.loads(sys.argv[6])
print(f"{label:<22} relayed msgs/s {got / (t1 - t0):7.1f} ({got}/{n} at the final hop in {t1 - t0:.2f} s)"
      f"  accepted msgs/s {r['msgs_per_s']:7.1f}  p50 {r['p50_ms']} ms  p99 {r['p99_ms']} ms  failed {r['failed']} {r['errors'] or ''}")
PY
}

mode=$([ $tls = 1 ] && echo "starttls both legs" || echo plain)
mkdir -p bench/results
{
  echo "== $(date -u +%FT%TZ) $(git rev-parse --short HEAD) $(nproc) cores, load $(cut -d" " -f1 /proc/loadavg), queue on $(df -T "$work" | awk "NR==2{print \$2}"), $mode, -n $n -c $c --size $size --warmup $warmup, $(/usr/sbin/postconf -dh mail_version | sed 's/^/Postfix /')"
  if [ $postfix = 1 ]; then
    pf_port=$(start_postfix "$work/pf1" "$SINK_PORT" "$TLS_CERT" "$TLS_KEY" \
      "smtp_tls_security_level = $([ $tls = 1 ] && echo encrypt || echo none)" "smtp_tls_CAfile = $TLS_CA") || exit 1
    measure "postfix $mode" "$pf_port"
    /usr/sbin/postfix -c "$work/pf1/etc" abort >/dev/null 2>&1
    echo "postfix log: $(grep -c 'status=sent' "$work/pf1/maillog") sent, $(grep -c 'status=deferred' "$work/pf1/maillog") deferred, $(grep -c 'warning' "$work/pf1/maillog") warnings"
  fi
  if [ -n "$gateway_cmd" ]; then
    bash -c "$gateway_cmd" >"$work/gateway.log" 2>&1 &
    gw=$!
    pids+=($gw)
    for _ in $(seq 1 300); do grep -q "listening on" "$work/gateway.log" && break; kill -0 $gw 2>/dev/null || break; sleep 0.1; done
    endpoint=$(grep -m1 -o "listening on [^ ]*" "$work/gateway.log" | cut -d' ' -f3) || { cat "$work/gateway.log" >&2; exit 1; }
    measure "gateway $mode" "${endpoint##*:}"
    kill $gw; wait $gw 2>/dev/null || true
  fi
} | tee -a bench/results/relay.txt
