#!/usr/bin/env bash
# testssl.sh (Debian's `testssl`) against a gateway's STARTTLS, judged: exit 1 on any finding that testssl marks
# VULNERABLE or NOT ok, or rates MEDIUM or worse, other than those the test PKI causes by design (a private CA that
# no client trusts, no CRL or OCSP URL, no CAA record, no OCSP stapling, a name that is not the target's).
#
#   bench/testssl.sh                 start a node of its own (Release build) with an ECDSA and an RSA certificate
#                                    from a fresh `gateway ca`, test it, stop it
#   bench/testssl.sh HOST:PORT       test a running gateway's SMTP port (STARTTLS) instead
#
# Prints every judged finding (id, severity, finding) and the summary lines operators look for (protocols, CBC,
# curves, resumption); the full report and its JSON stay under $TESTSSL_DIR (default a temporary directory).
# Needs: testssl (apt-get install testssl.sh), python3, the .NET SDK for the build. Takes about 5 minutes.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
gateway="$root/src/Gateway/bin/Release/net10.0/gateway"
work=${TESTSSL_DIR:-$(mktemp -d /tmp/gateway-testssl.XXXXXX)}
mkdir -p "$work"
command -v testssl >/dev/null || { echo "testssl.sh: testssl is not installed (apt-get install testssl.sh)" >&2; exit 2; }

pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; true; }
trap cleanup EXIT

target=${1:-}
if [ -z "$target" ]; then
  ${TESTSSL_BUILD_LOCK:+flock "$TESTSSL_BUILD_LOCK"} dotnet build "$root/src/Gateway" -c Release -v q -nologo >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 2; }
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$gateway" ca init --out "$work/ca" >/dev/null
  "$gateway" ca issue --ca "$work/ca" --cn mx.testssl.example --out "$work/ec" >/dev/null
  "$gateway" ca issue --ca "$work/ca" --cn mx.testssl.example --rsa --out "$work/rsa" >/dev/null
  "$gateway" run --Smtp:Listen:0=127.0.0.1:$port --Smtp:Hostname=mx.testssl.example --Http:Listen= --Cluster:Port=0 \
    --Queue:Directory="$work/spool" --Delivery:Maildir="$work/mail" \
    --Tls:ServerCertFile="$work/ec/mx.testssl.example.crt" --Tls:ServerKeyFile="$work/ec/mx.testssl.example.key" \
    --Tls:SecondServerCertFile="$work/rsa/mx.testssl.example.crt" --Tls:SecondServerKeyFile="$work/rsa/mx.testssl.example.key" \
    >"$work/gateway.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do
    grep -q "listening" "$work/gateway.log" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/gateway.log" >&2; exit 2; }
    sleep 0.2
  done
  target=127.0.0.1:$port
fi

echo "testssl.sh: testing STARTTLS on $target (report in $work)" >&2
set +e
testssl --quiet --color 0 --warnings off --starttls smtp --jsonfile "$work/testssl.json" "$target" >"$work/testssl.txt" 2>&1
set -e
[ -s "$work/testssl.json" ] || { cat "$work/testssl.txt" >&2; echo "testssl.sh: testssl wrote no JSON" >&2; exit 2; }

grep -E "^ (TLS 1|SSLv|Obsolete CBC|Strong encryption|Elliptic curves|Session Resumption|Negotiated cipher)" "$work/testssl.txt" || true

python3 - "$work/testssl.json" <<'PY'
import json, sys
findings = json.load(open(sys.argv[1]))
# What a private test PKI causes by design, not the gateway's TLS.
pki = {"cert_chain_of_trust", "cert_trust", "cert_crlDistributionPoints", "cert_ocspURL", "cert_revocation",
       "DNS_CAArecord", "OCSP_stapling", "cert_mustStapleExtension", "cert_certificatePolicies_EV",
       "cert_validityPeriod", "cert_extlifeSpan"}
bad, excused = [], []
for f in findings:
    id, severity, finding = f.get("id", ""), f.get("severity", ""), f.get("finding", "")
    flagged = "VULNERABLE" in finding.upper() and "NOT VULNERABLE" not in finding.upper() \
        or "NOT OK" in finding.upper() or severity in ("MEDIUM", "HIGH", "CRITICAL")
    if flagged:
        (excused if id.split()[0] in pki else bad).append((id, severity, finding))
for id, severity, finding in excused:
    print(f"  excused (test PKI)  {id:32} {severity:8} {finding}")
for id, severity, finding in bad:
    print(f"  FINDING             {id:32} {severity:8} {finding}")
print(f"testssl.sh: {len(bad)} finding(s), {len(excused)} excused as the test PKI's, of {len(findings)} checks")
sys.exit(1 if bad else 0)
PY
