// The status page's refresh: every 2 s it reads /api/status (ClusterStatus, camelCase) and redraws <main> the way
// StatusPage.cs drew it, so a cell keeps its form and its data-node / data-field marks across refreshes.
// Trust: the records hold remote text (host names, remote MTAs' replies). It only ever reaches the page as
// textContent or an attribute value, never as markup (no innerHTML), and the CSP allows no inline script.
"use strict";

(() => {
  const PERIOD_MS = 2000;
  const NONE = "\u2014";
  const SVG = "http://www.w3.org/2000/svg";
  const WIDTH = 180, HEIGHT = 32, WINDOW_SECONDS = 900;
  const FIGURES_OF_A_RECORD = ["sessions", "tls", "messages-per-second", "handshakes-per-second", "accepted", "queued",
    "oldest", "entropy", "map", "uptime", "version"];

  // el("td", { "data-field": "sessions" }, "3"): attributes are set one by one, children are nodes or text.
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    return fill(e, attrs, children);
  }

  function svg(tag, attrs, ...children) {
    return fill(document.createElementNS(SVG, tag), attrs, children);
  }

  function fill(e, attrs, children) {
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value !== null && value !== undefined) e.setAttribute(name, value);
    }
    for (const c of children) e.append(typeof c === "string" ? document.createTextNode(c) : c);
    return e;
  }

  const cell = (field, text, cls) => el("td", { "data-field": field, class: cls || null }, text);

  // The same forms as StatusFormat.cs.
  const fmtCount = (n) => String(n);
  const fmtRate = (r) => r.toFixed(1);
  const fmtShare = (tls, open) => (open === 0 ? NONE : Math.round((100 * tls) / open) + "%");
  const fmtTime = (t) => (t ? new Date(t).toISOString().slice(0, 19).replace("T", " ") + "Z" : NONE);
  const shortDigest = (d) => (d.length > 12 ? d.slice(0, 12) : d);
  const fmtMap = (m) => (m ? "v" + m.version + " " + shortDigest(m.digest) : "none");

  function fmtAge(ms) {
    const s = Math.max(0, Math.floor(ms / 1000));
    if (s < 60) return s + "s";
    if (s < 3600) return Math.floor(s / 60) + "m " + (s % 60) + "s";
    if (s < 86400) return Math.floor(s / 3600) + "h " + (Math.floor(s / 60) % 60) + "m";
    return Math.floor(s / 86400) + "d " + (Math.floor(s / 3600) % 24) + "h";
  }

  const ageSince = (t, now) => (t ? fmtAge(now - Date.parse(t)) : NONE);
  const queued = (q) => q.waiting + q.active + q.scheduled + q.held;
  const record = (n) => (!n.status ? "none" : n.stale ? "stale" : "fresh");
  // StatusFormat.Node: the host name and the address's host:port, since nodes often share a host name.
  function nodeName(host, address) {
    const at = address.lastIndexOf("@");
    const endpoint = at < 0 ? address : address.slice(at + 1);
    return host === null || host === undefined ? endpoint : host + " (" + endpoint + ")";
  }

  const hostOf = (n) => nodeName(n.status ? n.status.host : null, n.address);

  // MapAgreement.cs: the most common digest is the cluster's (ties to the ordinally first); others stand out.
  function mapOutliers(nodes) {
    const counts = new Map();
    for (const n of nodes) if (n.status && n.status.map) counts.set(n.status.map.digest, (counts.get(n.status.map.digest) || 0) + 1);
    const common = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))[0];
    const out = new Set();
    for (const n of nodes) if (n.status && n.status.map && n.status.map.digest !== common[0]) out.add(n.address);
    return { outliers: out, distinct: counts.size };
  }

  function section(id, title, ...content) {
    return el("section", { "aria-labelledby": id + "-heading" }, el("h2", { id: id + "-heading" }, title), ...content);
  }

  function table(id, caption, columns, rows, foot) {
    const head = el("tr", {}, ...columns.map((c) => el("th", { scope: "col" }, c)));
    const t = el("table", { id }, el("caption", {}, caption), el("thead", {}, head), el("tbody", {}, ...rows));
    if (foot) t.append(el("tfoot", {}, foot));
    return t;
  }

  function clusterTable(st, maps) {
    const now = Date.parse(st.generated);
    const rows = st.nodes.map((n) => {
      const rec = record(n);
      const tr = el("tr", { "data-node": n.address, "data-record": rec, class: rec === "fresh" ? null : rec },
        el("th", { scope: "row", "data-field": "host" }, n.status ? n.status.host : NONE),
        cell("address", n.address),
        cell("member", n.reachable ? n.member : n.member + ", unreachable", n.reachable && n.member === "up" ? null : "bad"));
      const s = n.status;
      if (!s) {
        tr.append(cell("state", "no record yet", "bad"));
        for (const f of FIGURES_OF_A_RECORD) tr.append(cell(f, NONE));
        return tr;
      }
      const differs = maps.outliers.has(n.address);
      tr.append(
        cell("state", n.stale ? s.state + " (stale record)" : s.state, n.stale || s.state !== "serving" ? "bad" : null),
        cell("sessions", fmtCount(s.sessions.open)),
        cell("tls", fmtShare(s.sessions.tls, s.sessions.open)),
        cell("messages-per-second", fmtRate(s.traffic.messagesPerSecond)),
        cell("handshakes-per-second", fmtRate(s.traffic.handshakesPerSecond)),
        cell("accepted", fmtCount(s.traffic.accepted)),
        cell("queued", fmtCount(queued(s.queue))),
        cell("oldest", ageSince(s.queue.oldest, now)),
        cell("entropy", s.entropy.status, s.entropy.status === "ok" ? null : "bad"),
        cell("map", differs ? fmtMap(s.map) + " (differs)" : fmtMap(s.map), differs ? "bad" : null),
        cell("uptime", ageSince(s.started, now)),
        cell("version", s.version));
      return tr;
    });
    const t = st.totals;
    const foot = el("tr", { "data-node": "total" },
      el("th", { scope: "row", colspan: "4", "data-field": "host" },
        "Total: " + t.nodes + (t.nodes === 1 ? " node, " : " nodes, ") + t.up + " up"),
      cell("sessions", fmtCount(t.sessionsOpen)),
      cell("tls", fmtShare(t.sessionsTls, t.sessionsOpen)),
      cell("messages-per-second", fmtRate(t.messagesPerSecond)),
      cell("handshakes-per-second", fmtRate(t.handshakesPerSecond)),
      cell("accepted", fmtCount(t.accepted)),
      cell("queued", fmtCount(t.queued)),
      el("td", { colspan: "5" }));
    const columns = ["Host", "Address", "Member", "State", "Sessions", "TLS", "Msgs/s", "Handshakes/s", "Accepted",
      "Queued", "Oldest queued", "Entropy", "Map", "Uptime", "Version"];
    const caption = "Members as " + st.observer + " sees them; totals count fresh records only";
    return section("nodes", "Nodes", table("cluster", caption, columns, rows, foot));
  }

  // HistoryCharts.cs: newest point at the right edge, one slot per interval, y scaled to the peak (at least 1).
  const slots = (interval) => Math.max(2, Math.ceil(WINDOW_SECONDS / interval));

  function points(values, interval) {
    const step = WIDTH / (slots(interval) - 1);
    const peak = Math.max(1, ...values);
    const r = (v) => String(Math.round(v * 10) / 10);
    return values.map((v, i) => r(WIDTH - (values.length - 1 - i) * step) + "," + r(HEIGHT - 1 - (v / peak) * (HEIGHT - 2))).join(" ");
  }

  function chart(field, label, all, interval, digits) {
    const shown = all.slice(-slots(interval));
    const now = shown.length === 0 ? NONE : shown[shown.length - 1].toFixed(digits);
    const peak = (shown.length === 0 ? 0 : Math.max(...shown)).toFixed(digits);
    const description = label + " over the last 15 minutes: now " + now + ", peak " + peak;
    return el("div", { class: "chart", "data-field": field + "-chart" },
      el("span", { class: "label" }, label),
      svg("svg", {
        role: "img", "aria-label": description, viewBox: "0 0 " + WIDTH + " " + HEIGHT,
        width: String(WIDTH), height: String(HEIGHT), preserveAspectRatio: "none",
      },
        svg("title", {}, description),
        svg("polyline", { points: points(shown, interval) })),
      el("span", { class: "now" }, now));
  }

  function historyCharts(st) {
    const figures = st.nodes.map((n) => {
      const f = el("figure", { "data-node": n.address }, el("figcaption", {}, hostOf(n)));
      const h = n.status && n.status.history;
      if (!h) {
        f.append(el("p", {}, "No record yet."));
        return f;
      }
      const interval = Math.max(1, h.intervalSeconds);
      f.append(
        chart("sessions", "Sessions", h.sessions, interval, 0),
        chart("messages", "Msgs/s", h.messages.map((v) => v / interval), interval, 1),
        chart("handshakes", "Handshakes/s", h.handshakes.map((v) => v / interval), interval, 1));
      return f;
    });
    return section("history", "Last 15 minutes", el("div", { class: "charts" }, ...figures));
  }

  function queueTable(st) {
    const now = Date.parse(st.generated);
    const rows = [];
    for (const n of st.nodes) {
      if (!n.status) continue;
      for (const d of n.status.queue.destinations) {
        rows.push(el("tr", { "data-node": n.address, "data-destination": d.domain },
          el("td", { "data-field": "host" }, nodeName(n.status.host, n.address)),
          el("th", { scope: "row", "data-field": "destination" }, d.domain),
          cell("messages", fmtCount(d.messages)),
          cell("recipients", fmtCount(d.recipients)),
          cell("oldest", ageSince(d.oldest, now)),
          cell("last-error", d.lastError || NONE, "reply")));
      }
    }
    if (rows.length === 0) return section("queue", "Queue by destination", el("p", { "data-field": "queue-empty" }, "No mail is waiting."));
    const caption = "Pending recipients by destination domain, the busiest first on each node";
    return section("queue", "Queue by destination",
      table("queue", caption, ["Node", "Destination", "Messages", "Recipients", "Oldest", "Last error"], rows));
  }

  function verifyTable(st) {
    const nodes = st.nodes.filter((n) => n.status);
    const values = [...new Set(nodes.flatMap((n) => Object.keys(n.status.verify)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const title = "Client certificates ({verify})";
    if (values.length === 0) return section("verify", title, el("p", { "data-field": "verify-empty" }, "No TLS handshake yet."));
    const row = (key, name, count) => el("tr", { "data-node": key }, el("th", { scope: "row", "data-field": "host" }, name),
      ...values.map((v) => el("td", { "data-field": "verify", "data-verify": v }, fmtCount(count(v)))));
    const rows = nodes.map((n) => row(n.address, nodeName(n.status.host, n.address), (v) => n.status.verify[v] || 0));
    const foot = row("total", "Total", (v) => nodes.reduce((sum, n) => sum + (n.status.verify[v] || 0), 0));
    const caption = "Server TLS handshakes by {verify} result since each node started";
    return section("verify", title, table("verify", caption, ["Node", ...values], rows, foot));
  }

  function stateTable(st, maps) {
    const columns = ["Node", "Entropy", "Source", "Last seeded", "Seedings", "Last failure", "Map", "Digest", "Entries",
      "Map source", "Published"];
    const rows = st.nodes.map((n) => {
      const tr = el("tr", { "data-node": n.address }, el("th", { scope: "row", "data-field": "host" }, hostOf(n)));
      const s = n.status;
      if (!s) {
        tr.append(el("td", { colspan: String(columns.length - 1), "data-field": "record" }, "no record yet"));
        return tr;
      }
      const e = s.entropy;
      tr.append(cell("entropy", e.status, e.status === "ok" ? null : "bad"), cell("entropy-source", e.source),
        cell("last-seeded", fmtTime(e.lastSeeded)), cell("seedings", fmtCount(e.seedings)), cell("last-failure", e.lastFailure || NONE));
      const m = s.map;
      if (!m) {
        tr.append(cell("map", "none"), ...["digest", "entries", "map-source", "published"].map((f) => cell(f, NONE)));
        return tr;
      }
      const differs = maps.outliers.has(n.address);
      const cls = differs ? "bad" : null;
      tr.append(cell("map", "v" + m.version, cls),
        el("td", { "data-field": "digest", class: cls, title: m.digest },
          el("code", {}, differs ? shortDigest(m.digest) + " (differs)" : shortDigest(m.digest))),
        cell("entries", fmtCount(m.entries)), cell("map-source", m.source), cell("published", fmtTime(m.published)));
      return tr;
    });
    const mismatch = "The nodes decide with " + maps.distinct + " different access maps.";
    const warning = maps.distinct > 1 ? [el("p", { class: "bad", "data-field": "map-mismatch" }, mismatch)] : [];
    const caption = "Random generator and access map of each node";
    return section("state", "Entropy and access map", ...warning, table("state", caption, columns, rows));
  }

  function render(st) {
    const maps = mapOutliers(st.nodes);
    return el("main", { id: "status" },
      el("p", { class: "observer" }, "Answered by ", el("span", { "data-field": "observer" }, st.observer),
        " at ", el("span", { "data-field": "generated" }, fmtTime(st.generated)), "."),
      clusterTable(st, maps), historyCharts(st), queueTable(st), verifyTable(st), stateTable(st, maps));
  }

  let refreshes = 0;

  async function refresh() {
    const line = document.getElementById("refresh");
    try {
      const response = await fetch("/api/status", { cache: "no-store", headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error("HTTP " + response.status);
      const st = await response.json();
      document.getElementById("status").replaceWith(render(st));
      refreshes++;
      // The count is for the browser test: it tells a redraw by this script from a reload of the page.
      document.body.dataset.refreshes = String(refreshes);
      line.className = "";
      line.textContent = "Live: refreshed at " + fmtTime(new Date().toISOString()) + ", every 2 s.";
    } catch (e) {
      line.className = "bad";
      const shown = document.querySelector("[data-field=generated]").textContent;
      line.textContent = "Refresh failed (" + e.message + "); the figures below are from " + shown + ".";
    } finally {
      setTimeout(refresh, PERIOD_MS);
    }
  }

  // One refresh at a time: the next is scheduled when this one ends, so a slow node never piles requests up.
  setTimeout(refresh, PERIOD_MS);
})();
