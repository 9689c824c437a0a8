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
    maxPrefixApproaching: {
      // BmpMaxPrefixApproaching fires when the router reports fewer routes than this left
      // before a peer's max-prefix threshold (RFC 9972 statistics types 29 and 30).
      thresholdRoutes: 100,
      'for': '5m',
    },
    watchedPrefix: {
      // How long a watched prefix must be missing from a table where it was present before
      // BmpWatchedPrefixMissing fires (a peer's table dump after a reset takes a while).
      missingFor: '5m',
      // How long an unexpected origin AS or an unexpected more-specific must persist before
      // BmpWatchedPrefixUnexpectedOrigin / BmpWatchedPrefixMoreSpecific fire.
      unexpectedOriginFor: '1m',
      moreSpecificFor: '1m',
      // How long BmpWatchedPrefixMissing remembers that a prefix was present in a table.
      presentMemory: '1w',
    },

    // Dashboards: auto-refresh interval of every dashboard.
    dashboardRefresh: '1m',
  },
}
