// The alerting rules (prometheus/alerts.yml), one group per file.
(import 'exporter.libsonnet')
+ (import 'routers.libsonnet')
+ (import 'peers.libsonnet')
+ (import 'watch.libsonnet')
