// The alert thresholds of config.libsonnet as series: the alerts compare against these, so a
// threshold can be changed here (or in the rendered recording.yml) without editing an alert.
local number = (import '../lib/rules_yaml.libsonnet').number;
local threshold(comment, record, value) = { comment:: comment, record: record, expr: 'vector(%s)' % number(value) };
{
  prometheusRules+:: {
    groups+: [
      {
        comment:: |||
          Alert thresholds (mixin config: routeCountDrop, routeCountMismatch, statisticsStale,
          maxPrefixApproaching).
          The alerts in alerts.yml compare against these series, so no alert expression has to
          be edited to change one. See docs/monitoring.md "Tuning the thresholds".
        |||,
        name: 'bmp-alert-thresholds',
        rules: [
          threshold(|||
            BmpRouteCountDrop fires when a peer's post-policy / Loc-RIB route count fell
            by more than this share (0.5 = 50 %) of its maximum of the last 10 minutes ...
          |||, 'bmp:route_count_drop:threshold_ratio', $._config.routeCountDrop.thresholdRatio),
          threshold(
            '... and that maximum was at least this many routes (ignores tiny tables).',
            'bmp:route_count_drop:min_routes',
            $._config.routeCountDrop.minRoutes
          ),
          threshold(|||
            BmpRouteCountMismatch fires when the router's own route count statistic and
            the exporter's count differ by more than this many routes ...
          |||, 'bmp:route_count_mismatch:tolerance_routes', $._config.routeCountMismatch.toleranceRoutes),
          threshold(
            "... AND by more than this share of the router's number.",
            'bmp:route_count_mismatch:tolerance_ratio',
            $._config.routeCountMismatch.toleranceRatio
          ),
          threshold(
            "BmpStatisticsStale fires when a peer's last Statistics Report is older than this.",
            'bmp:statistics_stale:threshold_seconds',
            $._config.statisticsStale.thresholdSeconds
          ),
          threshold(|||
            BmpMaxPrefixApproaching fires when the router reports fewer routes than this left
            before a peer's max-prefix threshold (RFC 9972 types 29, 30).
          |||, 'bmp:max_prefix_approaching:threshold_routes', $._config.maxPrefixApproaching.thresholdRoutes),
        ],
      },
    ],
  },
}
