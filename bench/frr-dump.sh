#!/usr/bin/env bash
# frr-dump.sh OUT_DIR - record a real FRR bgpd BMP table dump (one prefix per Route Monitoring
# message, as FRR sends it) into OUT_DIR/frr.bin, with its counts in OUT_DIR/frr.json and the
# routes a collector must hold after replaying it in OUT_DIR/stream.json (loadgen report).
#
#   Env: V4 (IPv4 prefixes, default 1000000), V6 (IPv6 prefixes, default 0), DENY_EVERY (every
#        Nth route is rejected by FRR's import policy, default 5), KEEP_WORK=1, FRR_BGPD
#        (default /usr/lib/frr/bgpd), CONVERGE_TIMEOUT (default 600 s).
#   Needs: frr (bgpd with the BMP module), gobgpd + gobgp, python3, java (the loadgen, for
#          stream.json), SKIP_BUILD=1 to use an existing jar.
#
# Topology, all on loopback, every port picked free:
#   gobgpd "injector" AS65002 (127.0.0.2) --eBGP--> FRR bgpd AS65001 (127.0.0.1) --BMP--> bmp_record.py
# The injector gets V4 /24s + V6 /48s from a generated MRT RIB (gen_mrt.py, `gobgp mrt inject`),
# varied AS paths, MEDs and communities; FRR's import policy denies every DENY_EVERY-th route
# (tagged 65002:666) and sets LOCAL_PREF 200 + a community on the rest, with
# `soft-reconfiguration inbound` so FRR can report the pre-policy Adj-RIB-In. Once FRR has
# accepted every route, the BMP target is configured: FRR sends Initiation, a Peer Up, the
# pre-policy table (V4 + V6 messages), the post-policy table, End-of-RIB markers. The recorder
# closes the session after 5 s of silence (so the file holds no Peer Down or Termination);
# bgpd -Z -n: no zebra, no kernel routes.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

