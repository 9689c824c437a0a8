#!/usr/bin/env python3
"""Scrape bmp-exporter's per-router targets the way Prometheus does, and time each request.
Stdlib only; used by scale.sh.

  scrape_load.py routers BASE [UP_MIN] [TIMEOUT]
        poll BASE/sd until at least UP_MIN routers have __meta_bmp_up "1" (default: any);
        prints "<routers> <up>"; exit 1 at TIMEOUT s (600)
  scrape_load.py sd BASE [N]
        time N (10) requests of BASE/sd on one kept-alive connection; prints JSON
  scrape_load.py pages BASE ROUTES
        fetch every router's page once (gzip, kept alive) and sum its bmp_routes; prints JSON
        with the page sizes and samples per router; exit 1 unless the sum equals ROUTES
  scrape_load.py load BASE [--interval 30] [--seconds 120] [--warmup 30] [--connections 32]
        [--seed 1] [--raw FILE]
        every router of BASE/sd once per --interval, paced evenly (routers / interval requests
        a second, each router at the same offset in every interval as Prometheus does), from
        up to --connections kept-alive connections at once (Prometheus opens one per concurrent
        scrape: keep it above rate × the slowest latency); --warmup s first, not counted; prints JSON with
        the latency percentiles of the --seconds that follow
  scrape_load.py selftest

Requests carry what Prometheus 2.x sends: its Accept header, Accept-Encoding: gzip and
X-Prometheus-Scrape-Timeout-Seconds. A request's latency is from just before the request is
written to the last byte of the body read (the gzipped body, as Prometheus receives it);
"late" is how long after its scheduled time a request was written (all connections busy, or
the driver itself starved of CPU): with late near 0, the schedule held and the latencies are
the exporter's.
"""
import gzip
import http.client
import json
import queue
import random
import sys
import threading
import time
import urllib.parse

ACCEPT = ("application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
          "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1")
HEADERS = {"Accept": ACCEPT, "Accept-Encoding": "gzip",
           "X-Prometheus-Scrape-Timeout-Seconds": "10", "User-Agent": "scrape_load.py"}


