#!/usr/bin/env python3
"""Read a Prometheus text exposition (a URL or a file) and compare bmp_routes with a loadgen
report. Stdlib only.

  metrics.py sum URL|FILE [METRIC]          sum of all samples of METRIC (default bmp_routes)
  metrics.py stats URL|FILE                 bytes, lines, samples, series per metric family
  metrics.py check URL|FILE REPORT.json     every (router, peer, rd, rib, afi_safi) table of
                                            the report must have bmp_routes == its "present";
                                            exit 1 and list the differences otherwise
  metrics.py wait URL REPORT.json|ROUTES[:MESSAGES] [POLL] [TIMEOUT]
                                            poll URL every POLL s (0.02; at least twice the last
                                            scrape's duration, so polling takes at most a third
                                            of one core from the exporter) until sum(bmp_routes)
                                            equals ROUTES (and, given MESSAGES,
                                            sum(bmp_router_messages_total) equals it: with churn
                                            and flaps the route sum can pass through ROUTES
                                            early), or the report's totals.routes_present
                                            once REPORT exists (phase holding/sent/done); prints
                                            "<epoch ms of that scrape's start> <polls> <sum>";
                                            exit 1 at TIMEOUT s (900)
                     [SENDER_REPORT SLOW]   while SENDER_REPORT (the load generator's report,
                                            written when every session has sent its dump)
                                            does not exist, scrape only every SLOW s (checking
                                            for the file every POLL s): the poller's scrapes
                                            then cost the exporter little CPU during the ingest
                                            and t1 stays within POLL of the end
  metrics.py selftest                       checks the parser on built-in examples

The parser follows the text format: `name{label="value",...} value [timestamp]`, label values
with \\\\, \\" and \\n escapes, comments and blank lines skipped, NaN/+Inf/-Inf values.
"""
import json
import re
import sys
import urllib.request

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\S+)?\s*$')
LABEL = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?')


def fetch(src):
    if src.startswith("http://") or src.startswith("https://"):
        with urllib.request.urlopen(src, timeout=60) as r:
            return r.read().decode("utf-8")
    with open(src, encoding="utf-8") as f:
        return f.read()


def unescape(v):
    return v.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def parse(text):
    """Yields (name, labels dict, float value) per sample."""
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        if not m:
            raise ValueError("unparsable line: " + line[:200])
        name, _, body, value, _ = m.groups()
        labels = {}
        if body:
            pos = 0
            while pos < len(body):
                lm = LABEL.match(body, pos)
                if not lm:
                    raise ValueError("bad labels: " + body[:200])
                labels[lm.group(1)] = unescape(lm.group(2))
                pos = lm.end()
        yield name, labels, float(value)


def total(text, metric):
    return sum(v for n, _, v in parse(text) if n == metric)


def cmd_check(src, report_file):
    with open(report_file) as f:
        report = json.load(f)
    want = {}
    for r in report["routes"]:
        key = (r["router"], r["peer"], r["rd"], r["rib"], r["afi_safi"])
        want[key] = want.get(key, 0) + r["present"]
    got = {}
    for n, l, v in parse(fetch(src)):
        if n == "bmp_routes":
            key = (l.get("router"), l.get("peer"), l.get("rd", ""), l.get("rib"), l.get("afi_safi"))
            got[key] = got.get(key, 0) + v
    routers = {k[0] for k in want}
    bad = []
    for k, v in sorted(want.items()):
        if got.get(k, 0) != v:
            bad.append(f"{k}: report {v}, bmp_routes {got.get(k)}")
    for k, v in sorted(got.items(), key=str):
        if k[0] in routers and k not in want and v != 0:
            bad.append(f"{k}: not in the report, bmp_routes {v}")
    print(f"checked {len(want)} tables of {len(routers)} routers: {len(bad)} differences")
    for b in bad[:50]:
        print("  " + b)
    return 1 if bad else 0


def sender_done(report_file):
    try:
        with open(report_file) as f:
            return json.load(f).get("phase") in ("holding", "sent", "done")
    except (OSError, ValueError):
        return False


