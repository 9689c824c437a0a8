#!/usr/bin/env bash
# ingest.sh SCENARIO - end-to-end ingest of bmp-exporter: from the first byte the load
# generator sends until sum(bmp_routes) on /metrics equals the routes it sent; then heap bytes
# per route, RSS, and /metrics scrape time and size.
#
#   SCENARIO: 1x1x1m | 20x10x100k | 100x50 (scrape size with 100 routers x 50 peers) | small | churn |
#             custom (ROUTERS PEERS V4 V6 RIBS)
#   Env: SKIP_BUILD=1, KEEP_WORK=1, EXPORTER_JAR (default: this build's jar), EXPORTER_JAVA_OPTS
#        (default -Xmx4g), EXPORTER_ARGS (extra exporter flags, e.g. --no-warmup for the
#        figure of a JVM that has not compiled the decode path yet), POLL (seconds between /metrics polls, default 0.02,
#        at least twice the last scrape's duration), SCRAPES (timed
#        scrapes after the load, default 10), WAIT_SECONDS (default 900), MODE=replay|generate
#        (replay, default: the same stream files pmacct.sh replays; generate: the loadgen
#        generates live from its pre-encoded tables).
#
# Steps: build; generate the scenario's stream files once; start the exporter
#   java -jar EXPORTER_JAR --bmp-listen 127.0.0.1:BMP --web-listen 127.0.0.1:WEB
# and wait for /metrics; baseline heap (jcmd PID GC.run, then GC.heap_info) and RSS; replay the
# stream (one session per router from 127.0.1.x, held open with --hold so the routes stay);
# poll /metrics (metrics.py wait) until sum(bmp_routes) == the report's routes_present; t1 = the
# start of that scrape, t0 = the loadgen's first byte; check every table of the
# report against its bmp_routes series (bench/metrics.py check); heap again after GC.run; time
# SCRAPES scrapes with curl; release the sessions (SIGTERM: Termination, routes cleared) and
# check bmp_routes fell back to 0; stop the exporter. Prints a RESULT line (also in $RESULTS).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SCEN="${1:-1x1x1m}"
scenario "$SCEN"
need python3 curl ss jcmd java
EXPORTER_JAR="${EXPORTER_JAR:-$JAR}"
POLL="${POLL:-0.02}"
SCRAPES="${SCRAPES:-10}"
WAIT_SECONDS="${WAIT_SECONDS:-900}"
MODE="${MODE:-replay}"
W="$BENCH_TMP/ingest-$SCEN"
STREAMS="$BENCH_TMP/streams/$SCEN"

build
[ -f "$EXPORTER_JAR" ] || die "no exporter jar $EXPORTER_JAR"
if [ "$MODE" = replay ]; then
  make_stream "$STREAMS"
  ROUTES="$(json_get "$STREAMS/stream.json" 'd["totals"]["routes_present"]')"
  MESSAGES="$(json_get "$STREAMS/stream.json" 'd["totals"]["messages_total"]')"
fi
rm -rf "$W"
mkdir -p "$W"
BMP_PORT="$(free_port)"
WEB_PORT="$(free_port)"
[ "$BMP_PORT" != "$WEB_PORT" ] || WEB_PORT="$(free_port)"
URL="http://127.0.0.1:$WEB_PORT/metrics"

stop_all() {
  stop_pidfile "$W/loadgen.pid" 20
  stop_pidfile "$W/exporter.pid" 20
}
trap 'stop_all; cleanup_work "$W"' EXIT
trap 'exit 130' INT TERM

EXPORTER_ARGS="${EXPORTER_ARGS:-}"
# shellcheck disable=SC2086
start_bg "$W/exporter.pid" "$W/exporter.log" "$JAVA" $EXPORTER_JAVA_OPTS -jar "$EXPORTER_JAR" \
  --bmp-listen "127.0.0.1:$BMP_PORT" --web-listen "127.0.0.1:$WEB_PORT" $EXPORTER_ARGS
