#!/usr/bin/env bash
# sink.sh SCENARIO - the load generator's own send rate: it sends the scenario (generated live
# from its pre-encoded tables, and replayed from the stream files) into a byte sink on loopback
# (org.bmpexporter.loadgen.DiscardServer: reads and discards, one thread per connection), so the
# receiver costs almost nothing and the figure is the generator's ceiling on this machine.
# Two views of each run: the sender's (first byte written -> last write returned, from the
# loadgen report) and the receiver's (first accept -> last EOF over all connections, from the
# sink's log; it includes the bytes still in the socket buffers when the sender finished).
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

# receiver_rate FROM_LINE PREFIXES: bytes, seconds, prefixes/s over the sink's log lines
receiver_rate() {
  tail -n +"$1" "$W/sink.log" | python3 -c '
import re, sys
rows = [tuple(int(x) for x in re.search(r" (\d+) bytes .* accepted_ms=(\d+) eof_ms=(\d+)", l).groups())
        for l in sys.stdin if "accepted_ms=" in l]
b = sum(r[0] for r in rows)
s = max(max(r[2] for r in rows) - min(r[1] for r in rows), 1) / 1000
print(b, s, round(int(sys.argv[1]) / s))' "$2"
}

for ((i = 1; i <= REPEAT; i++)); do
  from=$(( $(wc -l <"$W/sink.log") + 1 ))
  loadgen -q --target "127.0.0.1:$PORT" --routers "$ROUTERS" --peers "$PEERS" --ipv4 "$V4" \
    --ipv6 "$V6" --ribs "$RIBS" --packing "$PACKING" --seed "$SEED" --stats-interval 0 \
    --report "$W/gen-$i.json" --max-seconds 600 >/dev/null || die "loadgen failed"
  read -r PFX SECS RATE BYTES BPS PREP < <(json_get "$W/gen-$i.json" \
    '" ".join(str(x) for x in (d["timing"]["dump_prefixes"], d["timing"]["dump_seconds"], d["timing"]["dump_prefixes_per_second"], d["totals"]["bytes"], d["timing"]["bytes_per_second"], d["timing"]["prepare_seconds"]))')
  wait_until 10 sh -c "[ \$(tail -n +$from '$W/sink.log' | grep -c accepted_ms=) -ge $ROUTERS ]"
  read -r RB RS RRATE < <(receiver_rate "$from" "$PFX")
  log "generate #$i: $PFX prefixes, $BYTES bytes; sender ${SECS}s = $RATE prefixes/s; receiver ${RS}s = $RRATE prefixes/s (pre-encoding ${PREP}s)"
  result tool=loadgen-sink mode=generate scenario="$SCEN" packing="$PACKING" routers="$ROUTERS" \
    peers="$PEERS" ipv4="$V4" ipv6="$V6" ribs="$RIBS" prefixes="$PFX" bytes="$BYTES" \
    seconds="$SECS" prefixes_per_second="$RATE" bytes_per_second="$BPS" prepare_seconds="$PREP" \
    receiver_bytes="$RB" receiver_seconds="$RS" receiver_prefixes_per_second="$RRATE"
done

make_stream "$BENCH_TMP/streams/$SCEN"
for ((i = 1; i <= REPEAT; i++)); do
  from=$(( $(wc -l <"$W/sink.log") + 1 ))
  # shellcheck disable=SC2046
  loadgen -q $(stream_files "$BENCH_TMP/streams/$SCEN") --target "127.0.0.1:$PORT" \
    --report "$W/replay-$i.json" --max-seconds 600 >/dev/null || die "replay failed"
  read -r PFX SECS RATE BYTES BPS < <(json_get "$W/replay-$i.json" \
    '" ".join(str(x) for x in (d["timing"]["dump_prefixes"], d["timing"]["dump_seconds"], d["timing"]["dump_prefixes_per_second"], d["totals"]["bytes"], d["timing"]["bytes_per_second"]))')
  wait_until 10 sh -c "[ \$(tail -n +$from '$W/sink.log' | grep -c accepted_ms=) -ge $ROUTERS ]"
  read -r RB RS RRATE < <(receiver_rate "$from" "$PFX")
  log "replay #$i: $PFX prefixes, $BYTES bytes; sender ${SECS}s = $RATE prefixes/s; receiver ${RS}s = $RRATE prefixes/s"
  result tool=loadgen-sink mode=replay scenario="$SCEN" packing="$PACKING" routers="$ROUTERS" \
    peers="$PEERS" ipv4="$V4" ipv6="$V6" ribs="$RIBS" prefixes="$PFX" bytes="$BYTES" \
    seconds="$SECS" prefixes_per_second="$RATE" bytes_per_second="$BPS" \
    receiver_bytes="$RB" receiver_seconds="$RS" receiver_prefixes_per_second="$RRATE"
done
