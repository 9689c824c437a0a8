#!/usr/bin/env bash
# forward.sh SCENARIO - the cost of relaying (bmp.forward): the ingest of a table dump
# (ingest.sh, replay mode) without a forward destination and with one destination that reads and
# discards (org.bmpexporter.loadgen.DiscardServer), RUNS times each, alternating the two (and the
# jars of JARS) run by run so that machine load hits all alike. Prints every run, then per
# (jar, destination) the median, min and max of the ingest seconds. With a destination, every
# byte the router sent must reach it (the sink's log), else the run fails.
#
#   Env: JARS ("label=path ..."; default "new=<this build's jar>"), RUNS (3), SKIP_BUILD=1,
#        KEEP_WORK=1, and ingest.sh's (EXPORTER_JAVA_OPTS, POLL, ...); SCRAPES defaults to 1.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SCEN="${1:-1x1x1m}"
scenario "$SCEN"
need java python3
RUNS="${RUNS:-3}"
export SCRAPES="${SCRAPES:-1}"
W="$BENCH_TMP/forward-$SCEN"
rm -rf "$W"
mkdir -p "$W"
trap 'stop_pidfile "$W/sink.pid" 5; cleanup_work "$W"' EXIT
trap 'exit 130' INT TERM

build
JARS="${JARS:-new=$JAR}"
for j in $JARS; do [ -f "${j#*=}" ] || die "no jar ${j#*=}"; done
make_stream "$BENCH_TMP/streams/$SCEN"
SENT="$(json_get "$BENCH_TMP/streams/$SCEN/stream.json" 'd["totals"]["bytes"]')"

start_bg "$W/sink.pid" "$W/sink.log" "$JAVA" -cp "$JAR" org.bmpexporter.loadgen.DiscardServer \
  --port-file "$W/port" --max-seconds "$BENCH_MAX_SECONDS"
wait_until 20 test -s "$W/port" || die "sink did not start: $(cat "$W/sink.log")"
printf 'bmp:\n  forward: ["127.0.0.1:%s"]\n' "$(cat "$W/port")" >"$W/forward.yaml"

: >"$W/runs.txt"
for ((i = 1; i <= RUNS; i++)); do
  for j in $JARS; do
    for dest in none discard; do
      args=""
      [ "$dest" = none ] || args="--config $W/forward.yaml"
      from=$(($(wc -l <"$W/sink.log") + 1))
      line="$(SKIP_BUILD=1 EXPORTER_JAR="${j#*=}" EXPORTER_ARGS="$args" RESULTS="$W/ingest.jsonl" \
        "$BENCH_DIR/ingest.sh" "$SCEN" | grep '^RESULT')" || die "ingest.sh failed (${j%%=*} $dest)"
      secs="$(sed -n 's/.* seconds=\([0-9.]*\) .*/\1/p' <<<"$line")"
      rate="$(sed -n 's/.* prefixes_per_second=\([0-9]*\) .*/\1/p' <<<"$line")"
      if [ "$dest" != none ]; then
        wait_until 30 sh -c "tail -n +$from '$W/sink.log' | grep -q accepted_ms=" \
          || die "no forwarded connection reached the sink"
        got="$(tail -n +"$from" "$W/sink.log" | awk '/accepted_ms=/ {s += $3} END {print s + 0}')"
        [ "$got" -ge "$SENT" ] || die "the sink got $got bytes, the router sent $SENT"
      fi
      log "${j%%=*} $dest #$i: ${secs}s = $rate prefixes/s"
      echo "${j%%=*} $dest $secs $rate" >>"$W/runs.txt"
      result bench=forward scenario="$SCEN" jar_label="${j%%=*}" destination="$dest" run="$i" \
        seconds="$secs" prefixes_per_second="$rate" exporter_jar="${j#*=}"
    done
  done
done
python3 - "$W/runs.txt" <<'PY'
import collections, statistics, sys
by = collections.defaultdict(list)
for line in open(sys.argv[1]):
    jar, dest, secs, rate = line.split()
    by[(jar, dest)].append(float(secs))
print("| jar | destination | runs | median s | min s | max s |")
print("|---|---|---|---|---|---|")
for (jar, dest), v in by.items():
    print(f"| {jar} | {dest} | {len(v)} | {statistics.median(v):.2f} | {min(v):.2f} | {max(v):.2f} |")
PY
