#!/usr/bin/env python3
"""Crash loop (issue 16, item 5): SIGKILL a gateway node at each crash point, again and again, and check the promise
behind every 250. Run by bench/crashloop.sh, which builds and locks; see there for usage.

Each iteration starts the node on the same spool and Maildir, drives it with concurrent SMTP clients that send
messages with unique Message-IDs (and record exactly what each got after the end of data), and kills it at one point:

  mid-body    from outside, once every client is in the middle of a body (DATA sent, the final dot not yet)
  data        TEST_GATEWAY_CRASH_POINT=data:after-N      the Nth end of data, before the spool commit starts
  committed   TEST_GATEWAY_CRASH_POINT=committed:after-N the Nth commit synced, before its 250 is sent
  delivering  TEST_GATEWAY_CRASH_POINT=delivering:after-N the Nth Maildir delivery written, before the queue hears of it
  random      from outside, after a random 0.3-3 s of load

At the end a node without the hook drains the spool and the Maildir is checked: every message answered 250 is there
exactly once and whole (body and size compared); one whose connection died after its final dot without a reply may be
there once ("delivered, unacknowledged": committed before the 250, RFC 5321 section 6.1) or not at all; one refused, or
cut off before its final dot, is not there; nothing unknown; nothing left in tmp/.
"""
import argparse
import hashlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time

MODES = ["mid-body", "data", "committed", "delivering", "random"]
RCPT = "bob@localhost"


def body_of(mid, size):
    """A body of about `size` bytes derived from the id; some lines start with a dot (to be stuffed)."""
    rnd = random.Random(mid)
    lines = []
    total = 0
    while total < size:
        n = rnd.randint(1, 120)
        line = "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz0123456789 .") for _ in range(n))
        if rnd.random() < 0.05:
            line = "." + line
        lines.append(line)
        total += len(line) + 2
    return ("\r\n".join(lines) + "\r\n").encode()


class Ledger:
    def __init__(self):
        self.lock = threading.Lock()
        self.items = {}

    def set(self, mid, **kw):
        with self.lock:
            self.items.setdefault(mid, {}).update(kw)


class Conn:
    def __init__(self, endpoint):
        host, port = endpoint.rsplit(":", 1)
        self.sock = socket.create_connection((host, int(port)), timeout=60)
        self.buf = b""

    def line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line.decode("latin-1")

    def reply(self):
        while True:
            line = self.line()
            if line is None:
                return None
            if len(line) < 4 or line[3] != "-":
                return line

    def command(self, text):
        self.sock.sendall(text.encode() + b"\r\n")
        return self.reply()


def client(ctx, cid, endpoint, ledger, it, mid_body_after):
    seq = 0
    try:
        c = Conn(endpoint)
        if not (c.reply() or "").startswith("220"):
            return
        c.command("EHLO crashloop.example")
        while not ctx["stop"].is_set():
            mid = f"crashloop-{it}-{cid}-{seq}@client.example"
            seq += 1
            if not (c.command("MAIL FROM:<alice@client.example>") or "").startswith("250"):
                return
            if not (c.command(f"RCPT TO:<{RCPT}>") or "").startswith("250"):
                return
            if not (c.command("DATA") or "").startswith("354"):
                return
            size = random.randint(200, 32768)
            body = body_of(mid, size)
            head = f"Message-ID: <{mid}>\r\nFrom: <alice@client.example>\r\nTo: <{RCPT}>\r\nSubject: crash loop {it}\r\n\r\n".encode()
            stuffed = b"\r\n".join((b"." + l if l.startswith(b".") else l) for l in body.split(b"\r\n"))
            ledger.set(mid, state="cut", it=it, sha=hashlib.sha256(body).hexdigest(), size=len(body))
            if mid_body_after is not None and seq > mid_body_after:
                half = len(stuffed) // 2
                c.sock.sendall(head + stuffed[:half])
                ctx["arrived"].release()
                ctx["stop"].wait()
                c.sock.sendall(stuffed[half:])
                return
            c.sock.sendall(head + stuffed + b".\r\n")
            ledger.set(mid, state="no-reply")
            r = c.reply()
            if r is None:
                return
            ledger.set(mid, state="acked" if r.startswith("250 ") else "refused", reply=r)
    except OSError:
        return


