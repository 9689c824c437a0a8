#!/usr/bin/env bash
# run-all.sh - the measurement pass of docs/performance-loadgen.md, in order (≈ 10 min; the
# pmbmpd 20x10x100k run writes ≈ 10 GB of JSON under $BENCH_TMP, deleted afterwards).
# EXPORTER_JAR selects the exporter build (default: this build's jar).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
build
export SKIP_BUILD=1
REPEAT=3 bench/sink.sh 1x1x1m
REPEAT=3 bench/sink.sh 20x10x100k
PACKING=single REPEAT=3 bench/sink.sh 1x1x1m
bench/ingest.sh 1x1x1m
bench/ingest.sh 1x1x1m
PM_RIB=1 bench/pmacct.sh 1x1x1m
ONLY=ratio bench/compare.sh 1x1x1m
PM_RIB=0 bench/pmacct.sh 1x1x1m
ONLY=ratio bench/compare.sh 1x1x1m
bench/ingest.sh 20x10x100k
SCRAPES=20 bench/ingest.sh 100x50
WAIT_SECONDS=1500 PM_RIB=0 bench/pmacct.sh 20x10x100k
ONLY=ratio bench/compare.sh 20x10x100k
python3 bench/summarize.py "$RESULTS"
