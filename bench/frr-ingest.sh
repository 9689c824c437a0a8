#!/usr/bin/env bash
# frr-ingest.sh - end-to-end ingest of a real FRR table dump (one prefix per BMP message),
# replayed as PARALLEL concurrent sessions into a freshly started exporter, RUNS times for each
# jar, the jars alternating run by run so that machine load hits both alike. Prints every run,
# then per jar the median, min and max of prefixes/s.
#
#   frr-ingest.sh [STREAM_DIR]     (default $BENCH_TMP/frr; recorded by frr-dump.sh if missing)
#   Env: JARS ("label=path ..."; default: "new=<this build's jar>"; add the previous release as
#        e.g. JARS="old=/path/old.jar new=target/bmp-exporter.jar"), EXPORTER_JAR (shorthand:
#        JARS="old=$EXPORTER_JAR new=<this build>"), RUNS (5), PARALLEL (4),
#        EXPORTER_JAVA_OPTS (-Xmx4g), EXPORTER_ARGS, POLL (0.02), SLOW_POLL (0.25; 0 = scrape
#        every POLL s throughout, as before), WAIT_SECONDS (300),
#        JFR=1 (record a JFR profile of each run into $BENCH_TMP/frr-ingest-jfr/LABEL.RUN.jfr),
#        PROFILE=1 (async-profiler, CPU, from the load generator's start to the end of the table:
#        collapsed stacks in $BENCH_TMP/frr-ingest-prof/LABEL.RUN.collapsed and a summary by part
#        from bench/profile-summary.py; the library is ASYNC_PROFILER, or fetched from Maven
#        Central as tools.profiler:async-profiler:4.1; PROFILE_INTERVAL, default 1ms),
#        SECOND=1 (after the first table, end the sessions and replay once more into the same
#        JVM: the figure once everything is compiled),
#        SKIP_BUILD=1, KEEP_WORK=1.
#
# One run: start `java -jar JAR --bmp-listen 127.0.0.1:P --web-listen 127.0.0.1:Q`, wait for
# /metrics and the start-up warm-up's log line, replay STREAM_DIR/frr.bin as PARALLEL sessions
# from 127.0.1.1.. (loadgen --replay --replay-parallel, sessions held open), poll /metrics (every
# SLOW_POLL s while the load generator is still sending, then every POLL s) until
# sum(bmp_routes) = PARALLEL x the stream's routes and sum(bmp_router_messages_total) =
# PARALLEL x its messages; prefixes/s = routes / (t1 - t0), t0 = the loadgen's first byte,
# t1 = the start of the scrape that saw everything. Every run is a fresh JVM: the figure is the
# first table after start-up. Results also go to $RESULTS as JSON lines.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

STREAMS="${1:-$BENCH_TMP/frr}"
RUNS="${RUNS:-5}"
PARALLEL="${PARALLEL:-4}"
POLL="${POLL:-0.02}"
SLOW_POLL="${SLOW_POLL:-0.25}"
WAIT_SECONDS="${WAIT_SECONDS:-300}"
EXPORTER_ARGS="${EXPORTER_ARGS:-}"
need python3 curl ss java
build
if [ -z "${JARS:-}" ]; then
  if [ -n "${EXPORTER_JAR:-}" ]; then JARS="old=$EXPORTER_JAR new=$JAR"; else JARS="new=$JAR"; fi
fi
for j in $JARS; do [ -f "${j#*=}" ] || die "no jar ${j#*=}"; done
[ -f "$STREAMS/frr.bin" ] && [ -f "$STREAMS/stream.json" ] || "$BENCH_DIR/frr-dump.sh" "$STREAMS"
ROUTES1="$(json_get "$STREAMS/stream.json" 'd["totals"]["routes_present"]')"
MESSAGES1="$(json_get "$STREAMS/stream.json" 'd["totals"]["messages_total"]')"
ROUTES=$((ROUTES1 * PARALLEL))
MESSAGES=$((MESSAGES1 * PARALLEL))
log "stream $STREAMS/frr.bin: $MESSAGES1 messages, $ROUTES1 routes; x$PARALLEL sessions = $ROUTES routes"

