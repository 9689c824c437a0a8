# shellcheck shell=bash
# Shared helpers of the benchmark harness. Source it, don't run it.
#
# Rules every bench script follows: everything on loopback (127.0.0.0/8), every process it
# starts runs under `timeout $BENCH_MAX_SECONDS` in its own session and is stopped by the PID
# the script recorded (never by name), every wait loop has a deadline, and work files live under
# $BENCH_TMP (removed by the script unless KEEP_WORK=1).

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
BENCH_TMP="${BENCH_TMP:-/tmp/bmp-bench}"
BENCH_MAX_SECONDS="${BENCH_MAX_SECONDS:-1800}"   # upper bound on any process we start
JAR="${JAR:-$ROOT/target/bmp-exporter.jar}"
JAVA="${JAVA:-java}"
LOADGEN_JAVA_OPTS="${LOADGEN_JAVA_OPTS:--Xmx4g -XX:+UseParallelGC}"
EXPORTER_JAVA_OPTS="${EXPORTER_JAVA_OPTS:--Xmx4g}"
PMBMPD="${PMBMPD:-/usr/sbin/pmbmpd}"
RESULTS="${RESULTS:-$BENCH_TMP/results.jsonl}"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

need() {
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || [ -x "$c" ] || die "missing '$c'"
  done
}

# the loadgen, from the shaded jar (works before and after it is a `bmp-exporter` subcommand)
loadgen() {
  # shellcheck disable=SC2086
  "$JAVA" $LOADGEN_JAVA_OPTS -cp "$JAR" org.bmpexporter.loadgen.LoadgenCommand "$@"
}

build() {
  if [ "${SKIP_BUILD:-0}" = 1 ] && [ -f "$JAR" ]; then
    log "using existing $JAR"
    return
  fi
  log "building $JAR (mvn -B -q -DskipTests package)"
  (cd "$ROOT" && mvn -B -q -DskipTests package) || die "build failed"
  [ -f "$JAR" ] || die "no $JAR after the build"
}

# free_port: a TCP port free on 127.0.0.1 right now
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

listening() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

alive() {
  local pid="$1" st
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  st="$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)"
  [ -n "$st" ] && [ "$st" != Z ]
}

# start_bg PIDFILE LOGFILE CMD... : run CMD in its own session under `timeout`, record its PID
# (the `timeout` wrapper; it forwards STOP_SIGNAL to CMD)
start_bg() {
  local pidfile="$1" logfile="$2"; shift 2
  setsid timeout -s "${STOP_SIGNAL:-TERM}" -k 10 "$BENCH_MAX_SECONDS" "$@" >"$logfile" 2>&1 </dev/null &
  echo $! >"$pidfile"
}

# child_pid WRAPPER_PID : the process `timeout` runs (to read its RSS / heap)
child_pid() { pgrep -P "$1" 2>/dev/null | sed -n 1p; }

# stop_pidfile PIDFILE [SECS] [SIG] : signal the recorded PID, wait, then SIGKILL it and its child
stop_pidfile() {
  local f="$1" secs="${2:-15}" sig="${3:-${STOP_SIGNAL:-TERM}}" pid kids i
  [ -f "$f" ] || return 0
  pid="$(cat "$f")"
  if alive "$pid"; then
    kids="$(pgrep -P "$pid" 2>/dev/null || true)"
    kill "-$sig" "$pid" 2>/dev/null || true
    for ((i = 0; i < secs * 10; i++)); do
      alive "$pid" || break
      sleep 0.1
    done
    if alive "$pid"; then
      log "pid $pid ignored SIG$sig for ${secs}s: SIGKILL (and child ${kids:-none})"
      # shellcheck disable=SC2086
      kill -KILL "$pid" $kids 2>/dev/null || true
    fi
  fi
  rm -f "$f"
}