def cmd_wait(url, target, poll=0.02, timeout=900.0, sender=None, slow=0.0):
    import os
    import time
    end = time.monotonic() + timeout
    last_scrape = None
    # A number is known before the run (replay of pre-encoded streams): no need to wait for the
    # generator's report, which it writes only after its last byte.
    fixed = re.fullmatch(r"(\d+)(?::(\d+))?", target)
    want = int(fixed.group(1)) if fixed else None
    want_messages = int(fixed.group(2)) if fixed and fixed.group(2) else None
    report_file = None if fixed else target
    polls = 0
    last = None
    while time.monotonic() < end:
        if want is None and os.path.exists(report_file):
            try:
                with open(report_file) as f:
                    d = json.load(f)
                if d.get("phase") in ("holding", "sent", "done"):
                    want = d["totals"]["routes_present"]
            except (OSError, ValueError):
                pass
        if sender is not None and last_scrape is not None and not sender_done(sender) \
                and time.monotonic() - last_scrape < slow:
            time.sleep(poll)
            continue
        t = time.time()
        started = last_scrape = time.monotonic()
        try:
            text = fetch(url)
            last = total(text, "bmp_routes")
            messages = total(text, "bmp_router_messages_total")
        except OSError:
            last = messages = None
        polls += 1
        if want is not None and last == want and \
                (want_messages is None or messages == want_messages):
            print(int(t * 1000), polls, int(last))
            return 0
        time.sleep(max(poll, 2 * (time.monotonic() - started)))
    print(f"timeout: sum(bmp_routes) = {last}, expected {want}", file=sys.stderr)
    return 1


def cmd_stats(src):
    text = fetch(src)
    fams = {}
    samples = 0
    for n, _, _ in parse(text):
        samples += 1
        fams[n] = fams.get(n, 0) + 1
    out = {"bytes": len(text.encode("utf-8")), "lines": text.count("\n"), "samples": samples,
           "bmp_samples": sum(v for k, v in fams.items() if k.startswith("bmp_")),
           "top": sorted(fams.items(), key=lambda kv: -kv[1])[:10]}
    print(json.dumps(out))
    return 0


def selftest():
    text = '\n'.join([
        '# HELP bmp_routes routes', '# TYPE bmp_routes gauge',
        'bmp_routes{router="127.0.1.1",peer="10.0.0.1",rd="",rib="adj_rib_in_pre",afi_safi="ipv4_unicast"} 1000.0',
        'bmp_routes{router="127.0.1.1",peer="0.0.0.0",rd="",rib="loc_rib",afi_safi="ipv4_unicast",} 5 1700000000000',
        'bmp_router_info{router="::1",sys_name="a \\"b\\" \\\\ c",sys_descr="x\\ny"} 1',
        'jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.5E7',
        'up NaN', ''])
    s = list(parse(text))
    assert total(text, "bmp_routes") == 1005, s
    assert s[2][1]["sys_name"] == 'a "b" \\ c' and s[2][1]["sys_descr"] == "x\ny", s[2]
    assert s[3][2] == 1.5e7
    report = {"routes": [
        {"router": "127.0.1.1", "peer": "10.0.0.1", "rd": "", "rib": "adj_rib_in_pre",
         "afi_safi": "ipv4_unicast", "present": 1000},
        {"router": "127.0.1.1", "peer": "0.0.0.0", "rd": "", "rib": "loc_rib",
         "afi_safi": "ipv4_unicast", "present": 6}]}
    import os
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        m, r = os.path.join(d, "m.txt"), os.path.join(d, "r.json")
        open(m, "w").write(text)
        json.dump(report, open(r, "w"))
        assert cmd_check(m, r) == 1
        report["routes"][1]["present"] = 5
        json.dump(report, open(r, "w"))
        assert cmd_check(m, r) == 0
    try:
        list(parse("bmp_routes{router=127} 1"))
        raise AssertionError("accepted unquoted label")
    except ValueError:
        pass
    print("selftest ok")
    return 0


def main(a):
    if not a:
        print(__doc__)
        return 2
    if a[0] == "sum":
        print(int(total(fetch(a[1]), a[2] if len(a) > 2 else "bmp_routes")))
        return 0
    if a[0] == "stats":
        return cmd_stats(a[1])
    if a[0] == "check":
        return cmd_check(a[1], a[2])
    if a[0] == "wait":
        return cmd_wait(a[1], a[2], float(a[3]) if len(a) > 3 else 0.02,
                        float(a[4]) if len(a) > 4 else 900.0,
                        a[5] if len(a) > 5 else None, float(a[6]) if len(a) > 6 else 0.0)
    if a[0] == "selftest":
        return selftest()
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
