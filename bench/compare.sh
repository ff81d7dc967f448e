#!/usr/bin/env bash
# Same load against this gateway and against Postfix (issue 4, item 4), plain and with STARTTLS,
# printing the ratio. A benchmark, not a test: it is not run by CI.
#
# Postfix: the Debian package, reconfigured for the run (main.cf and master.cf are backed up and
# restored on exit): smtpd on 127.0.0.1:2527 with an ECDSA P-256 certificate from `gateway ca`,
# queue synced before 250 as Postfix always does, relaying everything to smtp-sink on
# 127.0.0.1:2628. The gateway delivers to local Maildir instead (it has no relay yet), which
# costs it two fsyncs per message that Postfix's relaying does not make.
# Both are driven by `gateway load` from this build: 50 clients, 2 KB, one message per connection,
# the same warm-up; STARTTLS with BouncyCastle's client engine against Postfix's OpenSSL and the
# gateway's BouncyCastle. The JSON reports are kept in bench/results/compare-*.json.
# Usage: bench/compare.sh [-n MESSAGES]      (needs root for Postfix; installs it if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
messages=${2:-10000}

if ! command -v postfix >/dev/null; then
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postfix >/dev/null
fi

dotnet build -c Release -v q --nologo src/Gateway/Gateway.csproj >/dev/null
gateway="dotnet src/Gateway/bin/Release/net10.0/gateway.dll"

work=$(mktemp -d)
chmod 755 "$work"
cp /etc/postfix/main.cf "$work/main.cf.orig"
cp /etc/postfix/master.cf "$work/master.cf.orig"
restore() {
  postfix stop >/dev/null 2>&1 || true
  postsuper -d ALL >/dev/null 2>&1 || true
  cp "$work/main.cf.orig" /etc/postfix/main.cf
  cp "$work/master.cf.orig" /etc/postfix/master.cf
  kill ${sink:-} ${gw:-} 2>/dev/null || true
  rm -rf "$work"
}
trap restore EXIT

mkdir -p /etc/postfix/bench-tls
$gateway ca init --out "$work/ca" --cn "Bench CA" >/dev/null
$gateway ca issue --ca "$work/ca" --cn postfix.bench.test --out "$work/pf" >/dev/null
install -m 0644 "$work/pf/postfix.bench.test.crt" /etc/postfix/bench-tls/server.crt
install -m 0600 "$work/pf/postfix.bench.test.key" /etc/postfix/bench-tls/server.key

cat > /etc/postfix/main.cf <<CF
compatibility_level = 3.6
myhostname = postfix.bench.test
mydestination =
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relayhost = [127.0.0.1]:2628
smtpd_relay_restrictions = permit_mynetworks, reject
smtpd_client_connection_count_limit = 0
smtpd_client_connection_rate_limit = 0
default_process_limit = 200
smtpd_tls_cert_file = /etc/postfix/bench-tls/server.crt
smtpd_tls_key_file = /etc/postfix/bench-tls/server.key
smtpd_tls_security_level = may
smtp_tls_security_level = none
CF
cat > /etc/postfix/master.cf <<CF
127.0.0.1:2527 inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
CF
# smtp-sink refuses to run as root without -u; without a sink Postfix queues everything and
# throttles itself (in_flow_delay), which would measure the wrong thing. Check that it listens.
smtp-sink -u nobody -c 127.0.0.1:2628 1000 >/dev/null 2>&1 &
sink=$!
for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/2628) 2>/dev/null && break; sleep 0.1; done
(exec 3<>/dev/tcp/127.0.0.1/2628) 2>/dev/null || { echo "smtp-sink did not start on 127.0.0.1:2628" >&2; exit 1; }
postsuper -d ALL >/dev/null 2>&1 || true
postfix stop >/dev/null 2>&1 || true
postfix start >/dev/null
for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/2527) 2>/dev/null && break; sleep 0.2; done

mkdir -p bench/results
common=(-c 50 -n "$messages" --size 2048 --warmup 10)
summary() { # label, json: one line with the rate and the percentiles
  python3 - "$1" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[2]))
l = r["latencyMs"]
hs = f"  handshake p50 {l['handshake']['p50']:.1f} p99 {l['handshake']['p99']:.1f} ms" if r["startTls"] else ""
print(f"{sys.argv[1]:<18} msgs/s {r['messagesPerSecond']:7.1f}  transaction p50 {l['transaction']['p50']:.1f} p90 {l['transaction']['p90']:.1f} "
      f"p99 {l['transaction']['p99']:.1f} p99.9 {l['transaction']['p999']:.1f} ms  session p50 {l['session']['p50']:.1f} p99 {l['session']['p99']:.1f} ms"
      f"{hs}  accepted {r['accepted']}/{r['attempted']}  errors {sum(e['count'] for e in r['errors'].values())}  client CPU {r['processCpuSeconds']:.1f} s")
PY
}
load() { # name, target, extra switches...
  local name=$1 target=$2; shift 2
  $gateway load --target "$target" "${common[@]}" --json "bench/results/compare-$name.json" "$@" >"bench/results/compare-$name.txt" 2>&1 || true
  summary "$name" "bench/results/compare-$name.json"
}
echo "== $(date -u +%FT%TZ) $(git rev-parse --short HEAD) $(nproc) cores"
pf_plain=$(load postfix-plain 127.0.0.1:2527 --to bench@sink.example)
pf_tls=$(load postfix-starttls 127.0.0.1:2527 --to bench@sink.example --starttls)
postfix stop >/dev/null
echo "$pf_plain"
echo "$pf_tls"

# The gateway, configured alike: loopback, synced spool, generated ECDSA P-256 certificate.
glog="$work/gateway.log"
$gateway run --Smtp:Listen:0=127.0.0.1:0 --Smtp:Hostname=bench.test --Cluster:Port=0 \
  --Smtp:MaxConnectionsPerClient=1000 --Logging:LogLevel=1 \
  --Queue:Directory="$work/spool" --Delivery:Maildir="$work/mail" >"$glog" 2>&1 &
gw=$!
for _ in $(seq 1 300); do grep -q "listening on" "$glog" && break; sleep 0.1; done
endpoint=$(grep -m1 -o "listening on [^ ]*" "$glog" | cut -d' ' -f3)
gw_plain=$(load gateway-plain "$endpoint")
gw_tls=$(load gateway-starttls "$endpoint" --starttls)
kill $gw; wait $gw 2>/dev/null || true
echo "$gw_plain"
echo "$gw_tls"
rate() { grep -o "msgs/s *[0-9.]*" <<<"$1" | awk '{print $2}'; }
echo "ratio plain:    $(awk -v g="$(rate "$gw_plain")" -v p="$(rate "$pf_plain")" 'BEGIN{printf "%.2f", g/p}') (gateway/postfix)"
echo "ratio starttls: $(awk -v g="$(rate "$gw_tls")" -v p="$(rate "$pf_tls")" 'BEGIN{printf "%.2f", g/p}') (gateway/postfix)"
