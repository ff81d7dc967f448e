#!/usr/bin/env bash
# Same load against this gateway and against Postfix (issue 4, item 4), plain and with STARTTLS,
# printing the ratio. A benchmark, not a test: it is not run by CI.
#
# Postfix: the Debian package, reconfigured for the run (main.cf and master.cf are backed up and
# restored on exit): smtpd on 127.0.0.1:2527 with an ECDSA P-256 certificate from `gateway ca`,
# queue synced before 250 as Postfix always does, relaying everything to smtp-sink on
# 127.0.0.1:2628. The gateway delivers to local Maildir instead (it has no relay yet), which
# costs it two fsyncs per message that Postfix's relaying does not make.
# Usage: bench/compare.sh [--messages N]      (needs root for Postfix; installs it if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
messages=${2:-10000}

if ! command -v postfix >/dev/null; then
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postfix >/dev/null
fi

dotnet build -c Release -v q --nologo src/Gateway/Gateway.csproj >/dev/null
dotnet build -c Release -v q --nologo bench/SmtpBench/SmtpBench.csproj >/dev/null
gateway="dotnet src/Gateway/bin/Release/net10.0/gateway.dll"
bench="dotnet bench/SmtpBench/bin/Release/net10.0/smtp-bench.dll"

work=$(mktemp -d)
chmod 755 "$work"
cp /etc/postfix/main.cf "$work/main.cf.orig"
cp /etc/postfix/master.cf "$work/master.cf.orig"
restore() {
  postfix stop >/dev/null 2>&1 || true
  cp "$work/main.cf.orig" /etc/postfix/main.cf
  cp "$work/master.cf.orig" /etc/postfix/master.cf
  kill ${sink:-} 2>/dev/null || true
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
smtp-sink -c 127.0.0.1:2628 1000 >/dev/null 2>&1 &
sink=$!
postfix stop >/dev/null 2>&1 || true
postfix start >/dev/null
for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/2527) 2>/dev/null && break; sleep 0.2; done

run() { # label, bench args...
  local label=$1; shift
  $bench 127.0.0.1:2527 --rcpt bench@sink.example "$@" | grep msgs/s | sed "s/^/postfix  $label: /"
}
echo "== $(date -u +%FT%TZ) $(git rev-parse --short HEAD) $(nproc) cores"
pf_plain=$(run plain --clients 50 --messages "$messages" --size 2048 --warmup 1000)
pf_tls=$(run starttls --clients 50 --messages "$messages" --size 2048 --warmup 2000 --starttls --bc-client)
postfix stop >/dev/null
echo "$pf_plain"
echo "$pf_tls"
gw_plain=$(bench/run.sh --clients 50 --messages "$messages" --size 2048 --warmup 5000 | grep msgs/s | sed "s/^/gateway  plain: /")
gw_tls=$(bench/run.sh --clients 50 --messages "$messages" --size 2048 --warmup 10000 --starttls --bc-client | grep msgs/s | sed "s/^/gateway  starttls: /")
echo "$gw_plain"
echo "$gw_tls"
rate() { grep -o "msgs/s [0-9]*" <<<"$1" | cut -d' ' -f2; }
echo "ratio plain:    $(awk -v g="$(rate "$gw_plain")" -v p="$(rate "$pf_plain")" 'BEGIN{printf "%.2f", g/p}') (gateway/postfix)"
echo "ratio starttls: $(awk -v g="$(rate "$gw_tls")" -v p="$(rate "$pf_tls")" 'BEGIN{printf "%.2f", g/p}') (gateway/postfix)"
