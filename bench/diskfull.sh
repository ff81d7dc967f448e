#!/usr/bin/env bash
# Disk full under load (issue 16, item 5), end to end: a Release node whose spool and Maildir are on a small tmpfs
# of their own, driven by smtpload.js (20 clients, 8 KB messages) while the disk fills up, then again once room
# returns, without a restart. DiskFullTests checks the same one message at a time in `dotnet test`; this puts
# concurrent sessions on it. A benchmark script, not a test: CI does not run it.
#
#   1. fill: a filler file takes all but --headroom of the disk, and the load runs until it has seen 452s;
#   2. room: the filler is deleted; a probe sends one message every 0.1 s until one is taken (the spool reopens
#      RocksDB at most once a second, so the first may still get 452), then the same load runs again;
#   3. drain: wait until the Maildir holds as many messages as the clients got 250 for (nothing else is queued).
# Passes when: phase 1 saw `452 4.3.1` and no other failure, the probe got through, phase 2's load had no failure at
# all, the Maildir count equals the 250s of both phases and the probe (nothing acknowledged lost, nothing refused delivered), every delivered message is whole
# (its body is the client's, byte for byte), and nothing is left in any tmp/.
# Usage: sudo bench/diskfull.sh [--size 64] [--headroom 3] [-n 3000]     (MB, MB, messages per phase)
# Results: printed and appended to bench/results/diskfull.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
size=64 headroom=3 n=3000
while [ $# -gt 0 ]; do
  case $1 in
    --size) size=$2; shift ;;
    --headroom) headroom=$2; shift ;;
    -n) n=$2; shift ;;
    *) echo "diskfull.sh: unknown switch $1" >&2; exit 2 ;;
  esac
  shift
done
[ "$(id -u)" = 0 ] || { echo "diskfull.sh: mounting a tmpfs needs root" >&2; exit 1; }
smtpload=/work/shared/bench/smtpload.js
flock /tmp/gateway-build.lock dotnet build -c Release -v q --nologo src/Gateway/Gateway.csproj >/dev/null

