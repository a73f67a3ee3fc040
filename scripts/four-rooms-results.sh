#!/usr/bin/env bash
# Runs the FourRooms paper grid at the shipped (tuned) configs for several seeds and prints a
# markdown table of the last-1,000-iteration mean of leader_objective, mean ± SE over seeds
# (SE = population std / sqrt(n), as in the reference notebook).
#
#   scripts/four-rooms-results.sh [METHODS] [SEEDS] [JOBS] [OUT]
#   e.g. scripts/four-rooms-results.sh "bchg naive hpgd-mc" 10 2 runs/four-rooms-results
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
methods="${1:-bchg hpgd-mc hpgd-sarsa hpgd-oracle naive sobirl}"
seeds="${2:-10}"
jobs="${3:-2}"
out="${4:-runs/four-rooms-results}"
cd "$root"
./bilevel --version >/dev/null # builds the jar once, before the parallel runs

list=()
for lambda in 0.001 0.003 0.005; do
  for samples in 100 200 400 1000; do
    for method in $methods; do
      for ((seed = 0; seed < seeds; seed++)); do
        list+=("configs/four-rooms/lambda-$lambda/samples-$samples/$method.yaml $seed $out/lambda-$lambda/samples-$samples/$method/seed-$seed")
      done
    done
  done
done
printf '%s\n' "${list[@]}" | xargs -P "$jobs" -L 1 sh -c \
  'if [ ! -f "$2/summary.json" ]; then BILEVEL_PROGRESS=off ./bilevel run --config "$0" --seed "$1" --out "$2" >/dev/null; fi'

echo "| λ | samples | method | last-1k mean ± SE | seeds |"
echo "|---|---|---|---|---|"
for lambda in 0.001 0.003 0.005; do
  for samples in 100 200 400 1000; do
    for method in $methods; do
      cat "$out/lambda-$lambda/samples-$samples/$method"/seed-*/summary.json \
        | awk -v l="$lambda" -v s="$samples" -v m="$method" -F': ' '
            /"leader_objective_last_window"/ { gsub(/[ ,]/, "", $2); v[n++] = $2 + 0 }
            END { for (i = 0; i < n; i++) sum += v[i]; mean = sum / n;
                  for (i = 0; i < n; i++) ss += (v[i] - mean) ^ 2;
                  printf "| %s | %s | %s | %.3f ± %.3f | %d |\n", l, s, m, mean, sqrt(ss / n) / sqrt(n), n }'
    done
  done
done
