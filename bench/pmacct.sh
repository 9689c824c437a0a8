#!/usr/bin/env bash
# pmacct.sh SCENARIO - the same BMP input replayed into pmacct's pmbmpd (the reference
# collector), timed from the first byte sent until pmbmpd has written one JSON line for every
# prefix of every Route Monitoring message.
#
#   SCENARIO: 1x1x1m | 20x10x100k | 100x50 | small | churn | custom (ROUTERS PEERS V4 V6 RIBS)
#   Env: SKIP_BUILD=1, KEEP_WORK=1, PM_PORT (default: a free port), WAIT_SECONDS (default 900)
#        bound on the wait for pmbmpd, PM_RIB=1 (default; 0 = no bmp_dump_file, and then
#        pmbmpd keeps no routes in memory), PM_DUMP_S (dump period, default 3600).
#   Disk: pmbmpd writes ~500 bytes of JSON per prefix (20x10x100k: ~10 GB under $BENCH_TMP,
#        deleted at the end). A FIFO instead of a file loses lines: pmbmpd 1.7.7 dropped 99 354
#        of 239 618 lines when its reader lagged, so the msglog must be a regular file.
#
# Steps: build the jar; generate the scenario's stream files once (loadgen --output, cached in
# $BENCH_TMP/streams/SCENARIO); start pmbmpd (config below; it blocks SIGTERM, so it is stopped
# with SIGINT; bmp_daemon_max_peers raised above the router count; one msglog per router);
# replay the files (loadgen --replay, one session per router from 127.0.1.x, --hold so the
# sessions stay open); wait until the msglog holds EXPECTED route_monitor lines, where
# EXPECTED = prefixes announced + withdrawn in the stream (pmbmpd logs one line per prefix, none
# for End-of-RIB); the end time is the msglog files' last modification. Prints a RESULT line,
# appended to $RESULTS as JSON.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SCEN="${1:-1x1x1m}"
scenario "$SCEN"
need "$PMBMPD" python3 ss java
WAIT_SECONDS="${WAIT_SECONDS:-900}"
W="$BENCH_TMP/pmacct-$SCEN"
STREAMS="$BENCH_TMP/streams/$SCEN"

build
make_stream "$STREAMS"
EXPECTED="$(json_get "$STREAMS/stream.json" 'd["totals"]["prefixes_announced"] + d["totals"]["prefixes_withdrawn"]')"
ROUTES="$(json_get "$STREAMS/stream.json" 'd["totals"]["routes_present"]')"
STREAM_BYTES="$(json_get "$STREAMS/stream.json" 'd["totals"]["bytes"]')"
log "stream: $STREAM_BYTES bytes, $ROUTES routes, $EXPECTED route monitoring prefixes"

rm -rf "$W"
mkdir -p "$W"
PM_PORT="${PM_PORT:-$(free_port)}"
! listening "$PM_PORT" || die "port $PM_PORT in use"

stop_all() {
  STOP_SIGNAL=TERM stop_pidfile "$W/loadgen.pid" 20
  STOP_SIGNAL=INT stop_pidfile "$W/pmbmpd.wrapper.pid" 20 INT
}
trap 'stop_all; cleanup_work "$W"' EXIT
trap 'exit 130' INT TERM

cat >"$W/pmbmpd.conf" <<EOF
! pmbmpd for bench/pmacct.sh (pmacct 1.7.7)
daemonize: false
pidfile: $W/pmbmpd.pid
logfile: $W/pmbmpd.log
bmp_daemon_ip: 127.0.0.1
bmp_daemon_port: $PM_PORT
! default 10: raise above the number of routers, or sessions beyond it are refused
bmp_daemon_max_peers: $((ROUTERS + 10))
bmp_daemon_msglog_file: $W/msglog-\$bmp_router.json
bmp_daemon_msglog_output: json
EOF
if [ "${PM_RIB:-1}" = 1 ]; then
  # a RIB dump target makes pmbmpd keep every route in memory (the lab config does the same);
  # the dump period is longer than the run, so no dump happens while we measure
  cat >>"$W/pmbmpd.conf" <<EOF