W="$BENCH_TMP/frr-ingest.$$"
JFR_DIR="$BENCH_TMP/frr-ingest-jfr"
PROF_DIR="$BENCH_TMP/frr-ingest-prof"
mkdir -p "$W"
[ "${JFR:-0}" != 1 ] || mkdir -p "$JFR_DIR"
if [ "${PROFILE:-0}" = 1 ]; then
  mkdir -p "$PROF_DIR"
  if [ -z "${ASYNC_PROFILER:-}" ]; then
    ASYNC_PROFILER="$BENCH_TMP/async-profiler/linux-x64/libasyncProfiler.so"
    if [ ! -f "$ASYNC_PROFILER" ]; then
      mvn -B -q dependency:copy -Dartifact=tools.profiler:async-profiler:4.1 \
        -DoutputDirectory="$BENCH_TMP/async-profiler" || die "could not fetch async-profiler"
      (cd "$BENCH_TMP/async-profiler" && jar xf async-profiler-4.1.jar linux-x64/libasyncProfiler.so)
    fi
  fi
  [ -f "$ASYNC_PROFILER" ] || die "no async-profiler library at $ASYNC_PROFILER"
fi
# profiler PID COMMAND : loads async-profiler into the exporter with a start or stop command
profiler() { "$JAVA" "$BENCH_DIR/AsyncProfilerAttach.java" "$1" "$ASYNC_PROFILER" "$2"; }
stop_all() {
  stop_pidfile "$W/loadgen.pid" 20
  stop_pidfile "$W/exporter.pid" 20
}
trap 'stop_all; cleanup_work "$W"' EXIT
trap 'exit 130' INT TERM

