#!/usr/bin/env node
// The awkward part of bench/soak.sh's mix (issue 16, item 6): sessions that are refused, too big, or
// broken off, each with the reply it must get. Normal mail is sent by gateway load and smtpload.js.
//   node soakmix.js --port P [--host 127.0.0.1] [--rate 5] [--duration 60] [--max-size 1048576]
//        [--to x@localhost] [--blocked blocked@localhost]
// Starts --rate sessions per second for --duration seconds, cycling through the kinds below, then
// waits for the last ones and prints one JSON line: accepted (250 after the final dot, to be found in
// the Maildir), and per kind the sessions that went as expected and those that did not (first examples).
//   relay-denied      RCPT to a remote domain: 550; then a local RCPT and a message: 250 (counted)
//   map-reject        RCPT to the access map's REJECT entry: 550
//   oversize          a body past --max-size without SIZE: 552 after the final dot, session still usable (RSET: 250)
//   oversize-declared MAIL ... SIZE= past --max-size: 552
//   abort-data        half a body after 354, then the socket is destroyed: nothing may be delivered
//   abort-handshake   STARTTLS, 220, half a ClientHello, then destroyed
//   abort-tls         a real TLS handshake destroyed a few milliseconds in
//   garbage           three bad commands (500), RSET (250), QUIT (221)
'use strict';
const net = require('net'), tls = require('tls');

const argv = process.argv.slice(2), opt = { host: '127.0.0.1', port: 0, rate: 5, duration: 60, maxSize: 1048576,
  to: 'x@localhost', blocked: 'blocked@localhost' };
for (let i = 0; i < argv.length; i++) {
  const a = argv[i], v = () => argv[++i];
  if (a === '--host') opt.host = v(); else if (a === '--port') opt.port = +v();
  else if (a === '--rate') opt.rate = +v(); else if (a === '--duration') opt.duration = +v();
  else if (a === '--max-size') opt.maxSize = +v(); else if (a === '--to') opt.to = v();
  else if (a === '--blocked') opt.blocked = v();
  else { console.error('unknown option ' + a); process.exit(2); }
}
if (!opt.port) { console.error('--port is required'); process.exit(2); }

const line = 'Y'.repeat(76) + '\r\n';
const body = n => { let b = 'Subject: soak\r\n\r\n'; while (b.length < n) b += line; return b; };
const small = body(2048) + '.\r\n';
const big = body(opt.maxSize + 65536) + '.\r\n';
const partialHello = Buffer.from('160301020001000200fc0303' + '00'.repeat(8), 'hex');

// One reply at a time from a socket that may be swapped for its TLS wrapper (as smtpload.js reads).
function conversation(sock) {
  let buf = '', waiter = null, closed = false;
  const onData = d => { buf += d.toString('latin1'); pump(); };
  function pump() {
    if (!waiter) return;
    let idx, start = 0;
    while ((idx = buf.indexOf('\r\n', start)) >= 0) {
      const l = buf.slice(start, idx);
      start = idx + 2;
      if (l.length >= 4 && l[3] === '-') continue;
      const reply = buf.slice(0, start); buf = buf.slice(start);
      const w = waiter; waiter = null; w.resolve(reply.split('\r\n').filter(Boolean).pop()); return;
    }
    if (closed) { const w = waiter; waiter = null; w.reject(new Error('closed')); }
  }
  sock.on('data', onData);
  sock.on('error', () => {});
  sock.on('close', () => { closed = true; pump(); });
  const timeout = () => new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 60000));
  return {
    next: () => Promise.race([new Promise((resolve, reject) => { waiter = { resolve, reject }; pump(); }), timeout()]),
    async expect(code, send) {
      if (send !== undefined) sock.write(send);
      const reply = await this.next();
      if (!reply.startsWith(String(code))) throw new Error(`expected ${code} got ${reply.slice(0, 60)}`);
      return reply;
    },
  };
}

