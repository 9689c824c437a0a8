#!/bin/sh
# Renders the shipped rules and dashboards from the mixin:
#   prometheus/alerts.yml, prometheus/recording.yml, grafana/dashboards/*.json
#
#   mixin/generate.sh          # rewrites them in the repository
#   mixin/generate.sh OUT_DIR  # writes them under OUT_DIR instead (same relative paths)
#
# Needs jsonnet (Debian/Ubuntu: apt-get install jsonnet; or go-jsonnet; $JSONNET names another). After changing the
# rules or dashboards, also run python3 deploy/kubernetes/generate.py.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-"$here/.."}
mkdir -p "$out/prometheus" "$out/grafana/dashboards"
jsonnet=${JSONNET:-jsonnet}
"$jsonnet" -J "$here" --tla-str part=rules -S -m "$out" "$here/generate.jsonnet" >/dev/null
"$jsonnet" -J "$here" --tla-str part=dashboards -m "$out/grafana/dashboards" "$here/generate.jsonnet" >/dev/null