# one_run LABEL JAR RUN : prints "seconds prefixes_per_second"
one_run() {
  local label="$1" jar="$2" run="$3" bmp web url opts t0 t1 polls last secs rate ex_pid cpu0 cpu1 ns_msg
  bmp="$(free_port)"; web="$(free_port)"
  [ "$bmp" != "$web" ] || web="$(free_port)"
  url="http://127.0.0.1:$web/metrics"
  opts="${EXPORTER_JAVA_OPTS:--Xmx4g}"
  [ "${JFR:-0}" != 1 ] || opts="$opts -XX:StartFlightRecording=filename=$JFR_DIR/$label.$run.jfr,settings=profile"
  : >"$W/exporter.log"
  # shellcheck disable=SC2086
  start_bg "$W/exporter.pid" "$W/exporter.log" "$JAVA" $opts -jar "$jar" \
    --bmp-listen "127.0.0.1:$bmp" --web-listen "127.0.0.1:$web" $EXPORTER_ARGS
  wait_until 60 curl -fsS -o /dev/null "$url" || die "exporter $label not up: $(tail -20 "$W/exporter.log")"
  if [[ " $EXPORTER_ARGS " != *" --no-warmup "* ]]; then
    wait_until 60 grep -q "decode path warmed up" "$W/exporter.log" || die "no warm-up line ($label)"
  fi
  ex_pid="$(child_pid "$(cat "$W/exporter.pid")")"
  [ -n "$ex_pid" ] || die "no exporter JVM"
  [ "${PROFILE:-0}" != 1 ] || profiler "$ex_pid" "start,event=cpu,interval=${PROFILE_INTERVAL:-1ms}"
  cpu0="$(cpu_ticks "$ex_pid")"
  steal0="$(steal_ticks)"; wall0="$(date +%s%N)"
  thread_ticks "$ex_pid" >"$W/threads0.txt"
  rm -f "$W/report.json"
  start_bg "$W/loadgen.pid" "$W/loadgen.log" "$JAVA" $LOADGEN_JAVA_OPTS -cp "$JAR" \
    org.bmpexporter.loadgen.LoadgenCommand --replay "$STREAMS/frr.bin" --replay-parallel "$PARALLEL" \
    --target "127.0.0.1:$bmp" --hold "$WAIT_SECONDS" --report "$W/report.json" \
    --max-seconds "$((WAIT_SECONDS + 120))"
  read -r t1 polls last < <(python3 "$BENCH_DIR/metrics.py" wait "$url" "$ROUTES:$MESSAGES" "$POLL" \
    "$WAIT_SECONDS" "$W/report.json" "$SLOW_POLL") \
    || die "$label: sum(bmp_routes) never reached $ROUTES: $(tail -3 "$W/loadgen.log")"
  cpu1="$(cpu_ticks "$ex_pid")"
  steal1="$(steal_ticks)"; wall1="$(date +%s%N)"
  thread_ticks "$ex_pid" >"$W/threads1.txt"
  if [ "${PROFILE:-0}" = 1 ]; then
    profiler "$ex_pid" "stop,file=$PROF_DIR/$label.$run.collapsed,collapsed"
    python3 "$BENCH_DIR/profile-summary.py" "$PROF_DIR/$label.$run.collapsed" 15 \
      | sed "s/^/  $label run $run profile: /" >&2
  fi
  # where the exporter's CPU went during the ingest, by thread (JIT, GC, event loops, HTTP)
  python3 - "$W/threads0.txt" "$W/threads1.txt" "$(getconf CLK_TCK)" "$MESSAGES" "$label" "$run" <<'PY' >&2
import collections, sys
def load(f):
    d = {}
    for line in open(f):
        tid, ticks, name = line.rstrip("\n").split(" ", 2)
        d[tid] = (int(ticks), name)
    return d
a, b = load(sys.argv[1]), load(sys.argv[2])
hz, msgs = int(sys.argv[3]), int(sys.argv[4])
by = collections.Counter()
for tid, (t, name) in b.items():
    by[name.rstrip("0123456789#")] += t - a.get(tid, (0, name))[0]
top = ", ".join(f"{n} {v / hz * 1e9 / msgs:.0f}" for n, v in by.most_common(6) if v > 0)
print(f"  {sys.argv[5]} run {sys.argv[6]}: exporter CPU ns/message by thread: {top}")
PY
  # the exporter's CPU time (all its threads) per BMP message: what load on the machine does not
  # change as much as the wall-clock rate
  ns_msg="$(python3 -c "print(round(($cpu1 - $cpu0) / $(getconf CLK_TCK) * 1e9 / $MESSAGES))")"
  # CPU time the hypervisor gave to other guests (steal), as a share of all CPUs' time: on a
  # shared virtual machine it takes cores away from the exporter without any load showing
  local steal
  steal="$(python3 -c "print(round(100 * ($steal1 - $steal0) / $(getconf CLK_TCK) / (($wall1 - $wall0) / 1e9 * $(nproc))))")"
  wait_until 60 report_ready "$W/report.json" || die "no loadgen report"
  [ "$(json_get "$W/report.json" 'd["totals"]["sessions_with_errors"]')" = 0 ] || die "loadgen session errors"
  t0="$(json_get "$W/report.json" 'd["timing"]["first_byte_epoch_ms"]')"
  secs="$(python3 -c "print(round(($t1 - $t0) / 1000, 3))")"
  rate="$(python3 -c "print(round($ROUTES / max(($t1 - $t0) / 1000, 1e-9)))")"
  python3 "$BENCH_DIR/metrics.py" check "$url" "$W/report.json" >"$W/check.txt" 2>&1 \
    || die "$label: bmp_routes differ from the report: $(head -5 "$W/check.txt")"
  stop_pidfile "$W/loadgen.pid" 20
  local secs2="" rate2=""
  if [ "${SECOND:-0}" = 1 ]; then
    # the same replay again into the same JVM once the first table's routes are gone (the
    # sessions' end clears them): the figure for a JVM that has compiled everything
    wait_until 60 sh -c "[ \"\$(python3 '$BENCH_DIR/metrics.py' sum '$url')\" = 0 ]" \
      || die "$label: routes not cleared after the sessions ended"
    rm -f "$W/report.json"
    start_bg "$W/loadgen.pid" "$W/loadgen.log" "$JAVA" $LOADGEN_JAVA_OPTS -cp "$JAR" \
      org.bmpexporter.loadgen.LoadgenCommand --replay "$STREAMS/frr.bin" --replay-parallel "$PARALLEL" \
      --target "127.0.0.1:$bmp" --hold "$WAIT_SECONDS" --report "$W/report.json" \
      --max-seconds "$((WAIT_SECONDS + 120))"
    read -r t1 polls last < <(python3 "$BENCH_DIR/metrics.py" wait "$url" "$ROUTES" "$POLL" \
      "$WAIT_SECONDS" "$W/report.json" "$SLOW_POLL") \
      || die "$label: second table never complete"
    wait_until 60 report_ready "$W/report.json" || die "no loadgen report"
    t0="$(json_get "$W/report.json" 'd["timing"]["first_byte_epoch_ms"]')"
    secs2="$(python3 -c "print(round(($t1 - $t0) / 1000, 3))")"
    rate2="$(python3 -c "print(round($ROUTES / max(($t1 - $t0) / 1000, 1e-9)))")"
    stop_pidfile "$W/loadgen.pid" 20
    log "  $label run $run: second table in the same JVM: ${secs2}s = $rate2 prefixes/s"
  fi
  stop_pidfile "$W/exporter.pid" 20
  result bench=frr-ingest jar_label="$label" run="$run" sessions="$PARALLEL" routes="$ROUTES" \
    messages="$MESSAGES" seconds="$secs" prefixes_per_second="$rate" polls="$polls" \
    exporter_cpu_ns_per_message="$ns_msg" steal_percent="$steal" second_table_seconds="$secs2" \
    second_table_prefixes_per_second="$rate2" \
    exporter_jar="$jar" exporter_args="${EXPORTER_ARGS// /_}" >&2
  echo "$secs $rate $ns_msg $steal"
}

