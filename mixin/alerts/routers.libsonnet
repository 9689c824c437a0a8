local fold = (import '../lib/rules_yaml.libsonnet').fold;
local runbook = import 'runbook.libsonnet';
{
  prometheusAlerts+:: {
    groups+: [
      {
        name: 'bmp-routers',
        rules: [
          runbook($._config, {
            comment:: |||
              bmp_router_up == 0: the session closed and the exporter keeps the series for its
              retention. The second branch covers the time after the retention (series gone,
              seen in the last hour) while the exporter itself is being scraped: any target of the
              job, since with per-router targets (/sd) the router's own target goes away with it.
            |||,
            alert: 'BmpRouterDown',
            expr: |||
              (
                  bmp_router_up == 0
                or
                  (
                      (max_over_time(bmp_router_up[1h]) unless bmp_router_up) * 0
                    and on (job)
                      (max by (job) (up) == 1)
                  )
              )
              * on (router) group_left (sys_name) bmp:router_info:sys_name
            |||,
            'for': '5m',
            keep_firing_for: '5m',
            labels: { severity: 'critical' },
            annotations: {
              summary: 'BMP session from router {{ $labels.sys_name }} ({{ $labels.router }}) is down',
              description: fold(|||
                The BMP session from router {{ $labels.sys_name }} ({{ $labels.router }}) to the exporter
                {{ $labels.instance }} closed and has not come back for more than 5 minutes. Route monitoring,
                peer up/down and statistics of this router are not collected.
              |||),
            },
          }),

          runbook($._config, {
            comment:: |||
              Active mode: the exporter connects to the router's BMP listener. A target that never
              connects has no bmp_router_up series at all, so BmpRouterDown cannot see it.
            |||,
            alert: 'BmpConnectTargetDown',
            expr: 'bmp_connect_target_up == 0',
            'for': '5m',
            keep_firing_for: '5m',
            labels: { severity: 'critical' },
            annotations: {
              summary: 'Exporter cannot connect to the BMP listener {{ $labels.target }}',
              description: fold(|||
                The exporter {{ $labels.instance }} has had no open connection to the router BMP
                listener {{ $labels.target }} (active mode) for more than 5 minutes. The last error
                is on the exporter's status page and in /api/v1/routers (connect_targets).
              |||),
            },
          }),

          runbook($._config, {
            comment:: |||
              The second branch catches an error series that appears with a non-zero value
              (increase() cannot see a series' first sample). Every error series of a router exists
              at 0 from its first session, so a new router's series, which appear at 0, do not fire.
            |||,
            alert: 'BmpDecodeErrors',
            expr: |||
              (
                  increase(bmp_router_decode_errors_total[10m]) > 0
                or
                  (
                      (
                        bmp_router_decode_errors_total > 0
                        unless bmp_router_decode_errors_total offset 10m
                      )
                    and on (job, instance)
                      (up offset 10m)
                  )
              )
              * on (router) group_left (sys_name) bmp:router_info:sys_name
            |||,
            keep_firing_for: '5m',
            labels: { severity: 'warning' },
            annotations: {
              summary: 'BMP decode errors from router {{ $labels.sys_name }} ({{ $labels.router }})',
              description: fold(|||
                The exporter could not decode {{ $value | humanize }} BMP messages or parts of messages
                from router {{ $labels.sys_name }} ({{ $labels.router }}) in the last 10 minutes
                (error {{ $labels.error }}). Route counts of this router may be wrong.
              |||),
            },
          }),

          runbook($._config, {
            comment:: |||
              A bmp.limits value stops a router's state from growing (bmp_router_limit_reached 1),
              or kept something out in the last 15 minutes: the second branch covers refusals by
              sessions_per_address, whose flag is 0 again once one of the address's sessions ends.
            |||,
            alert: 'BmpRouterLimitReached',
            expr: |||
              (
                  max by (job, instance, router, limit) (bmp_router_limit_reached) == 1
                or
                  max by (job, instance, router, limit) (increase(bmp_router_dropped_total[15m])) > 0
              )
              * on (router) group_left (sys_name) bmp:router_info:sys_name
            |||,
            keep_firing_for: '5m',
            labels: { severity: 'warning' },
            annotations: {
              summary: 'Router {{ $labels.sys_name }} ({{ $labels.router }}) reached the exporter limit {{ $labels.limit }}',
              description: fold(|||
                The exporter's limit {{ $labels.limit }} (bmp.limits) stops the state of router {{ $labels.sys_name }}
                ({{ $labels.router }}) from growing:
                {{ if eq $labels.limit "sessions_per_address" }}further BMP sessions from its address are refused
                {{- else }}what is already counted stays, what goes beyond the limit is not added, so this router's
                peers, routes or statistics in the metrics are incomplete{{ end }}. What was kept out is counted in
                bmp_router_dropped_total.
              |||),
            },
          }),
        ],
      },
    ],
  },
}
