// The files the project ships, rendered from the mixin (mixin/generate.sh):
//   part 'rules':      rules files by path, as YAML text   (jsonnet -S -m DIR)
//   part 'dashboards': dashboards by file name, as JSON    (jsonnet -m DIR/grafana/dashboards)
// The dashboards are left to jsonnet's own JSON output: std.manifestJsonEx takes seconds per
// dashboard.
local mixin = import 'mixin.libsonnet';
local yaml = import 'lib/rules_yaml.libsonnet';
local generated = |||

  Generated from mixin/ by mixin/generate.sh; do not edit: change the mixin and run
  mixin/generate.sh (docs/monitoring.md, "Monitoring mixin").
|||;
local rules = {
  'prometheus/alerts.yml': yaml.render(|||
    Alerting rules for bmp-exporter.

    Load together with recording.yml: the alerts use its thresholds
    (bmp:*:threshold_*, bmp:*:tolerance_*, bmp:*:min_routes) and its helper series
    bmp:router_info:sys_name, bmp:peer_info:peer_as and bmp:peer_last_down_reason:info.

    Every alert has labels.severity and the annotations summary, description and
    runbook; the runbook annotation is the anchor of the alert's section in
    docs/runbook.md (prefix it with your repository or wiki URL, see docs/monitoring.md).
    Per-router alerts carry the router's sysName as label sys_name, per-peer alerts
    also the peer's AS as label peer_as.

    Checked with:  promtool check rules prometheus/alerts.yml
    Unit tests:    promtool test rules prometheus/tests/*.yml
  ||| + generated, mixin.prometheusAlerts),

  'prometheus/recording.yml': yaml.render(|||
    Recording rules for bmp-exporter.

    Names follow level:metric:operations (https://prometheus.io/docs/practices/rules/),
    with the level "bmp". Load this file together with alerts.yml: several alerts use
    the threshold and helper series recorded here.

    Checked with:  promtool check rules prometheus/recording.yml
    Unit tests:    promtool test rules prometheus/tests/*.yml
  ||| + generated, mixin.prometheusRules),
};
function(part)
  if part == 'rules' then rules
  else if part == 'dashboards' then mixin.grafanaDashboards
  else error 'part must be rules or dashboards, not ' + part
