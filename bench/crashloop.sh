#!/usr/bin/env bash
# Crash loop (issue 16, item 5): N times (default 100), start a Release node on the same spool and Maildir, drive it
# with concurrent SMTP clients and SIGKILL it at one crash point, in turn: mid-body (from outside, every client in
# the middle of a body), data, committed and delivering (the TEST_GATEWAY_CRASH_POINT hook, at a random Nth arrival),
# and after a random 0.3-3 s of load. Then a node without the hook drains the spool and bench/crashloop.py checks that
# every message answered 250 is in the Maildir exactly once and whole, that nothing refused or cut off before its
# final dot is there, that nothing is in tmp/, and counts the messages committed but never answered (their
# connection died after the final dot) that were delivered: allowed, RFC 5321 section 6.1.
# A bench script, not a test: CI does not run it. Run it under the bench lock:
#   flock /tmp/gateway-bench.lock bench/crashloop.sh [-n ITERATIONS] [-c CLIENTS] [-s SEED] [-k]
# -k keeps the work directory (spool, Maildir, gateway.log). The summary goes to bench/results/crashloop.json.
set -euo pipefail
cd "$(dirname "$0")/.."
iterations=100 clients=8 seed=$(date +%s) keep=0
while getopts "n:c:s:k" opt; do
  case $opt in
    n) iterations=$OPTARG ;;
    c) clients=$OPTARG ;;
    s) seed=$OPTARG ;;
    k) keep=1 ;;
    *) echo "usage: $0 [-n ITERATIONS] [-c CLIENTS] [-s SEED] [-k]" >&2; exit 64 ;;
  esac
done

flock /tmp/gateway-build.lock dotnet build -c Release -v q --nologo src/Gateway/Gateway.csproj >/dev/null
work=$(mktemp -d /tmp/crashloop.XXXXXX)
cleanup() { if [ "$keep" = 0 ]; then rm -rf "$work"; else echo "crashloop: kept $work"; fi; }
trap cleanup EXIT
mkdir -p bench/results
python3 bench/crashloop.py -n "$iterations" --clients "$clients" --seed "$seed" --work "$work" \
  --dll "$PWD/src/Gateway/bin/Release/net10.0/gateway.dll" --summary bench/results/crashloop.json \
  | tee bench/results/crashloop.txt
exit "${PIPESTATUS[0]}"
