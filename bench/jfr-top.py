#!/usr/bin/env python3
"""Aggregate a JFR recording's CPU samples (jdk.ExecutionSample) by method: self samples (the
top frame) and total samples (anywhere on the stack), for the threads whose name matches
--threads (default: the Vert.x event loops that run the BMP sessions). Stdlib + the JDK's `jfr`.

  jfr-top.py FILE.jfr [--threads REGEX] [--top N] [--allocations]

--allocations aggregates jdk.ObjectAllocationSample by allocated class and top application frame
(weight = sampled bytes) instead.
"""
import argparse
import collections
import json
import re
import subprocess
import sys


def frames(ev):
    st = ev["values"].get("stackTrace") or {}
    out = []
    for f in st.get("frames") or []:
        m = f.get("method") or {}
        t = (m.get("type") or {}).get("name", "?")
        out.append(f"{re.split('[./]', t)[-1]}.{m.get('name', '?')}")
    return out


def thread_name(ev):
    t = ev["values"].get("sampledThread") or ev["values"].get("eventThread") or {}
    return t.get("javaName") or t.get("osName") or ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--threads", default="vert.x-eventloop")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--allocations", action="store_true")
    a = ap.parse_args()
    event = "jdk.ObjectAllocationSample" if a.allocations else "jdk.ExecutionSample"
    out = subprocess.run(["jfr", "print", "--json", "--events", event, a.file],
                         check=True, capture_output=True, text=True).stdout
    events = json.loads(out)["recording"]["events"]
    rx = re.compile(a.threads)
    selfc, total = collections.Counter(), collections.Counter()
    n = 0
    for ev in events:
        if not rx.search(thread_name(ev)):
            continue
        fs = frames(ev)
        if not fs:
            continue
        w = ev["values"].get("weight", 1) if a.allocations else 1
        n += w
        if a.allocations:
            cls = (ev["values"].get("objectClass") or {}).get("name", "?")
            selfc[f"{cls} <- {fs[0]}"] += w
            continue
        selfc[fs[0]] += 1
        for f in set(fs):
            total[f] += 1
    unit = "bytes" if a.allocations else "samples"
    print(f"{n} {unit} ({event}) on threads /{a.threads}/")
    print(f"{'self %':>7}  method")
    for m, c in selfc.most_common(a.top):
        print(f"{100 * c / max(n, 1):7.1f}  {m}")
    if not a.allocations:
        print(f"\n{'total %':>7}  method (anywhere on the stack)")
        for m, c in total.most_common(a.top):
            print(f"{100 * c / max(n, 1):7.1f}  {m}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