# steal_ticks : the machine's steal time so far (all CPUs), in clock ticks
steal_ticks() { awk '/^cpu / {print $9}' /proc/stat; }
# cpu_ticks PID : user + system CPU time of the process so far, in clock ticks
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# thread_ticks PID : "TID TICKS NAME" per thread (the name is in parentheses in stat)
thread_ticks() {
  python3 -c '
import os, sys
base = "/proc/%s/task" % sys.argv[1]
for tid in os.listdir(base):
    try:
        s = open(f"{base}/{tid}/stat").read()
    except OSError:
        continue
    f = s[s.rindex(")") + 2:].split()
    print(tid, int(f[11]) + int(f[12]), s[s.index("(") + 1:s.rindex(")")])' "$1"
}

: >"$W/runs.txt"
for ((r = 1; r <= RUNS; r++)); do
  # alternate the order run by run (old-new, new-old, ...) so neither always goes first
  order="$JARS"
  if ((r % 2 == 0)); then order="$(echo "$JARS" | tr ' ' '\n' | tac | tr '\n' ' ')"; fi
  for j in $order; do
    label="${j%%=*}"
    read -r secs rate ns_msg steal < <(one_run "$label" "${j#*=}" "$r")
    load="$(cut -d' ' -f1 /proc/loadavg)"
    log "run $r $label: $ROUTES routes in ${secs}s = $rate prefixes/s, exporter CPU $ns_msg ns/message (load $load, steal $steal %)"
    echo "$label $r $secs $rate $load $ns_msg $steal" >>"$W/runs.txt"
  done
done
python3 - "$W/runs.txt" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
labels = []
for r in rows:
    if r[0] not in labels:
        labels.append(r[0])
print(f"{'jar':<8} {'runs':>4} {'median M/s':>11} {'min':>7} {'max':>7} {'median s':>9} {'CPU ns/msg':>11} {'min-max':>9}  load1 per run / steal % per run")
for lab in labels:
    rr = [r for r in rows if r[0] == lab]
    rates = sorted(int(r[3]) / 1e6 for r in rr)
    secs = sorted(float(r[2]) for r in rr)
    ns = sorted(int(r[5]) for r in rr)
    print(f"{lab:<8} {len(rr):>4} {statistics.median(rates):>11.2f} {rates[0]:>7.2f} {rates[-1]:>7.2f} "
          f"{statistics.median(secs):>9.3f} {statistics.median(ns):>11.0f} {f'{ns[0]}-{ns[-1]}':>9}  "
          f"{' '.join(r[4] for r in rr)} / {' '.join(r[6] for r in rr)}")
PY