bmp_dump_file: $W/dump-\$bmp_router.json
bmp_dump_refresh_time: ${PM_DUMP_S:-3600}
EOF
fi
STOP_SIGNAL=INT start_bg "$W/pmbmpd.wrapper.pid" "$W/pmbmpd.out" "$PMBMPD" -f "$W/pmbmpd.conf"
wait_until 15 listening "$PM_PORT" || die "pmbmpd did not listen: $(cat "$W"/pmbmpd.log "$W"/pmbmpd.out 2>/dev/null)"
PM_PID="$(child_pid "$(cat "$W/pmbmpd.wrapper.pid")")"
RSS0="$(rss_kb "$PM_PID")"
log "pmbmpd pid $PM_PID on 127.0.0.1:$PM_PORT (RSS ${RSS0} kB)"

# shellcheck disable=SC2046
start_bg "$W/loadgen.pid" "$W/loadgen.log" "$JAVA" $LOADGEN_JAVA_OPTS -cp "$JAR" \
  org.bmpexporter.loadgen.LoadgenCommand $(stream_files "$STREAMS") \
  --target "127.0.0.1:$PM_PORT" --hold "$WAIT_SECONDS" --report "$W/replay.json" \
  --max-seconds "$((WAIT_SECONDS + 120))"
wait_until "$WAIT_SECONDS" report_ready "$W/replay.json" || die "replay did not finish sending: $(tail -5 "$W/loadgen.log")"
[ "$(json_get "$W/replay.json" 'd["totals"]["sessions_with_errors"]')" = 0 ] \
  || die "replay errors: $(json_get "$W/replay.json" '[s.get("error") for s in d["sessions"]]')"
T0="$(json_get "$W/replay.json" 'd["timing"]["first_byte_epoch_ms"]')"
SEND_S="$(json_get "$W/replay.json" 'd["timing"]["dump_seconds"]')"
log "replay sent in ${SEND_S}s (first byte at $T0); waiting for pmbmpd's lines"

rm_lines() { # count route_monitor lines in the msglog files
  cat "$W"/msglog-*.json 2>/dev/null | grep -c '"bmp_msg_type": "route_monitor"' || true
}
msglog_bytes() { cat "$W"/msglog-*.json 2>/dev/null | wc -c; }
last_mtime_ms() { python3 -c 'import glob,os; print(max(int(os.stat(f).st_mtime_ns//1000000) for f in glob.glob("'"$W"'/msglog-*.json")))'; }

DONE_MS=""
PEAK_RSS=0
deadline=$(( $(date +%s) + WAIT_SECONDS ))
prev=-1; stable=0
while [ "$(date +%s)" -lt "$deadline" ]; do
  r="$(rss_kb "$PM_PID")"; [ "${r:-0}" -gt "$PEAK_RSS" ] && PEAK_RSS="$r"
  size="$(msglog_bytes)"
  if [ "$size" = "$prev" ]; then stable=$((stable + 1)); else stable=0; prev="$size"; fi
  if [ "$stable" -ge 4 ]; then  # 2 s without growth: count
    RM="$(rm_lines)"
    if [ "$RM" -ge "$EXPECTED" ]; then DONE_MS="$(last_mtime_ms)"; break; fi
    [ "$stable" -ge 60 ] && break # 30 s stalled short of the count: lines lost
  fi
  sleep 0.5
done
RM="$(rm_lines)"
BYTES="$(msglog_bytes)"
[ -n "$DONE_MS" ] || die "pmbmpd wrote $RM of $EXPECTED route_monitor lines within ${WAIT_SECONDS}s"
SECS="$(python3 -c "print(round(($DONE_MS - $T0) / 1000, 3))")"
RATE="$(python3 -c "print(round($EXPECTED / max(($DONE_MS - $T0) / 1000, 1e-9)))")"
RSS="$(rss_kb "$PM_PID")"
[ "${RSS:-0}" -gt "$PEAK_RSS" ] && PEAK_RSS="$RSS"
log "pmbmpd: $RM route_monitor lines ($BYTES bytes of JSON) ${SECS}s after the first byte = $RATE prefixes/s; RSS $RSS kB (peak seen $PEAK_RSS kB)"
result tool=pmbmpd scenario="$SCEN" routers="$ROUTERS" peers="$PEERS" ipv4="$V4" ipv6="$V6" \
  ribs="$RIBS" routes="$ROUTES" stream_bytes="$STREAM_BYTES" route_monitor_lines="$RM" \
  msglog_bytes="$BYTES" seconds="$SECS" prefixes_per_second="$RATE" \
  pm_rib="${PM_RIB:-1}" replay_send_seconds="$SEND_S" rss_kb="$RSS" peak_rss_kb="$PEAK_RSS" rss_idle_kb="$RSS0"
