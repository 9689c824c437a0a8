#!/usr/bin/env bash
# Reproducible build check: the committed tree, built twice in two fresh clones at different
# paths and times, must give byte-identical jars (project.build.outputTimestamp in pom.xml
# fixes the entry times; the rest must not depend on paths, clocks or file order).
set -euo pipefail
cd "$(dirname "$0")/.."

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for side in first second; do
  git clone -q --no-hardlinks . "$work/$side"
  # only the jars matter here: no test compilation, no tests (they ran before this)
  (cd "$work/$side" && mvn -B -q -ntp package -Dmaven.test.skip=true)
done

status=0
version="$(sed -n 's|^  <version>\(.*\)</version>|\1|p' pom.xml)" # the project's own, the only one at this indent
for jar in bmp-exporter.jar original-bmp-exporter.jar "bmp-exporter-$version-dist.tar.gz"; do
  # no pipes: read the hashes through process substitution (see the pipefail notes in .ci/run)
  read -r first _ < <(sha256sum "$work/first/target/$jar")
  read -r second _ < <(sha256sum "$work/second/target/$jar")
  if [ "$first" = "$second" ]; then
    echo "reproducible: target/$jar sha256 $first"
  else
    echo "NOT reproducible: target/$jar sha256 $first vs $second (compare the entries with unzip -lv)"
    status=1
  fi
done
exit "$status"