async function open() {
  const sock = net.connect(opt.port, opt.host);
  sock.setNoDelay(true);
  const c = conversation(sock);
  await c.expect(220);
  await c.expect(250, 'EHLO soak.example\r\n');
  return { sock, c };
}

let accepted = 0;
const kinds = {
  'relay-denied': async () => {
    const { sock, c } = await open();
    await c.expect(250, 'MAIL FROM:<soak@example.org>\r\n');
    await c.expect(550, 'RCPT TO:<someone@remote.example>\r\n');
    await c.expect(250, `RCPT TO:<${opt.to}>\r\n`);
    await c.expect(354, 'DATA\r\n');
    await c.expect(250, small);
    accepted++;
    await c.expect(221, 'QUIT\r\n');
    sock.destroy();
  },
  'map-reject': async () => {
    const { sock, c } = await open();
    await c.expect(250, 'MAIL FROM:<soak@example.org>\r\n');
    await c.expect(550, `RCPT TO:<${opt.blocked}>\r\n`);
    await c.expect(221, 'QUIT\r\n');
    sock.destroy();
  },
  oversize: async () => {
    const { sock, c } = await open();
    await c.expect(250, 'MAIL FROM:<soak@example.org>\r\n');
    await c.expect(250, `RCPT TO:<${opt.to}>\r\n`);
    await c.expect(354, 'DATA\r\n');
    await c.expect(552, big);
    await c.expect(250, 'RSET\r\n');
    await c.expect(221, 'QUIT\r\n');
    sock.destroy();
  },
  'oversize-declared': async () => {
    const { sock, c } = await open();
    await c.expect(552, `MAIL FROM:<soak@example.org> SIZE=${opt.maxSize + 1}\r\n`);
    await c.expect(221, 'QUIT\r\n');
    sock.destroy();
  },
  'abort-data': async () => {
    const { sock, c } = await open();
    await c.expect(250, 'MAIL FROM:<soak@example.org>\r\n');
    await c.expect(250, `RCPT TO:<${opt.to}>\r\n`);
    await c.expect(354, 'DATA\r\n');
    sock.write(small.slice(0, 1024));
    await new Promise(r => setTimeout(r, 20));
    sock.destroy();
  },
  'abort-handshake': async () => {
    const { sock, c } = await open();
    await c.expect(220, 'STARTTLS\r\n');
    sock.write(partialHello);
    await new Promise(r => setTimeout(r, 20));
    sock.destroy();
  },
  'abort-tls': async () => {
    const { sock, c } = await open();
    await c.expect(220, 'STARTTLS\r\n');
    sock.removeAllListeners('data');
    const t = tls.connect({ socket: sock, rejectUnauthorized: false });
    t.on('error', () => {});
    await new Promise(r => setTimeout(r, 1 + Math.random() * 5));
    t.destroy(); sock.destroy();
  },
  garbage: async () => {
    const { sock, c } = await open();
    for (let i = 0; i < 3; i++) await c.expect(500, 'XYZZY plugh\r\n');
    await c.expect(250, 'RSET\r\n');
    await c.expect(221, 'QUIT\r\n');
    sock.destroy();
  },
};
const names = Object.keys(kinds);
const stat = Object.fromEntries(names.map(n => [n, { ok: 0, unexpected: 0, examples: {} }]));

let started = 0, running = 0;
const runs = [];
const t0 = Date.now();
const starter = setInterval(() => {
  if (Date.now() - t0 >= opt.duration * 1000) { clearInterval(starter); finish(); return; }
  const name = names[started++ % names.length], s = stat[name];
  running++;
  runs.push(kinds[name]().then(() => { s.ok++; }, e => {
    s.unexpected++;
    const k = String(e.message).slice(0, 80);
    s.examples[k] = (s.examples[k] || 0) + 1;
  }).finally(() => { running--; }));
}, 1000 / opt.rate);

async function finish() {
  await Promise.all(runs);
  console.log(JSON.stringify({ accepted, sessions: started, seconds: (Date.now() - t0) / 1000, kinds: stat }));
  process.exit(0);
}
