{
  prometheusRules+:: {
    groups+: [
      {
        comment:: 'Aggregates for the Grafana dashboards.',
        name: 'bmp-aggregates',
        rules: [
          {
            comment:: |||
              Routes per router and RIB (adj_rib_in_pre, adj_rib_in_post, ..., loc_rib).
              ADD-PATH paths and the same prefix from several peers count separately.
            |||,
            record: 'bmp:routes:sum_by_router_rib',
            expr: 'sum by (router, rib) (bmp_routes)',
          },
          { record: 'bmp:routes:sum_by_router_rib_afi_safi', expr: 'sum by (router, rib, afi_safi) (bmp_routes)' },
          {
            comment:: 'Over all routers, per RIB and AFI/SAFI.',
            record: 'bmp:routes:sum_by_rib_afi_safi',
            expr: 'sum by (rib, afi_safi) (bmp_routes)',
          },
          {
            comment:: |||
              Routes a peer sent that the router's inbound policy filtered out:
              pre-policy minus post-policy Adj-RIB-In, per router, peer, rd, afi_safi.
              Can be negative when a policy adds paths or when the router's pre-policy
              stream is incomplete (see docs/runbook.md).
            |||,
            record: 'bmp:routes_filtered_by_policy',
            expr: |||
              bmp_routes{rib="adj_rib_in_pre"} - ignoring (rib) bmp_routes{rib="adj_rib_in_post"}
            |||,
          },
          {
            comment:: 'Update rates: prefixes announced / withdrawn per second, per router and RIB.',
            record: 'bmp:route_announcements:rate5m_by_router_rib',
            expr: 'sum by (router, rib) (rate(bmp_route_announcements_total[5m]))',
          },
          { record: 'bmp:route_withdrawals:rate5m_by_router_rib', expr: 'sum by (router, rib) (rate(bmp_route_withdrawals_total[5m]))' },
          {
            comment:: 'BMP messages per second per router and message type; bytes per second per router.',
            record: 'bmp:router_messages:rate5m_by_router_type',
            expr: 'sum by (router, type) (rate(bmp_router_messages_total[5m]))',
          },
          { record: 'bmp:router_received_bytes:rate5m_by_router', expr: 'sum by (router) (rate(bmp_router_received_bytes_total[5m]))' },
          { record: 'bmp:router_decode_errors:rate5m_by_router', expr: 'sum by (router) (rate(bmp_router_decode_errors_total[5m]))' },
          {
            comment:: 'Peers up and peers known per router.',
            record: 'bmp:peer_up:sum_by_router',
            expr: 'sum by (router) (bmp_peer_up)',
          },
          { record: 'bmp:peer_up:count_by_router', expr: 'count by (router) (bmp_peer_up)' },
        ],
      },
    ],
  },
}
