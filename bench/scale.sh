#!/usr/bin/env bash
# scale.sh - one exporter, a thousand routers: 1,000 BMP sessions × 100 peers with small tables,
# scraped per router the way Prometheus does. Measures the exporter's heap and RSS, /sd, the
# per-router scrape latency under a background of every router once per 30 s, and the full
# /metrics page with and without gzip.
#
#   Env: SKIP_BUILD=1, KEEP_WORK=1, EXPORTER_JAR, EXPORTER_JAVA_OPTS (default -Xmx4g),
#        ROUTERS (1000), PEERS (100), V4 (10), V6 (2), RIBS (pre,post,loc): what each router
#        sends (the load generator's --routers --peers --ipv4 --ipv6 --ribs),
#        INTERVAL (30: seconds between two scrapes of a router), WARMUP (30: seconds of
#        background before the measured part), SECONDS_MEASURED (120), CONNECTIONS (32:
#        kept-alive HTTP connections of the scraper, one per concurrent scrape as Prometheus
#        opens them), SD_REQUESTS (20), FULL_SCRAPES (3 with gzip, 3 without), JFR=FILE
#        (record the background part with JDK Flight Recorder into FILE),
#        WAIT_SECONDS (600: bound on each wait), NICE (0: the exporter's and the scraper's
#        nice value and, where the kernel groups processes by session (autogroup), their
#        sessions' nice value; a negative one, as root, keeps other work on a shared machine
#        from taking their CPU).
#
# Steps: start the exporter (java EXPORTER_JAVA_OPTS -jar EXPORTER_JAR --bmp-listen
# 127.0.0.1:BMP --web-listen 127.0.0.1:WEB), wait for its warm-up, heap after GC (jcmd GC.run,
# GC.heap_info) and RSS; start the load generator (one session per router from 127.0.1.1,
# 127.0.1.2, …, 127.0.4.232 for 1,000 routers, held open with --hold); wait until /sd shows every router up and the
# per-router pages together hold every route the generator sent; heap and RSS again; time /sd;
# run the scrape background (bench/scrape_load.py load) with the load average and the exporter's
# CPU time before and after; time the full /metrics with and without gzip and count its series;
# stop everything. Prints a RESULT line (also in $RESULTS) and the driver's JSON.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

need python3 curl ss jcmd java
EXPORTER_JAR="${EXPORTER_JAR:-$JAR}"
ROUTERS="${ROUTERS:-1000}"
PEERS="${PEERS:-100}"
V4="${V4:-10}"
V6="${V6:-2}"
RIBS="${RIBS:-pre,post,loc}"
INTERVAL="${INTERVAL:-30}"
WARMUP="${WARMUP:-30}"
SECONDS_MEASURED="${SECONDS_MEASURED:-120}"
CONNECTIONS="${CONNECTIONS:-32}"
SD_REQUESTS="${SD_REQUESTS:-20}"
FULL_SCRAPES="${FULL_SCRAPES:-3}"
WAIT_SECONDS="${WAIT_SECONDS:-600}"
NICE="${NICE:-0}"
HOLD=$((WAIT_SECONDS * 3 + WARMUP + SECONDS_MEASURED + 600))
W="$BENCH_TMP/scale"

build
[ -f "$EXPORTER_JAR" ] || die "no exporter jar $EXPORTER_JAR"
# one descriptor per session on each side, plus the JVMs' own
[ "$(ulimit -n)" -ge $((ROUTERS + 1000)) ] || ulimit -n $((ROUTERS + 1000)) 2>/dev/null \
  || die "ulimit -n is $(ulimit -n): raise it to at least $((ROUTERS + 1000))"
rm -rf "$W"
mkdir -p "$W"
BMP_PORT="$(free_port)"
WEB_PORT="$(free_port)"
[ "$BMP_PORT" != "$WEB_PORT" ] || WEB_PORT="$(free_port)"
BASE="http://127.0.0.1:$WEB_PORT"

stop_all() {
  stop_pidfile "$W/loadgen.pid" 30
  stop_pidfile "$W/exporter.pid" 30
}
trap 'stop_all; cleanup_work "$W"' EXIT
trap 'exit 130' INT TERM

# shellcheck disable=SC2086
start_bg "$W/exporter.pid" "$W/exporter.log" nice -n "$NICE" "$JAVA" $EXPORTER_JAVA_OPTS -jar "$EXPORTER_JAR" \
  --bmp-listen "127.0.0.1:$BMP_PORT" --web-listen "127.0.0.1:$WEB_PORT"