def percentile(values, p):
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    if not values:
        raise ValueError("no values")
    s = sorted(values)
    rank = max(1, -(-len(s) * p // 100))  # ceil(n * p / 100), at least 1
    return s[int(rank) - 1]


def summary(values):
    """Count, p50, p90, p99, p99.9 and max of latencies in seconds, as milliseconds."""
    if not values:
        return {"count": 0}
    ms = lambda v: round(v * 1000, 2)  # noqa: E731
    return {"count": len(values), "p50_ms": ms(percentile(values, 50)),
            "p90_ms": ms(percentile(values, 90)), "p99_ms": ms(percentile(values, 99)),
            "p999_ms": ms(percentile(values, 99.9)), "max_ms": ms(max(values)),
            "mean_ms": ms(sum(values) / len(values))}


def schedule(n_targets, interval, start, end):
    """(offset s, target index) of every request in [start, end): target i of n goes at
    i * interval / n in every interval, so each is scraped once per interval, evenly paced."""
    out = []
    step = interval / n_targets
    k = int(start // step)
    while k * step < end:
        if k * step >= start:
            out.append((k * step, k % n_targets))
        k += 1
    return out


class Client:
    """One kept-alive HTTP/1.1 connection; reconnects once if the server closed it."""

    def __init__(self, base):
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname, u.port or 80
        self.prefix = u.path.rstrip("/")
        self.conn = None
        self.opened = 0

    def reset(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def get(self, path, headers=HEADERS):
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
                self.opened += 1
            try:
                t0 = time.perf_counter()
                self.conn.request("GET", self.prefix + path, headers=headers)
                r = self.conn.getresponse()
                body = r.read()
                t1 = time.perf_counter()
                if r.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return r.status, r.getheader("Content-Encoding", ""), body, t0, t1
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")


def plain(encoding, body):
    return gzip.decompress(body) if encoding == "gzip" else body


def samples(text):
    """Samples in an exposition (lines that are not comments or blank)."""
    return sum(1 for line in text.splitlines() if line and not line.startswith(b"#"))


def sd_targets(client):
    status, enc, body, _, _ = client.get("/sd", {"Accept-Encoding": "identity"})
    if status != 200:
        raise OSError(f"/sd answered {status}")
    groups = json.loads(plain(enc, body))
    return [(g["labels"]["__param_router"], g["labels"].get("__meta_bmp_up") == "1")
            for g in groups]


def cmd_routers(base, up_min=None, timeout=600.0):
    end = time.monotonic() + timeout
    c = Client(base)
    last = None
    while time.monotonic() < end:
        try:
            t = sd_targets(c)
            last = (len(t), sum(1 for _, up in t if up))
            if last[1] > 0 and (up_min is None or last[1] >= up_min):
                print(*last)
                return 0
        except (OSError, ValueError, http.client.HTTPException):
            c = Client(base)
        time.sleep(0.5)
    print(f"timeout: routers/up = {last}, wanted {up_min} up", file=sys.stderr)
    return 1


def cmd_sd(base, n=10):
    c = Client(base)
    times, size, count = [], 0, 0
    for _ in range(n):
        status, enc, body, t0, t1 = c.get("/sd", {"Accept-Encoding": "identity"})
        if status != 200:
            raise OSError(f"/sd answered {status}")
        times.append(t1 - t0)
        size = len(body)
        count = len(json.loads(body))
    out = summary(times)
    out.update({"bytes": size, "targets": count})
    print(json.dumps(out))
    return 0


def page_routes(text, router):
    """Sum of bmp_routes in one router's page (Prometheus text), and the samples whose router
    label is another router's."""
    own = b'router="' + router.encode() + b'"'
    total, foreign, n = 0, 0, 0
    for line in text.splitlines():
        if not line or line.startswith(b"#"):
            continue
        n += 1
        if b'router="' in line and own not in line:
            foreign += 1
        if line.startswith(b"bmp_routes{"):
            total += float(line.rsplit(b" ", 1)[1])
    return total, foreign, n


def cmd_pages(base, routes):
    c = Client(base)
    routers = [r for r, _ in sd_targets(c)]
    total, gz, raw, per, times, bad = 0, [], [], [], [], []
    text_headers = dict(HEADERS, Accept="text/plain;version=0.0.4")
    for r in routers:
        status, enc, body, t0, t1 = c.get("/metrics?router=" + urllib.parse.quote(r),
                                          text_headers)
        if status != 200:
            bad.append(f"{r}: {status}")
            continue
        times.append(t1 - t0)
        text = plain(enc, body)
        gz.append(len(body))
        raw.append(len(text))
        routes_here, foreign, n = page_routes(text, r)
        if foreign:
            bad.append(f"{r}: {foreign} series of other routers")
        total += routes_here
        per.append(n)
    out = {"routers": len(routers), "routes": int(total), "expected_routes": routes,
           "samples_per_router": [min(per, default=0), max(per, default=0)],
           "samples": sum(per), "page_bytes": [min(raw, default=0), max(raw, default=0)],
           "page_gzip_bytes": [min(gz, default=0), max(gz, default=0)],
           "latency": summary(times), "errors": bad[:20]}
    print(json.dumps(out))
    return 0 if not bad and int(total) == routes else 1


def cmd_load(base, interval=30.0, seconds=120.0, warmup=30.0, connections=32, seed=1,
             raw=None):
    routers = [r for r, _ in sd_targets(Client(base))]
    if not routers:
        raise SystemExit("no routers on /sd")
    random.Random(seed).shuffle(routers)  # Prometheus spreads targets by a hash: any order
    plan = schedule(len(routers), interval, 0.0, warmup + seconds)
    jobs = queue.Queue()
    results = []  # (offset, router index, latency s, late s, status, bytes, samples)
    lock = threading.Lock()
    t_start = time.perf_counter() + 0.5
    clients = [Client(base) for _ in range(connections)]

    def worker(client):
        while True:
            job = jobs.get()
            if job is None:
                return
            offset, i = job
            path = "/metrics?router=" + urllib.parse.quote(routers[i])
            try:
                status, enc, body, t0, t1 = client.get(path)
                # count samples of every 20th only: the driver shares the CPUs it measures
                n = samples(plain(enc, body)) if status == 200 and i % 20 == 0 else 0
                row = (offset, i, t1 - t0, t0 - (t_start + offset), status, len(body), n)
            except (OSError, http.client.HTTPException) as e:
                client.reset()  # a half-read answer leaves the connection unusable
                row = (offset, i, None, None, type(e).__name__, 0, 0)
            with lock:
                results.append(row)

    threads = [threading.Thread(target=worker, args=(c,), daemon=True) for c in clients]
    for t in threads:
        t.start()
    for offset, i in plan:
        delay = t_start + offset - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        jobs.put((offset, i))
    for _ in threads:
        jobs.put(None)
    for t in threads:
        t.join(timeout=interval + 60)
    measured = [r for r in results if r[0] >= warmup]
    ok = [r for r in measured if r[4] == 200]
    lat = [r[2] for r in ok]
    late = [r[3] for r in ok]
    errors = {}
    for r in measured:
        if r[4] != 200:
            errors[str(r[4])] = errors.get(str(r[4]), 0) + 1
    out = {"routers": len(routers), "interval_s": interval, "rate_per_s":
           round(len(routers) / interval, 2), "warmup_s": warmup, "seconds": seconds,
           "connections": connections, "requests": len(measured), "ok": len(ok),
           "errors": errors, "latency": summary(lat), "late": summary(late),
           "warmup_latency": summary([r[2] for r in results if r[0] < warmup and r[4] == 200]),
           "scrapes_per_router": round(len(measured) / len(routers), 2),
           "gzip_bytes_median": int(percentile([r[5] for r in ok], 50)) if ok else 0,
           "samples_median": int(percentile([r[6] for r in ok if r[6]], 50)) if ok else 0,
           "reconnects": sum(max(0, c.opened - 1) for c in clients)}
    if raw:
        with open(raw, "w") as f:
            for r in sorted(results):
                f.write(" ".join(str(x) for x in (r[0], routers[r[1]], r[2], r[3], r[4], r[5]))
                        + "\n")
    print(json.dumps(out))
    return 0 if ok and len(ok) == len(measured) else 1


def selftest():
    assert percentile([5, 1, 3, 2, 4], 50) == 3
    assert percentile(list(range(1, 101)), 99) == 99
    assert percentile(list(range(1, 101)), 100) == 100
    assert percentile(list(range(1, 1001)), 99.9) == 999
    assert percentile([7], 1) == 7
    s = summary([0.001, 0.002, 0.003])
    assert s["p50_ms"] == 2.0 and s["max_ms"] == 3.0 and s["count"] == 3, s
    # 4 targets every 2 s: one request each 0.5 s, each target once per interval, same phase
    p = schedule(4, 2.0, 0.0, 4.0)
    assert [o for o, _ in p] == [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5], p
    assert [i for _, i in p] == [0, 1, 2, 3, 0, 1, 2, 3], p
    assert [i for _, i in schedule(4, 2.0, 1.0, 2.0)] == [2, 3]
    # 1 000 routers per 30 s over 150 s: 5 scrapes each, 33.3 a second
    p = schedule(1000, 30.0, 0.0, 150.0)
    assert len(p) == 5000 and all(sum(1 for _, i in p if i == k) == 5 for k in (0, 499, 999))
    text = b"# HELP a x\n# TYPE a gauge\na 1\nb{x=\"1\"} 2\n\n# EOF\n"
    assert samples(text) == 2
    assert plain("gzip", gzip.compress(text)) == text
    page = (b'# TYPE bmp_routes gauge\nbmp_routes{router="10.0.0.1",peer="p"} 12\n'
            b'bmp_routes{router="10.0.0.1",peer="q"} 3.0\nbmp_router_up{router="10.0.0.1"} 1\n'
            b'bmp_peer_up{router="10.0.0.10",peer="p"} 1\njvm_threads 5\n')
    assert page_routes(page, "10.0.0.1") == (15, 1, 5), page_routes(page, "10.0.0.1")
    print("selftest ok")
    return 0


def main(a):
    if not a:
        print(__doc__)
        return 2
    cmd = a[0]
    if cmd == "selftest":
        return selftest()
    if cmd == "routers":
        return cmd_routers(a[1], int(a[2]) if len(a) > 2 else None,
                           float(a[3]) if len(a) > 3 else 600.0)
    if cmd == "sd":
        return cmd_sd(a[1], int(a[2]) if len(a) > 2 else 10)
    if cmd == "pages":
        return cmd_pages(a[1], int(a[2]))
    if cmd == "load":
        opts = {"--interval": 30.0, "--seconds": 120.0, "--warmup": 30.0,
                "--connections": 32, "--seed": 1, "--raw": None}
        rest = a[2:]
        for k, v in zip(rest[::2], rest[1::2]):
            if k not in opts:
                raise SystemExit(f"unknown option {k}")
            opts[k] = v if k == "--raw" else type(opts[k])(v)
        return cmd_load(a[1], opts["--interval"], opts["--seconds"], opts["--warmup"],
                        opts["--connections"], opts["--seed"], opts["--raw"])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