# wait_until SECS CMD... : poll CMD every 0.2 s until it succeeds; fail after SECS
wait_until() {
  local secs="$1" deadline; shift
  deadline=$(( $(date +%s) + secs ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  return 1
}

now_ms() { date +%s%3N; }

# json_get FILE EXPR : a value from a JSON file (EXPR in Python, the document is `d`)
json_get() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

report_phase() { [ -f "$1" ] && json_get "$1" 'd["phase"]' 2>/dev/null; }
report_ready() { case "$(report_phase "$1")" in holding|done|sent) return 0 ;; esac; return 1; }

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# result KEY=VALUE... : print a result line and append it (as JSON) to $RESULTS, with the
# 1-minute load average and core count (the machine may be shared: read figures with them)
result() {
  set -- "$@" load1="$(cut -d' ' -f1 /proc/loadavg)" cpus="$(nproc)"
  local line="RESULT $*"
  echo "$line"
  mkdir -p "$(dirname "$RESULTS")"
  python3 - "$@" >>"$RESULTS" <<'EOF'
import json, sys, time
d = {"time": time.strftime("%Y-%m-%dT%H:%M:%S")}
for a in sys.argv[1:]:
    k, _, v = a.partition("=")
    try:
        v = int(v)
    except ValueError:
        try:
            v = float(v)
        except ValueError:
            pass
    d[k] = v
print(json.dumps(d))
EOF
}

cleanup_work() {
  if [ "${KEEP_WORK:-0}" = 1 ]; then log "kept $1"; else rm -rf "$1"; fi
}

# Scenario presets: SCENARIO=name sets ROUTERS PEERS V4 V6 RIBS (each overridable by env)
scenario() {
  case "$1" in
    1x1x1m)      : "${ROUTERS:=1}" "${PEERS:=1}" "${V4:=1000000}" "${V6:=0}" "${RIBS:=pre}" ;;
    20x10x100k)  : "${ROUTERS:=20}" "${PEERS:=10}" "${V4:=100000}" "${V6:=0}" "${RIBS:=pre}" ;;
    100x50)      : "${ROUTERS:=100}" "${PEERS:=50}" "${V4:=100}" "${V6:=20}" "${RIBS:=pre,post,loc}" ;;
    small)       : "${ROUTERS:=2}" "${PEERS:=2}" "${V4:=20000}" "${V6:=5000}" "${RIBS:=pre,post,loc}" ;;
    # the dump, then per router 1 M churn events (one prefix per UPDATE: withdraw, attribute
    # change or re-announce) and 2 peer flaps with full re-dumps, sent as fast as TCP allows
    churn)       : "${ROUTERS:=10}" "${PEERS:=10}" "${V4:=100000}" "${V6:=0}" "${RIBS:=pre}" \
                   "${CHURN_RATE:=100000}" "${CHURN_SECONDS:=10}" "${FLAPS:=2}" ;;
    custom)      : "${ROUTERS:?}" "${PEERS:?}" "${V4:?}" "${V6:?}" "${RIBS:=pre}" ;;
    *) die "unknown scenario '$1' (1x1x1m, 20x10x100k, 100x50, small, churn, custom)" ;;
  esac
  : "${PACKING:=mixed}" "${SEED:=1}" "${CHURN_RATE:=0}" "${CHURN_SECONDS:=0}" "${FLAPS:=0}"
  export ROUTERS PEERS V4 V6 RIBS PACKING SEED CHURN_RATE CHURN_SECONDS FLAPS
}

# make_stream DIR : generate the scenario's stream files once (DIR/stream.bin or stream.N.bin)
# and their report DIR/stream.json (no Termination: the replay holds the sessions open)
make_stream() {
  local d="$1" params="$ROUTERS $PEERS $V4 $V6 $RIBS $PACKING $SEED"
  [ "$CHURN_RATE$FLAPS" = 00 ] || params="$params churn=${CHURN_RATE}x${CHURN_SECONDS}s flaps=$FLAPS"
  mkdir -p "$d"
  if [ -f "$d/stream.json" ] && [ "$(cat "$d/params" 2>/dev/null)" = "$params" ]; then
    log "reusing the stream files in $d ($params)"
    return
  fi
  rm -f "$d"/stream*.bin "$d/stream.json" "$d/params"
  log "generating $ROUTERS routers x $PEERS peers x ($V4 IPv4 + $V6 IPv6) [$RIBS, $PACKING] into $d"
  loadgen -q --output "$d/stream.bin" --report "$d/stream.json" --routers "$ROUTERS" \
    --peers "$PEERS" --ipv4 "$V4" --ipv6 "$V6" --ribs "$RIBS" --packing "$PACKING" \
    --seed "$SEED" --stats-interval 0 --no-termination --max-seconds 1200 \
    --churn-rate "$CHURN_RATE" --churn-seconds "$CHURN_SECONDS" --flaps "$FLAPS" >/dev/null \
    || die "stream generation failed"
  echo "$params" >"$d/params"
}

# stream_files DIR : the --replay arguments for the scenario's files, in router order
stream_files() {
  local d="$1" i
  if [ "$ROUTERS" = 1 ]; then
    echo "--replay $d/stream.bin"
  else
    for ((i = 1; i <= ROUTERS; i++)); do printf -- '--replay %s/stream.%d.bin ' "$d" "$i"; done
  fi
}