wait_until 60 curl -fsS -o /dev/null "$BASE/metrics" || die "exporter not up: $(tail -20 "$W/exporter.log")"
wait_until 60 grep -q "decode path warmed up" "$W/exporter.log" || die "no warm-up line in $W/exporter.log"
EX_PID="$(child_pid "$(cat "$W/exporter.pid")")"
[ -n "$EX_PID" ] || die "no exporter JVM under $(cat "$W/exporter.pid")"
# With autogroup scheduling a process's nice value counts only within its session: CPU is shared
# between sessions first. Give the exporter's session (start_bg's setsid) and ours the nice value.
autogroup_nice() {
  [ "$NICE" = 0 ] || [ ! -w "/proc/$1/autogroup" ] || echo "$NICE" >"/proc/$1/autogroup" \
    || log "could not set the autogroup nice value of $1"
}
autogroup_nice "$EX_PID"
autogroup_nice $$

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
cpu_seconds() { # user + system CPU seconds of a process so far
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"
}
loadavg() { cut -d' ' -f1-3 /proc/loadavg | tr ' ' /; }

H0="$(heap_used)"
RSS0="$(rss_kb "$EX_PID")"
log "exporter pid $EX_PID ($EXPORTER_JAVA_OPTS): BMP 127.0.0.1:$BMP_PORT, $BASE; idle heap $H0 B, RSS $RSS0 kB"

# shellcheck disable=SC2086
start_bg "$W/loadgen.pid" "$W/loadgen.log" "$JAVA" $LOADGEN_JAVA_OPTS -cp "$JAR" \
  org.bmpexporter.loadgen.LoadgenCommand --routers "$ROUTERS" --peers "$PEERS" \
  --ipv4 "$V4" --ipv6 "$V6" --ribs "$RIBS" --source-base 127.0.1.1 \
  --target "127.0.0.1:$BMP_PORT" --hold "$HOLD" --report "$W/report.json" \
  --max-seconds "$((HOLD + 300))"
T_START="$(now_ms)"
wait_until "$WAIT_SECONDS" report_ready "$W/report.json" \
  || die "the load generator did not send everything: $(tail -5 "$W/loadgen.log")"
[ "$(json_get "$W/report.json" 'd["totals"]["sessions_with_errors"]')" = 0 ] \
  || die "load generator session errors: $(tail -5 "$W/loadgen.log")"
ROUTES="$(json_get "$W/report.json" 'd["totals"]["routes_present"]')"
python3 "$BENCH_DIR/scrape_load.py" routers "$BASE" "$ROUTERS" "$WAIT_SECONDS" >"$W/up.txt" \
  || die "not every router came up on /sd"
read -r SD_ROUTERS SD_UP <"$W/up.txt"
[ "$SD_UP" = "$ROUTERS" ] || die "/sd shows $SD_UP routers up, want $ROUTERS"
# the report is written when the generator has sent everything; the exporter may still be decoding
wait_until "$WAIT_SECONDS" sh -c "python3 '$BENCH_DIR/scrape_load.py' pages '$BASE' '$ROUTES' >'$W/pages.json'" \
  || die "the per-router pages do not hold the $ROUTES routes sent: $(cat "$W/pages.json")"
LOADED_S="$(python3 -c "print(round(($(now_ms) - $T_START) / 1000, 1))")"
log "$SD_UP routers up, $ROUTES routes in the per-router pages after ${LOADED_S}s: $(cat "$W/pages.json")"

H1="$(heap_used)"
RSS1="$(rss_kb "$EX_PID")"
log "heap after GC: $H1 B (+$((H1 - H0)) B); RSS $RSS1 kB (+$((RSS1 - RSS0)) kB)"

nice -n "$NICE" python3 "$BENCH_DIR/scrape_load.py" sd "$BASE" "$SD_REQUESTS" >"$W/sd.json"
log "/sd: $(cat "$W/sd.json")"

if [ -n "${JFR:-}" ]; then
  jcmd "$EX_PID" JFR.start name=scale settings=profile \
    duration="$((WARMUP + SECONDS_MEASURED))s" filename="$W/load.jfr" >/dev/null
fi
LOAD_BEFORE="$(loadavg)"
CPU0="$(cpu_seconds "$EX_PID")"
log "scrape background: $ROUTERS routers every ${INTERVAL}s, ${WARMUP}s warm-up + ${SECONDS_MEASURED}s measured, load $LOAD_BEFORE"
nice -n "$NICE" python3 "$BENCH_DIR/scrape_load.py" load "$BASE" --interval "$INTERVAL" --warmup "$WARMUP" \
  --seconds "$SECONDS_MEASURED" --connections "$CONNECTIONS" --raw "$W/latencies.txt" \
  >"$W/load.json" || log "some background scrapes failed: $(cat "$W/load.json")"
CPU1="$(cpu_seconds "$EX_PID")"
LOAD_AFTER="$(loadavg)"
EX_CPU="$(python3 -c "print(round(($CPU1 - $CPU0) / ($WARMUP + $SECONDS_MEASURED), 3))")"
log "background: $(cat "$W/load.json"); exporter CPU ${EX_CPU} cores; load $LOAD_AFTER"
if [ -n "${JFR:-}" ]; then
  wait_until 60 test -s "$W/load.jfr" || jcmd "$EX_PID" JFR.stop name=scale >/dev/null || true
  cp "$W/load.jfr" "$JFR" && log "flight recording in $JFR"
fi
LAT="$(json_get "$W/load.json" 'd["latency"]')"

