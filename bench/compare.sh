#!/usr/bin/env bash
# compare.sh SCENARIO - the same stream files into bmp-exporter (ingest.sh) and into pmacct's
# pmbmpd (pmacct.sh), one after the other on an otherwise idle machine, and the ratio of the
# two times (pmbmpd seconds / bmp-exporter seconds: above 1 = the exporter is faster).
#
#   Env: as ingest.sh and pmacct.sh (EXPORTER_JAR, PM_RIB, WAIT_SECONDS, ...); ONLY=exporter or
#        ONLY=pmbmpd re-runs one side and compares with the other side's last result.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SCEN="${1:-1x1x1m}"
scenario "$SCEN"
build
export SKIP_BUILD=1
[ "${ONLY:-}" = pmbmpd ] || "$BENCH_DIR/ingest.sh" "$SCEN"
[ "${ONLY:-}" = exporter ] || "$BENCH_DIR/pmacct.sh" "$SCEN"

python3 - "$RESULTS" "$SCEN" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
last = {}
for r in rows:
    if r.get("scenario") == sys.argv[2] and r.get("tool") in ("bmp-exporter", "pmbmpd"):
        last[r["tool"]] = r
if len(last) < 2:
    sys.exit("need a result of both tools for " + sys.argv[2])
e, p = last["bmp-exporter"], last["pmbmpd"]
assert e["routes"] == p["routes"], (e["routes"], p["routes"])
ratio = p["seconds"] / e["seconds"]
print(f"RESULT tool=compare scenario={sys.argv[2]} routes={e['routes']} "
      f"exporter_seconds={e['seconds']} pmbmpd_seconds={p['seconds']} ratio={ratio:.2f}")
with open(sys.argv[1], "a") as f:
    f.write(json.dumps({"tool": "compare", "scenario": sys.argv[2], "routes": e["routes"],
                        "exporter_seconds": e["seconds"], "pmbmpd_seconds": p["seconds"],
                        "ratio": round(ratio, 3)}) + "\n")
EOF
