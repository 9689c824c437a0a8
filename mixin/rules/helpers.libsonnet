{
  prometheusRules+:: {
    groups+: [
      {
        comment:: 'Helper series for alerts and dashboards.',
        name: 'bmp-helpers',
        rules: [
          {
            comment:: |||
              One series per router with its sysName (from the Initiation message), value 1.
              Falls back to the sysName seen in the last hour, then to sys_name="unknown", so a
              join with it never drops an alert for a router that sent no (or no longer has an)
              Initiation. Alerts join it with `* on(router) group_left(sys_name)`.
            |||,
            record: 'bmp:router_info:sys_name',
            expr: |||
              label_replace(
                  topk by (router) (1, max by (router, sys_name) (bmp_router_info))
                or on (router)
                  topk by (router) (1, max by (router, sys_name) (last_over_time(bmp_router_info[1h])))
                or on (router)
                  group by (router) (last_over_time(bmp_router_up[1h])),
                "sys_name", "unknown", "sys_name", ""
              )
            |||,
          },
          {
            comment:: |||
              One series per peer (router, peer, rd) with the peer's AS from the Peer Up,
              value 1; peer_as="unknown" for peers the exporter knows only from a Peer Down.
            |||,
            record: 'bmp:peer_info:peer_as',
            expr: |||
              label_replace(
                  topk by (router, peer, rd) (1, max by (router, peer, rd, peer_as) (bmp_peer_info))
                or on (router, peer, rd)
                  group by (router, peer, rd) (bmp_peer_up or bmp_peer_ups_total or bmp_peer_downs_total),
                "peer_as", "unknown", "peer_as", ""
              )
            |||,
          },
          {
            comment:: |||
              For every bmp_peer_downs_total series (router, peer, rd, reason, notification):
              the time it was last seen increasing, in seconds since the epoch (rule
              evaluation time, so accurate to about 5 minutes: while an increase is inside the
              5m window the series is re-stamped on each evaluation). A series that appears
              with a non-zero value (first Peer Down with that reason) counts as an increase.
              A series at 0 is no Peer Down and never has a stamp: the exporter creates the two
              max-prefix series of every peer at 0 when it learns the peer. The rule reads its
              own previous output to remember the stamp for up to a week, as long as the
              counter series still exists (and is not 0).
            |||,
            record: 'bmp:peer_downs:last_increase_timestamp_seconds',
            expr: |||
              (
                  (increase(bmp_peer_downs_total[5m]) > 0)
                or
                  (bmp_peer_downs_total > 0 unless bmp_peer_downs_total offset 5m)
              ) * 0 + time()
              or
              (
                  last_over_time(bmp:peer_downs:last_increase_timestamp_seconds[1w])
                and
                  (bmp_peer_downs_total > 0)
              )
            |||,
          },
          {
            comment:: |||
              The reason and NOTIFICATION of each peer's most recent Peer Down: the
              bmp_peer_downs_total series that increased last. Value 1, labels router, peer,
              rd, reason, notification. Used by the BmpPeerDown annotations and dashboards.
            |||,
            record: 'bmp:peer_last_down_reason:info',
            expr: |||
              topk by (router, peer, rd) (1, bmp:peer_downs:last_increase_timestamp_seconds) * 0 + 1
            |||,
          },
          {
            comment:: |||
              For every bmp_watch_prefix_present series (watch, router, peer, rd, rib): the last
              time the watched prefix was present in that table, in seconds since the epoch
              (rule evaluation time). The rule reads its own previous output to remember it for
              up to %s while the series exists (at 0 once the prefix left the table), so
              BmpWatchedPrefixMissing fires only where the prefix was present.
            ||| % $._config.watchedPrefix.presentMemory,
            record: 'bmp:watch_prefix_present:last_timestamp_seconds',
            expr: |||
              (bmp_watch_prefix_present == 1) * 0 + time()
              or
              (
                  last_over_time(bmp:watch_prefix_present:last_timestamp_seconds[%s])
                and
                  bmp_watch_prefix_present
              )
            ||| % $._config.watchedPrefix.presentMemory,
          },
          {
            comment:: |||
              The router's own route count statistics minus the exporter's count, per peer,
              only for tables whose End-of-RIB was seen (before that the exporter's count is
              still growing). Positive: the router reports more routes than the exporter holds.
                adj_rib_in_routes (type 7, afi_safi="all")  vs  sum over AFI/SAFI of rib="adj_rib_in_pre"
                adj_rib_in_routes (type 9, one AFI/SAFI)    vs  rib="adj_rib_in_pre" of that AFI/SAFI
                loc_rib_routes    (type 8, afi_safi="all")  vs  sum over AFI/SAFI of rib="loc_rib"
                loc_rib_routes    (type 10, one AFI/SAFI)   vs  rib="loc_rib" of that AFI/SAFI
              Labels: those of bmp_peer_stat_value (router, peer, rd, stat_type, afi_safi).
            |||,
            record: 'bmp:route_count:stat_minus_exporter',
            expr: |||
              (
                  (
                    bmp_peer_stat_value{stat_type="adj_rib_in_routes", afi_safi="all"}
                    - ignoring (stat_type, afi_safi) group_left ()
                    sum without (rib, afi_safi) (bmp_routes{rib="adj_rib_in_pre"})
                  )
                and ignoring (stat_type, afi_safi)
                  (min without (rib, afi_safi) (bmp_end_of_rib{rib="adj_rib_in_pre"}) == 1)
              )
              or
              (
                  (
                    bmp_peer_stat_value{stat_type="adj_rib_in_routes", afi_safi!="all"}
                    - ignoring (stat_type, rib) group_left ()
                    bmp_routes{rib="adj_rib_in_pre"}
                  )
                and ignoring (stat_type, rib)
                  (bmp_end_of_rib{rib="adj_rib_in_pre"} == 1)
              )
              or
              (
                  (
                    bmp_peer_stat_value{stat_type="loc_rib_routes", afi_safi="all"}
                    - ignoring (stat_type, afi_safi) group_left ()
                    sum without (rib, afi_safi) (bmp_routes{rib="loc_rib"})
                  )
                and ignoring (stat_type, afi_safi)
                  (min without (rib, afi_safi) (bmp_end_of_rib{rib="loc_rib"}) == 1)
              )
              or
              (
                  (
                    bmp_peer_stat_value{stat_type="loc_rib_routes", afi_safi!="all"}
                    - ignoring (stat_type, rib) group_left ()
                    bmp_routes{rib="loc_rib"}
                  )
                and ignoring (stat_type, rib)
                  (bmp_end_of_rib{rib="loc_rib"} == 1)
              )
            |||,
          },
        ],
      },
    ],
  },
}
