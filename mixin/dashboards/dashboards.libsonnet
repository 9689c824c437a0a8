// The Grafana dashboards. Each is kept as the JSON Grafana exports (dashboards/*.json here:
// edit a dashboard in Grafana, export it "for sharing externally" off, save it over its file
// and run mixin/generate.sh); the mixin applies the config to it:
//   - the job selector: the exporter health dashboard's scrape panels select the exporter's
//     targets with the default jobSelector, replaced by the configured one in every string;
//   - dashboardRefresh: every dashboard's auto-refresh interval.
local defaultJobSelector = 'job=~".*bmp.*"';

local replaceStrings(v, from, to) =
  if std.isString(v) then std.strReplace(v, from, to)
  else if std.isArray(v) then [replaceStrings(x, from, to) for x in v]
  else if std.isObject(v) then { [k]: replaceStrings(v[k], from, to) for k in std.objectFields(v) }
  else v;

local files = {
  'bmp-overview.json': import 'bmp-overview.json',
  'bmp-router.json': import 'bmp-router.json',
  'bmp-peer.json': import 'bmp-peer.json',
  'bmp-exporter-health.json': import 'bmp-exporter-health.json',
  'bmp-watch.json': import 'bmp-watch.json',
};

{
  grafanaDashboards+:: {
    [name]:
      (
        if $._config.jobSelector == defaultJobSelector then files[name]
        else replaceStrings(files[name], defaultJobSelector, $._config.jobSelector)
      )
      + { refresh: $._config.dashboardRefresh }
    for name in std.objectFields(files)
  },
}