class Node:
    def __init__(self, args, crash=None):
        env = dict(os.environ)
        env.pop("TEST_GATEWAY_CRASH_POINT", None)
        if crash:
            env["TEST_GATEWAY_CRASH_POINT"] = crash
        self.log = open(os.path.join(args.work, "gateway.log"), "ab")
        self.log.write(f"==== start {crash or 'no hook'}\n".encode())
        self.p = subprocess.Popen(
            ["dotnet", args.dll, "run", "--Smtp:Listen:0=127.0.0.1:0", "--Cluster:Port=0", "--Http:Listen=",
             "--Dns:ReverseLookup=false", "--Smtp:Hostname=mx.crashloop.example",
             f"--Queue:Directory={args.work}/spool", f"--Delivery:Maildir={args.work}/mail", "--Logging:LogLevel=1"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
        self.hooked = False
        self.endpoint = None
        deadline = time.time() + 120
        for raw in self.p.stdout:
            self.log.write(raw)
            line = raw.decode(errors="replace")
            if line.startswith("gateway: listening on "):
                self.endpoint = line.split()[3]
                break
            if time.time() > deadline:
                break
        if not self.endpoint:
            self.p.kill()
            raise SystemExit(f"the gateway did not start; see {args.work}/gateway.log")
        self.reader = threading.Thread(target=self._drain, daemon=True)
        self.reader.start()

    def _drain(self):
        for raw in self.p.stdout:
            self.log.write(raw)
            if b"reached: SIGKILL" in raw:
                self.hooked = True

    def kill(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGKILL)
        self.p.wait()
        self.reader.join()
        self.log.flush()

    def wait(self, timeout):
        try:
            self.p.wait(timeout)
            self.reader.join()
            return True
        except subprocess.TimeoutExpired:
            return False

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        self.p.wait(120)
        self.reader.join()
        self.log.close()


def iteration(args, it, mode, ledger):
    after = random.randint(1, args.after_max)
    crash = {"data": f"data:after-{after}", "committed": f"committed:after-{after}",
             "delivering": f"delivering:after-{after}"}.get(mode)
    node = Node(args, crash)
    ctx = {"stop": threading.Event(), "arrived": threading.Semaphore(0)}
    threads = []
    for cid in range(args.clients):
        mid_body_after = random.randint(0, 3) if mode == "mid-body" else None
        t = threading.Thread(target=client, args=(ctx, cid, node.endpoint, ledger, it, mid_body_after), daemon=True)
        t.start()
        threads.append(t)
    how = "outside"
    if mode == "mid-body":
        arrived = sum(1 for _ in range(args.clients) if ctx["arrived"].acquire(timeout=30))
        how = f"outside, {arrived}/{args.clients} clients mid-body"
        node.kill()
    elif mode == "random":
        time.sleep(random.uniform(0.3, 3.0))
        node.kill()
    else:
        if node.wait(60):
            how = "hook" if node.hooked else f"exited {node.p.returncode}"
        else:
            how = "hook not reached in 60 s: killed from outside"
            node.kill()
    ctx["stop"].set()
    for t in threads:
        t.join(60)
    return {"it": it, "mode": mode, "crash": crash, "how": how, "hooked": node.hooked}


def drain(args):
    node = Node(args)
    deadline = time.time() + args.drain_timeout
    while time.time() < deadline:
        out = subprocess.run(["dotnet", args.dll, "queue", "list", "--queue-dir", f"{args.work}/spool", "--json"],
                             capture_output=True, text=True)
        if out.returncode == 0 and not out.stdout.strip():
            break
        time.sleep(2)
    else:
        print("crashloop: the queue did not drain in time", file=sys.stderr)
    node.stop()


def delivered(args):
    """Message-ID -> list of (file, body sha, size) in new/ and cur/; and the files in tmp/."""
    box = os.path.join(args.work, "mail", RCPT)
    found = {}
    unknown = []
    for sub in ("new", "cur"):
        d = os.path.join(box, sub)
        for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
            data = open(os.path.join(d, name), "rb").read()
            header, _, body = data.partition(b"\r\n\r\n")
            mid = None
            for line in header.split(b"\r\n"):
                if line.lower().startswith(b"message-id:"):
                    mid = line.split(b"<", 1)[1].split(b">", 1)[0].decode()
            if mid is None:
                unknown.append(name)
                continue
            found.setdefault(mid, []).append((name, hashlib.sha256(body).hexdigest(), len(body)))
    tmp = os.path.join(box, "tmp")
    return found, unknown, sorted(os.listdir(tmp)) if os.path.isdir(tmp) else []


def check(args, ledger, runs):
    found, unknown, tmp = delivered(args)
    per = {m: {"kills": 0, "hooked": 0, "acked": 0, "delivered": 0, "no_reply": 0, "delivered_unacked": 0,
               "cut_or_refused": 0, "lost": 0, "duplicates": 0, "damaged": 0, "phantom": 0} for m in MODES}
    mode_of = {r["it"]: r["mode"] for r in runs}
    for r in runs:
        per[r["mode"]]["kills"] += 1
        per[r["mode"]]["hooked"] += 1 if r["hooked"] else 0
    problems = []
    for mid, item in ledger.items.items():
        p = per[mode_of[item["it"]]]
        copies = found.get(mid, [])
        whole = all(sha == item["sha"] and size == item["size"] for _, sha, size in copies)
        if copies and not whole:
            p["damaged"] += 1
            problems.append(f"{mid}: delivered content differs from what was sent")
        if len(copies) > 1:
            p["duplicates"] += 1
            problems.append(f"{mid}: delivered {len(copies)} times ({item['state']}): {[c[0] for c in copies]}")
        state = item["state"]
        if state == "acked":
            p["acked"] += 1
            if copies:
                p["delivered"] += 1
            else:
                p["lost"] += 1
                problems.append(f"{mid}: answered 250 ({item.get('reply')}) but not delivered")
        elif state == "no-reply":
            p["no_reply"] += 1
            p["delivered_unacked"] += 1 if copies else 0
        else:
            p["cut_or_refused"] += 1
            if copies:
                p["phantom"] += 1
                problems.append(f"{mid}: {state} ({item.get('reply', 'no final dot')}) but delivered")
    for mid in found:
        if mid not in ledger.items:
            problems.append(f"{mid}: delivered but never sent")
    problems += [f"{name}: no Message-ID" for name in unknown]
    problems += [f"tmp/{name}: left in Maildir tmp/" for name in tmp]
    return per, problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=100)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--after-max", type=int, default=40)
    ap.add_argument("--drain-timeout", type=int, default=300)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    ap.add_argument("--work", required=True)
    ap.add_argument("--dll", required=True)
    ap.add_argument("--summary", required=True)
    args = ap.parse_args()
    random.seed(args.seed)
    ledger = Ledger()
    runs = []
    started = time.time()
    for it in range(args.n):
        mode = MODES[it % len(MODES)]
        run = iteration(args, it, mode, ledger)
        runs.append(run)
        acked = sum(1 for i in ledger.items.values() if i["it"] == it and i["state"] == "acked")
        print(f"crashloop: {it + 1}/{args.n} {mode:<10} {run['crash'] or '':<22} {acked:4} acknowledged; killed by {run['how']}", flush=True)
    drain(args)
    per, problems = check(args, ledger, runs)
    total = {k: sum(p[k] for p in per.values()) for k in next(iter(per.values()))}
    summary = {"iterations": args.n, "clients": args.clients, "seed": args.seed, "seconds": round(time.time() - started),
               "per_point": per, "total": total, "problems": problems[:50], "problem_count": len(problems)}
    with open(args.summary, "w") as f:
        json.dump(summary, f, indent=1)
    print(f"{'point':<11}{'kills':>6}{'hook':>6}{'acked':>7}{'deliv':>7}{'noreply':>8}{'deliv-unacked':>14}{'cut/refused':>12}{'lost':>6}{'dup':>5}{'damaged':>8}{'phantom':>8}")
    for name, p in list(per.items()) + [("total", total)]:
        print(f"{name:<11}{p['kills']:>6}{p['hooked']:>6}{p['acked']:>7}{p['delivered']:>7}{p['no_reply']:>8}{p['delivered_unacked']:>14}"
              f"{p['cut_or_refused']:>12}{p['lost']:>6}{p['duplicates']:>5}{p['damaged']:>8}{p['phantom']:>8}")
    for line in problems[:50]:
        print("PROBLEM " + line)
    print(f"crashloop: {'PASS' if not problems else 'FAIL'} ({len(problems)} problem(s)); {args.n} iterations in {summary['seconds']} s; seed {args.seed}; summary {args.summary}")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
