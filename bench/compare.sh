#!/usr/bin/env bash
# compare.sh SCENARIO - the same stream files into bmp-exporter (ingest.sh) and into pmacct's
# pmbmpd (pmacct.sh), one after the other on an otherwise idle machine, and the ratio of the
# two times (pmbmpd seconds / bmp-exporter seconds: above 1 = the exporter is faster).
#
#   Env: as ingest.sh and pmacct.sh (EXPORTER_JAR, PM_RIB, WAIT_SECONDS, ...); ONLY=exporter or
#        ONLY=pmbmpd re-runs one side and compares with the other side's last result in
#        $RESULTS; ONLY=ratio only compares the last results.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SCEN="${1:-1x1x1m}"
scenario "$SCEN"
case "${ONLY:-both}" in
  both) build; SKIP_BUILD=1 "$BENCH_DIR/ingest.sh" "$SCEN"; SKIP_BUILD=1 "$BENCH_DIR/pmacct.sh" "$SCEN" ;;
  exporter) "$BENCH_DIR/ingest.sh" "$SCEN" ;;
  pmbmpd) "$BENCH_DIR/pmacct.sh" "$SCEN" ;;
  ratio) ;;
  *) die "ONLY must be both, exporter, pmbmpd or ratio" ;;
esac

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
      f"exporter_seconds={e['seconds']} pmbmpd_seconds={p['seconds']} pm_rib={p.get('pm_rib')} "
      f"ratio={ratio:.2f}")
with open(sys.argv[1], "a") as f:
    f.write(json.dumps({"tool": "compare", "scenario": sys.argv[2], "routes": e["routes"],
                        "exporter_seconds": e["seconds"], "pmbmpd_seconds": p["seconds"],
                        "pm_rib": p.get("pm_rib"), "ratio": round(ratio, 3)}) + "\n")
EOF