full() { # full ENCODING : FULL_SCRAPES timed requests of /metrics; "median max bytes failures"
  local enc="$1" i
  : >"$W/full-$enc.txt"
  for ((i = 0; i < FULL_SCRAPES; i++)); do
    # a failed request (the connection closed, a timeout) is a result too: note it, go on
    nice -n "$NICE" curl -fsS -m "$WAIT_SECONDS" -H "Accept-Encoding: $enc" \
      -H 'Accept: application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1' \
      -o "$W/full.$enc" -w '%{time_total} %{size_download}\n' "$BASE/metrics" >>"$W/full-$enc.txt" \
      || echo "fail $?" >>"$W/full-$enc.txt"
  done
  log "full /metrics ($enc): $(tr '\n' ' ' <"$W/full-$enc.txt")"
  python3 -c '
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
# curl writes its -w line also when it fails (size 0), then the "fail" line follows
ok = [r for r in rows if r[0] != "fail" and int(r[1]) > 0]
t = sorted(float(r[0]) for r in ok) or [float("nan")]
print(round(statistics.median(t), 3), round(t[-1], 3), ok[-1][1] if ok else 0,
      sum(1 for r in rows if r[0] == "fail"))' "$W/full-$enc.txt"
}
LOAD_FULL="$(loadavg)"
read -r FULL_GZ_MEDIAN FULL_GZ_MAX FULL_GZ_BYTES FULL_GZ_FAILED < <(full gzip)
read -r FULL_MEDIAN FULL_MAX FULL_BYTES FULL_FAILED < <(full identity)
touch "$W/full.identity"
SERIES="$(grep -vc '^#' "$W/full.identity" || true)"
BMP_SERIES="$(grep -c '^bmp_' "$W/full.identity" || true)"
TIMEOUTS="$(awk '/^bmp_exporter_snapshot_timeouts_total/ {s += $NF} END {print s + 0}' "$W/full.identity")"
RSS2="$(rss_kb "$EX_PID")"
HWM="$(hwm_kb "$EX_PID")"
log "full /metrics: gzip median ${FULL_GZ_MEDIAN}s max ${FULL_GZ_MAX}s $FULL_GZ_BYTES B; plain median ${FULL_MEDIAN}s max ${FULL_MAX}s $FULL_BYTES B; $SERIES samples ($BMP_SERIES bmp_*); snapshot timeouts $TIMEOUTS; RSS $RSS2 kB, peak $HWM kB; load $(loadavg)"

stop_pidfile "$W/loadgen.pid" 60

result tool=bmp-exporter scenario=scale routers="$ROUTERS" peers="$PEERS" ipv4="$V4" ipv6="$V6" \
  ribs="$RIBS" routes="$ROUTES" loaded_seconds="$LOADED_S" heap_idle_bytes="$H0" \
  heap_loaded_bytes="$H1" rss_idle_kb="$RSS0" rss_loaded_kb="$RSS1" rss_after_full_kb="$RSS2" \
  rss_peak_kb="$HWM" \
  sd_median_ms="$(json_get "$W/sd.json" 'd["p50_ms"]')" sd_max_ms="$(json_get "$W/sd.json" 'd["max_ms"]')" \
  sd_bytes="$(json_get "$W/sd.json" 'd["bytes"]')" \
  router_samples="$(json_get "$W/pages.json" '"-".join(map(str, d["samples_per_router"]))')" \
  router_page_bytes="$(json_get "$W/pages.json" '"-".join(map(str, d["page_bytes"]))')" \
  router_page_gzip_bytes="$(json_get "$W/pages.json" '"-".join(map(str, d["page_gzip_bytes"]))')" \
  scrape_rate="$(json_get "$W/load.json" 'd["rate_per_s"]')" \
  scrapes="$(json_get "$W/load.json" 'd["requests"]')" scrape_errors="$(json_get "$W/load.json" 'sum(d["errors"].values())')" \
  scrape_p50_ms="$(python3 -c "print($LAT['p50_ms'])")" scrape_p99_ms="$(python3 -c "print($LAT['p99_ms'])")" \
  scrape_max_ms="$(python3 -c "print($LAT['max_ms'])")" \
  scrape_late_p99_ms="$(json_get "$W/load.json" 'd["late"].get("p99_ms")')" \
  exporter_cpu_cores="$EX_CPU" load_before="$LOAD_BEFORE" load_after="$LOAD_AFTER" \
  full_gzip_median_s="$FULL_GZ_MEDIAN" full_gzip_max_s="$FULL_GZ_MAX" full_gzip_bytes="$FULL_GZ_BYTES" full_gzip_failed="$FULL_GZ_FAILED" \
  full_median_s="$FULL_MEDIAN" full_max_s="$FULL_MAX" full_bytes="$FULL_BYTES" full_failed="$FULL_FAILED" \
  full_samples="$SERIES" full_bmp_samples="$BMP_SERIES" load_full="$LOAD_FULL" \
  snapshot_timeouts="$TIMEOUTS" nice="$NICE" exporter_java_opts="${EXPORTER_JAVA_OPTS// /_}"
cat "$W/load.json"
