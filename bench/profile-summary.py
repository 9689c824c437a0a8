#!/usr/bin/env python3
"""Summarises an async-profiler collapsed-stack file (one "frame;frame;... count" per line):
where the exporter's CPU went, by part, then the top self frames of the event loops.

    profile-summary.py FILE.collapsed [TOP]

Parts: the BMP session (decode and tables: stacks through BmpSession.feed), the rest of the
read path on the event loops (Netty, Vert.x, the copy out of the read buffer), the kernel under
the event loops, the JIT compilers, GC, and everything else.
"""
import collections
import sys


def part(frames):
    joined = ";".join(frames)
    if "CompileBroker::" in joined:
        return "JIT compilers"
    if "G1" in joined or "GCTask" in joined or "VM_G1" in joined:
        return "GC"
    if "BmpSession.feed" in joined:
        return "BMP session (decode, tables)"
    if "SingleThreadIoEventLoop" in joined or "NioIoHandler" in joined:
        if frames[-1].endswith("_[k]"):
            return "event loops: kernel"
        return "event loops: read path (Netty, Vert.x, copy)"
    return "other"


def main():
    path = sys.argv[1]
    top_n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    parts = collections.Counter()
    selfs = collections.Counter()
    total = 0
    for line in open(path):
        line = line.rstrip("\n")
        if not line:
            continue
        stack, count = line.rsplit(" ", 1)
        n = int(count)
        frames = stack.split(";")
        total += n
        p = part(frames)
        parts[p] += n
        if p.startswith("BMP session") or p.startswith("event loops"):
            selfs[frames[-1]] += n
    print(f"{total} samples")
    for p, n in parts.most_common():
        print(f"  {100 * n / total:5.1f}%  {p}")
    print(f"top self frames on the event loops (% of all samples):")
    for f, n in selfs.most_common(top_n):
        print(f"  {100 * n / total:5.1f}%  {f}")


if __name__ == "__main__":
    main()