wait_until 60 curl -fsS -o /dev/null "$URL" || die "exporter not up: $(tail -20 "$W/exporter.log")"
# Routers reconnect seconds after a restart (their connect-retry timers); by then the exporter's
# start-up warm-up (under a second here) has ended. Wait for it so the figure is not a race.
if [[ " $EXPORTER_ARGS " != *" --no-warmup "* ]]; then
  wait_until 60 grep -q "decode path warmed up" "$W/exporter.log" \
    || die "no warm-up line in $W/exporter.log"
  log "$(grep -o "decode path warmed up.*" "$W/exporter.log")"
fi
EX_PID="$(child_pid "$(cat "$W/exporter.pid")")"
[ -n "$EX_PID" ] || die "no exporter JVM under $(cat "$W/exporter.pid")"

heap_used() { # bytes of live heap after a full GC
  jcmd "$EX_PID" GC.run >/dev/null
  jcmd "$EX_PID" GC.heap_info | python3 -c '
import re, sys
t = sys.stdin.read()
m = re.search(r"garbage-first heap\s+total \d+K, used (\d+)K", t)
if m:
    print(int(m.group(1)) * 1024)
else:  # Parallel/Serial: young + old generations
    print(sum(int(x) * 1024 for x in re.findall(r"(?:PSYoungGen|ParOldGen|def new generation|tenured generation)\s+total \d+K, used (\d+)K", t)))'
}
H0="$(heap_used)"
RSS0="$(rss_kb "$EX_PID")"
log "exporter pid $EX_PID: BMP 127.0.0.1:$BMP_PORT, $URL; baseline heap $H0 B, RSS $RSS0 kB"

if [ "$MODE" = replay ]; then
  # shellcheck disable=SC2046
  start_bg "$W/loadgen.pid" "$W/loadgen.log" "$JAVA" $LOADGEN_JAVA_OPTS -cp "$JAR" \
    org.bmpexporter.loadgen.LoadgenCommand $(stream_files "$STREAMS") \
    --target "127.0.0.1:$BMP_PORT" --hold "$WAIT_SECONDS" --report "$W/report.json" \
    --max-seconds "$((WAIT_SECONDS + 120))"
else
  # shellcheck disable=SC2086
  start_bg "$W/loadgen.pid" "$W/loadgen.log" "$JAVA" $LOADGEN_JAVA_OPTS -cp "$JAR" \
    org.bmpexporter.loadgen.LoadgenCommand --routers "$ROUTERS" --peers "$PEERS" \
    --ipv4 "$V4" --ipv6 "$V6" --ribs "$RIBS" --packing "$PACKING" --seed "$SEED" \
    --stats-interval 0 --target "127.0.0.1:$BMP_PORT" --hold "$WAIT_SECONDS" \
    --report "$W/report.json" --max-seconds "$((WAIT_SECONDS + 120))"
fi

# poll /metrics until every route is counted: replay knows the total from the stream files;
# generate mode learns it from the report, which appears once the sessions sent everything
if [ "$MODE" = replay ]; then WANT="$ROUTES:$MESSAGES"; else WANT="$W/report.json"; fi
read -r T1 POLLS LAST < <(python3 "$BENCH_DIR/metrics.py" wait "$URL" "$WANT" "$POLL" "$WAIT_SECONDS") \
  || die "sum(bmp_routes) never reached the routes sent: $(tail -3 "$W/loadgen.log")"
wait_until 60 test -s "$W/report.json" || die "no loadgen report"
ROUTES="$(json_get "$W/report.json" 'd["totals"]["routes_present"]')"
[ "$MODE" != replay ] || [ "$ROUTES:$(json_get "$W/report.json" 'd["totals"]["messages_total"]')" = "$WANT" ] \
  || die "report says $ROUTES routes, streams $WANT (routes:messages)"