work=$(mktemp -d /tmp/diskfull-XXXXXX)
disk=$work/disk
mkdir -p "$disk"
gw=""
cleanup() {
  [ -n "$gw" ] && { kill "$gw" 2>/dev/null || true; wait "$gw" 2>/dev/null || true; }
  umount "$disk" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mount -t tmpfs -o "size=${size}m" tmpfs "$disk"

dotnet src/Gateway/bin/Release/net10.0/gateway.dll run --Smtp:Listen:0=127.0.0.1:0 --Smtp:Hostname=full.bench.test \
  --Cluster:Port=0 --Http:Listen= --Logging:LogLevel=5 --Queue:RetrySchedule=1,2 \
  --Queue:Directory="$disk/spool" --Delivery:Maildir="$disk/mail" >"$work/gateway.log" 2>&1 &
gw=$!
for _ in $(seq 1 300); do grep -q "gateway: listening on" "$work/gateway.log" && break; kill -0 $gw 2>/dev/null || break; sleep 0.1; done
endpoint=$(grep -m1 -o "gateway: listening on [^ ]*" "$work/gateway.log" | cut -d' ' -f4) || { cat "$work/gateway.log" >&2; exit 1; }
port=${endpoint##*:}

load() { node "$smtpload" --port "$port" -c 20 -n "$n" --size 8192 --to full@localhost --timeout 600 || true; }
free_mb() { df -m --output=avail "$disk" | tail -1 | tr -d ' '; }

# Phase 1: all but the headroom taken; the load fills the rest.
fill=$(( $(free_mb) - headroom ))
[ "$fill" -gt 0 ] && dd if=/dev/zero of="$disk/filler" bs=1M count="$fill" status=none
full_json=$(load)
full_free=$(free_mb)
# Phase 2: room again, same node. The spool reopens RocksDB (which refuses every write after ENOSPC) at most once a
# second, so the first messages after the room returns may still get 452: probe once every 0.1 s until one is taken
# (and count it), then the load must go through without a single failure.
rm -f "$disk/filler"
recovery=$(python3 - "$port" <<'PY'
import smtplib, sys, time
start = time.monotonic()
body = "Subject: load\r\nFrom: <load@example.org>\r\nTo: <full@localhost>\r\n\r\n"
line = "X" * 76 + "\r\n"
while len(body) < 8192:
    body += line
for attempt in range(600):
    try:
        with smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=30) as smtp:
            smtp.sendmail("load@example.org", ["full@localhost"], body)
        print(f"{time.monotonic() - start:.2f} {attempt}")
        sys.exit(0)
    except smtplib.SMTPDataError as e:
        if e.smtp_code != 452:
            raise
        time.sleep(0.1)
print("never 0")
sys.exit(1)
PY
)
room_json=$(load)

# Phase 3: every acknowledged message delivered.
accepted=$(python3 -c 'import json,sys; print(sum(json.loads(a)["sent"] for a in sys.argv[1:]) + 1)' "$full_json" "$room_json")
count() { find "$disk/mail" -path '*/new/*' -type f 2>/dev/null | wc -l; }
last=-1 same=0
for _ in $(seq 1 1200); do
  c=$(count)
  [ "$c" -ge "$accepted" ] && break
  if [ "$c" = "$last" ]; then same=$((same + 1)); else same=0; fi
  [ $same -ge 300 ] && break
  last=$c
  sleep 0.1
done

mkdir -p bench/results
python3 - "$full_json" "$room_json" "$accepted" "$(count)" "$disk/mail" "$size" "$headroom" "$full_free" "$recovery" <<'PY' | tee -a bench/results/diskfull.txt
import json, os, sys, glob, datetime
full, room = json.loads(sys.argv[1]), json.loads(sys.argv[2])
accepted, delivered, mail, size, headroom, full_free = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6], sys.argv[7], sys.argv[8]
recovery_seconds, refused_before = sys.argv[9].split()
# smtpload.js's body: headers, blank line, 76 X per line to --size, then the end of data.
line = "X" * 76 + "\r\n"
body = ""
header = "Subject: load\r\nFrom: <load@example.org>\r\nTo: <full@localhost>\r\n\r\n"
while len(header) + len(body) < 8192:
    body += line
whole = broken = 0
for path in glob.glob(os.path.join(mail, "*", "new", "*")):
    data = open(path, "rb").read().decode("latin1")
    at = data.find("\r\n\r\n") if "\r\n\r\n" in data else data.find("\n\n")
    rest = data[at:].lstrip("\r\n")
    if rest.replace("\r\n", "\n") == body.replace("\r\n", "\n"):
        whole += 1
    else:
        broken += 1
leftover = sum(len(os.listdir(d)) for d in glob.glob(os.path.join(mail, "*", "tmp")))
full_errors = full.get("errors") or {}
refused_452 = sum(v for k, v in full_errors.items() if "452 4.3.1" in k)
other_full = sum(v for k, v in full_errors.items() if "452 4.3.1" not in k)
ok = refused_452 > 0 and other_full == 0 and room["failed"] == 0 and delivered == accepted and broken == 0 and leftover == 0
print(f"== {datetime.datetime.utcnow():%Y-%m-%dT%H:%M:%SZ} tmpfs {size} MB, headroom {headroom} MB, 20 clients, 8 KB messages")
print(f"disk full:  250 {full['sent']}, 452 4.3.1 {refused_452}, other failures {other_full} {full_errors if other_full else ''}, {full_free} MB free at the end")
print(f"room again: the first message taken {recovery_seconds} s after the filler went ({refused_before} refused with 452 before it)")
print(f"then:       250 {room['sent']}, failed {room['failed']} {room.get('errors') or ''}, {room['msgs_per_s']} msgs/s")
print(f"Maildir:    {delivered} delivered of {accepted} acknowledged, {whole} whole, {broken} not the client's body, {leftover} left in tmp/")
print("PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
PY
