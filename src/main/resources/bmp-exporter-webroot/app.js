// bmp-exporter status page: polls the JSON API and renders routers and their peers.
// Every string that comes from a router goes into the DOM as text (textContent / text nodes,
// setAttribute for titles), never as HTML.
"use strict";

(function () {
  const REFRESH_MS = 5000;
  const REQUEST_TIMEOUT_MS = 4000;
  const RIB_SHORT = {
    adj_rib_in_pre: "pre",
    adj_rib_in_post: "post",
    adj_rib_out_pre: "out pre",
    adj_rib_out_post: "out post",
    loc_rib: "loc-rib",
  };
  // The same route is in several RIBs; a single sum over them would count it several times.
  const RIB_SUM_NOTE = "routes per RIB, summed over peers and AFI/SAFIs; a route accepted by "
    + "policy is counted once in each RIB it is in (pre-policy, post-policy, Loc-RIB)";

  /** "4800 post-policy · 6000 pre-policy · 4800 Loc-RIB", or "no routes". */
  function ribText(byRib) {
    const order = ["adj_rib_in_post", "adj_rib_in_pre", "loc_rib", "adj_rib_out_pre",
      "adj_rib_out_post"];
    const ribs = Object.keys(byRib || {}).sort((a, b) => {
      const ia = order.indexOf(a), ib = order.indexOf(b);
      return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
    });
    if (ribs.length === 0) return "no routes";
    return ribs.map((rib) => byRib[rib] + " " + (RIB_SHORT_TEXT[rib] || rib)).join(" · ");
  }

  const RIB_SHORT_TEXT = {
    adj_rib_in_pre: "pre-policy",
    adj_rib_in_post: "post-policy",
    adj_rib_out_pre: "out pre-policy",
    adj_rib_out_post: "out post-policy",
    loc_rib: "Loc-RIB",
  };

  const RIB_TITLE = {
    adj_rib_in_pre: "Adj-RIB-In pre-policy",
    adj_rib_in_post: "Adj-RIB-In post-policy",
    adj_rib_out_pre: "Adj-RIB-Out pre-policy",
    adj_rib_out_post: "Adj-RIB-Out post-policy",
    loc_rib: "Loc-RIB",
  };
  // With more routers than this, sections start collapsed (their peers are fetched on opening).
  const QUIRKS_NOTE = "known deviations from the RFCs, decoded anyway (bmp_router_quirks_total)";
  const AUTO_OPEN_MAX = 10;
  const choice = new Map(); // router label -> open, as the operator left it
  let refreshes = 0;
  let timer = null;
  let running = false; // one refresh at a time; a request meanwhile runs right after
  let again = false;
  let routerCount = 0;

  function isOpen(label) {
    return choice.has(label) ? choice.get(label) : routerCount <= AUTO_OPEN_MAX;
  }

  /** Creates an element; string children become text nodes. */
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === "class") e.className = v;
        else e.setAttribute(k, v === true ? "" : String(v));
      }
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      e.appendChild(typeof c === "string" || typeof c === "number"
        ? document.createTextNode(String(c)) : c);
    }
    return e;
  }

  function duration(seconds) {
    let s = Math.max(0, Math.floor(seconds));
    const d = Math.floor(s / 86400); s -= d * 86400;
    const h = Math.floor(s / 3600); s -= h * 3600;
    const m = Math.floor(s / 60); s -= m * 60;
    if (d > 0) return d + "d " + h + "h";
    if (h > 0) return h + "h " + m + "m";
    if (m > 0) return m + "m " + s + "s";
    return s + "s";
  }

  function isoTime(epochSeconds) {
    return epochSeconds ? new Date(epochSeconds * 1000).toISOString().replace(".000Z", "Z") : "";
  }

  function bytes(n) {
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let i = 0;
    let v = n;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return (i === 0 ? String(v) : v.toFixed(1)) + " " + units[i];
  }

  function badge(up) {
    return el("span", { class: up ? "badge up" : "badge down" }, up ? "up" : "down");
  }

  /** "for 5m 3s" with the absolute time as a tooltip; nothing when the time is unknown. */
  function since(up, upTs, downTs, now) {
    const ts = up ? upTs : downTs;
    if (!ts) return null;
    return el("span", { class: "since", title: (up ? "up since " : "down since ") + isoTime(ts) },
      "for " + duration(now - ts));
  }

  /** "2026-05-01 12:03:04 UTC" */
  function utc(epochSeconds) {
    if (!epochSeconds) return "–";
    return new Date(epochSeconds * 1000).toISOString().slice(0, 19).replace("T", " ") + " UTC";
  }

  /** First line of a possibly long, multi-line sysDescr; the whole text as a tooltip. */
  function firstLine(text) {
    const lines = String(text || "").split(/\r?\n/).filter((l) => l.trim() !== "");
    if (lines.length === 0) return el("span", { class: "muted" }, "–");
    let line = lines[0];
    if (line.length > 120) line = line.slice(0, 117) + "…";
    return el("span", { class: "descr", title: text }, line + (lines.length > 1 ? " …" : ""));
  }

  async function getJson(url) {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), REQUEST_TIMEOUT_MS);
    try {
      const r = await fetch(url, { signal: ctl.signal, cache: "no-store" });
      if (r.status === 404) return null;
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return await r.json();
    } finally {
      clearTimeout(timer);
    }
  }

  function routerUrl(label) {
    // labels hold ':' (IPv6) and '#' (second session from one address): encode them
    return "api/v1/routers/" + encodeURIComponent(label) + "/peers";
  }

  function messagesText(messages) {
    const parts = [];
    for (const [type, n] of Object.entries(messages || {})) {
      if (n > 0) parts.push(type.replace(/_/g, " ") + " " + n);
    }
    return parts.length ? parts.join(" · ") : "none";
  }

  function countsText(counts) {
    const parts = [];
    for (const [k, n] of Object.entries(counts || {})) parts.push(k + " " + n);
    return parts.join(" · ");
  }

  function fact(label, ...value) {
    return el("div", { class: "fact" }, el("dt", null, label), el("dd", null, ...value));
  }

  /** Routes of one peer: one row per AFI/SAFI, one column per RIB. */
  function routesTable(routes) {
    if (!routes || routes.length === 0) return el("span", { class: "muted" }, "no routes");
    const ribs = [];
    const families = [];
    const cell = new Map();
    for (const t of routes) {
      if (!ribs.includes(t.rib)) ribs.push(t.rib);
      if (!families.includes(t.afi_safi)) families.push(t.afi_safi);
      cell.set(t.rib + "|" + t.afi_safi, t);
    }
    families.sort();
    const head = el("tr", null, el("th", null, ""),
      ...ribs.map((r) => el("th", { title: RIB_TITLE[r] || r }, RIB_SHORT[r] || r)));
    const rows = families.map((f) => el("tr", null, el("th", { class: "fam" }, f),
      ...ribs.map((r) => {
        const t = cell.get(r + "|" + f);
        if (!t) return el("td", { class: "muted" }, "–");
        const title = (RIB_TITLE[t.rib] || t.rib) + " " + t.afi_safi + ": " + t.routes
          + " routes, " + t.announcements + " announced, " + t.withdrawals + " withdrawn"
          + (t.end_of_rib ? ", End-of-RIB seen" : ", no End-of-RIB yet");
        return el("td", { "data-rib": r, "data-afi-safi": f, title: title, class: "num" },
          String(t.routes),
          t.end_of_rib ? el("span", { class: "eor", "aria-label": "End-of-RIB seen" }, "✓")
            : null);
      })));
    return el("table", { class: "routes" }, el("thead", null, head), el("tbody", null, ...rows));
  }

  function peerRow(p, now) {
    const downsTotal = (p.downs || []).reduce((a, d) => a + d.count, 0);
    const downsTitle = (p.downs || []).map((d) =>
      d.count + " × " + d.reason + (d.notification ? " (" + d.notification + ")" : "")).join("\n");
    const lastDown = p.last_down_timestamp
      ? el("div", null,
          el("span", { class: "reason" }, p.last_down_reason || "unknown"),
          p.last_down_notification
            ? el("div", { class: "notification" }, p.last_down_notification) : null,
          el("div", { class: "muted small", title: isoTime(p.last_down_timestamp) },
            duration(now - p.last_down_timestamp) + " ago"))
      : el("span", { class: "muted" }, "–");
    return el("tr", { class: p.up ? "peer" : "peer is-down", "data-peer": p.peer,
      "data-peer-type": p.peer_type, "data-rd": p.rd },
      el("td", null, el("span", { class: "addr" }, p.peer),
        p.table ? el("div", { class: "muted small" }, "table " + p.table) : null),
      el("td", null, p.rd ? el("span", { class: "addr" }, p.rd)
        : el("span", { class: "muted" }, "–")),
      el("td", null, p.peer_type),
      el("td", { class: "num" }, String(p.peer_as)),
      el("td", null, el("span", { class: "addr" }, p.peer_bgp_id)),
      el("td", null, badge(p.up), " ",
        since(p.up, p.up_timestamp, p.last_down_timestamp, now)),
      el("td", { class: "num" }, el("span", { title: p.ups + " Peer Up" }, String(p.ups)), " / ",
        el("span", { title: downsTitle || "no Peer Down" }, String(downsTotal))),
      el("td", null, lastDown),
      el("td", null, routesTable(p.routes)));
  }

  function peersTable(peersDoc, now) {
    if (peersDoc === undefined) return el("p", { class: "muted" }, "loading peers…");
    if (peersDoc === null) return el("p", { class: "muted" }, "router no longer known");
    if (peersDoc.failed) {
      return el("p", { class: "error" }, "peers not available: " + peersDoc.failed);
    }
    if (peersDoc.peers.length === 0) return el("p", { class: "muted" }, "no peers reported");
    const head = el("tr", null, ...["Peer", "RD", "Type", "#AS", "BGP ID", "State",
      "#Ups / downs", "Last down", "Routes (per RIB and AFI/SAFI)"].map((h) => h.startsWith("#")
      ? el("th", { class: "num" }, h.slice(1)) : el("th", null, h)));
    return el("div", { class: "scroll" }, el("table", { class: "peers" },
      el("thead", null, head),
      el("tbody", null, ...peersDoc.peers.map((p) => peerRow(p, now)))));
  }

  function routerSection(r, peersDoc, now) {
    const details = el("details", { class: "router", "data-router": r.router });
    let shown = isOpen(r.router);
    details.open = shown;
    details.addEventListener("toggle", () => {
      if (details.open === shown) return; // the event for the state set above, not a click
      shown = details.open;
      choice.set(r.router, shown);
      if (shown && peersDoc === undefined) refreshSoon();
    });
    details.appendChild(el("summary", null,
      badge(r.up), " ",
      el("span", { class: "sysname" }, r.sys_name || "(no sysName)"), " ",
      el("span", { class: "addr" }, r.router), " ",
      since(r.up, r.up_since, r.down_since, now),
      el("span", { class: "pill" }, r.peers_up + "/" + r.peers_total + " peers up"),
      el("span", { class: "pill", title: RIB_SUM_NOTE }, ribText(r.routes_by_rib))));
    const facts = el("dl", { class: "facts" },
      fact("sysDescr", firstLine(r.sys_descr)),
      fact("address", el("span", { class: "addr" }, r.address)),
      fact(r.up ? "session up since" : "session down since",
        utc(r.up ? r.up_since : r.down_since)),
      fact("received", bytes(r.received_bytes)));
    const errs = countsText(r.decode_errors);
    if (errs) facts.appendChild(fact("decode errors", el("span", { class: "bad" }, errs)));
    const quirks = countsText(r.quirks);
    if (quirks) {
      facts.appendChild(fact(el("span", { title: QUIRKS_NOTE }, "known quirks"),
        el("span", { class: "quirks" }, quirks)));
    }
    const terms = countsText(r.terminations);
    if (terms) facts.appendChild(fact("terminations", terms));
    if (r.forward && r.forward.length) {
      const fwd = fact("relayed to", ...r.forward.map((f) => el("div",
        { class: "forward", "data-destination": f.destination },
        el("span", { class: "addr" }, f.destination), " ",
        el("span", { class: f.connected ? "badge up" : "badge down" },
          f.connected ? "connected" : "not connected"), " ",
        el("span", { class: f.dropped_messages > 0 ? "bad" : "muted",
          title: "messages of this session not forwarded (buffer full, destination down or slow)" },
          f.dropped_messages + " dropped"))));
      fwd.classList.add("wide");
      facts.appendChild(fwd);
    }
    const msgs = fact("messages", messagesText(r.messages));
    msgs.classList.add("wide");
    facts.appendChild(msgs);
    details.appendChild(facts);
    details.appendChild(peersTable(peersDoc, now));
    return details;
  }

  function render(doc, peersDocs) {
    const now = doc.now || Date.now() / 1000;
    document.getElementById("version").textContent = doc.version ? "version " + doc.version : "";
    const routers = doc.routers || [];
    routerCount = routers.length;
    const up = routers.filter((r) => r.up).length;
    const peers = routers.reduce((a, r) => a + r.peers_total, 0);
    const peersUp = routers.reduce((a, r) => a + r.peers_up, 0);
    const byRib = {};
    for (const r of routers) {
      for (const [rib, n] of Object.entries(r.routes_by_rib || {})) byRib[rib] = (byRib[rib] || 0) + n;
    }
    const summary = document.getElementById("summary");
    summary.title = RIB_SUM_NOTE;
    summary.textContent = routers.length === 0 ? ""
      : routers.length + (routers.length === 1 ? " router" : " routers") + " (" + up + " up) · "
        + peers + " peers (" + peersUp + " up) · " + ribText(byRib);
    renderTargets(doc.connect_targets || [], now);
    document.getElementById("empty").hidden = routers.length !== 0;
    const list = document.getElementById("routers");
    list.replaceChildren(...routers.map((r, i) => routerSection(r, peersDocs[i], now)));
  }

  /** Active mode: the router BMP listeners the exporter connects to, up or with the last error. */
  function renderTargets(targets, now) {
    document.getElementById("targets").hidden = targets.length === 0;
    const head = el("tr", null, ...["Target", "State", "Attempts", "Connections", "Last error"]
      .map((h) => el("th", null, h)));
    const rows = targets.map((t) => el("tr", { "data-target": t.target },
      el("td", { class: "addr" }, t.target),
      el("td", null, badge(t.up), " ", t.up ? since(true, t.up_since, 0, now) : null),
      el("td", { class: "num" }, String(t.attempts)),
      el("td", { class: "num" }, String(t.connects)),
      el("td", t.up ? null : { class: "bad" },
        t.last_error ? t.last_error + " (" + utc(t.last_error_at) + ")" : "–")));
    document.getElementById("targets-table").replaceChildren(
      el("table", { class: "peers" }, el("thead", null, head), el("tbody", null, ...rows)));
  }

  /** The watch list: per watched prefix, where it is present and from which origins. */
  function renderWatch(doc) {
    const watches = (doc && doc.watches) || [];
    document.getElementById("watch").hidden = watches.length === 0;
    const head = el("tr", null, ...["Watch", "Prefix", "Expected origins", "Present in",
      "Origins seen", "More-specifics", "Unexpected origin"].map((h) => el("th", null, h)));
    const rows = watches.map((w) => {
      const seen = w.seen || [];
      const origins = new Set();
      let more = 0;
      for (const s of seen) {
        (s.origins || []).forEach((o) => origins.add(o));
        more += s.more_specifics || 0;
      }
      const where = seen.filter((s) => s.present)
        .map((s) => s.router + " " + s.peer + (s.rd ? " rd " + s.rd : "") + " " + s.rib);
      return el("tr", { "data-watch": w.name },
        el("td", null, w.name),
        el("td", { class: "addr" }, w.prefix + (w.rd ? " rd " + w.rd : "")),
        el("td", null, (w.origins || []).length ? w.origins.join(", ") : "any"),
        el("td", { class: "num", title: where.join("\n") }, String(w.present_in)),
        el("td", null, origins.size ? [...origins].join(", ") : "–"),
        el("td", { class: "num" }, String(more)),
        el("td", w.unexpected_origin ? { class: "bad" } : null, w.unexpected_origin ? "yes" : "no"));
    });
    document.getElementById("watch-table").replaceChildren(
      el("table", { class: "peers" }, el("thead", null, head), el("tbody", null, ...rows)));
  }

  function setStatus(text, error) {
    const s = document.getElementById("status");
    s.textContent = text;
    s.className = error ? "status error" : "status";
  }

  function refreshSoon() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 0);
  }

  async function refresh() {
    clearTimeout(timer);
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      const doc = await getJson("api/v1/routers");
      if (!doc) throw new Error("api/v1/routers: HTTP 404");
      routerCount = (doc.routers || []).length;
      // peers only for the routers shown open; undefined = not fetched
      const peersDocs = await Promise.all((doc.routers || []).map((r) => isOpen(r.router)
        ? getJson(routerUrl(r.router))
          .catch((e) => ({ failed: e && e.message ? e.message : "error" }))
        : Promise.resolve(undefined)));
      render(doc, peersDocs);
      renderWatch(await getJson("api/v1/watch").catch(() => null));
      refreshes++;
      document.body.dataset.state = "ok";
      document.body.dataset.refreshes = String(refreshes);
      setStatus("Updated " + new Date().toLocaleTimeString() + " · refreshes every 5 s", false);
    } catch (e) {
      document.body.dataset.state = "error";
      setStatus("Cannot reach the exporter (" + (e && e.message ? e.message : e)
        + "); showing the last data, retrying every 5 s", true);
    } finally {
      running = false;
      clearTimeout(timer);
      timer = setTimeout(refresh, again ? 0 : REFRESH_MS);
      again = false;
    }
  }

  refresh();
})();
