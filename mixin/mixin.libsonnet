// The bmp-exporter monitoring mixin: prometheusAlerts, prometheusRules and grafanaDashboards
// in the layout of the kube-prometheus mixins, configured by _config (config.libsonnet).
(import 'config.libsonnet')
+ (import 'alerts/alerts.libsonnet')
+ (import 'rules/rules.libsonnet')
+ (import 'dashboards/dashboards.libsonnet')
