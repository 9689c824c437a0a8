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

          runbook($._config, {
            comment:: |||
              Forwarding dropped messages for a destination (bmp.forward: host:port; kafka.produce:
              kafka:<topic>): its buffer was full or the destination was down. The destination's
              view of the routers is incomplete until its session restarts (docs/forwarding.md).
              Every configured destination's counter exists from the start at 0.
            |||,
            alert: 'BmpForwardDropping',
            expr: |||
              increase(bmp_forward_dropped_messages_total[10m]) > 0
            |||,
            keep_firing_for: '5m',
            labels: { severity: 'warning' },
            annotations: {
              summary: 'BMP forwarding to {{ $labels.destination }} drops messages',
              description: fold(|||
                The exporter {{ $labels.instance }} dropped {{ $value | humanize }} BMP messages for the forwarding
                destination {{ $labels.destination }} in the last 10 minutes: it is down, refuses connections or takes
                them slower than the routers send. The collector there misses routes and peer events until its
                session restarts.
              |||),
            },
          }),
        ],
      },
    ],
  },
}
