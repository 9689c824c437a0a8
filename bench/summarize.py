#!/usr/bin/env python3
"""Markdown tables of the bench results ($BENCH_TMP/results.jsonl, one JSON object per line).

Usage: summarize.py [RESULTS.jsonl]
"""
import json
import os
import sys


def fmt(v, digits=0):
    if isinstance(v, float):
        return f"{v:,.{digits}f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.environ.get("BENCH_TMP", "/tmp/bmp-bench"), "results.jsonl")
    rows = [json.loads(l) for l in open(path) if l.strip()]
    sink = [r for r in rows if r.get("tool") == "loadgen-sink"]
    if sink:
        print("| scenario | packing | mode | prefixes | bytes | sender s | sender prefixes/s |"
              " receiver s | receiver prefixes/s | pre-encoding s | load1 |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for r in sink:
            print(f"| {r['scenario']} | {r['packing']} | {r['mode']} | {fmt(r['prefixes'])} |"
                  f" {fmt(r['bytes'])} | {fmt(r['seconds'], 3)} |"
                  f" {fmt(r['prefixes_per_second'])} | {fmt(r['receiver_seconds'], 3)} |"
                  f" {fmt(r['receiver_prefixes_per_second'])} |"
                  f" {fmt(r.get('prepare_seconds', '-'), 2)} | {r.get('load1', '-')} |")
        print()
    pm = [r for r in rows if r.get("tool") == "pmbmpd"]
    if pm:
        print("| scenario | routes | pmbmpd RIB | seconds | prefixes/s | JSON bytes | RSS kB"
              " (idle) | replay send s | load1 |")
        print("|---|---|---|---|---|---|---|---|---|")
        for r in pm:
            print(f"| {r['scenario']} | {fmt(r['routes'])} | {'yes' if r.get('pm_rib') else 'no'}"
                  f" | {fmt(r['seconds'], 2)} | {fmt(r['prefixes_per_second'])} |"
                  f" {fmt(r['msglog_bytes'])} | {fmt(r['rss_kb'])} ({fmt(r['rss_idle_kb'])}) |"
                  f" {fmt(r['replay_send_seconds'], 2)} | {r.get('load1', '-')} |")
        print()
    ex = [r for r in rows if r.get("tool") == "bmp-exporter"]
    if ex:
        print("| scenario | routes | seconds | prefixes/s | heap B/route | heap MB loaded"
              " (baseline) | RSS MB loaded (baseline) | scrape median s (max) | scrape bytes |"
              " promtool | cleared | load1 |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|")
        for r in ex:
            print(f"| {r['scenario']} | {fmt(r['routes'])} | {fmt(r['seconds'], 2)} |"
                  f" {fmt(r['prefixes_per_second'])} | {r['heap_bytes_per_route']} |"
                  f" {r['heap_loaded_bytes'] / 1e6:.1f} ({r['heap_baseline_bytes'] / 1e6:.1f}) |"
                  f" {r['rss_loaded_kb'] / 1e3:.0f} ({r['rss_baseline_kb'] / 1e3:.0f}) |"
                  f" {r['scrape_median_seconds']} ({r['scrape_max_seconds']}) |"
                  f" {fmt(r['scrape_bytes'])} | {r['promtool']} |"
                  f" {r['cleared_after_termination']} | {r.get('load1', '-')} |")
        print()
    cmp_ = [r for r in rows if r.get("tool") == "compare"]
    if cmp_:
        print("| scenario | routes | exporter s | pmbmpd s | pmbmpd RIB | ratio |")
        print("|---|---|---|---|---|---|")
        for r in cmp_:
            print(f"| {r['scenario']} | {fmt(r['routes'])} | {r['exporter_seconds']} |"
                  f" {r['pmbmpd_seconds']} | {'yes' if r.get('pm_rib') else 'no'} |"
                  f" {r['ratio']:.1f} |")


if __name__ == "__main__":
    main()
