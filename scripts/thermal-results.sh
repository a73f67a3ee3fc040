#!/usr/bin/env bash
# Runs the BuildingThermalControl grid (docs/results/thermal.md) one run at a time and prints the results table.
#
#   scripts/thermal-results.sh PLAN [OUT]
#
# PLAN lines are "METHOD LR SEED" (blank lines and # comments ignored); each run goes to
# OUT/METHOD/lr-LR/seed-SEED and is skipped when its summary.json exists, so the script can be resumed.
# Example (the paper's grid, 10 seeds; about 2.5 h of one core):
#   for m in bchg naive hpgd-mc hpgd-td; do for lr in 0.1 0.01 0.001; do for s in $(seq 0 9); do
#     echo "$m $lr $s"; done; done; done > plan.txt
#   scripts/thermal-results.sh plan.txt runs/thermal-results
# Extra key=value overrides for every run can be given in THERMAL_OVERRIDES (e.g. "protocol=paper iterations=2").
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
plan="$1"
out="${2:-runs/thermal-results}"
jar="${BILEVEL_JAR:-}"
cd "$root"
if [[ -z "$jar" ]]; then
  ./bilevel --version >/dev/null # builds the jar once
  jar="$root/bilevel-cli/target/bilevel.jar"
fi
grep -v '^\s*#' "$plan" | while read -r method lr seed; do
  [[ -z "${method:-}" ]] && continue
  dir="$out/$method/lr-$lr/seed-$seed"
  if [[ ! -f "$dir/summary.json" ]]; then
    start=$(date +%s)
    # shellcheck disable=SC2086
    BILEVEL_PROGRESS=off java -Djava.awt.headless=true -jar "$jar" run thermal --method "$method" \
      --learning-rate "$lr" --seed "$seed" ${THERMAL_OVERRIDES:-} --out "$dir" >/dev/null \
      || echo "run $method $lr $seed failed (see $dir)" >&2
    echo "$method lr=$lr seed=$seed: $(( $(date +%s) - start )) s" >&2
  fi
done
java -Djava.awt.headless=true -cp "$jar" dev.bilevel.experiments.thermal.ThermalResults "$out"