OUT="${1:?usage: frr-dump.sh OUT_DIR}"
V4="${V4:-1000000}"
V6="${V6:-0}"
DENY_EVERY="${DENY_EVERY:-5}"
FRR_BGPD="${FRR_BGPD:-/usr/lib/frr/bgpd}"
CONVERGE_TIMEOUT="${CONVERGE_TIMEOUT:-600}"
need "$FRR_BGPD" gobgpd gobgp vtysh python3 java
[ -f /usr/lib/x86_64-linux-gnu/frr/modules/bgpd_bmp.so ] || ls /usr/lib/*/frr/modules/bgpd_bmp.so >/dev/null 2>&1 \
  || die "FRR's BMP module bgpd_bmp.so is missing"
FRR_AS=65001 INJ_AS=65002 FRR_ADDR=127.0.0.1 INJ_ADDR=127.0.0.2
W="$BENCH_TMP/frr-dump.$$"
mkdir -p "$W" "$OUT"
OUT="$(cd "$OUT" && pwd)"
FRR_PORT="$(free_port)"; INJ_PORT="$(free_port)"; API_PORT="$(free_port)"; BMP_PORT="$(free_port)"

stop_all() {
  if [ -f "$W/bgpd.pid" ] && alive "$(cat "$W/bgpd.pid")"; then kill -TERM "$(cat "$W/bgpd.pid")" 2>/dev/null || true; fi
  stop_pidfile "$W/bgpd.wrapper.pid" 15
  stop_pidfile "$W/gobgpd.pid" 10
  stop_pidfile "$W/record.pid" 5
  stop_pidfile "$W/discard.pid" 5
}
trap 'stop_all; cleanup_work "$W"' EXIT
trap 'exit 130' INT TERM

V() { vtysh --vty_socket "$W" -d bgpd "$@"; }
G() { gobgp -p "$API_PORT" "$@"; }
accepted() { if [ "$DENY_EVERY" -gt 0 ]; then echo $(($1 - ($1 + DENY_EVERY - 1) / DENY_EVERY)); else echo "$1"; fi; }

python3 "$BENCH_DIR/gen_mrt.py" "$W/routes.mrt" --v4 "$V4" --v6 "$V6" --peer-as "$INJ_AS" \
  --peer-ip "$INJ_ADDR" --nh4 192.0.2.2 --nh6 2001:db8:ffff::2 --deny-every "$DENY_EVERY" >&2

cat >"$W/gobgpd.toml" <<CONF
[global.config]
  as = $INJ_AS
  router-id = "$INJ_ADDR"
  port = $INJ_PORT
  local-address-list = ["$INJ_ADDR"]
# keep the MRT next hops (eBGP would set 127.0.0.2, which FRR rejects as martian)
[global.apply-policy.config]
  export-policy-list = ["nh-unchanged"]
  default-export-policy = "accept-route"
[[policy-definitions]]
  name = "nh-unchanged"
  [[policy-definitions.statements]]
    name = "keep-nexthop"
    [policy-definitions.statements.actions]
      route-disposition = "accept-route"
      [policy-definitions.statements.actions.bgp-actions]
        set-next-hop = "unchanged"
[[neighbors]]
  [neighbors.config]
    neighbor-address = "$FRR_ADDR"
    peer-as = $FRR_AS
  [neighbors.transport.config]
    passive-mode = true
    local-address = "$INJ_ADDR"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv6-unicast"
CONF

cat >"$W/bgpd.conf" <<CONF
frr defaults traditional
hostname bench-frr
log file $W/bgpd.log informational
bgp community-list standard DENY seq 5 permit $INJ_AS:666
route-map IN deny 10
 match community DENY
exit
route-map IN permit 20
 set local-preference 200
 set community $FRR_AS:100 additive
exit
route-map NONE deny 10
exit
router bgp $FRR_AS
 bgp router-id $FRR_ADDR
 no bgp ebgp-requires-policy
 ! the default 5 s route-map timer would run every route through IN again after start-up
 bgp route-map delay-timer 0
 neighbor $INJ_ADDR remote-as $INJ_AS
 neighbor $INJ_ADDR port $INJ_PORT
 neighbor $INJ_ADDR update-source $FRR_ADDR
 neighbor $INJ_ADDR timers connect 2
 address-family ipv4 unicast
  neighbor $INJ_ADDR activate
  neighbor $INJ_ADDR soft-reconfiguration inbound
  neighbor $INJ_ADDR route-map IN in
  neighbor $INJ_ADDR route-map NONE out
 exit-address-family
 address-family ipv6 unicast
  neighbor $INJ_ADDR activate
  neighbor $INJ_ADDR soft-reconfiguration inbound
  neighbor $INJ_ADDR route-map IN in
  neighbor $INJ_ADDR route-map NONE out
 exit-address-family
exit
CONF
"$FRR_BGPD" -C -M bmp -f "$W/bgpd.conf" >/dev/null 2>&1 || die "bgpd rejects $W/bgpd.conf"

start_bg "$W/gobgpd.pid" "$W/gobgpd.log" gobgpd -f "$W/gobgpd.toml" --api-hosts "127.0.0.1:$API_PORT" -p --pprof-disable -l warn
wait_until 20 G global || die "gobgpd did not start: $(tail -5 "$W/gobgpd.log")"
rib_count() { G global rib summary -a "$1" | awk '/Destination/{print $2}' | tr -d ,; }
# gobgp's `mrt inject` can drop the tail of a file (gen_mrt.py pads it): check, retry (bounded)
for try in 1 2 3; do
  G mrt inject global "$W/routes.mrt" >/dev/null 2>&1 || true
  wait_until 60 sh -c "[ \"\$(gobgp -p $API_PORT global rib summary -a ipv4 | awk '/Destination/{print \$2}' | tr -d ,)\" = $V4 ]" && break
  log "injection incomplete (try $try)"
done
[ "$(rib_count ipv4)" = "$V4" ] && [ "$(rib_count ipv6)" = "$V6" ] || die "injector RIB: $(rib_count ipv4) IPv4 / $(rib_count ipv6) IPv6"
log "injector holds $V4 IPv4 + $V6 IPv6 routes"

start_bg "$W/bgpd.wrapper.pid" "$W/bgpd.stdout" "$FRR_BGPD" -M bmp -Z -S -n -l "$FRR_ADDR" \
  -p "$FRR_PORT" -P 0 -f "$W/bgpd.conf" -i "$W/bgpd.pid" --vty_socket "$W" -u root -g root
wait_until 20 V -c "show version" || die "bgpd did not start: $(cat "$W/bgpd.stdout")"
pfx() { V -c "show bgp $1 unicast summary json" 2>/dev/null |
  python3 -c "import json,sys; print(json.load(sys.stdin).get('peers',{}).get('$INJ_ADDR',{}).get('pfxRcd',-1))"; }
T=$SECONDS
until [ "$(pfx ipv4)" = "$(accepted "$V4")" ] && [ "$(pfx ipv6)" = "$(accepted "$V6")" ]; do
  ((SECONDS - T < CONVERGE_TIMEOUT)) || die "FRR not converged: $(pfx ipv4) IPv4 / $(pfx ipv6) IPv6 accepted"
  sleep 1
done
log "FRR converged in $((SECONDS - T)) s: $(accepted "$V4") IPv4 + $(accepted "$V6") IPv6 accepted"

start_bg "$W/record.pid" "$W/record.json" python3 "$BENCH_DIR/bmp_record.py" --port "$BMP_PORT" \
  --out "$OUT/frr.bin" --idle 5 --max-seconds "$((CONVERGE_TIMEOUT + 600))"
wait_until 10 listening "$BMP_PORT" || die "recorder not listening"
mon=()
for af in ipv4 ipv6; do mon+=(-c "bmp monitor $af unicast pre-policy" -c "bmp monitor $af unicast post-policy"); done
V -c "conf t" -c "router bgp $FRR_AS" -c "bmp targets BENCH" \
  -c "bmp connect 127.0.0.1 port $BMP_PORT min-retry 100 max-retry 2000" "${mon[@]}" -c exit >/dev/null
log "BMP target configured; recording to $OUT/frr.bin"
T=$SECONDS
while alive "$(cat "$W/record.pid")"; do
  ((SECONDS - T < CONVERGE_TIMEOUT + 600)) || die "recorder did not finish"
  sleep 1
done
rm -f "$W/record.pid"
cp "$W/record.json" "$OUT/frr.json"
log "recorded: $(cat "$OUT/frr.json")"
PRE="$(json_get "$OUT/frr.json" 'd["rm_pre"]')"
POST="$(json_get "$OUT/frr.json" 'd["rm_post"]')"
WANT_PRE=$((V4 + V6 + $([ "$V4" -gt 0 ] && echo 1 || echo 0) + $([ "$V6" -gt 0 ] && echo 1 || echo 0)))
[ "$PRE" -ge "$((V4 + V6))" ] || die "only $PRE pre-policy Route Monitoring messages, wanted $WANT_PRE"

# the routes a collector holds after a replay, counted by the loadgen's stream tracker
build
start_bg "$W/discard.pid" "$W/discard.log" "$JAVA" -cp "$JAR" org.bmpexporter.loadgen.DiscardServer --connections 1 \
  --port 0 --port-file "$W/discard.port"
wait_until 20 test -s "$W/discard.port" || die "no DiscardServer"
loadgen -q --replay "$OUT/frr.bin" --target "127.0.0.1:$(cat "$W/discard.port")" \
  --report "$OUT/stream.json" --max-seconds 300 >/dev/null || die "replay into the sink failed"
log "stream.json: routes_present $(json_get "$OUT/stream.json" 'd["totals"]["routes_present"]'), messages $(json_get "$OUT/stream.json" 'd["totals"]["messages_total"]') (pre $PRE, post $POST)"