NLRI="$(json_get "$W/report.json" 'd["totals"]["prefixes_announced"] + d["totals"]["prefixes_withdrawn"]')"
[ "$(json_get "$W/report.json" 'd["totals"]["sessions_with_errors"]')" = 0 ] || die "loadgen session errors"
T0="$(json_get "$W/report.json" 'd["timing"]["first_byte_epoch_ms"]')"
SEND_S="$(json_get "$W/report.json" 'd["timing"]["dump_seconds"]')"
SECS="$(python3 -c "print(round(($T1 - $T0) / 1000, 3))")"
RATE="$(python3 -c "print(round($ROUTES / max(($T1 - $T0) / 1000, 1e-9)))")"
NLRI_RATE="$(python3 -c "print(round($NLRI / max(($T1 - $T0) / 1000, 1e-9)))")"
log "sum(bmp_routes) = $ROUTES after ${SECS}s = $RATE prefixes/s (sent in ${SEND_S}s; $POLLS polls); $NLRI NLRI announced or withdrawn = $NLRI_RATE NLRI/s"

python3 "$BENCH_DIR/metrics.py" check "$URL" "$W/report.json" | tee "$W/check.txt" >&2 \
  || die "bmp_routes differ from the report"

H1="$(heap_used)"
RSS1="$(rss_kb "$EX_PID")"
PER_ROUTE="$(python3 -c "print(round(($H1 - $H0) / max($ROUTES, 1), 1))")"
log "heap after GC: $H1 B (+$((H1 - H0)) B = $PER_ROUTE B/route); RSS $RSS1 kB"

for ((i = 0; i < SCRAPES; i++)); do
  curl -fsS -o "$W/scrape.txt" -w '%{time_total} %{size_download}\n' "$URL" >>"$W/scrapes.txt"
done
read -r SCRAPE_MEDIAN SCRAPE_MAX SCRAPE_BYTES < <(python3 -c '
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
t = sorted(float(r[0]) for r in rows)
print(round(statistics.median(t), 4), round(t[-1], 4), rows[-1][1])' "$W/scrapes.txt")
SERIES="$(python3 "$BENCH_DIR/metrics.py" stats "$W/scrape.txt")"
log "scrape: median ${SCRAPE_MEDIAN}s, max ${SCRAPE_MAX}s, $SCRAPE_BYTES bytes; $SERIES"
if command -v promtool >/dev/null 2>&1; then
  promtool check metrics <"$W/scrape.txt" >"$W/promtool.txt" 2>&1 && PROMTOOL=ok || PROMTOOL=fail
else
  PROMTOOL=absent
fi

# release the sessions: Termination, and the exporter clears the routers' routes
stop_pidfile "$W/loadgen.pid" 30
wait_until 60 sh -c "[ \"\$(python3 '$BENCH_DIR/metrics.py' sum '$URL')\" = 0 ]" && CLEARED=yes || CLEARED=no
log "after Termination: bmp_routes cleared: $CLEARED"

result tool=bmp-exporter scenario="$SCEN" mode="$MODE" routers="$ROUTERS" peers="$PEERS" \
  ipv4="$V4" ipv6="$V6" ribs="$RIBS" churn_rate="$CHURN_RATE" churn_seconds="$CHURN_SECONDS" \
  flaps="$FLAPS" routes="$ROUTES" nlri="$NLRI" nlri_per_second="$NLRI_RATE" seconds="$SECS" \
  prefixes_per_second="$RATE" send_seconds="$SEND_S" heap_baseline_bytes="$H0" \
  heap_loaded_bytes="$H1" heap_bytes_per_route="$PER_ROUTE" rss_baseline_kb="$RSS0" \
  rss_loaded_kb="$RSS1" scrape_median_seconds="$SCRAPE_MEDIAN" scrape_max_seconds="$SCRAPE_MAX" \
  scrape_bytes="$SCRAPE_BYTES" promtool="$PROMTOOL" cleared_after_termination="$CLEARED" \
  exporter_jar="$EXPORTER_JAR" exporter_java_opts="${EXPORTER_JAVA_OPTS// /_}" \
  exporter_args="${EXPORTER_ARGS// /_}"
