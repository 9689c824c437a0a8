#!/usr/bin/env bash
# A bounded real fuzzing run of every Jazzer @FuzzTest (JAZZER_FUZZ=1), one JVM per target (Jazzer
# fuzzes one test per run), FUZZ_SECONDS each (default 60). The README's test command runs the same
# targets over their regression inputs only. A crash fails this script, and Jazzer writes the input
# to src/test/resources/<package>/<Class>Inputs/<method>/crash-<sha1>, where it becomes a
# regression input of every later build (fix the code, keep the file).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"

targets=()
while IFS= read -r file; do
  class="$(basename "$file" .java)"
  # the method declared after each @FuzzTest annotation
  while IFS= read -r method; do
    targets+=("$class#$method")
  done < <(awk '/@FuzzTest/ {want=1; next} want && /void [A-Za-z0-9_]+\(/ {
             match($0, /void [A-Za-z0-9_]+\(/); print substr($0, RSTART+5, RLENGTH-6); want=0 }' "$file")
done < <(grep -rl --include='*.java' '@FuzzTest' src/test/java)

if [ "${#targets[@]}" -eq 0 ]; then
  echo "fuzz: no @FuzzTest found" >&2
  exit 1
fi
for t in "${targets[@]}"; do
  echo "fuzz: $t for ${seconds}s"
  # -Djazzer.max_duration overrides the annotation's maxDuration (the annotation only sets a
  # default); -Dtest selects the target and the selected-tests profile (no failsafe run).
  JAZZER_FUZZ=1 mvn -B -ntp -q test -Dtest="$t" -Djazzer.max_duration="${seconds}s" \
    -Dsurefire.failIfNoSpecifiedTests=false -Dspotless.check.skip=true
done
