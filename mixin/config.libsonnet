// Settings of the bmp-exporter mixin. Override any of them when importing the mixin:
//
//   (import 'bmp-exporter-mixin/mixin.libsonnet') + {
//     _config+:: { jobSelector: 'job="bmp-exporter"', routeCountDrop+: { thresholdRatio: 0.3 } },
//   }
//
// mixin/generate.sh renders the shipped prometheus/*.yml and grafana/dashboards/*.json with
// these defaults.
{
  _config+:: {
    // Selects the exporter's scrape targets in `up` (BmpExporterDown) and in the exporter
    // health dashboard's scrape panels.
    jobSelector: 'job=~".*bmp.*"',
    // How BmpExporterDown's description names those targets when none exists.
    jobDescription: 'with a job name containing "bmp"',

    // The runbook annotation of every alert: %s is the alert name in lower case, the anchor
    // of its section in docs/runbook.md. Prefix your repository or wiki URL to make it a link,
    // e.g. 'https://git.example.com/bmp-exporter/blob/main/docs/runbook.md#%s'.
    runbookURLPattern: 'docs/runbook.md#%s',

    // Alert thresholds. They are recorded as series in recording.yml (group
    // bmp-alert-thresholds) and the alerts compare against those series, so they can also be
    // changed in the rendered file without touching an alert expression.
    routeCountDrop: {
      // BmpRouteCountDrop fires when a peer's post-policy / Loc-RIB route count fell by more
      // than this share (0.5 = 50 %) of its maximum of the last 10 minutes ...
      thresholdRatio: 0.5,
      // ... and that maximum was at least this many routes (ignores tiny tables).
      minRoutes: 100,
    },
    routeCountMismatch: {
      // BmpRouteCountMismatch fires when the router's own route count statistic and the
      // exporter's count differ by more than this many routes AND by more than this share of
      // the router's number.
      toleranceRoutes: 10,
      toleranceRatio: 0.01,
    },
    statisticsStale: {
      // BmpStatisticsStale fires when a peer's last Statistics Report is older than this.
      thresholdSeconds: 900,
    },

    // Dashboards: auto-refresh interval of every dashboard.
    dashboardRefresh: '1m',
  },
}
