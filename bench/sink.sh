#!/usr/bin/env bash
# sink.sh SCENARIO - the load generator's own send rate: it sends the scenario (generated live
# from its pre-encoded tables, and replayed from the stream files) into a byte sink on loopback
# (org.bmpexporter.loadgen.DiscardServer: reads and discards, one thread per connection), so the
# receiver costs almost nothing and the figure is the generator's ceiling on this machine.
#
#   Env: SKIP_BUILD=1, KEEP_WORK=1, PACKING (mixed | packed | single), REPEAT (runs, default 3)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SCEN="${1:-1x1x1m}"
scenario "$SCEN"
need java python3
REPEAT="${REPEAT:-3}"
W="$BENCH_TMP/sink-$SCEN"
rm -rf "$W"
mkdir -p "$W"
trap 'stop_pidfile "$W/sink.pid" 5; cleanup_work "$W"' EXIT
trap 'exit 130' INT TERM

build
start_bg "$W/sink.pid" "$W/sink.log" "$JAVA" -cp "$JAR" org.bmpexporter.loadgen.DiscardServer \
  --port-file "$W/port" --max-seconds "$BENCH_MAX_SECONDS"
wait_until 20 test -s "$W/port" || die "sink did not start: $(cat "$W/sink.log")"
PORT="$(cat "$W/port")"

for ((i = 1; i <= REPEAT; i++)); do
  loadgen -q --target "127.0.0.1:$PORT" --routers "$ROUTERS" --peers "$PEERS" --ipv4 "$V4" \
    --ipv6 "$V6" --ribs "$RIBS" --packing "$PACKING" --seed "$SEED" --stats-interval 0 \
    --report "$W/gen-$i.json" --max-seconds 600 >/dev/null || die "loadgen failed"
  read -r PFX SECS RATE BYTES BPS PREP < <(json_get "$W/gen-$i.json" \
    '" ".join(str(x) for x in (d["timing"]["dump_prefixes"], d["timing"]["dump_seconds"], d["timing"]["dump_prefixes_per_second"], d["totals"]["bytes"], d["timing"]["bytes_per_second"], d["timing"]["prepare_seconds"]))')
  log "generate #$i: $PFX prefixes, $BYTES bytes in ${SECS}s = $RATE prefixes/s, $BPS B/s (pre-encoding ${PREP}s)"
  result tool=loadgen-sink mode=generate scenario="$SCEN" packing="$PACKING" routers="$ROUTERS" \
    peers="$PEERS" ipv4="$V4" ipv6="$V6" ribs="$RIBS" prefixes="$PFX" bytes="$BYTES" \
    seconds="$SECS" prefixes_per_second="$RATE" bytes_per_second="$BPS" prepare_seconds="$PREP"
done

make_stream "$BENCH_TMP/streams/$SCEN"
for ((i = 1; i <= REPEAT; i++)); do
  # shellcheck disable=SC2046
  loadgen -q $(stream_files "$BENCH_TMP/streams/$SCEN") --target "127.0.0.1:$PORT" \
    --report "$W/replay-$i.json" --max-seconds 600 >/dev/null || die "replay failed"
  read -r PFX SECS RATE BYTES BPS < <(json_get "$W/replay-$i.json" \
    '" ".join(str(x) for x in (d["timing"]["dump_prefixes"], d["timing"]["dump_seconds"], d["timing"]["dump_prefixes_per_second"], d["totals"]["bytes"], d["timing"]["bytes_per_second"]))')
  log "replay #$i: $PFX prefixes, $BYTES bytes in ${SECS}s = $RATE prefixes/s, $BPS B/s"
  result tool=loadgen-sink mode=replay scenario="$SCEN" packing="$PACKING" routers="$ROUTERS" \
    peers="$PEERS" ipv4="$V4" ipv6="$V6" ribs="$RIBS" prefixes="$PFX" bytes="$BYTES" \
    seconds="$SECS" prefixes_per_second="$RATE" bytes_per_second="$BPS"
done
