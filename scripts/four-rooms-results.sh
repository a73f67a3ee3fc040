#!/usr/bin/env bash
# The FourRooms results table for some methods at the shipped (tuned) configs: a sweep over
# configs/four-rooms/lambda-*/samples-*/METHOD.yaml × seeds 0..SEEDS-1, then bilevel aggregate, which
# prints the markdown table and writes OUT/aggregate/ and OUT/report/index.html (docs/sweeps.md).
# The sweep is resumable: finished trials are skipped when the script runs again.
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
spec="$(mktemp --suffix=.yaml)"
trap 'rm -f "$spec"' EXIT
printf 'title: FourRooms, shipped configs (%s), %s seeds\nconfigs: "%s/configs/four-rooms/lambda-*/samples-*/{%s}.yaml"\nseeds: %s\n' \
  "$methods" "$seeds" "$root" "$(echo $methods | tr ' ' ',')" "$seeds" > "$spec"
BILEVEL_PROGRESS=off ./bilevel sweep "$spec" --out "$out" --threads "$jobs"
./bilevel aggregate "$out"
