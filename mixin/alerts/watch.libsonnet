local fold = (import '../lib/rules_yaml.libsonnet').fold;
local runbook = import 'runbook.libsonnet';
// The origin ASes the exporter sees now for the alert's watch and table.
local origins = '{{ range $i, $s := printf "bmp_watch_prefix_origin_info{watch=%q,router=%q,peer=%q,rd=%q,rib=%q}" $labels.watch $labels.router $labels.peer $labels.rd $labels.rib | query | sortByLabel "origin_as" }}{{ if $i }}, {{ end }}AS{{ $s.Labels.origin_as }}{{ end }}';
// Where the alert's table is, for descriptions.
local where = '{{ $labels.rib }} of peer {{ $labels.peer }}{{ with $labels.rd }} (RD {{ . }}){{ end }}, AS {{ $labels.peer_as }}, on router {{ $labels.sys_name }} ({{ $labels.router }})';
{
  prometheusAlerts+:: {
    groups+: [
      {
        name: 'bmp-watched-prefixes',
        rules: [
          runbook($._config, {
            comment:: |||
              A watched prefix (config watch:) left a peer's post-policy Adj-RIB-In or a router's
              Loc-RIB where Prometheus saw it present (bmp:watch_prefix_present:last_timestamp_seconds
              remembers that). Tables of down peers and routers are left to BmpPeerDown and
              BmpRouterDown. Value: when the prefix was last seen there (seconds since the epoch).
            |||,
            alert: 'BmpWatchedPrefixMissing',
            expr: |||
              (
                  bmp:watch_prefix_present:last_timestamp_seconds{rib=~"adj_rib_in_post|loc_rib"}
                and
                  (bmp_watch_prefix_present == 0)
                unless on (router, peer, rd)
                  (bmp_peer_up == 0)
                unless on (router)
                  (bmp_router_up == 0)
              )
              * on (router) group_left (sys_name) bmp:router_info:sys_name
              * on (router, peer, rd) group_left (peer_as) bmp:peer_info:peer_as
            |||,
            'for': $._config.watchedPrefix.missingFor,
            keep_firing_for: '5m',
            labels: { severity: 'warning' },
            annotations: {
              summary: 'Watched prefix {{ $labels.watch }} is missing from the {{ $labels.rib }} of peer {{ $labels.peer }} on {{ $labels.sys_name }}',
              description: fold(|||
                The watched prefix {{ $labels.watch }} is no longer in the %s, where it was
                last seen {{ $value | humanizeTimestamp }}, while the peer and the BMP session are up.
              ||| % where),
            },
          }),

          runbook($._config, {
            comment:: |||
              A watched prefix is present with an origin AS that its watch's origins list does not
              name (the exporter sets bmp_watch_unexpected_origin), in any table: pre-policy only
              means the router's inbound policy rejected the route.
            |||,
            alert: 'BmpWatchedPrefixUnexpectedOrigin',
            expr: |||
              (bmp_watch_unexpected_origin == 1)
              * on (router) group_left (sys_name) bmp:router_info:sys_name
              * on (router, peer, rd) group_left (peer_as) bmp:peer_info:peer_as
            |||,
            'for': $._config.watchedPrefix.unexpectedOriginFor,
            keep_firing_for: '5m',
            labels: { severity: 'critical' },
            annotations: {
              summary: 'Watched prefix {{ $labels.watch }} has an unexpected origin AS at peer {{ $labels.peer }} on {{ $labels.sys_name }}',
              description: fold(|||
                The watched prefix {{ $labels.watch }} is in the %s with an origin AS its watch does not expect
                (origins seen now: %s): a possible hijack or a misconfiguration.
              ||| % [where, origins]),
              origins: origins,
            },
          }),

          runbook($._config, {
            comment:: |||
              More-specific prefixes of a watched prefix are present and its watch does not
              expect any. The exporter exports bmp_watch_more_specifics for every watch; the
              watch list's bmp_exporter_watch_info tells which expect none (more_specifics="false").
              The join is on watch alone: the info series comes from the exporter's own target,
              the watch series from the per-router targets (other job and instance labels).
            |||,
            alert: 'BmpWatchedPrefixMoreSpecific',
            expr: |||
              (
                  (bmp_watch_more_specifics > 0)
                and on (watch)
                  bmp_exporter_watch_info{more_specifics="false"}
              )
              * on (router) group_left (sys_name) bmp:router_info:sys_name
              * on (router, peer, rd) group_left (peer_as) bmp:peer_info:peer_as
            |||,
            'for': $._config.watchedPrefix.moreSpecificFor,
            keep_firing_for: '5m',
            labels: { severity: 'warning' },
            annotations: {
              summary: 'Unexpected more-specific of watched prefix {{ $labels.watch }} at peer {{ $labels.peer }} on {{ $labels.sys_name }}',
              description: fold(|||
                {{ $value | humanize }} more-specific prefixes of the watched prefix {{ $labels.watch }} are in the
                %s, and its watch does not expect any: a possible sub-prefix hijack, a leak or a
                de-aggregation.
              ||| % where),
            },
          }),
        ],
      },
    ],
  },
}
