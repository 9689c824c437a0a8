local fold = (import '../lib/rules_yaml.libsonnet').fold;
local runbook = import 'runbook.libsonnet';
// The last Peer Down of the alert's peer, from the recording rule bmp:peer_last_down_reason:info.
local lastDown = '{{ with printf "bmp:peer_last_down_reason:info{router=%q,peer=%q,rd=%q}" $labels.router $labels.peer $labels.rd | query }}';
{
  prometheusAlerts+:: {
    groups+: [
      {
        name: 'bmp-peers',
        rules: [
          runbook($._config, {
            comment:: |||
              Peers of a router whose BMP session is down are covered by BmpRouterDown;
              peers removed from the configuration (reason peer_deconfigured) are not alerted on.
            |||,
            alert: 'BmpPeerDown',
            expr: |||
              (
                  bmp_peer_up == 0
                unless on (router)
                  (bmp_router_up == 0)
                unless on (router, peer, rd)
                  bmp:peer_last_down_reason:info{reason="peer_deconfigured"}
              )
              * on (router) group_left (sys_name) bmp:router_info:sys_name
              * on (router, peer, rd) group_left (peer_as) bmp:peer_info:peer_as
            |||,
            'for': '5m',
            keep_firing_for: '5m',
            labels: { severity: 'warning' },
            annotations: {
              summary: 'BGP peer {{ $labels.peer }} (AS {{ $labels.peer_as }}) is down on {{ $labels.sys_name }}',
              description: fold(|||
                Router {{ $labels.sys_name }} ({{ $labels.router }}) reports its BGP session with peer
                {{ $labels.peer }}{{ with $labels.rd }} (RD {{ . }}){{ end }}, AS {{ $labels.peer_as }}, down for more
                than 5 minutes. Last Peer Down:
              |||) + ' ' + lastDown + '{{ with first . }}reason {{ .Labels.reason }}{{ with .Labels.notification }}, NOTIFICATION {{ . }}{{ end }}{{ end }}{{ else }}reason unknown{{ end }}.',
              reason: lastDown + '{{ with first . }}{{ .Labels.reason }}{{ end }}{{ else }}unknown{{ end }}',
              notification: lastDown + '{{ with first . }}{{ .Labels.notification }}{{ end }}{{ end }}',
            },
          }),

          runbook($._config, {
            comment:: |||
              At least 3 Peer Ups within 30 minutes (counted as value changes or as increase,
              whichever is larger: several Peer Ups can fall between two scrapes).
            |||,
            alert: 'BmpPeerFlapping',
            expr: |||
              (
                  changes(bmp_peer_ups_total[30m]) >= 3
                or
                  increase(bmp_peer_ups_total[30m]) >= 3
              )
              * on (router) group_left (sys_name) bmp:router_info:sys_name
              * on (router, peer, rd) group_left (peer_as) bmp:peer_info:peer_as
            |||,
            keep_firing_for: '5m',
            labels: { severity: 'warning' },
            annotations: {
              summary: 'BGP peer {{ $labels.peer }} (AS {{ $labels.peer_as }}) is flapping on {{ $labels.sys_name }}',
              description: fold(|||
                Router {{ $labels.sys_name }} ({{ $labels.router }}) reported {{ printf "%.0f" $value }} Peer Ups for
                peer {{ $labels.peer }}{{ with $labels.rd }} (RD {{ . }}){{ end }}, AS {{ $labels.peer_as }}, in the last 30 minutes.
              |||),
            },
          }),

          runbook($._config, {
            comment:: |||
              Any Peer Down carrying Cease / Maximum Number of Prefixes Reached, from either side
              (reason local_notification: the router sent it; remote_notification: the peer did).
              The second branch catches a first such Peer Down whose counter series is created
              with value 1, which increase() cannot see (the exporter creates the two max-prefix
              series of every peer at 0, so increase() normally sees it; a series that appears
              at 0, as they do for every new peer, is no Peer Down). It is ignored while
              Prometheus has scraped the exporter for less than 15 minutes (every series is new then).
            |||,
            alert: 'BmpMaxPrefixReached',
            expr: |||
              (
                  increase(bmp_peer_downs_total{notification="cease/maximum_number_of_prefixes_reached"}[15m]) > 0
                or
                  (
                      (
                        bmp_peer_downs_total{notification="cease/maximum_number_of_prefixes_reached"} > 0
                        unless bmp_peer_downs_total{notification="cease/maximum_number_of_prefixes_reached"} offset 15m
                      )
                    and on (job, instance)
                      (up offset 15m)
                  )
              )
              * on (router) group_left (sys_name) bmp:router_info:sys_name
              * on (router, peer, rd) group_left (peer_as) bmp:peer_info:peer_as
            |||,
            keep_firing_for: '5m',
            labels: { severity: 'critical' },
            annotations: {
              summary: 'Maximum prefix limit reached: peer {{ $labels.peer }} (AS {{ $labels.peer_as }}) on {{ $labels.sys_name }}',
              description: fold(|||
                The BGP session between router {{ $labels.sys_name }} ({{ $labels.router }}) and peer
                {{ $labels.peer }}{{ with $labels.rd }} (RD {{ . }}){{ end }}, AS {{ $labels.peer_as }}, was closed with
                NOTIFICATION Cease / Maximum Number of Prefixes Reached in the last 15 minutes
                (counter increase: {{ $value | humanize }}):
                {{ if eq $labels.reason "local_notification" }}the router sent it, the peer advertised more prefixes than the router accepts
                {{- else if eq $labels.reason "remote_notification" }}the peer sent it, the router advertised more prefixes than the peer accepts
                {{- else }}reported with Peer Down reason {{ $labels.reason }}{{ end }}.
              |||),
            },
          }),

          runbook($._config, {
            comment:: |||
              The router's own headroom (RFC 9972 statistics types 29 and 30,
              routes_before_max_prefix_threshold: routes the peer may still send before the
              router's max-prefix threshold, in total or per AFI/SAFI) is below
              bmp:max_prefix_approaching:threshold_routes while the peer is up. A down peer's
              last reported value is ignored; after the limit is hit, BmpMaxPrefixReached fires.
            |||,
            alert: 'BmpMaxPrefixApproaching',
            expr: |||
              (
                  (
                      bmp_peer_stat_value{stat_type="routes_before_max_prefix_threshold"}
                    < on () group_left ()
                      bmp:max_prefix_approaching:threshold_routes
                  )
                and on (router, peer, rd)
                  (bmp_peer_up == 1)
              )
              * on (router) group_left (sys_name) bmp:router_info:sys_name
              * on (router, peer, rd) group_left (peer_as) bmp:peer_info:peer_as
            |||,
            'for': $._config.maxPrefixApproaching['for'],
            keep_firing_for: '5m',
            labels: { severity: 'warning' },
            annotations: {
              summary: 'Peer {{ $labels.peer }} (AS {{ $labels.peer_as }}) on {{ $labels.sys_name }} is {{ $value | humanize }} routes from its max-prefix threshold',
              description: fold(|||
                Router {{ $labels.sys_name }} ({{ $labels.router }}) reports that peer {{ $labels.peer }}{{ with $labels.rd }} (RD {{ . }}){{ end }},
                AS {{ $labels.peer_as }}, can send only {{ $value | humanize }} more routes ({{ $labels.afi_safi }}) before the
                router's max-prefix threshold (RFC 9972 statistic routes_before_max_prefix_threshold; alert threshold
                {{ with query "bmp:max_prefix_approaching:threshold_routes" }}{{ . | first | value | humanize }}{{ end }} routes).
                When the limit is reached the router may tear the session down.
              |||),
            },
          }),

          runbook($._config, {
            comment:: |||
              A post-policy Adj-RIB-In or Loc-RIB table lost more than
              bmp:route_count_drop:threshold_ratio of its routes within 10 minutes while the
              peer and the BMP session stayed up (a peer going down is BmpPeerDown's business,
              a new session's table dump is not a drop).
            |||,
            alert: 'BmpRouteCountDrop',
            expr: |||
              (
                  (
                      (
                        max_over_time(bmp_routes{rib=~"adj_rib_in_post|loc_rib"}[10m])
                        - bmp_routes{rib=~"adj_rib_in_post|loc_rib"}
                      )
                      / max_over_time(bmp_routes{rib=~"adj_rib_in_post|loc_rib"}[10m])
                    > on () group_left ()
                      bmp:route_count_drop:threshold_ratio
                  )
                and
                  (
                      max_over_time(bmp_routes{rib=~"adj_rib_in_post|loc_rib"}[10m])
                    >= on () group_left ()
                      bmp:route_count_drop:min_routes
                  )
                and on (router, peer, rd)
                  (min_over_time(bmp_peer_up[10m]) == 1)
                and on (router, peer, rd)
                  (changes(bmp_peer_up_timestamp_seconds[10m]) == 0)
                and on (router)
                  (changes(bmp_router_up_timestamp_seconds[10m]) == 0)
              )
              * on (router) group_left (sys_name) bmp:router_info:sys_name
              * on (router, peer, rd) group_left (peer_as) bmp:peer_info:peer_as
            |||,
            'for': '2m',
            keep_firing_for: '5m',
            labels: { severity: 'warning' },
            annotations: {
              summary: 'Routes from peer {{ $labels.peer }} (AS {{ $labels.peer_as }}) on {{ $labels.sys_name }} dropped by {{ $value | humanizePercentage }}',
              description: fold(|||
                The {{ $labels.rib }} {{ $labels.afi_safi }} route count of peer {{ $labels.peer }}{{ with $labels.rd }} (RD {{ . }}){{ end }},
                AS {{ $labels.peer_as }}, on router {{ $labels.sys_name }} ({{ $labels.router }}) is
                {{ $value | humanizePercentage }} below its maximum of the last 10 minutes while the peer stayed up
                (threshold {{ with query "bmp:route_count_drop:threshold_ratio" }}{{ . | first | value | humanizePercentage }}{{ end }}).
              |||),
            },
          }),

          runbook($._config, {
            comment:: |||
              The router's own statistics (types 7-10) disagree with the exporter's count after
              End-of-RIB, by more than both tolerances, for 15 minutes. Value: router minus exporter.
            |||,
            alert: 'BmpRouteCountMismatch',
            expr: |||
              (
                  bmp:route_count:stat_minus_exporter
                and
                  (
                      abs(bmp:route_count:stat_minus_exporter)
                    > on () group_left ()
                      bmp:route_count_mismatch:tolerance_routes
                  )
                and
                  (
                      abs(bmp:route_count:stat_minus_exporter) / clamp_min(bmp_peer_stat_value, 1)
                    > on () group_left ()
                      bmp:route_count_mismatch:tolerance_ratio
                  )
              )
              * on (router) group_left (sys_name) bmp:router_info:sys_name
              * on (router, peer, rd) group_left (peer_as) bmp:peer_info:peer_as
            |||,
            'for': '15m',
            keep_firing_for: '5m',
            labels: { severity: 'warning' },
            annotations: {
              summary: 'Route count mismatch for peer {{ $labels.peer }} (AS {{ $labels.peer_as }}) on {{ $labels.sys_name }}',
              description: fold(|||
                Router {{ $labels.sys_name }} ({{ $labels.router }}) reports {{ $labels.stat_type }} ({{ $labels.afi_safi }})
                for peer {{ $labels.peer }}{{ with $labels.rd }} (RD {{ . }}){{ end }}, AS {{ $labels.peer_as }}, that differs from
                the exporter's count by {{ $value | humanize }} routes (router minus exporter) for 15 minutes after End-of-RIB.
              |||),
            },
          }),

          runbook($._config, {
            comment:: |||
              A peer that reported statistics before has not for bmp:statistics_stale:threshold_seconds,
              while the peer and the router's BMP session are up.
            |||,
            alert: 'BmpStatisticsStale',
            expr: |||
              (
                  (
                      time() - bmp_peer_stat_report_timestamp_seconds
                    > on () group_left ()
                      bmp:statistics_stale:threshold_seconds
                  )
                and
                  (bmp_peer_stat_report_timestamp_seconds > 0)
                and on (router)
                  (bmp_router_up == 1)
                and on (router, peer, rd)
                  (bmp_peer_up == 1)
              )
              * on (router) group_left (sys_name) bmp:router_info:sys_name
              * on (router, peer, rd) group_left (peer_as) bmp:peer_info:peer_as
            |||,
            'for': '5m',
            keep_firing_for: '5m',
            labels: { severity: 'warning' },
            annotations: {
              summary: 'No BMP statistics for peer {{ $labels.peer }} (AS {{ $labels.peer_as }}) from {{ $labels.sys_name }}',
              description: fold(|||
                Router {{ $labels.sys_name }} ({{ $labels.router }}) sent its last Statistics Report for peer
                {{ $labels.peer }}{{ with $labels.rd }} (RD {{ . }}){{ end }}, AS {{ $labels.peer_as }}, {{ $value | humanizeDuration }} ago
                although the peer and the BMP session are up. The router statistics shown next to the exporter's counts are stale.
              |||),
            },
          }),
        ],
      },
    ],
  },
}
