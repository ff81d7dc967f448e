// STARTTLS sessions with TLS 1.2 session resumption, to measure what a resumed handshake saves the server.
//   node bench/resume.js --port P [--host 127.0.0.1] [-c 20] [-n 2000] [--reuse] [--no-ticket]
// Every session: 220, EHLO, STARTTLS, TLS 1.2 handshake, EHLO, MAIL, RCPT, DATA (1 KB), QUIT; one JSON line at the
// end. With --reuse each worker offers the session of its previous connection (a ticket, or with --no-ticket the
// session ID), as an MTA with a TLS session cache does; without it every handshake is full.
'use strict';
const net = require('net'), tls = require('tls');
const opt = { host: '127.0.0.1', port: 0, c: 20, n: 2000, reuse: false, noTicket: false };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i], v = () => process.argv[++i];
  if (a === '--port') opt.port = +v(); else if (a === '--host') opt.host = v();
  else if (a === '-c') opt.c = +v(); else if (a === '-n') opt.n = +v();
  else if (a === '--reuse') opt.reuse = true; else if (a === '--no-ticket') opt.noTicket = true;
  else { console.error('unknown option ' + a); process.exit(2); }
}
const body = 'Subject: resume\r\n\r\n' + ('X'.repeat(76) + '\r\n').repeat(13) + '.\r\n';

function reader(sock) {
  let buf = '', waiter = null;
  const pump = () => {
    if (!waiter) return;
    let idx, start = 0;
    while ((idx = buf.indexOf('\r\n', start)) >= 0) {
      const line = buf.slice(start, idx); start = idx + 2;
      if (line.length >= 4 && line[3] === '-') continue;
      const reply = buf.slice(0, start); buf = buf.slice(start);
      const w = waiter; waiter = null; w.resolve(reply); return;
    }
  };
  const r = {
    attach(s) { s.on('data', d => { buf += d.toString('latin1'); pump(); });
      s.on('error', e => { if (waiter) { const w = waiter; waiter = null; w.reject(e); } });
      s.on('close', () => { if (waiter) { const w = waiter; waiter = null; w.reject(new Error('closed')); } }); },
    next() { return new Promise((resolve, reject) => { waiter = { resolve, reject }; pump(); }); },
  };
  r.attach(sock);
  return r;
}
async function expect(r, code) {
  const rep = await r.next();
  if (!rep.startsWith(String(code))) throw new Error('expected ' + code + ' got ' + rep.trim());
}

let started = 0, done = 0, failed = 0, reused = 0;
async function session(previous) {
  const plain = net.connect(opt.port, opt.host); plain.setNoDelay(true);
  await new Promise((res, rej) => { plain.once('connect', res); plain.once('error', rej); });
  let r = reader(plain);
  await expect(r, 220);
  plain.write('EHLO resume.example\r\n'); await expect(r, 250);
  plain.write('STARTTLS\r\n'); await expect(r, 220);
  plain.removeAllListeners('data');
  let saved = null;
  const s = tls.connect({ socket: plain, rejectUnauthorized: false, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2',
    session: opt.reuse ? previous : undefined,
    secureOptions: opt.noTicket ? require('constants').SSL_OP_NO_TICKET : 0 });
  s.on('session', buf => { saved = buf; });
  r = reader(s);
  await new Promise((res, rej) => { s.once('secureConnect', res); s.once('error', rej); });
  if (s.isSessionReused()) reused++;
  s.write('EHLO resume.example\r\n'); await expect(r, 250);
  s.write('MAIL FROM:<a@resume.example>\r\n'); await expect(r, 250);
  s.write('RCPT TO:<x@localhost>\r\n'); await expect(r, 250);
  s.write('DATA\r\n'); await expect(r, 354);
  s.write(body); await expect(r, 250);
  s.write('QUIT\r\n'); try { await expect(r, 221); } catch (e) { /* closed first */ }
  s.destroy();
  return saved || previous;
}
async function worker() {
  let previous;
  while (started < opt.n) {
    started++;
    try { previous = await session(previous); done++; } catch (e) { failed++; }
  }
}
const t0 = Date.now();
Promise.all(Array.from({ length: opt.c }, worker)).then(() => {
  const s = (Date.now() - t0) / 1000;
  console.log(JSON.stringify({ sessions: done, failed, reused, seconds: +s.toFixed(3), per_s: +(done / s).toFixed(1), reuse: opt.reuse, ticket: !opt.noTicket }));
  process.exit(failed ? 1 : 0);
});
