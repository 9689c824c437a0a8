// Adds the runbook annotation (config runbookURLPattern) to an alerting rule.
function(config, rule)
  rule + { annotations+: { runbook: std.format(config.runbookURLPattern, std.asciiLower(rule.alert)) } }
