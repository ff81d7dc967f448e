#!/usr/bin/env bash
# How long a `gateway map push` takes to decide sessions on every node of a 3-node cluster (issue 14), measured on
# three gateway processes started by deploy/local-cluster.sh (loopback). Each round publishes a map through node 1's
# control socket (what `gateway map push` sends) and polls every node with real SMTP sessions until each one's reply
# to MAIL shows the new map: `TLS_Clt:127.0.0.1 ENCR:128` refuses a client in clear (454 4.7.0), an empty map takes it
# (250). The clock starts when the request is written to the socket; it includes the node's own check of the file.
#
# Usage: bench/map-propagation.sh [ROUNDS]   (default 10; the map alternates, so each round is a real change)
# Results are printed and appended to bench/results/map-propagation.txt (not committed).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-10}
export LOCAL_CLUSTER_DIR
LOCAL_CLUSTER_DIR=$(mktemp -d /tmp/gateway-mapbench.XXXXXX)
trap '"$root/deploy/local-cluster.sh" stop >/dev/null 2>&1 || true' EXIT

"$root/deploy/local-cluster.sh" start --no-proxy >/dev/null
mkdir -p "$root/bench/results"
python3 - "$LOCAL_CLUSTER_DIR" "$rounds" <<'PY' | tee -a "$root/bench/results/map-propagation.txt"
import json, os, socket, statistics, sys, time

state, rounds = sys.argv[1], int(sys.argv[2])
nodes = []
for n in (1, 2, 3):
    config = json.load(open(f"{state}/node{n}.json"))
    host, port = config["Smtp"]["Listen"][0].rsplit(":", 1)
    nodes.append(((host, int(port)), f'{config["Queue"]["Directory"]}/control.sock'))

maps = {"refuse": "TLS_Clt:127.0.0.1 ENCR:128\n", "take": "# no entries: the built-in rules\n"}
files = {}
for name, text in maps.items():
    path = f"{state}/access-{name}"
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o644)
    files[name] = path

def mail_reply(address):
    with socket.create_connection(address, timeout=10) as s:
        f = s.makefile("rb")
        def reply():
            while True:
                line = f.readline().decode()
                if len(line) < 4 or line[3] != "-":
                    return line
        reply()
        s.sendall(b"EHLO bench.example\r\n"); reply()
        s.sendall(b"MAIL FROM:<a@example.com>\r\n"); code = reply()[:3]
        s.sendall(b"QUIT\r\n"); reply()
        return code

def push(path):
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(nodes[0][1])
        s.sendall((json.dumps({"op": "map-push", "file": path}) + "\n").encode())
        return json.loads(s.makefile().readline())

answered, everywhere = [], []
push(files["take"])
for r in range(rounds):
    name = "refuse" if r % 2 == 0 else "take"
    want = "454" if name == "refuse" else "250"
    start = time.monotonic()
    answer = push(files[name])
    t_answer = time.monotonic() - start
    assert answer["ok"], answer
    pending = set(range(3))
    while pending:
        for i in list(pending):
            if mail_reply(nodes[i][0]) == want:
                pending.discard(i)
    t_all = time.monotonic() - start
    answered.append(t_answer * 1000); everywhere.append(t_all * 1000)
    print(f"round {r + 1}: {name:6} answered {t_answer * 1000:6.1f} ms, deciding on all 3 nodes after {t_all * 1000:6.1f} ms")
print(f"== {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())} {rounds} rounds, 3 nodes on loopback: push answered "
      f"median {statistics.median(answered):.1f} ms (max {max(answered):.1f}); sessions decided by the new map on every node "
      f"median {statistics.median(everywhere):.1f} ms (max {max(everywhere):.1f})")
PY
