#!/usr/bin/env bash
# Clock jumps end to end (issue 16, item 5): a Release node runs under libfaketime with its wall clock read from a
# file (FAKETIME_TIMESTAMP_FILE) and its monotonic clock real (FAKETIME_DONT_FAKE_MONOTONIC=1), as after `date -s` or
# NTP stepping the clock. One message to a next hop that is down is deferred (Queue:RetrySchedule=10,10), then:
#   back   the wall clock is set back an hour and the next hop comes up: the message must arrive within 60 s
#          (before the fix its retry waited for the hour to pass again);
#   forward the wall clock is set 6 days ahead (past the 5-day Queue:MaxLifetime), the next attempt is deferred
#          again, then the next hop comes up: the message must arrive, not be bounced for its age.
# A bench script, not a test: CI does not run it. Needs Debian's faketime and postfix's smtp-sink; without
# libfaketime it says so and exits 0.  Usage: bench/clockjump.sh
set -euo pipefail
cd "$(dirname "$0")/.."
lib=/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1
if [ ! -e "$lib" ]; then echo "clockjump: skipped: libfaketime is not installed (apt-get install faketime)"; exit 0; fi
command -v smtp-sink >/dev/null || { echo "clockjump: smtp-sink (Debian postfix) is needed" >&2; exit 69; }
command -v swaks >/dev/null || { echo "clockjump: swaks is needed" >&2; exit 69; }

flock /tmp/gateway-build.lock dotnet build -c Release -v q --nologo src/Gateway/Gateway.csproj >/dev/null
dll=$PWD/src/Gateway/bin/Release/net10.0/gateway.dll
work=$(mktemp -d /tmp/clockjump.XXXXXX)
gw="" sink=""
cleanup() { kill $gw $sink 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { # FILE PATTERN SECONDS
  for _ in $(seq 1 $(( $3 * 10 ))); do grep -q -- "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done; return 1
}

run_case() { # NAME STEP DEFERRALS_BEFORE_SINK
  local name=$1 step=$2 deferrals=$3 dir="$work/$1" port
  mkdir -p "$dir"
  port=$(free_port)
  echo "+0" >"$dir/offset"
  echo "Connect:127.0.0.1 RELAY" >"$dir/access"
  LD_PRELOAD=$lib FAKETIME_TIMESTAMP_FILE="$dir/offset" FAKETIME_CACHE_DURATION=1 FAKETIME_DONT_FAKE_MONOTONIC=1 \
    dotnet "$dll" run --Smtp:Listen:0=127.0.0.1:0 --Cluster:Port=0 --Http:Listen= --Dns:ReverseLookup=false \
    --Smtp:Hostname=mx.clockjump.example --Queue:Directory="$dir/spool" --Delivery:Maildir="$dir/mail" \
    --Access:MapFile="$dir/access" --Delivery:Routes:remote.example="smtp:[127.0.0.1]:$port" \
    --Queue:RetrySchedule=10,10 --Logging:LogLevel=9 >"$dir/gateway.log" 2>&1 &
  gw=$!
  wait_for "$dir/gateway.log" "gateway: listening on" 60 || { echo "clockjump: $name: the node did not start"; cat "$dir/gateway.log"; return 1; }
  local endpoint
  endpoint=$(grep -m1 -o "gateway: listening on [^ ]*" "$dir/gateway.log" | cut -d" " -f4)
  swaks --silent 2 --server "$endpoint" --from alice@client.example --to bob@remote.example \
    --header "Subject: clock jump $name" >/dev/null
  wait_for "$dir/gateway.log" "stat=Deferred" 30 || { echo "clockjump: $name: no first deferral"; return 1; }
  echo "$step" >"$dir/offset"
  local stepped=$SECONDS
  if [ "$deferrals" -gt 1 ]; then
    for _ in $(seq 1 600); do [ "$(grep -c "stat=Deferred" "$dir/gateway.log")" -ge "$deferrals" ] && break; sleep 0.1; done
  fi
  smtp-sink $( [ "$(id -u)" = 0 ] && echo "-u nobody") -c "127.0.0.1:$port" 10 >"$dir/sink.out" 2>&1 &
  sink=$!
  if wait_for "$dir/sink.out" "mesg=1" 60; then
    echo "clockjump: $name ($step): PASS: the next hop had the message $((SECONDS - stepped)) s after the step"
  else
    echo "clockjump: $name ($step): FAIL: not delivered within 60 s of the next hop coming up"; grep "stat=\|queue:" "$dir/gateway.log" | tail -5
    failed=1
  fi
  kill $gw $sink 2>/dev/null || true; wait $gw $sink 2>/dev/null || true; gw="" sink=""
}

failed=0
run_case back -1h 1
run_case forward +6d 2
exit $failed
