local fold = (import '../lib/rules_yaml.libsonnet').fold;
local runbook = import 'runbook.libsonnet';
{
  prometheusAlerts+:: {
    groups+: [
      {
        name: 'bmp-exporter',
        rules: [
          runbook($._config, {
            alert: 'BmpExporterDown',
            expr: |||
              up{%(jobSelector)s} == 0
              or
              absent(up{%(jobSelector)s})
            ||| % $._config,
            'for': '5m',
            labels: { severity: 'critical' },
            annotations: {
              summary: 'BMP exporter {{ with $labels.instance }}{{ . }}{{ else }}target{{ end }} is down',
              description: fold(|||
                {{ with $labels.instance }}Prometheus could not scrape the bmp-exporter target {{ . }} (job {{ $labels.job }})
                for more than 5 minutes{{ else }}Prometheus has no scrape target %(jobDescription)s{{ end }}.
                No BMP data is collected or alerted on while it is down, and routers cannot deliver BMP to it.
              ||| % $._config),
            },
          }),
        ],
      },
    ],
  },
}
