// The recording rules (prometheus/recording.yml), one group per file.
(import 'thresholds.libsonnet')
+ (import 'helpers.libsonnet')
+ (import 'aggregates.libsonnet')
